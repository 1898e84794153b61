"""The ``gxparse`` command line: parse, show, bench, train, check-data, annotate, review.

Each subcommand is a thin wrapper over a library function that returns data; the CLI alone
configures logging, prints, and sets exit codes (0 ok, 1 data or benchmark failure, 2 usage).
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from gxparse import __version__
from gxparse.errors import DataError

# Each subcommand's module (the batch layer and writers, bench, annotate, training with scikit-learn)
# is imported only when that subcommand is built or run: ``gxparse parse FILE`` must start fast.


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


def _add_parse(parser: argparse.ArgumentParser) -> None:
    from gxparse.batch_cli import add_parse_arguments, run_parse

    add_parse_arguments(parser)
    parser.set_defaults(func=run_parse)


def _add_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="report files (.txt .md .html .pdf .docx)")
    parser.add_argument("--placer", choices=("model", "rules", "baseline"), default="model",
                        help="cell placement (default %(default)s)")
    parser.set_defaults(func=_cmd_show)


def _add_bench(parser: argparse.ArgumentParser) -> None:
    from gxparse import bench

    bench.add_arguments(parser)
    parser.set_defaults(func=bench.run_cli)


def _add_train(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="+", help="annotated reports: gold JSON files or directories of them")
    parser.add_argument("-o", "--output", required=True, help="output model directory, e.g. models/realign")
    parser.add_argument("--synthetic", type=_non_negative_int, default=None,
                        help="number of synthetic reports to add (default: train.DEFAULT_SYNTHETIC)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    parser.add_argument("--include-unreviewed", action="store_true",
                        help="also train on pre-filled annotations nobody has reviewed yet")
    parser.set_defaults(func=_cmd_train)


def _add_check_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="+", help="gold JSON files or directories of them")
    parser.add_argument("--include-unreviewed", action="store_true",
                        help="do not count annotations not reviewed yet as problems")
    parser.set_defaults(func=_cmd_check_data)


def _add_annotate(parser: argparse.ArgumentParser) -> None:
    from gxparse.annotate_cli import add_annotate_arguments, run_annotate

    add_annotate_arguments(parser)
    parser.set_defaults(func=run_annotate)


def _add_review(parser: argparse.ArgumentParser) -> None:
    from gxparse.annotate_cli import add_review_arguments, run_review

    add_review_arguments(parser)
    parser.set_defaults(func=run_review)


_SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "parse": ("parse reports into tables (JSON, JSONL, CSV, Parquet, DuckDB)", _add_parse),
    "show": ("print reports' tables as printed, with doubtful cells, failed checks and warnings", _add_show),
    "bench": ("measure accuracy and speed on annotated reports", _add_bench),
    "train": ("retrain the realigner on annotated reports (+ synthetic ones)", _add_train),
    "check-data": ("validate annotations: keys, identities, inputs present", _add_check_data),
    "annotate": ("pre-fill annotations to review; --pick N: what to annotate next", _add_annotate),
    "review": ("review and correct annotations in a local web page", _add_review),
}
"""Subcommand -> (help line, function adding its arguments and its ``func``; it imports the command's module)."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the ``gxparse`` command.

    Every subcommand is listed; with ``only``, only that subcommand's arguments are built (and its
    module imported), which is all :func:`main` needs to parse one command line.
    """
    parser = argparse.ArgumentParser(prog="gxparse", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("--version", action="version", version=f"gxparse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_line, add_arguments) in _SUBCOMMANDS.items():
        subparser = sub.add_parser(name, help=help_line)
        if only is None or only == name:
            add_arguments(subparser)
    return parser


def _requested_subcommand(argv: Sequence[str]) -> str:
    """The subcommand named on a command line: its first word that is not an option ("" if none).

    The options before a subcommand (``-v``, ``--version``, ``-h``) take no value, so the first
    other word is the subcommand (or a mistake that argparse reports).
    """
    return next((word for word in argv if not word.startswith("-")), "")


@cache
def _freeze_objects_at_exit() -> None:
    """Have the interpreter's exit skip the garbage collection of every object loaded (registered once).

    At exit CPython runs full collections over everything alive: after a parse that is the ~10^6
    objects of spaCy, thinc, pydantic and numpy, and it took 1.2–1.6 s of a 5–9 s ``gxparse parse
    --max-memory 0`` run at load 6 (0.2–0.4 s of the default run, whose parse happens in a worker
    process); frozen (``gc.freeze``) they are not traversed and the exit took 0.15 s resp. 0.1 s.
    Nothing is lost: the commands close their outputs themselves, and Python never promises to
    finalise the objects still alive at exit. ``atexit`` runs before those collections.
    """
    atexit.register(gc.freeze)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _freeze_objects_at_exit()
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(only=_requested_subcommand(words)).parse_args(words)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
