"""Enumerate the plausible placements of a row's source items into its value cells.

A row segment is the list of value items (:class:`gxparse.scan.Item` of kind ``num``, ``ph`` or
``blank``) that the layout puts under one row label. A :class:`Candidate` is one way of reading
them as exactly ``k`` cells:

* a glued digit run may be split into several cells (``15130000154`` → 151 | 3 | 0 | 0 | 0 | 0 | 154),
  never with a leading zero (``05`` is not a cell);
* an item may be dropped as noise (a footnote number, a stray page artefact);
* a visible blank item may fill a cell or be ignored as a filler;
* a cell whose blank was dropped by the layout may be inferred (``missing``);
* a run flagged :data:`NARRATIVE_TAIL` may end before its last digits (the number of the
  sentence glued after the table);
* a run of dashes glued to a number may be one placeholder cell or several (``509——57——566``:
  :func:`glued_dash_runs`);
* a run printed with thousands separators (:data:`~gxparse.scan.GROUPED_RUN`) is cut only where they
  allow (:func:`_grouped_piece_ok`): ``21,808036816380322,575`` → 21,808 | 0 | 368 | 16 | 380 | 3 | 22,575.

Enumeration is a depth-first search with a node budget, so the worst case stays bounded. A
dynamic programme over (item, digit, cells filled, cells inferred) tells the search which moves
can still complete the row, so it never enters a subtree that records nothing: a row of long
digit runs spends its budget on candidates, not on cuts that leave a run unfinished. Rows with
an internal identity (a total column) are also searched with the identity enforced, which prunes
the glued cases to the handful of splits whose totals add up; when that search finds none in a row
whose last cell totals the others, it is searched again from the total. Where the readings of such a row
are more than the enforced search's budget, :mod:`gxparse.split_search` decides first, without enumerating,
which of them add up: none, and both searches are skipped; some beyond the budget, and they are added.
A row whose numbers hold more digits than any printed cells could (:func:`long_digit_row`) is searched
under :data:`LONG_DIGIT_BUDGETS`, so its cost stays a small constant however long its digit runs.
A row whose candidate is known without searching (every digit a cell; or its first path, every item
whole, holding its identities where no other reading would be kept) gets it at once (:meth:`_Search.sole_reading`).
Nothing here scores or chooses; every candidate value is a substring of a source item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from gxparse.blank_gaps import WIDE_AFTER, WIDE_BEFORE
from gxparse.ir import Candidate, Item, Reading, ReadingKind, RowConstraint
from gxparse.scan import GROUPED_RUN
from gxparse.split_search import STATE_CAP, consistent_candidates, readings_bound

__all__ = ["Candidate", "Reading", "ReadingKind", "RowConstraint", "enumerate_candidates", "glued_dash_runs", "long_digit_row",
           "may_cut", "search_bounded"]
MAX_CANDIDATES = 400
NARRATIVE_TAIL = "narrative_tail"
"""The flag of a glued run whose last digits may be the number of the sentence glued after it
(``…00020002000002020年,我单位…``, :func:`gxparse.locate.ends_in_narrative_number`): its reading may
stop before any digit a number can begin with, leaving the rest to the sentence."""
_SPLITTABLE = re.compile(r"^(?P<sign>-|\+|减少?|增加?)?(?P<digits>\d+)(?P<tail>\.\d+)?(?P<unit>万元|元)?$")
_SPLITTABLE_GROUPED = re.compile(r"^(?P<sign>-|\+)?(?P<digits>\d+(?:,\d+)+)(?P<tail>)(?P<unit>)$")
"""A :data:`~gxparse.scan.GROUPED_RUN`: digits with the thousands separators the copy printed."""
GROUP_DIGITS = 3
"""The digits between thousands separators; a cell of more digits prints one in a copy that prints them."""


_match_splittable = lru_cache(maxsize=1 << 14)(_SPLITTABLE.match)
""":data:`_SPLITTABLE` matched against a number's text (made once per text: a match is only read)."""
_match_grouped = lru_cache(maxsize=1 << 10)(_SPLITTABLE_GROUPED.match)
""":data:`_SPLITTABLE_GROUPED` matched against a number's text, cached alike."""


def _splittable(item: Item) -> re.Match[str] | None:
    """The sign, digits, decimals and unit of a number item that may be cut into cells (``None``: read whole)."""
    if item.kind != "num" or item.end - item.start != len(item.text):
        return None
    if GROUPED_RUN in item.flags:
        return _match_grouped(item.text)
    return _match_splittable(item.text) if "thousands" not in item.flags else None


