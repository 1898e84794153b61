"""Where a row's dropped blank cells sit, read from the copy's own spacing.

A row printed on one line with spaces between its cells prints a blank cell as nothing between two
separators: the gap there is wider than the row's usual one (``2.重复申请 0 0 0 0  0 0``), and a
blank last cell leaves a separator after the row's last value (``3.补正后申请内容仍不明确 0 0 0 0 0 0 ``).
Where the gaps account exactly for the cells a row lacks, the inline layout reads them as blank
cells outright (:func:`gxparse.layouts.inline.wide_gap_blanks`); everywhere else (a row that also
glued two values, a blank last cell, a value line read apart from its label) the gaps are evidence
that placement weighs beside the classifier and the identities:

* :func:`mark_gaps` flags, after segmentation, the values whose gap before (:data:`WIDE_BEFORE`) or
  after (:data:`WIDE_AFTER`) is wide. The usual inner gap is the row's own; the usual gap between a
  label and its first value, and after a row's last value, are those of the rows of the same table
  that print every cell (a copy that pads every line with a trailing space shows no blank by it).
* :func:`weigh_gap_blanks` judges where a row's candidates put its dropped blanks by those gaps
  (:data:`GAP_BLANK_WEIGHT` for each wide gap holding one) instead of by the classifier's guess.
* :func:`blank_shifts` names, where no gap is wide, the candidates that differ from the chosen one
  only in where its dropped blanks sit: the copy shows nothing to choose among them, so the
  placer's confidence weighs them alike (:func:`gxparse.place._placement`).

Rows whose values are not separated by plain spaces (pipes, tabs, glued runs, one cell per line,
HTML) carry no flag, and their candidates score 0 here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from statistics import median

import numpy as np
from numpy.typing import NDArray

from gxparse.ir import Candidate, Item, RowProblem, Segmentation, TableProblem

WIDE_BEFORE = "wide_gap_before"
"""Flag of a value printed after a wide gap (from the label, or from the value before it)."""
WIDE_AFTER = "wide_gap_after"
"""Flag of a row's last value followed by a wide gap (to the line's end, or to the next row's label)."""

MIN_EXTRA_SPACES = 1
"""A gap is wide when it holds at least one separator more than usual, and a separator is at least one
space: the narrowest copies (single spaces, r207/r208) print a blank as two spaces in a row."""

GAP_BLANK_WEIGHT = 2.0
"""Log-odds a wide gap adds to a candidate inferring a blank there, beside those that read the items
alike and put the blank elsewhere (:func:`weigh_gap_blanks`). One gap decides between such places,
and between a blank and a cut glued run where both read the row; it stays under one column
identity's weight (:data:`gxparse.place.IDENTITY_WEIGHT`, 3), so a stray double space never outweighs
a sum that fails."""

_Gaps = tuple[int | None, list[int | None], tuple[int, bool] | None]  # lead, inner gaps, (trail, at line end)


def mark_gaps(text: str, seg: Segmentation) -> Segmentation:
    """``seg`` with its rows' values flagged :data:`WIDE_BEFORE` / :data:`WIDE_AFTER` where the spacing
    shows a dropped blank; ``seg`` itself when no row lacking cells shows one."""
    rows = seg.problem.rows
    printed = [_values(row.items) - len(row.cols) for row in rows]  # cells a row prints beyond (or short of) its columns
    if all(n >= 0 for n in printed):
        return seg  # no row is short of a cell: no blank was dropped
    measured = [_measure(text, row.items) for row in rows]
    full = [gaps for gaps, n in zip(measured, printed) if gaps is not None and n == 0]
    usual_lead = _usual([g[0] for g in full if g[0] is not None])
    usual_eol = _usual([g[2][0] for g in full if g[2] is not None and g[2][1]])
    usual_next = _usual([g[2][0] for g in full if g[2] is not None and not g[2][1]])
    usual_inner = _usual([g for gaps in full for g in gaps[1] if g is not None])
    out: list[RowProblem] = []
    changed = False
    for row, gaps, n in zip(rows, measured, printed):
        if gaps is None or n >= 0:
            out.append(row)
            continue
        marked = _marked(row, gaps, usual_lead, usual_eol, usual_next, usual_inner)
        changed = changed or marked is not row
        out.append(marked)
    if not changed:
        return seg
    return replace(seg, problem=TableProblem(seg.problem.table, out, seg.problem.identities))


def _values(items: Sequence[Item]) -> int:
    return sum(1 for it in items if it.kind in ("num", "ph") or it.kind == "blank" and "trailing" not in it.flags)


