"""Per-column magnitude priors learned from annotated tables.

A glued run such as ``5845546`` under 本年制发件数 / 本年废止件数 / 现行有效件数 can be cut many ways;
what makes ``58 | 45 | 546`` likelier than ``5 | 84 | 5546`` is how large such cells usually are.
:func:`fit_priors` summarises every column of the training tables as a zero rate plus a normal
distribution of ``log10(|v| + 1)``; :func:`log_likelihood` scores a value under it. The priors
are part of the model artifact, fitted on the same data as the classifier.

Cutting a glued run only moves digits between cells, so what tells the cuts apart is how many
digits each column usually prints: a 采购项目数量 has one or two, a 采购总金额 three to eight, a
本年增/减 fewer than the 处理决定数量 beside it. Each column also keeps the counts of its values by
printed integer length (:func:`digit_class`), and so does each row's column (a 行政强制 row prints
fewer digits than a 行政许可 row); :func:`digit_log_likelihood` scores a value's length under them
(add-one smoothing, a row's counts smoothed towards its column's). The log-normal above misses the mass at 1 that counts have.
A blank cell is one more class of those counts (the gold's ``None`` cells): whether a row that lacks a
cell dropped a blank or glued two numbers (``行政处罚 0 1720`` for 0 | 17 | 20) is then judged by
how often each column is printed blank.
:func:`cut_log_prior` sums it over a candidate's cells; training fits how much it weighs beside
the classifier, per table (:func:`gxparse.train.fit_cut_prior_weights`).

A row that prints a count beside an amount (政府集中采购) is also judged across its columns: the amount
per item (:func:`fit_amount_priors`, :func:`amount_log_prior`) ranks the cuts of a run carrying both.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gxparse.ir import Candidate, Item, Segmentation
from gxparse.template import TEMPLATE_IDS, get_template

Priors = dict[str, dict[str, Any]]
_MIN_SIGMA = 0.25
_FALLBACK = {"p_zero": 0.5, "mu": 1.0, "sigma": 1.0}


def fit_priors(gold_tables: Iterable[Mapping[str, Any]]) -> Priors:
    """Fit ``{"table.col": {"p_zero", "mu", "sigma", "digits", "blanks"}}`` from gold ``tables`` dicts, and the
    length and blank counts of each row's cells, ``{"table.row.col": {"digits", "blanks"}}``."""
    samples: dict[str, list[float]] = defaultdict(list)
    row_digits: dict[str, list[int]] = defaultdict(lambda: [0] * (MAX_DIGIT_CLASS + 1))
    col_blanks: dict[str, int] = defaultdict(int)  # gold cells printed blank, per "table.col"…
    row_blanks: dict[str, int] = defaultdict(int)  # … and per "table.row.col"
    for tables in gold_tables:
        for table, rows in tables.items():
            for row, cols in rows.items():
                for col, value in cols.items():
                    if value is None:
                        col_blanks[f"{table}.{col}"] += 1
                        row_blanks[f"{table}.{row}.{col}"] += 1
                    elif isinstance(value, (int, float)) and not isinstance(value, bool):
                        samples[f"{table}.{col}"].append(float(value))
                        row_digits[f"{table}.{row}.{col}"][digit_class(value)] += 1
    for key in col_blanks:  # a column or row cell printed only blank has (empty) length counts too
        samples.setdefault(key, [])
    for key in row_blanks:
        row_digits.setdefault(key, [0] * (MAX_DIGIT_CLASS + 1))
    priors: Priors = {key: {"digits": counts, "blanks": row_blanks[key]} for key, counts in sorted(row_digits.items())}
    for key, values in sorted(samples.items()):
        logs = [math.log10(abs(v) + 1) for v in values if v != 0]
        mu = sum(logs) / len(logs) if logs else 0.0
        var = sum((x - mu) ** 2 for x in logs) / len(logs) if logs else 1.0
        p_zero = (len(values) - len(logs) + 1) / (len(values) + 2)
        digits = [0] * (MAX_DIGIT_CLASS + 1)
        for v in values:
            digits[digit_class(v)] += 1
        priors[key] = {"p_zero": round(p_zero, 6), "mu": round(mu, 6), "sigma": round(max(_MIN_SIGMA, math.sqrt(var)), 6),
                       "digits": digits, "blanks": col_blanks[key]}
    return priors


