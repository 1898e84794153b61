"""One cell per line, every line followed by an empty one: an extra empty line is a blank cell.

Fits a region where most non-empty lines are followed by an empty line
(:func:`gxparse.scan.blank_line_separated`). One cell per line *without* empty lines between
them reads inline (:mod:`gxparse.layouts.inline`).

The blank cells that close the table's last row lie in the empty lines after its last printed cell
(the region may end before them or at the next text): they are counted up to the next text
(:func:`closing_blanks`).
"""

from __future__ import annotations

import re

from gxparse.ir import Item, LayoutRegion, RowProblem, Segmentation, TableProblem
from gxparse.layouts.base import anchored, region_mode
from gxparse.scan import blank_line_separated

SEPARATED_FIT = 0.9
"""Strong evidence, below a pipe grid's: a grid printed double-spaced is still read between its pipes."""
_EMPTY_LINES = re.compile(r"\n(?:[ \t\u3000]*\n)*")


class CellPerLine:
    """Cells on their own lines, separated by empty lines."""

    name = "cell_per_line"
    ceiling = SEPARATED_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`SEPARATED_FIT` when the region's cells are separated by empty lines, else 0.

        The region's scan mode (:func:`~gxparse.scan.detect_mode`, read once per region) is ``spaced`` exactly
        when its lines are separated so and are no pipe rows; only a pipe region's lines are asked again."""
        mode = region_mode(region)
        return SEPARATED_FIT if mode == "spaced" or mode == "pipe" and blank_line_separated(region.lines) else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels; each extra empty line is a blank cell (after the region too)."""
        return closing_blanks(region, anchored(region, "spaced"))


def closing_blanks(region: LayoutRegion, seg: Segmentation) -> Segmentation:
    """Complete a short last row with the blank cells printed as extra empty lines after its last cell.

    Only the row printed last, and only up to its width: the empty lines that
    separate the table from what follows are no cells beyond that (one of them is the separator).
    """
    rows = seg.problem.rows
    printed = [row for row in rows if any(it.kind != "blank" for it in row.items)]
    if seg.mode not in ("anchored", "single_row") or not printed:
        return seg
    last = max(printed, key=lambda row: row.items[-1].start)  # printed last (rows of 二 may be reordered)
    missing = len(last.cols) - len(last.items)
    cell = max(j for j, it in enumerate(last.items) if it.kind != "blank")
    counted = len(last.items) - 1 - cell  # empty lines after the cell the scan already read (at the input's end)
    # the empty lines after the last printed cell, whether the region ends before or after them
    line_end = region.text.find("\n", last.items[cell].end)
    run = _EMPTY_LINES.match(region.text, line_end) if line_end >= 0 else None
    extra = (run.group(0).count("\n") - 2 - counted) if run else 0  # the line's own end, then one separator
    if missing <= 0 or extra <= 0:
        return seg
    end = region.region.end
    line = last.items[-1].line + 1
    blanks = [Item("blank", "", end, end, line, ("blank_line",)) for _ in range(min(missing, extra))]
    problems = [RowProblem(r.key, r.cols, r.items + blanks, r.constraints) if r is last else r for r in rows]
    return Segmentation(TableProblem(seg.problem.table, problems, seg.problem.identities), seg.labels, seg.matched,
                        seg.mode, seg.units, seg.unread)
