"""An independent second generator of synthetic annual reports, with gold, for ``gxparse bench``.

Why: the parser is evaluated on synthetic reports from a generator that is not ours. This module is a
second view of the world, written from the template spec (``../shared/spec/TEMPLATE.md``) and from
how real copies in the dev and wild corpora look, without reading or importing ``gxparse.synth``.

Usage::

    python scripts/alt_reports.py OUTDIR -n 200 --seed 5100

Every report is ``alt-<seed>-<i>.{txt,html,md}`` beside its gold ``alt-<seed>-<i>.json`` in the gold format
of ``gxparse bench`` (``template``, ``tables``, ``balanced``, ``labels`` for legacy rows, plus ``layout``
and ``variants`` so the bench breaks accuracy down by both). A value printed blank or as a placeholder
is ``None`` in the gold; a table that is not printed is absent from it.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------------------------- the template

APPLICANT_COLUMNS = (("natural_person", "自然人"), ("commercial_enterprise", "商业企业"),
                     ("research_institution", "科研机构"), ("social_welfare_org", "社会公益组织"),
                     ("legal_service_org", "法律服务机构"), ("other_org", "其他"), ("total", "总计"))
RESULTS_GROUP = "三、本年度办理结果"
# (row key, group label opened by this row or "", printed leaf label, colspan of the label in the 3-column label grid)
_APPLICATION_ROWS_HEAD = (
    ("new_received", "", "一、本年新收政府信息公开申请数量", 3),
    ("carried_over", "", "二、上年结转政府信息公开申请数量", 3),
    ("result_granted", "", "（一）予以公开", 2),
    ("result_partial", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2),
    ("denied_state_secret", "（三）不予公开", "1.属于国家秘密", 1),
    ("denied_law_forbidden", "（三）不予公开", "2.其他法律行政法规禁止公开", 1),
    ("denied_security_stability", "（三）不予公开", "3.危及“三安全一稳定”", 1),
    ("denied_third_party", "（三）不予公开", "4.保护第三方合法权益", 1),
    ("denied_internal_affairs", "（三）不予公开", "5.属于三类内部事务信息", 1),
    ("denied_process_info", "（三）不予公开", "6.属于四类过程性信息", 1),
    ("denied_enforcement_file", "（三）不予公开", "7.属于行政执法案卷", 1),
    ("denied_admin_query", "（三）不予公开", "8.属于行政查询事项", 1),
    ("unable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息", 1),
    ("unable_need_creation", "（四）无法提供", "2.没有现成信息需要另行制作", 1),
    ("unable_unclear", "（四）无法提供", "3.补正后申请内容仍不明确", 1),
    ("not_processed_petition", "（五）不予处理", "1.信访举报投诉类申请", 1),
    ("not_processed_repeat", "（五）不予处理", "2.重复申请", 1),
    ("not_processed_publication", "（五）不予处理", "3.要求提供公开出版物", 1),
    ("not_processed_massive", "（五）不予处理", "4.无正当理由大量反复申请", 1),
    ("not_processed_confirm", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", 1),
)
_OTHER_2021 = (
    ("other_no_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1),
    ("other_unpaid_fee", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1),
    ("other_other", "（六）其他处理", "3.其他", 1),
)
_OTHER_2019 = (("other_handling", "", "（六）其他处理", 2),)
_APPLICATION_ROWS_TAIL = (("results_total", "", "（七）总计", 2), ("carry_to_next", "", "四、结转下年度继续办理", 3))
APPLICATION_ROWS = {"gov2021": _APPLICATION_ROWS_HEAD + _OTHER_2021 + _APPLICATION_ROWS_TAIL,
                    "gov2019": _APPLICATION_ROWS_HEAD + _OTHER_2019 + _APPLICATION_ROWS_TAIL}
APPLICATION_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

REVIEW_GROUPS = (("review", "行政复议"), ("litigation_direct", "未经复议直接起诉"),
                 ("litigation_after_review", "复议后起诉"))
REVIEW_MEASURES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                   ("pending", "尚未审结"), ("total", "总计"))

# table 二: blocks of (caption, [(column key, header)], [(row key, label)])
ACTIVE_BLOCKS = {
    "gov2021": (
        ("第二十条第（一）项", (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
         (("regulations", "规章"), ("normative_documents", "行政规范性文件"))),
        ("第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("admin_licensing", "行政许可"),)),
        ("第二十条第（六）项", (("decisions", "本年处理决定数量"),),
         (("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制"))),
        ("第二十条第（八）项", (("fee_amount", "本年收费金额（单位：万元）"),), (("admin_fees", "行政事业性收费"),)),
    ),
    "gov2019": (
        ("第二十条第（一）项", (("newly_made", "本年新制作数量"), ("newly_published", "本年新公开数量"),
                              ("total_published", "对外公开总数量")),
         (("regulations", "规章"), ("normative_documents", "规范性文件"))),
        ("第二十条第（五）项", (("prev_year_items", "上一年项目数量"), ("change_this_year", "本年增/减"),
                              ("decisions", "处理决定数量")),
         (("admin_licensing", "行政许可"), ("other_admin_services", "其他对外管理服务事项"))),
        ("第二十条第（六）项", (("prev_year_items", "上一年项目数量"), ("change_this_year", "本年增/减"),
                              ("decisions", "处理决定数量")),
         (("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制"))),
        ("第二十条第（八）项", (("prev_year_items", "上一年项目数量"), ("change_this_year", "本年增/减")),
         (("admin_fees", "行政事业性收费"),)),
        ("第二十条第（九）项", (("procurement_items", "采购项目数量"), ("procurement_amount", "采购总金额")),
         (("centralized_procurement", "政府集中采购"),)),
    ),
}
ACTIVE_WIDTH = 3  # value columns of table 二's grid

# Fujian-style legacy 附表 (spec §3.1, 洛江区 2018): (key, label, unit)
LEGACY_ROWS = (
    ("proactive_total", "主动公开文件数", "条"), ("proactive_website", "其中：1.政府网站公开数", "条"),
    ("proactive_gazette", "2.政府公报公开数", "条"), ("apps_total", "受理政府信息公开申请总数", "条"),
    ("apps_in_person", "其中：1.当面申请数", "条"), ("apps_online", "2.网上申请数", "条"),
    ("apps_letter_fax", "3.信函、传真申请数", "条"), ("replies_total", "对申请的答复总数", "条"),
    ("reply_granted", "其中：1.同意公开答复数", "条"), ("reply_partial", "2.同意部分公开答复数", "条"),
    ("reply_denied", "3.不予公开答复数", "条"), ("reply_other", "4.其他类型答复数", "条"),
    ("appeals_reports", "接受行政申诉、举报数", "件"), ("admin_review", "行政复议数", "件"),
    ("admin_litigation", "行政诉讼数", "件"),
)
LEGACY_CHANNELS = ("apps_in_person", "apps_online", "apps_letter_fax")
LEGACY_REPLIES = ("reply_granted", "reply_partial", "reply_denied", "reply_other")

SECTION_HEADINGS = {
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
# header words real copies print in place of the template's (the "unfamiliar header words" damage)
UNFAMILIAR_HEADERS = {"信息内容": "公开内容", "本年制发件数": "本年制发数", "现行有效件数": "现行有效数",
                      "申请人情况": "申请主体情况", "法人或其他组织": "法人和其他组织", "总计": "合计",
                      "本年处理决定数量": "处理决定数量", "指标名称": "统计指标", "单位": "计量单位"}

LAYOUTS = ("cell_per_line", "tab_rows", "space_rows", "pipe_rows", "markdown", "html", "pdf_text", "glued")
DAMAGES = ("heading_typo", "heading_split", "heading_missing", "header_words", "blank_table", "reorder",
           "table_lost", "fullwidth_digits", "traditional", "thousands", "unbalanced")
PLACEHOLDERS = ("—", "——", "————", "/", "无", "-")
BLANK_LOSING_LAYOUTS = ("space_rows", "pdf_text", "glued")  # an empty cell leaves no trace there
PDF_WRAP = 14  # characters of a label on the first PDF line (r002's text layer wraps near there)
PDF_PAGE_EVERY = 28  # lines between two page-number lines in PDF text
TEMPLATE_SHARE = {"gov2021": 0.55, "gov2019": 0.25, "legacy": 0.20}

# ---------------------------------------------------------------------------------------------- values

Cell = tuple[Any, str]  # (gold value, printed text)


def _count(rng: random.Random, scale: int, zero_share: float) -> int:
    """A count: zero with probability ``zero_share``, else a long-tailed positive number up to ~scale."""
    if rng.random() < zero_share:
        return 0
    return max(1, int(rng.paretovariate(1.2) * scale / 8)) if scale > 8 else rng.randint(1, max(1, scale))


def _applications(rng: random.Random, template: str) -> dict[str, dict[str, int]]:
    """Table 三 with every printed identity holding (I-A3-1, I-A3-2, I-A3-3)."""
    rows = APPLICATION_ROWS[template]
    leaves = [key for key, *_ in rows if key not in ("new_received", "carried_over", "results_total", "carry_to_next")]
    scale = rng.choice((3, 12, 60, 400, 3000))
    columns = [key for key, _ in APPLICANT_COLUMNS[:-1]]
    table: dict[str, dict[str, int]] = {key: {} for key, *_ in rows}
    for col in columns:
        col_scale = scale if col == "natural_person" else max(1, scale // rng.choice((4, 10, 40)))
        active = 0.9 if col == "natural_person" else rng.choice((0.05, 0.2, 0.5))
        for leaf in leaves:
            table[leaf][col] = _count(rng, col_scale, 1 - active * rng.choice((0.3, 0.7, 1.0)))
        results = sum(table[leaf][col] for leaf in leaves)
        carried = _count(rng, max(1, col_scale // 10), 0.7)
        carry_next = _count(rng, max(1, col_scale // 10), 0.7)
        new = results + carry_next - carried
        if new < 0:
            carry_next, new = carry_next - new, 0
        table["new_received"][col], table["carried_over"][col] = new, carried
        table["results_total"][col], table["carry_to_next"][col] = results, carry_next
    for row in table.values():
        row["total"] = sum(row[col] for col in columns)
    return table


def _review(rng: random.Random) -> dict[str, dict[str, int]]:
    """Table 四: one row, every group's total the sum of its four measures."""
    cases: dict[str, int] = {}
    scale = rng.choice((2, 5, 30))
    for group, _ in REVIEW_GROUPS:
        parts = [_count(rng, scale, 0.7) for _ in REVIEW_MEASURES[:-1]]
        for (measure, _), value in zip(REVIEW_MEASURES, parts + [sum(parts)]):
            cases[f"{group}_{measure}"] = value
    return {"cases": cases}


