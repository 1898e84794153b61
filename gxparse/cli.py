"""The ``gxparse`` command line: parse, bench, train, check-data.

Each subcommand is a thin wrapper over a library function that returns data; the CLI alone
configures logging, prints, and sets exit codes (0 ok, 1 data or benchmark failure, 2 usage).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gxparse import __version__, bench, check_data, train
from gxparse.batch import add_parse_arguments, run_parse


def _cmd_train(args: argparse.Namespace) -> int:
    out = Path(args.output)
    parent = out.resolve().parent
    if not (parent.is_dir() and os.access(parent, os.W_OK)):  # fail before minutes of training
        print(f"gxparse train: cannot write {out}: {parent} is not a writable directory", file=sys.stderr)
        return 2
    model = train.train_from_paths(args.data, synthetic=args.synthetic, seed=args.seed, name=out.name,
                                   progress=lambda msg: print(msg, file=sys.stderr))
    path = model.save(out)
    print(json.dumps({"model": str(path), "metrics": model.meta["metrics"], "stats": model.meta["stats"]},
                     ensure_ascii=False, indent=1))
    return 0


def _cmd_check_data(args: argparse.Namespace) -> int:
    problems = check_data.check_paths(args.data)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _non_negative_int(text: str) -> int:
    """An argparse type: an integer that is 0 or more."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``gxparse`` command."""
    parser = argparse.ArgumentParser(prog="gxparse", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("--version", action="version", version=f"gxparse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p_parse = sub.add_parser("parse", help="parse reports into tables (JSON, JSONL, CSV, Parquet, DuckDB)")
    add_parse_arguments(p_parse)
    p_parse.set_defaults(func=run_parse)

    p_bench = sub.add_parser("bench", help="measure accuracy and speed on annotated reports")
    bench.add_arguments(p_bench)
    p_bench.set_defaults(func=bench.run_cli)

    p_train = sub.add_parser("train", help="retrain the realigner on annotated reports (+ synthetic ones)")
    p_train.add_argument("data", nargs="+", help="annotated reports: gold JSON files or directories of them")
    p_train.add_argument("-o", "--output", required=True, help="output model directory, e.g. models/realign")
    p_train.add_argument("--synthetic", type=_non_negative_int, default=train.DEFAULT_SYNTHETIC,
                         help="number of synthetic reports to add (default %(default)s)")
    p_train.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    p_train.set_defaults(func=_cmd_train)

    p_check = sub.add_parser("check-data", help="validate annotations: keys, identities, inputs present")
    p_check.add_argument("data", nargs="+", help="gold JSON files or directories of them")
    p_check.set_defaults(func=_cmd_check_data)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
