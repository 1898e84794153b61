"""Cross-year links: consecutive reports of one agency checked against each other.

No single report can check that this year's 上年结转 is last year's 结转下年度, or that this year's
现行有效 规范性文件 follow from last year's plus what was issued and repealed. :func:`link` groups
a collection of reports by agency (names normalised by :func:`agency_key`: NFKC, simplified
script, no punctuation, and the long/short forms of ``agency_aliases.json`` such as
管理委员会/管委会 or 人力资源和社会保障局/人社局), orders each group by report year and evaluates,
for every pair of consecutive years (N−1, N):

``Y-A3-5``
    ``applications.carried_over[c](N) = applications.carry_to_next[c](N−1)`` per applicant column
    (spec I-A3-5; also across a gov2019 → gov2021 change).
``Y-A2-1``
    ``in_force(N) = in_force(N−1) + issued(N) − repealed(N)`` for ``regulations`` and
    ``normative_documents`` (spec I-A2-1; soft: expiry and re-counting violate it legitimately).
``Y-C1-cumulative``
    a legacy ``cumulative`` (历年累计) figure does not decrease from N−1 to N.

Every check names both sources. All are soft: a failure is a finding, not an error.

Deciding, never writing: where a row's reading is doubtful (the placer kept its alternative
readings, :attr:`gxparse.report.Table.alternatives`) and the row's other side of ``Y-A3-5`` or
``Y-A2-1`` is certain, the identity is tried on every candidate reading of the row's own source;
when it holds for exactly one, that reading is chosen and its cells flagged ``cross_year``.
Otherwise nothing changes. A value never comes from another report.

In a batch, :class:`BatchLinker` does the same over results that stream by: what linking reads is
kept of every result (:func:`report_from_data`), the results a link may decide
(:func:`may_decide`) are held back with their :class:`Report` until the batch ends, and
:meth:`BatchLinker.finish` links them all (:func:`gxparse.batch.parse_many` uses it).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from gxparse.normalize import to_simplified
from gxparse.place import DOUBTFUL_CONFIDENCE
from gxparse.report import Cell, Report, Table
from gxparse.template import get_template
from gxparse.validate import check_table

LinkStatus = Literal["pass", "fail", "not_assessable"]
IN_FORCE_ROWS = ("regulations", "normative_documents")
CROSS_YEAR_FLAG = "cross_year"
_NAME_NOISE = re.compile(r"[\s\"'“”‘’「」『』()\[\]（）《》<>〈〉·•.,，、:：;；-]")


@cache
def _aliases() -> tuple[tuple[str, str], ...]:
    data = json.loads(resources.files("gxparse").joinpath("agency_aliases.json").read_text(encoding="utf-8"))
    return tuple(sorted(data["aliases"].items(), key=lambda kv: -len(kv[0])))


def agency_key(name: str | None) -> str | None:
    """The grouping key of an agency name: two spellings of one agency give the same key.

    Examples
    --------
    >>> agency_key("平潭综合实验区管理委员会办公室") == agency_key("平潭综合實驗區管委會辦公室")
    True
    >>> agency_key("绵阳市安州区人力资源和社会保障局")
    '绵阳市安州区人社局'
    """
    if not name:
        return None
    key = _NAME_NOISE.sub("", to_simplified(unicodedata.normalize("NFKC", name)))
    for long, short in _aliases():
        key = key.replace(long, short)
    return key or None


@dataclass(frozen=True)
class LinkCheck:
    """One cross-year identity instance between two reports of one agency."""

    id: str
    agency_key: str
    scope: str
    status: LinkStatus
    earlier: str | None
    later: str | None
    earlier_year: int
    later_year: int
    left: float | None
    right: float | None
    cells: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the check as plain data (a ``link_check`` record)."""
        return {"kind": "link_check", "id": self.id, "agency_key": self.agency_key, "scope": self.scope,
                "status": self.status, "earlier": self.earlier, "later": self.later,
                "earlier_year": self.earlier_year, "later_year": self.later_year,
                "left": self.left, "right": self.right, "cells": list(self.cells)}


