"""The data side of the review page: read a directory of annotations, recompute identities, save.

This module knows nothing of HTTP. The page edits cells as *text*, exactly as a reviewer types
them, and this module alone turns text into annotation values (:func:`read_cell_text`) so that
blank, placeholder and 0 stay three facts: ``""`` is a blank (``null``), ``—``/``/``/``无`` is a
placeholder (``null``, its raw text kept in ``review.placeholders``), ``0`` is 0. Identities are
evaluated by :func:`gxparse.validate.check_table`, the parser's own arithmetic, and a save is
validated by :func:`gxparse.check_data.check_annotation`, as ``gxparse check-data`` does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxparse.annotate import REVIEW_KEY, REVIEWED, UNREVIEWED, balanced_flags, is_reviewed, text_digest, write_annotation
from gxparse.check_data import check_annotation
from gxparse.errors import DataError, GxParseError
from gxparse.parser import parse_file
from gxparse.report import Cell, Table
from gxparse.template import RowSpec, TableSpec, get_template
from gxparse.validate import check_table
from gxparse.values import parse_value

# Placeholders a reviewer may type: those of the annotation format (training_data/README.md: dash
# runs, /, -, 无) plus 不适用 and N/A, which reports print too.
PLACEHOLDER_TEXT = re.compile(r"^(?:[—―─━\-]+|/|无|無|不适用|N/A|n/a)$")
UNIT_COLUMN = "unit"

CellTexts = dict[str, dict[str, dict[str, str]]]  # {table: {row: {col: text}}} as typed on the page


class CellTextError(DataError):
    """A cell's text is neither a number, nor blank, nor a placeholder."""


def read_cell_text(text: str, col: str) -> tuple[int | float | str | None, str | None]:
    """Return ``(value, placeholder raw or None)`` for the text typed in a cell.

    Raises
    ------
    CellTextError
        The text is not a number, a blank or a placeholder (legacy ``unit`` cells take any text).
    """
    text = text.strip()
    if not text:
        return None, None
    if col == UNIT_COLUMN:
        return text, None
    value = parse_value(text)
    if value is not None:
        return value, None
    if PLACEHOLDER_TEXT.match(text):
        return None, text
    raise CellTextError(f"{text!r} is not a number, a blank or a placeholder (—, /, 无)")


def cell_text(value: object, placeholder: str | None) -> str:
    """The text a cell shows on the page: the number, the placeholder as printed, or ``""`` for a blank."""
    if value is None:
        return placeholder or ""
    return str(value)


@dataclass
class ReadCells:
    """Typed cells read into values, with the placeholders seen and the texts that could not be read."""

    tables: dict[str, dict[str, dict[str, Any]]]
    placeholders: dict[str, str]
    errors: dict[str, str]


def read_cells(texts: CellTexts) -> ReadCells:
    """Read every typed cell (see :func:`read_cell_text`); bad texts are collected, not raised."""
    out = ReadCells({}, {}, {})
    for table, rows in texts.items():
        for row, cols in rows.items():
            values = out.tables.setdefault(table, {}).setdefault(row, {})
            for col, text in cols.items():
                address = f"{table}.{row}.{col}"
                try:
                    values[col], placeholder = read_cell_text(str(text), col)
                except CellTextError as exc:
                    out.errors[address] = str(exc)
                    values[col] = None
                    continue
                if placeholder:
                    out.placeholders[address] = placeholder
    return out