MAX_DIGIT_CLASS = 10
"""Integer lengths of 10 digits and more share one class (the largest gold value, 10^7, has 8)."""


def digit_class(value: float) -> int:
    """0 for a zero, else the number of digits of ``|value|`` before the point (at least 1, at most :data:`MAX_DIGIT_CLASS`)."""
    if value == 0:
        return 0
    return min(MAX_DIGIT_CLASS, max(1, len(str(int(abs(value))))))


ROW_PRIOR_STRENGTH = 10.0
"""Pseudo-counts of the column's length distribution added to a row's own counts: a row's cells
(a 行政强制 row prints fewer digits than a 行政许可 row of the same columns) weigh once the row has
more than about this many training values."""


def _length_counts(entry: dict[str, Any]) -> list[int] | None:
    """A prior entry's counts by length class, with the blank class last when the model counted blanks."""
    digits = entry.get("digits")
    if digits is None or "blanks" not in entry:
        return digits
    return [*digits, entry["blanks"]]


BLANK_CLASS = MAX_DIGIT_CLASS + 1
"""The class of a blank cell (``None``), after the digit lengths, in a model that counted blanks."""


def digit_log_likelihood(priors: Priors, table: str, col: str, value: float | None,
                         row: str | None = None) -> float | None:
    """Log-probability of ``value``'s printed length in ``table.col`` (add-one smoothed), in ``row`` when
    given (its counts, smoothed towards the column's); a ``None`` value is a blank cell. ``None`` when the
    priors hold no length counts for the column (a model trained before they existed), or no blank
    counts for a blank."""
    counts = _length_counts(priors.get(f"{table}.{col}", {}))
    if not counts or (value is None and len(counts) <= BLANK_CLASS):
        return None
    cls = BLANK_CLASS if value is None else digit_class(value)
    p_col = (counts[cls] + 1) / (sum(counts) + len(counts))
    in_row = _length_counts(priors.get(f"{table}.{row}.{col}", {})) if row is not None else None
    if not in_row:
        return math.log(p_col)
    return math.log((in_row[cls] + ROW_PRIOR_STRENGTH * p_col) / (sum(in_row) + ROW_PRIOR_STRENGTH))


def log_likelihood(priors: Priors, table: str, col: str, value: float) -> float:
    """Log-likelihood of ``value`` in ``table.col`` (zero rate, then log-normal magnitude)."""
    p = priors.get(f"{table}.{col}", _FALLBACK)
    if value == 0:
        return math.log(p["p_zero"])
    z = (math.log10(abs(value) + 1) - p["mu"]) / p["sigma"]
    return math.log(1 - p["p_zero"]) - 0.5 * z * z - math.log(p["sigma"])


def cut_log_prior(cands: Sequence[Candidate], table: str, row: str, cols: Sequence[str],
                  priors: Priors, items: Sequence[Item] = ()) -> NDArray[np.float64]:
    """Per candidate, the summed :func:`digit_log_likelihood` of its cells' printed lengths in ``row``
    (a blank cell's too, when the priors counted blanks).

    Only in a row where some candidate cuts a glued run: the cuts of a run differ only in how many
    digits each cell gets, which the classifier's table-wide shape features judge alike for every
    column (they favour equal lengths: ``120 | 6.28`` for 1 | 206.28), nor whether a short row cut a
    run or dropped a blank (``0 1720``: 0 | 17 | 20 or 0 | blank | 1720), which the blank class
    judges where that question arises: in a row of ``items`` printing values side by side on a line
    (:func:`values_share_a_line`). Zero elsewhere (where a row's candidates only place a dropped
    blank differently, the prior was measured to move it at random), and with priors that hold no
    length counts.
    """
    out = np.zeros(len(cands))
    if not any(r.split for c in cands for r in c.readings):
        return out
    counts_blanks = bool(cols) and "blanks" in priors.get(f"{table}.{cols[0]}", {}) and values_share_a_line(items)
    known: dict[tuple[str, int | float | None], float | None] = {}  # a row's candidates read the same few values per column
    for n, cand in enumerate(cands):
        total = 0.0
        for col, value in zip(cols, cand.values):
            if value is not None or counts_blanks:
                ll = known.get((col, value), _UNKNOWN)
                if ll is _UNKNOWN:
                    ll = known[(col, value)] = digit_log_likelihood(priors, table, col, value, row)
                if ll is not None:
                    total += ll
        out[n] = total
    return out


_UNKNOWN = object()


