"""Parse many reports: one :class:`BatchResult` per input, serially or in worker processes.

A corpus of annual reports is tens of thousands of files of every format and quality. A batch
must therefore never stop on one bad file: :func:`parse_one` turns every outcome, including a
bug in the parser, into a :class:`BatchResult` with a status, and :func:`parse_many` yields
exactly one result per input, in input order, whatever happens in the workers. Results cross
process boundaries as plain dicts (:meth:`Report.to_dict` plus :meth:`Report.to_records`), so
the same per-file function also runs on Dask or any other executor (see ``docs/dask.md``).
"""

from __future__ import annotations

import glob
import logging
import os
import re
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Literal

from gxparse.errors import GxParseError
from gxparse.metadata import extract_metadata
from gxparse.parser import parse_file
from gxparse.realign import load_model
from gxparse.report import Report

logger = logging.getLogger("gxparse")

Status = Literal["ok", "partial", "no_tables", "error"]
STATUSES: tuple[Status, ...] = ("ok", "partial", "no_tables", "error")
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx")
"""File suffixes picked up when a directory is walked or a glob is expanded."""

_IN_FLIGHT_PER_WORKER = 4
"""Inputs submitted ahead per worker: enough to keep workers busy, few enough to bound memory."""
_GLOB_CHARS = re.compile(r"[*?[]")
_MESSAGE_CHECKS = 5


