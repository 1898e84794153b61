"""Features of a row candidate, for the realigner's classifier.

A candidate (:class:`gxparse.candidates.Candidate`) is described by what it had to assume about
the layout (splits of glued runs, dropped items, used or ignored blanks, inferred blanks), by the
shape of the numbers it reads (digit lengths, magnitudes, zeros), by whether the row's own
identity holds, and by plausibility priors of the table (现行有效件数 ≥ 本年制发件数, a total
column holding the row maximum). The feature list is fixed and versioned: its hash is stored in
the model artifact, so a model trained on another feature set is refused at load time.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from gxparse.cell_table import distinct_cells, sequential_sum
from gxparse.ir import Candidate, Item, Reading, RowConstraint
from gxparse.priors import Priors, log_likelihood
from gxparse.template import TEMPLATE_IDS, get_template

_SHAPE = ("split_max_len", "split_mean_len", "split_len_spread", "split_len4plus", "split_zero_share", "split_log_mag",
          "split_max_log_mag", "all_zero", "n_nonzero", "log_mag_mean")
# Number shapes mean different things in different tables (a 5-digit 现行有效件数 is odd, a 5-digit
# application total is not), so shape features are kept per table family.
_FAMILIES = {"active_disclosure": "ad", "applications": "app", "review_litigation": "rl", "legacy_indicators": "leg"}
FEATURE_NAMES: tuple[str, ...] = (
    "n_dropped_num", "n_dropped_ph", "n_dropped_first", "n_dropped_last", "n_dropped_glued", "n_dropped_same_line",
    "n_blank_used", "n_blank_ignored", "n_trailing_used", "n_trailing_ignored", "n_blank_line_used",
    "n_missing", "missing_last", "missing_first", "n_ph_used",
    "n_split_cells", "n_items_split", "single_glued_item", "digits_eq_k", "seg_items_eq_k", "seg_surplus",
    "row_id_ok", "row_id_fail", "row_id_na",
    "total_is_max", "total_not_max",
    "visible_plus_trailing_eq_k", "missing_while_blank_ignored",
    "prior_in_force_lt_issued", "prior_repealed_gt_in_force", "prior_ok_art20_1",
    "prior_published_gt_total", "prior_made_eq_published", "prior_loglik_mean", "prior_loglik_min",
    "prior_stock_flow_gap", "prior_flows_gap", "prior_cumulative_lt_current", "negative_in_unsigned_col",
    "one_col_row",
) + tuple(f"{fam}_{name}" for fam in _FAMILIES.values() for name in _SHAPE)
# columns whose values may be negative (本年增/减), from the templates' column kinds
SIGNED_COLUMNS = frozenset(c.key for t in TEMPLATE_IDS for table in get_template(t).tables for c in table.cols
                           if c.kind == "signed")
FEATURE_SET_HASH = hashlib.sha256(",".join(FEATURE_NAMES).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RowContext:
    """What the feature function needs to know about the row being placed."""

    table: str
    row: str
    cols: tuple[str, ...]
    constraints: tuple[RowConstraint, ...]
    priors: Priors = field(default_factory=dict)


_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}
_N_FEATURES = len(FEATURE_NAMES)
_SHAPE_INDEX = {fam: {name: _INDEX[f"{fam}_{name}"] for name in _SHAPE} for fam in _FAMILIES.values()}
_I = _INDEX  # short alias for the feature writers below


@dataclass(frozen=True)
class _Row:
    """What the features need to know about a row's items and columns, whichever candidate reads
    them (computed once a row, so that a candidate's features are one pass over its cells)."""

    n: int
    n_visible: int
    n_trailing: int
    digits: int
    trailing: tuple[bool, ...]  # per item: a blank cell printed after the row's last value
    blank_line: tuple[bool, ...]  # per item: a blank cell read from a line of its own
    unsigned: tuple[bool, ...]  # per column: prints no sign (not a 本年增/减 change)
    changes: tuple[int, ...]  # columns holding a change of the count printed just before them
    shape_at: dict[str, int]  # where the table family's shape features sit in the vector
    bounds: tuple[RowConstraint, ...]  # the row's bounds (≤), in order
    totals: tuple[RowConstraint, ...]  # the row's sums (=), in order
    current_cumulative: tuple[int, int] | None  # the columns of 本年 and 历年累计, when the row has both
    made_published: bool  # the row's first columns are 本年新制作, 本年新公开, 对外公开总数量
    issued_in_force: bool  # the row's first columns are 本年制发, 本年废止, 现行有效
    base: dict[int, list[float]] = field(default_factory=dict)  # per cell count (:func:`_row_base`)

    @classmethod
    def of(cls, items: Sequence[Item], ctx: RowContext) -> _Row:
        trailing = tuple(it.kind == "blank" and "trailing" in it.flags for it in items)
        digits = sum(_digit_count(it.text) for it in items if it.kind == "num")
        cols = ctx.cols
        unsigned = tuple(col not in SIGNED_COLUMNS for col in cols)
        changes = tuple(j for j in range(1, len(cols)) if not unsigned[j] and unsigned[j - 1])
        return cls(len(items), len(items) - sum(trailing), sum(trailing), digits, trailing,
                   tuple("blank_line" in it.flags for it in items), unsigned, changes,
                   _SHAPE_INDEX[_FAMILIES.get(ctx.table, "app")],
                   tuple(c for c in ctx.constraints if c.relation == "le"),
                   tuple(c for c in ctx.constraints if c.relation == "eq"),
                   (cols.index("current"), cols.index("cumulative")) if "current" in cols and "cumulative" in cols else None,
                   cols[:3] == ("newly_made", "newly_published", "total_published"),
                   cols[:3] == ("issued", "repealed", "in_force"))


_CELL_FIELDS = ("n_trailing_used", "n_blank_used", "n_blank_line_used", "n_missing", "n_ph_used",
                "negative_in_unsigned_col", "plus_unsigned", "zero", "number", "has_loglik", "loglik", "log_mag",
                "split", "item", "split_len", "split_zero", "split_log_mag")
"""What one reading adds to a candidate's cell features when read in one column (:func:`_cell_of`), as numbers:
its counts (0 or 1: ``plus_unsigned`` a plus sign in a column that prints none, a failed row identity;
``zero`` a number equal to 0); ``number``: it reads a number; ``has_loglik``: a number in one of the row's
columns, whose prior log-likelihood is ``loglik``; ``log_mag``: ``log10(|value| + 1)`` of its number;
``split``: a piece of a glued run cut into cells, of ``item``, printing ``split_len`` digits before its decimal
point (``split_zero``: printing ``0``), ``split_log_mag``: ``log10(|value or 0| + 1)``. A field that does not
apply is 0 (``item``: -1). Every value is a small integer or a float, exact as a float."""
_CELL = {name: n for n, name in enumerate(_CELL_FIELDS)}


def _cell_of(j: int, r: Reading, value: int | float | None, ctx: RowContext, row: _Row) -> list[float]:
    """What reading ``r`` (of ``value``) adds to the cell features when read in column ``j`` (:data:`_CELL_FIELDS`)."""
    cell = [0.0] * len(_CELL_FIELDS)
    cell[_CELL["item"]] = -1.0
    kind = r.kind
    if kind == "blank":
        if r.item is not None:
            cell[_CELL["n_trailing_used" if row.trailing[r.item] else "n_blank_used"]] = 1.0
            cell[_CELL["n_blank_line_used"]] = float(row.blank_line[r.item])
    elif kind == "missing":
        cell[_CELL["n_missing"]] = 1.0
    elif kind == "ph":
        cell[_CELL["n_ph_used"]] = 1.0
    in_row = j < len(ctx.cols)
    unsigned = in_row and row.unsigned[j]
    if isinstance(value, (int, float)):
        cell[_CELL["number"]] = 1.0
        cell[_CELL["log_mag"]] = _log_mag(value)
        cell[_CELL["zero"]] = float(value == 0)  # == 0, as 0.0 is
        if in_row:
            cell[_CELL["negative_in_unsigned_col"]] = float(value < 0 and unsigned)
            cell[_CELL["has_loglik"]] = 1.0
            cell[_CELL["loglik"]] = log_likelihood(ctx.priors, ctx.table, ctx.cols[j], value)
    if kind == "num" and unsigned and r.raw.startswith(PLUS_SIGNS):
        cell[_CELL["plus_unsigned"]] = 1.0
    if r.split:
        cell[_CELL["split"]] = 1.0
        cell[_CELL["item"]] = -1.0 if r.item is None else float(r.item)
        cell[_CELL["split_len"]] = float(_integer_digits(r.raw))
        cell[_CELL["split_zero"]] = float(r.raw == "0")
        cell[_CELL["split_log_mag"]] = _log_mag(r.value or 0)
    return cell


def candidate_features(cand: Candidate, items: Sequence[Item], ctx: RowContext) -> list[float]:
    """Return the feature vector of ``cand`` (ordered as :data:`FEATURE_NAMES`)."""
    return _candidate_features(cand, items, ctx, _Row.of(items, ctx), [{} for _ in ctx.cols])


def row_features(cands: Sequence[Candidate], items: Sequence[Item], ctx: RowContext) -> NDArray[np.float64]:
    """The feature matrix of a row's candidates (one row each, ordered as :data:`FEATURE_NAMES`), each
    row what :func:`candidate_features` gives.

    What depends only on the row (its items' counts and flags, its columns' signs, the priors of each
    value in each column) is computed once for all its candidates. In a row of many candidates the
    features of the cells are computed once per distinct reading in each column (the search shares a
    reading among the candidates that cut a piece alike: 380 candidates read a few dozen), then summed
    over each candidate's cells at once (:func:`_add_cell_features`).
    """
    row = _Row.of(items, ctx)
    batch = len(cands) >= BATCH_MIN_CANDIDATES
    logliks: _LogLiks | None = None if batch else [{} for _ in ctx.cols]
    features = np.array([_candidate_features(c, items, ctx, row, logliks) for c in cands], dtype=float).reshape(
        len(cands), _N_FEATURES)
    if batch:
        _add_cell_features(features, cands, ctx, row)
    return features


BATCH_MIN_CANDIDATES = 64
"""The candidates from which a row's cell features are batched (:func:`_add_cell_features`); a row of fewer
sums its cells one candidate at a time (:func:`_looped_cell_features`). The batch's numpy calls cost a row
about what the loop costs some 60 candidates: the common row has a handful (dev + 150 synthetic reports of
seed 12345: 17 on average, batched 0.2 ms a report slower), a row of long glued runs hundreds (r004 with
20-digit numbers: 380, batched 2× faster)."""

_LogLiks = list[dict[float, float]]
"""Per column of a row, the prior log-likelihood of each value read there (computed once a row)."""


def _candidate_features(cand: Candidate, items: Sequence[Item], ctx: RowContext, row: _Row,
                        logliks: _LogLiks | None) -> list[float]:
    """The features of ``cand``; its cells' sums too unless they are batched (``logliks`` ``None``:
    :func:`_add_cell_features`)."""
    k = len(cand.readings)
    base = row.base.get(k)
    if base is None:
        base = row.base[k] = _row_base(row, k)
    f = base.copy()
    if logliks is not None:
        _looped_cell_features(f, cand, ctx, row, logliks)
    _layout_features(f, cand, items, row)
    _identity_features(f, cand, row)
    _prior_features(f, cand, row)
    return f


def _row_base(row: _Row, k: int) -> list[float]:
    """The features every candidate of ``k`` cells of ``row`` has, whatever it reads (the rest start at 0.0):
    how the row's items compare with its cells, a row of one column, and (in a row without sums) no sum."""
    f = [0.0] * _N_FEATURES
    visible = row.n_visible
    f[_I["single_glued_item"]] = float(visible == 1 and k > 1)
    f[_I["digits_eq_k"]] = float(row.digits == k)
    f[_I["seg_items_eq_k"]] = float(visible == k)
    f[_I["seg_surplus"]] = float(max(-3, min(3, visible - k)))
    f[_I["visible_plus_trailing_eq_k"]] = float(visible < k <= visible + row.n_trailing)
    f[_I["one_col_row"]] = float(k == 1)
    if not row.totals:
        f[_I["row_id_na"]] = 1.0
    return f


def _add_cell_features(f: NDArray[np.float64], cands: Sequence[Candidate], ctx: RowContext, row: _Row) -> None:
    """Write into ``f`` the features summed or averaged over each candidate's cells: what it assumed (blanks
    used, missing cells, splits), the shapes of its numbers (per table family), signs in columns that print
    none, and the column priors of its values (float sums left to right in cell order, as one candidate's loop
    adds them; counts as floats, exact). Every candidate of a row reads the same number of cells."""
    if not cands:
        return
    positions, cell_of = distinct_cells(cands)
    table = np.array([_cell_of(j, cands[c].readings[j], cands[c].values[j], ctx, row) for c, j in positions], dtype=float)
    cells = table[cell_of]  # candidates × cells × _CELL_FIELDS

    def field(name: str) -> NDArray[np.float64]:
        return cells[:, :, _CELL[name]]

    counts = cells.sum(axis=1)  # per candidate, each field summed (the counts: small integers, exact)

    def count(name: str) -> NDArray[np.float64]:
        return counts[:, _CELL[name]]

    for name in ("n_trailing_used", "n_blank_used", "n_blank_line_used", "n_missing", "n_ph_used",
                 "negative_in_unsigned_col"):
        f[:, _I[name]] = count(name)
    ignored = np.array([bool(c.ignored_blanks) for c in cands])
    f[:, _I["missing_while_blank_ignored"]] = (count("n_missing") > 0) & ignored
    f[:, _I["row_id_fail"]] += count("plus_unsigned")  # a plus sign is printed only to mark a change (see PLUS_SIGNS)
    n_logliks = count("has_loglik")
    if (some := n_logliks > 0).any():
        has_loglik = field("has_loglik") > 0
        logliks = field("loglik")
        f[some, _I["prior_loglik_mean"]] = sequential_sum(logliks)[some] / n_logliks[some]
        f[some, _I["prior_loglik_min"]] = np.where(has_loglik, logliks, np.inf).min(axis=1)[some]
    shape = row.shape_at
    n_split = count("split")
    f[:, _I["n_split_cells"]] = n_split
    if (some := n_split > 0).any():
        split = field("split") > 0
        items = np.sort(field("item"), axis=1)  # -1 where no split cell
        f[some, _I["n_items_split"]] = ((items[:, 0] >= 0) + ((np.diff(items, axis=1) != 0) & (items[:, 1:] >= 0)).sum(
            axis=1))[some]
        lengths = field("split_len")
        f[some, shape["split_max_len"]] = lengths.max(axis=1)[some]
        f[some, shape["split_mean_len"]] = count("split_len")[some] / n_split[some]
        nonzero = split & (field("split_zero") == 0)
        spread = lengths.max(axis=1, where=nonzero, initial=0) - lengths.min(axis=1, where=nonzero, initial=np.inf)
        f[some, shape["split_len_spread"]] = np.where(nonzero.any(axis=1), spread, 0.0)[some]
        f[some, shape["split_len4plus"]] = (lengths >= 4).sum(axis=1)[some]
        f[some, shape["split_zero_share"]] = count("split_zero")[some] / n_split[some]
        mags = field("split_log_mag")
        f[some, shape["split_log_mag"]] = sequential_sum(mags)[some] / n_split[some]
        f[some, shape["split_max_log_mag"]] = mags.max(axis=1, where=split, initial=-np.inf)[some]
    n_numbers = count("number")
    if (some := n_numbers > 0).any():  # (every feature starts at 0.0, what an empty row gives)
        zeros = count("zero")
        f[some, shape["all_zero"]] = (zeros == n_numbers)[some]
        f[some, shape["n_nonzero"]] = (n_numbers - zeros)[some]
        f[some, shape["log_mag_mean"]] = sequential_sum(field("log_mag"))[some] / n_numbers[some]


def _looped_cell_features(f: list[float], cand: Candidate, ctx: RowContext, row: _Row,
                   logliks: _LogLiks) -> None:
    """The features summed or averaged over a candidate's cells, in one pass over them (a row of few candidates,
    :data:`BATCH_MIN_CANDIDATES`; :func:`_add_cell_features` batches the others): what it
    assumed (blanks used, missing cells, splits), the shapes of its numbers (per table family), signs
    in columns that print none, and the column priors of its values (sums in cell order, as written
    feature by feature before)."""
    readings = cand.readings
    values = cand.values
    cols = ctx.cols
    unsigned = row.unsigned
    n_cols = len(cols)
    n_missing = n_ph = n_split = n_trailing_used = n_blank_used = n_blank_line_used = 0
    negative = plus_unsigned = 0
    numbers: list[int | float] = []
    lls: list[float] = []
    split: list[Reading] = []
    for j, r in enumerate(readings):
        kind = r.kind
        if kind == "blank":
            if r.item is not None:
                if row.trailing[r.item]:
                    n_trailing_used += 1
                else:
                    n_blank_used += 1
                n_blank_line_used += row.blank_line[r.item]
        elif kind == "missing":
            n_missing += 1
        elif kind == "ph":
            n_ph += 1
        if r.split:
            n_split += 1
            split.append(r)
        v = values[j]
        if isinstance(v, (int, float)):
            numbers.append(v)
            if j < n_cols:
                col = cols[j]
                negative += v < 0 and unsigned[j]
                ll = logliks[j].get(v)
                if ll is None:
                    ll = logliks[j][v] = log_likelihood(ctx.priors, ctx.table, col, v)
                lls.append(ll)
        if kind == "num" and j < n_cols and unsigned[j] and r.raw.startswith(PLUS_SIGNS):
            plus_unsigned += 1
    f[_I["n_trailing_used"]] = float(n_trailing_used)
    f[_I["n_blank_used"]] = float(n_blank_used)
    f[_I["n_blank_line_used"]] = float(n_blank_line_used)
    f[_I["n_missing"]] = float(n_missing)
    f[_I["n_ph_used"]] = float(n_ph)
    f[_I["n_split_cells"]] = float(n_split)
    f[_I["missing_while_blank_ignored"]] = float(n_missing > 0 and bool(cand.ignored_blanks))
    f[_I["row_id_fail"]] += plus_unsigned  # a plus sign is printed only to mark a change (see PLUS_SIGNS)
    f[_I["negative_in_unsigned_col"]] = float(negative)
    if lls:
        f[_I["prior_loglik_mean"]] = sum(lls) / len(lls)
        f[_I["prior_loglik_min"]] = min(lls)
    at = row.shape_at
    if split:
        f[_I["n_items_split"]] = float(len({r.item for r in split}))
        lengths = [_integer_digits(r.raw) for r in split]
        f[at["split_max_len"]] = float(max(lengths))
        f[at["split_mean_len"]] = sum(lengths) / len(lengths)
        nonzero = [n for n, r in zip(lengths, split) if r.raw != "0"]
        f[at["split_len_spread"]] = float(max(nonzero) - min(nonzero)) if nonzero else 0.0
        f[at["split_len4plus"]] = float(sum(n >= 4 for n in lengths))
        f[at["split_zero_share"]] = sum(r.raw == "0" for r in split) / len(split)
        mags = [_log_mag(r.value or 0) for r in split]
        f[at["split_log_mag"]] = sum(mags) / len(split)
        f[at["split_max_log_mag"]] = max(mags)
    if numbers:  # (every feature starts at 0.0, what an empty row gives)
        zeros = numbers.count(0)  # == 0, as 0.0 is
        f[at["all_zero"]] = float(zeros == len(numbers))
        f[at["n_nonzero"]] = float(len(numbers) - zeros)
        f[at["log_mag_mean"]] = sum(map(_log_mag, numbers)) / len(numbers)


def _layout_features(f: list[float], cand: Candidate, items: Sequence[Item], row: _Row) -> None:
    n = row.n
    readings = cand.readings
    if cand.dropped:
        used = {r.item for r in readings if r.item is not None}
        used_lines = {items[j].line for j in used}
        for j in cand.dropped:
            f[_I["n_dropped_num" if items[j].kind == "num" else "n_dropped_ph"]] += 1
            f[_I["n_dropped_first"]] += j == 0
            f[_I["n_dropped_last"]] += j == n - 1
            # noise is set apart from the cells; a token glued to a used one is part of the row
            f[_I["n_dropped_glued"]] += any(
                m in used and (items[m].end == items[j].start or items[j].end == items[m].start)
                for m in (j - 1, j + 1) if 0 <= m < n)
            f[_I["n_dropped_same_line"]] += items[j].line in used_lines
    for j in cand.ignored_blanks:
        f[_I["n_trailing_ignored" if row.trailing[j] else "n_blank_ignored"]] += 1
    f[_I["missing_last"]] = float(readings[-1].kind == "missing")
    f[_I["missing_first"]] = float(readings[0].kind == "missing")


@lru_cache(maxsize=1 << 14)
def _digit_count(text: str) -> int:
    """How many digits ``text`` prints (a glued run's digits are the most cells it can fill)."""
    return sum(ch.isdigit() for ch in text)


@lru_cache(maxsize=1 << 14)
def _integer_digits(raw: str) -> int:
    """How many digits ``raw`` has before its decimal point (a split cell's printed length)."""
    return sum(ch.isdigit() for ch in raw.split(".")[0])


@lru_cache(maxsize=1 << 14, typed=True)
def _log_mag(value: float) -> float:
    """``log10(|v| + 1)``: the order of magnitude of a printed number (a stray minus sign included)."""
    return math.log10(abs(value) + 1)


def _identity_features(f: list[float], cand: Candidate, row: _Row) -> None:
    """The row's own identities: its bounds and changes that fail, its sums that hold, fail or cannot be
    assessed (a row without sums: :func:`_row_base`), and whether each sum's total is its largest value."""
    values = cand.values
    for c in row.bounds:
        if values[c.total] is not None and sum(values[p] or 0 for p in c.parts) > values[c.total]:
            f[_I["row_id_fail"]] += 1  # a bound only rules a reading out; holding it is no evidence for the reading
    if row.changes:
        f[_I["row_id_fail"]] += _changes_below_zero(values, row.changes)
    for c in row.totals:
        total = values[c.total]
        parts = [values[p] for p in c.parts]
        if total is None:
            f[_I["row_id_na"]] += 1
        elif sum(v or 0 for v in parts) == total:
            f[_I["row_id_ok"]] += 1
        else:
            f[_I["row_id_fail"]] += 1
        numbers = [v for v in parts if v is not None]
        if total is not None and numbers:
            f[_I["total_is_max" if total >= max(numbers) else "total_not_max"]] += 1


def _changes_below_zero(values: tuple[int | float | None, ...], changes: tuple[int, ...]) -> int:
    """How many signed change columns (本年增/减, at ``changes``) take the count printed just before them below zero.

    A change is the change of that count (上一年项目数量 + 本年增/减 is this year's number of items),
    so by definition ``base + change >= 0``: ``62-201503`` is 62 | -20 | 1503, never 62 | -201 | 503.
    Like a bound, it only rules readings out (true of every dev gold row and every synthetic one).
    """
    return sum(1 for j in changes
               if isinstance(base := values[j - 1], (int, float)) and isinstance(change := values[j], (int, float))
               and base + change < 0)


PLUS_SIGNS = ("+", "增")
"""How a report marks a rise: printed only before a change (本年增/减), never before a count.

So a cell read with a plus sign (``+4``, ``增4``) in a column that prints no sign counts as a
failed row identity: ``18+434`` is 18 | +4 | 34, never 1 | 8 | +434. Like a bound, it only rules
readings out (no dev report prints a plus sign outside a change column)."""


def _prior_features(f: list[float], cand: Candidate, row: _Row) -> None:
    """The plausibility priors between a row's columns (its values' column priors are cell features)."""
    values = cand.values
    if row.current_cumulative is not None:  # in the order the copy prints them (历年累计 first, or last)
        current, cumulative = values[row.current_cumulative[0]], values[row.current_cumulative[1]]
        if isinstance(current, (int, float)) and isinstance(cumulative, (int, float)):
            f[_I["prior_cumulative_lt_current"]] = float(cumulative < current)
    if row.made_published and None not in values:
        made, published, total = values
        assert made is not None and published is not None and total is not None
        f[_I["prior_published_gt_total"]] = float(published > total)
        f[_I["prior_made_eq_published"]] = float(made == published)
    if not row.issued_in_force or len(cand.readings) != 3:
        return
    issued, repealed, in_force = values
    if None in (issued, repealed, in_force):
        return
    assert issued is not None and repealed is not None and in_force is not None
    f[_I["prior_in_force_lt_issued"]] = float(in_force < issued)
    f[_I["prior_repealed_gt_in_force"]] = float(repealed > in_force)
    f[_I["prior_ok_art20_1"]] = float(in_force >= issued and in_force >= repealed)
    # the stock in force is about ten times a year's flow; issued and repealed flows are of one magnitude
    f[_I["prior_stock_flow_gap"]] = abs(_log_mag(in_force) - _log_mag(issued) - 1.0)
    f[_I["prior_flows_gap"]] = abs(_log_mag(repealed) - _log_mag(issued))
