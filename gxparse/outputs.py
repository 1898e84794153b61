"""Write batch results as JSON, JSONL, CSV, Parquet or DuckDB, and read back which inputs are done.

Two shapes are written. JSON and JSONL hold one document per input (errors included): the
source, status and message followed by the report dict. CSV, Parquet and DuckDB hold the tidy
long format that analysis wants: a ``cells`` table, one row per cell, and a ``reports`` table, one
row per input (so that errors and reports without tables are not lost). Writers stream: memory
holds at most one flush of rows, whatever the size of the batch.

Parquet is written to a temporary file and moved into place on :meth:`ResultWriter.close`; JSONL
is flushed after every input and DuckDB commits every few hundred, so those two lose little when
a run is killed and ``--resume`` picks up where they stopped.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, TracebackType
from typing import IO, Any

from gxparse.batch_run import BatchResult
from gxparse.errors import UnsupportedFormatError

logger = logging.getLogger("gxparse")

FORMATS = ("json", "jsonl", "csv", "parquet", "duckdb")
_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
                   ".parquet": "parquet", ".pq": "parquet", ".duckdb": "duckdb", ".db": "duckdb"}
CELL_COLUMNS = ("report_id", "source", "agency", "report_year", "published", "template", "table", "row", "col",
                "value", "value_text", "raw", "confidence", "flags", "label")
"""Columns of the ``cells`` table (CSV has no ``value_text``: its ``value`` column is text)."""
REPORT_COLUMNS = ("report_id", "source", "status", "message", "template", "agency", "report_year", "published",
                  "n_cells", "n_failed_checks", "seconds")
"""Columns of the ``reports`` table: one row per input."""
_INT_COLUMNS = {"report_year", "n_cells", "n_failed_checks"}
_FLOAT_COLUMNS = {"value", "confidence", "seconds"}
_REPORT_DEFAULTS: dict[str, Any] = {"template": None, "tables": {}, "cells": {}, "checks": [], "warnings": [],
                                    "meta": {}}
_FLUSH_ROWS = 50_000
_DUCKDB_FLUSH_REPORTS = 200
_TAIL_BLOCK = 65_536


def format_for(path: str | None) -> str | None:
    """Return the output format implied by the suffix of ``path`` (None if unknown)."""
    return _SUFFIX_FORMATS.get(Path(path).suffix.lower()) if path else None


def reports_path(path: str | os.PathLike[str]) -> Path:
    """Return the companion file of per-input rows: ``out.parquet`` → ``out.reports.parquet``."""
    out = Path(path)
    return out.with_name(f"{out.stem}.reports{out.suffix}")


def report_id(source: str) -> str:
    """Return a stable 12-hex-digit id of an input path (a join key between cells and reports)."""
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


def report_row(result: BatchResult) -> dict[str, Any]:
    """Return the ``reports`` row of one input."""
    meta = (result.data or {}).get("meta", {})
    return {"report_id": report_id(result.source), "source": safe_text(result.source), "status": result.status,
            "message": safe_text(result.message), "template": result.template, "agency": meta.get("agency"),
            "report_year": meta.get("report_year"), "published": meta.get("published"),
            "n_cells": result.n_cells, "n_failed_checks": result.n_failed_checks,
            "seconds": round(result.seconds, 4)}


def cell_rows(result: BatchResult) -> list[dict[str, Any]]:
    """Return the ``cells`` rows of one input: ``value`` a float (or None), ``value_text`` for non-numbers."""
    rid, source = report_id(result.source), safe_text(result.source)
    rows = []
    for rec in result.records:
        value = rec["value"]
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        rows.append({"report_id": rid, "source": source, "agency": rec.get("agency"),
                     "report_year": rec.get("report_year"), "published": rec.get("published"),
                     "template": rec["template"], "table": rec["table"], "row": rec["row"], "col": rec["col"],
                     "value": float(value) if numeric else None,
                     "value_text": None if numeric or value is None else str(value),
                     "raw": rec["raw"], "confidence": rec["confidence"], "flags": rec["flags"],
                     "label": rec.get("label")})
    return rows


class ResultWriter:
    """Base of the writers: ``write`` each result, then ``close`` (or use as a context manager)."""

    def write(self, result: BatchResult) -> None:
        """Write one result."""
        raise NotImplementedError

    def close(self) -> None:
        """Flush and close the output; the output is complete only after this."""

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def open_writer(fmt: str, path: str | None, *, append: bool = False, single: bool = False) -> ResultWriter:
    """Return a writer of ``fmt`` to ``path`` (standard output when ``path`` is None).

    Parameters
    ----------
    fmt:
        One of :data:`FORMATS`.
    path:
        The output file; CSV and Parquet also write :func:`reports_path` beside it. Parquet and
        DuckDB need a path.
    append:
        Add to an existing output (``--resume``) instead of replacing it; not for ``json``.
    single:
        For ``json``: write one object instead of an array (the output of a single input).

    Raises
    ------
    UnsupportedFormatError
        Unknown format, a format that needs a file, appending to JSON, or a missing extra
        (pyarrow, duckdb).
    """
    if fmt not in FORMATS:
        raise UnsupportedFormatError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in ("parquet", "duckdb") and path is None:
        raise UnsupportedFormatError(f"{fmt} output needs a file: give -o OUT")
    if append and fmt == "json":
        raise UnsupportedFormatError("cannot append to a JSON array; use JSONL, CSV, Parquet or DuckDB to resume")
    if fmt == "json":
        return _JsonWriter(path, single)
    if fmt == "jsonl":
        return _JsonlWriter(path, append)
    if fmt == "csv":
        return _CsvWriter(path, append)
    if fmt == "parquet":
        return _ParquetWriter(Path(path), append)  # type: ignore[arg-type]
    return _DuckDBWriter(Path(path), append)  # type: ignore[arg-type]


def read_done_sources(fmt: str, path: str) -> set[str]:
    """Return the sources (in :func:`safe_text` form) already in an output, for ``--resume``.

    Read from the JSONL documents, the CSV or Parquet :func:`reports_path` file, or the DuckDB
    ``reports`` table; an output that does not exist yet holds none.
    """
    out = Path(path)
    if fmt == "jsonl":
        return _jsonl_sources(out) if out.exists() else set()
    if fmt == "csv":
        return _csv_sources(reports_path(out)) if reports_path(out).exists() else set()
    if fmt == "parquet":
        if not reports_path(out).exists():
            return set()
        pq = _import_extra("pyarrow.parquet", "parquet")
        return set(pq.read_table(reports_path(out), columns=["source"]).column("source").to_pylist())
    if fmt == "duckdb":
        return _duckdb_sources(out) if out.exists() else set()
    raise UnsupportedFormatError(f"cannot resume a {fmt} output; use JSONL, CSV, Parquet or DuckDB")


def _import_extra(module: str, extra: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UnsupportedFormatError(f"{extra} output needs {module.split('.')[0]}: "
                                     f"pip install 'gxparse[{extra}]'") from exc


class _TextOutput:
    """A UTF-8 text output: a file, or standard output (left open).

    Lone surrogates (undecodable file names in messages) are written as ``\\udcXX``, which is
    a valid JSON escape inside a string, so the output stays UTF-8 and JSON round-trips them.
    """

    def __init__(self, path: str | None, mode: str) -> None:
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


class _JsonWriter(ResultWriter):
    """A pretty JSON array of documents, or the single document of a one-input batch."""

    def __init__(self, path: str | None, single: bool) -> None:
        self._text = _TextOutput(path, "w")
        self._single = single
        self._count = 0

    def write(self, result: BatchResult) -> None:
        text = json.dumps(result_document(result), ensure_ascii=False, indent=1)
        if self._single:
            self._text.out.write(text + "\n")
        else:
            self._text.out.write(("[\n" if self._count == 0 else ",\n") + text)
        self._count += 1

    def close(self) -> None:
        if not self._single:
            self._text.out.write("\n]\n" if self._count else "[]\n")
        self._text.close()


class _JsonlWriter(ResultWriter):
    """One JSON document per line, flushed per input so that a killed run can be resumed."""

    def __init__(self, path: str | None, append: bool) -> None:
        if append and path is not None and os.path.exists(path):
            _drop_partial_line(Path(path))
        self._text = _TextOutput(path, "a" if append else "w")

    def write(self, result: BatchResult) -> None:
        self._text.out.write(json.dumps(result_document(result), ensure_ascii=False) + "\n")
        self._text.out.flush()

    def close(self) -> None:
        self._text.close()


def _drop_partial_line(path: Path) -> None:
    """Truncate a JSONL file after its last newline (a line cut short when a run was killed)."""
    with open(path, "rb+") as f:
        end = f.seek(0, os.SEEK_END)
        pos = end
        while pos > 0:
            start = max(0, pos - _TAIL_BLOCK)
            f.seek(start)
            block = f.read(pos - start)
            if pos == end and block.endswith(b"\n"):
                return
            newline = block.rfind(b"\n")
            if newline >= 0:
                f.truncate(start + newline + 1)
                logger.warning("%s: dropped an incomplete last line", path)
                return
            pos = start
        f.truncate(0)


def _jsonl_sources(path: Path) -> set[str]:
    sources = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            try:
                sources.add(safe_text(json.loads(line)["source"]))
            except (ValueError, KeyError, TypeError):
                logger.warning("%s:%d: not a result document, ignored", path, number)
    return sources


class _CsvWriter(ResultWriter):
    """Cells to ``path`` (``value`` as text), one row per input to :func:`reports_path`."""

    _CELL_FIELDS = tuple(c for c in CELL_COLUMNS if c != "value_text")

    def __init__(self, path: str | None, append: bool) -> None:
        self._streams = [_TextOutput(path, "a" if append else "w")]
        self._cells = self._dict_writer(self._streams[0].out, self._CELL_FIELDS, path, append)
        self._reports = None
        if path is not None:
            companion = str(reports_path(path))
            self._streams.append(_TextOutput(companion, "a" if append else "w"))
            self._reports = self._dict_writer(self._streams[1].out, REPORT_COLUMNS, companion, append)

    @staticmethod
    def _dict_writer(out: IO[str], fields: tuple[str, ...], path: str | None, append: bool) -> csv.DictWriter[str]:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        if not (append and path is not None and os.path.getsize(path) > 0):
            writer.writeheader()
        return writer

    def write(self, result: BatchResult) -> None:
        for row in cell_rows(result):
            numeric = row["value"]
            row["value"] = row["value_text"] if numeric is None else _number_text(numeric)
            self._cells.writerow(row)
        if self._reports is not None:
            self._reports.writerow(report_row(result))

    def close(self) -> None:
        for stream in self._streams:
            stream.close()


def _number_text(value: float) -> str:
    """Write ``12.0`` as ``12`` and other numbers as Python prints them."""
    return str(int(value)) if value.is_integer() else repr(value)


def _csv_sources(path: Path) -> set[str]:
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return {row["source"] for row in csv.DictReader(f) if row.get("source")}


class _RowBuffer:
    """Rows waiting to be written, turned into Arrow tables of a fixed schema."""

    def __init__(self, columns: tuple[str, ...], extra: str) -> None:
        self._pa = _import_extra("pyarrow", extra)
        pa = self._pa
        self.schema = pa.schema([(c, pa.int64() if c in _INT_COLUMNS else pa.float64() if c in _FLOAT_COLUMNS
                                  else pa.string()) for c in columns])
        self.rows: list[dict[str, Any]] = []

    def take(self) -> Any:
        """Return the buffered rows as an Arrow table and empty the buffer."""
        table = self._pa.Table.from_pylist(self.rows, schema=self.schema)
        self.rows = []
        return table


class _ParquetFile:
    """One Parquet output written to ``<path>.tmp`` (after the old rows when appending), then moved."""

    def __init__(self, path: Path, columns: tuple[str, ...], append: bool) -> None:
        pq = _import_extra("pyarrow.parquet", "parquet")
        self.path, self.tmp = path, path.with_name(path.name + ".tmp")
        self.buffer = _RowBuffer(columns, "parquet")
        self.writer = pq.ParquetWriter(self.tmp, self.buffer.schema)
        if append and path.exists():
            for batch in pq.ParquetFile(path).iter_batches():
                self.writer.write_batch(batch.select(list(columns)).cast(self.buffer.schema))

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.buffer.rows.extend(rows)
        if len(self.buffer.rows) >= _FLUSH_ROWS:
            self.writer.write_table(self.buffer.take())

    def close(self) -> None:
        if self.buffer.rows:
            self.writer.write_table(self.buffer.take())
        self.writer.close()
        os.replace(self.tmp, self.path)


class _ParquetWriter(ResultWriter):
    """Cells to ``path``, one row per input to :func:`reports_path`."""

    def __init__(self, path: Path, append: bool) -> None:
        self._cells = _ParquetFile(path, CELL_COLUMNS, append)
        self._reports = _ParquetFile(reports_path(path), REPORT_COLUMNS, append)

    def write(self, result: BatchResult) -> None:
        self._cells.add(cell_rows(result))
        self._reports.add([report_row(result)])

    def close(self) -> None:
        self._cells.close()
        self._reports.close()


_SQL_TYPES = {"report_year": "BIGINT", "n_cells": "BIGINT", "n_failed_checks": "BIGINT", "value": "DOUBLE",
              "confidence": "DOUBLE", "seconds": "DOUBLE"}


def _create_table_sql(name: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(f'"{c}" {_SQL_TYPES.get(c, "VARCHAR")}' for c in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} ({cols})"


class _DuckDBWriter(ResultWriter):
    """Tables ``cells`` and ``reports`` in a DuckDB database, committed together every few hundred inputs."""

    def __init__(self, path: Path, append: bool) -> None:
        duckdb = _import_extra("duckdb", "duckdb")
        self._con = duckdb.connect(str(path))
        if not append:
            self._con.execute("DROP TABLE IF EXISTS cells; DROP TABLE IF EXISTS reports")
        self._con.execute(_create_table_sql("cells", CELL_COLUMNS))
        self._con.execute(_create_table_sql("reports", REPORT_COLUMNS))
        self._cells = _RowBuffer(CELL_COLUMNS, "duckdb")  # rows are handed to DuckDB as Arrow tables
        self._reports = _RowBuffer(REPORT_COLUMNS, "duckdb")

    def write(self, result: BatchResult) -> None:
        self._cells.rows.extend(cell_rows(result))
        self._reports.rows.append(report_row(result))
        if len(self._reports.rows) >= _DUCKDB_FLUSH_REPORTS or len(self._cells.rows) >= _FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Insert the buffered cells and reports in one transaction: a report row means its cells are in."""
        if not self._reports.rows:
            return
        cells, reports = self._cells.take(), self._reports.take()
        self._con.execute("BEGIN TRANSACTION")
        for name, table in (("cells", cells), ("reports", reports)):
            self._con.register("_gx_rows", table)
            self._con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _gx_rows")
            self._con.unregister("_gx_rows")
        self._con.execute("COMMIT")

    def close(self) -> None:
        self._flush()
        self._con.close()


def _duckdb_sources(path: Path) -> set[str]:
    duckdb = _import_extra("duckdb", "duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "reports" not in tables:
            return set()
        return {row[0] for row in con.execute("SELECT source FROM reports").fetchall()}
