"""Write batch results as JSON, JSONL, CSV, Parquet or DuckDB: exclusive, crash-safe, resumable.

Two shapes are written. JSON and JSONL hold one document per input (errors included): the
source, status and message followed by the report dict. CSV, Parquet and DuckDB hold the tidy
long format that analysis wants, as the record tables of :data:`RECORD_TABLES`: ``cells`` (one
row per cell, with its raw text, span, confidence and flags, the value in typed columns),
``reports`` (one row per input, so that errors and reports without tables are not lost),
``checks``, ``facts`` (figures the prose states) and ``warnings``, all keyed by ``report_id``, and
``links``: the cross-year links of the batch (:mod:`gxparse.links`: agency groups, ``Y-`` checks and
decisions), keyed by both reports (``report_id`` and ``other_report_id``). A further per-input record
kind is one more :class:`RecordTable` in that tuple; the writers need no change. JSON and JSONL keep
one document per input and write the link records (``kind`` ``link_group``, ``link_check`` or
``link_decision``) to the companion file ``out.links.json`` / ``out.links.jsonl``.

The links are computed when the batch ends, over every input of the output (on ``--resume``, those
written by the earlier runs too, read back from the output), and written whole by
:meth:`ResultWriter.write_links` just before the output is closed: a run killed before its end
leaves the links of the last run that ended, and the run that resumes it writes them anew.

Every output survives a kill at any moment: ``--resume`` then yields exactly one record per
input, no duplicated row and nothing lost, and re-parses the inputs whose record is an error.

* JSONL is flushed per input; on resume a line cut short is dropped and the file is compacted
  (the last non-error document of each source kept), written aside and moved into place.
* CSV writes one file per record table (``out.csv`` holds the cells, ``out.reports.csv`` and so
  on beside it); an input's rows go to every other table first and its ``reports`` row last, each
  flushed, so a complete ``reports`` row commits the input. On resume every file is compacted to
  the committed inputs.
* Parquet files cannot be appended to: each flush writes one *segment* (a Parquet file per table,
  ``reports`` last, each written aside and renamed) into ``out.parquet.parts/``; closing merges
  the segments into the final files and removes the directory. A report's rows come from the
  last segment that committed it, so a kill during the merge cannot duplicate them.
* DuckDB commits the rows of a group of inputs in one transaction.

An output is locked while written (``<out>.lock``, ``flock``): a second process writing it is
refused. An existing output is replaced only with ``overwrite=True`` (``--overwrite``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib
import io
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import IO, Any, Literal

from gxparse.batch_run import STATUSES, BatchResult
from gxparse.errors import GxParseError, UnsupportedFormatError
from gxparse.report import FACTS_TABLE

logger = logging.getLogger("gxparse")

FORMATS = ("json", "jsonl", "csv", "parquet", "duckdb")
_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
                   ".parquet": "parquet", ".pq": "parquet", ".duckdb": "duckdb", ".db": "duckdb"}
_REPORT_DEFAULTS: dict[str, Any] = {"template": None, "tables": {}, "cells": {}, "checks": [], "warnings": [],
                                    "meta": {}}
_FLUSH_ROWS = 50_000
"""Buffered rows (all tables) that trigger a Parquet segment or a DuckDB transaction: bounds memory."""
_FLUSH_REPORTS = 200
"""Buffered inputs that trigger a Parquet segment or a DuckDB transaction: bounds what a kill re-parses."""
_TAIL_BLOCK = 65_536
_CELL_KEY_SEPARATOR = ";"


class OutputError(GxParseError, OSError):
    """The output cannot be written: it exists (no ``--resume``/``--overwrite``), is locked, or is not writable."""


ColumnType = Literal["string", "int", "float"]


@dataclass(frozen=True)
class RecordTable:
    """One table of the tidy outputs: its name, typed columns and the rows one result contributes.

    Attributes
    ----------
    name:
        Table name in DuckDB, and the companion-file infix for CSV and Parquet
        (``out.<name>.csv``); the ``cells`` table is written to ``out`` itself.
    columns:
        ``(column, type)`` pairs; the first column is always ``report_id``. No SQL reserved words.
    rows:
        The rows of one :class:`BatchResult` in this table, as dicts keyed by column.
    """

    name: str
    columns: tuple[tuple[str, ColumnType], ...]
    rows: Callable[[BatchResult], list[dict[str, Any]]]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(name for name, _ in self.columns)


def format_for(path: str | None) -> str | None:
    """Return the output format implied by the suffix of ``path`` (None if unknown)."""
    return _SUFFIX_FORMATS.get(Path(path).suffix.lower()) if path else None


def table_path(path: str | os.PathLike[str], table: str) -> Path:
    """Return the file of a record table: ``out.parquet`` for cells, ``out.reports.parquet`` for reports..."""
    out = Path(path)
    return out if table == "cells" else out.with_name(f"{out.stem}.{table}{out.suffix}")


def reports_path(path: str | os.PathLike[str]) -> Path:
    """Return the companion file of per-input rows: ``out.parquet`` → ``out.reports.parquet``."""
    return table_path(path, "reports")


def report_id(source: str) -> str:
    """Return a stable 12-hex-digit id of an input path (a join key between the record tables)."""
    return hashlib.sha1(source.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def safe_text(text: str) -> str:
    """Return ``text`` with undecodable file-name bytes (lone surrogates) as ``\\udcXX`` escapes.

    Paths that are not valid UTF-8 (common for archives unpacked from GBK systems) cannot be
    stored in Parquet or DuckDB as they are; every writer stores this form, and resuming compares
    inputs in this form.
    """
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def result_document(result: BatchResult) -> dict[str, Any]:
    """Return the JSON document of one input: source, status, message, seconds, then the report fields."""
    doc: dict[str, Any] = {"source": result.source, "status": result.status, "message": result.message,
                           "seconds": round(result.seconds, 4)}
    doc.update(_REPORT_DEFAULTS)
    doc.update((k, v) for k, v in (result.data or {}).items() if k != "source")
    return doc


def _key(result: BatchResult) -> dict[str, Any]:
    return {"report_id": report_id(result.source), "source": safe_text(result.source)}


def report_row(result: BatchResult) -> dict[str, Any]:
    """Return the ``reports`` row of one input."""
    data = result.data or {}
    meta = data.get("meta", {})
    return {**_key(result), "status": result.status, "message": safe_text(result.message),
            "template": result.template, "agency": meta.get("agency"), "report_year": meta.get("report_year"),
            "published": meta.get("published"), "n_cells": result.n_cells,
            "n_failed_checks": result.n_failed_checks, "n_warnings": len(data.get("warnings", ())),
            "seconds": round(result.seconds, 4)}


def cell_rows(result: BatchResult) -> list[dict[str, Any]]:
    """Return the ``cells`` rows of one input.

    The value is split over typed columns: ``value_int`` for integers, ``value_num`` for every
    number (integers too, as decimals), ``value_text`` for a non-numeric value. ``span_start``/
    ``span_end`` index the report's normalised text, ``source_start``/``source_end`` the original
    input where the report gives them.
    """
    key = _key(result)
    cells = (result.data or {}).get("cells", {})
    rows = []
    for rec in result.records:
        if rec["table"] == FACTS_TABLE:
            continue  # the facts table holds them, with their sentence
        value = rec["value"]
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        cell = cells.get(f"{rec['table']}.{rec['row']}.{rec['col']}", {})
        span = cell.get("span") or (None, None)
        source_span = cell.get("source_span") or (None, None)
        flags = rec["flags"]
        rows.append({**key, "agency": rec.get("agency"), "report_year": rec.get("report_year"),
                     "published": rec.get("published"), "template": rec["template"], "table_key": rec["table"],
                     "row_key": rec["row"], "col_key": rec["col"],
                     "value_int": value if isinstance(value, int) and numeric else None,
                     "value_num": float(value) if numeric else None,
                     "value_text": None if numeric or value is None else str(value),
                     "raw": rec["raw"], "span_start": span[0], "span_end": span[1],
                     "source_start": source_span[0], "source_end": source_span[1],
                     "confidence": rec["confidence"],
                     "flags": flags if isinstance(flags, str) or flags is None else ",".join(flags),
                     "label": rec.get("label")})
    return rows


def check_rows(result: BatchResult) -> list[dict[str, Any]]:
    """Return the ``checks`` rows of one input: one per identity check, with both sides and the cells."""
    return [{**_key(result), "check_id": check.get("id"), "table_key": check.get("table"),
             "scope": check.get("scope"), "status": check.get("status"), "level": check.get("level"),
             "left_value": check.get("left"), "right_value": check.get("right"),
             "cell_keys": _CELL_KEY_SEPARATOR.join(check.get("cells", ())),
             "formula": check.get("formula"), "description": check.get("description")}
            for check in (result.data or {}).get("checks", ())]


def fact_rows(result: BatchResult) -> list[dict[str, Any]]:
    """Return the ``facts`` rows of one input: each figure its prose states, with raw text, span and sentence."""
    rows = []
    for fact in (result.data or {}).get("fact_details", ()):
        value = fact["value"]
        span = fact.get("span") or (None, None)
        rows.append({**_key(result), "fact_key": fact["key"],
                     "value_int": value if isinstance(value, int) and not isinstance(value, bool) else None,
                     "value_num": float(value), "raw": safe_text(fact["raw"]), "unit": fact.get("unit"),
                     "span_start": span[0], "span_end": span[1], "sentence": safe_text(fact.get("sentence") or ""),
                     "flags": ",".join(fact.get("flags") or ())})
    return rows


def warning_rows(result: BatchResult) -> list[dict[str, Any]]:
    """Return the ``warnings`` rows of one input, numbered from 0 in the report's order."""
    return [{**_key(result), "seq": number, "message": safe_text(text)}
            for number, text in enumerate((result.data or {}).get("warnings", ()))]


