"""Pipe grids in text: one row per line with ``|`` between cells, Markdown tables, or one cell per
line with a ``|`` suffix.

An empty cell is a ``blank`` item; empty cells after a row's last filled one are flagged
``trailing`` (filler pipes that many reports print to the grid's width), unless the grid's full rows
show it pads nothing (:func:`blanks_beyond_padding`, applied by the registry whichever handler cuts
the region, since a tab grid's rows may be cut as value lines).

Markdown made from a PDF often prints a row's values in a pipe row of their own, apart from its
label (the label lands on a line without pipes, above or below, out of order). Rows whose label
shares a pipe row with its values pin the grid to the template; the value rows between two pins
are the rows between them, in order (:func:`pinned_value_rows`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gxparse.ir import Item, LayoutRegion, RowProblem, Segmentation, TableProblem
from gxparse.labels import align_rows
from gxparse.layouts.base import anchored, region_mode, scanned
from gxparse.scan import count_unit_end
from gxparse.segments import anchored_layouts
from gxparse.template import TableSpec

GRID_FIT = 1.0
"""Pipes on a share of the lines (:data:`gxparse.scan.PIPE_LINE_SHARE`) are a grid: prose rarely prints one."""


class PipeGrid:
    """Cells between pipes, in a text (not HTML) source."""

    name = "pipe_grid"
    ceiling = GRID_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`GRID_FIT` when the region's lines are pipe rows, or it holds a Markdown grid whose rule
        row declares its width (small grids between plain lines keep their empty cells), and the
        source is not HTML; else 0. (The region's scan mode is ``pipe`` exactly when its lines are pipe rows,
        :func:`~gxparse.scan.looks_pipe`: :func:`~gxparse.scan.detect_mode` asks it first, once per region.)"""
        if region.kind == "html":
            return 0.0
        return GRID_FIT if region_mode(region) == "pipe" or declares_width(region) else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels; value rows printed apart from their labels fill the rows between pins."""
        seg = anchored(region, "pipe")
        seg = best_pinned(region.spec, seg, scanned(region, "pipe")) or seg
        return blanks_within_width(seg) if declares_width(region) else seg


_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|")


def declares_width(region: LayoutRegion) -> bool:
    """True for a Markdown grid: its ``|---|---|`` rule row fixes how many cells every row has.

    A rule row holds ``---``, so a region whose text holds none has no rule row: it is told so by one search
    of the text instead of a match per line (most regions; a grid printed one cell per line has hundreds)."""
    where = region.region
    return region.text.find("---", where.start, where.end) >= 0 and any(map(_MARKDOWN_RULE.match, region.lines))


def blanks_within_width(seg: Segmentation) -> Segmentation:
    """Read the empty cells that end a row as its blank last cells, as many as the row lacks.

    Empty cells after a row's last filled one are flagged ``trailing`` (fillers to the grid's
    width, or cells whose blanks were dropped before them). In a grid whose width is declared
    (:func:`declares_width`) a row printed with fewer filled cells than it has columns ends with
    blank cells: the first trailing ones, up to its width, are those.
    """
    problems = []
    changed = False
    for row in seg.problem.rows:
        items = _blank_last_cells(row)
        changed = changed or items != row.items
        problems.append(RowProblem(row.key, row.cols, items, row.constraints))
    if not changed:
        return seg
    return Segmentation(TableProblem(seg.problem.table, problems, seg.problem.identities), seg.labels, seg.matched,
                        seg.mode, seg.units, seg.unread)


PADDING_FULL_ROWS = 3
"""A row shape pads nothing when at least this many rows of that shape print every cell and none ends with an
empty cell (as :data:`gxparse.blank_gaps.MIN_FULL_ROWS`: two rows are no habit)."""


def blanks_beyond_padding(text: str, seg: Segmentation, lines: Sequence[str] = ()) -> Segmentation:
    """Read the empty cells that end a row as its blank last cells where the grid pads no row.

    Empty cells after a row's last filled one are flagged ``trailing``: fillers that pad rows to the
    grid's width, or blank last cells. Where the grid declares no width, its full rows show the
    padding: rows of one shape (as many columns, as many cells before their first value: the label
    cells of the line) that print every cell all end with the same number of empty cells. Where that
    number is 0 (a tab grid: only a tab that ends a row leaves an empty cell there), an empty cell that
    ends a row of that shape, or of one printing more label cells (:func:`_pads_nothing`), short of
    cells was printed by the row itself: its first trailing cells, as many as it lacks, are blanks
    (``5.属于三类内部事务信息|0|0||0|0|0||``). A table of one row (四) has no full rows to show it: there
    the region's ``lines`` may (:func:`_lines_unpadded`). A grid that pads its rows pads a row whose
    blank was dropped as much as one that printed it empty last, so there the empty cells show nothing
    of where the blank sits and stay fillers, unless the grid prints its blanks as empty cells within
    rows (:func:`_prints_inner_blanks`): then it drops none, and a short row's first trailing cells are
    its blank last cells whatever padding follows.
    """
    rows = seg.problem.rows
    if not any("trailing" in it.flags for row in rows for it in row.items):
        return seg  # no empty cell ends a row (no pipe row, or none padded): there is nothing to read as a blank
    shapes = [_row_shape(text, row) for row in rows]
    ends: dict[tuple[int, int], list[int]] = {}  # the empty cells that end each full row, by shape
    for row, shape in zip(rows, shapes):
        if shape is not None and _filled(row.items) == len(row.cols):
            ends.setdefault(shape, []).append(_empty_cells_after(text, row))
    unpadded = {shape for shape, found in ends.items() if len(found) >= PADDING_FULL_ROWS and set(found) == {0}}
    every_shape = _lines_unpadded(lines)
    blanks_printed = _prints_inner_blanks(rows)
    problems = []
    changed = False
    for row, shape in zip(rows, shapes):
        if not (shape is not None and (every_shape or blanks_printed) or _pads_nothing(shape, unpadded)):
            problems.append(row)
            continue
        items = _blank_last_cells(row)
        changed = changed or items != row.items
        problems.append(RowProblem(row.key, row.cols, items, row.constraints, row.unit) if items != row.items else row)
    if not changed:
        return seg
    return Segmentation(TableProblem(seg.problem.table, problems, seg.problem.identities), seg.labels, seg.matched,
                        seg.mode, seg.units, seg.unread, seg.anchors)


INNER_BLANK_ROWS = 3
"""Rows printing an empty cell between two filled ones that show a grid prints its blanks (as
:data:`PADDING_FULL_ROWS`: two rows are no habit)."""


def _prints_inner_blanks(rows: Sequence[RowProblem]) -> bool:
    """Whether the grid prints a blank cell as an empty one: at least :data:`INNER_BLANK_ROWS` rows, no row
    holding more cells than columns, show an empty cell between two filled ones. Such a grid drops no blank
    from within a row, so a row short of cells lacks its last ones: the first empty cells that end it are
    those, whatever padding follows them (the independent generator pads a row by its label's colspan:
    ``8.属于行政查询事项 | 0 | 0 |  | 0 |  |  |  |`` ends with its three blank cells, while rows of the same
    shape print one or two fillers after seven cells)."""
    inner = 0
    for row in rows:
        if _filled(row.items) > len(row.cols):
            return False
        filled = [n for n, it in enumerate(row.items) if it.kind != "blank"]
        inner += bool(filled) and any(it.kind == "blank" for it in row.items[filled[0]:filled[-1]])
    return inner >= INNER_BLANK_ROWS


def _lines_unpadded(lines: Sequence[str]) -> bool:
    """Whether a region's pipe lines show a grid that pads nothing: at least :data:`PADDING_FULL_ROWS` of them
    print no edge and end with a filled cell, and they print different numbers of cells. A padded grid prints
    every line to one width (a Markdown grid's lines end with its right edge); a tab grid's header lines
    (``行政复议|行政诉讼``, ``结果维持|…|复议后起诉``, ``结果维持|…|总计``) end where their cells end."""
    widths = [line.count("|") for line in lines
              if "|" in line and not line.strip().startswith("|") and not line.strip().endswith("|")]
    return len(widths) >= PADDING_FULL_ROWS and len(set(widths)) > 1


def _pads_nothing(shape: tuple[int, int] | None, unpadded: set[tuple[int, int]]) -> bool:
    """Whether rows of ``shape`` are unpadded: a shape of as many columns with as many label cells or fewer
    pads nothing. A grid pads its rows to one width, so a row printing more label cells than a full row
    that reaches the width without padding is as wide or wider: it is padded by nothing either (the first
    row of a group, ``(四)无法提供|1.本机关不掌握相关政府信息|…``, beside the group's other rows)."""
    return shape is not None and any(cols == shape[0] and cells <= shape[1] for cols, cells in unpadded)


def _blank_last_cells(row: RowProblem) -> list[Item]:
    """The row's items with its first empty cells that end its line, as many as it lacks, read as blank
    cells (no longer ``trailing``)."""
    lacking = len(row.cols) - _filled(row.items)
    items = list(row.items)
    for n, it in enumerate(items):
        if lacking <= 0:
            break
        if it.kind == "blank" and "trailing" in it.flags:
            items[n] = Item("blank", "", it.start, it.end, it.line, tuple(f for f in it.flags if f != "trailing"))
            lacking -= 1
    return items


def _filled(items: list[Item]) -> int:
    """The cells a row's items print (every item but the empty cells that end its line)."""
    return sum(1 for it in items if not (it.kind == "blank" and "trailing" in it.flags))


def _empty_cells_after(text: str, row: RowProblem) -> int:
    """The empty cells that end the line of a row's last filled item, as the scanner reads them
    (:func:`gxparse.scan.scan_region`: the cell after a line's last ``|`` is none); -1 when the line
    prints anything else after it. Counted in the text, as a handler may keep fewer of them as items."""
    last = [it for it in row.items if not (it.kind == "blank" and "trailing" in it.flags)][-1]
    line_end = text.find("\n", last.end)
    rest = text[last.end:len(text) if line_end < 0 else line_end]
    if last.kind == "num":  # the unit the last value prints in its cell (``0件||``) is part of that cell
        rest = rest[count_unit_end(text, last.end) - last.end:]
    if rest.strip(" |"):
        return -1
    return rest.count("|") - 1 + (0 if rest.rstrip().endswith("|") else 1) if rest.count("|") else 0


def _row_shape(text: str, row: RowProblem) -> tuple[int, int] | None:
    """A one-line row's columns and the cell edges before its first item on its line; ``None`` for a row
    without items or spread over several lines."""
    if not row.items or len({it.line for it in row.items}) > 1:
        return None
    first = row.items[0].start
    line_start = text.rfind("\n", 0, first) + 1
    return len(row.cols), text.count("|", line_start, first)


PRINTED_LABEL_SCORE = 90.0
"""A row's label counts as printed when a piece matches it this well (:func:`gxparse.labels.align_rows`,
0–100): a wrapped fragment of it (``逾期不补正、行政机关``) scores 92, a header that merely shares a word
with a short label (``法人或其他组织`` for ``3.其他``) 75."""


def best_pinned(table: TableSpec, seg: Segmentation, items: list[Item]) -> Segmentation | None:
    """The pinned reading (:func:`pinned_value_rows`) of the row layout whose own rows' labels are printed.

    ``seg`` is the anchored cut of the layout whose labels scored best in reading order; a label
    printed out of order (``（六）其他处理`` above ``2.重复申请``) can cost the layout it belongs to that
    score, and the value rows printed apart from their labels are then given by position, where a
    layout with rows the copy does not print shifts them. So when the table has another row layout,
    the one is read whose own rows (those the other layout lacks: gov2021's three ``other_*`` rows,
    or the single （六）其他处理 row) have the most labels printed anywhere in the region
    (:data:`PRINTED_LABEL_SCORE`); on a tie, ``seg``'s. ``None`` when no value row stands apart.
    """
    best = pinned_value_rows(table, seg, items)
    if best is None or not table.has_alternatives:
        return best
    pieces = [it.text for it in items if it.kind == "text"]
    layouts = [table.layout(), table.layout(alternatives=True)]
    keys = [{r.key for r in rows} for rows in layouts]
    current = next((n for n, k in enumerate(keys) if k == {r.key for r in seg.problem.rows}), 0)

    def own_rows_printed(n: int) -> int:
        own = keys[n] - set().union(*(k for m, k in enumerate(keys) if m != n))
        found = align_rows(pieces, layouts[n], monotone=False)
        return sum(key in own and score >= PRINTED_LABEL_SCORE for key, (_, score) in found.items())

    chosen = max(range(len(layouts)), key=lambda n: (own_rows_printed(n), n == current))
    if chosen == current:
        return best
    return pinned_value_rows(table, anchored_layouts(table, items)[chosen], items) or best


def pinned_value_rows(table: TableSpec, seg: Segmentation, items: list[Item]) -> Segmentation | None:
    """Give the pipe rows that hold values but no label to the template rows between the pinned rows.

    A row is *pinned* when its label sits on a pipe row with values: those labels alone are aligned
    with the template's rows (labels printed elsewhere, out of order, do not move a pin). Between two pins
    (in both template and reading order) the unlabelled value rows go to the unpinned template rows
    in order when their counts agree; before the first pin they are the rows just above it (a copy
    that begins inside the table), after the last pin the rows just below it. Every other row keeps
    its anchored items, less those of a value row given to another row. ``None`` when no value row
    stands apart from its label (the anchored cut is the reading), for a table whose rows differ in
    width, or for table 二 (its rows may be printed in any order).
    """
    rows = seg.problem.rows
    widths = {len(r.cols) for r in rows}
    if seg.mode != "anchored" or len(widths) != 1 or table.key == "active_disclosure":
        return None
    width = widths.pop()
    by_line: dict[int, list[Item]] = {}
    text_lines = set()
    for it in items:
        if it.kind == "text":
            text_lines.add(it.line)
        else:
            by_line.setdefault(it.line, []).append(it)
    value_lines = {line for line, found in by_line.items() if len(found) >= max(2, width - 1)}
    orphans = sorted(value_lines - text_lines)
    if not orphans:
        return None
    pins = _pins(table, rows, items, value_lines)
    assigned = {n: line for n, line in pins}
    bounds = [(-1, -1), *pins, (len(rows), max(by_line) + 1)]
    for (r0, l0), (r1, l1) in zip(bounds, bounds[1:]):
        free_rows = [n for n in range(r0 + 1, r1) if n not in assigned]
        free_lines = [line for line in orphans if l0 < line < l1]
        if not free_lines or len(free_lines) > len(free_rows):
            continue
        if r0 == -1:
            free_rows = free_rows[len(free_rows) - len(free_lines):]  # begins inside the table
        elif r1 == len(rows):
            free_rows = free_rows[:len(free_lines)]  # ends inside the table
        elif len(free_lines) != len(free_rows):
            continue
        assigned.update(zip(free_rows, free_lines))
    if len(assigned) == len(pins):
        return None
    taken = set(assigned.values())
    problems = []
    for n, row in enumerate(rows):
        row_items = by_line[assigned[n]] if n in assigned else [it for it in row.items if it.line not in taken]
        problems.append(RowProblem(row.key, row.cols, row_items, row.constraints))
    matched = seg.matched | {rows[n].key for n in assigned}
    return Segmentation(TableProblem(seg.problem.table, problems, seg.problem.identities), seg.labels, matched, "pinned")


def _pins(table: TableSpec, rows: list[RowProblem], items: list[Item], value_lines: set[int]) -> list[tuple[int, int]]:
    """``(row index, line)`` of the rows whose label is printed on a value row, increasing in both."""
    labelled = [it for it in items if it.kind == "text" and it.line in value_lines]
    specs = {r.key: r for r in table.rows}
    matches = align_rows([it.text for it in labelled], [specs[row.key] for row in rows])
    index = {row.key: n for n, row in enumerate(rows)}
    pins: list[tuple[int, int]] = []
    for n, line in sorted((index[key], labelled[j].line) for key, (j, _) in matches.items()):
        if not pins or line > pins[-1][1]:  # one row per value row (a group label may share it)
            pins.append((n, line))
    return pins