def _measure(text: str, items: Sequence[Item]) -> _Gaps | None:
    """The spaces before a row's first value (``None``: it begins its line), between its values
    (``None`` where something else lies between), and after its last one, with whether the line ends
    there. ``None`` for a row that is not one line of numbers and placeholders."""
    if not items or any(it.kind not in ("num", "ph") for it in items) or len({it.line for it in items}) > 1:
        return None
    inner = [b.start - a.end if not text[a.end:b.start].strip(" ") else None for a, b in zip(items, items[1:])]
    start = items[0].start
    lead_at = start
    while lead_at > 0 and text[lead_at - 1] == " ":
        lead_at -= 1
    lead = None if lead_at == 0 or text[lead_at - 1] in "\r\n" else start - lead_at
    end = items[-1].end
    trail_at = end
    while trail_at < len(text) and text[trail_at] == " ":
        trail_at += 1
    at_eol = trail_at == len(text) or text[trail_at] in "\r\n"
    trail = None if not at_eol and text[trail_at].isspace() else (trail_at - end, at_eol)
    return lead, inner, trail


MIN_FULL_ROWS = 3
"""The gap before a row's first value, or after its last, is usual when at least this many rows of the
table that print every cell show it: two rows are no habit (r009's two full rows glue the label to
their first value, a spaced row beside them is no blank)."""


def _usual(values: list[int]) -> float | None:
    """The median of a gap over the table's full rows, when there are :data:`MIN_FULL_ROWS` of them."""
    return median(values) if len(values) >= MIN_FULL_ROWS else None


def _marked(row: RowProblem, gaps: _Gaps, usual_lead: float | None, usual_eol: float | None,
            usual_next: float | None, usual_inner: float | None = None) -> RowProblem:
    """The row with its wide gaps flagged on the values beside them (the row itself when none is wide).

    A row of one value has no gap of its own to measure: the usual gap between two values of the
    table's full rows (``usual_inner``) stands for it (``政府集中采购  14   `` under two columns, where
    full rows print ``行政处罚  0  4   24``: its blank amount left a separator after the count). A run
    that is no one number (``000000``: a cell never begins with 0) is glued: no spacing of the table is its.
    """
    lead, inner, trail = gaps
    measurable = [g for g in inner if g is not None]
    if not inner and usual_inner is not None and _one_number(row.items[0]):
        measurable = [round(usual_inner)]  # one value: the table's usual gap stands for its own
    if not measurable or median(measurable) < MIN_EXTRA_SPACES:
        return row  # values touching (a glued row), or one value in a table with no full row: no separator to measure
    usual = median(measurable)
    extra = max(MIN_EXTRA_SPACES, usual)

    def wide(gap: int | None, usual_here: float | None) -> bool:
        return gap is not None and usual_here is not None and gap - usual_here >= extra

    before = [wide(lead, usual if usual_lead is None else usual_lead)] + [wide(g, usual) for g in inner]
    # at a line's end, the full rows' own habit there; else the gap that joins their rows on one line (a
    # table printed as one line ends its last row with it: ``…政府集中采购 84372.93 ``), else none
    at_eol = usual_eol if usual_eol is not None else 0 if usual_next is None else usual_next
    after = trail is not None and wide(trail[0], at_eol if trail[1] else
                                       (MIN_EXTRA_SPACES if usual_next is None else usual_next))
    if not any(before) and not after:
        return row
    items = []
    for n, it in enumerate(row.items):
        flags = it.flags + ((WIDE_BEFORE,) if before[n] else ()) + ((WIDE_AFTER,) if after and n == len(row.items) - 1 else ())
        items.append(it if flags == it.flags else replace(it, flags=flags))
    return RowProblem(row.key, row.cols, items, row.constraints, row.unit)


def _one_number(item: Item) -> bool:
    """Whether an item can be one cell's number as printed: a placeholder, or digits not led by a 0."""
    digits = item.text.lstrip("+-")
    return item.kind == "ph" or not (len(digits) > 1 and digits[0] == "0" and digits[1].isdigit())


