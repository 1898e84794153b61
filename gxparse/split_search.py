"""Decide, without enumerating, whether a row's glued digits can be cut so that its total adds up.

The candidate search (:mod:`gxparse.candidates`) finds the readings of a row whose total column
equals the sum of the others by a depth-first search with a node budget. Under long digit runs
(``407780912424891635286`` under seven cells, or rows of 20-digit numbers) the search spends its
budget and stops without knowing whether a consistent reading exists: the row costs the whole
budget, and a consistent reading beyond it is never seen.

This module answers the question exactly for the rows the identity covers whole (every cell but
the last is a part, the last is the total: the applications row), by meeting in the middle over
the digit stream. A reading is a path through the row's items: an item is dropped (a blank
ignored), read as one cell (a blank or placeholder, value 0 in the sum), or cut into pieces (a
digit run; no piece starts with ``0`` unless it is ``0``); the total is a piece that ends its
item, and the items after it are dropped. The sums of the first ``h`` parts reachable at each
point of the stream are collected going forwards, the values ``total − the other parts`` going
backwards from every possible total; a consistent reading exists exactly where the two meet, and
the readings are rebuilt from the meeting points. The work is the number of distinct partial sums
(the square root, roughly, of the readings the search would enumerate); beyond
:data:`STATE_CAP` the answer is "undecided" and the caller searches as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from math import comb

from gxparse.ir import Candidate, Item, Reading, RowConstraint

__all__ = ["STATE_CAP", "consistent_candidates", "readings_bound"]

STATE_CAP = 60_000
"""The most partial sums (forward and backward, all points of the stream) one decision may hold.
At about 1 µs a sum this keeps a decision within ~60 ms, the cost of the identity-enforced search's
own budget on the same rows; a 20-digit run needs ~3,000 (1 ms), a 64-digit run ~2 × 10⁵."""

_Cell = tuple[int, int, int]
"""One cell of a reading: (item, first digit, end digit) of a piece; (item, 0, 0) for a blank or placeholder read whole."""
_Edge = tuple[int, int, _Cell]
"""A cell as a step through the stream: (the node after it, its value, the cell)."""


def readings_bound(runs: Sequence[str | None], k: int) -> int:
    """An upper bound on the readings of ``k`` cells: each item dropped or cut into 1 … its digits pieces.

    ``C(d − 1, c − 1)`` ways to cut a run of ``d`` digits into ``c`` pieces; the counts of the
    items are combined as a product of polynomials in the number of cells.
    """
    ways = [1] + [0] * k  # ways[c]: readings of the items so far with c cells
    for run in runs:
        ways = _times_item(ways, len(run) if run else 1)
    return ways[k]


def _times_item(ways: list[int], digits: int) -> list[int]:
    """The readings of the items so far and one more of ``digits`` digits (dropped, or cut into pieces), by cells."""
    return [ways[c] + sum(ways[c - pieces] * comb(digits - 1, pieces - 1) for pieces in range(1, min(c, digits) + 1))
            for c in range(len(ways))]


def _partial_sums_bound(runs: Sequence[str | None], cells: int) -> int:
    """An upper bound on the readings of ``cells`` cells that begin at the row's start and stop
    anywhere (a stop inside a run: ``C(d, c)`` ways to cut ``c`` pieces off its first ``d`` digits);
    read backwards, on the readings that end at the row's end and start anywhere."""
    ways, bound = [1] + [0] * cells, 0
    for run in runs:
        digits = len(run) if run else 1
        bound += sum(ways[c] * comb(digits, cells - c) for c in range(cells))
        ways = _times_item(ways, digits)
    return bound + ways[cells]


