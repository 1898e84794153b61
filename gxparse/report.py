"""The result objects: :class:`Cell`, :class:`Table`, :class:`Check` and :class:`Report`.

A :class:`Report` is what :func:`gxparse.parse` returns. Its :meth:`Report.to_dict` follows the
public contract of the template spec: ``{"template": ..., "tables": {table: {row: {col: value}}}}``
plus provenance outside ``tables``. Values are ``int`` or ``float`` read from a source token (or a
``str`` for legacy units), or ``None`` for a blank cell or a placeholder, whose raw text is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

    from gxparse.facts import Fact

Value = int | float | str | None
CheckStatus = Literal["pass", "fail", "not_assessable"]


FACTS_TABLE = "facts"
"""The ``table`` of the records of narrative facts in :meth:`Report.to_records` (not a table of the template)."""

@dataclass(frozen=True)
class Cell:
    """One value cell of a parsed table.

    Attributes
    ----------
    value:
        The number read from the source (``int``, or ``float`` for decimals), a ``str`` for legacy
        units, or ``None`` when the cell is blank or holds a placeholder such as ``—`` or ``无``.
    raw:
        The characters of the cell as printed in the original input, ``Report.source_text[start:end]``
        for its :attr:`source_span` (``""`` for a blank cell): thousands separators, full-width
        digits, units and traditional script included.
    span:
        ``(start, end)`` character offsets of the cell's token in the normalised :attr:`Report.text`,
        or ``None`` for a blank cell that has no text of its own.
    confidence:
        Probability, from the placement model or the rules, that the cell is placed and read right.
    flags:
        How the cell was obtained, e.g. ``glued_split``, ``blank_inferred``, ``placeholder``,
        ``identity_fail:I-A3-2``, ``cross_year`` (the reading was chosen by :func:`gxparse.link`),
        ``unit_conflict`` (a legacy row whose values print a unit other than its unit column's: read as printed),
        ``cut_ambiguous``, ``blank_place_unknown``, ``owner_doubtful`` (another reading as good by the copy and
        the identities; the README lists every flag).
    source_span:
        ``(start, end)`` of :attr:`raw` in :attr:`Report.source_text` (the original input), or
        ``None`` for a blank cell or one that could not be traced.
    """

    value: Value
    raw: str
    span: tuple[int, int] | None
    confidence: float = 1.0
    flags: tuple[str, ...] = ()
    source_span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the provenance of the cell as plain data."""
        return {"raw": self.raw, "span": list(self.span) if self.span else None,
                "source_span": list(self.source_span) if self.source_span else None,
                "confidence": round(self.confidence, 4), "flags": list(self.flags)}


@dataclass(frozen=True)
class Check:
    """The outcome of one accounting identity on one column, row or table.

    ``left`` and ``right`` are the sums of the two sides (``None`` when not assessable); ``cells``
    the addresses summed, left side first. ``formula`` states the identity over row or column keys
    (``new_received + carried_over = results_total + carry_to_next (in every column)``) and
    ``description`` the rule as the template prints or explains it; both come from the template data.
    """

    id: str
    table: str
    scope: str
    status: CheckStatus
    left: float | None
    right: float | None
    cells: tuple[str, ...]
    level: str = "structural"
    formula: str = ""
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the check as plain data."""
        return {"id": self.id, "table": self.table, "scope": self.scope, "status": self.status, "level": self.level,
                "formula": self.formula, "description": self.description,
                "left": self.left, "right": self.right, "cells": list(self.cells)}


@dataclass
class Table:
    """One parsed table: ``rows[row_key][col_key] -> Cell`` in template order.

    ``labels`` holds the labels of legacy rows as printed; ``template`` names the template whose
    labels and headings :meth:`to_frame` and the notebook display use.
    """

    key: str
    rows: dict[str, dict[str, Cell]]
    labels: dict[str, str] = field(default_factory=dict)
    template: str | None = None
    alternatives: dict[str, list[dict[str, Cell]]] = field(default_factory=dict)
    """Per doubtful row, the other readings of its source the placer considered (best first), so that
    an identity across reports (:func:`gxparse.link`) can choose among them; not part of the contract."""

    def cell(self, row: str, col: str) -> Cell:
        """Return the cell at ``(row, col)``.

        Raises
        ------
        KeyError
            The row or column is not in this table (the message lists what is).
        """
        try:
            return self.rows[row][col]
        except KeyError:
            cols = sorted(self.rows.get(row, {}))
            raise KeyError(f"no cell {self.key}.{row}.{col}; rows: {list(self.rows)}; columns of {row!r}: {cols}") from None

    def values(self) -> dict[str, dict[str, Value]]:
        """Return ``{row: {col: value}}``."""
        return {r: {c: cell.value for c, cell in cols.items()} for r, cols in self.rows.items()}

    def cells(self) -> Iterator[tuple[str, str, Cell]]:
        """Iterate ``(row, col, cell)`` in template order."""
        for r, cols in self.rows.items():
            for c, cell in cols.items():
                yield r, c, cell

    def __repr__(self) -> str:
        cells = sum(len(cols) for cols in self.rows.values())
        return f"<Table {self.key} template={self.template!r} rows={len(self.rows)} cells={cells}>"

    def row_label(self, row: str) -> str:
        """The row's label as printed (legacy) or in the template (number and label)."""
        from gxparse.display import row_label, table_spec

        return row_label(self, row, table_spec(self))

    def to_frame(self, *, keys: bool = False) -> pd.DataFrame:
        """Return the table wide, shaped and labelled like the printed table (pandas imported on use).

        One row per table row, one column per value column, both labelled in Chinese as printed
        (or with their keys when ``keys``). Blank cells and placeholders are ``<NA>``; integer
        columns stay integer (pandas nullable dtypes).
        """
        import pandas as pd

        from gxparse.display import column_label, table_spec

        spec = table_spec(self)
        cols = list(dict.fromkeys(c for cells in self.rows.values() for c in cells))
        frame = pd.DataFrame([[cells[c].value if c in cells else None for c in cols] for cells in self.rows.values()],
                             index=list(self.rows) if keys else [self.row_label(r) for r in self.rows],
                             columns=cols if keys else [column_label(c, spec, full=True) for c in cols], dtype=object)
        return frame.convert_dtypes()

    def _repr_html_(self) -> str:
        from gxparse.display import render_table_html

        return render_table_html(self)


@dataclass
class Report:
    """A parsed annual report.

    Attributes
    ----------
    template:
        ``"gov2021"``, ``"gov2019"``, ``"legacy"`` or ``None`` when no table was found.
    tables:
        Parsed tables by key (``active_disclosure``, ``applications``, ``review_litigation``,
        ``legacy_indicators``). A table absent from the report is absent here.
    checks:
        One :class:`Check` per identity instance.
    warnings:
        Human-readable notes about the input (no tables found, truncated table, …).
    text:
        The normalised text the parser read; :attr:`Cell.span` offsets point into it.
    source:
        The path or name of the input, when known.
    source_text:
        The decoded input as read (the HTML for HTML, the extracted text for PDF and DOCX);
        :attr:`Cell.source_span` offsets point into it.
    facts:
        The figures the prose states (:mod:`gxparse.facts`), also when no table was found.
    """

    template: str | None
    tables: dict[str, Table]
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = ""
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    source_text: str = field(default="", repr=False)
    facts: list[Fact] = field(default_factory=list)

    def __repr__(self) -> str:
        cells = sum(1 for t in self.tables.values() for _ in t.cells())
        failed = sum(c.status == "fail" for c in self.checks)
        return (f"<Report {self.template or 'no tables'} source={self.source!r} tables={list(self.tables)} "
                f"cells={cells} failed_checks={failed} warnings={len(self.warnings)}>")

    def _repr_html_(self) -> str:
        from gxparse.display import render_report_html

        return render_report_html(self)

    def show(self) -> str:
        """Return the report as the terminal grid ``gxparse show`` prints (see :mod:`gxparse.display`)."""
        from gxparse.display import render_report_text

        return render_report_text(self)

    @property
    def ok(self) -> bool:
        """True when tables were found and no printed or structural identity failed (soft checks aside)."""
        return bool(self.tables) and not any(c.status == "fail" and c.level != "soft" for c in self.checks)

    def to_dict(self, *, provenance: bool = True) -> dict[str, Any]:
        """Return the report as plain data, following the public contract.

        ``tables`` holds only values. With ``provenance`` (default) the dict also carries
        ``cells`` (raw text, span, confidence and flags per ``table.row.col``), ``checks``,
        ``warnings``, ``source`` and ``meta``. ``facts`` maps each fact key to its value; with
        provenance the full facts (raw, span, sentence) are under ``fact_details``.
        """
        out: dict[str, Any] = {"template": self.template, "tables": {k: t.values() for k, t in self.tables.items()},
                               "facts": {f.key: f.value for f in self.facts}}
        labels = {f"{k}.{r}": lab for k, t in self.tables.items() for r, lab in t.labels.items()}
        if labels:
            out["labels"] = labels
        if provenance:
            out["source"] = self.source
            out["cells"] = {f"{k}.{r}.{c}": cell.to_dict() for k, t in self.tables.items() for r, c, cell in t.cells()}
            out["checks"] = [c.to_dict() for c in self.checks]
            out["warnings"] = list(self.warnings)
            out["meta"] = dict(self.meta)
            out["fact_details"] = [f.to_dict() for f in self.facts]
        return out

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat record per cell (long format), ready for CSV, Parquet or a database.

        Each fact of the prose is a record too, with ``table`` ``"facts"``, ``row`` its key and
        ``col`` ``"value"``.
        """
        records = []
        for key, table in self.tables.items():
            for row, col, cell in table.cells():
                records.append({
                    "source": self.source, "template": self.template, "table": key, "row": row, "col": col,
                    "value": cell.value, "raw": cell.raw, "confidence": round(cell.confidence, 4),
                    "flags": ";".join(cell.flags), "label": table.row_label(row),
                    **{k: self.meta.get(k) for k in ("agency", "level", "report_year", "published")},
                })
        for fact in self.facts:
            records.append({
                "source": self.source, "template": self.template, "table": FACTS_TABLE, "row": fact.key, "col": "value",
                "value": fact.value, "raw": fact.raw, "confidence": 1.0, "flags": ";".join(fact.flags), "label": fact.label,
                **{k: self.meta.get(k) for k in ("agency", "level", "report_year", "published")},
            })
        return records

    def to_frame(self) -> pd.DataFrame:
        """Return :meth:`to_records` as a pandas DataFrame (pandas is imported on first use)."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())
