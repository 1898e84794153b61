"""Placement: put the value items of a table region into the cells of its rows.

The parser hands a :class:`TableProblem` (rows with their segments of source items) to a
:class:`Placer`. Three placers implement the same interface, so they can be compared:

``model`` (:class:`ModelPlacer`, default)
    enumerates candidates per row (:mod:`gxparse.candidates`), scores them with the trained
    :class:`~gxparse.estimator.RealignClassifier` (weights in :class:`~gxparse.realign.RealignModel`),
    then decodes the table jointly: the column identities of the template re-rank the rows'
    candidates. Identities only *choose between* readings of the source; they never change a
    printed number.
``rules`` (:class:`RulesPlacer`)
    the items of each segment in order, one per cell, no splitting; missing cells at the end.
``baseline`` (:class:`BaselinePlacer`)
    what naive parsers do: every number of the table in reading order poured into the cells.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from gxparse.blank_gaps import blank_shifts, weigh_gap_blanks
from gxparse.candidates import enumerate_candidates, may_cut
from gxparse.cut_rivals import cut_alike, rival_cuts, with_rival_cuts
from gxparse.features import FEATURE_NAMES, RowContext, row_features
from gxparse.priors import AMOUNT_PRIOR_WEIGHT, amount_log_prior, cut_log_prior, values_one_per_line
from gxparse.realign import RealignModel, load_model
from gxparse.template import Identity, get_template
from gxparse.validate import identity_sign, identity_status
from gxparse.ir import Candidate, Item, Reading, RowPlacement, RowProblem, TableProblem

TOP_K = 6
IDENTITY_WEIGHT = 3.0


class Placer(Protocol):
    """Anything that fills a :class:`TableProblem`."""

    name: str

    def place(self, problem: TableProblem) -> list[RowPlacement]:
        """Return one :class:`RowPlacement` per row of ``problem``, in order."""


_KIND_FLAGS = {"missing": ("blank_inferred",), "blank": ("blank",), "ph": ("placeholder",)}


def _reading_flags(reading: Reading) -> tuple[str, ...]:
    return _KIND_FLAGS.get(reading.kind, ("glued_split",) if reading.split else ())


def _simple_readings(row: RowProblem) -> list[Reading]:
    readings = []
    for idx, item in enumerate(row.items):
        if item.kind == "blank" and "trailing" in item.flags:
            continue
        kind = "blank" if item.kind == "blank" else item.kind
        readings.append(Reading(kind, item.text, item.start, item.end if item.kind != "blank" else item.start, idx))
    return readings


class RulesPlacer:
    """One item per cell in order; surplus items dropped, missing cells inferred at the end."""

    name = "rules"

    def place(self, problem: TableProblem) -> list[RowPlacement]:
        """Fill each row independently from its own segment."""
        out = []
        for row in problem.rows:
            readings = _simple_readings(row)[: len(row.cols)]
            exact = len(readings) == len(row.cols)
            readings += [Reading("missing")] * (len(row.cols) - len(readings))
            conf = 0.9 if exact else 0.3
            out.append(RowPlacement(tuple(readings), (conf,) * len(readings), tuple(_reading_flags(r) for r in readings)))
        return out


class BaselinePlacer:
    """Every number and placeholder of the table, in reading order, poured into the cells."""

    name = "baseline"

    def place(self, problem: TableProblem) -> list[RowPlacement]:
        """Ignore row boundaries: fill cells left to right, top to bottom."""
        stream = [r for row in problem.rows for r in _simple_readings(row) if r.kind != "blank"]
        out = []
        pos = 0
        for row in problem.rows:
            readings = stream[pos:pos + len(row.cols)]
            pos += len(row.cols)
            readings += [Reading("missing")] * (len(row.cols) - len(readings))
            out.append(RowPlacement(tuple(readings), (0.5,) * len(readings), tuple(_reading_flags(r) for r in readings)))
        return out


@dataclass
class _Scored:
    candidates: list[Candidate]
    logp: list[float]


ROW_CACHE_SIZE = 4096
"""Scored rows kept per model. A report has 20–60 rows; rows printed alike in many reports
(``0 0 0 0 0 0 0``, a glued run of zeros) are scored once."""

_RelativeReading = tuple[str, str, "int | None", "int | None", "int | None", bool, "int | float | None"]
"""A cached reading: kind, raw, start and end relative to its item's start, item, split, value."""
_RelativeScored = tuple[tuple[_RelativeReading, ...],
                        tuple[tuple[tuple[int, ...], tuple["int | float | None", ...], tuple[int, ...], tuple[int, ...]], ...],
                        tuple[float, ...]]