@dataclass(frozen=True)
class LinkDecision:
    """A doubtful row whose reading a cross-year identity decided."""

    id: str
    agency_key: str
    source: str | None
    year: int
    row: str
    other: str | None
    previous: dict[str, str]
    chosen: dict[str, str]

    @property
    def changed(self) -> bool:
        """Whether the identity chose another reading than the placer had."""
        return self.previous != self.chosen

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as plain data (a ``link_decision`` record; readings as raw text)."""
        return {"kind": "link_decision", "id": self.id, "agency_key": self.agency_key, "source": self.source,
                "year": self.year, "row": self.row, "other": self.other, "previous": self.previous,
                "chosen": self.chosen, "changed": self.changed}


@dataclass
class Links:
    """The result of :func:`link`: agency groups in year order, cross-year checks, decisions."""

    groups: dict[str, list[Report]] = field(default_factory=dict)
    checks: list[LinkCheck] = field(default_factory=list)
    decisions: list[LinkDecision] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """All results as plain dicts: one ``link_group`` per agency, then checks and decisions."""
        groups = [{"kind": "link_group", "agency_key": key, "sources": [r.source for r in reports],
                   "years": [r.meta.get("report_year") for r in reports]} for key, reports in self.groups.items()]
        return groups + [c.to_dict() for c in self.checks] + [d.to_dict() for d in self.decisions]


def link(reports: Iterable[Report], *, decide: bool = True) -> Links:
    """Group ``reports`` by agency, order them by year, decide doubtful rows and run the ``Y-`` checks.

    Reports without an agency or a report year stay unlinked. Each linked report gets
    ``meta["agency_key"]``. With ``decide`` (default) a doubtful row may get another reading of its
    own source (see the module docstring); the report's identity checks are then re-evaluated.
    """
    links = Links()
    for report in reports:
        key = agency_key(report.meta.get("agency"))
        if key is None or not isinstance(report.meta.get("report_year"), int):
            continue
        report.meta["agency_key"] = key
        links.groups.setdefault(key, []).append(report)
    for key, group in links.groups.items():
        group.sort(key=lambda r: (r.meta["report_year"], r.source or ""))
        pairs = [(a, b) for a in group for b in group if b.meta["report_year"] - a.meta["report_year"] == 1]
        if decide:
            for earlier, later in pairs:
                links.decisions.extend(_decide_pair(key, earlier, later))
        for earlier, later in pairs:
            links.checks.extend(_carry_checks(key, earlier, later))
            links.checks.extend(_in_force_checks(key, earlier, later))
        for earlier, later in zip(group, group[1:]):
            links.checks.extend(_cumulative_checks(key, earlier, later))
    return links


def _value(report: Report, table: str, row: str, col: str) -> float | None:
    cell = report.tables.get(table, Table(table, {})).rows.get(row, {}).get(col)
    return float(cell.value) if cell is not None and isinstance(cell.value, (int, float)) else None


def _check(ident: str, key: str, scope: str, earlier: Report, later: Report, left: float | None,
           right: float | None, cells: Sequence[str], *, relation: str = "eq") -> LinkCheck:
    if left is None or right is None:
        status: LinkStatus = "not_assessable"
    elif relation == "le":
        status = "pass" if left <= right + 1e-6 else "fail"
    else:
        status = "pass" if math.isclose(left, right, abs_tol=1e-6) else "fail"
    return LinkCheck(ident, key, scope, status, earlier.source, later.source, earlier.meta["report_year"],
                     later.meta["report_year"], left, right, tuple(cells))


def _carry_checks(key: str, earlier: Report, later: Report) -> list[LinkCheck]:
    before = earlier.tables.get("applications")
    after = later.tables.get("applications")
    if before is None or after is None or "carry_to_next" not in before.rows or "carried_over" not in after.rows:
        return []
    cols = [c for c in after.rows["carried_over"] if c in before.rows["carry_to_next"]]
    return [_check("Y-A3-5", key, f"applications.{col}", earlier, later,
                   _value(later, "applications", "carried_over", col), _value(earlier, "applications", "carry_to_next", col),
                   (f"{later.source}#applications.carried_over.{col}", f"{earlier.source}#applications.carry_to_next.{col}"))
            for col in cols]


def _in_force_expected(earlier: Report, later: Report, row: str) -> float | None:
    parts = [_value(earlier, "active_disclosure", row, "in_force"), _value(later, "active_disclosure", row, "issued"),
             _value(later, "active_disclosure", row, "repealed")]
    return None if any(p is None for p in parts) else parts[0] + parts[1] - parts[2]  # type: ignore[operator]


def _in_force_checks(key: str, earlier: Report, later: Report) -> list[LinkCheck]:
    checks = []
    for row in IN_FORCE_ROWS:
        rows = [r.tables.get("active_disclosure", Table("", {})).rows.get(row, {}) for r in (earlier, later)]
        if "in_force" not in rows[0] or "in_force" not in rows[1]:
            continue
        checks.append(_check("Y-A2-1", key, f"active_disclosure.{row}", earlier, later,
                             _value(later, "active_disclosure", row, "in_force"), _in_force_expected(earlier, later, row),
                             (f"{later.source}#active_disclosure.{row}.in_force",
                              f"{earlier.source}#active_disclosure.{row}.in_force",
                              f"{later.source}#active_disclosure.{row}.issued",
                              f"{later.source}#active_disclosure.{row}.repealed")))
    return checks


def _cumulative_checks(key: str, earlier: Report, later: Report) -> list[LinkCheck]:
    before = earlier.tables.get("legacy_indicators")
    after = later.tables.get("legacy_indicators")
    if before is None or after is None:
        return []
    return [_check("Y-C1-cumulative", key, f"legacy_indicators.{row}", earlier, later,
                   _value(earlier, "legacy_indicators", row, "cumulative"), _value(later, "legacy_indicators", row, "cumulative"),
                   (f"{earlier.source}#legacy_indicators.{row}.cumulative", f"{later.source}#legacy_indicators.{row}.cumulative"),
                   relation="le")
            for row in after.rows if "cumulative" in after.rows[row] and "cumulative" in before.rows.get(row, {})]


def _readings(table: Table, row: str) -> list[dict[str, Cell]]:
    """The row's current reading followed by its alternatives (empty when the row is not doubtful)."""
    alternatives = table.alternatives.get(row, [])
    return [table.rows[row], *alternatives] if alternatives else []