@dataclass
class BatchResult:
    """The outcome of parsing one input of a batch.

    Attributes
    ----------
    source:
        The input path exactly as given.
    status:
        ``ok`` (tables found, no identity check failed), ``partial`` (tables found, but a check
        failed or a table is truncated), ``no_tables`` (read, but no statistical table found) or
        ``error`` (the input could not be parsed).
    message:
        Why the status is not ``ok``: the failed checks and truncated tables, the parser's
        warning, or ``"<ExceptionType>: <message>"`` (prefixed ``internal error:`` for an
        exception that is not a :class:`~gxparse.errors.GxParseError`, i.e. a parser bug).
    seconds:
        Wall time spent on this input (not compared by ``==``).
    data:
        :meth:`Report.to_dict` with provenance, ``None`` on error.
    records:
        :meth:`Report.to_records`: one flat dict per cell.
    report:
        The :class:`Report` itself when parsed in this process, else ``None`` (worker results
        travel as plain data); not compared by ``==``.
    """

    source: str
    status: Status
    message: str = ""
    seconds: float = field(default=0.0, compare=False)
    data: dict[str, Any] | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    report: Report | None = field(default=None, repr=False, compare=False)

    @property
    def template(self) -> str | None:
        """The detected template, or ``None``."""
        return self.data.get("template") if self.data else None

    @property
    def n_cells(self) -> int:
        """Number of cells read."""
        return len(self.records)

    @property
    def n_failed_checks(self) -> int:
        """Number of identity checks that failed, soft plausibility checks aside."""
        return sum(1 for check in (self.data or {}).get("checks", ())
                   if check["status"] == "fail" and check.get("level") != "soft")

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data (without ``report``), e.g. to send it between processes."""
        return {"source": self.source, "status": self.status, "message": self.message,
                "seconds": self.seconds, "data": self.data, "records": self.records}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchResult:
        """Rebuild a result from :meth:`to_dict` output."""
        return cls(data["source"], data["status"], data["message"], data["seconds"], data["data"],
                   data["records"])


def parse_one(path: str | os.PathLike[str], *, placer: str = "model", model_path: str | None = None,
              keep_report: bool = True) -> BatchResult:
    """Parse one file into a :class:`BatchResult`; never raises for a bad input.

    Also fills ``agency``, ``report_year`` and ``published`` into :attr:`Report.meta` (see
    :func:`gxparse.metadata.extract_metadata`) so that the records carry them.

    Parameters
    ----------
    path:
        The report file; :attr:`BatchResult.source` is ``os.fsdecode(path)``.
    placer:
        ``"model"``, ``"rules"`` or ``"baseline"``, as for :func:`gxparse.parse`.
    model_path:
        A realigner model file to use instead of the packaged one (``placer="model"`` only).
    keep_report:
        Keep the :class:`Report` on the result; pass ``False`` when the result is sent to another
        process, which needs only the plain data.

    Returns
    -------
    BatchResult
        Status ``error`` with the exception in ``message`` when parsing failed.
    """
    source = os.fsdecode(path)
    start = time.perf_counter()
    try:
        report = _parse_report(source, placer, model_path)
        status, message = classify(report)
        return BatchResult(source, status, message, time.perf_counter() - start, report.to_dict(),
                           report.to_records(), report if keep_report else None)
    except GxParseError as exc:
        return BatchResult(source, "error", f"{type(exc).__name__}: {exc}", time.perf_counter() - start)
    # A parser bug must cost one input, not the batch; it is logged with its traceback.
    except Exception as exc:
        logger.error("internal error while parsing %s", source, exc_info=True)
        return BatchResult(source, "error", f"internal error: {type(exc).__name__}: {exc}",
                           time.perf_counter() - start)


def parse_one_to_dict(path: str | os.PathLike[str], *, placer: str = "model",
                      model_path: str | None = None) -> dict[str, Any]:
    """Return :func:`parse_one` as plain data (:meth:`BatchResult.to_dict`): the function to map over workers."""
    return parse_one(path, placer=placer, model_path=model_path, keep_report=False).to_dict()


def _parse_report(source: str, placer: str, model_path: str | None) -> Report:
    """Parse ``source``; make sure its ``meta`` has the head-of-report metadata."""
    model = load_model(model_path) if placer == "model" else None
    report = parse_file(source, placer=placer, model=model)
    report.source = source
    if "report_year" not in report.meta:  # parse_source fills it in; older parsers did not
        report.meta.update(extract_metadata(report.text, source))
    return report


def classify(report: Report) -> tuple[Status, str]:
    """Return the batch status of a parsed report and the message explaining it.

    ``no_tables`` carries the parser's warnings; ``partial`` names the failed identity checks
    (``id table.scope``, the first few; soft plausibility checks do not count, as for
    :attr:`Report.ok`) and the truncated tables.
    """
    if report.template is None:
        return "no_tables", "; ".join(report.warnings) or "no statistical table found"
    problems = []
    failed = [f"{c.id} {c.table}.{c.scope}" for c in report.checks
              if c.status == "fail" and c.level != "soft"]
    if failed:
        more = f" and {len(failed) - _MESSAGE_CHECKS} more" if len(failed) > _MESSAGE_CHECKS else ""
        problems.append(f"{len(failed)} identity check(s) failed: {', '.join(failed[:_MESSAGE_CHECKS])}{more}")
    truncated = report.meta.get("truncated_tables", [])
    if truncated:
        problems.append(f"truncated table(s): {', '.join(truncated)}")
    return ("partial", "; ".join(problems)) if problems else ("ok", "")


def parse_many(inputs: Iterable[str | os.PathLike[str]], *, n_jobs: int = 1, placer: str = "model",
               model_path: str | None = None,
               on_result: Callable[[BatchResult], None] | None = None) -> Iterator[BatchResult]:
    """Parse many files; yield exactly one :class:`BatchResult` per input, in input order.

    Parameters
    ----------
    inputs:
        Report files; consumed lazily, so a generator over millions of paths is fine.
    n_jobs:
        Worker processes; ``1`` parses in this process (results keep their :class:`Report`),
        ``0`` or less uses one per CPU. Workers load the model once each and send results back
        as plain data; at most a few inputs per worker are in flight, so memory stays bounded.
    placer, model_path:
        As for :func:`parse_one`.
    on_result:
        Called with each result just before it is yielded (progress reporting).

    Yields
    ------
    BatchResult
        Errors included: a failing input, a parser bug or a crashed worker becomes a result with
        status ``error``; the batch goes on.
    """
    if isinstance(inputs, (str, bytes, os.PathLike)):
        raise TypeError("parse_many() takes an iterable of paths, not a single path; use parse_one()")
    sources = (os.fsdecode(path) for path in inputs)
    workers = n_jobs if n_jobs > 0 else (os.cpu_count() or 1)
    results: Iterator[BatchResult]
    if workers == 1:
        results = (parse_one(s, placer=placer, model_path=model_path) for s in sources)
    else:
        results = _parse_in_pool(sources, workers, placer, model_path)
    for result in results:
        if on_result is not None:
            on_result(result)
        yield result


def _init_worker(placer: str, model_path: str | None) -> None:
    """Set up a worker process: leave Ctrl-C to the parent, load the realigner once (it is cached).

    On Ctrl-C the parent stops submitting, cancels what is queued and waits for the few inputs in
    flight, so that its writer can close a valid output that ``--resume`` can continue.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if placer != "model":
        return
    try:
        load_model(model_path)
    except GxParseError as exc:  # every input will report it; the pool must still start
        logger.warning("worker could not load the model: %s", exc)


