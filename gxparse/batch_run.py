"""Parse many reports: one :class:`BatchResult` per input, serially or in worker processes.

A corpus of annual reports is tens of thousands of files of every format and quality. A batch
must therefore never stop on one bad file: :func:`parse_one` turns every outcome, including a
bug in the parser, into a :class:`BatchResult` with a status, and :func:`parse_many` yields
exactly one result per input, in input order, whatever happens in the workers. Results cross
process boundaries as plain dicts (:meth:`Report.to_dict` plus :meth:`Report.to_records`), so
the same per-file function also runs on Dask or any other executor (see ``docs/dask.md``).

Each input is held to a time and a memory limit (:class:`InputBudget`): inside the worker a
timer interrupts the parse and an address-space limit turns an allocation past the budget into a
``MemoryError``, both recorded as a :class:`~gxparse.errors.ResourceLimitError`; a worker that
does not come back in time (stuck in native code) is killed and replaced, and the batch goes on.
"""

from __future__ import annotations

import gc
import glob
import logging
import os
import re
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gxparse.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    GxParseError,
    InternalError,
    ResourceLimitError,
    UnsupportedFormatError,
    typed_errors,
)
from gxparse.links import BatchLinker, may_decide
from gxparse.metadata import extract_metadata
from gxparse.parser import parse_file
from gxparse.realign import load_model
from gxparse.report import FACTS_TABLE, Report

logger = logging.getLogger("gxparse")

Status = Literal["ok", "partial", "no_tables", "error", "skipped"]
STATUSES: tuple[Status, ...] = ("ok", "partial", "no_tables", "error", "skipped")
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx")
"""File suffixes read by their format; a file with another suffix is recognised by its content."""

DEFAULT_TIMEOUT = 60.0
"""Seconds one input may take by default: real reports take well under 5 s, even 40-page PDFs."""
DEFAULT_MAX_MEMORY = 2 * 1024**3
"""Bytes of address space a worker may add by default to what it holds when it starts (~350 MB
for the parser and its model, more when the parent had loaded pyarrow before forking)."""
_KILL_GRACE = 10.0
"""Seconds past twice the time limit after which a worker that has not answered is killed."""
_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class InputBudget:
    """Time and memory one input may use; ``None`` means no limit.

    Attributes
    ----------
    timeout:
        Wall seconds for one input.
    max_memory:
        Bytes of address space a worker process may add to what it holds when it starts
        (``RLIMIT_AS`` set to start + ``max_memory``; in worker processes only). Resident memory
        stays below the address space, so this also bounds a worker's peak RSS.
    """

    timeout: float | None = DEFAULT_TIMEOUT
    max_memory: int | None = DEFAULT_MAX_MEMORY


NO_BUDGET = InputBudget(None, None)


_NOT_A_REPORT = (BinaryInputError, EmptyInputError, EncodingError, UnsupportedFormatError)
"""Errors that make a file of an unknown suffix ``skipped``: its content is no report format."""


class _InputTimeout(BaseException):
    """Raised by the timer inside a parse; a BaseException so that no ``except Exception`` swallows it."""

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
        failed or a table is truncated), ``no_tables`` (read, but no statistical table found),
        ``error`` (the input could not be parsed) or ``skipped`` (a file of an unknown type
        whose content is no report format: an image, an archive, binary data).
    message:
        Why the status is not ``ok``: the failed checks and truncated tables, the parser's
        warning, or ``"<ErrorType>: <message>"``: ``InternalError: internal error while parsing
        …`` for a parser bug, ``ResourceLimitError: …`` for an input over the time or memory
        limit, ``internal error: BrokenProcessPool: …`` when its worker process died.
    seconds:
        Wall time spent on this input (not compared by ``==``).
    data:
        :meth:`Report.to_dict` with provenance, ``None`` on error.
    records:
        :meth:`Report.to_records`: one flat dict per cell.
    report:
        The :class:`Report` itself when parsed in this process or when a cross-year link may decide
        one of its rows (:func:`gxparse.links.may_decide`), else ``None`` (worker results travel as
        plain data); not compared by ``==``.
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
        """Number of table cells read (the records of narrative facts are not cells)."""
        return sum(1 for rec in self.records if rec["table"] != FACTS_TABLE)

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
                   data["records"], data.get("report"))


