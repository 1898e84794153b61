"""Enumerate the plausible placements of a row's source items into its value cells.

A row segment is the list of value items (:class:`gxparse.scan.Item` of kind ``num``, ``ph`` or
``blank``) that the layout puts under one row label. A :class:`Candidate` is one way of reading
them as exactly ``k`` cells:

* a glued digit run may be split into several cells (``15130000154`` → 151 | 3 | 0 | 0 | 0 | 0 | 154),
  never with a leading zero (``05`` is not a cell);
* an item may be dropped as noise (a footnote number, a stray page artefact);
* a visible blank item may fill a cell or be ignored as a filler;
* a cell whose blank was dropped by the layout may be inferred (``missing``).

Enumeration is a depth-first search with a node budget, so the worst case stays bounded. Rows
with an internal identity (a total column) are also searched with the identity enforced, which
prunes the glued cases to the handful of splits whose totals add up. Nothing here scores or
chooses; every candidate value is a substring of a source item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from gxparse.ir import Candidate, Item, Reading, ReadingKind, RowConstraint

__all__ = ["Candidate", "Reading", "ReadingKind", "RowConstraint", "enumerate_candidates"]
MAX_CANDIDATES = 400
_SPLITTABLE = re.compile(r"^(?P<sign>-|\+|减少?|增加?)?(?P<digits>\d+)(?P<tail>\.\d+)?(?P<unit>万元|元)?$")


def _max_cells(item: Item) -> int:
    if item.kind != "num":
        return 1
    m = _SPLITTABLE.match(item.text)
    return len(m.group("digits")) if m and "thousands" not in item.flags else 1


def enumerate_candidates(items: Sequence[Item], k: int, constraints: Sequence[RowConstraint] = (),
                         *, allow_missing: bool = True) -> list[Candidate]:
    """Enumerate the candidates of a segment of ``items`` for a row of ``k`` cells.

    The result holds the identity-consistent splits (when ``constraints`` are given) and as many
    unconstrained candidates as the node budget allows, simplest first (fewest splits).
    """
    search = _Search(items, k, [c for c in constraints if c.relation == "eq"])  # a bound (≤) prunes nothing: scored only
    # a glued run never hides dropped blanks (72-261 is one run); items separated by space may, and
    # so may a row whose items hold fewer digits than it has cells (a lone 0 under a 7-cell label),
    # unless they are only the numbering of the next label (2.申请人…), no cell of a blank row
    allow_missing = allow_missing and (any(b.start > a.end for a, b in zip(items, items[1:])) or (
        search.capacity[0] < k and not all("numbering_next" in it.flags for it in items)))
    if search.constraints and search.capacity[0] > len(items):  # something is glued: search the consistent splits
        search.run(enforce=True, allow_missing=False, budget=ENFORCED_BUDGET)
        if allow_missing and search.max_missing:
            # then with the blanks a spaced row dropped: a blank part counts as 0, so the sums allow them
            # in several places, and the identity chooses among those (a search of its own, so the
            # splits above are all found first)
            search.run(enforce=True, allow_missing=True, budget=ENFORCED_MISSING_BUDGET)
    if search.found:
        budget = FREE_BUDGET_WITH_CONSISTENT
    elif search.max_missing == 0 and len(items) == k:
        budget = FREE_BUDGET_EXACT  # one item per cell already: alternatives only need a small search
    else:
        budget = FREE_BUDGET
    search.run(enforce=False, allow_missing=allow_missing, budget=budget)
    return _without_split_and_drop(list(search.found.values()), items)


def _without_split_and_drop(cands: list[Candidate], items: Sequence[Item]) -> list[Candidate]:
    """Leave out the candidates that cut a glued run into cells yet drop a number printed beside it.

    A number on the line of the row's glued run (``355129 0``) is one of its cells: when there are
    more digits than cells, it is the run that is cut fewer times, not the printed number that is
    noise. A footnote or page number stands on a line of its own and may still be dropped. Kept when
    no candidate reads every such number.
    """
    def splits_and_drops(cand: Candidate) -> bool:
        lines = {items[r.item].line for r in cand.readings if r.item is not None and r.split}
        return bool(lines) and any(items[j].kind == "num" and items[j].line in lines for j in cand.dropped)

    kept = [c for c in cands if not splits_and_drops(c)]
    return kept if kept else cands


ENFORCED_BUDGET = 8_000
ENFORCED_MISSING_BUDGET = 3_000
"""The identity-enforced search with dropped blanks: as much as the free search (it only adds where
the blanks fall to the consistent splits found within :data:`ENFORCED_BUDGET`)."""
FREE_BUDGET = 3_000
FREE_BUDGET_WITH_CONSISTENT = 300
FREE_BUDGET_EXACT = 400


_Piece = tuple[Reading, "int | float | None", "int | None"]
"""A piece of a glued run: its reading, its value, the digit where the next piece starts (``None`` after the last)."""


class _Search:
    """Piece-by-piece depth-first search over the items of one segment."""

    def __init__(self, items: Sequence[Item], k: int, constraints: Sequence[RowConstraint]) -> None:
        self.items = items
        self.k = k
        self.constraints = constraints
        self.found: dict[tuple[object, ...], Candidate] = {}
        self._pieces_at: dict[tuple[int, int], list[_Piece]] = {}
        self._by_value_at: dict[tuple[int, int], dict[int | float | None, list[_Piece]]] = {}
        self.parsed = [_SPLITTABLE.match(it.text) if it.kind == "num" and "thousands" not in it.flags
                       and it.end - it.start == len(it.text) else None for it in items]
        self.capacity = [0] * (len(items) + 1)
        for i in range(len(items) - 1, -1, -1):
            self.capacity[i] = self.capacity[i + 1] + _max_cells(items[i])
        visible = sum(1 for it in items if it.kind != "blank" or "trailing" not in it.flags)
        self.max_missing = max(0, k - visible)
        # total_parts[n]: the parts of the identity whose total is cell n, once all its parts are read
        self.total_parts: list[tuple[int, ...] | None] = [
            next((c.parts for c in constraints if c.total == n and all(p < n for p in c.parts)), None)
            for n in range(k + 1)]

    def run(self, *, enforce: bool, allow_missing: bool, budget: int) -> None:
        self.enforce = enforce
        self.missing_budget = self.max_missing if allow_missing else 0
        self.nodes = 0
        self.budget = budget
        self._dfs(0, 0, (), (), (), (), 0)

    # The search carries the values of its cells (``vals``) beside the cells: the row identity's
    # expected total is summed from them at every node, and a value read once is not parsed again.

    def _dfs(self, i: int, pos: int, cells: tuple[Reading, ...], vals: tuple[int | float | None, ...],
             dropped: tuple[int, ...], ignored: tuple[int, ...], missing: int) -> None:
        self.nodes += 1
        if self.nodes > self.budget or len(self.found) >= MAX_CANDIDATES:
            return
        if pos:
            self._pieces(i, pos, cells, vals, dropped, ignored, missing)
            return
        if len(cells) == self.k:
            rest = range(i, len(self.items))
            self._record(cells, dropped + tuple(j for j in rest if self.items[j].kind != "blank"),
                         ignored + tuple(j for j in rest if self.items[j].kind == "blank"))
            return
        if self.capacity[i] + self.missing_budget - missing < self.k - len(cells):
            return
        if i < len(self.items):  # read the next item (whole, then split), or skip it; simplest readings first
            item = self.items[i]
            if item.kind == "blank":
                self._push(i + 1, cells, vals, Reading("blank", "", item.start, item.start, i), dropped, ignored, missing)
                self._dfs(i + 1, 0, cells, vals, dropped, ignored + (i,), missing)
            else:
                if item.kind == "ph" or self.parsed[i] is None:
                    self._push(i + 1, cells, vals, Reading(item.kind, item.text, item.start, item.end, i), dropped,
                               ignored, missing)
                else:
                    self._pieces(i, 0, cells, vals, dropped, ignored, missing)
                self._dfs(i + 1, 0, cells, vals, dropped + (i,), ignored, missing)
        if missing < self.missing_budget:  # a blank cell the layout dropped
            self._dfs(i, 0, cells + (Reading("missing"),), vals + (None,), dropped, ignored, missing + 1)

    def _pieces(self, i: int, pos: int, cells: tuple[Reading, ...], vals: tuple[int | float | None, ...],
                dropped: tuple[int, ...], ignored: tuple[int, ...], missing: int) -> None:
        """Extend the candidate with the next piece of item ``i``, starting at digit ``pos``."""
        if len(cells) == self.k:
            return
        if self.enforce and (expected := self._expected_total(vals)) is not None:
            readings = self._pieces_worth(i, pos, expected)  # only the pieces the identity allows, in search order
        else:
            readings = self._piece_readings(i, pos)
        for reading, value, next_pos in readings:
            if next_pos is None:
                self._dfs(i + 1, 0, cells + (reading,), vals + (value,), dropped, ignored, missing)
            else:
                self._dfs(i, next_pos, cells + (reading,), vals + (value,), dropped, ignored, missing)

    def _piece_readings(self, i: int, pos: int) -> list[_Piece]:
        """The pieces of item ``i`` that may start at digit ``pos``, in search order (made once, then reused).

        Each is ``(reading, its value, the digit where the next piece starts or None after the last)``;
        the search visits the same piece of a glued run from many partial candidates.
        """
        known = self._pieces_at.get((i, pos))
        if known is not None:
            return known
        item, m = self.items[i], self.parsed[i]
        assert m is not None
        sign, digits = m.group("sign") or "", m.group("digits")
        tail = (m.group("tail") or "") + (m.group("unit") or "")
        negative = pos == 0 and sign.startswith(("-", "减"))
        offset = item.start + len(sign) + pos if pos else item.start
        lengths = range(len(digits) - pos, 0, -1) if pos == 0 else range(1, len(digits) - pos + 1)
        out: list[_Piece] = []
        for length in lengths:
            piece = digits[pos:pos + length]
            last = pos + length == len(digits)
            if len(piece) > 1 and piece[0] == "0":
                continue  # no cell starts with 0: a token printed as "03" is two glued cells, 0 | 3
            raw = (sign if pos == 0 else "") + piece + (tail if last else "")
            reading = Reading("num", raw, offset, offset + len(raw), i, not (pos == 0 and last))
            # what parse_value(raw) gives, without its regex: a piece without decimals or unit is an integer
            value = reading.value if last and tail else (-int(piece) if negative else int(piece))
            out.append((reading, value, None if last else pos + length))
        self._pieces_at[(i, pos)] = out
        return out

    def _pieces_worth(self, i: int, pos: int, value: int | float) -> list[_Piece]:
        """The pieces of :meth:`_piece_readings` worth ``value``, in search order (grouped once, then reused).

        With the row identity enforced only the pieces equal to the expected total are read; a
        lookup finds them without comparing every piece of a long digit run (numbers equal across
        ``int`` and ``float`` hash alike, so the lookup is the ``==`` test).
        """
        by_value = self._by_value_at.get((i, pos))
        if by_value is None:
            by_value = self._by_value_at[(i, pos)] = {}
            for piece in self._piece_readings(i, pos):
                by_value.setdefault(piece[1], []).append(piece)
        return by_value.get(value, [])

    def _expected_total(self, vals: tuple[int | float | None, ...]) -> int | float | None:
        """The total the identity needs for the next cell (``None`` when that cell is no total).

        Blank parts count as 0, as in ``sum(v or 0 …)``: only the sum's value is compared.
        """
        parts = self.total_parts[len(vals)]
        return None if parts is None else sum([v for p in parts if (v := vals[p])])

    def _push(self, i: int, cells: tuple[Reading, ...], vals: tuple[int | float | None, ...], reading: Reading,
              dropped: tuple[int, ...], ignored: tuple[int, ...], missing: int) -> None:
        """Read item ``i - 1`` whole as the next cell; only a number may be the total the row's identity needs."""
        if self.enforce and reading.kind != "num" and self._expected_total(vals) is not None:
            return
        self._dfs(i, 0, cells + (reading,), vals + (reading.value,), dropped, ignored, missing)

    def _record(self, cells: tuple[Reading, ...], dropped: tuple[int, ...], ignored: tuple[int, ...]) -> None:
        key = tuple((r.kind, r.start, r.end) for r in cells)
        if key not in self.found:
            self.found[key] = Candidate(cells, dropped, ignored)