def _active(rng: random.Random, template: str) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for _, columns, rows in ACTIVE_BLOCKS[template]:
        for row, _ in rows:
            values: dict[str, Any] = {}
            for col, _ in columns:
                if col == "change_this_year":
                    values[col] = rng.choice((0, 0, rng.randint(1, 50), -rng.randint(1, 30)))
                elif col in ("fee_amount", "procurement_amount"):
                    values[col] = rng.choice((0, rng.randint(1, 9000), round(rng.uniform(0.5, 900), 2)))
                elif col == "decisions":
                    values[col] = _count(rng, rng.choice((20, 800, 40000)), 0.3)
                else:
                    values[col] = _count(rng, 40, 0.4)
            if "in_force" in values:  # documents in force include this year's
                values["in_force"] += values["issued"]
            table[row] = values
    return table


def _legacy(rng: random.Random) -> dict[str, dict[str, Any]]:
    """The Fujian 附表: channel and reply sums hold, cumulative ≥ current."""
    current = {key: _count(rng, 60, 0.4) for key, _, _ in LEGACY_ROWS}
    current["proactive_total"] = max(current["proactive_total"], current["proactive_website"])
    current["apps_total"] = sum(current[k] for k in LEGACY_CHANNELS)
    current["replies_total"] = sum(current[k] for k in LEGACY_REPLIES)
    cumulative = {key: value + _count(rng, 300, 0.3) for key, value in current.items()}
    cumulative["apps_total"] = sum(cumulative[k] for k in LEGACY_CHANNELS)
    cumulative["replies_total"] = sum(cumulative[k] for k in LEGACY_REPLIES)
    return {key: {"unit": unit, "current": current[key], "cumulative": cumulative[key]}
            for key, _, unit in LEGACY_ROWS}


