"""Cells read inline, in reading order: one row per line with cells separated by spaces, or one
cell per line without empty lines between them.

This reading fits any region; it is the fallback when no more specific layout fits.

A row printed on one line with spaces between its cells prints a blank cell as nothing between
two separators, so the gap there is about twice the row's usual one (``0   0      0``): when a
row holds fewer values than cells and its wide gaps account for exactly the cells it lacks, each
wide gap is read as the blank cells it holds (:func:`wide_gap_blanks`). A row printed one cell per
line may print a blank cell as an empty line (an empty ``<td>`` copied out line by line): when its
empty lines account for exactly the cells it lacks, each is read as the blank cell it stands for (:func:`~gxparse.layouts.base.with_empty_line_blanks`).
"""

from __future__ import annotations

from statistics import median

from gxparse.ir import Item, LayoutRegion, RowProblem, Segmentation, TableProblem
from gxparse.layouts.base import with_empty_line_blanks
from gxparse.layouts.glued import anchored_apart

FALLBACK_FIT = 0.5
"""Any text reads inline; every more specific layout scores above this when it fits."""

MIN_SEPARATOR = 1
"""A row whose values touch (usual gap 0) shows no gap to measure. From one space on, a blank
gives at least twice the usual gap. A stray extra space between single spaces (2) looks like a
blank too, but it is read as one only when the wide gaps account for exactly the cells the row
lacks: a stray space in a full row lacks nothing, a stray one beside a dropped blank makes one
wide gap too many (the space_rows copies r207/r208 and the synthetic generator's separators; on
eight synthetic sets, single-space rows gained cells and lost none)."""

STRAY_PROOF_SEPARATOR = 2
"""From this usual gap on, a stray extra space stays under twice the gap: every wide gap is a blank,
even in a row that also lacks cells for another reason (two values printed glued, ``0    00  0``)."""


class Inline:
    """Numbers, placeholders and text runs in reading order."""

    name = "inline"
    ceiling = FALLBACK_FIT

    def fit(self, region: LayoutRegion) -> float:
        """Always :data:`FALLBACK_FIT`."""
        return FALLBACK_FIT

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels (labels run together cut apart:
        :func:`~gxparse.layouts.glued.anchored_apart`); wide gaps in a short row are its blank cells."""
        return wide_gap_blanks(region.text, anchored_apart(region))


def wide_gap_blanks(text: str, seg: Segmentation) -> Segmentation:
    """``seg`` with the blank cells that wide gaps or empty lines show in rows holding fewer values than cells."""
    rows = [with_empty_line_blanks(text, new) if (new := _with_gap_blanks(text, row)) is row else new
            for row in seg.problem.rows]
    if all(new is old for new, old in zip(rows, seg.problem.rows)):
        return seg
    return Segmentation(TableProblem(seg.problem.table, rows, seg.problem.identities), seg.labels, seg.matched,
                        seg.mode, seg.units, seg.unread, seg.anchors)


def _with_gap_blanks(text: str, row: RowProblem) -> RowProblem:
    """The row with a ``blank`` item (flagged ``gap``) for each blank cell its wide gaps hold, or the row itself.

    Only a row of numbers and placeholders on one line, separated by spaces alone, whose usual gap
    is at least :data:`MIN_SEPARATOR`; and only when the wide gaps hold exactly the cells it lacks
    (a gap of ``n + 1`` usual gaps holds ``n`` blank cells), or, from :data:`STRAY_PROOF_SEPARATOR`
    on, fewer cells than it lacks when its digit runs can be cut into the rest (``0    00  0`` for
    0 | blank | 0 | 0 | 0). Anything else is left to placement.
    """
    items = row.items
    lacking = len(row.cols) - len(items)
    if lacking <= 0 or len(items) < 2 or len({it.line for it in items}) > 1 or any(
            it.kind not in ("num", "ph") for it in items):
        return row
    gaps = [b.start - a.end for a, b in zip(items, items[1:])]
    if any(text[a.end:b.start].strip(" ") for a, b in zip(items, items[1:])):
        return row  # something other than spaces between two values (a tab, a full-width space): no gap to measure
    usual = median(gaps)
    if usual < MIN_SEPARATOR:
        return row
    blanks_in = _blanks_in(gaps, usual)
    blanks = sum(blanks_in)
    glued_cells = sum(len(it.text) - 1 for it in items if it.text.isdigit() and "thousands" not in it.flags)
    if blanks != lacking and not (usual >= STRAY_PROOF_SEPARATOR and 0 < blanks < lacking <= blanks + glued_cells):
        narrow = _narrow_usual(gaps)
        if narrow is None or narrow == usual or sum(blanks_in := _blanks_in(gaps, narrow)) != lacking:
            return row
    out: list[Item] = []
    for item, n in zip(items, [*blanks_in, 0]):
        out.append(item)
        out.extend(Item("blank", "", item.end, item.end, item.line, ("gap",)) for _ in range(n))
    return RowProblem(row.key, row.cols, out, row.constraints)


def _blanks_in(gaps: list[int], usual: float) -> list[int]:
    """How many blank cells each gap holds when ``usual`` is the gap between two adjacent cells."""
    return [max(0, round(gap / usual) - 1) if gap >= 2 * usual else 0 for gap in gaps]


MIN_NARROW_GAPS = 2
"""The narrow gaps measure a row's usual gap only when at least two of them agree: one narrow gap
could be a stray (a wide number eating into its separator)."""


def _narrow_usual(gaps: list[int]) -> float | None:
    """The usual gap measured on the row's narrow gaps alone (under twice the narrowest), when they are
    fewer than the wide ones; else None.

    A row that drops more blank cells than it prints separators between neighbours has wide gaps
    for most of its gaps, so their median is a wide gap and shows no blank at all
    (``0    2  2  4    0    0    0  0  0    0``, five blanks among ten values: cd-5202-92). The
    narrow gaps are those between neighbouring cells; only a reading whose wide gaps then hold
    exactly the cells the row lacks is kept (:func:`_with_gap_blanks`). Where narrow gaps are the
    most, the median measured them already: a gap after a double-width ``无`` is narrower than
    after a ``0`` (``-    无    无           0     0``, cd seed 6101), and measured on those alone
    the wide gap would hold one blank too many."""
    narrowest = min(gaps)
    narrow = [gap for gap in gaps if gap < 2 * narrowest]
    if narrowest < MIN_SEPARATOR or len(narrow) < MIN_NARROW_GAPS or len(narrow) > len(gaps) - len(narrow):
        return None  # most gaps are narrow: their median is already the usual one (its reading stands)
    return median(narrow)