"""A cached row: its candidates' distinct readings; per candidate, the indices of its readings among them, its
values, dropped items and ignored blanks; the candidates' log-probabilities."""
_row_caches: weakref.WeakKeyDictionary[RealignModel, OrderedDict[tuple[object, ...], _RelativeScored]] = (
    weakref.WeakKeyDictionary())
_row_cache_lock = threading.Lock()  # parses may share a model across threads (dask's threaded scheduler)


def _row_signature(problem: TableProblem, row: RowProblem, top_k: int) -> tuple[object, ...]:
    """Everything :meth:`ModelPlacer.score_row` reads, with lines relative to the row's first item's and, of
    offsets, each item's width and how its ends stand to the ends of the item before it (apart, against, inside).

    Enumeration, features and the gap weights only compare an item's offsets with its text's length and with
    its neighbours' (a cut may need a glued run, a dropped blank a space, a dropped item counts as glued to a
    read one beside it), and a reading's offsets are its item's plus a place in its text, so two rows with
    the same signature get the same candidates, each reading moved with its item (:func:`_from_relative`),
    and the same scores: the same row printed with other spacing (a pipe grid of other widths) is scored
    once. The row's key is part of it: its own length counts weigh its cuts (:func:`gxparse.priors.cut_log_prior`),
    so two rows printing the same run (a legacy ``1212`` under 行政诉讼 and under another row) may be scored
    apart; without it a report's output depended on which report was parsed before it in the same process.
    Only there: where no candidate can cut a run (:func:`gxparse.candidates.may_cut`: a row of blanks,
    placeholders and one-digit numbers) nothing reads the key, and rows of the same items under other labels
    share their scores (the blank rows of a pipe grid, each of some 300 candidates: dev + 150 synthetic
    reports score 7 such rows, not 48).
    """
    items = row.items
    line = items[0].line if items else 0
    # each item beside the one before it (the first beside itself): which way it starts from that one's end, and
    # that one's start from its end (a dropped item glued to a read one: gxparse.features._layout_features); the
    # offsets of the one before are carried along in locals, not read again from it
    shape = []
    before_start, before_end = (items[0].start, items[0].end) if items else (0, 0)
    for it in items:
        start, end = it.start, it.end
        shape.append((it.kind, it.text, end - start, (start > before_end) - (start < before_end),
                      (before_start > end) - (before_start < end), it.line - line, it.flags))
        before_start, before_end = start, end
    return (top_k, problem.table, row.key if may_cut(items) else None, row.cols, row.constraints, row.unit, tuple(shape))


def _to_relative(scored: _Scored, items: Sequence[Item]) -> _RelativeScored | None:
    """The scored candidates of a row with each reading's offsets relative to its item's start (``None``: a
    reading of offsets but no item, which no item's move could place; none is made so)."""
    index: dict[_RelativeReading, int] = {}  # the candidates of a row share most of their readings
    cands = []
    for c in scored.candidates:
        at = []
        for r, value in zip(c.readings, c.values):
            if r.item is None:
                if r.start is not None or r.end is not None:
                    return None
                rel = (r.kind, r.raw, None, None, None, r.split, value)
            else:
                base = items[r.item].start
                rel = (r.kind, r.raw, None if r.start is None else r.start - base, None if r.end is None else r.end - base,
                       r.item, r.split, value)
            at.append(index.setdefault(rel, len(index)))
        cands.append((tuple(at), c.values, c.dropped, c.ignored_blanks))
    return tuple(index), tuple(cands), tuple(scored.logp)


def _from_relative(relative: _RelativeScored, items: Sequence[Item]) -> _Scored:
    """The scored candidates of a cached row, at this row's items' offsets (equal to scoring it afresh).

    Readings and candidates are made with their values known (each cell's value is its raw text's,
    whatever its offset) and without the frozen dataclasses' ``__init__`` (one guarded
    ``object.__setattr__`` per field): their ``__dict__`` filled field by field in ``__init__``'s order, as
    :func:`gxparse.candidates._new_reading` does (item assignments: cheaper than ``dict.update`` of a new dict).
    Each distinct reading is made once and shared by the candidates that read it, as the search shares it.
    """
    readings, cands, logp = relative
    new = object.__new__
    made = []
    for kind, raw, start, end, item, split, value in readings:
        base = 0 if item is None else items[item].start
        reading = new(Reading)
        fields = reading.__dict__
        fields["kind"] = kind
        fields["raw"] = raw
        fields["start"] = None if start is None else start + base
        fields["end"] = None if end is None else end + base
        fields["item"] = item
        fields["split"] = split
        fields["value"] = value
        made.append(reading)
    out = []
    for at, values, dropped, ignored in cands:
        cand = new(Candidate)
        fields = cand.__dict__
        fields["readings"] = tuple(map(made.__getitem__, at))
        fields["dropped"] = dropped
        fields["ignored_blanks"] = ignored
        fields["values"] = values
        out.append(cand)
    return _Scored(out, list(logp))


