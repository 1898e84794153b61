"""Glued rows: the cells of a row printed with no separator (``15130000154``), on one or a few lines.

Fits a region the scanner reads inline (:func:`gxparse.scan.detect_mode`) whose multi-cell rows,
anchored at their labels, hold far fewer value items than they have cells: each digit run holds
several cells. The rows stay anchored; splitting each run into cells is the realigner's work
(:mod:`gxparse.candidates`).
"""

from __future__ import annotations

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import anchored
from gxparse.scan import detect_mode

GLUED_FIT = 0.6
"""Above the plain inline reading (same cut, more specific evidence), below a grid or separated cells."""
GLUED_ITEM_SHARE = 0.5
"""At most this many value items per cell of the found multi-cell rows. Measured on the dev and wild
corpora and synthetic renderings: glued 三/四 tables hold 0.07–0.25 items per cell, space-separated
and one-per-line ones 0.75–1.1 (blanks printed as nothing lower it; a grid or PDF layer is ≈ 1)."""


class Glued:
    """Digit runs that hold several cells of a row."""

    name = "glued"
    ceiling = GLUED_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`GLUED_FIT` when the region's rows hold far fewer value items than cells, else 0."""
        if detect_mode(region.lines) != "inline":
            return 0.0
        seg = anchored(region, "inline")
        width = {row.key: len(row.cols) for row in region.spec.rows}
        rows = [row for row in seg.problem.rows if row.key in seg.matched and width[row.key] > 1]
        cells = sum(width[row.key] for row in rows)
        values = sum(1 for row in rows for item in row.items if item.kind in ("num", "ph"))
        return GLUED_FIT if cells and values <= GLUED_ITEM_SHARE * cells else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels; each glued run stays whole under its row."""
        return anchored(region, "inline")
