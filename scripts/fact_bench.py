"""Measure narrative-fact precision and recall against gold ``facts`` annotations, per key::

    python scripts/fact_bench.py training_data/dev

A fact is right when the gold file of its report has the same key with the same value; precision
is right / extracted, recall is right / annotated. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import gxparse
from gxparse.facts import FACT_KEYS


def measure(gold_dir: Path) -> dict[str, Counter[str]]:
    """Per fact key: counts of ``extracted``, ``annotated`` and ``right``."""
    counts: dict[str, Counter[str]] = {key: Counter() for key in FACT_KEYS}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if "facts" not in gold:
            continue
        report = gxparse.parse_file(gold_dir / gold["input"])
        for key, value in gold["facts"].items():
            counts[key]["annotated"] += 1
        for fact in report.facts:
            counts[fact.key]["extracted"] += 1
            counts[fact.key]["right"] += gold["facts"].get(fact.key) == fact.value
    return counts


def _rate(num: int, den: int) -> str:
    return f"{num / den:.1%} ({num}/{den})" if den else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold_dir", type=Path)
    counts = measure(parser.parse_args().gold_dir)
    total: Counter[str] = sum(counts.values(), Counter())
    print("| key | annotated | extracted | precision | recall |\n|---|---|---|---|---|")
    for key, c in [*counts.items(), ("all seven", total)]:
        print(f"| {key} | {c['annotated']} | {c['extracted']} | {_rate(c['right'], c['extracted'])} | "
              f"{_rate(c['right'], c['annotated'])} |")


if __name__ == "__main__":
    main()
