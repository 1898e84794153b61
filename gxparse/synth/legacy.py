"""Legacy (2008–2018) reports: Fujian-style 附表 indicator tables and their three layouts.

* ``legacy_cell_per_line`` (seed001): one cell per line with a `` |`` suffix.
* ``legacy_space_rows`` (r019): cells separated by single spaces, rows on one line or one per line.
* ``legacy_glued`` (r011, r210): everything glued (``主动公开文件数条206912106``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gxparse.synth.frame import org_name
from gxparse.synth.model import Builder, Style, Val
from gxparse.synth.values import heavy
from gxparse.synth.variants import LEGACY_COLUMNS, NO_VARIATION, PrintedHeading, Variation
from gxparse.template import get_template

_ALIASES = {
    "proactive_total": ("主动公开文件数", "主动公开信息数"),
    "proactive_website": ("政府网站公开数", "网站公开"),
    "proactive_gazette": ("政府公报公开数", "政府公报公开"),
    "apps_total": ("受理政府信息公开申请总数", "受理依申请公开信息总数"),
    "reply_rejected_total": ("否决公开答复总数", "否决公开答复数"),
    "admin_appeal": ("行政申诉数",),
    "fees_collected": ("政府信息公开收费金额", "收费金额"),
}
_CHILDREN = (
    ("proactive_website", "proactive_gazette"),
    ("apps_in_person", "apps_online", "apps_letter_fax", "apps_fax", "apps_email", "apps_letter", "apps_other"),
    ("reply_granted", "reply_partial", "reply_denied", "reply_other", "reply_rejected_total"),
)
# (cell separator, row separator, prose separator) of each layout
_SEPARATORS = {
    "legacy_cell_per_line": (" |\n", " |\n", "\n"),
    "legacy_space_rows": (" ", None, "\n"),
    "legacy_glued": ("", "", ""),
}


def printed_labels(rows: list[str], rng: np.random.Generator) -> dict[str, str]:
    """Printed label of each row: an alias of the report's wording, numbered under its parent."""
    base = {r.key: r.label for r in get_template("legacy").table("legacy_indicators").rows}
    dot = "." if rng.random() < 0.7 else "、"
    labels = {}
    for key in rows:
        options = _ALIASES.get(key, (base[key],))
        labels[key] = str(options[int(rng.integers(len(options)))])
    for family in _CHILDREN:
        present = [k for k in rows if k in family]
        for i, key in enumerate(present):
            labels[key] = ("其中：" if i == 0 else "") + f"{i + 1}{dot}" + labels[key]
    return labels


def _prose(table: dict[str, Any], year: int, org: str, rng: np.random.Generator) -> list[tuple[str, str]]:
    total = table.get("proactive_total", {})
    fallback = heavy(rng, 50, 1.0, 9999)  # drawn even when unused, so the report's later draws stay put
    published = fallback if total.get("current") is None else total["current"]
    cumulative = published if total.get("cumulative") is None else total["cumulative"]
    return [
        ("para", f"{org}{year}年政府信息公开工作年度报告"),
        ("para", f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"),
        ("heading", "一、概述"),
        ("para", f"{year}年，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，组织培训{int(rng.integers(1, 6))}次。"),
        ("heading", "二、主动公开政府信息情况"),
        ("para", f"{year}年，主动公开政府信息{published}条，历年累计主动公开政府信息{cumulative}条。"),
        ("heading", "三、依申请公开政府信息办理情况"),
        ("para", f"{year}年度共受理政府信息公开申请{table.get('apps_total', {}).get('current') or 0}件。"),
        ("heading", "四、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("para", f"{year}年度未发生针对本部门政府信息公开事务的行政诉讼案。"),
        ("heading", "五、存在的主要问题和改进措施"),
        ("para", "一是思想认识还不够高；二是公开范围有待扩大。"),
        ("heading", "六、需要说明的事项与附表"),
    ]


def _header(year: int, rng: np.random.Generator) -> list[str]:
    name = "指 标 名 称" if rng.random() < 0.3 else "指标名称"
    unit = "单位" if rng.random() < 0.5 else "计量单位"
    return [name, unit, f"{year}年" if rng.random() < 0.5 else f"{year}年度", "历年累计"]


def _print_heading(builder: Builder, printed: PrintedHeading, seps: tuple[str, str], rng: np.random.Generator) -> None:
    if len(printed.pieces) > 1:
        builder.text(str(rng.choice([seps[0] or " ", seps[1] or " "])).join(printed.pieces) + seps[0])
    elif printed.pieces:
        builder.text(printed.pieces[0] + seps[0])


def write_legacy(layout: str, builder: Builder, style: Style, tables: dict[str, Any], year: int,
                 rng: np.random.Generator, variation: Variation | None = None, *, org: str | None = None,
                 narrative: list[tuple[str, str]] | None = None) -> None:
    """Print a legacy report: narrative sections, then the 附表 indicator table in ``layout``.

    ``variation`` (default: none) applies the report's variants: mangled or absent headings, the
    sections announced in the preamble, column headers in unseen words or columns in another order,
    number-bearing prose around
    the table, or the table alone (``excerpt_one_table``). ``org`` is the issuing agency (default
    drawn) and ``narrative`` replaces the default narrative (``("heading" | "para", text)`` pairs).
    """
    variation = variation or NO_VARIATION
    table = tables.get("legacy_indicators", {})
    cell_sep, row_sep, prose_sep = _SEPARATORS[layout]
    if row_sep is None:
        row_sep = " " if rng.random() < 0.5 else "\n"
    drawn = org_name(rng)
    org = org or drawn
    seps = (prose_sep, cell_sep)
    prose = _prose(table, year, org, rng)  # drawn even when replaced, so the report's later draws stay put
    prose = narrative if narrative is not None else prose
    if "preamble_toc" in variation:
        kind, lines = variation.toc([text for kind, text in prose if kind == "heading"])
        prose = prose[:2] + [("para" if kind == "sentence" or i == 0 else "heading", line) for i, line in enumerate(lines)] + prose[2:]
    if "excerpt_one_table" not in variation:
        for kind, text in prose:
            printed = variation.heading(text) if kind == "heading" else PrintedHeading((text,))
            _print_heading(builder, printed, seps, rng)
    title = str(rng.choice(["附表", "政府信息公开情况统计表", f"{org}政府信息公开情况统计表"]))
    (heading,) = variation.headings([title])
    before = variation.narrative(year, "before")
    if before:
        builder.text(before + prose_sep)
    _print_heading(builder, heading, seps, rng)
    if heading.repeat:
        _print_heading(builder, PrintedHeading(heading.pieces), seps, rng)
    name, *words = variation.legacy_header(year) if "legacy_header_words" in variation else _header(year, rng)
    columns = variation.legacy_columns()
    by_column = dict(zip(LEGACY_COLUMNS, words))
    builder.text(cell_sep.join([name, *(by_column[c] for c in columns)]) + row_sep)
    labels = printed_labels(list(table), rng)
    for key, cols in table.items():
        builder.label(f"legacy_indicators.{key}", labels[key])
        for col in columns:
            builder.text(cell_sep)
            val = Val(f"legacy_indicators.{key}.{col}", cols.get(col))
            builder.value(val, style.token(val))
        builder.text(row_sep)
    after = variation.narrative(year, "after")
    if after:
        builder.text(after + prose_sep)
    builder.text("" if builder.getvalue().endswith("\n") else "\n")