def consistent_candidates(items: Sequence[Item], k: int, constraints: Sequence[RowConstraint],
                          runs: Sequence[str | None], piece: Callable[[int, int, int], Reading],
                          whole: Sequence[Reading], *, limit: int, state_cap: int = STATE_CAP) -> list[Candidate] | None:
    """Every reading (up to ``limit``) of ``items`` as ``k`` cells whose last cell totals the others.

    ``runs[i]`` holds the digits of item ``i`` when it is a plain digit run (no sign, decimals,
    unit, thousands separators, nor a sentence's number glued after it), else ``None``;
    ``piece(i, pos, length)`` and ``whole[i]`` make the readings, so the candidates are the ones
    the enumeration would make. No cell is inferred where the layout dropped a blank (the
    enforced search that infers them is not replaced). Returns ``[]`` when no reading is
    consistent, and ``None`` when the question is outside this decision (another identity, a
    number that is not a plain run) or would take more than ``state_cap`` partial sums (default :data:`STATE_CAP`).
    """
    eq = [c for c in constraints if c.relation == "eq"]
    if k < 2 or len(eq) != 1 or eq[0].total != k - 1 or sorted(eq[0].parts) != list(range(k - 1)) or not items:
        return None
    if any(it.kind == "num" and not runs[i] for i, it in enumerate(items)):
        return None
    # meet where the fewest partial sums are held (forwards the parts, backwards the parts and the total)
    held, parts_forward = min((_partial_sums_bound(runs, h) + _partial_sums_bound(runs[::-1], k - h), h)
                              for h in {(k - 1) // 2, k // 2})
    if held > state_cap:
        return None  # too many partial sums to hold (they are distinct, unless many digits are 0)
    stream = _Stream(items, runs)
    meet = stream.meet(parts_forward, k - 1 - parts_forward, state_cap)
    if meet is None:
        return None
    found: dict[tuple[_Cell, ...], Candidate] = {}
    for node, value in meet:
        for head in stream.forward_paths(node, parts_forward, value):
            for tail in stream.backward_paths(node, k - 1 - parts_forward, value):
                cells = tuple(head) + tuple(tail)
                if cells not in found:
                    found[cells] = _candidate(items, cells, piece, whole)
                    if len(found) >= limit:
                        return [found[c] for c in sorted(found)]
    return [found[c] for c in sorted(found)]


def _candidate(items: Sequence[Item], cells: tuple[_Cell, ...], piece: Callable[[int, int, int], Reading],
               whole: Sequence[Reading]) -> Candidate:
    """The candidate of a reading: its cells, the items it drops and the blanks it ignores."""
    read = {i for i, _, _ in cells}
    return Candidate(tuple(piece(i, start, end - start) if end else whole[i] for i, start, end in cells),
                     tuple(j for j, it in enumerate(items) if j not in read and it.kind != "blank"),
                     tuple(j for j, it in enumerate(items) if j not in read and it.kind == "blank"))


class _Stream:
    """The row as a stream of nodes: the start of each item, each digit inside a run, the end.

    A cell is a step from one node to a later one (a piece of a run, or a blank or placeholder read
    whole); dropping an item is a step from its start to the next item's start that reads nothing.
    """

    def __init__(self, items: Sequence[Item], runs: Sequence[str | None]) -> None:
        self.starts = [0]
        for i, it in enumerate(items):
            self.starts.append(self.starts[-1] + (len(runs[i] or "") if it.kind == "num" else 1))
        self.end = self.starts[-1]
        self.edges: list[list[_Edge]] = [[] for _ in range(self.end)]
        self.into: list[list[tuple[int, int, _Cell]]] = [[] for _ in range(self.end + 1)]
        self.totals: dict[int, tuple[int, _Cell]] = {}  # node → the total that starts there (a piece ending its run)
        for i, it in enumerate(items):
            first, after = self.starts[i], self.starts[i + 1]
            run = runs[i]
            if it.kind != "num" or not run:
                self._add(first, after, 0, (i, 0, 0))
                continue
            for pos in range(len(run)):
                ends = range(pos + 1, pos + 2) if run[pos] == "0" else range(pos + 1, len(run) + 1)
                for stop in ends:
                    self._add(first + pos, first + stop if stop < len(run) else after, int(run[pos:stop]), (i, pos, stop))
                if ends[-1] == len(run):
                    self.totals[first + pos] = (int(run[pos:]), (i, pos, len(run)))
        self.item_start = set(self.starts[:-1])
        self.next_start = dict(zip(self.starts, self.starts[1:]))
        self.previous_start = dict(zip(self.starts[1:], self.starts))
        self.forward: list[dict[int, set[int]]] = []
        self.backward: list[dict[int, set[int]]] = []

    def _add(self, node: int, after: int, value: int, cell: _Cell) -> None:
        self.edges[node].append((after, value, cell))
        self.into[after].append((node, value, cell))

    def meet(self, parts_forward: int, parts_backward: int, state_cap: int = STATE_CAP) -> list[tuple[int, int]] | None:
        """The (node, value) where ``parts_forward`` parts from the start sum to ``value`` and
        ``parts_backward`` parts from the node leave ``value`` of a total; ``None`` past ``state_cap`` partial sums."""
        largest_total = max((value for value, _ in self.totals.values()), default=-1)
        if largest_total < 0:
            return []
        held = 0
        level: dict[int, set[int]] = {0: {0}}
        self._close_forward(level)
        self.forward.append(level)
        for _ in range(parts_forward):
            level = {}
            for node, sums in self.forward[-1].items():
                for after, value, _ in self.edges[node] if node < self.end else ():
                    level.setdefault(after, set()).update(s + value for s in sums if s + value <= largest_total)
            self._close_forward(level)
            held += sum(map(len, level.values()))
            if held > state_cap:
                return None
            self.forward.append(level)
        level = {}
        for node, (value, _) in self.totals.items():
            level[node] = {value}
        self._close_backward(level)
        self.backward.append(level)
        for _ in range(parts_backward):
            level = {}
            for after, rests in self.backward[-1].items():
                for node, value, _ in self.into[after]:  # what the total leaves once this part is read: never below 0
                    level.setdefault(node, set()).update(r - value for r in rests if r >= value)
            self._close_backward(level)
            held += sum(map(len, level.values()))
            if held > state_cap:
                return None
            self.backward.append(level)
        met = []
        for node, sums in sorted(self.forward[-1].items()):
            met += [(node, value) for value in sorted(sums & self.backward[-1].get(node, set()))]
        return met

    def _close_forward(self, level: dict[int, set[int]]) -> None:
        """Add the moves that drop an item: what reaches an item's start reaches the next one."""
        for start in self.starts[:-1]:
            if start in level:
                level.setdefault(self.next_start[start], set()).update(level[start])

    def _close_backward(self, level: dict[int, set[int]]) -> None:
        """Add the moves that drop an item: what an item's successor leaves, its start leaves too."""
        for start in reversed(self.starts[:-1]):
            if self.next_start[start] in level:
                level.setdefault(start, set()).update(level[self.next_start[start]])

    def forward_paths(self, node: int, parts: int, value: int) -> Iterator[list[_Cell]]:
        """The cells of the readings from the start to ``node`` with ``parts`` cells summing to ``value``."""
        if parts == 0:
            if value == 0 and (node == 0 or node in self.item_start or node == self.end):
                yield []
            return
        if node in self.previous_start and value in self.forward[parts].get(self.previous_start[node], ()):
            yield from self.forward_paths(self.previous_start[node], parts, value)  # the item before was dropped
        for before, part, cell in self.into[node]:
            if value - part in self.forward[parts - 1].get(before, ()):
                for head in self.forward_paths(before, parts - 1, value - part):
                    yield head + [cell]

    def backward_paths(self, node: int, parts: int, rest: int) -> Iterator[list[_Cell]]:
        """The cells from ``node`` on: ``parts`` cells, then a total that exceeds their sum by ``rest``."""
        if node in self.next_start and rest in self.backward[parts].get(self.next_start[node], ()):
            yield from self.backward_paths(self.next_start[node], parts, rest)  # this item is dropped
        if parts == 0:
            total = self.totals.get(node)
            if total is not None and total[0] == rest:
                yield [total[1]]
            return
        for after, part, cell in self.edges[node] if node < self.end else ():
            if rest + part in self.backward[parts - 1].get(after, ()):
                for tail in self.backward_paths(after, parts - 1, rest + part):
                    yield [cell] + tail
