"""Measure cross-year decisions in a batch on synthetic agency series with glued layouts::

    python scripts/link_bench.py --agencies 30 --seed 5150 [--jobs 2]

Writes ``--agencies`` series of consecutive gov years (:func:`gxparse.synth.make_series`, glued
layouts only: the ones whose doubtful rows cross-year links can decide) into a temporary
directory, parses them with :func:`gxparse.batch.parse_many` (which holds the doubtful results and
applies the decisions when the batch ends) and compares with the gold: how many rows were decided,
how many of those were right, how many changed the placer's reading, and cell accuracy before and
after the decisions. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from gxparse.batch import parse_many
from gxparse.links import BatchLinker
from gxparse.synth import make_series
from gxparse.values import parse_value



def _gold(source: str) -> dict[str, Any]:
    return json.loads(Path(source).with_suffix(".json").read_text(encoding="utf-8"))


def _right(values: dict[str, Any], gold: dict[str, Any]) -> int:
    """Cells of a gold row read with the same kind and value (``None`` and ``0`` differ)."""
    return sum(1 for col, want in gold.items() if col in values and values[col] == want
               and (values[col] is None) == (want is None) and type(values[col]) is type(want))


def measure(agencies: int, years: int, seed: int, jobs: int, first_year: int) -> dict[str, int]:
    """Run the batch over fresh series; count decisions and cells right before and after them."""
    counts = dict.fromkeys(("reports", "cells", "cells_right_after", "cells_right_before", "decided",
                            "decided_right", "changed", "changed_right"), 0)
    with tempfile.TemporaryDirectory() as out:
        paths = make_series(out, agencies, range(first_year, first_year + years), seed, layouts=("glued",))
        linker = BatchLinker()
        results = {r.source: r for r in parse_many(paths, n_jobs=jobs, linker=linker)}
        decided = {(d.source, d.row): d for d in linker.decisions}
        for source, result in results.items():
            gold = _gold(source)["tables"]
            tables = (result.data or {}).get("tables", {})
            counts["reports"] += 1
            for table, rows in gold.items():
                for row, cells in rows.items():
                    after = tables.get(table, {}).get(row, {})
                    counts["cells"] += len(cells)
                    counts["cells_right_after"] += _right(after, cells)
                    decision = decided.get((source, f"{table}.{row}"))
                    if decision is None:
                        counts["cells_right_before"] += _right(after, cells)
                        continue
                    before = {col: parse_value(raw) if raw else None for col, raw in decision.previous.items()}
                    counts["cells_right_before"] += _right(before, cells)
                    right = _right(after, cells) == len(cells)
                    counts["decided"] += 1
                    counts["decided_right"] += right
                    counts["changed"] += decision.changed
                    counts["changed_right"] += decision.changed and right
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=30)
    parser.add_argument("--years", type=int, default=4, help="consecutive years per series (default 4)")
    parser.add_argument("--first-year", type=int, default=2021,
                        help="first year of every series, 2019 or later (gov templates; default 2021: gov2021 only)")
    parser.add_argument("--seed", type=int, default=5150)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    c = measure(args.agencies, args.years, args.seed, args.jobs, args.first_year)
    print("| figure | value |\n|---|---|")
    print(f"| reports | {c['reports']} ({args.agencies} series × {args.years} years from {args.first_year}, glued), "
          f"{c['cells']} gold cells |")
    print(f"| rows decided by a cross-year link | {c['decided']}, **{c['decided_right']} right** |")
    print(f"| rows whose reading a decision changed | {c['changed']}, {c['changed_right']} right |")
    print(f"| cell accuracy before → after the decisions | {c['cells_right_before'] / c['cells']:.2%} "
          f"({c['cells_right_before']}) → {c['cells_right_after'] / c['cells']:.2%} ({c['cells_right_after']}) |")


if __name__ == "__main__":
    main()