_LINK_KINDS = {"link_group": "group", "link_check": "check", "link_decision": "decision"}


def link_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the ``links`` rows of a batch's link records (:meth:`gxparse.links.Links.records`).

    A check's row is keyed by its later report (``other_*``: the earlier one), a decision's by the
    report whose row it decided; a group gives one row per member (``agency_key``, the grouping key,
    and the report year), and only a group of two reports or more links anything.
    """
    rows = []
    for record in records:
        kind = _LINK_KINDS[record["kind"]]
        if kind == "group":
            if len(record["sources"]) > 1:
                rows += [{**_link_key(source, None), "record_kind": kind, "agency_key": record["agency_key"],
                          "report_year": year} for source, year in zip(record["sources"], record["years"])]
        elif kind == "check":
            rows.append({**_link_key(record["later"], record["earlier"]), "record_kind": kind, "link_id": record["id"],
                         "agency_key": record["agency_key"], "scope": record["scope"], "status": record["status"],
                         "report_year": record["later_year"], "other_year": record["earlier_year"],
                         "left_value": record["left"], "right_value": record["right"],
                         "cell_keys": _CELL_KEY_SEPARATOR.join(record["cells"])})
        else:
            rows.append({**_link_key(record["source"], record["other"]), "record_kind": kind, "link_id": record["id"],
                         "agency_key": record["agency_key"], "scope": record["row"], "report_year": record["year"],
                         "previous_raw": json.dumps(record["previous"], ensure_ascii=False),
                         "chosen_raw": json.dumps(record["chosen"], ensure_ascii=False),
                         "changed": int(record["changed"])})
    return rows


def _link_documents(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The link records as JSON documents: all but the groups of a single report (they link nothing)."""
    return [r for r in records if r["kind"] != "link_group" or len(r["sources"]) > 1]


