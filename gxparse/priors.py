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
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gxparse.ir import Candidate, Item

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
    """True when the row prints two or more values, each on a line of its own (one cell per line):
    no run is glued there, so no candidate cuts one (:meth:`gxparse.place.ModelPlacer.score_row`)."""
    lines = [it.line for it in items if it.kind in ("num", "ph")]
    return len(lines) > 1 and len(set(lines)) == len(lines)


def values_share_a_line(items: Sequence[Item]) -> bool:
    """True when two of the row's values are printed on one line: only there can the separator
    between two cells vanish, so that a row short of a cell glued two numbers rather than dropped
    a blank. A value on a line of its own (one cell per line) is one cell, however many digits."""
    lines = [it.line for it in items if it.kind in ("num", "ph")]
    return len(set(lines)) < len(lines)