class ModelPlacer:
    """Candidates per row, scored by the trained classifier, decoded jointly under identities."""

    name = "model"

    def __init__(self, model: RealignModel | None = None, *, top_k: int = TOP_K,
                 identity_weight: float = IDENTITY_WEIGHT) -> None:
        self.model = model if model is not None else load_model()
        self.top_k = top_k
        self.identity_weight = identity_weight

    def score_row(self, problem: TableProblem, row: RowProblem) -> _Scored:
        """Enumerate and score the candidates of one row; keep the ``top_k`` best (recent rows cached by content)."""
        key = _row_signature(problem, row, self.top_k)
        with _row_cache_lock:
            cache = _row_caches.setdefault(self.model, OrderedDict())
            known = cache.get(key)
            if known is not None:
                cache.move_to_end(key)
        if known is not None:
            return _from_relative(known, row.items)
        scored = self._score_row(problem, row)
        relative = _to_relative(scored, row.items)
        if relative is not None:
            with _row_cache_lock:
                cache[key] = relative
                if len(cache) > ROW_CACHE_SIZE:
                    cache.popitem(last=False)
        return scored

    def _score_row(self, problem: TableProblem, row: RowProblem) -> _Scored:
        one_per_line = values_one_per_line(row.items)
        cands = enumerate_candidates(row.items, len(row.cols), row.constraints, unsplit_only=one_per_line)
        if one_per_line:  # a value on a line of its own is one cell, however many digits
            cands = [c for c in cands if not any(r.split for r in c.readings)] or cands
        if not cands:
            cands = [Candidate(tuple(Reading("missing") for _ in row.cols), (), ())]
        if len(cands) == 1:  # its log-probability is v − log(exp(v)) = 0.0 whatever its finite score v: none to compute
            return _Scored(cands, [0.0])
        ctx = RowContext(problem.table, row.key, row.cols, row.constraints, self.model.meta.get("priors", {}))
        X = row_features(cands, row.items, ctx)
        logits = self.model.decision_function(X)
        weight = self.model.meta.get("cut_prior_weights", {}).get(problem.table, 0.0)
        if weight:  # the column length prior, weighted as training fitted it (gxparse.train.fit_cut_prior_weights)
            logits = logits + weight * cut_log_prior(cands, problem.table, row.key, row.cols, ctx.priors, row.items)
        if amount_priors := self.model.meta.get("amount_priors"):  # a count beside an amount (gxparse.priors)
            logits = logits + AMOUNT_PRIOR_WEIGHT * amount_log_prior(cands, problem.table, row.cols, amount_priors, row.unit)
        logits = weigh_gap_blanks(cands, row.items, logits)  # where the copy's spacing shows a dropped blank
        order = _with_best_consistent(np.argsort(-logits, kind="stable"), X, self.top_k)
        order = _with_blank_shifts(order, cands, row.items)
        top = logits[order]
        logz = float(np.log(np.exp(top - top.max()).sum()) + top.max())
        return _Scored([cands[i] for i in order], [float(v - logz) for v in top])

    def place(self, problem: TableProblem) -> list[RowPlacement]:
        """Score every row, then pick the joint assignment that best satisfies the identities."""
        scored = [self.score_row(problem, row) for row in problem.rows]
        term = _decode(problem, scored, self.identity_weight)
        return [_placement(problem, scored, term, r, self.identity_weight) for r in range(len(problem.rows))]


_ROW_ID_OK, _ROW_ID_FAIL = FEATURE_NAMES.index("row_id_ok"), FEATURE_NAMES.index("row_id_fail")


