"""Scan a table region of normalised text into label pieces and value items.

The scanner is layout-aware but model-free. It turns the characters of one table region into
:class:`Item` objects in reading order, reading the cells in a :data:`ScanMode` (between pipes,
separated by empty lines, or inline) that the layout handler of the region chooses
(:mod:`gxparse.layouts`) or, by default, :func:`detect_mode`:

``text``
    a run of label-ish text (row labels, group labels, headers, captions, noise);
``num``
    a number-like token: one cell, or several cells glued together (``15130000154``);
``ph``
    a placeholder cell (``—``, ``————``, ``/``, ``-``, ``无``, ``不适用``);
``blank``
    an empty cell made visible by the layout: an empty pipe cell, or an extra empty line in
    a one-cell-per-line layout.

Nothing here decides which cell an item fills; that is the placer's job (:mod:`gxparse.place`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Literal

from gxparse.ir import Item, ItemKind
from gxparse.normalize import strip_numbering
from gxparse.page_numbers import page_number_lines
from gxparse.row_counter import without_row_counter
from gxparse.template import unit_words

__all__ = ["Item", "ItemKind", "ScanMode", "across_lines", "blank_line_separated", "detect_mode", "looks_pipe", "scan_region",
           "count_unit_alternation", "without_cell_units"]
MAX_NUMBER_CHARS = 64

_PLACEHOLDER = re.compile(r"^(?:[—―─━]+|-{1,4}|/|无|不适用|N/A|n/a|空|\*)$")
PAGE_NUMBER = re.compile(r"^\s*(?:[-—]\s*\d{1,3}\s*[-—]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
RUNNING_TITLE = re.compile(r"^\s*[^\s|,，。;；:：][^\n,，。;；:：|]{0,48}(?:年度报告|年报)\s*$")
"""A line that is the report's title and nothing else (``XX局2024年政府信息公开工作年度报告``): a PDF prints it as
the running header of every page, so it stands inside any table that crosses a page break, and its year is no cell.
Up to 48 characters after the first hold a long agency name and the title's words; a sentence that ends with the
words (``特向社会公布…年度报告``) has punctuation, and a table row has a cell border or no such ending."""
_INLINE = re.compile(
    r"(?P<note>\((?:其中|含|注)[^()]{0,40}\))"
    r"|(?P<num>(?:减少?|增加?|[+-])?\d+(?:\.\d+)?(?:万元|元)?)"
    r"|(?P<space>\s+)"
    r"|(?P<text>[^\s\d+\-]+|[+\-])"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# placeholders glued to a label in glued layouts: 规章无无无行政规范性文件, 规章————————行政…
_GLUED_PLACEHOLDERS = re.compile(r"(?<=[\u4e00-\u9fff)])(?:(?<![并均暂尚])无{1,4}(?![法正关])|[—―─━]{2,}|/{1,4}$)")
_LEADING_PLACEHOLDER = re.compile(r"^(?:[—―─━]+|/|无)$")
"""A placeholder that begins a word and runs into a number (``/0``, ``—0``: a blank cell's mark whose
separator from the next cell vanished). ``-`` is a sign there, not a placeholder."""
_GLUED_PLACEHOLDER_START = re.compile(r"[无—―─━/]")
"""The first character of every :data:`_GLUED_PLACEHOLDERS` match. That pattern begins with a
lookbehind, so ``re`` tries it at every position of a piece (most of scanning a report's prose, when
the legacy finder scans a whole text); a character class is searched fast."""


ScanMode = Literal["pipe", "spaced", "inline"]
"""How the cells of a region are read: between pipes, one per line with empty lines between
them (an extra empty line is a blank cell), or inline (numbers and text runs in reading order)."""

# A region is a pipe grid when at least this share of its non-empty lines carry a pipe: grid
# rows do (a label or caption line of the grid may not); text layouts print a pipe rarely.
PIPE_LINE_SHARE = 0.3
# Cells are separated by empty lines when at least this share of the non-empty lines (and at
# least MIN_SPACED_LINES of them) are followed by an empty one.
SPACED_LINE_SHARE = 0.8
MIN_SPACED_LINES = 8


def looks_pipe(lines: Sequence[str]) -> bool:
    """True when the lines are rows of a pipe grid (:data:`PIPE_LINE_SHARE`)."""
    nonempty = [ln for ln in lines if ln.strip()]
    return bool(nonempty) and sum("|" in ln for ln in nonempty) >= PIPE_LINE_SHARE * len(nonempty)


def blank_line_separated(lines: Sequence[str]) -> bool:
    """True when cells are separated by one empty line each (so extra empty lines are blank cells)."""
    nonempty_followed = [i for i, ln in enumerate(lines[:-1]) if ln.strip()]
    if len(nonempty_followed) < MIN_SPACED_LINES:
        return False
    followed_by_empty = sum(not lines[i + 1].strip() for i in nonempty_followed)
    return followed_by_empty >= SPACED_LINE_SHARE * len(nonempty_followed)


def detect_mode(lines: Sequence[str]) -> ScanMode:
    """The scanner's own reading of ``lines``: a pipe grid, else empty-line separated, else inline."""
    if looks_pipe(lines):
        return "pipe"
    return "spaced" if blank_line_separated(lines) else "inline"