def _balanced(tables: dict[str, dict[str, dict[str, Any]]], template: str) -> dict[str, bool]:
    """The gold's ``balanced`` flags: blank addends count 0, an identity with a blank total is skipped."""
    def v(x: Any) -> float:
        return x or 0

    out: dict[str, bool] = {}
    if (apps := tables.get("applications")) is not None:
        ok = True
        leaves = [k for k, *_ in APPLICATION_ROWS[template]
                  if k not in ("new_received", "carried_over", "results_total", "carry_to_next")]
        for col, _ in APPLICANT_COLUMNS:
            if apps["results_total"][col] is not None:
                ok &= sum(v(apps[r][col]) for r in leaves) == apps["results_total"][col]
            ok &= v(apps["new_received"][col]) + v(apps["carried_over"][col]) == \
                v(apps["results_total"][col]) + v(apps["carry_to_next"][col])
        for row in apps.values():
            if row["total"] is not None:
                ok &= sum(v(row[c]) for c, _ in APPLICANT_COLUMNS[:-1]) == row["total"]
        out["applications"] = bool(ok)
    if (review := tables.get("review_litigation")) is not None:
        cases = review["cases"]
        out["review_litigation"] = all(
            cases[f"{g}_total"] is None or sum(v(cases[f"{g}_{m}"]) for m, _ in REVIEW_MEASURES[:-1]) == cases[f"{g}_total"]
            for g, _ in REVIEW_GROUPS)
    if (legacy := tables.get("legacy_indicators")) is not None:
        out["legacy_indicators"] = all(
            legacy[total][col] == sum(v(legacy[k][col]) for k in parts)
            for total, parts in (("apps_total", LEGACY_CHANNELS), ("replies_total", LEGACY_REPLIES))
            for col in ("current", "cumulative"))
    return out