def _with_best_consistent(ranked: NDArray[np.int_], X: NDArray[np.float64], top_k: int) -> NDArray[np.int_]:
    """The ``top_k`` best of a row's ``ranked`` candidates, plus its best one whose row identities hold when none of those does.

    The column length prior can rank a glued run's only identity-consistent split below many that
    break the row's total (``240403139296``: 240 | 40 | 3 | 1 | 3 | 9 | 296, three digits where the row
    mostly prints one); kept among the row's readings, the table's decoding can still weigh it
    against the column identities that the others break.
    """
    top = ranked[:top_k]
    consistent = (X[:, _ROW_ID_OK] > 0) & (X[:, _ROW_ID_FAIL] == 0)
    if consistent[top].any() or not consistent.any():
        return top
    return np.append(top, ranked[consistent[ranked]][0])


def _with_blank_shifts(kept: NDArray[np.int_], cands: Sequence[Candidate], items: Sequence[Item]) -> NDArray[np.int_]:
    """``kept`` plus every blank shift of its best candidate (:func:`gxparse.blank_gaps.blank_shifts`) it lacks.

    The classifier ranks the places of a dropped blank by habit (``0 0 0 0 0 0`` for seven columns: the
    total last), so :data:`TOP_K` can cut the place where it truly sits; kept, the reading still
    counts in the confidence of the cells it moves (:func:`_placement`), at the classifier's odds in
    the decoding.
    """
    if all(r.kind != "missing" for r in cands[kept[0]].readings):
        return kept
    shifts = blank_shifts(cands, items, int(kept[0]))
    have = set(kept.tolist())
    extra = [n for n, shift in enumerate(shifts) if shift and n not in have]
    return np.append(kept, extra).astype(kept.dtype) if extra else kept


def _grid(problem: TableProblem, scored: Sequence[_Scored], choice: Sequence[int]) -> dict[str, dict[str, float | None]]:
    grid: dict[str, dict[str, float | None]] = {}
    for row, sc, c in zip(problem.rows, scored, choice):
        grid[row.key] = dict(zip(row.cols, sc.candidates[c].values))
    return grid


def _decoded_identities(problem: TableProblem) -> list[Identity]:
    """The column identities the decoding weighs: the sums (``eq``) and the bounds (``le``: a sub-row such as
    其中 政府网站公开数 never exceeds its total, so a glued cut that makes it do so is the less likely reading)."""
    return [i for i in problem.identities if i.per == "col" and i.relation in ("eq", "le")]


def _bound_sign(left: Sequence[float | None], right: Sequence[float | None]) -> int:
    """``-BOUND_FAIL_PENALTY`` when ``Σ left ≤ Σ right`` fails, else 0: a bound's share of the identity term."""
    return -BOUND_FAIL_PENALTY if identity_status(left, right, "le")[0] == "fail" else 0


def identity_score(problem: TableProblem, grid: dict[str, dict[str, float | None]]) -> int:
    """Passing minus failing sum (``eq``) instances, minus :data:`BOUND_FAIL_PENALTY` per failing bound (``le``)
    instance: the identity term of the decoding objective."""
    cols = problem.rows[0].cols if problem.rows else ()
    score = 0
    for ident in _decoded_identities(problem):
        sign = identity_sign if ident.relation == "eq" else _bound_sign
        for col in cols:
            score += sign([grid.get(r, {}).get(col) for r in ident.left if r in grid],
                          [grid.get(r, {}).get(col) for r in ident.right if r in grid])
    return score