def scan_region(text: str, start: int, end: int, *, at_eof: bool = False, exact_cells: bool = False,
                mode: ScanMode | None = None, count_units: bool = False) -> list[Item]:
    """Scan ``text[start:end]`` into items in reading order.

    Page-number lines (``- 3 -``, ``第3页``, and bare numbers the whole ``text`` shows to be page numbers:
    :func:`~gxparse.page_numbers.page_number_lines`) are dropped. In pipe layouts every cell between pipes
    is scanned on its own and an empty one becomes a ``blank`` item (flagged ``trailing`` when
    nothing but empty cells follows it on the line). In one-cell-per-line layouts separated by
    empty lines, each extra empty line becomes a ``blank`` item flagged ``blank_line``; with
    ``at_eof`` (a region cut off by the end of a truncated input) trailing empty lines count too.
    With ``exact_cells`` (pipe rows made from HTML table cells) no empty cell is a mere filler.
    ``mode`` says how the cells are read (:data:`ScanMode`); by default :func:`detect_mode` decides.
    With ``exact_cells`` every cell sits between pipes, so a line without one (a caption such as
    ``附表3``, the next section's heading, a sentence with a number in it) is read as text only (a
    Markdown copy of a PDF may print rows of its grid without pipes, so only HTML cells are exact).
    In pipe mode the numbering that begins a cell (``1.属于国家秘密``) is the label's, never a value.
    With ``count_units`` (a table without a unit column) a unit word printed right after a number
    (``12件3件0件``, ``5人次``) ends the value and is no item (:func:`_drop_count_units`).
    A row-counter column (序号 1, 2, 3 … before the row labels) is no value and is dropped
    (:func:`~gxparse.row_counter.without_row_counter`); a label's bracketed item number (``(3)补正…``) is
    label text (:func:`_bracketed_numbering`).
    """
    region = text[start:end]
    lines = region.split("\n")
    mode = detect_mode(lines) if mode is None else mode
    pipe = mode == "pipe"
    spaced = mode == "spaced"
    items: list[Item] = []
    offset = start
    empty_run = 0
    page_numbers = page_number_lines(text)
    left_edged = pipe and not exact_cells and _left_edged(lines)
    new, append = object.__new__, items.append
    for lineno, line in enumerate(lines):
        if not line.strip():
            empty_run += 1
            offset += len(line) + 1
            continue
        if spaced and empty_run >= 2 and items:
            # on the line of the empty run, not of the next cell: a label's numbering there is no value
            items.extend(_item("blank", "", offset, offset, lineno - 1, ("blank_line",)) for _ in range(empty_run - 1))
        empty_run = 0
        if pipe and "|" in line:
            reading: _LineReading = "pipe_exact" if exact_cells else "pipe" if left_edged else "pipe_open"
        else:  # without exact cells, a line with no pipe is read inline; with them it holds no cell
            reading = "text" if pipe and exact_cells else "inline"
        if offset not in page_numbers:
            # the line's items at offset 0 (a short line's cached: :data:`_LINE_CACHE_SIZE`), each made an
            # :class:`Item` at ``offset`` as :func:`_item` makes one, in this loop (a report's regions hold a few
            # hundred items, each made afresh from its line's cached entry: a call per line and per item was
            # most of scanning from cached lines, profiled): its fields copied from the entry's, in their order,
            # then its span and line set (a third less per item than a dict of the six fields built anew)
            line_items = (_cached_line(line, reading, count_units) if len(line) <= _CACHED_LINE_CHARS
                          else _scan_line(line, reading, count_units))
            for fields, item_start, item_end in line_items:
                item = new(Item)
                made = item.__dict__
                made.update(fields)
                made["start"], made["end"], made["line"] = offset + item_start, offset + item_end, lineno
                append(item)
        offset += len(line) + 1
    if at_eof and lines and lines[-1] and not lines[-1].strip():
        empty_run -= 1  # the input was cut inside this last cell: its text is gone, it is not blank
    elif at_eof and region.endswith("\n"):
        empty_run -= 1  # the input's last line break ends its last line: no empty line follows it
    if spaced and at_eof and empty_run >= 2 and items:
        items.extend(_item("blank", "", end, end, len(lines), ("blank_line",)) for _ in range(empty_run - 1))
    return across_lines(text, items)