# ---------------------------------------------------------------------------------------------- printing


@dataclass
class Style:
    """How one report prints its values and labels."""

    zero: str = "0"  # how a zero that is *printed blank* looks: "0" keeps zeros, "" or a placeholder blanks them
    blank_zero_share: float = 0.0
    thousands: bool = False
    fullwidth: bool = False
    halfwidth_punct: bool = False
    header_words: bool = False


@dataclass
class GridCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    value: bool = False


@dataclass
class Table:
    key: str
    rows: list[list[GridCell]] = field(default_factory=list)
    header_rows: int = 0


def _print_value(rng: random.Random, style: Style, value: Any, placeholder_ok: bool) -> tuple[Any, str]:
    """(gold, text) of one printed value cell; a zero may be printed blank or as a placeholder (gold None)."""
    if value is None:
        return None, ""
    if value == 0 and placeholder_ok and rng.random() < style.blank_zero_share:
        return None, style.zero
    if isinstance(value, float):
        text = f"{value:,.2f}" if style.thousands else f"{value:.2f}"
        value = round(value, 2)
    elif style.thousands and abs(value) >= 1000:
        text = f"{value:,d}"
    else:
        text = str(value)
    if style.fullwidth:
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return value, text


def _label(style: Style, text: str) -> str:
    if style.header_words:
        text = UNFAMILIAR_HEADERS.get(text, text)
    return unicodedata.normalize("NFKC", text) if style.halfwidth_punct else text


def _fill(rng: random.Random, style: Style, gold_row: dict[str, Any], col: str, blank: bool) -> GridCell:
    value, text = _print_value(rng, style, None if blank else gold_row[col], True)
    gold_row[col] = value
    if col == "change_this_year" and isinstance(value, int) and value > 0 and rng.random() < 0.5:
        text = "+" + text
    return GridCell(text, value=True)


def _active_grid(rng: random.Random, style: Style, template: str, gold: dict, blank: bool) -> Table:
    table = Table("active_disclosure")
    for caption, columns, rows in ACTIVE_BLOCKS[template]:
        table.rows.append([GridCell(caption, colspan=ACTIVE_WIDTH + 1)])
        span = ACTIVE_WIDTH // len(columns)
        table.rows.append([GridCell(_label(style, "信息内容"))] +
                          [GridCell(_label(style, header), colspan=span) for _, header in columns])
        for row, label in rows:
            cells = [GridCell(_label(style, label))]
            if row == "regulations" and rng.random() < 0.4:  # organs without rule-making power
                placeholder = rng.choice(PLACEHOLDERS + ("",))
                for col, _ in columns:
                    gold[row][col] = None
                cells += [GridCell(placeholder, colspan=span, value=True) for _ in columns]
            else:
                cells += [_fill(rng, style, gold[row], col, blank) for col, _ in columns]
                for cell in cells[1:]:
                    cell.colspan = span
            table.rows.append(cells)
    return table