class _IdentityTerm:
    """The identity term of the objective for a choice, and for that choice with one row changed.

    Changing one row changes only the identities that name it, so those are re-evaluated and the
    others' passing-minus-failing counts are reused (integers: the sum is exactly
    :func:`identity_score` of the changed grid). Rows sharing a key fall back to the full count.
    """

    def __init__(self, problem: TableProblem, scored: Sequence[_Scored], choice: Sequence[int]) -> None:
        self.problem = problem
        self.scored = scored
        self.cols = problem.rows[0].cols if problem.rows else ()
        self.identities = _decoded_identities(problem)
        self.signs = [identity_sign if i.relation == "eq" else _bound_sign for i in self.identities]
        keys = [row.key for row in problem.rows]
        present = set(keys)  # the grid's rows, whichever candidates they read
        self.sides = [([r for r in i.left if r in present], [r for r in i.right if r in present])
                      for i in self.identities]
        self.keys_unique = len(set(keys)) == len(keys)
        self.touching = [[n for n, ident in enumerate(self.identities) if key in ident.left or key in ident.right]
                         for key in keys]
        # the most an identity's share can be: every column passing a sum, no bound failing
        self.best_parts = [len(self.cols) if i.relation == "eq" else 0 for i in self.identities]
        self.set_choice(choice)

    def set_choice(self, choice: Sequence[int]) -> None:
        """Make ``choice`` the reference assignment."""
        self.choice = list(choice)
        self.grid = _grid(self.problem, self.scored, self.choice)
        signs = [self._instance_signs(n, self.grid) for n in range(len(self.identities))]
        self.parts = [sum(instances) for instances in signs]
        self.total = sum(self.parts)
        # an instance's sign is negative exactly where identity_status says it fails (identity_sign, _bound_sign)
        self.failed = [any(sign < 0 for sign in instances) for instances in signs]

    def _instance_signs(self, n: int, grid: dict[str, dict[str, float | None]]) -> list[int]:
        """Identity ``n``'s sign in each column: +1 / -1 for a passing / failing sum, its penalty for a failing
        bound, 0 where it is not assessable (or a bound holds)."""
        left_rows, right_rows = self.sides[n]
        lefts = [grid[r] for r in left_rows]
        rights = [grid[r] for r in right_rows]
        sign = self.signs[n]
        return [sign([cells.get(col) for cells in lefts], [cells.get(col) for cells in rights]) for col in self.cols]

    def _net(self, n: int, grid: dict[str, dict[str, float | None]]) -> int:
        """Identity ``n``'s share of :func:`identity_score` (passing minus failing sum instances, or its bound's penalties)."""
        return sum(self._instance_signs(n, grid))

    def headroom(self, rows: Iterable[int]) -> int:
        """The most :meth:`with_rows` can exceed :attr:`total` by changing ``rows``: only the identities
        naming them change, each at most to its :attr:`best_parts` (integers: an exact bound)."""
        touched = {n for r in rows for n in self.touching[r]}
        return sum(self.best_parts[n] - self.parts[n] for n in touched)

    def with_rows(self, changes: dict[int, int]) -> int:
        """:func:`identity_score` of the reference choice with each row ``r`` of ``changes`` read as its candidate."""
        if not self.keys_unique:
            trial = self.choice.copy()
            for r, c in changes.items():
                trial[r] = c
            return identity_score(self.problem, _grid(self.problem, self.scored, trial))
        grid = dict(self.grid)
        touched: set[int] = set()
        for r, c in changes.items():
            row = self.problem.rows[r]
            grid[row.key] = dict(zip(row.cols, self.scored[r].candidates[c].values))
            touched.update(self.touching[r])
        return (self.total - sum(self.parts[n] for n in touched)
                + sum(self._net(n, grid) for n in touched))

    def failing(self) -> bool:
        """Whether some column identity fails under the reference choice."""
        return any(self.failed)

    def failing_rows(self) -> tuple[list[int], list[int]]:
        """The rows named by an identity that fails in some column under the reference choice, and
        the rows that share an identity with one of them (themselves included)."""
        failing = {n for n, failed in enumerate(self.failed) if failed}
        rows = [r for r, touched in enumerate(self.touching) if failing.intersection(touched)]
        linked = {n for r in rows for n in self.touching[r]}
        return rows, [r for r, touched in enumerate(self.touching) if linked.intersection(touched)]

    def with_row(self, r: int, c: int) -> int:
        """:func:`identity_score` of the reference choice with row ``r`` read as its candidate ``c``."""
        if c == self.choice[r]:
            return self.total
        if not self.keys_unique:
            trial = self.choice.copy()
            trial[r] = c
            return identity_score(self.problem, _grid(self.problem, self.scored, trial))
        row = self.problem.rows[r]
        grid = dict(self.grid)
        grid[row.key] = dict(zip(row.cols, self.scored[r].candidates[c].values))
        touched = self.touching[r]
        return (self.total - sum(self.parts[n] for n in touched)
                + sum(self._net(n, grid) for n in touched))


def _logp_sum(scored: Sequence[_Scored], choice: Sequence[int]) -> float:
    return sum(sc.logp[c] for sc, c in zip(scored, choice))


def _decode(problem: TableProblem, scored: Sequence[_Scored], weight: float) -> _IdentityTerm:
    """Coordinate ascent from the per-row best: change one row at a time while the objective improves.

    The objective is the summed log-probability of the rows' readings plus ``weight`` times
    :func:`identity_score`. When every column identity already holds (or none can be assessed)
    the per-row best is optimal. Returns the identity term with the chosen candidates as its
    reference choice (``term.choice``).
    """
    choice = [0] * len(scored)
    term = _IdentityTerm(problem, scored, choice)
    if not term.identities or not term.failing():
        return term
    _pair_ascent(scored, _row_ascent(scored, choice, term, weight), term, weight)
    return term