def across_lines(text: str, items: list[Item]) -> list[Item]:
    """The passes over a region's items that read more than one item or line at once, after each line is scanned:
    a bracketed label number or quoted numeral made text (:func:`_bracketed_numbering`), a number before a label's
    ``.``/``、`` marked as its numbering (:func:`_mark_numbering`), a row-counter column dropped
    (:func:`~gxparse.row_counter.without_row_counter`). ``text`` is what the items' offsets point into."""
    return without_row_counter(_mark_numbering(_bracketed_numbering(text, items)))


def _item(kind: ItemKind, text: str, start: int, end: int, line: int, flags: tuple[str, ...] = ()) -> Item:
    """An :class:`Item` with these fields, made without the frozen dataclass's ``__init__``.

    That ``__init__`` sets each of the six fields through ``object.__setattr__`` (frozen), which
    was a quarter of scanning a region from cached lines (profiled); filling the instance's
    ``__dict__`` at once gives an equal item (same fields, same class, no ``__post_init__``).
    Every item the scanner makes is made so (``flags`` defaults as the dataclass's does).
    """
    item = object.__new__(Item)
    item.__dict__.update(kind=kind, text=text, start=start, end=end, line=line, flags=flags)
    return item


_LineReading = Literal["pipe", "pipe_open", "pipe_exact", "text", "inline"]
"""How :func:`scan_region` reads one non-empty line: its pipe cells (empty cells fillers or, with
exact cells, all real; ``pipe_open``: a grid whose rows print no left edge, so a leading ``|`` ends an
empty first cell), as text only (a line between HTML tables), or inline."""
_LINE_CACHE_SIZE = 4096
"""Lines whose items are kept. In a batch ~90 % of the lines scanned were scanned before (template
labels, rows of zeros: dev and synthetic reports, profiled)."""
_CACHED_LINE_CHARS = 200
"""Longer lines (prose, scanned when a legacy list is looked for in the whole text) are not kept:
they rarely recur, and a cache of them would hold megabytes."""
_ItemAt0 = tuple[dict[str, object], int, int]
"""An item's fields (its ``__dict__``: kind, text, start, end, line and flags, in that order) with the line at
offset 0 and as line 0, and its start and end there."""


def _scan_line(line: str, reading: _LineReading, count_units: bool = False) -> tuple[_ItemAt0, ...]:
    """The items of one non-empty line read as ``reading``, at offset 0 (none for a page-number or running-title
    line). Scanning a line depends on nothing but its text (spans shift with the line), so :func:`scan_region`
    keeps a short line's items (:func:`_cached_line`, :data:`_LINE_CACHE_SIZE`)."""
    if PAGE_NUMBER.match(line) or RUNNING_TITLE.match(line):
        return ()
    if reading in ("pipe", "pipe_open", "pipe_exact"):
        items = _scan_pipe_line(line, 0, 0, reading == "pipe_exact", left_edge=reading == "pipe")
    elif reading == "text":
        items = _as_text(_scan_inline(line, 0, 0))
    else:
        items = _scan_inline(line, 0, 0)
    if count_units:
        items = _drop_count_units(items)
    return tuple((it.__dict__, it.start, it.end) for it in items)