def recompute_checks(template_id: str | None, tables: dict[str, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Evaluate every identity of the template on plain values, as the parser does on a parse."""
    if template_id is None:
        return []
    template = get_template(template_id)
    checks = []
    for key, rows in tables.items():
        spec = template.table(key)
        texts = {i.id: i.text for i in spec.identities}
        table = Table(key, {r: {c: Cell(v, "", None) for c, v in cols.items()} for r, cols in rows.items()})
        for check in check_table(spec, table):
            checks.append({**check.to_dict(), "text": texts.get(check.id, "")})
    return checks


def _row_label(row: RowSpec) -> str:
    return f"{row.number}{row.label}"


def _row_group(row: RowSpec) -> str:
    return " / ".join(row.path[:-1])


def _table_layout(spec: TableSpec, annotated: dict[str, dict[str, Any]], labels: dict[str, str]) -> list[RowSpec]:
    """Rows in printed order: the alternative layout when the annotation uses an alternative row,
    and for legacy tables the annotated rows (as printed) followed by the template's other rows."""
    if spec.key == "legacy_indicators":
        known = {r.key: r for r in spec.rows}
        all_cols = tuple(c.key for c in spec.cols)
        rows = [known.get(k) or RowSpec(k, labels.get(f"{spec.key}.{k}", k), "", all_cols) for k in annotated]
        return rows + [r for r in spec.rows if r.key not in annotated]
    alternatives = any(r.replaces and r.key in annotated for r in spec.rows)
    return list(spec.layout(alternatives=alternatives))


class AnnotationStore:
    """A directory of annotations (``<id>.json`` beside its input) seen by the review page."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise DataError(f"{self.directory} is not a directory of annotations")
        self._texts: dict[str, tuple[str, str]] = {}

    def has(self, report_id: str) -> bool:
        """Whether ``report_id`` names an annotation file directly inside the directory."""
        return (bool(report_id) and not report_id.startswith(".") and "/" not in report_id
                and "\\" not in report_id and (self.directory / f"{report_id}.json").is_file())

    def _path(self, report_id: str) -> Path:
        """The annotation file of ``report_id`` (``KeyError`` when :meth:`has` says no)."""
        if not self.has(report_id):
            raise KeyError(report_id)
        return self.directory / f"{report_id}.json"

    def _read(self, path: Path) -> dict[str, Any]:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data

    def list_reports(self) -> list[dict[str, Any]]:
        """Every annotation of the directory with its review status and number of doubtful cells."""
        out = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                data = self._read(path)
            except (OSError, ValueError) as exc:
                out.append({"id": path.stem, "status": "unreadable", "error": str(exc), "doubtful": 0})
                continue
            review = data.get(REVIEW_KEY) if isinstance(data.get(REVIEW_KEY), dict) else {}
            out.append({"id": path.stem, "input": data.get("input"), "template": data.get("template"),
                        "status": REVIEWED if is_reviewed(data) else UNREVIEWED,
                        "doubtful": len(review.get("doubtful") or {})})
        return out

    def _source_text(self, annotation: dict[str, Any]) -> tuple[str | None, str]:
        """The parser's normalised text of the input (cached), or ``None`` and why not."""
        name = str(annotation.get("input", ""))
        if name not in self._texts:
            try:
                text = parse_file(self.directory / name).text
                self._texts[name] = (text, "")
            except (GxParseError, OSError) as exc:
                self._texts[name] = ("", f"the input cannot be read: {exc}")
        text, why = self._texts[name]
        return (text if not why else None), why

    def page(self, report_id: str) -> dict[str, Any]:
        """Everything the page needs to show one report: tables as printed, source, spans, checks.

        Each row lists the columns the template allows (``cols``) and the annotated cells
        (``cells``: text as shown): a column the report does not print stays absent, not blank.
        """
        annotation = self._read(self._path(report_id))
        review = annotation.get(REVIEW_KEY) if isinstance(annotation.get(REVIEW_KEY), dict) else {}
        text, why = self._source_text(annotation)
        spans = review.get("spans") or {}
        if text is not None and review.get("text_sha256") not in (None, text_digest(text)):
            spans, why = {}, "the input's text has changed since annotation: cell spans are not shown"
        template_id = annotation.get("template")
        tables = annotation.get("tables") or {}
        return {
            "id": report_id, "input": annotation.get("input"), "template": template_id,
            "status": REVIEWED if is_reviewed(annotation) else UNREVIEWED, "notes": annotation.get("notes", ""),
            "uncertain": list(annotation.get("uncertain") or []),
            "text": text, "text_note": why, "spans": spans, "doubtful": review.get("doubtful") or {},
            "tables": self._grid(template_id, tables, annotation.get("labels") or {}, review.get("placeholders") or {}),
            "checks": recompute_checks(template_id, tables),
        }

    def _grid(self, template_id: str | None, tables: dict[str, Any], labels: dict[str, str],
              placeholders: dict[str, str]) -> list[dict[str, Any]]:
        if template_id is None:
            return []
        grid = []
        for spec in get_template(template_id).tables:
            annotated = tables.get(spec.key) or {}
            rows = []
            for row in _table_layout(spec, annotated, labels):
                values = annotated.get(row.key)
                rows.append({
                    "key": row.key, "label": labels.get(f"{spec.key}.{row.key}") or _row_label(row),
                    "group": _row_group(row), "cols": list(row.cols), "present": values is not None,
                    "cells": {c: cell_text(values[c], placeholders.get(f"{spec.key}.{row.key}.{c}"))
                              for c in row.cols if values is not None and c in values},
                })
            grid.append({"key": spec.key, "heading": spec.heading, "present": spec.key in tables, "rows": rows,
                         "cols": [{"key": c.key, "label": c.label, "group": " / ".join(c.path[:-1])}
                                  for c in spec.cols]})
        return grid

    def checks(self, report_id: str, texts: CellTexts) -> dict[str, Any]:
        """Identities recomputed on the cells as currently typed, and the cells that cannot be read."""
        annotation = self._read(self._path(report_id))
        read = read_cells(texts)
        return {"checks": recompute_checks(annotation.get("template"), read.tables), "cell_errors": read.errors}

    def save(self, report_id: str, texts: CellTexts, notes: str | None = None,
             uncertain: list[str] | None = None) -> dict[str, Any]:
        """Write the typed cells as the annotation, marked reviewed, if it passes ``check-data``.

        ``uncertain`` replaces the annotation's list of cells the reviewer could not determine.

        Returns ``{"saved": bool, "problems": [...], "cell_errors": {...}}``; nothing is written
        when a cell cannot be read or the annotation has a problem.
        """
        path = self._path(report_id)
        annotation = self._read(path)
        read = read_cells(texts)
        if read.errors:
            return {"saved": False, "problems": [f"{a}: {m}" for a, m in read.errors.items()], "cell_errors": read.errors}
        review = dict(annotation.get(REVIEW_KEY) or {})
        kept = {f"{t}.{r}.{c}" for t, rows in read.tables.items() for r, cols in rows.items() for c in cols}
        review.update({
            "status": REVIEWED, "placeholders": read.placeholders,
            "doubtful": {a: v for a, v in (review.get("doubtful") or {}).items() if a in kept},
            "spans": {a: v for a, v in (review.get("spans") or {}).items() if a in kept},
        })
        labels = {k: v for k, v in (annotation.get("labels") or {}).items()
                  if k.split(".", 1)[1] in read.tables.get(k.split(".", 1)[0], {})}
        annotation.update({"tables": read.tables, "balanced": balanced_flags(annotation.get("template"), read.tables),
                           REVIEW_KEY: review})
        if "labels" in annotation or labels:
            annotation["labels"] = labels
        if notes is not None:
            annotation["notes"] = notes
        if uncertain is not None:
            annotation["uncertain"] = list(uncertain)
        problems = check_annotation(annotation, self.directory)
        if problems:
            return {"saved": False, "problems": problems, "cell_errors": {}}
        write_annotation(path, annotation)
        return {"saved": True, "problems": [], "cell_errors": {}, "status": REVIEWED}