def values_one_per_line(items: Sequence[Item]) -> bool:
    """True when the row prints two or more cells, each on a line of its own (one cell per line): its
    values each on a line of their own, its blank cells empty lines (``blank_line`` items: ``规章 / (empty)
    / 10 / (empty)``); no run is glued there, so no candidate cuts one (:meth:`gxparse.place.ModelPlacer.score_row`)."""
    lines = [it.line for it in items if it.kind in ("num", "ph")]
    empty_lines = sum(1 for it in items if it.kind == "blank" and "blank_line" in it.flags)
    return len(lines) + empty_lines > 1 and len(set(lines)) == len(lines)


def values_share_a_line(items: Sequence[Item]) -> bool:
    """True when two of the row's values are printed on one line: only there can the separator
    between two cells vanish, so that a row short of a cell glued two numbers rather than dropped
    a blank. A value on a line of its own (one cell per line) is one cell, however many digits."""
    lines = [it.line for it in items if it.kind in ("num", "ph")]
    return len(set(lines)) < len(lines)


# --- Cross-column plausibility: the amount a row states per item it counts -----------------------
#
# A row such as 政府集中采购 prints a count (采购项目数量) beside a money amount (采购总金额). Glued
# (``39573802895.90元``) every cut of the run into the two cells is a valid reading and no identity
# tells them apart, but the amount per item does: 395 | 73802895.9 元 is ~187,000 元 a purchase,
# 39573 | 802895.9 is ~20. :func:`fit_amount_priors` summarises the training rows' log10 amount per
# item (in 元) as a normal distribution; :func:`amount_log_prior` ranks the cuts of such a run under it.

AMOUNT_UNITS: dict[str, float] = {"万元": 10_000.0, "元": 1.0}
"""The money units a cell prints after its number (the scanner keeps them on it), in 元; longest first."""

AMOUNT_MIN_SIGMA = 1.0
"""The narrowest spread (decades) of the amount per item: few reports print such a row (three of the dev
corpus with a printed unit), so the fitted spread is floored at one order of magnitude either way."""

AMOUNT_PRIOR_WEIGHT = 1.0
"""The weight of the amount prior's log-density beside the classifier's log-odds: 1, the naive-Bayes
combination of evidence the classifier has not seen. Not fitted: three dev reports print such a row glued,
two of them read right without the prior, so a weight fitted on them says nothing (a fold without the
third fits 0)."""

AMOUNT_FALLBACK_UNIT_COUNT = 1
"""Add-one smoothing of the printed-unit counts that weigh an amount printed without its unit."""

AmountPriors = dict[str, dict[str, Any]]
AmountSample = tuple[str, "int | float", "int | float", "str | None", bool]
"""One row's count and amount as a candidate reads them: ``("table.count_col/amount_col", count, amount, unit,
glued)``, ``unit`` the printed unit (a key of :data:`AMOUNT_UNITS`) or ``None`` when none is printed, ``glued``
whether both are cut from one digit run."""


