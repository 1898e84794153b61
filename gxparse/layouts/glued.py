"""Glued rows: the cells of a row printed with no separator (``15130000154``), on one or a few lines.

Fits a region the scanner reads inline (:func:`gxparse.scan.detect_mode`) where a run of digits stands alone on its line although the table's rows
print several cells (:func:`gxparse.segments.has_lone_digit_run`). The rows are anchored at their
labels; splitting each run into cells is the realigner's work (:mod:`gxparse.candidates`).
"""

from __future__ import annotations

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import anchored, scanned
from gxparse.scan import detect_mode
from gxparse.segments import has_lone_digit_run

GLUED_FIT = 0.6
"""Above the plain inline reading (same cut, more specific evidence), below a grid or separated cells."""


class Glued:
    """Digit runs that hold several cells of a row."""

    name = "glued"

    def fit(self, region: LayoutRegion) -> float:
        """:data:`GLUED_FIT` when a digit run stands alone where a row prints several cells, else 0."""
        if detect_mode(region.lines) != "inline":
            return 0.0
        width = max((len(row.cols) for row in region.spec.rows), default=0)
        return GLUED_FIT if has_lone_digit_run(scanned(region, "inline"), width) else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels; each glued run stays whole under its row."""
        return anchored(region, "inline")