def _applications_grid(rng: random.Random, style: Style, template: str, gold: dict, blank: bool) -> Table:
    table = Table("applications", header_rows=3)
    org = [_label(style, h) for _, h in APPLICANT_COLUMNS[1:6]]
    table.rows.append([GridCell(_label(style, APPLICATION_NOTE), colspan=3, rowspan=3),
                       GridCell(_label(style, "申请人情况"), colspan=7)])
    table.rows.append([GridCell(_label(style, "自然人"), rowspan=2), GridCell(_label(style, "法人或其他组织"), colspan=5),
                       GridCell(_label(style, "总计"), rowspan=2)])
    table.rows.append([GridCell(h) for h in org])
    rows = APPLICATION_ROWS[template]
    results_span = sum(1 for key, *_ in rows if key not in ("new_received", "carried_over", "carry_to_next"))
    group_sizes: dict[str, int] = {}
    for _, group, _, _ in rows:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    opened: set[str] = set()
    for key, group, label, colspan in rows:
        cells: list[GridCell] = []
        if key == "result_granted":
            cells.append(GridCell(_label(style, RESULTS_GROUP), rowspan=results_span))
        if group and group not in opened:
            opened.add(group)
            cells.append(GridCell(_label(style, group), rowspan=group_sizes[group]))
        cells.append(GridCell(_label(style, label), colspan=colspan))
        cells += [_fill(rng, style, gold[key], col, blank) for col, _ in APPLICANT_COLUMNS]
        table.rows.append(cells)
    return table


def _review_grid(rng: random.Random, style: Style, gold: dict, blank: bool) -> Table:
    table = Table("review_litigation", header_rows=3)
    measures = [_label(style, m) for _, m in REVIEW_MEASURES]
    table.rows.append([GridCell("行政复议", colspan=5), GridCell("行政诉讼", colspan=10)])
    table.rows.append([GridCell(m, rowspan=2) for m in measures] +
                      [GridCell(REVIEW_GROUPS[1][1], colspan=5), GridCell(REVIEW_GROUPS[2][1], colspan=5)])
    table.rows.append([GridCell(m) for m in measures * 2])
    cases = gold["cases"]
    table.rows.append([_fill(rng, style, cases, f"{g}_{m}", blank) for g, _ in REVIEW_GROUPS for m, _ in REVIEW_MEASURES])
    return table


def _legacy_grid(rng: random.Random, style: Style, year: int, gold: dict, labels: dict, blank: bool) -> Table:
    table = Table("legacy_indicators", header_rows=1)
    current_header = rng.choice((f"{year}年", f"{year}年度", "本年"))
    table.rows.append([GridCell(_label(style, "指标名称")), GridCell(_label(style, "单位")),
                       GridCell(current_header), GridCell("历年累计")])
    for key, label, unit in LEGACY_ROWS:
        printed = _label(style, label)
        labels[f"legacy_indicators.{key}"] = printed
        table.rows.append([GridCell(printed), GridCell(unit)] +
                          [_fill(rng, style, gold[key], col, blank) for col in ("current", "cumulative")])
    return table

# ---------------------------------------------------------------------------------------------- layouts


def _cells_text(row: list[GridCell], blank_mark: str, span_fillers: bool = False) -> list[str]:
    """The printed texts of a grid row; ``span_fillers`` adds the empty cells a merged cell leaves (seed004)."""
    texts = [c.text if (c.text or not c.value) else blank_mark for c in row]
    if span_fillers:  # at the row's end, as seed004's pipe rows and r014's Markdown print them
        texts += [""] * sum(c.colspan - 1 for c in row)
    return texts


