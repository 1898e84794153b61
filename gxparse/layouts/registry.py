"""The registered layout handlers, and the choice of one per region.

Every handler scores the region (:meth:`~gxparse.layouts.base.LayoutHandler.fit`); the highest
score wins, and a tie goes to the handler registered first. The built-in handlers are registered
in :data:`BUILT_IN` order; :func:`register` adds one (tried before the built-ins of equal score).
"""

from __future__ import annotations

from gxparse.blank_gaps import mark_gaps
from gxparse.column_grid import column_blanks
from gxparse.ir import LayoutRegion, Segmentation
from gxparse.layouts.base import LayoutHandler
from gxparse.layouts.cell_per_line import CellPerLine
from gxparse.layouts.glued import Glued
from gxparse.layouts.html_grid import HtmlGrid
from gxparse.layouts.indicator_list import IndicatorList
from gxparse.layouts.inline import Inline
from gxparse.layouts.pipe_grid import PipeGrid, blanks_beyond_padding
from gxparse.layouts.value_lines import ValueLines, with_owner_doubts

BUILT_IN: tuple[LayoutHandler, ...] = (IndicatorList(), ValueLines(), HtmlGrid(), PipeGrid(), CellPerLine(), Glued(), Inline())
"""The built-in handlers, most specific first (the tie-break order)."""

_registered: list[LayoutHandler] = list(BUILT_IN)


def register(handler: LayoutHandler) -> None:
    """Add ``handler`` (replacing a handler of the same name); it wins ties with the handlers already there."""
    unregister(handler.name)
    _registered.insert(0, handler)


def unregister(name: str) -> None:
    """Remove the handler called ``name`` (nothing happens if there is none)."""
    _registered[:] = [h for h in _registered if h.name != name]


def handlers() -> tuple[LayoutHandler, ...]:
    """The registered handlers in tie-break order."""
    return tuple(_registered)


def choose(region: LayoutRegion) -> LayoutHandler:
    """The handler that fits ``region`` best (the first registered among equal scores).

    A handler whose :attr:`~gxparse.layouts.base.LayoutHandler.ceiling` is no higher than the best
    fit found is not asked: it could at most tie, and a tie goes to the handler registered first.
    """
    best, best_fit = _registered[0], float("-inf")
    for handler in _registered:
        if getattr(handler, "ceiling", float("inf")) <= best_fit:
            continue
        fit = handler.fit(region)
        if fit > best_fit:
            best, best_fit = handler, fit
    return best


def segment_region(region: LayoutRegion) -> tuple[str, Segmentation]:
    """Segment ``region`` with the best-fitting handler; return the handler's name and its segmentation,
    its short rows' blank cells placed where a fixed-width copy's columns show them
    (:func:`gxparse.column_grid.column_blanks`), the empty cells a pipe row prints beyond its grid's padding read as
    blanks (:func:`~gxparse.layouts.pipe_grid.blanks_beyond_padding`), its rows' wide gaps flagged
    (:func:`gxparse.blank_gaps.mark_gaps`: where a row dropped a blank), and its value lines of doubtful owner noted
    (:func:`~gxparse.layouts.value_lines.with_owner_doubts`)."""
    handler = choose(region)
    seg = with_owner_doubts(region, handler.segment(region))
    if region.kind == "html":  # every HTML cell is exact: no empty cell pads a row, none marks a wide gap
        return handler.name, seg
    seg = column_blanks(region.text, blanks_beyond_padding(region.text, seg, region.lines))
    return handler.name, mark_gaps(region.text, seg)
