"""Find the bare page numbers a PDF text layer leaves in a report: lines holding only ``3``.

A decorated page number (``- 3 -``, ``第3页``) says what it is, and the scanner drops it line by line
(:data:`gxparse.scan.PAGE_NUMBER`). A bare number alone on a line does not: inside a table printed one
cell per line it looks exactly like a cell. The evidence is the document's, not the line's: a PDF
numbers its pages ``n, n+1, n+2 …``, one number at the end of each page, so the page numbers form an
increasing run at roughly page-long intervals through the whole text, and some of them stand between
lines of prose, where no cell can be, or between cells that all end in a separator (`` |``) the bare
line lacks, which no cell of theirs does. A column of cells ``1, 2, 3`` is a run too, but its members
stand a row apart and between cells of their own form.

:func:`page_number_lines` finds the longest such run and returns where its lines start, only when the
run is long enough and one of its members stands apart (prose beside it, or cells of another form);
the scanner gives those lines no items, as it does the decorated ones.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

__all__ = ["page_number_lines"]

_BARE_NUMBER = re.compile(r"^[ \t\f]*(\d{1,3})[ \t\f]*$", re.MULTILINE)
"""A line holding one number of at most three digits (a report has fewer than 1000 pages)."""
MIN_PAGE_RUN = 3
"""A run of fewer page numbers is no evidence: two lines ``1``, ``2`` a page apart occur by chance
(a short enumeration, two cells); three increasing by one at page intervals through prose do not."""
MIN_PAGE_CHARS = 150
"""The fewest characters between two page numbers: a page of a sparse table printed one cell per line
still holds a few rows of labels and cells (a page of prose holds ~800). Consecutive cells of one
column (``1``, ``2``, ``3`` in successive rows) stand far closer."""
MAX_PAGE_CHARS = 4000
"""The most characters between two page numbers: a dense page of prose holds ~1,200 characters, a text
layer with spaced-out characters or a page of wide rows up to about three times that."""
PAGE_LENGTH_RATIO = 3.0
"""How much longer one page may be than the next: a page of a table printed one cell per line holds
roughly as many characters as a page of prose (~800), a half-empty page a third of that."""
MAX_RUN_STEPS = 10_000
"""The most chain extensions :func:`_longest_run` tries before it gives up and finds no run. The dev reports and
100 synthetic ones, each given bare or decorated page numbers (``page_footers``, three seeds), take at most 101; a
text dense with small bare numbers (a long column of cells ``1``–``5`` one per line) would take millions, growing
with the square of the cells a page holds. Giving up leaves every bare line a cell, as it is without page-number
evidence, and bounds this search to ~15 ms whatever the text."""
PROSE_MIN_CHARS = 20
"""A line this long that ends a sentence (``。``) is prose, never a table cell or label (template labels
hold commas and brackets, no full stop)."""
_SENTENCE_END = "。"
CELL_SEPARATOR = "|"
"""The mark a text export ends each cell's line with (``0 |``); a bare-number line never carries it."""


class _Bare(NamedTuple):
    """A bare-number line: where it starts and ends, and its value (a named tuple: a text printed one cell per
    line holds dozens, and a frozen dataclass took half as long again to make; only the fields are read)."""

    start: int
    end: int
    value: int


def page_number_lines(text: str) -> frozenset[int]:
    """The start offsets of the lines of ``text`` that are bare page numbers (empty when there is no evidence).

    The run is the longest chain of bare-number lines whose values increase by one, each member
    :data:`MIN_PAGE_CHARS`..:data:`MAX_PAGE_CHARS` characters after the previous one; it counts only when
    it has :data:`MIN_PAGE_RUN` members and at least one of them stands next to a line of prose.
    The answer is cached per text (every table region of a report is scanned against the same text).
    """
    return _page_number_lines(text)


@lru_cache(maxsize=8)
def _page_number_lines(text: str) -> frozenset[int]:
    bares = _bare_lines(text)
    if len(bares) < MIN_PAGE_RUN:
        return frozenset()
    run = _longest_run(bares)
    if len(run) < MIN_PAGE_RUN or not any(_by_prose(text, bare) or _among_other_cells(text, bare) for bare in run):
        return frozenset()
    return frozenset(bare.start for bare in run)


def _bare_lines(text: str) -> list[_Bare]:
    """Every bare-number line of ``text`` in reading order."""
    return [_Bare(match.start(), match.end(), int(match.group(1))) for match in _BARE_NUMBER.finditer(text)]