_cached_line = lru_cache(maxsize=_LINE_CACHE_SIZE)(_scan_line)


def _left_edged(lines: Sequence[str]) -> bool:
    """True when most pipe rows begin with ``|`` (Markdown's ``| a | b |``): there a leading ``|`` is the
    grid's left edge. Where most rows print none (``a | b |``, seed004), a row that begins with ``|``
    (table 四's value row, its first cell empty) has an empty first cell."""
    rows = [ln.lstrip() for ln in lines if "|" in ln and ln.strip() != "|"]
    return 2 * sum(ln.startswith("|") for ln in rows) >= len(rows)


_MARKDOWN_RULE_ROW = re.compile(r"\s*\|?\s*(?::?-{3,}:?\s*\|\s*)+(?::?-{3,}:?)?\s*\|?\s*")
"""A Markdown grid's rule row (``|---|:--:|``), read as no cells (the patterns of this module are compiled once:
``re``'s own cache is looked up at every call, a cost per line and per item)."""


def _scan_pipe_line(line: str, offset: int, lineno: int, exact_cells: bool = False, left_edge: bool = True) -> list[Item]:
    if _MARKDOWN_RULE_ROW.fullmatch(line):
        return []  # a Markdown separator row
    if line.strip() == "|":  # one cell per line with a "|" after each: an empty cell
        return [_item("blank", "", offset + line.index("|"), offset + line.index("|"), lineno, ("pipe",))]
    cells: list[tuple[str, int]] = []
    pos = 0
    for part in line.split("|"):
        cells.append((part, offset + pos))
        pos += len(part) + 1
    if line.lstrip().startswith("|") and left_edge and not exact_cells:  # a grid's left edge (HTML rows print
        cells = cells[1:]                                                # none: a leading "|" ends an empty cell)
    if line.rstrip().endswith("|"):
        cells = cells[:-1]
    last_filled = max((i for i, (c, _) in enumerate(cells) if c.strip()), default=-1)
    items: list[Item] = []
    for i, (cell, cell_start) in enumerate(cells):
        word = cell.strip()
        if word.isascii() and word.isdigit() and len(word) <= MAX_NUMBER_CHARS:  # most cells: one number, read as
            at = cell_start + cell.index(word)                                   # _scan_inline reads it
            items.append(_item("num", word, at, at + len(word), lineno))
        elif word:
            items.extend(_numbered_label_cell(_scan_inline(cell, cell_start, lineno)))
        else:
            flags = ("pipe", "trailing") if i > last_filled and not exact_cells else ("pipe",)
            items.append(_item("blank", "", cell_start, cell_start, lineno, flags))
    return items