def _render_lines(table: Table, layout: str, rng: random.Random) -> list[str]:
    """The text lines of one table in a text layout."""
    blank_mark = "—" if layout in BLANK_LOSING_LAYOUTS else ""
    lines: list[str] = []
    for i, row in enumerate(table.rows):
        cells = _cells_text(row, blank_mark, span_fillers=layout in ("pipe_rows", "markdown"))
        if layout == "cell_per_line":
            lines += cells
        elif layout == "tab_rows":
            lines.append("\t".join(cells))
        elif layout == "space_rows":
            lines.append(" ".join(cells))
        elif layout == "pipe_rows":
            lines.append(" | ".join(cells) + " |")
        elif layout == "markdown":
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * len(cells))
        elif layout == "pdf_text":
            label = cells[0] if not row[0].value else ""
            if len(label) > PDF_WRAP and len(cells) > 1:
                lines.append(" ".join([label[:PDF_WRAP]] + cells[1:]))
                lines.append(label[PDF_WRAP:])
            else:
                lines.append(" ".join(cells))
    return lines


def _html_table(table: Table) -> str:
    def td(c: GridCell) -> str:
        span = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
        return f"<td{span}><p>{c.text or '&nbsp;'}</p></td>"
    return "<table border=\"1\"><tbody>" + "".join(
        "<tr>" + "".join(td(c) for c in row) + "</tr>" for row in table.rows) + "</tbody></table>"

# ---------------------------------------------------------------------------------------------- documents

AGENCIES = ("市人力资源和社会保障局", "区自然资源局", "县交通运输局", "市生态环境局", "区教育局", "县人民政府办公室",
            "市住房和城乡建设局", "区卫生健康委员会", "镇人民政府", "市市场监督管理局")
PLACES = ("安州", "洛江", "静安", "定海", "平潭", "怀化", "宁国", "莆田", "定西", "江岸")


def _narrative(rng: random.Random, year: int, tables: dict) -> dict[str, str]:
    """Prose sections with numbers of their own (which must never leak into a table)."""
    new_total = tables.get("applications", {}).get("new_received", {}).get("total")
    return {
        "一": f"一、总体情况\n{year}年，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息"
              f"{rng.randint(10, 900)}条，更新政务公开专栏{rng.randint(2, 40)}次，"
              f"全年共收到政府信息公开申请{new_total if new_total is not None else rng.randint(0, 30)}件，"
              f"召开新闻发布会{rng.randint(1, 9)}场。",
        "五": "五、存在的主要问题及改进情况\n一是公开内容的深度有待加强；二是政策解读形式较为单一。"
              f"{year + 1}年，我单位将进一步完善工作机制，开展培训{rng.randint(1, 6)}次。",
        "六": f"六、其他需要报告的事项\n本年度收取信息处理费{rng.choice((0, 0, 120))}元。",
    }


def _typo(rng: random.Random, heading: str) -> str:
    """One wrong, missing or extra character in the title part of a heading (its numeral kept)."""
    pos = rng.randrange(2, len(heading))
    op = rng.choice(("drop", "swap", "extra"))
    if op == "drop":
        return heading[:pos] + heading[pos + 1:]
    if op == "swap":
        return heading[:pos] + rng.choice("的和及与") + heading[pos + 1:]
    return heading[:pos] + rng.choice("的等") + heading[pos:]


