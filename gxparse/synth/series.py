"""Agency series: consecutive synthetic reports of one agency, linked across years (issue 13 item 5).

A real collection holds several years of the same agency, and consecutive reports are tied by
identities no single report can check: this year's 上年结转 row is last year's 结转下年度 row, the
行政规范性文件 in force follow last year's plus issued minus repealed, legacy cumulative figures
never decrease. :func:`make_series` writes such series, with the agency's name printed in varied
forms from year to year (short forms, traditional script) and prose that restates key figures, so
agency grouping, cross-year checks and narrative facts can be trained and measured.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gxparse.synth.corpus import balanced, layout_choices, report_extension
from gxparse.synth.render import RenderedReport, render
from gxparse.synth.values import blank_zeros, keep_links_numeric, random_legacy_tables, random_tables
from gxparse.synth.variants import draw_variants, traditional

# (full name, short form) of departments; the short form is what many reports print in some years
_DEPARTMENTS = (
    ("人力资源和社会保障局", "人社局"), ("卫生健康委员会", "卫健委"), ("市场监督管理局", "市场监管局"),
    ("住房和城乡建设局", "住建局"), ("发展和改革委员会", "发改委"), ("自然资源和规划局", "自然资源规划局"),
    ("交通运输局", "交通局"), ("人民政府办公室", "政府办公室"), ("生态环境局", "生态环境局"), ("财政局", "财政局"),
    ("教育局", "教育局"), ("人民政府", "人民政府"),
)
_PLACES = ("绵阳市安州区", "湖北省", "上海市静安区", "淮安市洪泽区", "杭州市西湖区", "宁国市", "怀化市鹤城区",
           "泉州市洛江区", "定西市安定区", "成都市武侯区", "佛山市南海区", "南京市江宁区")
# zones run by a 管理委员会, printed as 管委会 in some years
_ZONES = ("平潭综合实验区", "苏州工业园区", "合肥高新技术产业开发区", "天津经济技术开发区", "西咸新区沣东新城")
_P_SHORT = 0.35  # a report prints the short form of the agency's name
_P_TRADITIONAL_NAME = 0.12  # a report prints the agency's name in traditional script
_P_PREFERRED_LAYOUT = 0.6  # a report keeps its agency's usual layout
_P_TRADITIONAL_REPORT = 0.08
_GLUED = {"gov": "glued", "legacy": "legacy_glued"}
_GLUED_EVERY = 3  # every third agency prints glued as its usual layout (the layouts cross-year links help most)
_LINK_BREAKING = {"blank_table", "blank_rows", "starts_in_table", "excerpt_one_table"}
_SERIES_START = (2010, 2026)  # years a drawn series may cover: legacy 2010–2018, gov2019 2019–20, gov2021 2021–25
SERIES_STREAM = 2  # variants of a series report come from the generator (seed, agency, year, 2)


def template_for_year(year: int) -> str:
    """The template a report of ``year`` follows: legacy until 2018, gov2019 for 2019–2020, then gov2021."""
    return "legacy" if year <= 2018 else "gov2019" if year <= 2020 else "gov2021"


def draw_agency(rng: np.random.Generator) -> tuple[str, str]:
    """An agency's canonical name and the short form of it (equal when it has none)."""
    if rng.random() < 0.2:
        zone = str(rng.choice(_ZONES))
        return zone + "管理委员会", zone + "管委会"
    place = str(rng.choice(_PLACES))
    full, short = _DEPARTMENTS[int(rng.integers(len(_DEPARTMENTS)))]
    return place + full, place + short


_MAX_DRAWS = 50
"""Draws of an agency name before a series accepts one another series has (the names run out)."""


def _distinct_agency(rng: np.random.Generator, drawn: set[str]) -> tuple[str, str]:
    """An agency no earlier series of the set has: two agencies of one name would be grouped as one."""
    for _ in range(_MAX_DRAWS):
        agency, short = draw_agency(rng)
        if agency not in drawn:
            break
    drawn.add(agency)
    return agency, short


def printed_agency(full: str, short: str, rng: np.random.Generator) -> str:
    """The agency's name as one report prints it: full or short form, sometimes in traditional script."""
    name = short if rng.random() < _P_SHORT else full
    return traditional(name) if rng.random() < _P_TRADITIONAL_NAME else name


def _years(years: int | Sequence[int], rng: np.random.Generator) -> list[int]:
    if isinstance(years, int):
        if not 1 <= years <= _SERIES_START[1] - _SERIES_START[0]:
            raise ValueError(f"a series covers 1..{_SERIES_START[1] - _SERIES_START[0]} years, not {years}")
        start = int(rng.integers(_SERIES_START[0], _SERIES_START[1] - years + 1))
        return list(range(start, start + years))
    listed = [int(y) for y in years]
    if not listed or listed != list(range(listed[0], listed[0] + len(listed))):
        raise ValueError(f"years must be consecutive, not {listed}")
    return listed


