"""The layout handler protocol, and the readings of a region that several handlers share.

A handler is anything with a ``name``, a ``fit`` and a ``segment`` (:class:`LayoutHandler`). The
readings here are cached on the :class:`~gxparse.ir.LayoutRegion`, so the scan and the anchored cut
that the fit of one handler needs are not repeated by the handler chosen.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from gxparse.ir import Item, LayoutRegion, RowProblem, Segmentation
from gxparse.scan import ScanMode, count_unit_alternation, count_unit_end, detect_mode, scan_region
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


def with_empty_line_blanks(text: str, row: RowProblem) -> RowProblem:
    """The row with a ``blank`` item (flagged ``blank_line``) for each empty line among its cells, or the row itself.

    Only a row of numbers and placeholders printed one per line with nothing else between them,
    and only when the empty lines between its label and its first value, between its values (past a unit
    printed after one, ``0件``: :func:`~gxparse.scan.count_unit_end`) and
    after its last value (up to the next printed line) are exactly as many as the cells it lacks:
    then each stands where its blank cell is (``行政许可 / (empty) / -11 / 25``: the first cell
    blank). A copy that separates rows or cells by empty lines shows more or fewer of them than
    its rows lack cells, and is left to placement (and to :mod:`gxparse.layouts.cell_per_line`).
    """
    items = row.items
    lacking = len(row.cols) - len(items)
    if lacking <= 0 or not items or len({it.line for it in items}) < len(items) or any(
            it.kind not in ("num", "ph") for it in items):
        return row
    between = [text[count_unit_end(text, a.end):b.start] for a, b in zip(items, items[1:])]
    if any(gap.strip() for gap in between):
        return row  # a label or note between two values (not a unit printed after one): not a row of bare cells
    line_start = text.rfind("\n", 0, items[0].start) + 1
    if text[line_start:items[0].start].strip():
        return row  # the first value shares its line with something else
    before, label_line = _empty_lines_before(text, line_start)
    if _bare_cell().fullmatch(label_line):
        return row  # the line before is a value, not the row's label: the empty lines may be another row's
    tail = _EMPTY_LINES_AFTER.match(text, count_unit_end(text, items[-1].end))
    blanks_in = [before,
                 *(gap.count("\n") - 1 for gap in between),
                 tail.group(0).count("\n") - 1 if tail and tail.end() < len(text) else 0]
    if sum(blanks_in) != lacking:
        return row
    out = [Item("blank", "", items[0].start, items[0].start, items[0].line, ("blank_line",))
           for _ in range(blanks_in[0])]
    for item, n in zip(items, blanks_in[1:]):
        out.append(item)
        out.extend(Item("blank", "", item.end, item.end, item.line, ("blank_line",)) for _ in range(n))
    return RowProblem(row.key, row.cols, out, row.constraints, row.unit)


@lru_cache(maxsize=1)
def _bare_cell() -> re.Pattern[str]:
    """A line that holds only a number or a placeholder (or nothing), a count unit after it (``0件``)."""
    cell = r"[\d.,+\-—―─━/][\s\d.,+\-—―─━/]*"
    return re.compile(rf"\s*(?:{cell}(?:{count_unit_alternation()})?)?\s*")  # a unit alone is a unit column's cell


_EMPTY_LINES_AFTER = re.compile(r"[ \t\u3000]*\n(?:[ \t\u3000]*\n)*")
"""A value line's end and the empty lines after it, up to the next printed line."""


def _empty_lines_before(text: str, line_start: int) -> tuple[int, str]:
    """The empty lines right before the line that begins at ``line_start``, and the printed line before them."""
    empty = 0
    end = line_start - 1  # the line break that ends the line before
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip():
            return empty, line
        empty += 1
        end = start - 1
    return empty, ""