def _row_ascent(scored: Sequence[_Scored], choice: list[int], term: _IdentityTerm, weight: float) -> list[int]:
    """Change one row at a time while the objective improves (``term`` follows the choice)."""
    best = _logp_sum(scored, choice) + weight * term.total
    improved = True
    while improved:
        improved = False
        for r, sc in enumerate(scored):
            reachable = term.total + term.headroom((r,))  # no candidate of row r scores more identities
            for c in range(len(sc.candidates)):
                if c == choice[r]:
                    continue
                trial = choice.copy()
                trial[r] = c
                logp = _logp_sum(scored, trial)
                if weight >= 0 and logp + weight * reachable <= best + 1e-9:
                    continue  # cannot improve, whatever its identities (the same sum, its term bounded)
                value = logp + weight * term.with_row(r, c)
                if value > best + 1e-9:
                    best, choice, improved = value, trial, True
                    term.set_choice(choice)
                    reachable = term.total + term.headroom((r,))
    return choice


PAIR_ROWS_MAX = 8
"""At most this many rows named by a failing identity, and this many rows linked to them, are tried
in pairs (the glued synthetic copies of seeds 12345 and 777 need no more than 8)."""

PAIR_CANDIDATES_MAX = 12
"""Only a row's most probable candidates are tried in pairs: the pair search costs pairs × this²
identity evaluations, so a row of long digit runs (hundreds of candidates) cannot make it quadratic."""

PAIR_MOVES_MAX = 4
"""At most this many pair changes per table (each must raise the objective; a glued table needs one
or two). With the two bounds above a table costs at most 4 × 8² × 12² identity evaluations."""


def _pair_ascent(scored: Sequence[_Scored], choice: list[int], term: _IdentityTerm, weight: float) -> list[int]:
    """Change two rows at once while the objective improves, where one row at a time cannot.

    Two rows read wrong the same way (a glued total row and the row it repeats, split alike) keep
    each other's identities: changing either alone breaks more than it mends. One row of each pair
    is named by a still failing identity, the other shares an identity with one such row.
    """
    for _ in range(PAIR_MOVES_MAX):
        move = _better_pair(scored, choice, term, weight)
        if move is None:
            break
        (r1, c1), (r2, c2) = move
        choice = choice.copy()
        choice[r1], choice[r2] = c1, c2
        term.set_choice(choice)
        choice = _row_ascent(scored, choice, term, weight)  # a pair move can open single ones (a row put back)
    return choice


def _better_pair(scored: Sequence[_Scored], choice: list[int], term: _IdentityTerm,
                 weight: float) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first change of two rows' candidates that raises the objective (``None``: none does)."""
    failing, linked = term.failing_rows()
    firsts = [r for r in failing if len(scored[r].candidates) > 1][:PAIR_ROWS_MAX]
    seconds = [r for r in linked if len(scored[r].candidates) > 1][:PAIR_ROWS_MAX]
    for r1, r2 in sorted({(min(a, b), max(a, b)) for a in firsts for b in seconds if a != b}):
        headroom = term.headroom((r1, r2))  # no change of these two rows scores more identities
        for c1 in _most_probable(scored[r1]):
            for c2 in _most_probable(scored[r2]):
                if c1 == choice[r1] or c2 == choice[r2]:
                    continue
                logp_gain = (scored[r1].logp[c1] - scored[r1].logp[choice[r1]] + scored[r2].logp[c2]
                             - scored[r2].logp[choice[r2]])
                if weight >= 0 and logp_gain + weight * headroom <= 1e-9:
                    continue  # cannot raise the objective: not worth evaluating its identities
                gain = logp_gain + weight * (term.with_rows({r1: c1, r2: c2}) - term.total)
                if gain > 1e-9:
                    return (r1, c1), (r2, c2)
    return None


def _most_probable(row: _Scored) -> list[int]:
    """The indices of the row's :data:`PAIR_CANDIDATES_MAX` most probable candidates, in candidate order."""
    if len(row.candidates) <= PAIR_CANDIDATES_MAX:
        return list(range(len(row.candidates)))
    return sorted(sorted(range(len(row.candidates)), key=lambda c: -row.logp[c])[:PAIR_CANDIDATES_MAX])


