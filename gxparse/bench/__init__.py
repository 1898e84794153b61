"""Benchmark the parser on annotated reports: accuracy, identities, confidence, speed.

Library use (returns data, prints nothing)::

    from gxparse.bench import run_bench, compare
    a = run_bench(["/path/to/corpus/dev"], synthetic=60)         # packaged model
    b = run_bench(["/path/to/corpus/dev"], synthetic=60, placer="rules")
    a.figures["cells"]["accuracy_micro"], compare(a, b).only_a_wrong

Command line: ``gxparse bench PATH... [--model M] [--compare M2|baseline|rules] [--json OUT]
[--markdown OUT] [--synthetic N --seed S] [-v] [--min-accuracy X]``; ``gxparse bench PATH... --cv K``
for out-of-fold figures (:mod:`~gxparse.bench.crossval`), ``gxparse bench --unlabelled DIR`` for the
table coverage of reports without gold (:mod:`~gxparse.bench.coverage`).

Modules: :mod:`~gxparse.bench.metrics` (scoring rules, on plain dicts),
:mod:`~gxparse.bench.layouts` (layout tag of a real input), :mod:`~gxparse.bench.run`
(:func:`run_bench`, timings), :mod:`~gxparse.bench.compare`, :mod:`~gxparse.bench.render`
(text and Markdown), :mod:`~gxparse.bench.crossval`, :mod:`~gxparse.bench.coverage` and
:mod:`~gxparse.bench.command` (the CLI).
"""

from __future__ import annotations

from gxparse.bench.command import add_arguments, run_cli
from gxparse.bench.compare import Comparison, compare, headline
from gxparse.bench.layouts import infer_layout
from gxparse.bench.metrics import CellResult, ReportScore, risk_coverage, same_value, score_report, summarize
from gxparse.bench.render import format_comparison, format_summary, to_markdown
from gxparse.bench.run import DEFAULT_SEED, BenchResult, load_golds, run_bench

__all__ = [
    "DEFAULT_SEED", "BenchResult", "CellResult", "Comparison", "ReportScore", "add_arguments", "compare",
    "format_comparison", "format_summary", "headline", "infer_layout", "load_golds", "risk_coverage", "run_bench",
    "run_cli", "same_value", "score_report", "summarize", "to_markdown",
]
