"""The layout handler protocol, and the readings of a region that several handlers share.

A handler is anything with a ``name``, a ``fit`` and a ``segment`` (:class:`LayoutHandler`). The
readings here are cached on the :class:`~gxparse.ir.LayoutRegion`, so the scan and the anchored cut
that the fit of one handler needs are not repeated by the handler chosen.
"""

from __future__ import annotations

from typing import Protocol

from gxparse.ir import Item, LayoutRegion, Segmentation
from gxparse.scan import ScanMode, detect_mode, scan_region
from gxparse.segments import segment_anchored


class LayoutHandler(Protocol):
    """One printed layout of a table: how well it fits a region, and how it cuts the region into rows."""

    name: str
    """Recorded in ``Report.meta["layouts"]`` for every table this handler segments."""

    ceiling: float
    """The highest fit the handler ever returns. Optional: the registry does not ask a handler whose
    ceiling cannot beat the fit already found (a legacy list is not scanned as a PDF layer too)."""

    def fit(self, region: LayoutRegion) -> float:
        """How well the layout fits ``region``: 0 when it does not; the highest fit is chosen."""

    def segment(self, region: LayoutRegion) -> Segmentation:
        """The rows of ``region.spec`` with the source items this layout puts under each."""


def region_mode(region: LayoutRegion) -> ScanMode:
    """The scanner's own reading of ``region``'s lines (:func:`~gxparse.scan.detect_mode`; cached on the region:
    several handlers' fits and the chosen handler's cut ask it)."""
    if "mode" not in region.readings:
        region.readings["mode"] = detect_mode(region.lines)
    mode: ScanMode = region.readings["mode"]  # type: ignore[assignment]
    return mode


def scanned(region: LayoutRegion, mode: ScanMode, *, exact_cells: bool = False) -> list[Item]:
    """The items of ``region`` read in scan ``mode`` (cached on the region)."""
    exact_cells = exact_cells and mode == "pipe"  # only pipe cells can be exact
    key = f"scan:{mode}:{exact_cells}"
    if key not in region.readings:
        where = region.region
        has_unit_column = any(col.kind == "unit" for col in region.spec.cols)
        region.readings[key] = scan_region(region.text, where.start, where.end, at_eof=where.truncated,
                                           exact_cells=exact_cells, mode=mode, count_units=not has_unit_column)
    items: list[Item] = region.readings[key]  # type: ignore[assignment]
    return items


def anchored(region: LayoutRegion, mode: ScanMode, *, exact_cells: bool = False) -> Segmentation:
    """The anchored cut (:func:`~gxparse.segments.segment_anchored`) of the ``mode`` scan (cached)."""
    exact_cells = exact_cells and mode == "pipe"
    key = f"anchored:{mode}:{exact_cells}"
    if key not in region.readings:
        region.readings[key] = segment_anchored(region.spec, scanned(region, mode, exact_cells=exact_cells))
    seg: Segmentation = region.readings[key]  # type: ignore[assignment]
    return seg