def _numbers(cells: dict[str, Cell]) -> dict[str, float | None]:
    return {c: float(cell.value) if isinstance(cell.value, (int, float)) else None for c, cell in cells.items()}


def _decide_pair(key: str, earlier: Report, later: Report) -> list[LinkDecision]:
    decisions = []
    before, after = earlier.tables.get("applications"), later.tables.get("applications")
    if before is not None and after is not None and "carry_to_next" in before.rows and "carried_over" in after.rows:
        carried = _numbers(before.rows["carry_to_next"])
        decisions.append(_decide(key, later, "applications", "carried_over", earlier, "Y-A3-5",
                                 lambda v: _same(v, carried)))
        carried_over = _numbers(after.rows["carried_over"])
        decisions.append(_decide(key, earlier, "applications", "carry_to_next", later, "Y-A3-5",
                                 lambda v: _same(v, carried_over)))
    for row in IN_FORCE_ROWS:
        prev_row = earlier.tables.get("active_disclosure", Table("", {})).rows.get(row)
        next_row = later.tables.get("active_disclosure", Table("", {})).rows.get(row)
        if prev_row is None or next_row is None:
            continue
        prev, nxt = _numbers(prev_row), _numbers(next_row)
        decisions.append(_decide(key, later, "active_disclosure", row, earlier, "Y-A2-1",
                                 lambda v: _in_force_holds(prev.get("in_force"), v)))
        decisions.append(_decide(key, earlier, "active_disclosure", row, later, "Y-A2-1",
                                 lambda v: _in_force_holds(v.get("in_force"), nxt)))
    return [d for d in decisions if d is not None]


