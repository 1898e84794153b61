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
(smoothed towards the lengths the column's log-normal gives, a row's counts towards its column's), and
a blank cell by how often the column is blank in a printed row. The log-normal alone misses the mass
at 1 that counts have; the counts alone give every unseen length the same weight.
:func:`cut_log_prior` sums it over a candidate's cells; training fits how much it weighs beside
the classifier, per table (:func:`gxparse.train.fit_cut_prior_weights`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gxparse.ir import Candidate

Priors = dict[str, dict[str, Any]]
_MIN_SIGMA = 0.25
_FALLBACK = {"p_zero": 0.5, "mu": 1.0, "sigma": 1.0}


def fit_priors(gold_tables: Iterable[Mapping[str, Any]]) -> Priors:
    """Fit ``{"table.col": {"p_zero", "mu", "sigma", "digits"}}`` from gold ``tables`` dicts, and the
    length counts of each row's cells, ``{"table.row.col": {"digits"}}``."""
    samples: dict[str, list[float]] = defaultdict(list)
    row_digits: dict[str, list[int]] = defaultdict(lambda: [0] * (MAX_DIGIT_CLASS + 1))
    blanks: dict[str, int] = defaultdict(int)
    for tables in gold_tables:
        for table, rows in tables.items():
            for row, cols in rows.items():
                printed = any(_is_number(v) for v in cols.values())  # a row printed blank says nothing of one blank cell
                for col, value in cols.items():
                    if _is_number(value):
                        samples[f"{table}.{col}"].append(float(value))
                        row_digits[f"{table}.{row}.{col}"][digit_class(value)] += 1
                    elif value is None and printed:
                        blanks[f"{table}.{col}"] += 1
                        blanks[f"{table}.{row}.{col}"] += 1
    priors: Priors = {key: {"digits": counts, "blank": blanks[key]} for key, counts in sorted(row_digits.items())}
    for key, values in sorted(samples.items()):
        logs = [math.log10(abs(v) + 1) for v in values if v != 0]
        mu = sum(logs) / len(logs) if logs else 0.0
        var = sum((x - mu) ** 2 for x in logs) / len(logs) if logs else 1.0
        p_zero = (len(values) - len(logs) + 1) / (len(values) + 2)
        digits = [0] * (MAX_DIGIT_CLASS + 1)
        for v in values:
            digits[digit_class(v)] += 1
        priors[key] = {"p_zero": round(p_zero, 6), "mu": round(mu, 6), "sigma": round(max(_MIN_SIGMA, math.sqrt(var)), 6),
                       "digits": digits, "blank": blanks[key]}
    return priors


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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


def digit_log_likelihood(priors: Priors, table: str, col: str, value: float | None,
                         row: str | None = None) -> float | None:
    """Log-probability of ``value``'s printed length in ``table.col`` (smoothed towards the column's
    log-normal, :data:`LENGTH_PSEUDO_COUNTS`), in ``row`` when
    given (its counts, smoothed towards the column's); ``None`` when the priors hold no length counts
    for the column (a model trained before they existed).

    A blank cell (``value`` ``None``) is one more outcome, counted from the blank cells of printed
    rows: a candidate that infers blanks pays for them as one that reads digits pays for their
    lengths. ``None`` for a blank under priors without blank counts (it is then not scored).
    """
    col_prior = priors.get(f"{table}.{col}", {})
    counts = _outcomes(col_prior)
    if not counts or value is None and "blank" not in col_prior:
        return None
    cls = len(counts) - 1 if value is None else digit_class(value)
    p_col = _column_probability(col_prior, cls)
    in_row = _outcomes(priors.get(f"{table}.{row}.{col}", {})) if row is not None else None
    if not in_row or len(in_row) != len(counts):
        return math.log(p_col)
    return math.log((in_row[cls] + ROW_PRIOR_STRENGTH * p_col) / (sum(in_row) + ROW_PRIOR_STRENGTH))


LENGTH_PSEUDO_COUNTS = float(MAX_DIGIT_CLASS + 1)
"""Pseudo-counts spread over a column's length classes as its fitted log-normal magnitude puts them
(as many as add-one smoothing spread evenly): a length no training value had is as likely as that
curve says, so a length near the column's keeps about what add-one gave it, while a 10-digit count
where cells print one to four digits is all but ruled out (add-one gave it as much as a 4-digit one,
and a cut putting most of a run in one cell escaped the prior of the cells it emptied)."""
UNIFORM_SHARE = 1e-4
"""The share of those pseudo-counts spread evenly over the classes: a floor under the curve's tails."""
SHAPE_MIN_SIGMA = 1.0
"""The least spread (in decades) of the curve the pseudo-counts follow: a column whose training values
print one digit still sees two-digit values now and then (a 复议后起诉 of 50); only lengths many digits
away from the column's are ruled out."""


def _column_probability(prior: Mapping[str, Any], cls: int) -> float:
    """P(outcome ``cls``) in a column: length classes counted and smoothed towards :func:`_length_shape`,
    and, when the prior counts blanks, the blank outcome (index ``MAX_DIGIT_CLASS + 1``) add-one smoothed."""
    digits = prior["digits"]
    n_values = sum(digits)
    blank = (prior["blank"] + 1) / (n_values + prior["blank"] + 2) if "blank" in prior else 0.0
    if cls == len(digits):
        return blank
    shape = _length_shape(prior.get("p_zero"), prior.get("mu"), prior.get("sigma"))
    return (1 - blank) * (digits[cls] + LENGTH_PSEUDO_COUNTS * shape[cls]) / (n_values + LENGTH_PSEUDO_COUNTS)


@lru_cache(maxsize=4096)
def _length_shape(p_zero: float | None, mu: float | None, sigma: float | None) -> tuple[float, ...]:
    """The share of each length class under a column's zero rate and log-normal magnitude (:func:`fit_priors`):
    a value of ``d`` digits has ``log10(v + 1)`` between ``d - 1`` and ``d``; uniform without them."""
    n = MAX_DIGIT_CLASS + 1
    if p_zero is None or mu is None or sigma is None:
        return (1 / n,) * n

    spread = max(sigma, SHAPE_MIN_SIGMA)

    def below(x: float) -> float:
        return 0.5 * math.erfc(-(x - mu) / (spread * math.sqrt(2)))

    upper = [below(float(d)) if d < MAX_DIGIT_CLASS else 1.0 for d in range(1, n)]
    lower = [0.0, *upper[:-1]]
    curve = [p_zero, *((1 - p_zero) * max(0.0, hi - lo) for lo, hi in zip(lower, upper))]
    total = sum(curve)
    return tuple((1 - UNIFORM_SHARE) * c / total + UNIFORM_SHARE / n for c in curve)


def _outcomes(prior: Mapping[str, Any]) -> list[int] | None:
    """The counts of a column's (or row's column's) outcomes: each length class, then blank when counted."""
    digits = prior.get("digits")
    if not digits:
        return None
    return [*digits, prior["blank"]] if "blank" in prior else list(digits)


def log_likelihood(priors: Priors, table: str, col: str, value: float) -> float:
    """Log-likelihood of ``value`` in ``table.col`` (zero rate, then log-normal magnitude)."""
    p = priors.get(f"{table}.{col}", _FALLBACK)
    if value == 0:
        return math.log(p["p_zero"])
    z = (math.log10(abs(value) + 1) - p["mu"]) / p["sigma"]
    return math.log(1 - p["p_zero"]) - 0.5 * z * z - math.log(p["sigma"])


def cut_log_prior(cands: Sequence[Candidate], table: str, row: str, cols: Sequence[str],
                  priors: Priors) -> NDArray[np.float64]:
    """Per candidate, the summed :func:`digit_log_likelihood` of its cells' printed lengths in ``row``.

    Only in a row where some candidate cuts a glued run: the cuts of a run differ only in how many
    digits each cell gets, which the classifier's table-wide shape features judge alike for every
    column (they favour equal lengths: ``120 | 6.28`` for 1 | 206.28). A blank cell counts as its
    column's blank outcome, so inferring blanks is no way around the prior. Zero elsewhere, and with
    priors that hold no length counts.
    """
    out = np.zeros(len(cands))
    if not any(r.split for c in cands for r in c.readings):
        return out
    for n, cand in enumerate(cands):
        for col, value in zip(cols, cand.values):
            if (ll := digit_log_likelihood(priors, table, col, value, row)) is not None:
                out[n] += ll
    return out