NEGLIGIBLE_LOGP = -12.0
BOUND_FAIL_PENALTY = round(-NEGLIGIBLE_LOGP / IDENTITY_WEIGHT)
"""What a failing bound (``le``) instance costs in the identity term, in units of :data:`IDENTITY_WEIGHT`: a
reading that puts a sub-row above its total is as unlikely as a negligible one (4 × 3 = 12 nats). A passing
bound earns nothing: almost every reading passes it, so passing says nothing for a reading. The classifier is
sure of a legacy row's glued cut beyond its accuracy (``7291`` read 72 | 91 at 6.9 nats over 7 | 291, a sum
identity's ±1 × 3 moves no such row); a sub-row never exceeds its total in the real tables (dev and wild)."""


DOUBTFUL_CONFIDENCE = 0.9
"""A cell placed with less confidence than this is doubtful: its row keeps its alternative readings."""


def _placement(problem: TableProblem, scored: Sequence[_Scored], term: _IdentityTerm, r: int,
               weight: float) -> RowPlacement:
    """Confidence of each cell: the share of the row's posterior (given the other rows) that agrees.

    Readings that differ from the chosen one only in where a dropped blank sits, with nothing in the
    copy to tell them apart (:func:`gxparse.blank_gaps.blank_shifts`), count as likely as the chosen
    one before the identities weigh them: the cells they move are as doubtful as the copy leaves them.
    """
    sc = scored[r]
    choice = term.choice
    chosen = sc.candidates[choice[r]]
    if len(sc.candidates) == 1:  # its whole posterior agrees with every cell: what the general case computes
        return RowPlacement(chosen.readings, (1.0,) * len(chosen.readings), tuple(map(_reading_flags, chosen.readings)))
    has_col_ids = any(i.per == "col" for i in problem.identities)
    shifts = blank_shifts(sc.candidates, problem.rows[r].items, choice[r])
    logits = []
    identity_scores: dict[int, int] = {}  # per candidate weighed, its column identity score (read again for rival cuts)
    for c in range(len(sc.candidates)):
        logp = max(sc.logp[c], sc.logp[choice[r]]) if shifts[c] else sc.logp[c]
        if c != choice[r] and logp < NEGLIGIBLE_LOGP:
            logits.append(-np.inf)
            continue
        ids = identity_scores[c] = term.with_row(r, c) if has_col_ids else 0
        logits.append(logp + weight * ids)
    arr = np.array(logits)
    post = np.exp(arr - arr.max())
    post /= post.sum()
    shares = post.tolist()  # (the same doubles, added in the same order)
    conf = []
    for j, reading in enumerate(chosen.readings):
        raw, start, kind = reading.raw, reading.start, reading.kind
        agree = sum([p for cand, p in zip(sc.candidates, shares)
                     if (other := cand.readings[j]) is reading or other.raw == raw and other.start == start and other.kind == kind])
        conf.append(float(min(1.0, agree)))
    flags = tuple(_reading_flags(x) for x in chosen.readings)
    if any(shifts):
        flags = _flag_unknown_blank_places(chosen, sc.candidates, shifts, arr, choice[r], flags)
    rivals = rival_cuts(choice[r], sc.candidates, np.isfinite(arr), problem.rows[r], identity_scores.__getitem__,
                        _joint_identity_score(problem, scored, term, r))
    if rivals:  # a glued cut that the copy and the checks leave open (gxparse.cut_rivals)
        conf, flags = with_rival_cuts(chosen, [sc.candidates[c] for c in rivals], conf, flags)
    alternatives: tuple[tuple[tuple[Reading, ...], float], ...] = ()
    if min(conf, default=1.0) < DOUBTFUL_CONFIDENCE or _unchecked_legacy_cut(problem, term, r, chosen):
        alternatives = tuple((cand.readings, float(p)) for c, (cand, p) in sorted(enumerate(zip(sc.candidates, post)),
                                                                                 key=lambda x: -x[1][1])
                             if c != choice[r] and np.isfinite(arr[c]))
    return RowPlacement(chosen.readings, tuple(conf), flags, alternatives)


