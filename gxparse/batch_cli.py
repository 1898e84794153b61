"""The ``gxparse parse`` command: parse files, directories and globs; write JSON, JSONL, CSV, Parquet or DuckDB.

This is the command-line layer over :func:`gxparse.batch.parse_many`: it expands the inputs,
picks the output writer, shows a progress bar when a person is watching, prints a closing
summary and sets the exit code (0 when no input errored, 1 otherwise, 2 for a usage problem,
130 when interrupted by Ctrl-C, after closing a valid output).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from typing import Any

from gxparse.batch_run import STATUSES, BatchResult, find_inputs, parse_many
from gxparse.errors import UnsupportedFormatError
from gxparse.links import LinkCollector
from gxparse.outputs import FORMATS, format_for, open_writer, read_done_sources, safe_text


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
                        help="skip inputs already in OUT (jsonl, csv, parquet, duckdb) and append the others")
    parser.add_argument("--placer", choices=("model", "rules", "baseline"), default="model",
                        help="cell placement: the trained realigner (default), rules only, or naive reading order")
    parser.add_argument("--model", default=None, help="realigner model file (default: the packaged one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")


def run_parse(args: argparse.Namespace) -> int:
    """Parse every input, write one result per input; return 0, 1 if any input errored, 2 on usage errors.

    Ctrl-C stops the run cleanly: the results so far are written and closed (exit code 130).
    """
    inputs = find_inputs(args.inputs)
    if not inputs:
        print("gxparse parse: no input files found", file=sys.stderr)
        return 2
    fmt = args.format or format_for(args.output) or "json"
    try:
        todo = _skip_done(inputs, fmt, args) if args.resume else inputs
        writer = open_writer(fmt, args.output, append=args.resume, single=len(inputs) == 1)
    except (UnsupportedFormatError, OSError) as exc:
        print(f"gxparse parse: {exc}", file=sys.stderr)
        return 2
    summary = _Summary()
    linker = LinkCollector()
    bar = _progress_bar(len(todo), args.quiet)
    try:
        for result in parse_many(todo, n_jobs=args.jobs, placer=args.placer, model_path=args.model):
            writer.write(result)
            linker.add(result)
            summary.add(result)
            if bar is not None:
                bar.update()
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if bar is not None:
            bar.close()
        writer.close()
    _write_links(linker, args.output)
    if not args.quiet and (len(inputs) > 1 or args.output):
        print(summary.text(), file=sys.stderr)
    if summary.interrupted:
        print(f"gxparse parse: interrupted after {summary.total} input(s)"
              + ("; rerun with --resume to continue" if args.output and fmt != "json" else ""), file=sys.stderr)
        return 130
    return 1 if summary.counts["error"] else 0


def _write_links(linker: LinkCollector, output: str | None) -> None:
    """Write the cross-year link records of the batch as JSON lines to ``<output>.links.jsonl``.

    A sidecar file until the batch outputs take record kinds of their own; with ``--resume`` only
    the inputs of this run are linked. Nothing is written when no two reports of one agency link.
    """
    records = linker.records()
    if output and any(r["kind"] != "link_group" or len(r["sources"]) > 1 for r in records):
        with open(f"{output}.links.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _skip_done(inputs: list[str], fmt: str, args: argparse.Namespace) -> list[str]:
    """Drop the inputs already recorded in the output (``--resume``)."""
    if args.output is None:
        raise UnsupportedFormatError("--resume needs -o OUT")
    done = read_done_sources(fmt, args.output)
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
