"""Legacy indicator lists (附表 / 统计表, 2008–2018): one row per indicator, ``label | unit | values``.

The rows of such a table are anchored at their labels like any other, but each prints its own unit
(``条``, ``件``…) in a column of its own, glued to the label or printed last, and which value column
is the current year's and which the cumulative one is read from the header printed before the
table and from the numbers (:func:`gxparse.legacy.segment_legacy`). No other handler reads a unit
column, and this one reads the list whatever its cells are separated by (lines, spaces, pipes,
nothing), so it fits exactly the tables whose template rows carry a unit column.

The protocol fits as it is: the region starts at the first row label (the header lies before it,
in ``region.text``, where the reading looks for it), and the segmentation carries the units and the
unread indicators in :class:`~gxparse.ir.Segmentation` fields that other layouts leave empty.
"""

from __future__ import annotations

from dataclasses import replace

from gxparse.ir import LayoutRegion, Segmentation, TableProblem
from gxparse.layouts.base import with_empty_line_blanks
from gxparse.legacy import UNIT, segment_legacy

INDICATOR_LIST_FIT = 2.0
"""Above every other handler: only this one reads the unit column a legacy table's rows print."""


class IndicatorList:
    """Indicator rows that print a unit beside their values."""

    name = "legacy"
    ceiling = INDICATOR_LIST_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`INDICATOR_LIST_FIT` when the region's table has a unit column, else 0."""
        return INDICATOR_LIST_FIT if any(col.key == UNIT for col in region.spec.cols) else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """The rows anchored at their labels, with their units and the value columns the header and numbers name;
        a row printed one cell per line keeps the empty lines that stand for its blank cells
        (:func:`~gxparse.layouts.base.with_empty_line_blanks`: ``2.政府公报公开数 / 条 / (empty) / 89`` is
        a blank current year and 89 to date, not a glued 8 | 9)."""
        seg = segment_legacy(region)
        rows = [with_empty_line_blanks(region.text, row) for row in seg.problem.rows]
        if all(new is old for new, old in zip(rows, seg.problem.rows)):
            return seg
        return replace(seg, problem=TableProblem(seg.problem.table, rows, seg.problem.identities))