def _same(values: dict[str, float | None], other: dict[str, float | None]) -> bool | None:
    """True/False when some column has numbers on both sides (all must agree); None when none has."""
    pairs = [(v, other[c]) for c, v in values.items() if c in other and v is not None and other[c] is not None]
    return all(math.isclose(a, b, abs_tol=1e-6) for a, b in pairs) if pairs else None


def _in_force_holds(previous: float | None, row: dict[str, float | None]) -> bool | None:
    parts = (previous, row.get("issued"), row.get("repealed"), row.get("in_force"))
    if any(p is None for p in parts):
        return None
    return math.isclose(parts[3], parts[0] + parts[1] - parts[2], abs_tol=1e-6)  # type: ignore[operator]


def _decide(key: str, report: Report, table_key: str, row: str, other: Report, ident: str,
            holds: Any) -> LinkDecision | None:
    """Choose the one reading of a doubtful row for which ``holds`` is true, if exactly one exists.

    The other side must be certain (not doubtful itself), or the two guesses would decide each other.
    """
    table = report.tables.get(table_key)
    other_table = other.tables.get(table_key)
    if table is None or row not in table.rows:
        return None
    readings = _readings(table, row)
    other_row = {"Y-A3-5": "carry_to_next" if row == "carried_over" else "carried_over"}.get(ident, row)
    if not readings or (other_table is not None and other_table.alternatives.get(other_row)):
        return None
    verdicts = [holds(_numbers(cells)) for cells in readings]
    winners = [i for i, v in enumerate(verdicts) if v]
    if len(winners) != 1:
        return None
    chosen = readings[winners[0]]
    previous = {c: cell.raw for c, cell in table.rows[row].items()}
    table.rows[row] = {c: Cell(cell.value, cell.raw, cell.span, cell.confidence,
                               tuple(f for f in cell.flags if not f.startswith("identity_fail:")) + (CROSS_YEAR_FLAG,))
                       for c, cell in chosen.items()}
    del table.alternatives[row]
    if winners[0] != 0:
        recheck_identities(report, table_key)
    return LinkDecision(ident, key, report.source, report.meta["report_year"], f"{table_key}.{row}", other.source,
                        previous, {c: cell.raw for c, cell in chosen.items()})


def recheck_identities(report: Report, table_key: str) -> None:
    """Re-evaluate the identities of a table whose row changed reading (a cross-year link's, or the
    prose's: :func:`gxparse.facts.choose_by_facts`); re-flag failing cells."""
    if report.template is None:
        return
    spec = get_template(report.template).table(table_key)
    table = report.tables[table_key]
    fresh = check_table(spec, table)
    report.checks = [c for c in report.checks if c.table != table_key or c.id.startswith("N-")] + fresh
    for r, cols in table.rows.items():
        for c, cell in cols.items():
            table.rows[r][c] = Cell(cell.value, cell.raw, cell.span, cell.confidence,
                                    tuple(f for f in cell.flags if not f.startswith("identity_fail:")))
    for check in fresh:
        if check.status != "fail":
            continue
        for address in check.cells:
            _, r, c = address.split(".", 2)
            cell = table.rows[r][c]
            table.rows[r][c] = Cell(cell.value, cell.raw, cell.span, cell.confidence,
                                    cell.flags + (f"identity_fail:{check.id}",))


_LINKED_ROWS = {"applications": ("carried_over", "carry_to_next"), "active_disclosure": IN_FORCE_ROWS}
"""The rows the cross-year checks read (legacy tables are kept whole: their rows are open-ended)."""