def _by_prose(text: str, bare: _Bare) -> bool:
    """Whether the non-empty line before or after ``bare`` is prose (asked of a run's members only)."""
    return _is_prose(_line_before(text, bare.start)) or _is_prose(_line_after(text, bare.end))


def _among_other_cells(text: str, bare: _Bare) -> bool:
    """Whether the non-empty lines before and after ``bare`` both end in the cell separator it lacks.

    A table printed one cell per line with a separator (``0 |``, as Word's text export and pipe
    conversions print) prints every cell of it so; a bare ``3`` between two such lines is no cell of
    theirs. Asked of a run's members only, like :func:`_by_prose`.
    """
    return (_line_before(text, bare.start).rstrip().endswith(CELL_SEPARATOR)
            and _line_after(text, bare.end).rstrip().endswith(CELL_SEPARATOR))


def _line_before(text: str, start: int) -> str:
    """The last non-empty line before offset ``start`` (a line start), or ``""``."""
    end = start - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        if text[begin:end].strip():
            return text[begin:end]
        end = begin - 1
    return ""


def _line_after(text: str, end: int) -> str:
    """The first non-empty line after offset ``end`` (a line end), or ``""``."""
    begin = end + 1
    while begin < len(text):
        stop = text.find("\n", begin)
        stop = len(text) if stop < 0 else stop
        if text[begin:stop].strip():
            return text[begin:stop]
        begin = stop + 1
    return ""


def _is_prose(line: str) -> bool:
    line = line.strip()
    return len(line) >= PROSE_MIN_CHARS and "|" not in line and _SENTENCE_END in line


def _longest_run(bares: list[_Bare]) -> list[_Bare]:
    """The longest chain of ``bares`` (in reading order) whose values go up by one at regular page-long intervals.

    Dynamic programming over pairs of lines (a chain's last two members): a line ``i`` extends a chain
    ending ``… k, j`` when its value is one more than ``j``'s, it stands :data:`MIN_PAGE_CHARS` ..
    :data:`MAX_PAGE_CHARS` after ``j``, and that page is no more than :data:`PAGE_LENGTH_RATIO` times
    longer or shorter than the page before (``k`` to ``j``). Of chains equally long, the most regular
    wins (the least sum of ``|log(page / page before)|``): a cell of the right value a few rows from
    the real page number makes one page shorter and the next longer. No chain (``[]``) once the work
    passes :data:`MAX_RUN_STEPS`.
    """
    pages = [i for i, bare in enumerate(bares) if bare.value >= 1]  # a PDF numbers its pages from 1
    by_value: dict[int, list[int]] = {}
    score: dict[tuple[int, int], tuple[int, float]] = {}  # (length, -irregularity): higher is better
    before: dict[tuple[int, int], tuple[int, int] | None] = {}
    pairs_ending_at: dict[int, list[int]] = {}
    best: tuple[int, int] | None = None
    steps = 0
    for i in pages:
        earlier = by_value.get(bares[i].value - 1, [])
        nearest = bisect_left(earlier, bares[i].start - MAX_PAGE_CHARS, key=lambda j: bares[j].start)
        for j in earlier[nearest:]:  # those at most a page's length back, in reading order
            gap = bares[i].start - bares[j].start
            if gap < MIN_PAGE_CHARS:
                continue
            pair = (j, i)
            score[pair], before[pair] = (2, 0.0), None
            extensions = pairs_ending_at.get(j, ())
            steps += 1 + len(extensions)
            if steps > MAX_RUN_STEPS:
                return []  # too dense to be page numbers among cells (see MAX_RUN_STEPS)
            for k in extensions:
                length, regularity = score[(k, j)]
                change = abs(math.log(gap / (bares[j].start - bares[k].start)))
                extended = (length + 1, regularity - change)
                if change <= math.log(PAGE_LENGTH_RATIO) and extended > score[pair]:
                    score[pair], before[pair] = extended, (k, j)
            pairs_ending_at.setdefault(i, []).append(j)
            if best is None or score[pair] > score[best]:
                best = pair
        by_value.setdefault(bares[i].value, []).append(i)
    if best is None:
        return []
    run = [bares[best[1]]]
    at: tuple[int, int] | None = best
    while at is not None:
        run.append(bares[at[0]])
        at = before[at]
    return run[::-1]
