"""Blank cells of a fixed-width copy, read from where its columns stand (``pdftotext -layout``).

A copy laid out in fixed-width columns (``pdftotext -layout``, a plain-text export of a document)
keeps every cell in its column: a blank cell leaves its column empty, and each value sits in its
column whether right-, left- or centre-aligned. Gaps alone cannot show which column is empty there
(a wide number narrows the gap before it as much as a blank widens one), but the columns can: where
the rows of a table that print every cell agree on where each column stands, a row printed short
gets a blank cell at each column none of its values stands in.

The grid is trusted only when it is one: at least :data:`MIN_FULL_ROWS` full rows of the same width,
whose values of one column overlap each other and stand apart from the next column's by at least
:data:`MIN_COLUMN_GAP` character columns. A copy with single spaces between cells (labels of
different lengths shift every row) shows no such grid and is left to :mod:`gxparse.blank_gaps`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate

from gxparse.display import display_width
from gxparse.ir import Item, RowProblem, Segmentation, TableProblem

MIN_FULL_ROWS = 3
"""Full rows that must agree on the grid: two rows of equal-length labels agree by chance."""
MIN_COLUMN_GAP = 2
"""Character columns between two columns of the grid: ``pdftotext -layout`` leaves at least two; a copy
with one space between cells shows none."""

_Span = tuple[int, int]


def _readings(text: str, items: list[Item], widths: _LineWidths, *,
              every_start: bool) -> list[list[_Span | None]] | None:
    """The display columns each value of a one-line row covers (``None`` for a blank the layout already
    placed), measured from each place the copy's line may start (:func:`_line_starts`), or ``None`` for a
    row that is not one line of values.

    Without ``every_start``, from the first and the last start only (the first alone when there is one): a row
    that is not short is read only so (:func:`column_blanks`: a full row's grid is measured from its first
    reading, or from its only one; a page's from its last), and a line that holds a whole glued report has
    dozens of starts before its last rows."""
    values = [it for it in items if it.kind != "blank"]
    if not values or any(it.kind not in ("num", "ph") for it in values) or len({it.line for it in values}) > 1:
        return None
    starts = _line_starts(text, values[0].start, widths)
    if not every_start and len(starts) > 2:
        starts = [starts[0], starts[-1]]
    prefix = text[starts[0]:values[0].start]
    if "\t" in prefix or "|" in prefix:
        return None
    # the columns from a later start are the line's less those before it (one line, its widths added one by one)
    first = starts[0]
    columns = widths.of_line(first)
    # a unit printed after the value (0件) is in its cell
    ends = [item.end if item.kind == "blank" else _TO_SPACE.match(text, item.end).end() for item in items]
    readings = []
    for line_start in starts:
        before = columns[line_start - first]
        readings.append([None if item.kind == "blank" else (columns[item.start - first] - before, columns[end - first] - before)
                         for item, end in zip(items, ends)])
    return readings


_JOINED_BREAK = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
"""A space between two Chinese characters: where normalisation may have joined the lines of a wrapped label
(:func:`gxparse.normalize.unwrap_labels` makes the line break a space)."""


def _line_starts(text: str, first_value: int, widths: _LineWidths) -> list[int]:
    """Where the copy's line that prints a row's values (from ``first_value`` on) may start: the line's start
    in the normalised text, then after each space between two Chinese characters before the values.

    Normalisation joins a wrapped label's lines (``一、本年新收政府信息公开 申请数量   0   168``), but the copy
    counts its columns from the line the values are printed on, which begins after such a joined break:
    measured from the joined line's start, every value would stand a label line's width too far right.
    The breaks are found once per line (:meth:`_LineWidths.joined_breaks`): a line holding a whole glued report
    holds every row's values."""
    line_start = text.rfind("\n", 0, first_value) + 1
    breaks = widths.joined_breaks(line_start)
    return [line_start, *breaks[:bisect_left(breaks, first_value)]]


_TO_SPACE = re.compile(r"\S*")
"""What stands between a value's end and the next white space (a unit such as ``件``, or more glued text)."""


class _LineWidths:
    """The display columns from a line's start to each of its characters, measured once per line (a table
    printed on one line holds many rows)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: dict[int, list[int]] = {}
        self._breaks: dict[int, list[int]] = {}

    def _line(self, line_start: int) -> str:
        """The line of ``text`` that begins at ``line_start``, without its line break."""
        line_end = self._text.find("\n", line_start)
        return self._text[line_start:len(self._text) if line_end < 0 else line_end]

    def joined_breaks(self, line_start: int) -> list[int]:
        """Where the line that begins at ``line_start`` may begin again after a joined break (:data:`_JOINED_BREAK`),
        in order. A break before a row's first value is one that ``_JOINED_BREAK.finditer(text, line_start,
        first_value)`` finds, each a single space whose neighbours its lookarounds read: the breaks of the whole
        line ending before ``first_value`` (a value's first character is no Chinese one to end a break there)."""
        if line_start not in self._breaks:
            self._breaks[line_start] = [line_start + m.end() for m in _JOINED_BREAK.finditer(self._line(line_start))]
        return self._breaks[line_start]

    def of_line(self, line_start: int) -> list[int]:
        """``out[i]``: the columns ``text[line_start:line_start + i]`` took in the copy (:func:`_source_width`)."""
        if line_start not in self._lines:
            self._lines[line_start] = [0, *accumulate(map(_CHAR_WIDTHS.__getitem__, self._line(line_start)))]
        return self._lines[line_start]


TEXTS_MEASURED = 2
"""Texts whose lines' measures are kept (:func:`_line_widths`): a report's tables are cut one after another, the
located ones and then a legacy list's, against one text."""


@lru_cache(maxsize=TEXTS_MEASURED)
def _line_widths(text: str) -> _LineWidths:
    """The measures of ``text``'s lines, shared by every table cut from it: each line measured once a report
    (a copy that prints a whole report on one line held every table's rows, measured again for each table)."""
    return _LineWidths(text)


_FULL_WIDTH_ORIGIN = frozenset("()[]:;,!?")
"""Punctuation the copy printed full-width in its labels (（）：，) and normalisation made ASCII."""


def _source_width(text: str) -> int:
    """Display columns ``text`` took in the copy: two for CJK characters and for the full-width punctuation
    normalisation turned into ASCII (:data:`_FULL_WIDTH_ORIGIN`)."""
    return display_width(text) + sum(ch in _FULL_WIDTH_ORIGIN for ch in text)


class _CharWidths(dict[str, int]):
    """:func:`_source_width` of each character, measured the first time it is asked for."""

    def __missing__(self, ch: str) -> int:
        self[ch] = width = _source_width(ch)
        return width


_CHAR_WIDTHS = _CharWidths()


def _grid(full: list[list[_Span | None]]) -> list[_Span] | None:
    """The columns the full rows agree on (each the union of its values' spans), or ``None``: every column
    needs :data:`MIN_FULL_ROWS` values, each overlapping all the others, apart from the next column's."""
    columns: list[_Span] = []
    for j in range(len(full[0]) if full else 0):
        spans = [row[j] for row in full if row[j] is not None]
        if len(spans) < MIN_FULL_ROWS:
            return None
        left, right = min(sp[0] for sp in spans), max(sp[1] for sp in spans)
        if max(sp[0] for sp in spans) >= min(sp[1] for sp in spans):
            return None  # two values of the column do not overlap
        if columns and left - columns[-1][1] < MIN_COLUMN_GAP:
            return None
        columns.append((left, right))
    return columns or None


def _placed(spans: list[_Span], columns: list[_Span]) -> list[int] | None:
    """The column each value stands in (one each, in order), or ``None`` when a value stands in none or two."""
    placed: list[int] = []
    for left, right in spans:
        hits = [j for j, (c_left, c_right) in enumerate(columns) if left < c_right and right > c_left]
        if len(hits) != 1 or (placed and hits[0] <= placed[-1]):
            return None
        placed.append(hits[0])
    return placed


def _with_blanks(row: RowProblem, placed: list[int]) -> RowProblem:
    out: list[Item] = []
    items = row.items
    at = 0
    for j in range(len(row.cols)):
        if at < len(items) and placed[at] == j:
            out.append(items[at])
            at += 1
        else:
            anchor = items[at - 1].end if at else items[0].start
            out.append(Item("blank", "", anchor, anchor, items[0].line, ("column",)))
    return RowProblem(row.key, row.cols, out, row.constraints)


def column_blanks(text: str, seg: Segmentation) -> Segmentation:
    """``seg`` with a ``blank`` item (flagged ``column``) in each empty column of its short one-line rows,
    where the table's full rows of the same width show a fixed-width grid; ``seg`` itself otherwise.

    The grid is read from the full rows whose line has one possible start (no wrapped label joined onto it:
    :func:`_line_starts`), or, when those are too few, from every full row measured from its line's start.
    A row that fits no grid of the whole table is placed by the grid of the run of agreeing full rows
    nearest it (:func:`_page_grids`: a page break may move every column). A short row's values are placed from the line
    start under which they fit; when several fit differently, the nearest to the values (the line the
    values are printed on) decides."""
    rows = seg.problem.rows
    if not any(0 < len(row.items) < len(row.cols) and all(it.kind != "blank" for it in row.items) for row in rows):
        return seg  # no short row without blanks: nothing to place (and no line to measure)
    # a row of more items than cells is neither full nor short (and measuring its every item would cost a
    # pass over its line each: a hostile line of 100 000 numbers)
    widths = _line_widths(text)
    readings = [_readings(text, list(row.items), widths, every_start=len(row.items) < len(row.cols))
                if len(row.items) <= len(row.cols) else None for row in rows]
    if not any(r is not None and len(r[0]) < len(row.cols) and None not in r[0] for r, row in zip(readings, rows)):
        return seg

    def full_rows(width: int) -> list[tuple[int, list[list[_Span | None]]]]:
        """The rows of ``width`` columns that print every cell, by index, with their readings (asked once for a
        width's grid and once for its pages' grids, not for every short row)."""
        return [(n, r) for n, (r, other) in enumerate(zip(readings, rows))
                if r is not None and len(r[0]) == len(other.cols) == width]

    grids: dict[int, list[_Span] | None] = {}
    page_grids: dict[int, list[_Run]] = {}
    out: list[RowProblem] = []
    for row, row_readings in zip(rows, readings):
        width = len(row.cols)
        if row_readings is None or not 0 < len(row_readings[0]) < width or None in row_readings[0]:
            out.append(row)
            continue
        if width not in grids:
            grids[width] = _full_rows_grid([r for _, r in full_rows(width)])
        fits = _fits(row_readings, grids[width])
        if not fits:
            if width not in page_grids:
                page_grids[width] = _page_grids([(rows[n].items[0].line, r[-1]) for n, r in full_rows(width)])
            fits = _fits(row_readings, _nearest_grid(row.items[0].line, page_grids[width]))
        out.append(_with_blanks(row, fits[-1]) if fits else row)
    if all(new is old for new, old in zip(out, rows)):
        return seg
    return replace(seg, problem=TableProblem(seg.problem.table, out, seg.problem.identities))


def _fits(readings: list[list[_Span | None]], columns: list[_Span] | None) -> list[list[int]]:
    """The placements of a row's readings that fit ``columns`` (:func:`_placed`), in the readings' order."""
    return [placed for spans in readings if columns and (placed := _placed(spans, columns))]  # type: ignore[arg-type]


def _full_rows_grid(full: list[list[list[_Span | None]]]) -> list[_Span] | None:
    """The grid of the full rows' readings (:func:`_grid`): from the rows with one reading when they make
    one, else from every row's first reading (from its line's start in the normalised text)."""
    unjoined = [r[0] for r in full if len(r) == 1]
    return _grid(unjoined) or _grid([r[0] for r in full])


_Run = tuple[int, int, int, "list[_Span] | None"]
"""A run of agreeing full rows: the lines of its first and last row, how many rows, its grid."""


def _page_grids(full: list[tuple[int, list[_Span | None]]]) -> list[_Run]:
    """The runs of full rows (each given by its line) whose columns agree, each with the lines of its first and
    last row, its size and its grid (``None`` when too few of its rows print a column): a copy laid out page by page may set each
    page's columns apart. A row joins the latest run it agrees with, so one row measured apart from its
    neighbours (a character of uncertain width in its label) leaves their run whole; only runs of at least
    :data:`MIN_FULL_ROWS` rows are kept (a row or two alone say nothing of a page's columns)."""
    runs: list[list[tuple[int, list[_Span | None]]]] = []
    for index, spans in full:
        run = next((run for run in reversed(runs) if _agrees([s for _, s in run], spans)), None)
        if run is None:
            runs.append([(index, spans)])
        else:
            run.append((index, spans))
    return [(run[0][0], run[-1][0], len(run), _grid([s for _, s in run])) for run in runs if len(run) >= MIN_FULL_ROWS]


def _nearest_grid(at: int, runs: list[_Run]) -> list[_Span] | None:
    """The grid of the run nearest the row on line ``at`` (of runs around it the largest, then the earlier): the
    columns of its page (a page break puts its page number and running header between two pages' rows). ``None`` when that run shows no grid: another page's columns would place the row by chance."""
    nearest = min(runs, key=lambda run: (_distance(at, run[0], run[1]), -run[2], run[0]), default=None)
    return nearest[3] if nearest is not None else None


def _agrees(run: list[list[_Span | None]], spans: list[_Span | None]) -> bool:
    """Whether each value of ``spans`` overlaps every value the ``run``'s rows print in its column."""
    for j, span in enumerate(spans):
        column = [row[j] for row in run if row[j] is not None]
        if span is not None and column and max(left for left, _ in (*column, span)) >= min(
                right for _, right in (*column, span)):
            return False
    return True


def _distance(at: int, first: int, last: int) -> int:
    """How many lines ``at`` stands from the run ``first..last`` (0 inside it)."""
    return first - at if at < first else at - last if at > last else 0