def _separator_cuts(printed: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Of a run's digits as printed with separators (``21,808036``): where each separator stands, counted in
    digits before it (``(2,)``), and each digit's index in the printed text."""
    commas: list[int] = []
    at: list[int] = []
    for index, ch in enumerate(printed):
        if ch == ",":
            commas.append(len(at))
        else:
            at.append(index)
    return tuple(commas), tuple(at)


def _grouped_piece_ok(commas: Sequence[int], pos: int, stop: int) -> bool:
    """Whether digits ``pos:stop`` of a run printed with separators at ``commas`` can be one cell: no cut
    beside a separator, a cell holding separators has one to three digits before the first and exactly
    :data:`GROUP_DIGITS` after each, and one holding none has at most :data:`GROUP_DIGITS` digits (the copy
    prints a separator in every number of four digits or more)."""
    if pos in commas or stop in commas:
        return False
    inside = [c for c in commas if pos < c < stop]
    if not inside:
        return stop - pos <= GROUP_DIGITS
    return (inside[0] - pos <= GROUP_DIGITS and stop == inside[-1] + GROUP_DIGITS
            and all(b - a == GROUP_DIGITS for a, b in zip(inside, inside[1:])))


def enumerate_candidates(items: Sequence[Item], k: int, constraints: Sequence[RowConstraint] = (),
                         *, allow_missing: bool = True, unsplit_only: bool = False) -> list[Candidate]:
    """Enumerate the candidates of a segment of ``items`` for a row of ``k`` cells.

    The result holds the identity-consistent splits (when ``constraints`` are given) and as many
    unconstrained candidates as the node budget allows, simplest first (fewest splits).

    A row with one reading only returns it without searching (:meth:`_Search.sole_reading`). A row whose
    glued dash runs (:func:`glued_dash_runs`) could be several placeholder cells each is searched again for
    each way of reading them (:func:`_with_dash_run_cells`).
    ``unsplit_only``: the caller keeps only the candidates that cut no glued run, when there are any
    (a row printed one value per line, :func:`gxparse.priors.values_one_per_line`); where the one such
    candidate is known to be among the candidates, it alone is returned, without the search.
    """
    cands = _enumerate(items, k, constraints, allow_missing=allow_missing, unsplit_only=unsplit_only)
    runs = [] if unsplit_only else glued_dash_runs(items)
    return _with_dash_run_cells(cands, items, k, constraints, runs, allow_missing) if runs else cands


def _enumerate(items: Sequence[Item], k: int, constraints: Sequence[RowConstraint],
               *, allow_missing: bool, unsplit_only: bool) -> list[Candidate]:
    """:func:`enumerate_candidates` with every placeholder item read as one cell (or dropped)."""
    search = _Search(items, k, [c for c in constraints if c.relation == "eq"])  # a bound (≤) prunes nothing: scored only
    sole = search.sole_reading(unsplit_only=unsplit_only)
    if sole is not None:
        return [sole]
    budgets = LONG_DIGIT_BUDGETS if long_digit_row(items, k) else BUDGETS
    # a glued run never hides dropped blanks (72-261 is one run); items separated by space may, and
    # so may a row whose items hold fewer digits than it has cells (a lone 0 under a 7-cell label),
    # unless they are only the numbering of the next label (2.申请人…), no cell of a blank row
    allow_missing = allow_missing and (any(b.start > a.end for a, b in zip(items, items[1:])) or (
        search.capacity[0] < k and not all("numbering_next" in it.flags for it in items)) or any(
        WIDE_BEFORE in it.flags or WIDE_AFTER in it.flags for it in items))  # a blank's wide gap beside a lone run
    if search.constraints and search.capacity[0] > len(items):  # something is glued: search the consistent splits
        consistent = search.decide_consistent(state_cap=budgets.state_cap)  # decided without the search where it could run out
        if consistent != []:
            search.run(enforce=True, allow_missing=False, budget=budgets.enforced)
            if search.nodes >= budgets.enforced:  # it ran out: add the consistent readings beyond its budget
                consistent = search.decide_consistent(always=True, state_cap=budgets.state_cap) if consistent is None else consistent
                for cand in consistent or ():
                    if len(search.found) < MAX_CANDIDATES:
                        search.found.setdefault(tuple(map(_SPAN_OF, cand.readings)), cand)
        if allow_missing and search.max_missing:
            # then with the blanks a spaced row dropped: a blank part counts as 0, so the sums allow them
            # in several places, and the identity chooses among those (a search of its own, so the
            # splits above are all found first)
            search.run(enforce=True, allow_missing=True, budget=budgets.enforced_missing)
        if not search.found and consistent is None:  # a long glued run hides its consistent split beyond the budget:
            # search from the total (unless the decision above found there is none)
            search.run_total_first(budget=budgets.total_first)
    if search.found:
        budget = budgets.free_with_consistent
    elif search.max_missing == 0 and len(items) == k:
        budget = budgets.free_exact  # one item per cell already: alternatives only need a small search
    else:
        budget = budgets.free
    search.run(enforce=False, allow_missing=allow_missing, budget=budget)
    return _without_split_and_drop(list(search.found.values())[:budgets.candidates], items)


DASHES = frozenset("—―─━")
"""The dash characters a placeholder run is printed with (the scanner's glued placeholders)."""
DASH_MARK_WIDTHS = (1, 2)
"""The dashes a copy may print in each blank cell: one (``—``), or the double dash of Chinese typesetting
(``——``). A copy prints the same mark in every blank cell, so a row's glued dash runs are read with one
width at a time (or each run as one cell): a bounded few searches, not one per combination of runs."""
DASH_READING_CANDIDATES = MAX_CANDIDATES // (len(DASH_MARK_WIDTHS) + 1)
"""The candidates each width adds (its first: the identity-consistent splits come first)."""


def glued_dash_runs(items: Sequence[Item]) -> list[int]:
    """The indices of the placeholder items that are runs of two or more dashes glued to a number.

    A copy that prints a dash in every blank cell and loses the separators runs them together
    (``509——57——566`` for 509 | — | — | 57 | — | — | 566, ``9—1———10``); but ``——`` is also the
    one placeholder Chinese typesetting prints in a cell. Such a run may therefore be one cell or one
    per dash (:func:`enumerate_candidates` reads it both ways), and the row's cell count, its
    identities and the classifier choose, as they choose where a glued digit run is cut. A run
    printed apart from the numbers (a separated cell) is one placeholder.
    """
    out = []
    for i, item in enumerate(items):
        if (item.kind != "ph" or len(item.text) < 2 or item.end - item.start != len(item.text)
                or not set(item.text) <= DASHES):
            continue
        before = items[i - 1] if i else None
        after = items[i + 1] if i + 1 < len(items) else None
        if (before is not None and before.kind == "num" and before.end == item.start
                or after is not None and after.kind == "num" and after.start == item.end):
            out.append(i)
    return out


def _with_dash_run_cells(cands: list[Candidate], items: Sequence[Item], k: int, constraints: Sequence[RowConstraint],
                         runs: Sequence[int], allow_missing: bool) -> list[Candidate]:
    """``cands`` plus the candidates that read the glued dash ``runs`` as several placeholder cells each.

    Each width of the copy's blank mark (:func:`_dash_cell_counts`) cuts them into single placeholder items and
    searches the row again; the candidates found are mapped back to ``items`` (a piece reads its run's
    item, as a placeholder cell: no digit is cut). A candidate that drops some pieces of a run but reads
    others is the same reading as one with fewer pieces, and is left out.
    """
    found = {tuple(map(_SPAN_OF, c.readings)): c for c in cands}
    extra = k - sum(1 for it in items if it.kind != "blank")  # cells beyond one per printed item
    for counts in _dash_cell_counts([len(items[i].text) for i in runs], extra):
        pieces, origin = _cut_dash_runs(items, dict(zip(runs, counts)))
        for cand in _enumerate(pieces, k, constraints, allow_missing=allow_missing, unsplit_only=False)[:DASH_READING_CANDIDATES]:
            mapped = _mapped_to_items(cand, origin)
            if mapped is not None:
                found.setdefault(tuple(map(_SPAN_OF, mapped.readings)), mapped)
    return list(found.values())


def _dash_cell_counts(lengths: Sequence[int], extra: int) -> list[tuple[int, ...]]:
    """The cell counts of dash runs of ``lengths`` read with each mark width of :data:`DASH_MARK_WIDTHS` that
    divides every run, when they add 1 … ``extra`` cells to the row (one cell per run adds none)."""
    out: list[tuple[int, ...]] = []
    for width in DASH_MARK_WIDTHS:
        counts = tuple(n // width for n in lengths)
        if all(n % width == 0 for n in lengths) and 0 < sum(counts) - len(lengths) <= extra and counts not in out:
            out.append(counts)
    return out


def _cut_dash_runs(items: Sequence[Item], counts: dict[int, int]) -> tuple[list[Item], list[int]]:
    """``items`` with item ``i`` of ``counts`` cut into ``counts[i]`` placeholder pieces (as even as the
    dashes allow), and the index in ``items`` of each resulting item."""
    out: list[Item] = []
    origin: list[int] = []
    for i, item in enumerate(items):
        parts = counts.get(i, 1)
        if parts == 1:
            out.append(item)
            origin.append(i)
            continue
        size, longer = divmod(len(item.text), parts)
        at = 0
        for n in range(parts):
            length = size + (n < longer)
            out.append(Item("ph", item.text[at:at + length], item.start + at, item.start + at + length, item.line, item.flags))
            origin.append(i)
            at += length
    return out, origin


def _mapped_to_items(cand: Candidate, origin: Sequence[int]) -> Candidate | None:
    """A candidate over cut dash runs as one over the row's items (``None``: it reads part of a run only)."""
    read = {origin[r.item] for r in cand.readings if r.item is not None}
    dropped = {origin[j] for j in cand.dropped}
    if read & dropped:
        return None
    readings = tuple(r if r.item is None else Reading(r.kind, r.raw, r.start, r.end, origin[r.item], r.split)
                     for r in cand.readings)
    return Candidate(readings, tuple(sorted(dropped)), tuple(sorted({origin[j] for j in cand.ignored_blanks})))


_GRID_BLANK_FLAGS = frozenset(("pipe", "column"))
"""The flags of an empty cell a grid printed (a pipe or an HTML cell; a fixed-width copy's column,
:mod:`gxparse.column_grid`): a cell of its line, which no cut of a run beside it reads away."""


def _without_split_and_drop(cands: list[Candidate], items: Sequence[Item]) -> list[Candidate]:
    """Leave out the candidates that cut a glued run into cells yet drop a cell printed beside it.

    A number on the line of the row's glued run (``355129 0``) is one of its cells: when there are
    more digits than cells, it is the run that is cut fewer times, not the printed number that is
    noise. So is a placeholder printed beside it (``— 123`` under two columns: — | 123, not 1 | 23 with
    the dash dropped, whatever a bound between rows would prefer). So is an empty cell between pipes (``| 128 |  | 575 |``, an HTML ``<td></td>``): a grid
    printed it, so cutting ``128`` into ``12 | 8`` in its place is no reading. That holds for an empty
    cell after the line's last value too (``| 31 | 5 |  |``, a tab row ending in a tab): it may be a
    filler, but a grid that separates every cell does not glue two of them (nor does a fixed-width copy whose
    columns show the empty cell: :mod:`gxparse.column_grid`); a footnote or page number
    stands on a line of its own and may still be dropped. Kept when no candidate reads every such cell.
    """
    def grid_blank(item: Item) -> bool:
        return item.kind == "blank" and not _GRID_BLANK_FLAGS.isdisjoint(item.flags)

    def splits_and_drops(cand: Candidate) -> bool:
        if not cand.dropped and not cand.ignored_blanks:  # (most candidates drop nothing)
            return False
        lines = {items[r.item].line for r in cand.readings if r.item is not None and r.split}
        return bool(lines) and (any(items[j].kind in ("num", "ph") and items[j].line in lines for j in cand.dropped)
                                or any(grid_blank(items[j]) and items[j].line in lines for j in cand.ignored_blanks))

    kept = [c for c in cands if not splits_and_drops(c)]
    return kept if kept else cands


ENFORCED_BUDGET = 8_000
ENFORCED_MISSING_BUDGET = 3_000
"""The identity-enforced search with dropped blanks: as much as the free search (it only adds where
the blanks fall to the consistent splits found within :data:`ENFORCED_BUDGET`)."""
TOTAL_FIRST_BUDGET = 8_000
"""The search from the total (:meth:`_Search.run_total_first`), only when the enforced search found nothing:
as much as that search (a 21-digit applications run needs about 1,000 nodes)."""
FREE_BUDGET = 3_000
FREE_BUDGET_WITH_CONSISTENT = 300
FREE_BUDGET_EXACT = 400


class SearchBudgets(NamedTuple):
    """What one row's search may spend: the node budgets of its searches, the candidates it keeps, and
    the partial sums :func:`gxparse.split_search.consistent_candidates` may hold."""

    enforced: int
    enforced_missing: int
    total_first: int
    free: int
    free_with_consistent: int
    free_exact: int
    candidates: int
    state_cap: int


BUDGETS = SearchBudgets(ENFORCED_BUDGET, ENFORCED_MISSING_BUDGET, TOTAL_FIRST_BUDGET, FREE_BUDGET,
                        FREE_BUDGET_WITH_CONSISTENT, FREE_BUDGET_EXACT, MAX_CANDIDATES, STATE_CAP)
"""The budgets of a row that could be printed (every row of the dev, wild and synthetic corpora)."""

LONG_DIGITS_PER_CELL = 8
"""A row whose numbers hold more digits than this per cell is no printed row (:func:`long_digit_row`): the
largest value of any gold table has 8 digits (10⁷, :data:`gxparse.priors.MAX_DIGIT_CLASS`), and the rows
of the dev, wild and synthetic corpora hold at most 6 digits per cell (a 1-cell row of 6 digits; a glued
7-cell row of 21 digits has 3)."""

LONG_DIGIT_BUDGETS = SearchBudgets(enforced=60, enforced_missing=30, total_first=60, free=80,
                                   free_with_consistent=40, free_exact=40, candidates=40, state_cap=6_000)
"""The budgets of a :func:`long_digit_row`, a tenth of :data:`BUDGETS`: such a row (every number of a report
replaced by a long digit run, a table of IDs or phone numbers) costs its search's whole budget however long
it is, and each candidate is then featurised and scored; with these the report whose every number is 64
digits long stays under 0.5 s (``scripts/worst_case.py``). The row's readings are the first found within
them (the simplest, fewest cuts), so the parser warns about it (:func:`search_bounded`)."""


def may_cut(items: Sequence[Item]) -> bool:
    """Whether some candidate of a row of ``items`` may cut a glued run into cells (a :class:`Reading` with
    ``split``): only a number that may be cut (:func:`_splittable`) of two digits or more can be. Where none
    can, nothing that weighs cuts (:func:`gxparse.priors.cut_log_prior`, by the row's own length counts)
    tells two rows of the same items apart (:func:`gxparse.place._row_signature`). (A loop, not ``any`` over a
    generator: every row's signature asks, and most rows of blanks and one-digit numbers are read to the end.)"""
    for it in items:
        if it.kind == "num" and len(it.text) > 1 and (m := _splittable(it)) is not None:
            digits = m.group("digits")
            if len(digits) - digits.count(",") > 1:
                return True
    return False


def long_digit_row(items: Sequence[Item], k: int) -> bool:
    """True for a row whose numbers hold more than :data:`LONG_DIGITS_PER_CELL` digits per cell before their
    decimal points (searched under :data:`LONG_DIGIT_BUDGETS`): no reading of every digit gives cells of
    printed lengths. (A 万元 amount prints up to 6 decimals: ``621.712962`` is a cell of 3 digits.)"""
    most = LONG_DIGITS_PER_CELL * max(k, 1)
    numbers = [it.text for it in items if it.kind == "num"]
    if sum(map(len, numbers)) <= most:  # no more digits than characters: the common row is told at once
        return False
    return sum(sum(map(str.isdigit, text.partition(".")[0])) for text in numbers) > most


def search_bounded(items: Sequence[Item], k: int) -> bool:
    """True for a :func:`long_digit_row` with more readings (:func:`~gxparse.split_search.readings_bound`) than
    :data:`LONG_DIGIT_BUDGETS` keeps candidates: its search may have stopped before the reading a full
    search would choose (the parser warns about the row)."""
    if not long_digit_row(items, k):
        return False
    runs = [m.group("digits") if it.kind == "num" and (m := _SPLITTABLE.match(it.text)) else None for it in items]
    return readings_bound(runs, k) > LONG_DIGIT_BUDGETS.candidates


_MISSING = Reading("missing")
_SPAN_OF = attrgetter("kind", "start", "end")
"""What tells two candidates apart: each cell's kind and source span."""


def _candidate(readings: tuple[Reading, ...], values: tuple[int | float | None, ...], dropped: tuple[int, ...],
               ignored: tuple[int, ...]) -> Candidate:
    """A :class:`Candidate` whose :attr:`~Candidate.values` the search has already read (each piece's value is
    what its reading's parse gives, ``tests/test_speed_paths.py``), made without the frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field): its ``__dict__`` filled field by field in ``__init__``'s
    order, as ``cached_property`` would fill ``values`` on first use (which, on Python 3.11, takes a lock each
    time); item assignments, not ``dict.update``, which builds a dict of keywords first."""
    cand = object.__new__(Candidate)
    fields = cand.__dict__
    fields["readings"] = readings
    fields["dropped"] = dropped
    fields["ignored_blanks"] = ignored
    fields["values"] = values
    return cand


def _new_reading(kind: ReadingKind, raw: str, start: int, end: int, item: int, split: bool) -> Reading:
    """``Reading(kind, raw, start, end, item, split)``, made without the frozen dataclass's ``__init__`` (one
    guarded ``object.__setattr__`` per field), as :func:`gxparse.place._from_relative` makes them: its ``__dict__``
    filled in ``__init__``'s order (item assignments, a third faster than ``dict.update`` of keywords)."""
    reading = object.__new__(Reading)
    fields = reading.__dict__
    fields["kind"] = kind
    fields["raw"] = raw
    fields["start"] = start
    fields["end"] = end
    fields["item"] = item
    fields["split"] = split
    return reading


class _Exhausted(Exception):
    """Raised inside a search when no further node could record a candidate (its budget is spent
    or :data:`MAX_CANDIDATES` are found): the search ends at once instead of unwinding node by node."""


_Piece = tuple[int, "int | float | None", "int | None"]
"""A piece of a glued run: its length, its value, the digit where the next piece starts (``None`` after the last)."""


class _Search:
    """Piece-by-piece depth-first search over the items of one segment."""

    def __init__(self, items: Sequence[Item], k: int, constraints: Sequence[RowConstraint]) -> None:
        self.items = items
        self.k = k
        self.constraints = constraints
        self.found: dict[tuple[object, ...], Candidate] = {}
        self._pieces_at: dict[tuple[int, int], list[_Piece]] = {}
        self._readings_at: dict[tuple[int, int], list[Reading | None]] = {}
        self._fewest_at: dict[int, list[int]] = {}
        self._by_value_at: dict[tuple[int, int], dict[int | float | None, list[_Piece]]] = {}
        self._unread: tuple[list[tuple[int, ...]], list[tuple[int, ...]]] | None = None
        self.parsed = [_splittable(it) for it in items]
        self.digits = [m.group("digits").replace(",", "") if m else "" for m in self.parsed]
        # a run printed with thousands separators: where they stand, and where each digit is printed
        self.separators = {i: _separator_cuts(m.group("digits")) for i, (m, it) in enumerate(zip(self.parsed, items))
                           if m and GROUPED_RUN in it.flags}
        # each item read whole as one cell (a blank, a placeholder, a number that is not cut)
        self._whole_readings = [_new_reading("blank", "", it.start, it.start, i, False) if it.kind == "blank"
                                else _new_reading(it.kind, it.text, it.start, it.end, i, False) for i, it in enumerate(items)]
        self.capacity = [0] * (len(items) + 1)
        for i in range(len(items) - 1, -1, -1):  # the most cells the items from i fill: a splittable number one a digit
            self.capacity[i] = self.capacity[i + 1] + (len(self.digits[i]) if self.parsed[i] else 1)
        visible = sum(1 for it in items if it.kind != "blank" or "trailing" not in it.flags)
        self.max_missing = max(0, k - visible)
        # total_parts[n]: the parts of the (first) identity whose total is cell n, once all its parts are read
        parts_of: dict[int, tuple[int, ...]] = {}
        for c in constraints:
            if 0 <= c.total <= k and all(p < c.total for p in c.parts):
                parts_of.setdefault(c.total, c.parts)
        self.total_parts: list[tuple[int, ...] | None] = ([parts_of.get(n) for n in range(k + 1)] if parts_of
                                                           else [None] * (k + 1))
        self._totals = [(n, parts_of[n]) for n in sorted(parts_of) if n < k]

    def sole_reading(self, *, unsplit_only: bool) -> Candidate | None:
        """The row's candidate when it is known without searching (``None``: only the search can tell).

        * When no cell can be inferred and the items hold exactly ``k`` cells (every digit a cell, each
          blank or placeholder one), the reading that fills every item to its capacity is the row's only one.
        * Otherwise the search's first path (:meth:`_first_reading`: every item whole, a run of zeros
          ending in one digit cut digit by digit), when it fills the ``k`` cells and holds every identity the
          enforced search enforces (each total a number equal to the sum of its parts, blanks 0), is the
          first candidate whichever search runs first records (pieces longest first, an item read before
          it is dropped, a cell inferred last), so it is kept; it is then all that is kept when every other
          candidate is dropped after the search: where the caller keeps only uncut readings
          (``unsplit_only``) and it cuts nothing and infers nothing, every other candidate cuts a run; in a
          row of plain numbers on one line, one that cuts a run and drops a number beside it is no reading
          (:func:`_without_split_and_drop`), one that cuts none cannot fill the cells (``k`` exceeds the
          numbers that can each be one cell plus the cells that can be inferred), and one that drops
          nothing reads more cells than the first path. So too where the line also holds empty grid cells
          (``821 | 35 |  |  | 2 | 1 | 859``) and no cell can be inferred: one that cuts a run and ignores an
          empty cell beside it is no reading either, and one that ignores one without cutting lacks a cell.
        """
        k, items = self.k, self.items
        if not k or len(items) > k or self.separators:  # a run's separators rule out some cuts: only the search knows
            return None
        if not self.max_missing and self.capacity[0] == k:
            return self._reading_of_cuts(every_digit=True)
        first = self._reading_of_cuts(every_digit=False)
        if first is None or not self._holds(first):
            return None
        cut = any(r.split for r in first.readings)
        if unsplit_only and not cut and not self.max_missing:
            return first
        if all(it.line == items[0].line and (it.kind == "num" and NARRATIVE_TAIL not in it.flags or it.kind == "blank"
                                             and not self.max_missing and not _GRID_BLANK_FLAGS.isdisjoint(it.flags))
               for it in items):
            one_cell = sum(1 for m, digits in zip(self.parsed, self.digits) if m is None or digits[0] != "0" or len(digits) == 1)
            if not cut or one_cell + self.max_missing < k:
                return first
        return None

    def _reading_of_cuts(self, *, every_digit: bool) -> Candidate | None:
        """Every item read to the end, dropping nothing, inferring nothing, as ``k`` cells (``None``: not ``k``).

        ``every_digit``: every digit a cell; else :meth:`_first_reading`'s cuts: each item whole, but a run
        whose digits before its last are all ``0`` (``0``, ``00``, ``05``: a cell cannot start at a ``0``)
        digit by digit, its only reading. The cells and values are the ones the search makes.
        """
        cells: list[Reading] = []
        values: list[int | float | None] = []
        for i, (m, digits) in enumerate(zip(self.parsed, self.digits)):
            if m is None:  # a blank, a placeholder or a number that is not cut: read whole
                cells.append(self._whole_readings[i])
                values.append(cells[-1].value)
                continue
            by_digit = every_digit or not digits[:-1].strip("0")
            if not by_digit and digits[0] == "0":
                return None  # ``0510``: no reading without cuts, and no single one
            length = 1 if by_digit else len(digits)
            if length == len(digits):  # read whole: the item's own reading, its value as the search's whole piece
                cells.append(self._whole_readings[i])
                values.append(self._whole_value(i))
                continue
            # digit by digit: each piece's value is its reading's (test_piece_values_are_what_parse_value_reads),
            # read without listing every piece of the run from that digit (:meth:`_piece_values`)
            for pos in range(len(digits)):
                cells.append(reading := self._reading(i, pos, 1))
                values.append(reading.value)
        if len(cells) != self.k:
            return None
        return _candidate(tuple(cells), tuple(values), (), ())

    def _whole_value(self, i: int) -> int | float | None:
        """The value of the piece that reads all of number item ``i`` (its :meth:`_piece_values` piece of every
        digit from digit 0), without listing the item's other pieces; its reading is the item's whole reading
        (the same kind, text, offsets and item: the item is all its match, ``_SPLITTABLE``'s parts in order)."""
        m = self.parsed[i]
        assert m is not None
        if m.group("tail") or m.group("unit"):  # as printed, decimals and unit read
            return self._whole_readings[i].value
        value = int(self.digits[i])
        return -value if (m.group("sign") or "").startswith(("-", "减")) else value

    def _holds(self, cand: Candidate) -> bool:
        """Whether ``cand`` holds every identity the enforced search enforces (each total a number; blanks 0)."""
        cells, values = cand.readings, cand.values
        return all(cells[n].kind == "num" and sum([v for p in parts if (v := values[p])]) == values[n]
                   for n, parts in self._totals)

    def decide_consistent(self, *, always: bool = False, state_cap: int = STATE_CAP) -> list[Candidate] | None:
        """The readings without dropped blanks whose identity holds, decided without enumerating
        (:func:`gxparse.split_search.consistent_candidates`; ``None``: undecided), when the identity-enforced
        search could run out of budget on them (``always``: in any case)."""
        if self.separators:
            return None  # the decision cuts a run anywhere: the separators' rules are the search's
        runs = [d if m and not (m["sign"] or m["tail"] or m["unit"]) and NARRATIVE_TAIL not in it.flags else None
                for d, m, it in zip(self.digits, self.parsed, self.items)]
        if not always and readings_bound(runs, self.k) <= ENFORCED_BUDGET:
            return None
        return consistent_candidates(self.items, self.k, self.constraints, runs, self._reading, self._whole_readings,
                                     limit=MAX_CANDIDATES, state_cap=state_cap)

    def _unread_from(self) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
        """The items from each index on that a candidate which stops reading there drops (numbers and
        placeholders) and ignores (blanks); made once, when a search first runs."""
        if self._unread is None:
            items = self.items
            self._unread = ([tuple(j for j in range(i, len(items)) if items[j].kind != "blank") for i in range(len(items) + 1)],
                            [tuple(j for j in range(i, len(items)) if items[j].kind == "blank") for i in range(len(items) + 1)])
        return self._unread

    def run(self, *, enforce: bool, allow_missing: bool, budget: int) -> None:
        """Search depth first from the row's first item, recording each complete reading once.

        The search is one closure over mutable stacks (cells, their values, dropped and ignored
        items), pushed before a move and popped after it, instead of a new tuple per node; a node
        is counted as before (so a budget ends the search at the same node) and the search stops
        outright once no further node could record (budget spent or :data:`MAX_CANDIDATES` found).
        The moves inside a glued run differ by search: the free search reads the live pieces of a node
        from a list made at its first visit; the enforced one looks up the pieces the identity allows.
        A child inside a run, or one that fills the row's last cell, is counted and expanded in place.
        """
        self.missing_budget = missing_budget = self.max_missing if allow_missing else 0
        self._alive_at: dict[tuple[int, int, int, int], bool] = {}
        self._alive_after_at: dict[tuple[int, int, int, int], bool] = {}
        alive_at = self._alive_at
        self.nodes = 0  # the nodes the last run visited (what its budget counts)
        items, k, found, parsed, capacity = self.items, self.k, self.found, self.parsed, self.capacity
        total_parts, pieces_at, readings_at = self.total_parts, self._pieces_at, self._readings_at
        alive, piece_values, pieces_worth, reading_of = self._alive, self._piece_values, self._pieces_worth, self._reading
        self._live_at: dict[tuple[int, int, int, int], list[_Piece]] = {}
        live_at, live_pieces = self._live_at, self._live_pieces
        by_value_at, values_at = self._by_value_at, self._values_at
        n_items = len(items)
        whole = self._whole_readings
        dropped_from, ignored_from = self._unread_from()
        cells: list[Reading] = []
        vals: list[int | float | None] = []
        dropped: list[int] = []
        ignored: list[int] = []
        nodes = 0

        def expected_total() -> int | float | None:
            """The total the identity needs for the next cell (``None`` when that cell is no total);
            blank parts count as 0, as in ``sum(v or 0 …)``."""
            parts = total_parts[len(vals)]
            return None if parts is None else sum([v for p in parts if (v := vals[p])])

        def node(i: int, missing: int) -> None:
            """A node at the start of item ``i``: counted, then expanded; in the free search only where the row
            can still be filled (:meth:`_alive`); then its moves: record a full row, or read the item, skip it,
            infer a blank. (A node inside a glued run is made by ``pieces``, which checks and counts it itself.)"""
            nonlocal nodes
            n = len(cells)
            # (the identity's lookups prune the enforced search; liveness there cost more than it saved)
            if not enforce:
                known = alive_at.get((i, 0, n, missing))
                if not (known or known is None and alive(i, 0, n, missing)):
                    return  # no way to fill the row from here: not a node of the search
            nodes += 1
            if nodes > budget:
                raise _Exhausted
            if n == k:
                record(i)
                return
            if capacity[i] + missing_budget - missing < k - n:
                return
            if i < n_items:  # read the next item (whole, then split), or skip it; simplest readings first
                kind = items[i].kind
                if kind == "blank":
                    read_whole(i, missing)
                    ignored.append(i)
                    node(i + 1, missing)
                    ignored.pop()
                else:
                    if kind == "ph" or parsed[i] is None:
                        read_whole(i, missing)
                    else:
                        pieces(i, 0, missing)
                    dropped.append(i)
                    node(i + 1, missing)
                    dropped.pop()
            if missing < missing_budget:  # a blank cell the layout dropped
                cells.append(_MISSING)
                vals.append(None)
                node(i, missing + 1)
                cells.pop()
                vals.pop()

        def read_whole(i: int, missing: int) -> None:
            """Read item ``i`` whole as the next cell; only a number may be the total the row's identity needs."""
            reading = whole[i]
            if enforce and reading.kind != "num" and total_parts[len(vals)] is not None:  # the next cell is a total
                return
            cells.append(reading)
            vals.append(reading.value)
            node(i + 1, missing)
            cells.pop()
            vals.pop()

        def free_pieces(i: int, pos: int, missing: int) -> None:
            """Extend the candidate with the next piece of item ``i``, starting at digit ``pos`` (the free search).

            Only the pieces after which the row can still be filled are moves; which they are depends on
            the node alone (item, digit, cells filled, cells inferred), so they are listed once a run
            (:meth:`_live_pieces`) and every later visit of the node reads the list.
            """
            nonlocal nodes
            n = len(cells)
            if n == k:
                return
            after = n + 1
            live = live_at.get((i, pos, n, missing))
            if live is None:
                live = live_pieces(i, pos, n, missing)
            made = readings_at.get((i, pos))  # the readings of these pieces made so far, by length
            for length, value, next_pos in live:
                if nodes >= budget:
                    raise _Exhausted  # every further node would stop at once: the search is over
                cells.append(made and made[length] or reading_of(i, pos, length))
                vals.append(value)
                if next_pos is None:
                    if after == k:  # the row is full: a node that records, alive and within the budget
                        nodes += 1
                        record(i + 1)
                    else:
                        node(i + 1, missing)
                else:  # a node inside the run, alive and within the budget: counted, then expanded
                    nodes += 1
                    free_pieces(i, next_pos, missing)
                cells.pop()
                vals.pop()

        def enforced_pieces(i: int, pos: int, missing: int) -> None:
            """Extend the candidate with the next piece of item ``i``, starting at digit ``pos`` (the identity enforced)."""
            nonlocal nodes
            n = len(cells)
            if n == k:
                return
            if total_parts[n] is not None:
                expected = expected_total()
                assert expected is not None
                options = pieces_worth(i, pos, expected)  # only the pieces the identity allows, in search order
            else:
                options = pieces_at.get((i, pos)) or piece_values(i, pos)
            after = n + 1
            parts = total_parts[after]
            made = readings_at.get((i, pos))  # the readings of these pieces made so far, by length
            partial = None  # the parts' sum without this piece, when the piece is the last part and all are integers
            if parts is not None and parts[-1] == n:
                partial = sum([v for p in parts[:-1] if (v := vals[p])])
            # two kinds of child are leaves that stop at once, counted uncalled:
            # a run cut on past the row's last cell, and a cell after which too few items are left
            short_after = after < k and capacity[i + 1] + missing_budget - missing < k - after
            for length, value, next_pos in options:
                if nodes >= budget:
                    raise _Exhausted  # every further node would stop at once: the search is over
                if next_pos is None:
                    if short_after:
                        nodes += 1
                        continue
                elif after == k:
                    nodes += 1
                    continue
                elif parts is not None:  # the next piece would be the total: a leaf when none is worth it, counted uncalled
                    if type(partial) is int and type(value) is int:  # the same sum, in the same order
                        expected = partial + value
                    else:
                        vals.append(value)
                        expected = expected_total()
                        vals.pop()
                    worth = by_value_at.get((i, next_pos)) or values_at(i, next_pos)
                    if expected not in worth:
                        nodes += 1
                        continue
                cells.append(made and made[length] or reading_of(i, pos, length))
                vals.append(value)
                if next_pos is None:
                    if after == k:  # the row is full: a node that records, within the budget
                        nodes += 1
                        record(i + 1)
                    else:
                        node(i + 1, missing)
                else:  # a node inside the run, within the budget: counted, then expanded
                    nodes += 1
                    enforced_pieces(i, next_pos, missing)
                cells.pop()
                vals.pop()

        pieces = enforced_pieces if enforce else free_pieces

        def record(i: int) -> None:
            """Record the cells read so far, the items from ``i`` on left unread (dropped, or ignored if blank)."""
            key = tuple(map(_SPAN_OF, cells))
            if key not in found:
                found[key] = _candidate(tuple(cells), tuple(vals), (*dropped, *dropped_from[i]), (*ignored, *ignored_from[i]))
                if len(found) >= MAX_CANDIDATES:
                    raise _Exhausted

        try:
            if len(found) < MAX_CANDIDATES:
                node(0, 0)
        except _Exhausted:
            pass
        finally:  # the moves name each other: emptying their cells frees them now, not at the next full collection
            del node, pieces, free_pieces, enforced_pieces, read_whole, record
        self.nodes = nodes

    def run_total_first(self, *, budget: int) -> None:
        """The splits of a row whose last cell totals all the others, searched from the total.

        The forward search learns what the parts must sum to only when it reaches the total, so
        under a long glued run (``407780912424891635286`` under seven cells) it spends its budget on
        parts no total could match. Here each way the last run can end in the total is tried
        first (from the shortest total a split can reach); the parts must then sum to it, so a part
        never exceeds what is left of it. Only rows of plain unsigned digit runs, every digit read.
        """
        totals_the_rest = any(c.total == self.k - 1 and set(c.parts) == set(range(self.k - 1)) for c in self.constraints)
        if not totals_the_rest or not self.items or self.separators or any(m is None or m["sign"] or m["tail"] or m["unit"] for m in self.parsed):
            return
        self.nodes, self.budget = 0, budget
        last = len(self.items) - 1
        digits = self.digits[last]
        before = sum(len(d) for d in self.digits[:last])
        for start in range(len(digits) - 1, -1, -1):  # the total is digits[start:], shortest first
            length, parts_digits = len(digits) - start, before + start
            if digits[start] == "0" and length > 1 or parts_digits < self.k - 1:
                continue
            if parts_digits > (self.k - 1) * length:
                continue  # some part would be longer than the total
            if length > parts_digits - (self.k - 2) + len(str(self.k - 1)):
                break  # more digits than the parts' sum can reach (< k - 1 times the longest part)
            self._parts_of(0, 0, (), 0, int(digits[start:]), start)
            if self.nodes > self.budget or len(self.found) >= MAX_CANDIDATES:
                return

    def _parts_of(self, i: int, pos: int, cells: tuple[Reading, ...], subtotal: int, total: int, stop: int) -> None:
        """Cut the digits before the total (which begins at digit ``stop`` of the last item) into parts summing to ``total``."""
        self.nodes += 1
        if self.nodes > self.budget or len(self.found) >= MAX_CANDIDATES:
            return
        last = len(self.items) - 1
        end = stop if i == last else len(self.digits[i])
        left = self.k - 1 - len(cells)  # parts still to read, from the digits still to read
        digits_left = stop - pos if i == last else stop + end - pos + sum(len(d) for d in self.digits[i + 1:last])
        if not left <= digits_left <= left * len(str(total)) or (
                left and subtotal + left * (10 ** min(len(str(total)), digits_left - left + 1) - 1) < total):
            return  # too many or too few digits for the parts left, or they cannot reach the total
        if pos == end and i < last:
            self._parts_of(i + 1, 0, cells, subtotal, total, stop)
            return
        if len(cells) == self.k - 1:
            if i == last and pos == stop and subtotal == total:
                self._record(cells + (self._reading(last, stop, len(self.digits[last]) - stop),))
            return
        digits = self.digits[i]
        for stop_at in range(pos + 1, (pos + 2) if digits[pos] == "0" else end + 1):
            value = int(digits[pos:stop_at])
            if subtotal + value > total or self.nodes > self.budget:
                break  # a longer piece is larger still (or the budget is spent: the child would stop at once)
            self._parts_of(i, stop_at, cells + (self._reading(i, pos, stop_at - pos),), subtotal + value, total, stop)

    def _record(self, cells: tuple[Reading, ...]) -> None:
        """Record a reading of every item (nothing dropped or ignored), once."""
        key = tuple(map(_SPAN_OF, cells))
        if key not in self.found:
            self.found[key] = Candidate(cells, (), ())

    def _alive(self, i: int, pos: int, n: int, missing: int) -> bool:
        """Whether the row can be completed from item ``i``, digit ``pos``, with ``n`` cells filled and
        ``missing`` cells inferred, ignoring the identity (memoised: a dynamic programme over these four).

        The search visits the same moves in the same order; it only skips the subtrees that record
        nothing (a glued run that the cells left cannot finish, too few items left for the cells), so
        what it records is unchanged while its budget lasts, and a row of long digit runs no longer
        spends the budget on dead ends. The rest of a run from digit ``pos`` can be cut into any
        number of pieces from :meth:`_fewest_pieces` to one per digit (its leading zeros one each,
        then the rest whole but for its last digits, one each), so only the count of pieces
        matters, not where the cuts fall.
        """
        key = (i, pos, n, missing)
        known = self._alive_at.get(key)
        if known is not None:
            return known
        if pos:
            alive = n < self.k and self._alive_after(
                i + 1, n + self._fewest_pieces(i, pos), n + min(len(self.digits[i]) - pos, self.k - n), missing)
        elif n == self.k:
            alive = True
        elif self.capacity[i] + self.missing_budget - missing < self.k - n:
            alive = False
        else:
            alive = False
            if i < len(self.items):
                if self.parsed[i] is None:  # a blank, a placeholder or an unsplittable number: one cell
                    alive = self._alive(i + 1, 0, n + 1, missing)
                else:
                    alive = self._alive_after(
                        i + 1, n + self._fewest_pieces(i, 0), n + min(len(self.digits[i]), self.k - n), missing)
                alive = alive or self._alive(i + 1, 0, n, missing)
            if not alive and missing < self.missing_budget:
                alive = self._alive(i, 0, n + 1, missing + 1)
        self._alive_at[key] = alive
        return alive

    def _alive_after(self, i: int, least: int, most: int, missing: int) -> bool:
        """Whether the row can be completed from the start of item ``i`` with ``least`` to ``most`` cells
        filled (the cuts of the run before it; memoised apart, as most digits of a long run share it)."""
        key = (i, least, most, missing)
        known = self._alive_after_at.get(key)
        if known is None:
            known = self._alive_after_at[key] = any(self._alive(i, 0, n, missing) for n in range(least, most + 1))
        return known

    def _live_pieces(self, i: int, pos: int, n: int, missing: int) -> list[_Piece]:
        """The pieces of item ``i`` from digit ``pos`` (:meth:`_piece_values`) after which a row with ``n`` cells
        filled and ``missing`` inferred can still be completed (:meth:`_alive`), in search order; listed once a
        run (``_live_at``). Their readings are made only when the search reads them (a long run's
        pieces are many, and a budget may end the search first)."""
        after = n + 1
        alive = self._alive
        live = [piece for piece in self._piece_values(i, pos)
                if (alive(i + 1, 0, after, missing) if piece[2] is None else alive(i, piece[2], after, missing))]
        self._live_at[(i, pos, n, missing)] = live
        return live

    def _fewest_pieces(self, i: int, pos: int) -> int:
        """The fewest pieces the digits of item ``i`` from ``pos`` on can be cut into: each leading ``0``
        is a piece of its own (no cell starts with 0), the rest one piece."""
        fewest = self._fewest_at.get(i)
        if fewest is None:  # from the last digit back: a 0 adds a piece before what follows, another digit starts one
            digits = self.digits[i]
            fewest = [0] * (len(digits) + 1)
            # a run that ends in a sentence's number may stop before any digit but 0: a 0 adds a piece only before a 0
            tail = NARRATIVE_TAIL in self.items[i].flags
            for at in range(len(digits) - 1, -1, -1):
                zero_next = not tail or at + 1 == len(digits) or digits[at + 1] == "0"
                fewest[at] = fewest[at + 1] + 1 if digits[at] == "0" and zero_next else 1
            self._fewest_at[i] = fewest
        return fewest[pos]

    def _piece_values(self, i: int, pos: int) -> list[_Piece]:
        """The pieces of item ``i`` that may start at digit ``pos``, in search order (made once, then reused).

        Each is ``(its length in digits, its value, the digit where the next piece starts or None after
        the last)``; the search visits the same piece of a glued run from many partial candidates, and
        makes its :class:`Reading` only when it reads it (:meth:`_reading`).
        """
        known = self._pieces_at.get((i, pos))
        if known is not None:
            return known
        m = self.parsed[i]
        assert m is not None
        sign, digits = m.group("sign") or "", self.digits[i]
        end = len(digits)
        if digits[pos] == "0":  # no cell starts with 0: a token printed as "03" is two glued cells, 0 | 3
            ends = range(pos + 1, pos + 2)
        else:
            ends = range(end, pos, -1) if pos == 0 else range(pos + 1, end + 1)
        # what parse_value(raw) gives, without its regex: a piece without decimals or unit is an integer
        out: list[_Piece] = [(stop - pos, int(digits[pos:stop]), stop if stop < end else None) for stop in ends]
        if NARRATIVE_TAIL in self.items[i].flags:  # or end the row here: the rest is the sentence's number
            out += [(stop - pos, int(digits[pos:stop]), None) for stop in ends if stop < end and digits[stop] != "0"]
        if pos == 0 and sign.startswith(("-", "减")):
            out = [(length, -value, next_pos) for length, value, next_pos in out]
        if (m.group("tail") or m.group("unit")) and ends[0 if pos == 0 else -1] == end:  # the last piece: as printed
            at = 0 if pos == 0 else len(out) - 1
            out[at] = (out[at][0], self._reading(i, pos, out[at][0]).value, None)
        if i in self.separators:
            commas = self.separators[i][0]
            out = [piece for piece in out if _grouped_piece_ok(commas, pos, pos + piece[0])]
        self._pieces_at[(i, pos)] = out
        return out

    def _reading(self, i: int, pos: int, length: int) -> Reading:
        """The reading of the piece of item ``i`` of ``length`` digits from digit ``pos`` (made once)."""
        at = self._readings_at.get((i, pos))
        if at is None:  # by length, one slot per piece that may start at ``pos``
            at = self._readings_at[(i, pos)] = [None] * (len(self.digits[i]) - pos + 1)
        known = at[length]
        if known is not None:
            return known
        item, m = self.items[i], self.parsed[i]
        assert m is not None
        sign, digits = m.group("sign") or "", self.digits[i]
        last = pos + length == len(digits)
        tail = ((m.group("tail") or "") + (m.group("unit") or "")) if last else ""
        printed, first = digits[pos:pos + length], pos
        if i in self.separators:  # the cell as printed, its separators kept
            printed_at = self.separators[i][1]
            printed, first = m.group("digits")[printed_at[pos]:printed_at[pos + length - 1] + 1], printed_at[pos]
        raw = (sign if pos == 0 else "") + printed + tail
        offset = item.start + len(sign) + first if pos else item.start
        reading = at[length] = _new_reading("num", raw, offset, offset + len(raw), i, not (pos == 0 and last))
        return reading

    def _pieces_worth(self, i: int, pos: int, value: int | float) -> list[_Piece]:
        """The pieces of :meth:`_piece_values` worth ``value``, in search order (grouped once, then reused).

        With the row identity enforced only the pieces equal to the expected total are read; a
        lookup finds them without comparing every piece of a long digit run (numbers equal across
        ``int`` and ``float`` hash alike, so the lookup is the ``==`` test).
        """
        return (self._by_value_at.get((i, pos)) or self._values_at(i, pos)).get(value, [])

    def _values_at(self, i: int, pos: int) -> dict[int | float | None, list[_Piece]]:
        """The pieces of item ``i`` from digit ``pos`` by value (made once)."""
        by_value = self._by_value_at.get((i, pos))
        if by_value is None:
            pieces = self._piece_values(i, pos)
            by_value = {piece[1]: [piece] for piece in pieces}  # a run's pieces from one digit differ in value…
            if len(by_value) < len(pieces):  # …but for a printed tail that reads like a shorter piece
                by_value = {}
                for piece in pieces:
                    by_value.setdefault(piece[1], []).append(piece)
            self._by_value_at[(i, pos)] = by_value
        return by_value

