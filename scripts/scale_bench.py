"""Measure batch throughput (reports/s) of ``gxparse.batch.parse_many`` with 1 and more workers.

Writes a synthetic corpus with ``gxparse.synth.make_corpus`` (or, if that module cannot be used,
copies of the small dev inputs) to a temporary directory, parses it with each worker count and
prints a Markdown table, e.g. for the README or a pull request::

    python scripts/scale_bench.py                 # 1,000 reports, 1 and 2 workers
    python scripts/scale_bench.py -n 5000 --jobs 1 2 4 --placer rules

The process is warmed up first (jieba, OpenCC, templates, model). Each run is then timed from the
first submission to the last result, so it includes the start of the worker processes as a real
batch does.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from gxparse.batch import STATUSES, find_inputs, parse_many
from gxparse.errors import GxParseError
from gxparse.realign import load_model

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"
DEV_INPUTS = ("seed000.txt", "seed002.txt", "seed004.txt", "r004.txt", "r020.txt", "r025.html", "r201.txt",
              "r204.txt", "r207.txt", "r220.txt")


def make_inputs(directory: Path, n: int, seed: int) -> tuple[list[str], str]:
    """Write ``n`` reports to ``directory``; return their paths and a description of the corpus."""
    try:
        from gxparse.synth import make_corpus

        make_corpus(directory, n, seed=seed)
        return find_inputs([str(directory)]), f"synthetic (gxparse.synth.make_corpus, seed={seed})"
    except (ImportError, GxParseError, TypeError, ValueError) as exc:  # synth is still being written
        logging.getLogger("gxparse").warning("make_corpus unavailable (%s); copying dev inputs", exc)
    sources = [DEV / name for name in DEV_INPUTS if (DEV / name).exists()]
    if not sources:
        raise SystemExit(f"no synthetic corpus and no dev corpus at {DEV}")
    paths = []
    for i, src in zip(range(n), itertools.cycle(sources)):
        dest = directory / f"{i:05d}-{src.name}"
        shutil.copyfile(src, dest)
        paths.append(str(dest))
    return paths, f"copies of {len(sources)} dev inputs"


def measure(paths: list[str], n_jobs: int, placer: str) -> tuple[float, Counter[str]]:
    """Parse every path; return the wall time and the count of results by status."""
    counts: Counter[str] = Counter(dict.fromkeys(STATUSES, 0))
    start = time.perf_counter()
    for result in parse_many(paths, n_jobs=n_jobs, placer=placer):
        counts[result.status] += 1
    return time.perf_counter() - start, counts


def default_placer() -> str:
    """The model placer when a model can be loaded, else the rules."""
    try:
        load_model()
    except GxParseError:
        return "rules"
    return "model"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown snippet."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=1000, help="number of reports (default %(default)s)")
    parser.add_argument("--seed", type=int, default=777, help="corpus seed (default %(default)s)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    parser.add_argument("--placer", choices=("model", "rules", "baseline"), default=None,
                        help="default: model if it can be loaded, else rules")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    placer = args.placer or default_placer()
    with tempfile.TemporaryDirectory(prefix="gxparse-bench-") as tmp:
        paths, corpus = make_inputs(Path(tmp), args.n, args.seed)
        list(parse_many(paths[:3], placer=placer))  # warm up: jieba, OpenCC, templates, model
        rows = []
        for n_jobs in args.jobs:
            seconds, counts = measure(paths, n_jobs, placer)
            rows.append((n_jobs, seconds, counts))
            print(f"{n_jobs} worker(s): {len(paths) / seconds:.1f} reports/s", file=sys.stderr)
    base = rows[0][1]
    print(f"Batch throughput on {len(paths)} reports, {corpus}; placer `{placer}`; "
          f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}.\n")
    print("| workers | seconds | reports/s | speed-up | " + " | ".join(STATUSES) + " |")
    print("|---:|---:|---:|---:|" + "---:|" * len(STATUSES))
    for n_jobs, seconds, counts in rows:
        cells = " | ".join(str(counts[s]) for s in STATUSES)
        print(f"| {n_jobs} | {seconds:.1f} | {len(paths) / seconds:.1f} | {base / seconds:.2f}× | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
