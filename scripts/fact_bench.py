"""Measure narrative-fact precision and recall per key, on annotated reports or synthetic agency series::

    python scripts/fact_bench.py training_data/dev
    python scripts/fact_bench.py --synthetic 20 --years 4 --seed 9090 [-v]

A fact is right when the expected facts of its report have the same key with the same value;
precision is right / extracted, recall is right / expected; a key the gold never annotates (the
table-二 keys on the dev corpus) is listed with its extracted count, not scored. Annotated reports expect their gold
``facts``. ``--synthetic N`` writes N agency series (:func:`gxparse.synth.make_series`: all three
generations, every layout, varied prose wordings and numeral styles) into a temporary directory
and expects exactly the facts the generator's prose states (its gold ``facts``). ``-v`` lists
every wrong, extra and missed fact with its sentence. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gxparse
from gxparse.facts import FACT_KEYS
from gxparse.synth import FACT_KEYS as SYNTH_FACT_KEYS
from gxparse.synth import make_series


def annotated(gold_dir: Path) -> Iterator[tuple[gxparse.Report, dict[str, Any]]]:
    """Each annotated report of ``gold_dir`` with its gold facts."""
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if "facts" in gold:
            yield gxparse.parse_file(gold_dir / gold["input"]), gold["facts"]


def synthetic(n_agencies: int, years: int, seed: int) -> Iterator[tuple[gxparse.Report, dict[str, Any]]]:
    """The reports of ``n_agencies`` synthetic series of ``years`` years, with the facts their prose states."""
    with tempfile.TemporaryDirectory() as out:
        make_series(out, n_agencies, years, seed)
        yield from annotated(Path(out))


def measure(cases: Iterator[tuple[gxparse.Report, dict[str, Any]]], *, verbose: bool = False) -> dict[str, Counter[str]]:
    """Per fact key: counts of ``extracted``, ``expected`` and ``right`` (``verbose``: print each error)."""
    counts: dict[str, Counter[str]] = {key: Counter() for key in FACT_KEYS}
    for report, expected in cases:
        for key in expected:
            counts[key]["expected"] += 1
        found = {fact.key: fact for fact in report.facts}
        for fact in report.facts:
            counts[fact.key]["extracted"] += 1
            counts[fact.key]["right"] += expected.get(fact.key) == fact.value
        if verbose:
            for key in FACT_KEYS:
                fact, want = found.get(key), expected.get(key)
                if fact is not None and fact.value != want:
                    print(f"{Path(report.source or '').name} {key}: read {fact.value} ({fact.raw}), expected {want}: "
                          f"{fact.sentence[:90]}")
                elif fact is None and want is not None:
                    print(f"{Path(report.source or '').name} {key}: missed {want}")
    return counts


def _rate(num: int, den: int) -> str:
    return f"{num / den:.1%} ({num}/{den})" if den else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold_dir", type=Path, nargs="?")
    parser.add_argument("--synthetic", type=int, default=0, metavar="AGENCIES",
                        help="measure on this many synthetic agency series instead")
    parser.add_argument("--years", type=int, default=4, help="years per synthetic series (default 4)")
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong, extra and missed fact")
    args = parser.parse_args()
    if not args.synthetic and args.gold_dir is None:
        parser.error("give a gold directory or --synthetic AGENCIES")
    cases = synthetic(args.synthetic, args.years, args.seed) if args.synthetic else annotated(args.gold_dir)
    counts = measure(cases, verbose=args.verbose)
    scope = set(SYNTH_FACT_KEYS) if args.synthetic else _annotated_keys(args.gold_dir)
    total: Counter[str] = sum((c for key, c in counts.items() if key in scope), Counter())
    print("| key | expected | extracted | precision | recall |\n|---|---|---|---|---|")
    for key, c in [*counts.items(), ("all annotated keys", total)]:
        if key in scope or key == "all annotated keys":
            print(f"| {key} | {c['expected']} | {c['extracted']} | {_rate(c['right'], c['extracted'])} | "
                  f"{_rate(c['right'], c['expected'])} |")
        else:  # the gold says nothing about this key: its facts are not scored
            print(f"| {key} | not annotated | {c['extracted']} | – | – |")


def _annotated_keys(gold_dir: Path) -> set[str]:
    """The fact keys the gold of ``gold_dir`` annotates (in any report): only these are scored."""
    return {key for path in gold_dir.glob("*.json") for key in json.loads(path.read_text(encoding="utf-8")).get("facts", {})}


if __name__ == "__main__":
    main()
