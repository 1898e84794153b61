"""Pipe grids in text: one row per line with ``|`` between cells, Markdown tables, or one cell per
line with a ``|`` suffix.

An empty cell is a ``blank`` item; empty cells after a row's last filled one are flagged
``trailing`` (filler pipes that many reports print to the grid's width).
"""

from __future__ import annotations

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import anchored
from gxparse.scan import looks_pipe

GRID_FIT = 1.0
"""Pipes on a share of the lines (:data:`gxparse.scan.PIPE_LINE_SHARE`) are a grid: prose rarely prints one."""


class PipeGrid:
    """Cells between pipes, in a text (not HTML) source."""

    name = "pipe_grid"
    ceiling = GRID_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`GRID_FIT` when the region's lines are pipe rows (and the source is not HTML), else 0."""
        return GRID_FIT if region.kind != "html" and looks_pipe(region.lines) else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels; cells read between pipes."""
        return anchored(region, "pipe")
