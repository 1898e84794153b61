"""Per-column magnitude priors learned from annotated tables.

A glued run such as ``5845546`` under 本年制发件数 / 本年废止件数 / 现行有效件数 can be cut many ways;
what makes ``58 | 45 | 546`` likelier than ``5 | 84 | 5546`` is how large such cells usually are.
:func:`fit_priors` summarises every column of the training tables as a zero rate plus a normal
distribution of ``log10(|v| + 1)``; :func:`log_likelihood` scores a value under it. The priors
are part of the model artifact, fitted on the same data as the classifier.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

Priors = dict[str, dict[str, float]]
_MIN_SIGMA = 0.25
_FALLBACK = {"p_zero": 0.5, "mu": 1.0, "sigma": 1.0}


def fit_priors(gold_tables: Iterable[Mapping[str, Any]]) -> Priors:
    """Fit ``{"table.col": {"p_zero", "mu", "sigma"}}`` from gold ``tables`` dicts."""
    samples: dict[str, list[float]] = defaultdict(list)
    for tables in gold_tables:
        for table, rows in tables.items():
            for cols in rows.values():
                for col, value in cols.items():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        samples[f"{table}.{col}"].append(float(value))
    priors: Priors = {}
    for key, values in sorted(samples.items()):
        logs = [math.log10(abs(v) + 1) for v in values if v != 0]
        mu = sum(logs) / len(logs) if logs else 0.0
        var = sum((x - mu) ** 2 for x in logs) / len(logs) if logs else 1.0
        p_zero = (len(values) - len(logs) + 1) / (len(values) + 2)
        priors[key] = {"p_zero": round(p_zero, 6), "mu": round(mu, 6), "sigma": round(max(_MIN_SIGMA, math.sqrt(var)), 6)}
    return priors


def log_likelihood(priors: Priors, table: str, col: str, value: float) -> float:
    """Log-likelihood of ``value`` in ``table.col`` (zero rate, then log-normal magnitude)."""
    p = priors.get(f"{table}.{col}", _FALLBACK)
    if value == 0:
        return math.log(p["p_zero"])
    z = (math.log10(abs(value) + 1) - p["mu"]) / p["sigma"]
    return math.log(1 - p["p_zero"]) - 0.5 * z * z - math.log(p["sigma"])
