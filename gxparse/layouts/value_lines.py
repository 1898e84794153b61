"""Value lines apart from their labels: PDF text layers, and Markdown made from PDFs.

These print a row's values on one line above, inside or below its (wrapped) label, or in separate
small tables, so anchoring at labels leaves rows with the wrong number of items. Two cuts read
them, tried in turn on the region as the scanner reads it by default (:func:`gxparse.scan.detect_mode`):

* *flowed* (:func:`gxparse.segments.segment_flowed`): the value lines, in reading order, are the
  rows in order, when there is exactly one per row;
* *aligned* (:func:`gxparse.value_line_align.segment_aligned`): each value line goes to the row
  whose label block it sits in or next to, when rows printed blank, page numbers or prose break
  the one-to-one count, and the cut gives more rows their width than anchoring does.

The handler fits when either applies and its cut finds as many of the printed row labels as the
inline reading that cuts apart labels run together (:func:`~gxparse.layouts.glued.anchored_apart`),
and then wins over every reading that anchors. Where that reading finds more labels (a group label
printed on its first row's line, ``（三）不予公开 1.属于国   0  0``), the aligned cut is tried on it instead,
provided its labels stand on lines of their own (:func:`~gxparse.value_line_align.labels_on_own_lines`). A glued table whose blank cells print as placeholder
runs (``规章///行政规范性文件///``) has as many items as cells, like a grid of value lines, but only
the cut-apart reading finds the labels its blank rows run together: read as value lines, those rows
would come out absent. (Labels, not values, are compared: a PDF layer's page numbers and stray
digits add values to an anchored reading without making it right.)
"""

from __future__ import annotations

from dataclasses import replace

from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import anchored, region_mode, scanned
from gxparse.layouts.glued import anchored_apart, apart_items
from gxparse.layouts.inline import wide_gap_blanks
from gxparse.layouts.pipe_grid import blanks_within_width, declares_width
from gxparse.segments import segment_flowed
from gxparse.value_line_align import (ValueLineGeometry, labels_on_own_lines, owner_doubts, segment_aligned,
                                      value_line_geometry)

FLOWED_FIT = 1.5
"""The flowed or aligned cut only applies where anchoring fails and the value lines match the rows."""


class ValueLines:
    """One value line per row, in order, wherever the labels are."""

    name = "value_lines"
    ceiling = FLOWED_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`FLOWED_FIT` when the region's value lines are its rows, else 0."""
        return FLOWED_FIT if _cut(region) is not None else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """The rows filled from the value lines (the anchored cut if they do not match).

        In a Markdown grid a row's empty cells after its last value are its blank last cells
        (:func:`~gxparse.layouts.pipe_grid.blanks_within_width`); in a line read inline, its wide gaps
        (:func:`~gxparse.layouts.inline.wide_gap_blanks`).
        """
        mode = region_mode(region)
        seg = _cut(region) or anchored(region, mode, exact_cells=region.kind == "html")
        if mode == "inline":  # a value line printed with spaces shows its blank cells as wide gaps, as inline rows do
            return wide_gap_blanks(region.text, seg)
        return blanks_within_width(seg) if mode == "pipe" and declares_width(region) else seg


def _cut(region: LayoutRegion) -> Segmentation | None:
    """The flowed cut, else the aligned cut (cached on the region), else ``None``; ``None`` too when
    an inline cut finds fewer row labels than the cut-apart reading."""
    if "value_lines" not in region.readings:
        mode = region_mode(region)
        exact = region.kind == "html"
        base, items = anchored(region, mode, exact_cells=exact), scanned(region, mode, exact_cells=exact)
        # both cuts keep the anchored cut's found rows: when labels run together that only the cut-apart
        # reading finds, neither is tried (their rows would come out absent; the glued or inline reading,
        # chosen then, uses the cut-apart reading made here)
        if mode == "inline" and len(base.matched) < len(anchored_apart(region).matched):
            # the labels the cut-apart reading finds anchor the value lines instead (a wrapped label's
            # first line carrying its group label and values: ``三、本年度办理结果 (一   0 0 0``)
            # (only where each label stands on lines of its own: a glued copy runs its labels together on a line)
            base, items = anchored_apart(region), apart_items(region)
            geometry = value_line_geometry(region.spec, base, items)
            geometry = geometry if geometry is not None and labels_on_own_lines(geometry) else None
            region.readings["value_line_geometry"] = geometry
            cut = segment_aligned(region.spec, base, items, geometry) if geometry else None
        else:
            cut = segment_flowed(region.spec, base, items)
            if cut is None and mode == "inline":
                geometry = value_line_geometry(region.spec, base, items)
                region.readings["value_line_geometry"] = geometry
                cut = segment_aligned(region.spec, base, items, geometry) if geometry else None
        if cut is not None and mode == "inline" and not _values(cut) and _values(anchored_apart(region)):
            cut = None  # a glued table with a line of prose numbers after it: that line is no row's values
        region.readings["value_lines"] = cut
    seg: Segmentation | None = region.readings["value_lines"]  # type: ignore[assignment]
    return seg


def _values(seg: Segmentation) -> int:
    """The value items (numbers and placeholders) ``seg`` puts under its rows."""
    return sum(item.kind in ("num", "ph") for row in seg.problem.rows for item in row.items)


def with_owner_doubts(region: LayoutRegion, seg: Segmentation) -> Segmentation:
    """``seg``, whichever handler cut it, with the value lines it gives to one of two rows that the
    region's value-line geometry cannot tell apart (:func:`~gxparse.value_line_align.owner_doubts`).

    The geometry is the one the aligned cut's fit made (none when that cut was not tried: a flowed
    or glued region, or one the value-line fit was not asked about); a cut that already carries its
    doubts (the aligned cut) keeps them.
    """
    geometry: ValueLineGeometry | None = region.readings.get("value_line_geometry")  # type: ignore[assignment]
    if geometry is None or seg.doubts or seg.problem.table != geometry.table.key:
        return seg
    doubts = owner_doubts(seg, geometry)
    return replace(seg, doubts=doubts) if doubts else seg