def amount_pairs(table: str, cols: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """The (count, amount) column index pairs of a row: a ``count`` column beside an ``amount`` column, by
    the column kinds the templates give (采购项目数量 / 采购总金额)."""
    return _amount_pairs(table, tuple(cols))


@lru_cache(maxsize=1 << 8)
def _amount_pairs(table: str, cols: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """:func:`amount_pairs`, made once per table and columns (asked of every row of every segment)."""
    kinds = _column_kinds()
    counts = [i for i, c in enumerate(cols) if kinds.get((table, c)) == "count"]
    amounts = [i for i, c in enumerate(cols) if kinds.get((table, c)) == "amount"]
    return tuple((i, j) for i in counts for j in amounts) if counts and amounts else ()


@cache
def _column_kinds() -> dict[tuple[str, str], str]:
    """``(table, column) → kind`` over every template (an amount column is ``amount`` in each that has it)."""
    return {(table.key, col.key): col.kind for tid in TEMPLATE_IDS for table in get_template(tid).tables
            for col in table.cols}


def printed_unit(raw: str) -> str | None:
    """The money unit printed at the end of a cell's text (``73802895.90元`` → ``元``), ``None`` without one."""
    return next((unit for unit in AMOUNT_UNITS if raw.endswith(unit)), None)


_LABEL_UNIT = re.compile(r"[(（]\s*(" + "|".join(map(re.escape, AMOUNT_UNITS)) + r")\s*[)）]")
"""A money unit in brackets inside a printed label or header (``政府集中采购(元)``, ``采购总金额（万元）``)."""


def label_unit(label: str) -> str | None:
    """The money unit a printed row label names in brackets, the last one when it names several (the row's
    own label comes after a header glued before it); ``None`` when it names none."""
    units = _LABEL_UNIT.findall(label)
    return units[-1] if units else None


def with_label_units(seg: Segmentation) -> Segmentation:
    """``seg`` with each row that has a (count, amount) pair (:func:`amount_pairs`) carrying the unit its
    printed label names (:attr:`gxparse.ir.RowProblem.unit`), for the amount cells that print none
    (``政府集中采购(元)6675809``: 66 | 75809 元 is 1,149 元 a purchase, 667 | 5809 元 is 9). Other rows
    are left as they are."""
    rows = seg.problem.rows
    units = {row.key: unit for row in rows if amount_pairs(seg.problem.table, row.cols)
             and (unit := label_unit(seg.labels.get(row.key, ""))) is not None}
    if not units:
        return seg
    problem = replace(seg.problem, rows=[replace(row, unit=units[row.key]) if row.key in units else row for row in rows])
    return replace(seg, problem=problem)


def amount_samples(cand: Candidate, table: str, cols: Sequence[str], unit: str | None = None) -> tuple[AmountSample, ...]:
    """The amounts per item a candidate reads in the (count, amount) pairs of its row (:func:`amount_pairs`):
    where both cells are numbers above zero. An amount of 0 states no amount per item (nothing spent, or nothing
    stated): it is no sample, so a cut that reads one (``政府集中采购240``: 24 | 0 beside 2 | 40) is left to the
    classifier and the length prior, not ruled out as a purchase of a fraction of a 元. An amount cell that prints
    no unit is in ``unit``, the one the row's label names (:func:`with_label_units`), when there is one."""
    out: list[AmountSample] = []
    for i, j in amount_pairs(table, cols):
        count, amount = cand.readings[i], cand.readings[j]
        if count.value is not None and count.value > 0 and amount.value is not None and amount.value != 0:
            glued = count.split and amount.split and count.item is not None and count.item == amount.item
            out.append((f"{table}.{cols[i]}/{cols[j]}", count.value, amount.value,
                        printed_unit(amount.raw) or unit, glued))
    return tuple(out)


def _per_item(count: int | float, amount: int | float, unit: str) -> float:
    """log10 of the amount per item, in 元 (an amount below 1 元 counts as 1 元: a few jiao stay finite).
    Logs of the numbers themselves: a glued run of hundreds of digits is no float."""
    in_yuan = math.log10(abs(amount)) + math.log10(AMOUNT_UNITS[unit])  # never 0: no sample (:func:`amount_samples`)
    return max(in_yuan, 0.0) - math.log10(count)


AMOUNT_FIT_ROUNDS = 10
"""Rounds of the fit's alternation between the units of amounts printed without one and the distribution
(it settles in two or three on the dev corpus)."""


def fit_amount_priors(samples: Iterable[AmountSample]) -> AmountPriors:
    """Fit ``{"table.count/amount": {"mu", "sigma", "n", "units"}}`` from the rows' gold readings.

    ``mu`` and ``sigma`` (floored at :data:`AMOUNT_MIN_SIGMA`) describe the log10 amount per item in 元;
    ``units`` counts the printed units, which weigh the readings of an amount printed without one. Such an
    amount (``6 | 52.15``: 8.7 元 or 8.7 万元 a purchase) is read in its likelier unit under the distribution
    fitted so far, and the distribution refitted with it, until the units settle (classification EM over
    the unit); ``n`` counts every row, ``n_unit_printed`` those printing their unit.
    """
    by_key: dict[str, list[AmountSample]] = defaultdict(list)
    for sample in samples:
        by_key[sample[0]].append(sample)
    priors: AmountPriors = {}
    for key, rows in sorted(by_key.items()):
        printed = [sample for sample in rows if sample[3] is not None]
        if not printed:
            continue
        units = {unit: sum(1 for sample in printed if sample[3] == unit) for unit in AMOUNT_UNITS}
        prior = _normal([_per_item(count, amount, unit) for _, count, amount, unit, _ in printed])  # type: ignore[arg-type]
        prior["units"] = units
        for _ in range(AMOUNT_FIT_ROUNDS):
            guessed = [_likelier_unit(prior, sample) for sample in rows if sample[3] is None]
            refit = _normal([_per_item(count, amount, unit) for _, count, amount, unit, _ in printed]  # type: ignore[arg-type]
                            + [_per_item(sample[1], sample[2], unit) for sample, unit in
                               zip((s for s in rows if s[3] is None), guessed)])
            settled = refit == {k: prior[k] for k in refit}
            prior |= refit
            if settled:
                break
        priors[key] = {**prior, "n": len(rows), "n_unit_printed": len(printed)}
    return priors


def _normal(logs: Sequence[float]) -> dict[str, float]:
    """Mean and spread (floored at :data:`AMOUNT_MIN_SIGMA`) of ``logs``, rounded as the model stores them."""
    mu = sum(logs) / len(logs)
    sigma = math.sqrt(sum((x - mu) ** 2 for x in logs) / len(logs))
    return {"mu": round(mu, 6), "sigma": round(max(AMOUNT_MIN_SIGMA, sigma), 6)}


def _likelier_unit(prior: dict[str, Any], sample: AmountSample) -> str:
    """The unit an amount printed without one is likelier in, under ``prior`` (its units' frequencies too)."""
    return max(AMOUNT_UNITS, key=lambda unit: _unit_weight(prior, unit) * _density(prior, sample[1], sample[2], unit))


def _unit_weight(prior: dict[str, Any], unit: str) -> float:
    """How often the prior's rows print ``unit``, add-one smoothed over :data:`AMOUNT_UNITS`."""
    seen = {u: prior["units"].get(u, 0) + AMOUNT_FALLBACK_UNIT_COUNT for u in AMOUNT_UNITS}
    return seen[unit] / sum(seen.values())


def _density(prior: dict[str, Any], count: int | float, amount: int | float, unit: str) -> float:
    """The normal density (per decade, without its constant) of a count and amount read in ``unit``."""
    z = (_per_item(count, amount, unit) - prior["mu"]) / prior["sigma"]
    return math.exp(-0.5 * z * z) / prior["sigma"]


def amount_log_likelihood(priors: AmountPriors, sample: AmountSample) -> float:
    """Log-density of a sample's amount per item under its prior (0 without one). An amount printed without
    its unit is read in each unit, weighed by how often the training rows print it (add-one smoothed)."""
    key, count, amount, unit, _ = sample
    prior = priors.get(key)
    if prior is None:
        return 0.0
    if unit is not None:
        return math.log(_density(prior, count, amount, unit) + _TINY)
    return math.log(sum(_unit_weight(prior, u) * _density(prior, count, amount, u) for u in AMOUNT_UNITS) + _TINY)


_TINY = 1e-300  # keeps the log finite for an amount per item dozens of spreads away


def amount_log_prior(cands: Sequence[Candidate], table: str, cols: Sequence[str],
                     priors: AmountPriors, unit: str | None = None) -> NDArray[np.float64]:
    """Per candidate, how much less plausible its cut of a glued count-and-amount run is than the row's best cut.

    :func:`glued_cut_terms` of the candidates' :func:`amount_samples` (``unit``: the row label's, for
    amounts printed without one); zero when the row has no (count, amount) pair or the priors hold none.
    """
    if not priors or not amount_pairs(table, cols):
        return np.zeros(len(cands))
    return glued_cut_terms([amount_samples(c, table, cols, unit) for c in cands], priors)


def glued_cut_terms(samples: Sequence[Sequence[AmountSample]], priors: AmountPriors) -> NDArray[np.float64]:
    """Per candidate of one row (its :func:`amount_samples`), the summed :func:`amount_log_likelihood` of the
    pairs it cuts from one glued run, minus the best such sum in the row; 0 for a candidate that cuts none.

    Only the cuts of a run that carries both a count and an amount are ranked: the prior tells where
    such a run divides, never whether to divide it (a count and an amount printed apart, or a reading
    that drops a cell, are the classifier's and the length prior's to judge), so a cut is never
    preferred to a reading that cuts no such run.
    """
    out = np.zeros(len(samples))
    scored = {n: sum(amount_log_likelihood(priors, s) for s in pairs if s[4])
              for n, pairs in enumerate(samples) if any(s[4] for s in pairs)}
    if scored:
        best = max(scored.values())
        for n, value in scored.items():
            out[n] = value - best
    return out