def _link_key(source: str | None, other: str | None) -> dict[str, Any]:
    return {"report_id": report_id(source or ""), "source": safe_text(source or ""),
            "other_report_id": report_id(other) if other else None, "other_source": safe_text(other) if other else None}


_KEY_COLUMNS: tuple[tuple[str, ColumnType], ...] = (("report_id", "string"), ("source", "string"))
CELLS = RecordTable("cells", _KEY_COLUMNS + (
    ("agency", "string"), ("report_year", "int"), ("published", "string"), ("template", "string"),
    ("table_key", "string"), ("row_key", "string"), ("col_key", "string"), ("value_int", "int"),
    ("value_num", "float"), ("value_text", "string"), ("raw", "string"), ("span_start", "int"),
    ("span_end", "int"), ("source_start", "int"), ("source_end", "int"), ("confidence", "float"),
    ("flags", "string"), ("label", "string")), cell_rows)
CHECKS = RecordTable("checks", _KEY_COLUMNS + (
    ("check_id", "string"), ("table_key", "string"), ("scope", "string"), ("status", "string"),
    ("level", "string"), ("left_value", "float"), ("right_value", "float"), ("cell_keys", "string"),
    ("formula", "string"), ("description", "string")), check_rows)
FACTS = RecordTable("facts", _KEY_COLUMNS + (
    ("fact_key", "string"), ("value_int", "int"), ("value_num", "float"), ("raw", "string"), ("unit", "string"),
    ("span_start", "int"), ("span_end", "int"), ("sentence", "string"), ("flags", "string")), fact_rows)
WARNINGS = RecordTable("warnings", _KEY_COLUMNS + (("seq", "int"), ("message", "string")), warning_rows)
REPORTS = RecordTable("reports", _KEY_COLUMNS + (
    ("status", "string"), ("message", "string"), ("template", "string"), ("agency", "string"),
    ("report_year", "int"), ("published", "string"), ("n_cells", "int"), ("n_failed_checks", "int"),
    ("n_warnings", "int"), ("seconds", "float")), lambda result: [report_row(result)])
LINKS = RecordTable("links", _KEY_COLUMNS + (
    ("other_report_id", "string"), ("other_source", "string"), ("record_kind", "string"), ("link_id", "string"),
    ("agency_key", "string"), ("scope", "string"), ("status", "string"), ("report_year", "int"),
    ("other_year", "int"), ("left_value", "float"), ("right_value", "float"), ("cell_keys", "string"),
    ("previous_raw", "string"), ("chosen_raw", "string"), ("changed", "int")),
    lambda result: [])  # no input has links of its own: write_links writes them when the batch ends
RECORD_TABLES: tuple[RecordTable, ...] = (CELLS, CHECKS, FACTS, WARNINGS, LINKS, REPORTS)
"""The tables of the tidy outputs, ``reports`` last: its row commits an input."""
CELL_COLUMNS = CELLS.column_names
REPORT_COLUMNS = REPORTS.column_names


def output_files(fmt: str, path: str | os.PathLike[str]) -> list[Path]:
    """Return every file or directory an output of ``fmt`` at ``path`` consists of (existing or not)."""
    if fmt in ("json", "jsonl"):
        return [Path(path), table_path(path, LINKS.name)]
    if fmt == "duckdb":
        return [Path(path), Path(f"{path}.wal")]
    files = [table_path(path, table.name) for table in RECORD_TABLES]
    return files + [_parts_dir(Path(path))] if fmt == "parquet" else files


