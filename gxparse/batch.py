"""Batch parsing: many reports in, one result per report out, in any of five output formats.

The public face of the batch layer; the work is split over :mod:`gxparse.batch_run` (the
per-file function and the process pool), :mod:`gxparse.outputs` (writers and ``--resume``
readers) and :mod:`gxparse.batch_cli` (the ``gxparse parse`` command).

>>> from gxparse.batch import parse_many
>>> for result in parse_many(["a.txt", "b.pdf"], n_jobs=2):     # doctest: +SKIP
...     print(result.source, result.status, result.message)
"""

from __future__ import annotations

from gxparse.batch_cli import add_parse_arguments, run_parse
from gxparse.batch_run import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    STATUSES,
    SUPPORTED_SUFFIXES,
    BatchResult,
    InputBudget,
    Status,
    classify,
    find_inputs,
    parse_many,
    parse_one,
    parse_one_to_dict,
)

__all__ = [
    "DEFAULT_MAX_MEMORY", "DEFAULT_TIMEOUT", "STATUSES", "SUPPORTED_SUFFIXES", "BatchResult", "InputBudget", "Status", "add_parse_arguments", "classify", "find_inputs",
    "parse_many", "parse_one", "parse_one_to_dict", "run_parse",
]
