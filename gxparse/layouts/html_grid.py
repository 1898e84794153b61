"""HTML tables, linearised by :mod:`gxparse.html_text` into pipe rows: every cell between pipes is real.

Fits an ``html`` source whose region reads as a pipe grid. Unlike a text pipe grid, an empty cell
at the end of a row is a blank cell of the table, never a filler pipe.
"""

from __future__ import annotations

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import anchored, region_mode

GRID_FIT = 1.0
"""A pipe grid made from HTML cells is unmistakable."""


class HtmlGrid:
    """Pipe rows whose cells are the cells of an HTML table."""

    name = "html_grid"
    ceiling = GRID_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`GRID_FIT` for an HTML source whose region is a pipe grid, else 0 (the region's scan mode is
        ``pipe`` exactly when its lines look so: :func:`~gxparse.scan.detect_mode`, read once per region)."""
        return GRID_FIT if region.kind == "html" and region_mode(region) == "pipe" else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels; cells read between pipes, every empty one blank."""
        return anchored(region, "pipe", exact_cells=True)