class ResultWriter:
    """Base of the writers: ``write`` each result, then ``close`` (or use as a context manager).

    Attributes
    ----------
    done:
        The sources (in :func:`safe_text` form) an output opened with ``resume=True`` already holds
        with a status other than ``error``: the inputs a resumed run skips.
    """

    done: frozenset[str] = frozenset()

    def write(self, result: BatchResult) -> None:
        """Write one result."""
        raise NotImplementedError

    def write_links(self, records: list[dict[str, Any]]) -> None:
        """Write the batch's link records (:meth:`gxparse.links.Links.records`), replacing any written
        before; called once, after the last result and before :meth:`close`."""
        raise NotImplementedError

    def close(self) -> None:
        """Flush and close the output; the output is complete only after this."""

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def check_output(fmt: str, path: str | None, *, resume: bool = False, overwrite: bool = False) -> None:
    """Validate an output before any work: format, file needed, resumable, directory writable, not in the way.

    Raises
    ------
    UnsupportedFormatError
        Unknown format, a format that needs a file, resuming JSON or standard output, or a
        missing extra (pyarrow, duckdb).
    OutputError
        The output exists and neither ``resume`` nor ``overwrite`` is given, or its directory
        is missing or not writable.
    """
    if fmt not in FORMATS:
        raise UnsupportedFormatError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if resume and overwrite:
        raise UnsupportedFormatError("--resume and --overwrite exclude each other")
    if path is None:
        if fmt in ("parquet", "duckdb"):
            raise UnsupportedFormatError(f"{fmt} output needs a file: give -o OUT")
        if resume:
            raise UnsupportedFormatError("--resume needs -o OUT")
        return
    if resume and fmt == "json":
        raise UnsupportedFormatError("cannot resume a JSON array; use JSONL, CSV, Parquet or DuckDB to resume")
    if fmt in ("parquet", "duckdb"):
        _import_extra("pyarrow", fmt)
        if fmt == "duckdb":
            _import_extra("duckdb", fmt)
    directory = Path(path).resolve().parent
    if not directory.is_dir():
        raise OutputError(f"cannot write {path}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK):
        raise OutputError(f"cannot write {path}: directory {directory} is not writable")
    existing = [str(f) for f in output_files(fmt, path) if f.exists()]
    if existing and not (resume or overwrite):
        raise OutputError(f"{existing[0]} exists; give --resume to continue it or --overwrite to replace it")


def open_writer(fmt: str, path: str | None, *, resume: bool = False, overwrite: bool = False,
                single: bool = False) -> ResultWriter:
    """Return a writer of ``fmt`` to ``path`` (standard output when ``path`` is None), holding its lock.

    Parameters
    ----------
    fmt:
        One of :data:`FORMATS`.
    path:
        The output file; CSV and Parquet also write :func:`table_path` files beside it. Parquet
        and DuckDB need a path.
    resume:
        Continue an existing output: recover it from a kill (drop what no input committed,
        compact), and keep in :attr:`ResultWriter.done` the inputs recorded without error.
    overwrite:
        Replace an existing output (without it, an existing output is an error).
    single:
        For ``json``: write one object instead of an array (the output of a single input).

    Raises
    ------
    UnsupportedFormatError, OutputError
        As :func:`check_output`; OutputError also when another process holds the output's lock.
    """
    check_output(fmt, path, resume=resume, overwrite=overwrite)
    if path is None:
        return _JsonWriter(None, single) if fmt == "json" else _JsonlWriter(None, False) if fmt == "jsonl" \
            else _CsvWriter(None, False)
    lock = _OutputLock(Path(path))
    try:
        if overwrite:
            _remove(output_files(fmt, path))
        writer: ResultWriter
        if fmt == "json":
            writer = _JsonWriter(path, single)
        elif fmt == "jsonl":
            writer = _JsonlWriter(path, resume)
        elif fmt == "csv":
            writer = _CsvWriter(path, resume)
        elif fmt == "parquet":
            writer = _ParquetWriter(Path(path), resume)
        else:
            writer = _DuckDBWriter(Path(path), resume)
    except BaseException:
        lock.release()
        raise
    return _Locked(writer, lock)


def read_done_sources(fmt: str, path: str) -> set[str]:
    """Return the sources (in :func:`safe_text` form) an output holds with a status other than ``error``.

    Reads without changing the output; an output that does not exist yet holds none.
    """
    out = Path(path)
    if fmt == "jsonl":
        return {source for source, doc in _jsonl_last_documents(out).items() if doc["status"] != "error"}
    if fmt == "csv":
        return {row["source"] for row in _csv_committed(out).values() if row["status"] != "error"}
    if fmt == "parquet":
        return {row["source"] for row in _ParquetSegments(out).committed().values() if row["status"] != "error"}
    if fmt == "duckdb":
        return _duckdb_done(out) if out.exists() else set()
    raise UnsupportedFormatError(f"cannot resume a {fmt} output; use JSONL, CSV, Parquet or DuckDB")


_LINKED_TABLES = ("applications", "active_disclosure", "legacy_indicators")
"""The tables whose cells cross-year links read (:mod:`gxparse.links`)."""


def written_link_data(fmt: str, path: str) -> list[dict[str, Any]]:
    """Return, for the inputs an output holds without error, what cross-year linking reads.

    Each is a :meth:`Report.to_dict`-shaped dict (``source``, ``template``, ``meta`` with ``agency``
    and ``report_year``, ``tables`` with the cells of the linked tables), so that a resumed batch
    links its new inputs with the ones written before. Reads without changing the output.
    """
    out = Path(path)
    if fmt == "jsonl":
        return [doc for doc in _jsonl_last_documents(out).values() if doc["status"] != "error"]
    if fmt == "csv":
        reports = {rid: row for rid, row in _csv_committed(out).items() if row["status"] != "error"}
        return _link_data(reports, _csv_rows(table_path(out, "cells"), CELLS))
    if fmt == "parquet":
        segments = _ParquetSegments(out)
        reports = {rid: row for rid, row in segments.committed().items() if row["status"] != "error"}
        cells = (row for index, segment in enumerate(segments.segments) for chunk in segments._chunks(segment, CELLS)
                 for row in chunk.to_pylist() if reports.get(row["report_id"], {}).get("_segment") == index)
        return _link_data(reports, cells)
    if fmt == "duckdb":
        if not out.exists():
            return []
        duckdb = _import_extra("duckdb", "duckdb")
        with duckdb.connect(str(out), read_only=True) as con:
            names = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if "reports" not in names:
                return []
            reports = {row["report_id"]: row for row in _sql_rows(con, "SELECT * FROM reports WHERE status <> 'error'")}
            tables = ", ".join(f"'{t}'" for t in _LINKED_TABLES)
            return _link_data(reports, _sql_rows(con, f"SELECT * FROM cells WHERE table_key IN ({tables})"))
    return []


def _sql_rows(con: Any, query: str) -> list[dict[str, Any]]:
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _link_data(reports: dict[str, dict[str, Any]], cells: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rebuild linking data from ``reports`` rows and ``cells`` rows (typed, or text as CSV has them),
    with each cell's confidence and flags (:func:`gxparse.links.report_from_data` reads which rows are doubtful)."""
    data = {rid: {"source": row["source"], "template": row["template"] or None, "tables": {}, "cells": {},
                  "meta": {"agency": row["agency"] or None, "report_year": _int_or_none(row["report_year"])}}
            for rid, row in reports.items() if row["agency"] and row["report_year"] not in (None, "")}
    for cell in cells:
        doc = data.get(cell["report_id"])
        if doc is not None and cell["table_key"] in _LINKED_TABLES:
            rows = doc["tables"].setdefault(cell["table_key"], {})
            rows.setdefault(cell["row_key"], {})[cell["col_key"]] = _cell_value(cell)
            address = f"{cell['table_key']}.{cell['row_key']}.{cell['col_key']}"
            doc["cells"][address] = {"confidence": cell["confidence"], "flags": cell["flags"]}
    return list(data.values())


def _int_or_none(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _cell_value(cell: dict[str, Any]) -> Any:
    """The value of a ``cells`` row from its typed columns (CSV holds them as text)."""
    if cell["value_int"] not in (None, ""):
        return int(cell["value_int"])
    if cell["value_num"] not in (None, ""):
        return float(cell["value_num"])
    return cell["value_text"] or None


def _import_extra(module: str, extra: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UnsupportedFormatError(f"{extra} output needs {module.split('.')[0]}: "
                                     f"pip install 'gxparse[{extra}]'") from exc


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


class _OutputLock:
    """An exclusive ``flock`` on ``<out>.lock`` for as long as the output is written."""

    def __init__(self, out: Path) -> None:
        import fcntl

        self.path = out.with_name(out.name + ".lock")
        self._file = open(self.path, "a+")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._file.close()
            raise OutputError(f"{out} is being written by another process (lock {self.path} is held)") from exc

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
        self._file.close()


class _Locked(ResultWriter):
    """A writer that releases the output's lock once closed."""

    def __init__(self, writer: ResultWriter, lock: _OutputLock) -> None:
        self._writer, self._lock = writer, lock
        self.done = writer.done

    def write(self, result: BatchResult) -> None:
        self._writer.write(result)

    def write_links(self, records: list[dict[str, Any]]) -> None:
        self._writer.write_links(records)

    def close(self) -> None:
        try:
            self._writer.close()
        finally:
            self._lock.release()


def _replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write a new version of ``path`` aside with ``write`` and move it into place (never half-written)."""
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


class _TextOutput:
    """A UTF-8 text output: a file, or standard output (left open).

    Lone surrogates (undecodable file names in messages) are written as ``\\udcXX``, which is
    a valid JSON escape inside a string, so the output stays UTF-8 and JSON round-trips them.
    """

    def __init__(self, path: str | Path | None, mode: str) -> None:
        if path is not None:
            self.out: IO[str] = open(path, mode, encoding="utf-8", errors="backslashreplace", newline="")
            self._finish: Callable[[], Any] = self.out.close
        elif hasattr(sys.stdout, "buffer"):  # bypass the locale's encoding of standard output
            sys.stdout.flush()
            wrapper = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="backslashreplace",
                                       newline="", write_through=True)
            self.out, self._finish = wrapper, wrapper.detach
        else:  # a text-only stream (e.g. captured by a test)
            self.out, self._finish = sys.stdout, sys.stdout.flush

    def close(self) -> None:
        self.out.flush()
        self._finish()


def _write_link_file(out: Path | None, text: str, any_link: bool) -> None:
    """Replace the link companion of a JSON or JSONL output (none for standard output; none written
    when nothing links and none was there, so that a one-report output stays one file)."""
    if out is None:
        return
    companion = table_path(out, LINKS.name)
    if any_link or companion.exists():
        _replace_atomically(companion, lambda tmp: tmp.write_text(text, encoding="utf-8"))


class _JsonWriter(ResultWriter):
    """A pretty JSON array of documents, or the single document of a one-input batch.

    A file is written aside and moved into place on close: a killed run leaves no half array.
    """

    def __init__(self, path: str | None, single: bool) -> None:
        self._path = Path(path) if path is not None else None
        self._tmp = self._path.with_name(self._path.name + ".tmp") if self._path is not None else None
        self._text = _TextOutput(self._tmp, "w")
        self._single = single
        self._count = 0

    def write(self, result: BatchResult) -> None:
        text = json.dumps(result_document(result), ensure_ascii=False, indent=1)
        if self._single:
            self._text.out.write(text + "\n")
        else:
            self._text.out.write(("[\n" if self._count == 0 else ",\n") + text)
        self._count += 1

    def write_links(self, records: list[dict[str, Any]]) -> None:
        documents = _link_documents(records)
        _write_link_file(self._path, json.dumps(documents, ensure_ascii=False, indent=1) + "\n", bool(documents))

    def close(self) -> None:
        if not self._single:
            self._text.out.write("\n]\n" if self._count else "[]\n")
        self._text.close()
        if self._path is not None and self._tmp is not None:
            os.replace(self._tmp, self._path)


class _JsonlWriter(ResultWriter):
    """One JSON document per line, flushed per input so that a killed run can be resumed."""

    def __init__(self, path: str | None, resume: bool) -> None:
        if resume and path is not None and os.path.exists(path):
            kept = {s: doc for s, doc in _jsonl_last_documents(Path(path)).items() if doc["status"] != "error"}
            _replace_atomically(Path(path), lambda tmp: tmp.write_text(
                "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in kept.values()), encoding="utf-8"))
            self.done = frozenset(kept)
        self._path = Path(path) if path is not None else None
        self._text = _TextOutput(path, "a" if resume else "w")

    def write(self, result: BatchResult) -> None:
        self._text.out.write(json.dumps(result_document(result), ensure_ascii=False) + "\n")
        self._text.out.flush()

    def write_links(self, records: list[dict[str, Any]]) -> None:
        documents = _link_documents(records)
        _write_link_file(self._path, "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), bool(documents))

    def close(self) -> None:
        self._text.close()


def _complete_text(path: Path) -> Iterator[str]:
    """Yield the lines of a text output up to its last newline (a line cut by a kill is left out)."""
    with open(path, "rb") as f:
        size = end = f.seek(0, os.SEEK_END)
        pos = end
        while pos > 0:  # find the last newline, reading backwards
            start = max(0, pos - _TAIL_BLOCK)
            f.seek(start)
            newline = f.read(pos - start).rfind(b"\n")
            if newline >= 0:
                end = start + newline + 1
                break
            pos = start
        else:
            end = 0
        if end < size:
            logger.warning("%s: an incomplete last line is dropped", path)
        f.seek(0)
        stream = io.TextIOWrapper(io.BufferedReader(_Bounded(f, end)), encoding="utf-8", errors="replace",
                                  newline="")
        yield from stream


class _Bounded(io.RawIOBase):
    """The first ``end`` bytes of a binary file, as a raw stream."""

    def __init__(self, f: IO[bytes], end: int) -> None:
        self._f, self._left = f, end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._f.read(min(len(buffer), self._left))
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def _jsonl_last_documents(path: Path) -> dict[str, dict[str, Any]]:
    """Return the last complete document of each source in a JSONL output (none if it does not exist)."""
    documents: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return documents
    for number, line in enumerate(_complete_text(path), 1):
        try:
            doc = json.loads(line)
            documents[safe_text(doc["source"])] = doc
        except (ValueError, KeyError, TypeError):
            logger.warning("%s:%d: not a result document, ignored", path, number)
    return documents


class _CsvWriter(ResultWriter):
    """One CSV file per record table; an input's ``reports`` row, written last, commits it."""

    def __init__(self, path: str | None, resume: bool) -> None:
        tables = RECORD_TABLES if path is not None else (CELLS,)
        if resume and path is not None:
            self.done = frozenset(_compact_csv(Path(path)))
        self._streams: list[tuple[RecordTable, _TextOutput, csv.DictWriter[str]]] = []
        for table in tables:
            file = table_path(path, table.name) if path is not None else None
            stream = _TextOutput(file, "a" if resume else "w")
            writer = csv.DictWriter(stream.out, fieldnames=table.column_names, extrasaction="ignore")
            if file is None or not resume or os.path.getsize(file) == 0:
                writer.writeheader()
            self._streams.append((table, stream, writer))

    def write(self, result: BatchResult) -> None:
        for table, stream, writer in self._streams:
            writer.writerows(table.rows(result))
            stream.out.flush()

    def write_links(self, records: list[dict[str, Any]]) -> None:
        for table, stream, writer in self._streams:
            if table is LINKS:
                writer.writerows(link_rows(records))
                stream.out.flush()

    def close(self) -> None:
        for _, stream, _ in self._streams:
            stream.close()


def _csv_rows(path: Path, table: RecordTable) -> Iterator[dict[str, str]]:
    """Yield the complete rows of one CSV table file (a row cut by a kill is left out)."""
    if not path.exists():
        return
    reader = csv.reader(_complete_text(path))
    header = next(reader, None)
    if header is None:
        return
    try:
        for fields in reader:
            if len(fields) == len(header):
                yield dict(zip(header, fields))
    except csv.Error:  # an unterminated quote: the cut last row
        return


def _csv_committed(out: Path) -> dict[str, dict[str, str]]:
    """Return the last complete ``reports`` row of each input of a CSV output, by report_id."""
    return {row["report_id"]: row for row in _csv_rows(table_path(out, "reports"), REPORTS)
            if row.get("status") in STATUSES}


def _compact_csv(out: Path) -> set[str]:
    """Rewrite a CSV output to the inputs committed without error; return their sources.

    Rows of inputs not committed (cut by a kill) or committed as errors (to be re-parsed) are
    dropped from every table; ``reports`` is rewritten last.
    """
    kept = {rid: row for rid, row in _csv_committed(out).items() if row["status"] != "error"}
    for table in RECORD_TABLES:
        file = table_path(out, table.name)
        rows = kept.values() if table is REPORTS else () if table is LINKS else (  # links: written anew at the end
            row for row in _csv_rows(file, table) if row.get("report_id") in kept)

        def write(tmp: Path, table: RecordTable = table, rows: Any = rows) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=table.column_names, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows)
        _replace_atomically(file, write)
    return {row["source"] for row in kept.values()}


def _arrow_schema(table: RecordTable) -> Any:
    pa = _import_extra("pyarrow", "parquet")
    types = {"string": pa.string(), "int": pa.int64(), "float": pa.float64()}
    return pa.schema([(name, types[kind]) for name, kind in table.columns])


class _Buffers:
    """Rows of a few inputs waiting to be written together, per record table."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {table.name: [] for table in RECORD_TABLES}
        self.n_inputs = 0
        self.n_rows = 0

    def add(self, result: BatchResult) -> None:
        for table in RECORD_TABLES:
            rows = table.rows(result)
            self.rows[table.name].extend(rows)
            self.n_rows += len(rows)
        self.n_inputs += 1

    @property
    def full(self) -> bool:
        return self.n_inputs >= _FLUSH_REPORTS or self.n_rows >= _FLUSH_ROWS

    def take(self) -> dict[str, Any]:
        """Return the buffered rows as one Arrow table per record table and empty the buffers."""
        pa = _import_extra("pyarrow", "parquet")
        tables = {table.name: pa.Table.from_pylist(self.rows[table.name], schema=_arrow_schema(table))
                  for table in RECORD_TABLES}
        self.__init__()  # type: ignore[misc]
        return tables


def _parts_dir(out: Path) -> Path:
    return out.with_name(out.name + ".parts")


class _ParquetSegments:
    """The committed state of a Parquet output: the final files, then the segments in ``out.parquet.parts/``.

    A segment is committed once its ``reports`` file exists (it is renamed into place last). The
    rows of a report come from the last committed segment holding its ``reports`` row.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        parts = _parts_dir(out)
        numbers = sorted(int(p.name.split(".")[0]) for p in parts.glob("*.reports.parquet")) if parts.is_dir() else []
        self.segments: list[dict[str, Path]] = [{t.name: table_path(out, t.name) for t in RECORD_TABLES}]
        self.segments += [{t.name: parts / f"{n:06d}.{t.name}.parquet" for t in RECORD_TABLES} for n in numbers]
        self.next_number = (numbers[-1] + 1) if numbers else 1

    @staticmethod
    def _chunks(segment: dict[str, Path], table: RecordTable) -> Iterator[Any]:
        """Yield a segment's rows of ``table`` as Arrow tables of the current schema, a row group at a time."""
        pq = _import_extra("pyarrow.parquet", "parquet")
        pa = _import_extra("pyarrow", "parquet")
        file = segment[table.name]
        if file.exists():
            for batch in pq.ParquetFile(file).iter_batches():
                yield pa.Table.from_batches([batch]).select(list(table.column_names)).cast(_arrow_schema(table))

    def committed(self) -> dict[str, dict[str, Any]]:
        """Return the last ``reports`` row of each report_id, with ``_segment``, the index it comes from."""
        rows: dict[str, dict[str, Any]] = {}
        for index, segment in enumerate(self.segments):
            for chunk in self._chunks(segment, REPORTS):
                for row in chunk.to_pylist():
                    rows[row["report_id"]] = {**row, "_segment": index}
        return rows

    def merge(self, keep: Callable[[dict[str, Any]], bool]) -> None:
        """Write the final files from all segments (the winning rows of the reports ``keep`` accepts), drop the parts."""
        pq = _import_extra("pyarrow.parquet", "parquet")
        pa = _import_extra("pyarrow", "parquet")
        pc = _import_extra("pyarrow.compute", "parquet")
        winners = {rid: row["_segment"] for rid, row in self.committed().items() if keep(row)}
        tmp_files = []
        for table in RECORD_TABLES:
            if table is LINKS:  # not in the segments: written whole by write_links
                continue
            tmp = table_path(self.out, table.name)
            tmp = tmp.with_name(tmp.name + ".tmp")
            with pq.ParquetWriter(tmp, _arrow_schema(table)) as writer:
                for index, segment in enumerate(self.segments):
                    ids = pa.array([rid for rid, seg in winners.items() if seg == index], pa.string())
                    for chunk in self._chunks(segment, table):
                        writer.write_table(chunk.filter(pc.is_in(chunk.column("report_id"), value_set=ids)))
            tmp_files.append((tmp, table_path(self.out, table.name)))
        for tmp, final in tmp_files:  # reports last
            os.replace(tmp, final)
        shutil.rmtree(_parts_dir(self.out), ignore_errors=True)


class _BufferedWriter(ResultWriter):
    """A writer that collects the rows of a group of inputs (:class:`_Buffers`) and writes them at once
    (:meth:`_flush`), so that a group is committed whole or not at all."""

    _buffers: _Buffers

    def write(self, result: BatchResult) -> None:
        self._buffers.add(result)
        if self._buffers.full:
            self._flush()

    def _flush(self) -> None:
        raise NotImplementedError


class _ParquetWriter(_BufferedWriter):
    """Segments of a few hundred inputs into ``out.parquet.parts/``, merged into the final files on close."""

    def __init__(self, path: Path, resume: bool) -> None:
        self._segments = _ParquetSegments(path)
        if resume:  # fold in what a killed run left, dropping error records so they are re-parsed
            self._segments.merge(keep=lambda row: row["status"] != "error")
            self._segments = _ParquetSegments(path)
            self.done = frozenset(row["source"] for row in self._segments.committed().values())
        self._buffers = _Buffers()
        self._parts = _parts_dir(path)

    def _flush(self) -> None:
        """Write the buffered inputs as one segment: a file per table, each written aside then renamed, reports last."""
        if not self._buffers.n_inputs:
            return
        pq = _import_extra("pyarrow.parquet", "parquet")
        self._parts.mkdir(exist_ok=True)
        number = self._segments.next_number
        self._segments.next_number += 1
        for name, data in self._buffers.take().items():
            final = self._parts / f"{number:06d}.{name}.parquet"
            _replace_atomically(final, lambda tmp, data=data: pq.write_table(data, tmp))

    def write_links(self, records: list[dict[str, Any]]) -> None:
        pq = _import_extra("pyarrow.parquet", "parquet")
        pa = _import_extra("pyarrow", "parquet")
        data = pa.Table.from_pylist(link_rows(records), schema=_arrow_schema(LINKS))
        _replace_atomically(table_path(self._segments.out, LINKS.name), lambda tmp: pq.write_table(data, tmp))

    def close(self) -> None:
        self._flush()
        _ParquetSegments(self._segments.out).merge(keep=lambda row: True)
        if not table_path(self._segments.out, LINKS.name).exists():  # a run stopped before its links
            self.write_links([])


def _sql_type(kind: ColumnType) -> str:
    return {"string": "VARCHAR", "int": "BIGINT", "float": "DOUBLE"}[kind]


class _DuckDBWriter(_BufferedWriter):
    """One DuckDB table per record table; the rows of a group of inputs are committed in one transaction."""

    def __init__(self, path: Path, resume: bool) -> None:
        duckdb = _import_extra("duckdb", "duckdb")
        self._con = duckdb.connect(str(path))
        self._con.execute("BEGIN TRANSACTION")
        for table in RECORD_TABLES:
            if not resume:
                self._con.execute(f"DROP TABLE IF EXISTS {table.name}")
            cols = ", ".join(f"{name} {_sql_type(kind)}" for name, kind in table.columns)
            self._con.execute(f"CREATE TABLE IF NOT EXISTS {table.name} ({cols})")
            existing = {row[0] for row in self._con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table.name]).fetchall()}
            for name, kind in table.columns:  # an output written by an older version
                if name not in existing:
                    self._con.execute(f"ALTER TABLE {table.name} ADD COLUMN {name} {_sql_type(kind)}")
        if resume:  # error records are re-parsed: drop them, and any row of theirs
            for table in RECORD_TABLES:
                self._con.execute(f"DELETE FROM {table.name} WHERE report_id IN "
                                  "(SELECT report_id FROM reports WHERE status = 'error')")
            self.done = frozenset(row[0] for row in self._con.execute("SELECT source FROM reports").fetchall())
        self._con.execute("COMMIT")
        self._buffers = _Buffers()

    def _flush(self) -> None:
        """Insert the buffered rows of every table in one transaction: a report row means all its rows are in."""
        if not self._buffers.n_inputs:
            return
        self._con.execute("BEGIN TRANSACTION")
        for name, data in self._buffers.take().items():
            self._con.register("_gx_rows", data)
            self._con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _gx_rows")
            self._con.unregister("_gx_rows")
        self._con.execute("COMMIT")

    def write_links(self, records: list[dict[str, Any]]) -> None:
        pa = _import_extra("pyarrow", "parquet")
        self._flush()
        self._con.execute("BEGIN TRANSACTION")
        self._con.execute(f"DELETE FROM {LINKS.name}")
        self._con.register("_gx_rows", pa.Table.from_pylist(link_rows(records), schema=_arrow_schema(LINKS)))
        self._con.execute(f"INSERT INTO {LINKS.name} BY NAME SELECT * FROM _gx_rows")
        self._con.unregister("_gx_rows")
        self._con.execute("COMMIT")

    def close(self) -> None:
        self._flush()
        self._con.close()


def _duckdb_done(path: Path) -> set[str]:
    duckdb = _import_extra("duckdb", "duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "reports" not in tables:
            return set()
        return {row[0] for row in con.execute("SELECT source FROM reports WHERE status <> 'error'").fetchall()}
