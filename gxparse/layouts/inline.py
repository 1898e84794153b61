"""Cells read inline, in reading order: one row per line with cells separated by spaces, or one
cell per line without empty lines between them.

This reading fits any region; it is the fallback when no more specific layout fits.
"""

from __future__ import annotations

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.glued import anchored_apart

FALLBACK_FIT = 0.5
"""Any text reads inline; every more specific layout scores above this when it fits."""


class Inline:
    """Numbers, placeholders and text runs in reading order."""

    name = "inline"
    ceiling = FALLBACK_FIT

    def fit(self, region: LayoutRegion) -> float:
        """Always :data:`FALLBACK_FIT`."""
        return FALLBACK_FIT

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels (labels run together cut apart: :func:`~gxparse.layouts.glued.anchored_apart`)."""
        return anchored_apart(region)
