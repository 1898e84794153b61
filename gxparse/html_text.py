"""Turn HTML into plain text that keeps the structure of its tables.

Reports published as web pages hold their statistics in ``<table>`` elements with ``rowspan`` and
``colspan``. The text parser downstream reads lines, so each data table becomes one line per row
with its cells joined by ``" | "`` and a trailing ``" |"``. Blank cells stay visible as empty
strings between the pipes, and a merged cell is written once, on the row and column where it
starts. Everything outside tables becomes one line per block element.

A table that contains another table, or a cell with many lines of flowing text, is a page-layout
table rather than a data table: its cells are read as ordinary blocks, so the report it wraps
is neither glued into one line nor reordered, and the tables inside it are linearised in turn.

Parsing uses lxml, which repairs broken markup. If lxml fails or gives up (for example on
nesting deeper than libxml2 allows), a regular-expression tag stripper is used instead, so this
module never raises on malformed HTML. Tree walks are iterative, never recursive, so deep
nesting cannot exhaust the Python stack. Expanding spans is the one cost that markup can blow
up (``rowspan=1000`` on every cell): the slots of a document's tables are counted against
:attr:`~gxparse.limits.Limits.max_html_grid_cells` and
:class:`~gxparse.errors.InputTooLargeError` is raised before the limit is crossed.
"""

from __future__ import annotations

import bisect
import functools
import html as html_lib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gxparse.errors import InputTooLargeError
from gxparse.limits import get_limits

if TYPE_CHECKING:
    import lxml.etree

    _CellTexts = dict[lxml.etree._Element, list[tuple[lxml.etree._Element, str]]]  # own rows, own cells, raw texts

logger = logging.getLogger("gxparse")

