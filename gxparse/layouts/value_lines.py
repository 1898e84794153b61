"""Value lines apart from their labels: PDF text layers, and Markdown made from PDFs.

These print a row's values on one line above or below its (wrapped) label, or in separate small
tables, so anchoring at labels leaves rows with the wrong number of items; the value lines, in
reading order, are still the rows in order. Fits when that flowed cut
(:func:`gxparse.segments.segment_flowed`) applies to the region as the scanner reads it by default
(:func:`gxparse.scan.detect_mode`), and then wins over every reading that anchors.
"""

from __future__ import annotations

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import anchored, scanned
from gxparse.scan import detect_mode
from gxparse.segments import segment_flowed

FLOWED_FIT = 1.5
"""The flowed cut only applies where anchoring fails and the value lines match the rows one to one."""


class ValueLines:
    """One value line per row, in order, wherever the labels are."""

    name = "value_lines"
    ceiling = FLOWED_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`FLOWED_FIT` when the region's value lines are its rows, else 0."""
        return FLOWED_FIT if _flowed(region) is not None else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """The rows filled from the value lines in order (the anchored cut if they do not match)."""
        mode = detect_mode(region.lines)
        return _flowed(region) or anchored(region, mode, exact_cells=region.kind == "html")


def _flowed(region: LayoutRegion) -> Segmentation | None:
    mode = detect_mode(region.lines)
    exact = region.kind == "html"
    return segment_flowed(region.spec, anchored(region, mode, exact_cells=exact), scanned(region, mode, exact_cells=exact))
