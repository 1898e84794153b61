"""Table layouts: one handler module per way a table is printed, chosen per region by score.

A handler implements :class:`LayoutHandler`::

    class LayoutHandler(Protocol):
        name: str                                          # recorded in Report.meta["layouts"]
        def fit(self, region: LayoutRegion) -> float: ...  # 0 = does not fit; highest wins
        def segment(self, region: LayoutRegion) -> Segmentation: ...

A :class:`~gxparse.ir.LayoutRegion` is a located table region (the text, where the table is, its
template spec, the source kind); a :class:`~gxparse.ir.Segmentation` is the table's rows with the
source items under each, ready for placement. Handlers scan with :mod:`gxparse.scan` and cut rows
with :mod:`gxparse.segments`; readings several handlers share (a scan, the anchored cut) are cached
on the region by :mod:`gxparse.layouts.base`.

Built-in handlers (:data:`~gxparse.layouts.registry.BUILT_IN`, also the tie-break order):

``legacy``      (2.0)  legacy indicator lists (指标名称 | 单位 | …): rows that print their own unit
``value_lines`` (1.5)  PDF text layers and Markdown made from PDFs: value lines apart from labels
``html_grid``   (1.0)  HTML tables as pipe rows; every empty cell is a blank cell
``pipe_grid``   (1.0)  pipe rows, Markdown tables, one cell per line with a ``|`` suffix
``cell_per_line`` (0.9) one cell per line with empty lines between; an extra empty line is a blank
``glued``       (0.6)  the cells of a row glued into one digit run (split by the realigner)
``inline``      (0.5)  cells inline in reading order: space-separated rows, one cell per line

The figures are each handler's fit when its evidence holds. A legacy indicator list is located by
:func:`gxparse.legacy.locate_legacy` (by its row labels, when no 2019/2021 table is found) and read
by the ``legacy`` handler (:mod:`gxparse.layouts.indicator_list`). Adding a layout
means adding one module with a handler class and listing an instance in ``BUILT_IN`` (or calling
:func:`register`).
"""

from gxparse.layouts.base import LayoutHandler
from gxparse.layouts.indicator_list import IndicatorList
from gxparse.layouts.registry import BUILT_IN, choose, handlers, register, segment_region, unregister

LEGACY = IndicatorList.name
"""The layout name recorded for a legacy indicator table (read by :mod:`gxparse.layouts.indicator_list`)."""

__all__ = ["BUILT_IN", "LEGACY", "LayoutHandler", "choose", "handlers", "register", "segment_region", "unregister"]