_DROPPED_TAGS = frozenset({"script", "style", "head"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend",
        "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_MAX_SPAN = 1000  # the HTML standard's limit for colspan; rowspan is bounded by the table
_MAX_GRID_CELL_LINES = 6  # a cell with more lines is page layout wrapping flowing text
_SPAN = re.compile(r"\s*(\d+)")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_ANY_SPACE = re.compile(r"\s+")
_CJK = re.compile("[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<(/?)(table|tr|td|th)\b", re.IGNORECASE)

# Fallback stripper, used only when lxml cannot parse the document.
_RE_DROPPED = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|head)\b[^<>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_RE_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_RE_BLOCK = re.compile(
    r"</?(?:%s)\b[^<>]*>|<br\b[^<>]*>" % "|".join(sorted(_BLOCK_TAGS - {"td", "th"})),
    re.IGNORECASE,
)
_RE_TAG = re.compile(r"<[^<>]*>")


class _LineBreak:
    """Marker produced by a block boundary or a ``<br>`` in a stream of text pieces."""


_BREAK = _LineBreak()


@dataclass(frozen=True, slots=True)
class _RowLine:
    """A data-table row, already linearised, in a stream of text pieces."""

    text: str


_Piece = str | _LineBreak | _RowLine


@dataclass(frozen=True, slots=True)
class GridCell:
    """One slot of a table's expanded grid.

    Attributes
    ----------
    text : str
        The cell's text, cleaned by :func:`clean_cell_text` (``""`` for a blank cell).
    is_origin : bool
        True for the slot where a cell starts (its top-left slot). False for the copies that
        ``rowspan``/``colspan`` expansion puts in the other slots of a merged cell, and for the
        blank filler of slots that no cell covers (ragged rows).
    row : int
        Row index of this slot in the grid.
    col : int
        Column index of this slot in the grid.
    """

    text: str
    is_origin: bool
    row: int
    col: int


def html_to_text(html: str) -> str:
    """Convert an HTML document or fragment to plain text, one line per block or table row.

    Parameters
    ----------
    html : str
        Decoded HTML; a full page or a fragment without ``<html>``/``<body>``.

    Returns
    -------
    str
        Lines joined by ``"\\n"``, without blank lines. Data-table rows read
        ``"规章 | 13 | 13 | 524 |"``; text outside tables keeps its order, with runs of HTML
        white space collapsed to one space (NBSP and U+3000 are kept).

    Raises
    ------
    InputTooLargeError
        If the document's tables expand to more grid slots than the limit allows.
    """
    if not html.strip():
        return ""
    root = _parse(_reopen_cut_table(html))
    if root is None:
        return _strip_tags(html)
    _adopt_orphan_rows(root)
    return "\n".join(_flow_lines(root, _GridBudget()))


class _GridBudget:
    """The grid slots one document may still expand into (:attr:`Limits.max_html_grid_cells`)."""

    def __init__(self) -> None:
        self.limit = get_limits().max_html_grid_cells
        self.left = self.limit

    def take(self, n_slots: int) -> None:
        """Use ``n_slots``; raise InputTooLargeError when the budget would be exceeded."""
        self.left -= n_slots
        if self.left < 0:
            raise InputTooLargeError(f"the HTML tables expand to more than {self.limit:,} grid cells "
                                     "(rowspan/colspan; gxparse.limits max_html_grid_cells)")


def html_table_grid(table: lxml.etree._Element) -> list[list[GridCell]]:
    """Expand a ``<table>`` element into a rectangular grid of cells.

    A cell with ``rowspan``/``colspan`` fills every slot it covers: its origin slot has
    ``is_origin=True`` and the other slots hold copies with ``is_origin=False``. Rows and cells
    of tables nested inside this one are not part of its grid.

    Parameters
    ----------
    table : lxml.etree._Element
        A ``table`` element of an lxml tree (``lxml.html`` or ``lxml.etree``).

    Returns
    -------
    list[list[GridCell]]
        One list per ``<tr>``, all of the same length; ``grid[r][c]`` has ``row == r`` and
        ``col == c``.

    Raises
    ------
    InputTooLargeError
        If the grid has more slots than :attr:`~gxparse.limits.Limits.max_html_grid_cells`.
    """
    texts = _cell_texts(table)
    return _expand(list(texts), _GridBudget(), texts)


def clean_cell_text(text: str) -> str:
    """Clean the text of one table cell for linearisation.

    White space splits a cell's text only where the source wrapped a label
    (``"本年新<br/>制作数量"``), so it is removed entirely when the cell holds CJK text, and
    collapsed to single spaces otherwise. A cell of white space only (including NBSP and U+3000)
    becomes ``""``.

    Parameters
    ----------
    text : str
        The raw text of a cell, line breaks included.

    Returns
    -------
    str
        The cleaned text.
    """
    if _CJK.search(text):
        return _ANY_SPACE.sub("", text)
    return _ANY_SPACE.sub(" ", text).strip()


def format_table_row(cells: Sequence[str]) -> str:
    """Join the cleaned texts of a row's cells into one line.

    Parameters
    ----------
    cells : Sequence[str]
        Cleaned cell texts, blanks as ``""``.

    Returns
    -------
    str
        ``"a | b |  | d |"``: cells joined by ``" | "``, with a trailing ``" |"``.
    """
    return " | ".join(cells) + " |"


def _parse(html: str) -> lxml.etree._Element | None:
    """Parse ``html`` with lxml; return None if lxml fails or stops early.

    The tree is lxml.etree's, not lxml.html's: the same parse, but lxml.html finds each element's
    Python class through a Python callback, a third of the time of reading a report's tables.
    """
    import lxml.etree  # imported here: a text report's parse does not need lxml

    parser = lxml.etree.HTMLParser(huge_tree=True)
    try:
        root = lxml.etree.fromstring(_XML_DECLARATION.sub("", html), parser=parser)
        if root is None:
            raise lxml.etree.ParserError("Document is empty")  # as lxml.html.document_fromstring
    except (lxml.etree.LxmlError, ValueError) as exc:
        logger.warning("lxml cannot parse the HTML (%s); stripping tags instead", exc)
        return None
    fatal = parser.error_log.filter_from_fatals()
    if fatal:
        logger.warning(
            "lxml stopped parsing the HTML (%s); stripping tags instead", fatal[0].message
        )
        return None
    return root


def _reopen_cut_table(html: str) -> str:
    """Give a copy that begins inside a table (its first table tag a ``<tr>`` or a ``<td>``) its opener back.

    libxml2 reads rows outside any table as rows only while their end tags are written: when a
    copy omits ``</td>`` (which HTML allows), the last cell of such rows is never closed and takes
    in the rest of the document (headings, the next tables), up to the cut table's own
    ``</table>``. With the opener restored that end tag closes the table where it ends.
    :func:`_adopt_orphan_rows` still gathers rows left outside a table elsewhere.
    """
    first = _TABLE_TAG.search(html)
    if first is None or first.group(1) or first.group(2).lower() == "table":
        return html
    opener = "<table>" if first.group(2).lower() == "tr" else "<table><tr>"
    return html[: first.start()] + opener + html[first.start() :]


def _adopt_orphan_rows(root: lxml.etree._Element) -> None:
    """Put each run of ``<tr>`` siblings outside any ``<table>`` into a table of its own, in place.

    A copy that begins inside a table (its ``<table>`` opener cut off) keeps the rows' markup, and
    lxml keeps them as ``<tr>`` elements with no table: read as blocks, their empty cells would
    vanish and every value would lose its column. As a table they keep their cells.
    """
    import lxml.etree

    orphans = [tr for tr in root.iter("tr") if next(tr.iterancestors("table"), None) is None]
    runs: list[list[lxml.etree._Element]] = []
    for tr in orphans:
        if runs and tr.getprevious() is runs[-1][-1]:
            runs[-1].append(tr)
        else:
            runs.append([tr])
    for run in runs:
        table = lxml.etree.Element("table")
        run[0].addprevious(table)
        table.extend(run)  # moves the rows (their tails with them)


def _flow_lines(root: lxml.etree._Element, budget: _GridBudget) -> Iterator[str]:
    """Yield the non-blank lines of ``root``: one per block, one per data-table row."""
    line: list[str] = []
    for piece in _pieces(root, read_tables=True, budget=budget):
        if isinstance(piece, str):
            line.append(piece)
            continue
        yield from _flush(line)
        if isinstance(piece, _RowLine):
            yield piece.text


def _flush(line: list[str]) -> Iterator[str]:
    """Yield the text collected in ``line``, collapsed, unless it is blank; empty ``line``."""
    text = _HTML_SPACE.sub(" ", "".join(line)).strip(" ")
    line.clear()
    if text and not text.isspace():
        yield text


def _pieces(root: lxml.etree._Element, *, read_tables: bool, budget: _GridBudget | None = None) -> Iterator[_Piece]:
    """Yield the content of ``root`` in document order as text, breaks and row lines.

    Produces strings for text and :data:`_BREAK` at block boundaries and ``<br>``. With
    ``read_tables``, each row of a data table becomes one :class:`_RowLine` (its cells are not
    walked) while text in the table outside its rows (a caption, stray text) flows as usual;
    without it, tables below ``root`` are skipped. Inside ``<pre>``, newlines become breaks.
    ``budget`` bounds the grid slots of the tables read (required with ``read_tables``).
    """
    rows: dict[lxml.etree._Element, str | None] = {}
    in_pre = 0

    def is_opaque(node: lxml.etree._Element) -> bool:
        if not isinstance(node.tag, str) or node.tag in _DROPPED_TAGS or node in rows:
            return True
        return not read_tables and node.tag == "table"

    for node, closing in _walk(root, is_opaque):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "pre":
            in_pre += -1 if closing else 1
        if closing:
            yield from _closing_pieces(node, tag, root, in_pre > 0)
            continue
        if tag == "table" and read_tables and budget is not None and node.find(".//table") is None:
            texts = _cell_texts(node)  # read once: both the data-table test and the grid need them
            if _is_data_table(texts):
                rows.update(_row_lines(node, budget, texts))
        yield from _opening_pieces(node, tag, rows, in_pre > 0)


def _opening_pieces(
    node: lxml.etree._Element,
    tag: str,
    rows: dict[lxml.etree._Element, str | None],
    in_pre: bool,
) -> Iterator[_Piece]:
    """Yield what an element contributes before its children: a break, its row line or text."""
    if tag in _BLOCK_TAGS or tag == "br":
        yield _BREAK
    if node in rows:
        row_line = rows[node]
        if row_line is not None:
            yield _RowLine(row_line)
    elif tag and tag not in _DROPPED_TAGS and node.text:
        yield from _text_pieces(node.text, in_pre)


def _closing_pieces(
    node: lxml.etree._Element, tag: str, root: lxml.etree._Element, in_pre: bool
) -> Iterator[_Piece]:
    """Yield what an element contributes after its children: a break, then its tail text."""
    if tag in _BLOCK_TAGS:
        yield _BREAK
    if node is not root and node.tail:
        yield from _text_pieces(node.tail, in_pre)


def _text_pieces(text: str, in_pre: bool) -> Iterator[_Piece]:
    """Yield ``text``, split at newlines into breaks when inside ``<pre>``."""
    if not in_pre:
        yield text
        return
    for i, part in enumerate(text.split("\n")):
        if i:
            yield _BREAK
        yield part


def _walk(
    root: lxml.etree._Element, is_opaque: Callable[[lxml.etree._Element], bool]
) -> Iterator[tuple[lxml.etree._Element, bool]]:
    """Yield ``(node, closing)`` open and close events in document order, iteratively.

    The children of a node for which ``is_opaque(node)`` is true are not visited. The test runs
    after the open event has been consumed, so the consumer may change its outcome.
    """
    stack: list[tuple[lxml.etree._Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        yield node, closing
        if not closing:
            stack.append((node, True))
            if not is_opaque(node):
                stack.extend((child, False) for child in reversed(node))


def _cell_texts(table: lxml.etree._Element) -> _CellTexts:
    """Each own ``<tr>`` of ``table`` with each of its own cells and the cell's raw text (:func:`_cell_raw_text`), in order."""
    return {tr: [(cell, _cell_raw_text(cell)) for cell in _own_cells(tr)] for tr in _own_rows(table)}


def _is_data_table(texts: _CellTexts) -> bool:
    """Tell whether a table without nested tables holds data (linearised by row) rather than page
    layout, from the raw texts of its cells (:func:`_cell_texts`)."""
    return all(len(text.strip().splitlines()) <= _MAX_GRID_CELL_LINES for row in texts.values() for _, text in row)


def _row_lines(
    table: lxml.etree._Element, budget: _GridBudget, texts: _CellTexts
) -> Iterator[tuple[lxml.etree._Element, str | None]]:
    """Yield each own ``<tr>`` of ``table`` with its line, None for a row without text.

    A row's line holds the cells that start in it (its own cells, left to right): the grid's slots are
    placed for the budget, but no grid is built."""
    rows = list(texts)
    _, origins, _ = _placed(rows, budget, texts)
    for tr, row_texts in zip(rows, origins):
        yield tr, format_table_row(row_texts) if any(row_texts) else None


def _expand(rows: list[lxml.etree._Element], budget: _GridBudget,
            texts: _CellTexts) -> list[list[GridCell]]:
    """Expand the cells of ``rows`` (one table's ``<tr>`` elements, their cells' raw ``texts``) into a rectangular grid."""
    slots, _, width = _placed(rows, budget, texts)
    return [
        [GridCell(*slots[(r, c)], r, c) if (r, c) in slots else GridCell("", False, r, c) for c in range(width)]
        for r in range(len(rows))
    ]


_Slots = dict[tuple[int, int], tuple[str, bool]]
"""The covered slots of a table's grid: ``(row, col)`` → the text of the cell covering it, and whether the cell starts there."""


def _placed(rows: list[lxml.etree._Element], budget: _GridBudget,
            texts: _CellTexts) -> tuple[_Slots, list[list[str]], int]:
    """Place the cells of ``rows`` (one table's ``<tr>`` elements, their cells' raw ``texts``) in the grid.

    Returns the covered slots, each row's own cells' cleaned texts in order (the cells that start in that
    row, left to right: a cell starts in the first free slot of its row), and the grid's width. Every slot
    filled, and the blank slots that make the grid rectangular, are taken from ``budget`` before they are
    created.
    """
    slots: _Slots = {}
    origins: list[list[str]] = []
    n = len(rows)
    for r, tr in enumerate(rows):
        c = 0
        row_texts = []
        for cell, raw in texts[tr]:
            while (r, c) in slots:
                c += 1
            n_rows = min(_span(cell, "rowspan"), n - r)
            n_cols = _span(cell, "colspan")
            budget.take(n_rows * n_cols)
            text = clean_cell_text(raw)
            row_texts.append(text)
            if n_rows == n_cols == 1:
                slots[(r, c)] = (text, True)  # its slot is free: the first free one of the row
            else:
                _fill(slots, text, r, c, n_rows, n_cols)
            c += n_cols
        origins.append(row_texts)
    width = max((c + 1 for _, c in slots), default=0)
    budget.take(n * width - len(slots))
    return slots, origins, width


def _own_rows(table: lxml.etree._Element) -> list[lxml.etree._Element]:
    """Return the ``<tr>`` elements of ``table``, not those of tables nested in it.

    Without a nested table (a data table) that is every ``<tr>`` below it, found in one search in C
    instead of one walk up from each row."""
    if table.find(".//table") is None:
        return list(table.iter("tr"))
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _own_cells(tr: lxml.etree._Element) -> list[lxml.etree._Element]:
    """Return the ``<td>``/``<th>`` elements of ``tr``, not those of nested tables (nor of a row nested in it).

    Without a ``<tr>`` below it (every row of a data table) that is every cell below it, found in one
    search in C instead of one walk up from each cell."""
    if tr.find(".//tr") is None:
        return list(tr.iter("td", "th"))
    return [cell for cell in tr.iter("td", "th") if next(cell.iterancestors("tr"), None) is tr]


def _cell_raw_text(cell: lxml.etree._Element) -> str:
    """Return a cell's text with blocks and ``<br>`` as newlines, nested tables left out.

    The same string as joining ``_pieces(cell, read_tables=False)`` with each break as ``"\\n"``
    (inside ``<pre>`` a newline stays a newline either way), walked in one loop: a report's
    tables have hundreds of cells, and the generators of :func:`_pieces` cost most of its reading.
    """
    if cell.tag in _BLOCK_TAGS:
        flat = _flat_cell_raw_text(cell)
        if flat is not None:
            return flat
    out: list[str] = []
    stack: list[tuple[lxml.etree._Element, bool]] = [(cell, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if closing:
            if tag in _BLOCK_TAGS:
                out.append("\n")
            if node is not cell and node.tail:
                out.append(node.tail)
            continue
        if tag in _BLOCK_TAGS or tag == "br":
            out.append("\n")
        readable = bool(tag) and tag not in _DROPPED_TAGS
        if readable and node.text:
            out.append(node.text)
        stack.append((node, True))
        if readable and tag != "table":
            stack.extend((child, False) for child in reversed(node))
    return "".join(out)


def _flat_cell_raw_text(cell: lxml.etree._Element) -> str | None:
    """:func:`_cell_raw_text` of a cell (a block) whose children have none (most cells: a text, a ``<p>``, a ``<br>``),
    in one loop over them: the same pieces in the same order as the walk. None, as soon as a child has children
    (the loop tells, without a pass of its own)."""
    out = ["\n", cell.text or ""]
    for child in cell:
        if len(child):
            return None
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCK_TAGS or tag == "br":
            out.append("\n")
        if tag and tag not in _DROPPED_TAGS and child.text:
            out.append(child.text)
        if tag in _BLOCK_TAGS:
            out.append("\n")
        if child.tail:
            out.append(child.tail)
    out.append("\n")
    return "".join(out)


def _span(cell: lxml.etree._Element, attribute: str) -> int:
    """Return a cell's rowspan or colspan: 1 when missing or invalid, at most 1000."""
    value = cell.get(attribute)
    if not value:  # most cells: no span
        return 1
    match = _SPAN.match(value)
    return min(max(int(match.group(1)), 1), _MAX_SPAN) if match else 1


def _fill(slots: _Slots, text: str, row: int, col: int, n_rows: int, n_cols: int) -> None:
    """Put a cell of ``n_rows`` x ``n_cols`` slots into ``slots``, origin first, copies after (a slot
    already covered keeps its cell)."""
    for r in range(row, row + n_rows):
        for c in range(col, col + n_cols):
            slots.setdefault((r, c), (text, (r, c) == (row, col)))


def _strip_tags(html: str) -> str:
    """Convert HTML to text with regular expressions, for documents lxml cannot parse.

    Tables keep one line per row with ``" | "`` after each cell, but spans are not expanded.
    """
    text = _RE_DROPPED.sub("", html)
    text = _RE_CELL_END.sub(" | ", text)
    text = _RE_TAG.sub("", _RE_BLOCK.sub("\n", text))
    lines = (_HTML_SPACE.sub(" ", line).strip(" ") for line in html_lib.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line.replace("|", "").strip())



_OFFSET_SEARCH_WINDOW = 4096
"""How far ahead in the HTML's text :class:`HtmlTextMap` looks for the next run of the extracted text.
Anything further is markup-only content lxml dropped (or a separator this module added), so the run
is left unmapped instead of resynchronising on a distant look-alike."""
_TEXT_RUN = re.compile(r"[^\s|]+")  # html_to_text adds or collapses white space and "|", nothing else


class HtmlTextMap:
    """Map spans of ``html_to_text(html)`` back to ``[start, end)`` offsets in ``html``.

    lxml keeps no character offsets, so the map is rebuilt by aligning: the HTML is read as
    :class:`html.parser.HTMLParser` reads it (:func:`_decoded_chunks`: where every run of text and every
    character reference starts), and the runs of the extracted text between white space and ``|`` are found,
    in order, in the decoded text of the HTML. This works because :func:`html_to_text` keeps
    document order and writes a merged cell once. A character reference such as ``&#65297;`` maps
    to the whole reference.
    """

    def __init__(self, html: str, text: str) -> None:
        self._decoded, self._chunks = _decoded_chunks(html)
        self._chunk_starts = [c[0] for c in self._chunks]
        self._runs: list[tuple[int, int, int]] = []  # (text start, decoded start, length)
        pos = 0
        for match in _TEXT_RUN.finditer(text):
            run = match.group(0)
            found = self._decoded.find(run, pos, pos + _OFFSET_SEARCH_WINDOW + len(run))
            if found >= 0:
                self._runs.append((match.start(), found, len(run)))
                pos = found + len(run)
            else:  # the run is split in the source (white space inside a CJK cell): align it by character
                pos = self._align_characters(run, match.start(), pos)
        self._run_starts = [r[0] for r in self._runs]

    def _align_characters(self, run: str, text_start: int, pos: int) -> int:
        for i, ch in enumerate(run):
            found = self._decoded.find(ch, pos, pos + _OFFSET_SEARCH_WINDOW)
            if found >= 0:
                self._runs.append((text_start + i, found, 1))
                pos = found + 1
        return pos

    def char_span(self, index: int) -> tuple[int, int] | None:
        """The ``[start, end)`` in the HTML of character ``index`` of the text, or None if unmapped."""
        k = bisect.bisect_right(self._run_starts, index) - 1
        if k < 0:
            return None
        text_start, decoded_start, length = self._runs[k]
        if index >= text_start + length:
            return None
        decoded = decoded_start + index - text_start
        chunk_start, html_start, reference_len = self._chunks[bisect.bisect_right(self._chunk_starts, decoded) - 1]
        if reference_len:
            return (html_start, html_start + reference_len)
        return (html_start + decoded - chunk_start, html_start + decoded - chunk_start + 1)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The ``[start, end)`` in the HTML of text span ``[start, end)``; None when an end is unmapped."""
        first, last = self.char_span(start), self.char_span(end - 1)
        if first is None or last is None:
            return None
        return (first[0], last[1])


def _decoded_chunks(html: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Return the decoded text of ``html`` outside script/style/head, and its chunks.

    A chunk is ``(decoded start, HTML start, reference length)``: a run of text copied from the HTML
    (reference length 0), or the decoded characters of one character reference. They are what
    :class:`html.parser.HTMLParser` reports (:func:`_parser_decoded_chunks`); :func:`_scanned_chunks` reads
    them with one regular expression instead (its Python loop was ~60 % of building the map, profiled on
    r025.html), and hands a document holding markup outside what it reads to the parser.
    """
    scanned = _scanned_chunks(html) if _scanner_reads_as_parser() else None
    return scanned if scanned is not None else _parser_decoded_chunks(html)


SCANNER_PROBES = (
    "<p>a<!-- <td>9</td> -->b<!---->c<!-- x -- >d<!-- y --!>e<!-- z -->f</p>",
    "<head><title>12</title><style>td {}</style></head><body><p>3</p></body>",
    "<script>if (a < b && c > d) { x = '</td>'; }</script><p>4</p><SCRIPT type=x>5</Script >6",
    "<script src=a.js/>inside</script>after<head/>shown<head>hidden<body>shown again",
    "<![CDATA[ <td>1</td> ]]>2<![if !supportLists]>3<![endif]>4<?xml version='1.0'?>5<!DOCTYPE html>6",
    "&nbsp;&nbsp &amp;x &lt&gt; &#49;&#x32;&#X33 &#0; &#x1; &unknown; &a.b; &copy3 1 & 2 && 3 &",
    "1 < 2 <3 <中 a<<b> c < </ div>11</>12</ 13>14</p foo='>'>15</head>16",
    "<td title=\"a>b\" data-x='c>d' width=100% nowrap>9</td><br/><br clear=all/><p\nclass=x\n>10</p >",
)
"""Documents of the markup :data:`_SCAN` reads where the parser's reading has changed or may change between Python
releases (comment ends, script and style ends, marked sections, references, bogus end tags):
:func:`_scanner_reads_as_parser` compares the two readings on them."""


@functools.cache
def _scanner_reads_as_parser() -> bool:
    """Whether this Python's :class:`html.parser.HTMLParser` reads :data:`SCANNER_PROBES` as :data:`_SCAN` does
    (it was written after CPython 3.11's): if not, every document is read by the parser (a warning is logged once)."""
    agrees = all(_scanned_chunks(doc) in (None, _parser_decoded_chunks(doc)) for doc in SCANNER_PROBES)
    if not agrees:
        logger.warning("html.parser reads odd markup otherwise than gxparse's HTML scanner: HTML is read by the parser")
    return agrees


def _parser_decoded_chunks(html: str) -> tuple[str, list[tuple[int, int, int]]]:
    """:func:`_decoded_chunks` read with :class:`html.parser.HTMLParser` (``convert_charrefs=False``)."""
    from html.parser import HTMLParser

    pieces: list[str] = []
    chunks: list[tuple[int, int, int]] = []
    decoded_len = 0

    class Collector(HTMLParser):
        skipped = 0
        at = 0  # where in ``html`` the token being handled begins

        def updatepos(self, i: int, j: int) -> int:
            """Follow the tokens' spans ``[i, j)``, which the parser reports in order, by their length: the
            same offset as the line and column the parser would count from each token's line breaks, read
            back through the line starts (that count and conversion were ~8 % of the tokenising, profiled)."""
            if i < j:
                self.at += j - i
            return j

        def here(self) -> int:
            return self.at

        def add(self, text: str, reference_len: int) -> None:
            nonlocal decoded_len
            if text and not self.skipped:
                start = self.here()
                if reference_len and html.startswith(";", start + reference_len):
                    reference_len += 1  # the optional ";" closing a character reference
                chunks.append((decoded_len, start, reference_len))
                pieces.append(text)
                decoded_len += len(text)

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.skipped = 0 if tag == "body" else self.skipped + (tag in _DROPPED_TAGS)  # an unclosed <head> ends here

        def handle_endtag(self, tag: str) -> None:
            self.skipped -= tag in _DROPPED_TAGS and self.skipped > 0

        def handle_data(self, data: str) -> None:
            self.add(data, 0)

        def handle_entityref(self, name: str) -> None:
            self.add(html_lib.unescape(f"&{name};"), len(name) + 1)

        def handle_charref(self, name: str) -> None:
            self.add(html_lib.unescape(f"&#{name};"), len(name) + 2)

    collector = Collector(convert_charrefs=False)
    collector.feed(html)
    collector.close()
    return "".join(pieces), chunks


# What :class:`html.parser.HTMLParser` (CPython 3.11) reads as one token, for the markup that real and synthetic
# reports hold; anything else (an unclosed tag or comment, ``&#`` without digits, a tag it would report as
# text...) matches none of these, and the document is read by the parser itself. Each pattern is the
# parser's, restricted so that it has one reading: the greedy one, which is the parser's (quantifiers
# possessive wherever giving back cannot find another reading).
_HTML_WS = "[ \t\n\r\f]"  # separators inside a tag; other white space (U+3000, \v) sends the document to the parser
_ATTRIBUTE = (  # name[=value] of the parser's attrfind_tolerant, its value quoted or bare
    r"""[^\s/>"'=][^\s/=>]*+(?:""" + _HTML_WS + "*+=" + _HTML_WS + r"""*+(?:"[^"]*+"|'[^']*+'|[^\s>"'][^\s>]*+))?+"""
)
_TAG_END = f"(?:{_HTML_WS}++{_ATTRIBUTE})*+{_HTML_WS}*+"  # a start tag's attributes, before its "/>" or ">"
_SPECIAL_START = "(?ai:script|style|head|body)"  # start tags that change what is skipped (Collector.handle_starttag)
_SPECIAL_END = r"\s*+(?ai:script|style|head)"  # end tags that may (Collector.handle_endtag)
_QUIET = "|".join(  # markup that neither yields text nor changes what is skipped
    (
        rf"<(?!{_SPECIAL_START}[\t\n\r\f />])[a-zA-Z][^\t\n\r\f />\x00]*+{_TAG_END}/?>",  # start tag
        rf"</(?!{_SPECIAL_END})[^>]*+>",  # end tag, "</>" or a bogus comment: all end at the first ">"
        r"<!--[\s\S]*?--\s*>",  # comment (parse_comment)
        r"<!(?!--|\[)[^>]*+>",  # doctype or bogus comment (parse_html_declaration)
        r"<!\[(?ai:if|else|endif)(?![-_.a-zA-Z0-9])[\s\S]*?\]\s*>",  # MS Office marked section
        r"<!\[(?ai:temp|cdata|ignore|include|rcdata)(?![-_.a-zA-Z0-9])[\s\S]*?\]\s*\]\s*>",  # marked section, CDATA
        r"<\?[^>]*+>",  # processing instruction (parse_pi)
    )
)
_SCAN = re.compile(
    rf"(?:{_QUIET})*+(?:"
    r"(?P<text>[^<&]++)"
    r"|(?P<charref>&\#(?P<number>[0-9]++|[xX][0-9a-fA-F]++)(?:;|(?=[^0-9a-fA-F])))"
    r"|(?P<entityref>&(?P<name>[a-zA-Z][-.a-zA-Z0-9]*)(?:;|(?=[^a-zA-Z0-9])))"
    r"|(?P<char>&(?![a-zA-Z\#])|<(?![a-zA-Z/!?]))"  # a lone "&" or "<" is text of its own
    rf"|(?P<start><(?P<tag>{_SPECIAL_START})(?=[\t\n\r\f />]){_TAG_END}(?P<slash>/?)>)"
    rf"|(?P<end></(?={_SPECIAL_END})[^>]*+>)"
    r"|(?P<done>\Z))"
)
# The parser's own patterns, for the few special end tags (parse_endtag) and a script's or style's end.
_END_TAG = re.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")  # endtagfind
_END_TAG_NAME = re.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*")  # tagfind_tolerant's name
_CDATA_ELEMENTS = ("script", "style")  # HTMLParser.CDATA_CONTENT_ELEMENTS: their text runs to their end tag
_REFERENCE_CACHE_SIZE = 1024  # distinct references a process keeps decoded; a report uses a handful (&nbsp;...)


@functools.lru_cache(maxsize=_REFERENCE_CACHE_SIZE)
def _reference_text(reference: str) -> str:
    """The characters of a character reference written ``&name;`` or ``&#digits;`` (as the Collector decodes it)."""
    return html_lib.unescape(reference)


def _scanned_chunks(html: str) -> tuple[str, list[tuple[int, int, int]]] | None:
    """:func:`_parser_decoded_chunks`, read with :data:`_SCAN`; None when ``html`` holds markup it does not read.

    One match is the markup up to the next text run, character reference, lone ``&``/``<`` or start or end
    tag of script, style, head or body, and that token: the few that change what is skipped are followed
    here (as the Collector does), the rest in C.
    """
    pieces: list[str] = []
    chunks: list[tuple[int, int, int]] = []
    decoded_len = 0
    skipped = 0
    pos = 0
    scan = _SCAN.match
    while True:
        m = scan(html, pos)
        if m is None:
            return None
        kind = m.lastgroup
        pos = m.end()
        if kind == "done":
            return "".join(pieces), chunks
        if kind == "start":
            tag = m.group("tag").lower()
            skipped = 0 if tag == "body" else skipped + (tag in _DROPPED_TAGS)
            if m.group("slash"):  # "<head/>": the parser's handle_startendtag ends it at once
                skipped -= tag in _DROPPED_TAGS and skipped > 0
            elif tag in _CDATA_ELEMENTS:
                ended = _cdata_end(html, pos, tag)
                if ended is None:  # never closed: the parser keeps the rest as unread script
                    return "".join(pieces), chunks
                pos = ended
                skipped -= skipped > 0  # the script's or style's end tag
            continue
        if kind == "end":
            name = _end_tag_name(html, m.start(kind))
            skipped -= name in _DROPPED_TAGS and skipped > 0
            continue
        if skipped:
            continue
        start = m.start(kind)
        if kind == "text" or kind == "char":
            text = m.group(kind)
            chunks.append((decoded_len, start, 0))
        else:
            text = _reference_text(f"&#{m.group('number')};" if kind == "charref" else f"&{m.group('name')};")
            if not text:  # a reference to a control character decodes to nothing
                continue
            chunks.append((decoded_len, start, pos - start))
        pieces.append(text)
        decoded_len += len(text)


def _end_tag_name(html: str, start: int) -> str | None:
    """The name the parser gives the end tag at ``start`` (closed by a ``>``): None for a bogus comment."""
    m = _END_TAG.match(html, start)
    if m is not None:
        return m.group(1).lower()
    name = _END_TAG_NAME.match(html, start + 2)
    return name.group().lower() if name is not None else None


def _cdata_end(html: str, pos: int, tag: str) -> int | None:
    """Where the text of a script or style opened before ``pos`` ends, after its end tag; None if it never does.

    The parser looks for ``</tag>`` (any case, white space inside) and takes the first one that its end tag
    pattern reads as that tag's; every other one is script text."""
    closing = re.compile(r"</\s*%s\s*>" % tag, re.I)  # HTMLParser.set_cdata_mode
    while True:
        found = closing.search(html, pos)
        if found is None:
            return None
        m = _END_TAG.match(html, found.start())
        if m is not None and m.group(1).lower() == tag:
            return m.end()
        pos = html.index(">", found.start() + 1) + 1
