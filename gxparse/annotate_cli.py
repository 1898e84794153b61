"""The ``gxparse annotate`` and ``gxparse review`` commands: arguments, printing and exit codes.

``annotate INPUT... -o DIR`` pre-fills annotations (:mod:`gxparse.annotate`);
``annotate --pick N DIR_OR_GLOB...`` says which reports to annotate next (:mod:`gxparse.pick`),
and annotates them too when ``-o`` is given; ``review DIR`` serves the review page
(:mod:`gxparse.review`, needs the ``gxparse[review]`` extra).
"""

from __future__ import annotations

import argparse
import sys

from gxparse.annotate import annotate_paths
from gxparse.batch_run import find_inputs
from gxparse.errors import GxParseError
from gxparse.realign import RealignModel, load_model


def add_annotate_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``gxparse annotate`` to ``parser``."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT_OR_DIR_OR_GLOB",
                        help="report files, directories (walked recursively) or glob patterns")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="annotation directory: each input is copied there beside its pre-filled <id>.json")
    parser.add_argument("--pick", type=int, metavar="N",
                        help="choose the N reports whose annotation would teach the model most and print why "
                             "(with -o, annotate them)")
    parser.add_argument("--known", action="append", default=[], metavar="DIR",
                        help="with --pick: annotated reports already owned (their layouts count as seen); repeatable")
    parser.add_argument("--model", help="realigner model file or directory (default: the packaged model)")
    parser.add_argument("--force", action="store_true", help="overwrite annotations already marked reviewed")


def run_annotate(args: argparse.Namespace) -> int:
    """Run ``gxparse annotate``; return 0, 1 when an input could not be annotated, 2 on usage errors."""
    if args.pick is None and not args.output:
        print("gxparse annotate: give -o DIR (or --pick N)", file=sys.stderr)
        return 2
    if args.pick is not None and args.pick < 1:
        print("gxparse annotate: --pick needs N >= 1", file=sys.stderr)
        return 2
    inputs = find_inputs(args.inputs)
    if not inputs:
        print("gxparse annotate: no input files found", file=sys.stderr)
        return 2
    try:
        model: RealignModel | None = load_model(args.model) if args.model else None
    except GxParseError as exc:
        print(f"gxparse annotate: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if args.pick is not None:
        from gxparse.pick import pick_reports

        picks, skipped = pick_reports(inputs, args.pick, known=args.known, model=model)
        for p in picks:
            print(f"{p.path}\t{p.score:.3f}\t{p.reason}")
        print(f"picked {len(picks)} of {len(inputs)} reports ({len(skipped)} not candidates: "
              "unreadable or without a table)", file=sys.stderr)
        inputs = [p.path for p in picks]
        if not args.output:
            return 0
    failed = 0
    for outcome in annotate_paths(inputs, args.output, model=model, force=args.force):
        if outcome.error:
            failed += 1
            print(f"{outcome.input}: not annotated: {outcome.error}", file=sys.stderr)
        else:
            print(f"{outcome.annotation}\t{outcome.doubtful}/{outcome.cells} cells to review first")
    return 1 if failed else 0


def add_review_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``gxparse review`` to ``parser``."""
    parser.add_argument("directory", metavar="DIR", help="annotation directory (as written by gxparse annotate)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a web browser")


def run_review(args: argparse.Namespace) -> int:
    """Serve the review page until interrupted; return 0, or 2 when the extra or the directory is missing."""
    try:
        from gxparse.review import serve
    except ImportError as exc:
        print(f"gxparse review: needs the review extra (pip install 'gxparse[review]'): {exc}", file=sys.stderr)
        return 2
    try:
        serve(args.directory, port=args.port, open_browser=not args.no_browser)
    except (GxParseError, OSError) as exc:
        print(f"gxparse review: {exc}", file=sys.stderr)
        return 2
    return 0