def _new_pool(workers: int, placer: str, model_path: str | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(placer, model_path))


def _submit(pool: ProcessPoolExecutor, source: str, placer: str, model_path: str | None) -> Future[dict[str, Any]]:
    return pool.submit(parse_one_to_dict, source, placer=placer, model_path=model_path)


def _parse_in_pool(sources: Iterator[str], workers: int, placer: str,
                   model_path: str | None) -> Iterator[BatchResult]:
    """Run :func:`parse_one_to_dict` in a process pool with a bounded window of inputs in flight.

    When a worker dies (killed, out of memory, a crash in native code) every input in flight is
    lost with it: those are then re-run one at a time, each in a fresh single-worker pool, so the
    culprit is reported as an error and the others get their real result.
    """
    window = workers * _IN_FLIGHT_PER_WORKER
    pending: deque[tuple[str, Future[dict[str, Any]]]] = deque()
    pool = _new_pool(workers, placer, model_path)
    try:
        while True:
            while len(pending) < window and (source := next(sources, None)) is not None:
                pending.append((source, _submit(pool, source, placer, model_path)))
            if not pending:
                return
            source, future = pending.popleft()
            try:
                yield BatchResult.from_dict(future.result())
            except BrokenProcessPool:
                stranded = [source] + [s for s, _ in pending]
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                logger.warning("a worker process died; re-running %d input(s) one at a time", len(stranded))
                yield from (_isolated(s, placer, model_path) for s in stranded)
                pool = _new_pool(workers, placer, model_path)
            except Exception as exc:  # e.g. a result that cannot be unpickled: this input only
                logger.error("internal error while collecting %s", source, exc_info=True)
                yield BatchResult(source, "error", f"internal error: {type(exc).__name__}: {exc}")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _isolated(source: str, placer: str, model_path: str | None) -> BatchResult:
    """Parse one input in its own single-worker pool; a dead worker makes it an error result."""
    with _new_pool(1, placer, model_path) as pool:
        try:
            return BatchResult.from_dict(_submit(pool, source, placer, model_path).result())
        except BrokenProcessPool as exc:
            return BatchResult(source, "error", f"internal error: {type(exc).__name__}: the worker process "
                                                "died while parsing this input")


def find_inputs(patterns: Iterable[str]) -> list[str]:
    """Expand files, directories and glob patterns into a sorted, de-duplicated list of inputs.

    Directories are walked recursively (hidden entries skipped) and globs expanded (``**``
    allowed); both keep only :data:`SUPPORTED_SUFFIXES`. A plain path is kept as given even if
    missing or of another suffix, so that it gets its own (error) result. A pattern that matches
    nothing is logged.
    """
    found: dict[str, str] = {}
    for pattern in patterns:
        matches = _expand(pattern)
        if not matches:
            logger.warning("%s matches no supported report file", pattern)
        for path in matches:
            found.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return sorted(found.values())


def _expand(pattern: str) -> list[str]:
    if os.path.isdir(pattern):
        return _walk(pattern)
    if not _GLOB_CHARS.search(pattern):
        return [pattern]
    paths: list[str] = []
    for match in glob.glob(pattern, recursive=True):
        paths.extend(_walk(match) if os.path.isdir(match) else [match] if _supported(match) else [])
    return paths


def _walk(directory: str) -> list[str]:
    paths: list[str] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        paths.extend(os.path.join(root, f) for f in files if not f.startswith(".") and _supported(f))
    return paths


def _supported(name: str) -> bool:
    return name.lower().endswith(SUPPORTED_SUFFIXES)