def parse_one(path: str | os.PathLike[str], *, placer: str = "model", model_path: str | None = None,
              keep_report: bool = True, timeout: float | None = None) -> BatchResult:
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
    timeout:
        Seconds the parse may take (enforced with a timer signal, so only in a process's main
        thread; ignored elsewhere).

    Returns
    -------
    BatchResult
        Status ``error`` with the exception in ``message`` when parsing failed; ``skipped`` when
        a file of an unknown suffix turned out to be no report format.
    """
    source = os.fsdecode(path)
    start = time.perf_counter()
    try:
        with _time_limit(timeout), typed_errors(source):
            report = _parse_report(source, placer, model_path)
            settle_heap()
            status, message = classify(report)
            return BatchResult(source, status, message, time.perf_counter() - start, report.to_dict(),
                               report.to_records(), report if keep_report else None)
    except _InputTimeout:
        message = f"{ResourceLimitError.__name__}: {source} took more than the time limit of {timeout:g} s"
        return BatchResult(source, "error", message, time.perf_counter() - start)
    except GxParseError as exc:
        if isinstance(exc, InternalError):  # a parser bug: costs this input only, logged with its traceback
            logger.error("internal error while parsing %s", source, exc_info=exc.__cause__)
        status = "skipped" if isinstance(exc, _NOT_A_REPORT) and not _supported(source) else "error"
        return BatchResult(source, status, f"{type(exc).__name__}: {exc}", time.perf_counter() - start)


SETTLES_PER_FULL_COLLECTION = 1000
"""Every this many settles the frozen heap is thawed and collected whole (:func:`settle_heap`).

An object frozen while alive (one the caller held across a parse) that later becomes cyclic garbage
is freed only then, so such garbage is bounded by what this many parses leave. The thawed collection
is one pause of 0.1–0.2 s CPU (the loaded state, as the first settle), so ~0.15 ms a report here:
less than the settle itself."""

_settles = 0


def settle_heap() -> None:
    """After each parse: collect the cyclic garbage left since the last call, then move what is alive
    into the collector's permanent generation (:func:`gc.freeze`).

    The first parse loads jieba's dictionary, spaCy and the models (a few hundred thousand objects
    that live as long as the process); later ones fill the content caches (rows, lines, labels) and
    the caller keeps its results. Python's full collections traverse everything not frozen, and in a
    long batch each one paused the report it landed on: 90–170 ms CPU over the loaded state (session
    5), and, with only that frozen, 22–76 ms over what the caches and results had added since (a GC hook
    in the bench of dev + 300 synthetic reports, session 10: six pauses a run, at load 10–14).
    Settled after every parse, a collection only ever traverses what the current parse made: the
    call costs ~0.5 ms a report (the first one 0.1–0.15 s), and no later report pays for earlier ones.
    Nothing is lost: the collection before each freeze frees the garbage cycles made so far (a parse
    leaves ~2), frozen objects are still freed by reference counting when the caches drop them
    (their entries hold no cycles; nor does a dropped :class:`Report`), and every
    :data:`SETTLES_PER_FULL_COLLECTION` settles the whole heap is collected.
    """
    global _settles
    _settles += 1
    if _settles % SETTLES_PER_FULL_COLLECTION == 0:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with :class:`_InputTimeout` after ``seconds`` (main thread only; else no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _expire(signum: int, frame: object) -> None:
    """SIGALRM handler of :func:`_time_limit`."""
    raise _InputTimeout


def parse_one_to_dict(path: str | os.PathLike[str], *, placer: str = "model",
                      model_path: str | None = None, timeout: float | None = None) -> dict[str, Any]:
    """Return :func:`parse_one` as plain data (:meth:`BatchResult.to_dict`): the function to map over workers.

    The :class:`Report` goes along (under ``report``) only when a cross-year link may decide one of its
    rows (:func:`gxparse.links.may_decide`): the batch needs its alternative readings to apply the decision.
    """
    result = parse_one(path, placer=placer, model_path=model_path, keep_report=True, timeout=timeout)
    data = result.to_dict()
    if result.report is not None and may_decide(result.report):
        data["report"] = result.report
    return data


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
               model_path: str | None = None, on_result: Callable[[BatchResult], None] | None = None,
               budget: InputBudget = NO_BUDGET, linker: BatchLinker | None = None) -> Iterator[BatchResult]:
    """Parse many files; yield exactly one :class:`BatchResult` per input, in input order but for the held.

    Cross-year links decide among the readings of a doubtful row (:mod:`gxparse.links`): a result
    whose row a link may decide is held back until every input is parsed, then linked with all the
    others, and yielded last, its chosen cells flagged ``cross_year``. Every other result is yielded
    as soon as it is ready, unchanged.

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
    budget:
        Time and memory per input (none by default). A memory limit needs a worker process, so
        with one it is used even for ``n_jobs=1`` (results then carry no :class:`Report`, but for
        those a cross-year link may decide).
    linker:
        Links the results (default: a fresh :class:`~gxparse.links.BatchLinker`); pass your own to
        read its ``records`` (groups, ``Y-`` checks, decisions) once the iterator is exhausted, or one
        that knows results written earlier (a resumed output).

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
    if workers == 1 and budget.max_memory is None:
        results = (parse_one(s, placer=placer, model_path=model_path, timeout=budget.timeout) for s in sources)
    else:
        results = _Pool(workers, placer, model_path, budget).run(sources)
    linker = BatchLinker() if linker is None else linker
    for result in results:
        if not linker.add(result):
            continue
        if on_result is not None:
            on_result(result)
        yield result
    for result in linker.finish():
        result = _relinked(result)
        if on_result is not None:
            on_result(result)
        yield result


