"""The ``gxparse parse`` command: parse files, directories and globs; write JSON, JSONL, CSV, Parquet or DuckDB.

This is the command-line layer over :func:`gxparse.batch.parse_many`: it expands the inputs,
checks everything that would make every input fail (output path, model, optional extras) before
any work, takes the output's lock, shows a progress bar when a person is watching, prints a
closing summary by status and sets the exit code (0 when no input errored, 1 otherwise, 2 for a
usage or configuration problem or nothing to do, 130 when interrupted by Ctrl-C, after closing a
valid output).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from gxparse.batch_run import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    STATUSES,
    BatchResult,
    InputBudget,
    find_inputs,
    parse_many,
)
from gxparse.errors import GxParseError, UnsupportedFormatError
from gxparse.links import BatchLinker
from gxparse.outputs import FORMATS, check_output, format_for, open_writer, safe_text, written_link_data

_EXTRAS_BY_SUFFIX = {".pdf": ("pdfplumber", "pdf"), ".docx": ("docx", "docx")}
_MB = 2**20


def add_parse_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``gxparse parse`` to ``parser``."""
    parser.add_argument("inputs", nargs="+", metavar="DIR_OR_GLOB_OR_FILE",
                        help="report files (.txt .md .html .htm .shtml .xhtml .pdf .docx), directories "
                             "(walked recursively) or glob patterns")
    parser.add_argument("-o", "--output", help="output file (default: standard output)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="output format (default: from the -o suffix, else json); csv and parquet also write "
                             "one row per input beside OUT (cells.csv -> cells.reports.csv), duckdb the tables "
                             "cells and reports")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="worker processes (default 1; 0 = one per CPU)")
    parser.add_argument("--resume", action="store_true",
                        help="continue OUT (jsonl, csv, parquet, duckdb) after a stop or a kill: skip the inputs "
                             "recorded without error, parse the others (errors included) again")
    parser.add_argument("--overwrite", action="store_true", help="replace OUT if it exists (default: refuse)")
    parser.add_argument("--timeout", type=_non_negative(float), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time limit per input; an input over it is recorded as an error (default %(default)g; "
                             "0 = none)")
    parser.add_argument("--max-memory", type=_non_negative(int), default=DEFAULT_MAX_MEMORY // _MB, metavar="MB",
                        help="memory a worker process may add to what it holds at start (address space), in MB; an "
                             "input over it is recorded as an error and the batch goes on; parsing then always runs "
                             "in worker processes "
                             "(default %(default)d; 0 = none, and -j 1 parses in this process)")
    parser.add_argument("--placer", choices=("model", "rules", "baseline"), default="model",
                        help="cell placement: the trained realigner (default), rules only, or naive reading order")
    parser.add_argument("--model", default=None, help="realigner model file (default: the packaged one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")


def _non_negative(kind: type[int] | type[float]) -> Any:
    """Return an argparse type that accepts only numbers of ``kind`` that are 0 or more."""
    def convert(text: str) -> int | float:
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
        return value
    return convert


def run_parse(args: argparse.Namespace) -> int:
    """Parse every input, write one result per input; return 0, 1 if any input errored, 2 on usage errors.

    Ctrl-C stops the run cleanly: the results so far are written and closed (exit code 130).
    """
    fmt = args.format or format_for(args.output) or "json"
    try:
        check_output(fmt, args.output, resume=args.resume, overwrite=args.overwrite)
        inputs = find_inputs(args.inputs)
        if not inputs:
            raise UnsupportedFormatError("no input files found: nothing to do")
        _check_configuration(inputs, args)
        known = written_link_data(fmt, args.output) if args.resume and args.output else []
        writer = open_writer(fmt, args.output, resume=args.resume, overwrite=args.overwrite,
                             single=len(inputs) == 1)
    except (GxParseError, OSError) as exc:
        print(f"gxparse parse: {exc}", file=sys.stderr)
        return 2
    todo = _skip_done(inputs, writer.done, args) if args.resume else inputs
    summary = _Summary()
    linker = BatchLinker(known)
    bar = _progress_bar(len(todo), args.quiet)
    budget = InputBudget(args.timeout or None, args.max_memory * _MB or None)
    try:
        for result in parse_many(todo, n_jobs=args.jobs, placer=args.placer, model_path=args.model,
                                 budget=budget, linker=linker):
            writer.write(result)
            summary.add(result)
            if bar is not None:
                bar.update()
        writer.write_links(linker.records)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if bar is not None:
            bar.close()
        writer.close()
    if not args.quiet and (len(inputs) > 1 or args.output):
        print(summary.text(), file=sys.stderr)
    if summary.interrupted:
        print(f"gxparse parse: interrupted after {summary.total} input(s)"
              + ("; rerun with --resume to continue" if args.output and fmt != "json" else ""), file=sys.stderr)
        return 130
    return 1 if summary.counts["error"] else 0


def _check_configuration(inputs: list[str], args: argparse.Namespace) -> None:
    """Fail before any work on what would make a whole class of inputs fail: the model, a missing extra."""
    if args.placer == "model":
        from gxparse.realign import load_model

        load_model(args.model)
    for suffix, (module, extra) in _EXTRAS_BY_SUFFIX.items():
        count = sum(1 for source in inputs if Path(source).suffix.lower() == suffix)
        if count and importlib.util.find_spec(module) is None:
            raise UnsupportedFormatError(f"{count} {suffix} input(s) need {module}: pip install 'gxparse[{extra}]'")


def _skip_done(inputs: list[str], done: frozenset[str], args: argparse.Namespace) -> list[str]:
    """Drop the inputs already recorded without error in the output (``--resume``)."""
    todo = [s for s in inputs if safe_text(s) not in done]
    if not args.quiet:
        print(f"resume: {len(inputs) - len(todo)} of {len(inputs)} input(s) already in {args.output}",
              file=sys.stderr)
    return todo


def _progress_bar(total: int, quiet: bool) -> Any:
    """Return a tqdm bar on standard error when a person is watching it, else None."""
    if quiet or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety
        return None
    return tqdm(total=total, file=sys.stderr, unit="report", dynamic_ncols=True)


class _Summary:
    """Counts by status, failed identities and throughput of a run."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter(dict.fromkeys(STATUSES, 0))
        self.failed_checks = 0
        self.reports_failing = 0
        self.interrupted = False
        self.start = time.perf_counter()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, result: BatchResult) -> None:
        self.counts[result.status] += 1
        self.failed_checks += result.n_failed_checks
        self.reports_failing += result.n_failed_checks > 0

    def text(self) -> str:
        seconds = time.perf_counter() - self.start
        rate = self.total / seconds if seconds > 0 else 0.0
        counts = ", ".join(f"{self.counts[s]} {s}" for s in STATUSES)
        return (f"parsed {self.total} input(s) in {seconds:.1f} s ({rate:.1f} reports/s): {counts}; "
                f"{self.failed_checks} failed identity check(s) in {self.reports_failing} report(s)")
