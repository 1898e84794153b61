"""One cell per line, every line followed by an empty one: an extra empty line is a blank cell.

Fits a region where most non-empty lines are followed by an empty line
(:func:`gxparse.scan.blank_line_separated`). One cell per line *without* empty lines between
them reads inline (:mod:`gxparse.layouts.inline`).
"""

from __future__ import annotations

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import anchored
from gxparse.scan import blank_line_separated

SEPARATED_FIT = 0.9
"""Strong evidence, below a pipe grid's: a grid printed double-spaced is still read between its pipes."""


class CellPerLine:
    """Cells on their own lines, separated by empty lines."""

    name = "cell_per_line"
    ceiling = SEPARATED_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`SEPARATED_FIT` when the region's cells are separated by empty lines, else 0."""
        return SEPARATED_FIT if blank_line_separated(region.lines) else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels; each extra empty line is a blank cell."""
        return anchored(region, "spaced")
