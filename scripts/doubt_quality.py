"""Measure how well ``gxparse annotate`` marks the cells a reviewer must fix.

For each annotated report under the given paths, the input is annotated as ``gxparse annotate``
does (the gold is not looked at), then the pre-filled values are compared with the gold ones
(:func:`gxparse.bench.metrics.same_value`; the gold's ``uncertain`` cells are left out). Printed:

* recall of the marks: of the pre-filled cells that are wrong, the share marked doubtful;
* wasted checks: of the doubtful cells, the share that were right;
* gold cells the pre-fill lacks (no mark can point at a cell that is not there), and the
  reasons of the marks.

    python scripts/doubt_quality.py training_data/dev [--model models/realign]

On the dev corpus this is in-sample for the packaged model, which was trained on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from gxparse.annotate import annotation_from_report
from gxparse.bench.metrics import same_value
from gxparse.bench.run import load_golds
from gxparse.errors import GxParseError
from gxparse.parser import parse_file
from gxparse.realign import load_model


def measure(paths: list[str], model_path: str | None) -> dict[str, object]:
    """Return the counts and shares of the module docstring over the gold files under ``paths``."""
    model = load_model(model_path) if model_path else None
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for entry in load_golds(paths):
        try:
            report = parse_file(entry.input_path, model=model)
        except GxParseError:
            counts["reports_failed"] += 1
            continue
        counts["reports"] += 1
        prefill = annotation_from_report(report, report_id=str(entry.gold["id"]), input_name=entry.input_path.name)
        doubtful = prefill["review"]["doubtful"]
        uncertain = set(entry.gold.get("uncertain") or ())
        for table, rows in (entry.gold.get("tables") or {}).items():
            for row, cols in rows.items():
                for col, gold in cols.items():
                    address = f"{table}.{row}.{col}"
                    if address in uncertain:
                        continue
                    got = prefill["tables"].get(table, {}).get(row, {})
                    if col not in got:
                        counts["gold_cells_absent"] += 1
                        continue
                    right = same_value(gold, got[col])
                    marked = address in doubtful
                    counts["cells"] += 1
                    counts["wrong"] += not right
                    counts["wrong_marked"] += marked and not right
                    counts["doubtful"] += marked
                    counts["doubtful_right"] += marked and right
                    if marked:
                        reasons.update(r.split(":")[0] for r in doubtful[address])
    return {
        **counts,
        "recall_of_marks": counts["wrong_marked"] / counts["wrong"] if counts["wrong"] else None,
        "doubtful_right_share": counts["doubtful_right"] / counts["doubtful"] if counts["doubtful"] else None,
        "doubtful_share_of_cells": counts["doubtful"] / counts["cells"] if counts["cells"] else None,
        "reasons": dict(reasons.most_common()),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the measurement as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="gold JSON files or directories of them")
    parser.add_argument("--model", help="realigner model (default: the packaged one)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.paths, args.model), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