def weigh_gap_blanks(cands: Sequence[Candidate], items: Sequence[Item], logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """The row's candidate ``logits`` with the places of its dropped blanks judged by the wide gaps.

    Candidates that read the printed items alike and differ only in where they infer the dropped
    blanks are one reading for the classifier's evidence, which barely sees where a blank sits (its
    guess, learned from copies whose spacing shows nothing, is kept where no gap is wide): each takes
    the best logit of its group, plus :data:`GAP_BLANK_WEIGHT` for every wide gap it puts a blank in
    (:func:`blanks_in_wide_gaps`). ``logits`` itself when no gap of the row is wide.
    """
    wide = blanks_in_wide_gaps(cands, items)
    if wide is None:
        return logits
    best: dict[tuple[object, ...], float] = {}
    keys = []
    for cand, logit in zip(cands, logits):
        key = _printed_key(cand)
        keys.append(key)
        best[key] = max(best.get(key, -np.inf), float(logit))
    return np.array([best[key] for key in keys]) + GAP_BLANK_WEIGHT * wide


SHIFTED_BLANKS_MAX = 2
"""The most dropped blanks a row may lack for :func:`blank_shifts` to weigh their places alike. Of the
19 dev gold rows that print some cells and leave others blank, 16 leave three or more blank, in
patterns the gold repeats (the five 法人或其他组织 columns all blank in 8, 科研机构 to 总计 in 5):
the column blank prior (:mod:`gxparse.priors`) learns those, and a row ``2 2`` under seven columns is
read by it. Two blanks are left in 2 rows (both 科研机构 with 社会公益组织), one in 1 row (its total):
too few to learn a place from, so where a row lacks one or two cells their places are the copy's
to show (no confidence of a dev report's cell changes by it)."""


def blank_shifts(cands: Sequence[Candidate], items: Sequence[Item], chosen: int) -> list[bool]:
    """Per candidate, whether it is a *blank shift* of ``cands[chosen]``: it reads the same printed
    items and differs only in where it infers the row's dropped blank, moving values along a run of
    equal ones (``0 0 0 0 0 0`` for seven columns: the blank may sit in any of them). The values it
    puts in other columns must be equal and lie in a run of at least two equal printed values
    (themselves, or with one beside them that stays put): moving the lone ``3`` of ``3 0 0 0 0 3``
    into the next column is no shift, its magnitude is the classifier's evidence. All ``False`` when the
    row drops no blank, or when its spacing shows where it does
    (:func:`blanks_in_wide_gaps`: that evidence already weighed the candidates).

    Only a row that lacks at most :data:`SHIFTED_BLANKS_MAX` cells is judged so: nothing in such a
    copy says where its blank sits, and real reports cannot teach it, so the classifier's
    preference among such readings is a guess, not a fit.
    """
    out = [False] * len(cands)
    ref = cands[chosen]
    if (sum(r.kind == "missing" for r in ref.readings) not in range(1, SHIFTED_BLANKS_MAX + 1)
            or blanks_in_wide_gaps(cands, items) is not None):
        return out
    key = _printed_key(ref)
    printed = [(r.kind, r.raw) for r in ref.readings if r.kind != "missing"]
    ref_cols = _printed_columns(ref)
    for n, cand in enumerate(cands):
        if n == chosen or len(cand.readings) != len(ref.readings) or _printed_key(cand) != key:
            continue
        moved = [j for j, (a, b) in enumerate(zip(ref_cols, _printed_columns(cand))) if a != b]
        if not moved or len({printed[j] for j in moved}) > 1:
            continue
        beside = [j for j in (moved[0] - 1, moved[-1] + 1) if 0 <= j < len(printed)]
        out[n] = len(moved) > 1 or any(printed[j] == printed[moved[0]] for j in beside)
    return out


def _printed_columns(cand: Candidate) -> list[int]:
    """The column of each printed reading of a candidate, in order."""
    return [col for col, r in enumerate(cand.readings) if r.kind != "missing"]


def _printed_key(cand: Candidate) -> tuple[object, ...]:
    """What a candidate reads of the printed items, wherever it infers its dropped blanks."""
    return (tuple((r.kind, r.raw, r.start, r.end, r.item) for r in cand.readings if r.kind != "missing"),
            cand.dropped, cand.ignored_blanks)


def blanks_in_wide_gaps(cands: Sequence[Candidate], items: Sequence[Item]) -> NDArray[np.float64] | None:
    """Per candidate, the number of wide gaps where it infers a dropped blank (a ``missing`` cell between
    the items read before and after it); ``None`` when no gap of the row is wide."""
    wide_before = [WIDE_BEFORE in it.flags for it in items]
    wide_after = [WIDE_AFTER in it.flags for it in items]
    if not any(wide_before) and not any(wide_after):
        return None
    out = np.zeros(len(cands))
    for n, cand in enumerate(cands):
        if all(r.kind != "missing" for r in cand.readings):
            continue
        held: set[tuple[int, int]] = set()
        prev = -1  # the item read last (-1: none yet)
        pending = False
        for reading in cand.readings:
            if reading.kind == "missing":
                pending = True
            elif reading.item is not None:
                if pending and any(wide_before[prev + 1:reading.item + 1]):
                    held.add((prev, reading.item))
                pending, prev = False, reading.item
        if pending and (any(wide_after[max(prev, 0):]) or any(wide_before[prev + 1:])):
            held.add((prev, len(items)))
        out[n] = len(held)
    return out