def report_from_data(data: dict[str, Any]) -> Report:
    """Rebuild, from :meth:`Report.to_dict` output, the part of a :class:`Report` that linking reads.

    Only the rows the ``Y-`` checks read are kept, so that a batch can hold one per input. Plain
    data has no alternative readings: a row whose cells (``data["cells"]``) include one below
    :data:`~gxparse.place.DOUBTFUL_CONFIDENCE` that no link decided is marked doubtful with its own
    reading as its only one, so that it is never taken for the certain side of a decision.
    """
    provenance = data.get("cells") or {}
    tables = {}
    for key, rows in (data.get("tables") or {}).items():
        wanted = _LINKED_ROWS.get(key)
        table = Table(key, {r: {c: Cell(v, "", None) for c, v in cols.items()}
                            for r, cols in rows.items() if wanted is None or r in wanted})
        for row, cells in table.rows.items():
            if wanted is not None and any(_doubtful(provenance.get(f"{key}.{row}.{col}")) for col in cells):
                table.alternatives[row] = [dict(cells)]
        tables[key] = table
    meta = {k: v for k, v in (data.get("meta") or {}).items() if k in ("agency", "report_year")}
    return Report(data.get("template"), tables, source=data.get("source"), meta=meta)


def _doubtful(cell: dict[str, Any] | None) -> bool:
    """Whether a cell's provenance (``to_dict`` form; ``flags`` a list or joined text) marks it doubtful."""
    if not cell or cell.get("confidence") in (None, ""):
        return False
    return float(cell["confidence"]) < DOUBTFUL_CONFIDENCE and CROSS_YEAR_FLAG not in (cell.get("flags") or ())


MAX_HELD = 2_000
"""Results a batch holds back for a cross-year decision at most (each keeps its whole :class:`Report`):
beyond it, doubtful results pass through undecided, so that memory stays bounded on any collection."""


def may_decide(report: Report) -> bool:
    """Whether a cross-year link may decide one of ``report``'s rows: it has an agency, a report year and
    a doubtful row that the ``Y-A3-5`` or ``Y-A2-1`` identities read."""
    if not report.meta.get("agency") or not isinstance(report.meta.get("report_year"), int):
        return False
    return any(report.tables[key].alternatives.get(row)
               for key, rows in _LINKED_ROWS.items() if key in report.tables for row in rows)


class BatchLinker:
    """Links the results of a batch as they go by, and decides the doubtful rows when the batch ends.

    :meth:`add` keeps, of each result, what linking reads (:func:`report_from_data`) and lets it
    through, except a result whose row a cross-year link may decide (:func:`may_decide`, its
    :class:`Report` at hand): that one is held back. :meth:`finish` links everything seen, applies the
    decisions to the held reports (never to a result already let through: its other side is certain,
    since it had no doubtful linked row) and returns the held results, decided or not; the link records
    are then in :attr:`records`. Results already written by an earlier run (``known``: their plain
    ``to_dict`` data, e.g. read back from a resumed output) take part as certain sides.
    """

    def __init__(self, known: Iterable[dict[str, Any]] = ()) -> None:
        self.reports: list[Report] = []
        self.held: list[Any] = []
        self.records: list[dict[str, Any]] = []
        self.decisions: list[LinkDecision] = []
        for data in known:
            self._keep(data)

    def _keep(self, data: dict[str, Any] | None) -> None:
        meta = (data or {}).get("meta") or {}
        if data and meta.get("agency") and isinstance(meta.get("report_year"), int):
            self.reports.append(report_from_data(data))

    def add(self, result: Any) -> bool:
        """Take a :class:`~gxparse.batch.BatchResult`; ``True`` when it may be written now, ``False`` when held."""
        report = getattr(result, "report", None)
        if report is not None and len(self.held) < MAX_HELD and may_decide(report):
            self.held.append(result)
            return False
        self._keep(getattr(result, "data", None))
        return True

    def finish(self) -> list[Any]:
        """Link all results seen, decide the held reports' doubtful rows, return the held results.

        A held report's :class:`Report` is changed in place where a decision chose a reading (its
        ``meta`` gets no ``agency_key``: the ``links`` records carry the grouping key).
        """
        held_reports = [result.report for result in self.held]
        links = link([*self.reports, *held_reports], decide=True)
        for report in held_reports:
            report.meta.pop("agency_key", None)
        self.records = links.records()
        self.decisions = links.decisions
        held, self.held = self.held, []
        return held

