"""Score one parsed report against its gold annotation, and aggregate the scores of many.

Everything here works on plain data: the gold annotation as read from ``<id>.json`` and the parser
output as :meth:`gxparse.Report.to_dict` returns it, so the metrics can be tested on hand-built
dicts and re-computed from a saved ``--json`` file.

Scoring rules (the contract of the corpus README):

* A gold cell is correct only if the output has it, with the same kind (number, ``None``, text)
  and the same value; numbers compare with a tolerance of ``1e-9`` (``0`` and ``None`` differ).
* Gold cells listed in ``uncertain`` are neither right nor wrong: they are counted apart.
* Output cells the gold does not have are ``extra_cells``; they make their table inexact.
* A wrong cell is a *miss* when the output lacks it: a ``table`` miss when the output has no cell
  of its gold table at all, a ``row`` miss when its table is there but not its row, a ``cell`` miss
  otherwise; a wrong cell the output has is a ``value`` error. Misses are what the locator did not
  find; value errors are what the placer read wrong.
* A report whose parse raised has every gold cell absent (wrong) and its template wrong.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Value = int | float | str | None

THRESHOLDS: tuple[float, ...] = (0.5, 0.9, 0.99)
WARN_CONFIDENCE = 0.9
FLOAT_TOLERANCE = 1e-9
ERROR_KINDS = ("table", "row", "cell", "value")  # see the module docstring, most to least severe
WARN_RULE = "cell absent, or confidence < 0.9, or a flag identity_fail:*"
NO_LINE = "-"
NO_VARIANT = "none"  # the variant group of a report printed without any (gold ``variants`` empty or absent)
LINE_CONTEXT = 40


def _kind(value: Value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "text"


def same_value(gold: Value, got: Value) -> bool:
    """Return True when ``got`` matches ``gold`` exactly: same kind, equal value (floats within 1e-9).

    ``None`` (blank or placeholder) and ``0`` are different answers, in both directions; numbers
    match when they differ by at most :data:`FLOAT_TOLERANCE` (absolute).
    """
    if _kind(gold) != _kind(got):
        return False
    if isinstance(gold, (int, float)) and isinstance(got, (int, float)):
        return abs(gold - got) <= FLOAT_TOLERANCE
    return gold == got


@dataclass(frozen=True)
class CellResult:
    """The outcome of one assessed gold cell.

    ``present`` is False when the output lacks the cell (then ``got``, ``raw`` and
    ``confidence`` are ``None``); ``line`` is the line of the parsed text holding the cell's span
    (at most 40 characters either side of it), or ``"-"`` when the cell has no span.
    """

    report: str
    table: str
    row: str
    col: str
    gold: Value
    got: Value
    present: bool
    correct: bool
    raw: str | None = None
    confidence: float | None = None
    flags: tuple[str, ...] = ()
    line: str = NO_LINE
    miss: str | None = None

    @property
    def address(self) -> str:
        """``table.row.col``."""
        return f"{self.table}.{self.row}.{self.col}"

    @property
    def error_kind(self) -> str | None:
        """``None`` when right; else the miss level (``table``, ``row``, ``cell``) or ``value``."""
        if self.correct:
            return None
        return self.miss or "value"

    @property
    def warned(self) -> bool:
        """True when a user of the output is told to doubt this cell (see :data:`WARN_RULE`)."""
        if not self.present or self.confidence is None or self.confidence < WARN_CONFIDENCE:
            return True
        return any(f.startswith("identity_fail") for f in self.flags)

    def to_dict(self) -> dict[str, Any]:
        """Return the cell outcome as plain data."""
        return {"report": self.report, "address": self.address, "gold": self.gold,
                "got": self.got if self.present else "<absent>", "present": self.present, "correct": self.correct,
                "raw": self.raw, "confidence": self.confidence, "flags": list(self.flags), "line": self.line,
                "error_kind": self.error_kind}


@dataclass
class ReportScore:
    """Everything measured on one report.

    Attributes
    ----------
    cells:
        One :class:`CellResult` per assessed gold cell (uncertain cells excluded).
    uncertain:
        Number of gold addresses listed in ``uncertain``.
    extra_cells:
        Addresses the output has and the gold does not.
    table_exact:
        Per gold table: all its assessed cells correct and no extra cell in it.
    checks:
        Output identity checks by the gold ``balanced`` value of their table (``"true"``,
        ``"false"``, ``"null"``) and status: ``{"true": {"pass": 3, "fail": 0, ...}}``.
    template_clear:
        The output did not warn that its template generation is a guess (``meta["template_clear"]``):
        a wrong template the parser warned about (an excerpt printed alike in both generations) is
        counted wrong all the same, and also counted in the template figures' ``wrong_warned``.
    """

    id: str
    input: str
    set: str
    layout: str
    template_gold: str | None
    template_got: str | None
    error: str | None = None
    cells: list[CellResult] = field(default_factory=list)
    uncertain: int = 0
    extra_cells: list[str] = field(default_factory=list)
    table_exact: dict[str, bool] = field(default_factory=dict)
    checks: dict[str, dict[str, int]] = field(default_factory=dict)
    variants: tuple[str, ...] = ()
    parse_ms: float | None = None
    parse_cpu_ms: float | None = None
    floor_ms: float | None = None
    input_bytes: int = 0
    text_chars: int = 0
    template_clear: bool = True

    @property
    def n_cells(self) -> int:
        """Assessed gold cells."""
        return len(self.cells)

    @property
    def n_correct(self) -> int:
        """Assessed gold cells read right."""
        return sum(c.correct for c in self.cells)

    @property
    def accuracy(self) -> float | None:
        """Cell exact-match accuracy of this report (``None`` when it has no assessed cell)."""
        return self.n_correct / self.n_cells if self.cells else None

    @property
    def template_ok(self) -> bool:
        """The detected template equals the gold one (``None`` = no table); False on error."""
        return self.error is None and self.template_got == self.template_gold

    def summary(self) -> dict[str, Any]:
        """Return the per-report row of the benchmark as plain data (no cell lists)."""
        return {"id": self.id, "input": self.input, "set": self.set, "layout": self.layout,
                "template_gold": self.template_gold, "template_got": self.template_got,
                "template_ok": self.template_ok, "template_clear": self.template_clear, "error": self.error, "cells": self.n_cells,
                "correct": self.n_correct, "wrong": self.n_cells - self.n_correct, "accuracy": self.accuracy,
                "uncertain": self.uncertain, "extra_cells": list(self.extra_cells), "variants": list(self.variants),
                "tables_exact": dict(self.table_exact), "checks": self.checks, "parse_ms": self.parse_ms,
                "parse_cpu_ms": self.parse_cpu_ms, "floor_ms": self.floor_ms, "input_bytes": self.input_bytes, "text_chars": self.text_chars}


def _gold_cells(gold: dict[str, Any]) -> Iterable[tuple[str, str, str, Value]]:
    for table, rows in (gold.get("tables") or {}).items():
        for row, cols in rows.items():
            for col, value in cols.items():
                yield table, row, col, value


def _line_at(text: str | None, starts: list[int], span: Sequence[int] | None) -> str:
    """The line of ``text`` holding ``span``, stripped, cut to :data:`LINE_CONTEXT` characters around it.

    Glued inputs put a whole table on one line; the window keeps the quote readable. ``"-"``
    when there is no span or no text.
    """
    if not text or not span:
        return NO_LINE
    line_start = starts[bisect.bisect_right(starts, span[0]) - 1]
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    lo, hi = max(line_start, span[0] - LINE_CONTEXT), min(line_end, span[1] + LINE_CONTEXT)
    quote = text[lo:hi].strip()
    return ("…" if lo > line_start else "") + quote + ("…" if hi < line_end else "") if quote else NO_LINE


def _line_starts(text: str | None) -> list[int]:
    if not text:
        return []
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


def _score_cell(report_id: str, address: tuple[str, str, str], gold: Value, result: dict[str, Any],
                text: str | None, starts: list[int]) -> CellResult:
    table, row, col = address
    rows = (result.get("tables") or {}).get(table)
    cols = (rows or {}).get(row)
    if not cols or col not in cols:
        miss = "table" if not rows else "row" if not cols else "cell"
        return CellResult(report_id, table, row, col, gold, None, False, False, miss=miss)
    got = cols[col]
    prov = (result.get("cells") or {}).get(f"{table}.{row}.{col}", {})
    return CellResult(report_id, table, row, col, gold, got, True, same_value(gold, got), prov.get("raw"),
                      prov.get("confidence"), tuple(prov.get("flags") or ()), _line_at(text, starts, prov.get("span")))


def _extra_cells(gold: dict[str, Any], result: dict[str, Any], uncertain: set[str]) -> list[str]:
    known = {f"{t}.{r}.{c}" for t, r, c, _ in _gold_cells(gold)} | uncertain
    return [f"{t}.{r}.{c}" for t, rows in (result.get("tables") or {}).items()
            for r, cols in rows.items() for c in cols if f"{t}.{r}.{c}" not in known]


def _check_counts(gold: dict[str, Any], result: dict[str, Any]) -> dict[str, dict[str, int]]:
    balanced = gold.get("balanced") or {}
    out: dict[str, dict[str, int]] = {}
    for check in result.get("checks") or []:
        if check["id"].startswith("N-"):  # prose against table: a finding about the source, not an identity
            continue
        value = balanced.get(check["table"])
        key = "true" if value is True else "false" if value is False else "null"
        bucket = out.setdefault(key, {"pass": 0, "fail": 0, "not_assessable": 0})
        bucket[check["status"]] = bucket.get(check["status"], 0) + 1
    return out


def score_report(gold: dict[str, Any], result: dict[str, Any] | None, *, text: str | None = None,
                 error: str | None = None, set_name: str = "", layout: str = "unknown") -> ReportScore:
    """Score one report's output against its gold annotation.

    Parameters
    ----------
    gold:
        The gold annotation (corpus format: ``id``, ``input``, ``template``, ``tables``,
        ``balanced``, ``uncertain``).
    result:
        The parser output as :meth:`gxparse.Report.to_dict` gives it (``template``, ``tables``
        and, for provenance, ``cells`` and ``checks``); ``None`` when parsing failed.
    text:
        :attr:`gxparse.Report.text`, to quote the source line of each cell.
    error:
        The exception message when parsing failed.
    set_name, layout:
        Tags used to group the figures.

    Returns
    -------
    ReportScore
    """
    result = result or {}
    uncertain = set(gold.get("uncertain") or ())
    starts = _line_starts(text)
    report_id = str(gold.get("id", ""))
    cells = [_score_cell(report_id, (t, r, c), value, result, text, starts)
             for t, r, c, value in _gold_cells(gold) if f"{t}.{r}.{c}" not in uncertain]
    extra = _extra_cells(gold, result, uncertain)
    exact = {t: all(c.correct for c in cells if c.table == t) and not any(e.startswith(t + ".") for e in extra)
             for t in (gold.get("tables") or {})}
    return ReportScore(report_id, str(gold.get("input", "")), set_name, layout, gold.get("template"),
                       result.get("template"), error, cells, len(uncertain), extra, exact,
                       _check_counts(gold, result), tuple(gold.get("variants") or ()),
                       template_clear=bool((result.get("meta") or {}).get("template_clear", True)))


# ---------------------------------------------------------------------------------------------
# aggregation


def _ratio(num: int | float, den: int | float) -> float | None:
    return num / den if den else None


def _accuracy_by(cells: Iterable[tuple[str, CellResult]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[bool]] = {}
    for key, cell in cells:
        groups.setdefault(key, []).append(cell.correct)
    return {k: {"cells": len(v), "correct": sum(v), "accuracy": _ratio(sum(v), len(v))}
            for k, v in sorted(groups.items())}


def _cell_figures(reports: Sequence[ReportScore]) -> dict[str, Any]:
    cells = [c for r in reports for c in r.cells]
    correct = sum(c.correct for c in cells)
    per_report = [r.accuracy for r in reports if r.accuracy is not None]
    kinds = [c.error_kind for c in cells]
    return {"assessed": len(cells), "correct": correct, "wrong": len(cells) - correct,
            "absent": sum(not c.present for c in cells), "accuracy_micro": _ratio(correct, len(cells)),
            "wrong_by_kind": {k: kinds.count(k) for k in ERROR_KINDS},
            "missed_tables": sorted({f"{c.report}:{c.table}" for c in cells if c.miss == "table"}),
            "missed_rows": sorted({f"{c.report}:{c.table}.{c.row}" for c in cells if c.miss == "row"}),
            "accuracy_per_report_mean": statistics.fmean(per_report) if per_report else None,
            "reports_all_cells_correct": sum(r.n_cells > 0 and r.n_correct == r.n_cells for r in reports),
            "uncertain_excluded": sum(r.uncertain for r in reports),
            "extra_cells": sum(len(r.extra_cells) for r in reports)}


def _table_figures(reports: Sequence[ReportScore]) -> dict[str, Any]:
    flags = [v for r in reports for v in r.table_exact.values()]
    return {"gold_tables": len(flags), "exact": sum(flags), "exact_match_rate": _ratio(sum(flags), len(flags))}


def _template_figures(reports: Sequence[ReportScore]) -> dict[str, Any]:
    ok = sum(r.template_ok for r in reports)
    wrong = [{"report": r.id, "gold": r.template_gold, "got": r.template_got, "warned": not r.template_clear}
             for r in reports if not r.template_ok]
    return {"reports": len(reports), "correct": ok, "accuracy": _ratio(ok, len(reports)), "wrong": wrong,
            "wrong_warned": sum(w["warned"] for w in wrong)}


def _identity_figures(reports: Sequence[ReportScore]) -> dict[str, Any]:
    out = {}
    for key in ("true", "false", "null"):
        counts = {"pass": 0, "fail": 0, "not_assessable": 0}
        for r in reports:
            for status, n in r.checks.get(key, {}).items():
                counts[status] = counts.get(status, 0) + n
        assessed = counts["pass"] + counts["fail"]
        out[f"gold_balanced_{key}"] = {"checks": sum(counts.values()), **counts,
                                       "pass_rate_of_assessable": _ratio(counts["pass"], assessed)}
    return out


def confidence_figures(cells: Sequence[CellResult], thresholds: Sequence[float] = THRESHOLDS) -> dict[str, Any]:
    """Accuracy and coverage of the cells at or above each confidence threshold.

    Coverage is the share of all assessed cells kept (absent cells have no confidence and are
    never kept); ``wrong_cells_warned_share`` is the share of wrong cells a user is warned about
    (:data:`WARN_RULE`), i.e. how often an error comes with a signal.
    """
    out: dict[str, Any] = {}
    for t in thresholds:
        kept = [c for c in cells if c.confidence is not None and c.confidence >= t]
        out[f"min_confidence_{t:g}"] = {"cells": len(kept), "coverage": _ratio(len(kept), len(cells)),
                                         "accuracy": _ratio(sum(c.correct for c in kept), len(kept))}
    wrong = [c for c in cells if not c.correct]
    out["wrong_cells"] = len(wrong)
    out["wrong_cells_warned"] = sum(c.warned for c in wrong)
    out["wrong_cells_warned_share"] = _ratio(out["wrong_cells_warned"], len(wrong))
    out["right_cells_warned_share"] = _ratio(sum(c.warned for c in cells if c.correct), len(cells) - len(wrong))
    out["warn_rule"] = WARN_RULE
    return out


def risk_coverage(cells: Sequence[CellResult]) -> list[dict[str, float]]:
    """The risk–coverage curve: keep cells by decreasing confidence; error rate of what is kept.

    Returns one point per distinct confidence value: ``{"threshold", "coverage", "risk"}``.
    Absent cells are never kept.
    """
    scored = sorted((c for c in cells if c.confidence is not None), key=lambda c: -float(c.confidence or 0.0))
    points, kept, wrong = [], 0, 0
    for i, cell in enumerate(scored):
        kept += 1
        wrong += not cell.correct
        if i + 1 == len(scored) or scored[i + 1].confidence != cell.confidence:
            points.append({"threshold": float(cell.confidence or 0.0), "coverage": kept / len(cells),
                           "risk": wrong / kept})
    return points


def summarize(reports: Sequence[ReportScore]) -> dict[str, Any]:
    """Aggregate the report scores into the benchmark figures (see :mod:`gxparse.bench`)."""
    cells = [c for r in reports for c in r.cells]
    return {
        "reports": len(reports),
        "errors": sum(r.error is not None for r in reports),
        "cells": _cell_figures(reports),
        "tables": _table_figures(reports),
        "template": _template_figures(reports),
        "identities": _identity_figures(reports),
        "confidence": confidence_figures(cells),
        "accuracy_by_table": _accuracy_by((c.table, c) for c in cells),
        "accuracy_by_template": _accuracy_by((str(r.template_gold), c) for r in reports for c in r.cells),
        "accuracy_by_layout": _accuracy_by((r.layout, c) for r in reports for c in r.cells),
        "accuracy_by_set": _accuracy_by((r.set, c) for r in reports for c in r.cells),
        "accuracy_by_variant": _accuracy_by((v, c) for r in reports for v in r.variants or (NO_VARIANT,)
                                            for c in r.cells),
        "missed_tables_by_variant": _missed_tables_by_variant(reports),
    }


def _missed_tables_by_variant(reports: Sequence[ReportScore]) -> dict[str, dict[str, int]]:
    """Per variant: gold tables of the reports that carry it, and how many of them the output lacks."""
    out: dict[str, dict[str, int]] = {}
    for r in reports:
        missed = {c.table for c in r.cells if c.miss == "table"}
        for v in r.variants or (NO_VARIANT,):
            bucket = out.setdefault(v, {"tables": 0, "missed": 0})
            bucket["tables"] += len(r.table_exact)
            bucket["missed"] += len(missed)
    return dict(sorted(out.items()))