def _joint_identity_score(problem: TableProblem, scored: Sequence[_Scored], term: _IdentityTerm,
                          r: int) -> Callable[[int], int]:
    """For row ``r``'s candidate ``c``: the best column identity score with ``r`` read as ``c`` and at most one
    other row that shares an identity with it read as one of its own other cuts (:func:`gxparse.cut_rivals.cut_alike`,
    among its :data:`PAIR_CANDIDATES_MAX` most probable, not negligible) that changes at least every column ``c``
    changes (a column one row changes alone breaks the identities the two share): a row and its total row cut alike
    the other way keep the identities between them (:mod:`gxparse.cut_rivals`). The other rows' cuts are listed once;
    the search stops at a score as good as the chosen reading's (all :func:`~gxparse.cut_rivals.rival_cuts` asks)."""
    alternatives: list[tuple[int, int, frozenset[int]]] | None = None
    chosen = scored[r].candidates[term.choice[r]].values

    def score(c: int) -> int:
        nonlocal alternatives
        if alternatives is None:
            alternatives = _linked_cut_alternatives(problem, scored, term, r)
        changed = {j for j, (a, b) in enumerate(zip(chosen, scored[r].candidates[c].values)) if a != b}
        best = term.with_row(r, c)
        for r2, c2, cols in alternatives:
            if best >= term.total:
                break  # as good as the chosen reading (the reference): what a rival needs, no pair scores more for it
            if changed <= cols:
                best = max(best, term.with_rows({r: c, r2: c2}))
        return best
    return score


def _linked_cut_alternatives(problem: TableProblem, scored: Sequence[_Scored], term: _IdentityTerm,
                             r: int) -> list[tuple[int, int, frozenset[int]]]:
    """The other cuts ``(row, candidate, the columns it changes)`` of the rows sharing an identity with row ``r``
    (:func:`_joint_identity_score`)."""
    linked = {r2 for n in term.touching[r] for side in term.sides[n] for key in side
              for r2, row in enumerate(problem.rows) if row.key == key} - {r}
    out = []
    for r2 in sorted(linked):
        sc2, chosen2 = scored[r2], scored[r2].candidates[term.choice[r2]]
        if not any(reading.split for reading in chosen2.readings):
            continue
        for c2 in _most_probable(sc2):
            cand2 = sc2.candidates[c2]
            if c2 != term.choice[r2] and sc2.logp[c2] >= NEGLIGIBLE_LOGP and cut_alike(chosen2, cand2, problem.rows[r2]):
                out.append((r2, c2, frozenset(j for j, (a, b) in enumerate(zip(chosen2.values, cand2.values)) if a != b)))
    return out


BLANK_PLACE_FLAG = "blank_place_unknown"
"""Flag of a cell that another place of the row's dropped blank reads otherwise, a place as good as the
chosen one by everything the copy and the identities show (:func:`gxparse.blank_gaps.blank_shifts`)."""


def _flag_unknown_blank_places(chosen: Candidate, cands: Sequence[Candidate], shifts: Sequence[bool],
                               logits: NDArray[np.float64], choice: int,
                               flags: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """``flags`` with :data:`BLANK_PLACE_FLAG` added to each cell that a blank shift scoring as well as the
    chosen reading (after the identities) reads differently."""
    unsure = set()
    for c, shift in enumerate(shifts):
        if shift and logits[c] >= logits[choice]:
            unsure.update(j for j, (a, b) in enumerate(zip(chosen.readings, cands[c].readings)) if not a.reads_as(b))
    return tuple(f + (BLANK_PLACE_FLAG,) if j in unsure else f for j, f in enumerate(flags))


def _unchecked_legacy_cut(problem: TableProblem, term: _IdentityTerm, r: int, chosen: Candidate) -> bool:
    """True for a legacy indicator row whose reading cuts a glued run that no equality identity checks.

    Such a cut rests on magnitudes alone, and the classifier is sure of it beyond its accuracy (the
    wrong legacy_glued cuts of the synthetic seeds come with confidence 0.995 and more), so the row
    keeps its ranked readings, as a doubtful row does, for the prose to choose among
    (:func:`gxparse.facts.choose_by_facts`). No cross-year link reads a legacy row.
    """
    if problem.table not in _legacy_tables() or not any(reading.split for reading in chosen.readings):
        return False
    return (not any(term.identities[n].relation == "eq" for n in term.touching[r])
            and not any(c.relation == "eq" for c in problem.rows[r].constraints))


@cache
def _legacy_tables() -> frozenset[str]:
    """The keys of the legacy template's tables (its indicator list)."""
    return frozenset(table.key for table in get_template("legacy").tables)


def get_placer(name: str = "model", model: RealignModel | None = None) -> Placer:
    """Return the placer called ``name`` (``model``, ``rules`` or ``baseline``)."""
    if name == "model":
        return ModelPlacer(model)
    if name == "rules":
        return RulesPlacer()
    if name == "baseline":
        return BaselinePlacer()
    raise ValueError(f"unknown placer {name!r}; choose 'model', 'rules' or 'baseline'")
