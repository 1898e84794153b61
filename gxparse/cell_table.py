"""The distinct cells of a row's candidates, so that what a cell contributes is computed once a row.

The candidate search shares one :class:`~gxparse.ir.Reading` among all the candidates that read a piece
alike, so a row's hundreds of candidates read a few dozen distinct (reading, column) pairs. The features
of such a row (:mod:`gxparse.features`) describe each pair once, then gather the descriptions into a
candidates × cells array and sum it in one numpy batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from gxparse.ir import Candidate


def distinct_cells(cands: Sequence[Candidate]) -> tuple[list[tuple[int, int]], NDArray[np.int_]]:
    """The distinct (reading, column) cells of ``cands`` as (candidate, column) positions of one occurrence
    each, and for every candidate's cell the index of its distinct cell (candidates × cells).

    A reading is told apart by its ``id``: the candidates hold their readings while the caller uses the
    result. Every candidate must read the same number of cells, at least one.
    """
    n_cands = len(cands)
    k = len(cands[0].readings) if n_cands else 0
    if not k or any(len(c.readings) != k for c in cands):
        raise ValueError("the candidates of a row read the same number of cells, at least one")
    # readings numbered densely first, so that reading × k + column is a small key
    ids = np.array(list(map(id, chain.from_iterable(c.readings for c in cands))), dtype=np.int64)
    _, dense = np.unique(ids, return_inverse=True)
    _, first, inverse = np.unique(dense.reshape(-1) * k + np.tile(np.arange(k), n_cands), return_index=True,
                                  return_inverse=True)
    return [divmod(at, k) for at in first.tolist()], inverse.reshape(n_cands, k)


def sequential_sum(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each row of ``values`` summed left to right, as Python's ``sum`` and ``+=`` add (a cumulative sum's last
    column; ``np.sum`` adds pairwise, in another order). Cells that do not count hold 0.0, which adds nothing."""
    return np.cumsum(values, axis=1)[:, -1]
