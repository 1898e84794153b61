"""Find a table's row-counter column (序号 1, 2, 3 … before each row label) among its scanned items.

Agencies and scrapers add a number column in front of the labels: a 序号 column of the printed
grid, or the ordinal a web page's list markup gives every row. Read in order, each counter is a
small number that stands right before a row's label, so the placer would take it for the row's
first value (or the previous row's last one) and shift every cell of the row.

A counter is told from a value by the run it belongs to, not by any header word: the numbers that
stand right before label text (and are not the label's own numbering, ``1.属于国家秘密``), read in
order, count 1, 2, 3 … with nothing skipped. Values do not do that: a row's values are followed by
the next row's label only at the row's last cell, and totals that happen to count up from 1 over
:data:`MIN_COUNTER_RUN` consecutive rows are rare.
"""

from __future__ import annotations

from functools import cache

from gxparse.ir import Item
from gxparse.template import unit_words

MIN_COUNTER_RUN = 4
"""The fewest counters that make a counter column: the shortest printed table (二 of the 2021
format) has 6 rows; a shorter run of 1, 2, 3 is as likely to be a run of small totals."""
MAX_COUNTER_GAP = 1
"""Other candidates allowed between two counters: in one cell per line, the last value of a block's last
row stands right before the next block's caption (二 prints four blocks)."""
OTHERS_PER_COUNTER = 2
"""A chain is a counter column when it has at least this many counters for every other candidate inside
it: 二 of the 2019 format has 8 counters and 4 block ends; small row totals that happen to count up
stand among many other row ends (zeros, larger totals)."""
MAX_COUNTER_DIGITS = 3
"""A counter numbers the rows of one table: at most 25 in 三 (a report numbering all its tables on
is still below 1000)."""


@cache
def _count_units() -> frozenset[str]:
    return frozenset(unit_words())


def _glued_unit(items: list[Item], i: int) -> bool:
    """Whether ``items[i]`` is a unit word printed on the number before it (``15条``): part of that value's
    cell, no label text (the scanner leaves it a text item when the table has a unit column)."""
    item = items[i]
    if item.kind != "text" or i == 0:
        return False
    before = items[i - 1]
    return (before.kind == "num" and before.end == item.start and before.line == item.line
            and item.text in _count_units())


def _counter_value(items: list[Item], i: int) -> int | None:
    """The counter ``items[i]`` could be, else ``None``: a plain small number right before label text on its
    own line, or alone on its line (one cell per line). A value that ends a line whose label wraps onto the
    next (a PDF layer's row) is no candidate, nor a number printed with its unit (``15条``: a counter counts
    rows, not things)."""
    item = items[i]
    if item.kind != "num" or item.numbering_next or i + 1 >= len(items):
        return None
    text = item.text
    if not text.isdigit() or len(text) > MAX_COUNTER_DIGITS or text.startswith("0"):
        return None
    nxt = items[i + 1]
    if not (nxt.kind == "text" or nxt.numbering_next) or _glued_unit(items, i + 1):
        return None
    alone = (i == 0 or items[i - 1].line != item.line) and nxt.line != item.line
    return int(text) if nxt.line == item.line or alone else None


def _label_piece(items: list[Item], i: int) -> bool:
    item = items[i]
    return (item.kind == "text" and not _glued_unit(items, i)) or item.numbering_next


def _one_row_between(items: list[Item], counter: int, following: int) -> bool:
    """True when the items between two counters are one row: its label right after the first counter, then
    values and blanks, and text after them only right before the next counter (a block's caption and header).

    Small row totals that count up are no counters: between two of them stand other rows, each a label
    after values (a row printed blank is a label after the previous row's blanks).
    """
    at = counter + 1
    while at < following and _label_piece(items, at):
        at += 1
    while at < following and not _label_piece(items, at):
        at += 1
    while at < following and _label_piece(items, at):
        at += 1
    return at == following


def _candidates(items: list[Item]) -> list[tuple[int, int]]:
    """Each item that could be a counter (:func:`_counter_value`), by index, with its value.

    Only a number before label text (or before a number that numbers a label) can be one: the others, most
    items of a table, are passed over here rather than asked one by one (:func:`_counter_value` asks the same
    first; it was called for every item of every region scanned). The item after a candidate is asked first, by
    its kind and flags (no property call): most items are values followed by values.
    """
    return [(i, v) for i, nxt in enumerate(items[1:])
            if (nxt.kind == "text" or "numbering_next" in nxt.flags) and items[i].kind == "num"
            and (v := _counter_value(items, i)) is not None]


def row_counter_items(items: list[Item]) -> set[int]:
    """Indices of ``items`` that are a row-counter column: a chain of at least :data:`MIN_COUNTER_RUN`
    candidates counting 1, 2, 3 …, one row between each two (:func:`_one_row_between`). A chain counting
    2, 3, 4 … from the first candidate counts too when one row stands before it: the region was located from
    its first row label, so the first counter printed before that label is outside it. Between two counters
    at most :data:`MAX_COUNTER_GAP` other candidates may stand (the last value of a block's last row, before
    the next block's caption), and in all at most one for every :data:`OTHERS_PER_COUNTER` counters."""
    candidates = _candidates(items)
    found: set[int] = set()
    at = 0
    while at < len(candidates):
        first = candidates[at][1]
        if first != 1 and not (at == 0 and first == 2 and _one_row_between(items, -1, candidates[0][0])):
            at += 1
            continue
        chain, others, gap, nxt = [candidates[at][0]], 0, 0, at + 1
        while nxt < len(candidates) and gap <= MAX_COUNTER_GAP:
            index, value = candidates[nxt]
            again = nxt + 1 < len(candidates) and candidates[nxt + 1][1] == value
            if value == first + len(chain) and not again:  # of two equal candidates in a row, the later is the
                if not _one_row_between(items, chain[-1], index):  # counter: the earlier is a block's last
                    break  # value before its caption
                chain.append(index)
                others, gap = others + gap, 0
            else:
                gap += 1
            nxt += 1
        if len(chain) >= MIN_COUNTER_RUN and others * OTHERS_PER_COUNTER <= len(chain):
            found.update(chain)
            at = candidates.index(next(c for c in candidates if c[0] == chain[-1])) + 1
        else:
            at += 1
    return found


def without_row_counter(items: list[Item]) -> list[Item]:
    """``items`` without the row-counter column :func:`row_counter_items` finds (the items themselves if none)."""
    counters = row_counter_items(items)
    return [it for i, it in enumerate(items) if i not in counters] if counters else items