def _draw_tables(template_id: str, layout: str, previous: dict[str, Any] | None, rng: np.random.Generator) -> dict[str, Any]:
    if template_id == "legacy":
        return random_legacy_tables(rng, previous=previous)
    alternative = template_id == "gov2021" and rng.random() < 0.15
    tables = random_tables(template_id, rng, other_handling_row=alternative, previous=previous or {})
    if layout in ("cell_per_line_blank", "html") and rng.random() < 0.35:
        blank_zeros(tables, rng)
        keep_links_numeric(tables)
    return tables


def _layout(family: list[str], preferred: str, rng: np.random.Generator) -> str:
    if preferred in family and rng.random() < _P_PREFERRED_LAYOUT:
        return preferred
    return family[int(rng.integers(len(family)))]


def _gold(stem: str, path: Path, template_id: str, report: RenderedReport, agency: str, printed: str,
          note: str) -> dict[str, Any]:
    return {"id": stem, "input": path.name, "template": template_id, "complete": report.complete,
            "layout": report.layout, "script": report.script, "variants": list(report.variants),
            "agency": agency, "agency_printed": printed, "report_year": report.year, "facts": report.facts,
            "tables": report.tables, **({"labels": report.labels} if report.labels else {}),
            "balanced": balanced(template_id, report.tables), "uncertain": [], "notes": note}


def make_series(out_dir: str | Path, n_agencies: int, years: int | Sequence[int], seed: int, *,
                layouts: Iterable[str] | None = None, variants: float | str = "none") -> list[Path]:
    """Write ``n_agencies`` series of consecutive synthetic reports, with gold, to ``out_dir``.

    Report ``ser-<seed>-<agency>-<year>`` (``.txt``, ``.html`` or ``.md``) sits beside its gold
    JSON: the corpus gold format (as :func:`~gxparse.synth.make_corpus` writes it) plus
    ``agency`` (canonical name, the grouping key; distinct between the series while the drawn names
    last), ``agency_printed`` (the form this report prints),
    ``report_year`` and ``facts`` (``{key: number}``, only the figures this report's prose states).
    Within a series, this year's ``applications.carried_over`` equals last year's
    ``applications.carry_to_next`` per column, gov2021 ``regulations`` and ``normative_documents``
    ``in_force`` equal last year's in force + issued − repealed (when last year was gov2021), and legacy cumulative figures
    are last year's plus this year's. The template follows the year (legacy until 2018, gov2019 for
    2019–2020, gov2021 after), so a series can cross generations.

    Parameters
    ----------
    out_dir:
        Created if missing.
    n_agencies, seed:
        Number of series and the seed; agency ``a`` draws from generators seeded with
        ``(seed, a, …)``, so the same arguments write the same bytes.
    years:
        The consecutive years of every series, or how many (each agency then draws its first year).
    layouts:
        Layouts to draw from (default all); every third agency prints its usual layout glued
        (``glued`` / ``legacy_glued``) when that layout is allowed.
    variants:
        As in :func:`~gxparse.synth.make_corpus` (default ``"none"``); variants that blank or cut
        tables are left out so the cross-year links hold as printed.

    Returns
    -------
    list of Path
        The report files written, agency by agency, year by year.
    """
    if n_agencies < 0:
        raise ValueError("n_agencies must be ≥ 0")
    choices = layout_choices(("gov2021", "gov2019", "legacy"), layouts, strict=False)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    drawn: set[str] = set()
    for a in range(n_agencies):
        rng = np.random.default_rng([seed, a])
        agency, short = _distinct_agency(rng, drawn)
        series_years = _years(years, rng)
        missing = {template_for_year(y) for y in series_years} - set(choices)
        if missing:
            raise ValueError(f"no allowed layout renders {sorted(missing)} (years {series_years})")
        preferred = {family: (_GLUED[family] if a % _GLUED_EVERY == 0 else "") for family in _GLUED}
        previous: dict[str, Any] | None = None
        for year in series_years:
            year_rng = np.random.default_rng([seed, a, year])
            template_id = template_for_year(year)
            family = "legacy" if template_id == "legacy" else "gov"
            layout = _layout(choices[template_id], preferred[family], year_rng)
            tables = _draw_tables(template_id, layout, previous, year_rng)
            script = "traditional" if year_rng.random() < _P_TRADITIONAL_REPORT else "simplified"
            names = draw_variants(template_id, np.random.default_rng([seed, a, year, SERIES_STREAM]), variants, script)
            names = tuple(n for n in names if n not in _LINK_BREAKING)
            printed = printed_agency(agency, short, year_rng)
            report = render(template_id, tables, layout, year_rng, script=script, variants=names, year=year,
                            agency=printed, state_facts=True)
            stem = f"ser-{seed}-{a:02d}-{year}"
            path = out / (stem + report_extension(layout))
            path.write_text(report.text, encoding="utf-8", newline="")
            note = f"synthetic agency series (gxparse.synth, seed {seed}, agency {a}, {year}): {layout}, {script}"
            gold = _gold(stem, path, template_id, report, agency, printed, note)
            (out / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8",
                                              newline="")
            paths.append(path)
            previous = report.tables
    return paths
