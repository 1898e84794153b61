"""Measure narrative-fact precision and recall per key, on annotated reports or synthetic ones::

    python scripts/fact_bench.py training_data/dev
    python scripts/fact_bench.py --synthetic 80 --seed 777

A fact is right when the expected facts of its report have the same key with the same value;
precision is right / extracted, recall is right / expected. Annotated reports expect their gold
``facts``. A synthetic gov2021 report (``gxparse.synth``, all gov layouts, every fourth in
traditional script) expects what its generated prose states: the gold ``new_received`` total, and
the figures of the generator's fixed sentences (主动公开政府信息N条, 收取信息处理费N元 or none,
现行有效N件, 被申请行政复议N件), found in the text with white space removed. Prints a Markdown
table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

import gxparse
from gxparse.facts import FACT_KEYS
from gxparse.synth import random_tables, render
from gxparse.synth.render import GOV_LAYOUTS

_STATED = {"proactive_published": r"全年主动公开政府信息(\d+)条", "fees_collected": r"收取信息处理费(\d+)元",
           "normative_in_force": r"现行有效(\d+)件", "review_cases": r"被申请行政复议(\d+)件"}


def annotated(gold_dir: Path) -> Iterator[tuple[gxparse.Report, dict[str, Any]]]:
    """Each annotated report of ``gold_dir`` with its gold facts."""
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if "facts" in gold:
            yield gxparse.parse_file(gold_dir / gold["input"]), gold["facts"]


def synthetic(n: int, seed: int) -> Iterator[tuple[gxparse.Report, dict[str, Any]]]:
    """``n`` synthetic gov2021 reports with the facts their prose states."""
    for i in range(n):
        rng = np.random.default_rng([seed, i])
        tables = random_tables("gov2021", rng)
        rendered = render("gov2021", tables, GOV_LAYOUTS[i % len(GOV_LAYOUTS)], rng,
                          script="traditional" if i % 4 == 0 else "simplified")
        report = gxparse.parse(rendered.text)
        text = re.sub(r"\s+", "", report.text)
        new = tables["applications"]["new_received"]["total"]
        expected = {"applications_received": new or 0, "fees_collected": 0}
        expected.update({k: int(m.group(1)) for k, p in _STATED.items() if (m := re.search(p, text))})
        yield report, expected


def measure(cases: Iterator[tuple[gxparse.Report, dict[str, Any]]]) -> dict[str, Counter[str]]:
    """Per fact key: counts of ``extracted``, ``expected`` and ``right``."""
    counts: dict[str, Counter[str]] = {key: Counter() for key in FACT_KEYS}
    for report, expected in cases:
        for key in expected:
            counts[key]["expected"] += 1
        for fact in report.facts:
            counts[fact.key]["extracted"] += 1
            counts[fact.key]["right"] += expected.get(fact.key) == fact.value
    return counts


def _rate(num: int, den: int) -> str:
    return f"{num / den:.1%} ({num}/{den})" if den else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold_dir", type=Path, nargs="?")
    parser.add_argument("--synthetic", type=int, default=0, help="measure on this many synthetic reports instead")
    parser.add_argument("--seed", type=int, default=777)
    args = parser.parse_args()
    counts = measure(synthetic(args.synthetic, args.seed) if args.synthetic else annotated(args.gold_dir))
    total: Counter[str] = sum(counts.values(), Counter())
    print("| key | expected | extracted | precision | recall |\n|---|---|---|---|---|")
    for key, c in [*counts.items(), ("all seven", total)]:
        print(f"| {key} | {c['expected']} | {c['extracted']} | {_rate(c['right'], c['extracted'])} | "
              f"{_rate(c['right'], c['expected'])} |")


if __name__ == "__main__":
    main()
