"""The ``gxparse`` command line: parse, show, bench, train, check-data, annotate, review.

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

from gxparse import __version__, bench
from gxparse.annotate_cli import add_annotate_arguments, add_review_arguments, run_annotate, run_review
from gxparse.batch_cli import add_parse_arguments, run_parse
from gxparse.errors import DataError

# train (scikit-learn) and check_data are imported inside their commands: ``gxparse parse`` must start fast.


def _cmd_train(args: argparse.Namespace) -> int:
    from gxparse import train

    out = Path(args.output)
    parent = out.resolve().parent
    if not (parent.is_dir() and os.access(parent, os.W_OK)):  # fail before minutes of training
        print(f"gxparse train: cannot write {out}: {parent} is not a writable directory", file=sys.stderr)
        return 2
    synthetic = train.DEFAULT_SYNTHETIC if args.synthetic is None else args.synthetic
    try:
        model = train.train_from_paths(args.data, synthetic=synthetic, seed=args.seed, name=out.name,
                                       progress=lambda msg: print(msg, file=sys.stderr),
                                       include_unreviewed=args.include_unreviewed)
    except DataError as exc:
        print(f"gxparse train: {exc}", file=sys.stderr)
        return 1
    path = model.save(out)
    print(json.dumps({"model": str(path), "metrics": model.meta["metrics"], "stats": model.meta["stats"]},
                     ensure_ascii=False, indent=1))
    return 0


def _cmd_check_data(args: argparse.Namespace) -> int:
    from gxparse import check_data

    problems = check_data.check_paths(args.data, include_unreviewed=args.include_unreviewed)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _cmd_show(args: argparse.Namespace) -> int:
    """Print each input as a grid; an unreadable input prints its error and makes the exit code 1."""
    from gxparse.errors import GxParseError
    from gxparse.parser import parse_file

    status = 0
    for n, path in enumerate(args.inputs):
        if n:
            print("=" * 40)
        try:
            print(parse_file(path, placer=args.placer).show(), end="")
        except GxParseError as exc:
            print(f"{path}: {type(exc).__name__}: {exc}")
            status = 1
    return status


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

    p_show = sub.add_parser("show", help="print reports' tables as printed, with doubtful cells, failed checks and warnings")
    p_show.add_argument("inputs", nargs="+", metavar="FILE", help="report files (.txt .md .html .pdf .docx)")
    p_show.add_argument("--placer", choices=("model", "rules", "baseline"), default="model",
                        help="cell placement (default %(default)s)")
    p_show.set_defaults(func=_cmd_show)

    p_bench = sub.add_parser("bench", help="measure accuracy and speed on annotated reports")
    bench.add_arguments(p_bench)
    p_bench.set_defaults(func=bench.run_cli)

    p_train = sub.add_parser("train", help="retrain the realigner on annotated reports (+ synthetic ones)")
    p_train.add_argument("data", nargs="+", help="annotated reports: gold JSON files or directories of them")
    p_train.add_argument("-o", "--output", required=True, help="output model directory, e.g. models/realign")
    p_train.add_argument("--synthetic", type=_non_negative_int, default=None,
                         help="number of synthetic reports to add (default: train.DEFAULT_SYNTHETIC)")
    p_train.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    p_train.add_argument("--include-unreviewed", action="store_true",
                         help="also train on pre-filled annotations nobody has reviewed yet")
    p_train.set_defaults(func=_cmd_train)

    p_check = sub.add_parser("check-data", help="validate annotations: keys, identities, inputs present")
    p_check.add_argument("data", nargs="+", help="gold JSON files or directories of them")
    p_check.add_argument("--include-unreviewed", action="store_true",
                         help="do not count annotations not reviewed yet as problems")
    p_check.set_defaults(func=_cmd_check_data)

    p_annotate = sub.add_parser("annotate", help="pre-fill annotations to review; --pick N: what to annotate next")
    add_annotate_arguments(p_annotate)
    p_annotate.set_defaults(func=run_annotate)

    p_review = sub.add_parser("review", help="review and correct annotations in a local web page")
    add_review_arguments(p_review)
    p_review.set_defaults(func=run_review)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