def _relinked(result: BatchResult) -> BatchResult:
    """A held result once linked: its data, records and status from its report, which a decision may have changed."""
    report = result.report
    assert report is not None  # only results with their report are held
    status, message = classify(report)
    return BatchResult(result.source, status, message, result.seconds, report.to_dict(), report.to_records(), report)


def _init_worker(placer: str, model_path: str | None, max_memory: int | None) -> None:
    """Set up a worker process: leave Ctrl-C to the parent, cap its memory, load the realigner once.

    On Ctrl-C the parent stops submitting, cancels what is queued and waits for the few inputs in
    flight, so that its writer can close a valid output that ``--resume`` can continue.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if max_memory is not None:
        limit = _address_space() + max_memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    if placer != "model":
        return
    try:
        load_model(model_path)
    except GxParseError as exc:  # every input will report it; the pool must still start
        logger.warning("worker could not load the model: %s", exc)


def _address_space() -> int:
    """Return the bytes of address space this process holds (Linux ``/proc/self/statm``; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


class _Pool:
    """A process pool with a bounded window of inputs in flight, that survives dead and stuck workers.

    When a worker dies (killed, out of memory, a crash in native code) or does not answer within
    the time limit plus a grace period (it is then killed), every input in flight is lost with
    it: those are re-run one at a time, each in a fresh single-worker pool, so the culprit is
    reported as an error with the reason and the others get their real result.
    """

    def __init__(self, workers: int, placer: str, model_path: str | None, budget: InputBudget) -> None:
        self.workers, self.placer, self.model_path, self.budget = workers, placer, model_path, budget
        # an input marked running may still wait in the call queue behind one input of its worker
        self.hard_limit = 2 * budget.timeout + _KILL_GRACE if budget.timeout else None

    def _new(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                   initargs=(self.placer, self.model_path, self.budget.max_memory))

    def _submit(self, pool: ProcessPoolExecutor, source: str) -> Future[dict[str, Any]]:
        return pool.submit(parse_one_to_dict, source, placer=self.placer, model_path=self.model_path,
                           timeout=self.budget.timeout)

    def run(self, sources: Iterator[str]) -> Iterator[BatchResult]:
        """Yield one result per source, in order."""
        window = self.workers * _IN_FLIGHT_PER_WORKER
        pending: deque[tuple[str, Future[dict[str, Any]]]] = deque()
        started: dict[Future[dict[str, Any]], float] = {}
        pool = self._new(self.workers)
        try:
            while True:
                while len(pending) < window and (source := next(sources, None)) is not None:
                    pending.append((source, self._submit(pool, source)))
                if not pending:
                    return
                source, future = pending[0]
                try:
                    data = self._wait(pool, pending, started)
                    pending.popleft()
                    yield BatchResult.from_dict(data)
                except BrokenProcessPool:
                    stranded = [s for s, _ in pending]
                    pending.clear()
                    started.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    logger.warning("a worker process died or was stopped; re-running %d input(s) one at a time",
                                   len(stranded))
                    yield from (self._isolated(s) for s in stranded)
                    pool = self._new(self.workers)
                except Exception as exc:  # e.g. a result that cannot be unpickled: this input only
                    pending.popleft()
                    logger.error("internal error while collecting %s", source, exc_info=True)
                    yield BatchResult(source, "error", f"internal error: {type(exc).__name__}: {exc}")
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _wait(self, pool: ProcessPoolExecutor, pending: deque[tuple[str, Future[dict[str, Any]]]],
              started: dict[Future[dict[str, Any]], float]) -> dict[str, Any]:
        """Return the head input's result; kill the pool's workers if an input overruns the hard limit."""
        head = pending[0][1]
        while True:
            try:
                return head.result(timeout=_POLL_SECONDS if self.hard_limit else None)
            except FutureTimeout:
                now = time.monotonic()
                running = [future for _, future in pending if future.running()]
                for future in list(started):
                    if future not in running:
                        del started[future]
                if any(now - started.setdefault(f, now) > self.hard_limit for f in running):  # type: ignore[operator]
                    logger.warning("an input overran the time limit and its worker does not answer; killing it")
                    _kill_workers(pool)

    def _isolated(self, source: str) -> BatchResult:
        """Parse one input in its own single-worker pool; a dead or stuck worker makes it an error result."""
        pool = self._new(1)
        try:
            return BatchResult.from_dict(self._submit(pool, source).result(timeout=self.hard_limit))
        except FutureTimeout:
            _kill_workers(pool)
            return BatchResult(source, "error", f"ResourceLimitError: {source} took more than the time limit of "
                                                f"{self.budget.timeout:g} s; its worker was killed and replaced")
        except BrokenProcessPool:
            memory = (f" (over the memory limit of {self.budget.max_memory // 2**20} MB?)"
                      if self.budget.max_memory else "")
            return BatchResult(source, "error", f"internal error: BrokenProcessPool: the worker process died while "
                                                f"parsing this input{memory}")
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL the worker processes of ``pool`` (its futures then fail with BrokenProcessPool)."""
    for process in list((pool._processes or {}).values()):  # no public API lists a pool's workers
        if process.is_alive():
            process.kill()


def find_inputs(patterns: Iterable[str]) -> list[str]:
    """Expand files, directories and glob patterns into a sorted, de-duplicated list of inputs.

    Directories are walked recursively and globs expanded (``**`` allowed). Every file found is
    an input, whatever its suffix: one of :data:`SUPPORTED_SUFFIXES` is read by its format,
    another is recognised by content or recorded as ``skipped`` by :func:`parse_one`, so every
    file is accounted for. Hidden directories (``.git``) are not walked. A plain path is kept as
    given even if missing, so that it gets its own (error) result. A pattern that matches
    nothing is logged.
    """
    found: dict[str, str] = {}
    for pattern in patterns:
        matches = _expand(pattern)
        if not matches:
            logger.warning("%s matches no file", pattern)
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
        paths.extend(_walk(match) if os.path.isdir(match) else [match])
    return paths


def _walk(directory: str) -> list[str]:
    paths: list[str] = []
    for root, dirs, files in os.walk(directory):
        hidden = [d for d in dirs if d.startswith(".")]
        if hidden:
            logger.info("%s: hidden directories not walked: %s", root, ", ".join(hidden))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        paths.extend(os.path.join(root, f) for f in files)
    return paths


def _supported(name: str) -> bool:
    return Path(name).suffix.lower() in SUPPORTED_SUFFIXES