def build_report(rng: random.Random, report_id: str) -> tuple[str, str, dict[str, Any]]:
    """One report: (file extension, text, gold)."""
    template = rng.choices(list(TEMPLATE_SHARE), weights=list(TEMPLATE_SHARE.values()))[0]
    year = {"gov2021": rng.randint(2021, 2025), "gov2019": rng.choice((2019, 2020)), "legacy": rng.randint(2009, 2018)}[template]
    layout = rng.choice(LAYOUTS)
    damages = sorted(set(rng.sample(DAMAGES, rng.choice((0, 1, 1, 2)))))
    style = Style(zero=rng.choice(("", "—", "/")), blank_zero_share=rng.choice((0.0, 0.0, 0.3, 1.0)),
                  thousands="thousands" in damages, fullwidth="fullwidth_digits" in damages,
                  halfwidth_punct=rng.random() < 0.3, header_words="header_words" in damages)
    if style.zero == "" and layout in BLANK_LOSING_LAYOUTS:
        style.zero = "—"
    if template == "legacy":
        values: dict[str, Any] = {"legacy_indicators": _legacy(rng)}
        order = ["legacy_indicators"]
    else:
        values = {"active_disclosure": _active(rng, template), "applications": _applications(rng, template),
                  "review_litigation": _review(rng)}
        order = list(values)
    if "unbalanced" in damages and "applications" in values:
        row = rng.choice(["result_granted", "unable_not_held", "new_received"])
        values["applications"][row]["natural_person"] += 1
    if "reorder" in damages and len(order) > 1:
        shift = rng.randrange(1, len(order))
        order = order[shift:] + order[:shift]
    blank_table = rng.choice(order) if "blank_table" in damages else None
    lost = rng.choice(order) if "table_lost" in damages and len(order) > 1 else None
    missing_heading = rng.choice(order) if "heading_missing" in damages else None
    labels: dict[str, str] = {}
    grids: dict[str, Table] = {}
    for key in order:
        blank = key == blank_table
        if key == "active_disclosure":
            grids[key] = _active_grid(rng, style, template, values[key], blank)
        elif key == "applications":
            grids[key] = _applications_grid(rng, style, template, values[key], blank)
        elif key == "review_litigation":
            grids[key] = _review_grid(rng, style, values[key], blank)
        else:
            grids[key] = _legacy_grid(rng, style, year, values[key], labels, blank)
    agency = rng.choice(PLACES) + rng.choice(AGENCIES)
    prose = _narrative(rng, year, values)
    blocks: list[tuple[str, Any]] = [("p", f"{agency}{year}年政府信息公开工作年度报告"), ("p", prose["一"])]
    for key in order:
        heading = SECTION_HEADINGS.get(key, "附表：政府信息公开情况统计表")
        if "heading_typo" in damages and rng.random() < 0.6:
            heading = _typo(rng, heading)
        if key != missing_heading:
            if "heading_split" in damages and rng.random() < 0.6:
                cut = rng.randrange(3, len(heading) - 1)
                blocks += [("p", heading[:cut]), ("p", heading[cut:])]
            else:
                blocks.append(("p", heading))
        if key != lost:
            blocks.append(("table", grids[key]))
    blocks += [("p", prose["五"]), ("p", prose["六"])]
    tables = {key: values[key] for key in order if key != lost}
    ext, text = _render_document(blocks, layout, rng)
    if "traditional" in damages:
        import opencc  # an optional dependency of gxparse (normalize.py uses it the other way round)
        text = opencc.OpenCC("s2t").convert(text)
    gold = {"id": report_id, "input": f"{report_id}.{ext}", "template": template, "complete": True,
            "tables": tables, "balanced": _balanced(tables, template), "uncertain": [],
            "layout": layout, "variants": damages, "generator": "scripts/alt_reports.py"}
    if labels and lost != "legacy_indicators":
        gold["labels"] = labels
    return ext, text, gold


def _render_document(blocks: list[tuple[str, Any]], layout: str, rng: random.Random) -> tuple[str, str]:
    if layout == "html":
        body = "".join(f"<p>{b}</p>".replace("\n", "</p><p>") if kind == "p" else _html_table(b) for kind, b in blocks)
        return "html", f"<html><body>{body}</body></html>\n"
    if layout == "glued":
        parts = ["".join(b.split("\n")) if kind == "p" else
                 "".join("".join(_cells_text(row, "—")) for row in b.rows) for kind, b in blocks]
        return "txt", "\n".join(parts) + "\n"
    lines: list[str] = []
    for kind, b in blocks:
        lines += b.split("\n") if kind == "p" else _render_lines(b, layout, rng)
    if layout == "pdf_text":
        page, out = 1, []
        for i, line in enumerate(lines):
            out.append(line)
            if i and i % PDF_PAGE_EVERY == 0:
                page += 1
                out.append(f"- {page} -")
        lines = out
    return ("md" if layout == "markdown" else "txt"), "\n".join(lines) + "\n"


def write_corpus(out_dir: Path, n: int, seed: int) -> list[Path]:
    """Write ``n`` reports and their gold into ``out_dir``; returns the gold paths."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        report_id = f"alt-{seed}-{i:03d}"
        ext, text, gold = build_report(rng, report_id)
        (out_dir / f"{report_id}.{ext}").write_text(text, encoding="utf-8")
        path = out_dir / f"{report_id}.json"
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", type=int, default=200, help="number of reports")
    parser.add_argument("--seed", type=int, required=True,
                        help="random seed (the reports are a function of it: keep one unseen for evaluation)")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out_dir, args.n, args.seed)
    print(f"{len(paths)} reports with gold in {args.out_dir}")


if __name__ == "__main__":
    main()