@lru_cache(maxsize=1)
def count_unit_alternation() -> str:
    """The unit words of the templates' unit columns (:func:`~gxparse.template.unit_words`) that a number
    does not keep (money units do: ``30元`` is one number item), as a regex alternation, longest first
    (``人次`` before ``人``)."""
    units = [w for w in unit_words() if (m := _INLINE.match("0" + w)) is None or m.end() == 1]
    return "|".join(map(re.escape, sorted(units, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _count_unit() -> re.Pattern[str]:
    """A count unit word (:func:`count_unit_alternation`) with the spaces after it."""
    return re.compile(rf"(?:{count_unit_alternation()})\s*")


@lru_cache(maxsize=1)
def _count_unit_word() -> re.Pattern[str]:
    """A count unit word (:func:`count_unit_alternation`) alone."""
    return re.compile(f"(?:{count_unit_alternation()})")


def count_unit_end(text: str, at: int) -> int:
    """Where the count unit a value prints right after its number (``0件``: ``at`` is the number's end) ends in
    ``text``; ``at`` itself when none is printed there. The scanner takes such a unit off its value
    (:func:`_drop_count_units`): what measures the text between two values sees past it."""
    unit = _count_unit_word().match(text, at)
    return at if unit is None else unit.end()


@lru_cache(maxsize=1)
def _cell_with_unit() -> re.Pattern[str]:
    """A cell that prints a count unit after its number (``31条``), standing between white space, pipes or line ends."""
    return re.compile(rf"(?<![^\s|])([-+]?\d+(?:\.\d+)?)(?:{count_unit_alternation()})(?=[\s|]|$)")


@lru_cache(maxsize=1)
def _digit_then_unit() -> re.Pattern[str]:
    """A digit with a count unit after it that ends a cell (white space, a pipe or the line's end next): what a
    line must hold before :func:`_cell_with_unit` is tried, every match of which ends so (most lines hold none,
    nor does prose counting in its sentences, ``66条,``; this search is a fraction of that substitution's cost)."""
    return re.compile(rf"\d(?:{count_unit_alternation()})(?=[\s|]|$)")


def without_cell_units(line: str) -> str:
    """``line`` with the count unit taken off each cell that prints one (``31条 |`` → ``31 |``, ``0条 00``).

    Only a token that is a number and its unit and nothing else, so a sentence's counted number
    (``共受理12件,``) keeps its unit: what reads the shape of a line (the line tagger's features,
    :mod:`gxparse.locator`) sees a row of values as a row of values whether or not it prints units.
    """
    return _cell_with_unit().sub(r"\1", line) if _digit_then_unit().search(line) else line


def _drop_count_units(items: list[Item]) -> list[Item]:
    """The items without the unit word that a text piece begins with right after a number (``12件``).

    Real copies print a count's unit in its cell (``0条``, ``3件``, ``5人次``), also in glued runs
    (``12件3件0件行政许可``): the unit ends the number before it (which keeps its own span) and is no
    cell, so a glued run is cut there and the label after it reads on its own. No template label
    begins with a unit word, so only a unit is taken off; money units stay on their number (``30元``:
    the scanner reads them as part of it).
    """
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if item.kind == "text" and prev is not None and prev.kind == "num" and prev.end == item.start:
            unit = _count_unit().match(item.text)
            if unit is not None:
                if unit.end() == len(item.text):
                    continue
                item = _item("text", item.text[unit.end():], item.start + unit.end(), item.end, item.line, item.flags)
        out.append(item)
    return out


def _as_text(items: list[Item]) -> list[Item]:
    """The items of a line that holds no cell, all as text (adjacent pieces merged)."""
    return _merge_text([it if it.kind == "text" else _item("text", it.text, it.start, it.end, it.line) for it in items])


_NUMBERING_DIGITS = re.compile(r"\d{1,2}")
"""A label's item number inside a table: 1–2 digits (the longest 二/三 list, 不予公开, runs to 8)."""


def _numbered_label_cell(items: list[Item]) -> list[Item]:
    """A pipe cell that begins ``3.`` or ``3、`` followed by label text: the number is the label's, not a value.

    A grid gives every value a cell of its own, so a number glued to the text of its cell by ``.``/``、``
    is the row's item number; it is joined to the label text it numbers.
    """
    if (len(items) >= 2 and items[0].kind == "num" and items[1].kind == "text" and items[1].start == items[0].end
            and _NUMBERING_DIGITS.fullmatch(items[0].text) and items[1].text[:1] in ".、" and len(items[1].text) > 1):
        first, label = items[0], items[1]
        return [_item("text", first.text + label.text, first.start, label.end, first.line), *items[2:]]
    return items


_WORD = re.compile(r"\S+")
"""A run of characters between white space: a word of an inline chunk."""


def _scan_inline(chunk: str, offset: int, lineno: int) -> list[Item]:
    """Scan a piece of text that has no pipes: numbers, placeholders and text runs."""
    items: list[Item] = []
    for word_match in _WORD.finditer(chunk):
        word = word_match.group(0)
        word_start = offset + word_match.start()
        if word.isascii() and word.isdigit() and len(word) <= MAX_NUMBER_CHARS:  # most words of a table: one number
            items.append(_item("num", word, word_start, word_start + len(word), lineno))
        elif _PLACEHOLDER.match(word):
            items.append(_item("ph", word, word_start, word_start + len(word), lineno))
        elif not _NUMBER_OR_NOTE_MARK.search(word):  # a label word: one text run (as _scan_word reads it)
            items.extend(_split_glued_placeholders(word, word_start, lineno))
        else:
            items.extend(_scan_word(word, word_start, lineno))
    return _merge_text(items)


_NUMBER_OR_NOTE_MARK = re.compile(r"[\d+\-(]")
"""What every ``num`` or ``note`` match of :data:`_INLINE` holds (a digit, a sign, a note's bracket), and a
``text`` match other than one long run ends at: a word without any is one ``text`` match, which
:func:`_scan_word` only cuts at its glued placeholders."""


def _scan_word(word: str, start: int, lineno: int) -> list[Item]:
    items: list[Item] = []
    for m in _INLINE.finditer(word):
        kind = m.lastgroup
        s, e = start + m.start(), start + m.end()
        if kind == "num" and e - s > MAX_NUMBER_CHARS:  # no table cell (or glued row) is that long: noise
            items.append(_item("text", m.group(0), s, e, lineno))
        elif kind == "num":
            items.append(_item("num", _THOUSANDS.sub("", m.group(0)), s, e, lineno))
        elif kind == "text" and m.start() == 0 and _LEADING_PLACEHOLDER.match(m.group(0)) and word[m.end():][:1].isdigit():
            items.append(_item("ph", m.group(0), s, e, lineno))  # a placeholder cell glued to the number after it
        elif kind in ("text", "note"):
            items.extend(_split_glued_placeholders(m.group(0), s, lineno))
    return _split_thousands(items, word, start)


def _split_glued_placeholders(text: str, start: int, lineno: int) -> list[Item]:
    """Cut placeholder runs glued to labels into their own items (one item per ``无``)."""
    if not _GLUED_PLACEHOLDER_START.search(text):  # most pieces hold no placeholder character: no match
        return [_item("text", text, start, start + len(text), lineno)] if text else []
    out: list[Item] = []
    pos = 0
    for m in _glued_placeholders(text):
        if m.start() > pos:
            out.append(_item("text", text[pos:m.start()], start + pos, start + m.start(), lineno))
        ph = m.group(0)
        if ph[0] in "无/":
            out.extend(_item("ph", ch, start + m.start() + i, start + m.start() + i + 1, lineno) for i, ch in enumerate(ph))
        else:
            out.append(_item("ph", ph, start + m.start(), start + m.end(), lineno))
        pos = m.end()
    if pos < len(text):
        out.append(_item("text", text[pos:], start + pos, start + len(text), lineno))
    return out


def _glued_placeholders(text: str) -> Iterator[re.Match[str]]:
    """``_GLUED_PLACEHOLDERS.finditer(text)``, tried only where a placeholder character stands.

    The same matches: each begins with one of :data:`_GLUED_PLACEHOLDER_START`, and ``match`` at a
    position sees the characters before it (the lookbehinds), as ``finditer`` does.
    """
    end = 0
    for start in _GLUED_PLACEHOLDER_START.finditer(text):
        if start.start() < end:
            continue  # inside the match before (finditer goes on from its end)
        m = _GLUED_PLACEHOLDERS.match(text, start.start())
        if m is not None:
            end = m.end()
            yield m


GROUPED_RUN = "grouped_run"
"""The flag of a glued digit run printed with thousands separators (``21,808036816380322,575`` =
21,808 | 0 | 368 | 16 | 380 | 3 | 22,575): its text keeps the separators, which say where its cells may be
cut (:mod:`gxparse.candidates`): never beside a separator nor inside the three digits after one."""
_GROUP = re.compile(r"\d{3}")


_GROUP_DIGITS = re.compile(r"\d{3}(?:\.\d+)?")
"""The three digits (and decimals) after a thousands separator."""
_SIGNED_DIGITS = re.compile(r"[+-]?\d+")
"""A plain number, signed or not: the first cell of a run printed with separators."""


def _split_thousands(items: list[Item], word: str, start: int) -> list[Item]:
    """Join ``1,234`` (a number, then ``,``, then exactly three digits) into one number item; join a
    glued run printed with separators (a number, then ``,`` and digits, more than three of them somewhere
    after a separator or before the first: ``21,808036816380322,575``) into one :data:`GROUPED_RUN` item."""
    out: list[Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        chain = _separated_chain(items, i)
        if chain > i and (len(items[i].text.lstrip("+-")) > 3 or any(
                len(items[j].text) > 3 for j in range(i + 2, chain + 1, 2))):
            last = items[chain]
            out.append(_item("num", word[item.start - start:last.end - start], item.start, last.end, item.line, (GROUPED_RUN,)))
            i = chain + 1
            continue
        if (item.kind == "num" and len(out) >= 2 and out[-1].text == "," and out[-2].kind == "num"
                and _GROUP_DIGITS.fullmatch(item.text) and out[-1].end == item.start):
            first = out[-2]
            out[-2:] = [_item("num", first.text + item.text, first.start, item.end, item.line, ("thousands",))]
        else:
            out.append(item)
        i += 1
    return out


def _separated_chain(items: list[Item], i: int) -> int:
    """The index of the last number of the chain ``number , digits , digits …`` from item ``i`` (each piece
    adjacent to the next, each after a separator of three digits or more, the first number's digits plain
    or signed); ``i`` when no separator follows it."""
    if items[i].kind != "num" or not _SIGNED_DIGITS.fullmatch(items[i].text):
        return i
    last = i
    while (last + 2 < len(items) and items[last + 1].text == "," and items[last + 1].start == items[last].end
           and items[last + 2].kind == "num" and items[last + 2].start == items[last + 1].end
           and items[last + 2].text.isdigit() and _GROUP.match(items[last + 2].text)):
        last += 2
    return last


def _merge_text(items: list[Item]) -> list[Item]:
    """Merge adjacent text items of the same line (a label broken by a space stays one piece).

    A piece that begins with its own numbering after a space (``三、本年度办理结果 (一)予以公开``) starts
    a new label: a group label and its first row printed on one line stay two pieces.
    """
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (prev and prev.kind == "text" and item.kind == "text" and item.start - prev.end <= 1
                and not (item.start > prev.end and strip_numbering(item.text)[0])):
            out[-1] = _item("text", prev.text + (" " if item.start > prev.end else "") + item.text, prev.start, item.end, prev.line)
        else:
            out.append(item)
    return out


_BRACKET_NUMBERING = re.compile(r"\d{1,2}")
"""A label's item number in brackets (``(3)``): 1–2 digits, as :data:`_NUMBERING_DIGITS`."""
_QUOTES = {"“": "”", "‘": "’", "「": "」", "\"": "\""}
"""Opening quotation marks and their closing ones, as NFKC leaves them."""


def _enclosed(text: str, before: Item, item: Item) -> bool:
    """Whether number ``item`` is printed in ``text`` right after ``before``'s text as a label's bracketed item
    number (``(3)补正后…``, not a sentence's: :func:`_sentence_after`) or a quoted numeral (``表中“0”表示无此类情况``): what closes it is read in the text,
    as a region may end right after the number."""
    if before.kind != "text" or before.end != item.start:
        return False
    opening, rest = before.text[-1:], text[item.end:item.end + 2]
    if opening == "(":
        return (_BRACKET_NUMBERING.fullmatch(item.text) is not None and rest[:1] == ")"
                and len(rest) == 2 and not rest[1].isspace() and not _sentence_after(text, item.end + 1))
    return opening in _QUOTES and rest[:1] == _QUOTES[opening]


_OPENING_BEFORE_NUMBER = re.compile("[(" + "".join(_QUOTES) + r"](?:\d|[减增+\-])")
"""An opening bracket or quotation mark with the first character of a number item after it (a digit, a sign,
``减``/``增``: :data:`_INLINE`): what :func:`_bracketed_numbering` joins always stands so in the text (a text item
ends with the character before its end, a number begins with the one at its start), so a region without it
is left as it is, unlooked at item by item."""
_SENTENCE_MARKS = re.compile(r"[。;%]")
"""Marks a row label never prints and an enumerated sentence does (``(1)全年共办理依申请公开8件,较上年增长12%;``)."""


def _sentence_after(text: str, at: int) -> bool:
    """Whether what follows a bracketed number at ``at``, up to the next ``(`` or the line's end, is a sentence:
    prose enumerating its points (``(1)…;(2)…``) keeps its numbers as they scan, as the prose before any table."""
    end = len(text)
    for stop in ("(", "\n"):
        found = text.find(stop, at)
        if found >= 0:
            end = min(end, found)
    return _SENTENCE_MARKS.search(text, at, end) is not None


def _bracketed_numbering(text: str, items: list[Item]) -> list[Item]:
    """The items with each number printed in brackets right before label text (``(3)补正后申请内容仍不明确``,
    NFKC of ``（3）``) or in quotation marks (a note's ``表中“0”表示无此类情况``) joined to the text before it
    (and the text after it, when that follows at once): the label's item number, or a numeral a sentence
    quotes, never a value. Unjoined, a row short of a cell takes the next label's number for its last value,
    and a note after a table lends its row a cell.

    A region whose text holds no opening mark right before a number's first character
    (:data:`_OPENING_BEFORE_NUMBER`: most regions) is returned as it is, without asking each number."""
    if not items or _OPENING_BEFORE_NUMBER.search(text, items[0].start, items[-1].end) is None:
        return items
    return _join_enclosed(text, items)


def _join_enclosed(text: str, items: list[Item]) -> list[Item]:
    """:func:`_bracketed_numbering`'s joins, each number asked (:func:`_enclosed`)."""
    out: list[Item] = []
    n = 0
    while n < len(items):
        item = items[n]
        if item.kind == "num" and out and _enclosed(text, out[-1], item):
            before = out[-1]
            after = items[n + 1] if n + 1 < len(items) and items[n + 1].start == item.end else None
            if after is not None and after.kind == "text":
                out[-1] = _item("text", before.text + item.text + after.text, before.start, after.end, before.line,
                                before.flags)
                n += 2
                continue
            out[-1] = _item("text", before.text + item.text, before.start, item.end, before.line, before.flags)
            n += 1
            continue
        out.append(item)
        n += 1
    return out


_DIGITS = re.compile(r"\d+")
_GROUPED_DIGITS = re.compile(r"\d+(?:,\d+)*")
"""A number that can number the label after it: digits, with separators in a grouped run (:data:`GROUPED_RUN`)."""


def _mark_numbering(items: list[Item]) -> list[Item]:
    """Flag number items that are immediately followed by ``.``/``、`` and label text.

    In ``30000036.属于四类过程性信息`` the last digit is the numbering of the next label; the
    label matcher decides how many digits to peel off once it knows which label follows. A numbering
    whose label wrapped onto the next line leaves a lone ``.`` after it (:func:`_label_wrapped_after`).
    """
    out = list(items)
    for i, item in enumerate(out[:-1]):
        nxt = out[i + 1]
        if (item.kind == "num" and nxt.kind == "text" and nxt.start == item.end
                and nxt.text[:1] in ".、"
                and (_GROUPED_DIGITS if GROUPED_RUN in item.flags else _DIGITS).fullmatch(item.text)
                and (len(nxt.text) > 1 or _label_wrapped_after(out, i))):
            out[i] = _item("num", item.text, item.start, item.end, item.line, item.flags + ("numbering_next",))
    return out


def _label_wrapped_after(items: list[Item], i: int) -> bool:
    """Whether ``items[i]`` (a number before a lone ``.``) numbers a label the copy wrapped onto the next line
    (``(三)不予公开 1.   0  0`` / ``属于国家秘密``): it begins its line or follows text on it, and text begins the
    next line."""
    item = items[i]
    starts_label = i == 0 or items[i - 1].line != item.line or items[i - 1].kind == "text"
    following = next((it for it in items[i + 2:] if it.line != item.line), None)
    return starts_label and following is not None and following.line == item.line + 1 and following.kind == "text"
