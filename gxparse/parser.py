"""The front door: :func:`parse` and :func:`parse_file` turn a report into a :class:`Report`.

Pipeline: read and decode the input (:mod:`gxparse.sources`) → normalise with offsets
(:mod:`gxparse.normalize`) → locate the 二/三/四 regions and detect the template
(:mod:`gxparse.locate`) → scan each region into label pieces and value items (:mod:`gxparse.scan`)
→ match row labels and cut row segments (:mod:`gxparse.segments`) → place the items into cells
(:mod:`gxparse.place`; the trained realigner by default) → evaluate the identities
(:mod:`gxparse.validate`). Every number in the result is read from a source token whose span is kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gxparse.errors import EmptyInputError, typed_errors
from gxparse.legacy import analyze_legacy
from gxparse.limits import get_limits
from gxparse.locate import Region, detect_template, locate_regions
from gxparse.metadata import extract_metadata
from gxparse.normalize import normalize_text
from gxparse.place import Placer, RowPlacement, RulesPlacer, TableProblem, get_placer
from gxparse.realign import RealignModel
from gxparse.report import Cell, Report, Table
from gxparse.scan import scan_region
from gxparse.segments import Segmentation, segment_table
from gxparse.sources import SourceText, read_source, source_from_bytes, source_from_text
from gxparse.template import TableSpec, get_template
from gxparse.validate import check_table
from gxparse.values import parse_value


def parse(data: str | bytes, *, source: str | None = None, placer: str | Placer = "model",
          model: RealignModel | None = None) -> Report:
    """Parse the statistical tables of one annual report.

    Parameters
    ----------
    data:
        The report as text, or as raw bytes (UTF-8, UTF-16 or GB18030/GBK; HTML, PDF and DOCX
        bytes are recognised).
    source:
        A name for the input (a path or URL), kept on the report.
    placer:
        ``"model"`` (the trained realigner, default), ``"rules"`` or ``"baseline"``, or a
        :class:`~gxparse.place.Placer` instance.
    model:
        A realigner model to use instead of the packaged one.

    Returns
    -------
    Report
        ``template`` is ``None`` and ``tables`` empty (with a warning) when no table is found.

    Raises
    ------
    InputError
        The input is empty, binary, undecodable, over a :mod:`gxparse.limits` limit or of an
        unsupported format.
    GxParseError
        Any other failure: no other exception escapes (a ``MemoryError`` becomes
        :class:`~gxparse.errors.ResourceLimitError`, a parser bug :class:`~gxparse.errors.InternalError`).
    TypeError
        ``data`` is neither ``str`` nor ``bytes``.
    ValueError
        ``placer`` names no placer.
    """
    if not isinstance(data, (bytes, str)):
        raise TypeError(f"parse() takes str or bytes, not {type(data).__name__}; use parse_file() for paths")
    chosen = get_placer(placer, model) if isinstance(placer, str) else placer  # a bad name is the caller's error
    with typed_errors(source):
        src = source_from_bytes(data, name=source) if isinstance(data, bytes) else source_from_text(data, name=source)
        return parse_source(src, placer=chosen, model=model)


def parse_file(path: str | os.PathLike[str], *, placer: str | Placer = "model",
               model: RealignModel | None = None) -> Report:
    """Parse a report file (.txt .md .html .htm .shtml .xhtml .pdf .docx); see :func:`parse`."""
    chosen = get_placer(placer, model) if isinstance(placer, str) else placer  # a bad name is the caller's error
    with typed_errors(os.fsdecode(path)):
        return parse_source(read_source(Path(path)), placer=chosen, model=model)


@dataclass
class Analysis:
    """Everything the parser knows about a text before placement (shared with training)."""

    text: str
    template: str | None
    tables: dict[str, tuple[TableSpec, Region, Segmentation]]


def analyze(text: str, *, kind: str = "text") -> Analysis:
    """Locate, scan and segment the tables of normalised ``text`` (no placement yet).

    ``kind`` is the source kind; for ``html`` every pipe cell is a real table cell.
    """
    regions = locate_regions(text)
    template_id = detect_template(text, regions)
    tables: dict[str, tuple[TableSpec, Region, Segmentation]] = {}
    if template_id is not None:
        template = get_template(template_id)
        for key, region in regions.items():
            spec = template.table(key)
            items = scan_region(text, region.start, region.end, at_eof=region.truncated, exact_cells=kind == "html")
            seg = segment_table(spec, items)
            if any(r.items for r in seg.problem.rows):
                tables[key] = (spec, region, seg)
    else:
        tables = analyze_legacy(text, kind=kind)
        template_id = "legacy" if tables else None
    return Analysis(text, template_id, tables)


def parse_source(src: SourceText, *, placer: str | Placer = "model", model: RealignModel | None = None) -> Report:
    """Parse an already read :class:`~gxparse.sources.SourceText`."""
    if not src.text.strip():
        raise EmptyInputError(f"{src.source or 'input'} holds no text")
    analysis = analyze(normalize_text(src.text).text, kind=src.kind)
    meta = {"kind": src.kind, **extract_metadata(analysis.text, src.source)}
    report = Report(template=None, tables={}, text=analysis.text, source=src.source, meta=meta)
    report.warnings.extend(src.warnings)
    if analysis.template is None:
        report.warnings.append("no statistical table found (tables missing, rendered as images, or not an annual report)")
        return report
    chosen = get_placer(placer, model) if isinstance(placer, str) else placer
    for key, (spec, region, seg) in analysis.tables.items():
        report.warnings.extend(_bound_row_items(key, seg))
        rows = _build_rows(seg, chosen.place(seg.problem), truncated=region.truncated)
        if rows:
            table = Table(key, rows, dict(seg.labels) if seg.mode == "legacy" else {})
            report.tables[key] = table
            report.checks.extend(check_table(spec, table))
            if region.truncated:
                report.meta.setdefault("truncated_tables", []).append(key)
                report.warnings.append(f"{key}: the input ends inside this table; only the cells present are reported")
            if seg.unread:
                unread = "; ".join(seg.unread)
                report.warnings.append(f"{key}: printed indicators not in the template were not read: {unread}")
    report.template = analysis.template if report.tables else None
    if not report.tables:
        report.warnings.append("table headings found but no table content could be read")
    _flag_failed_identities(report)
    report.meta["placer"] = chosen.name
    return report


def _bound_row_items(key: str, seg: Segmentation) -> list[str]:
    """Cut rows holding more value items than :attr:`~gxparse.limits.Limits.max_row_items`; return warnings.

    Placement searches the readings of a row, item by item: a row of thousands of numbers
    (a broken export) would cost minutes. Items past the limit are not read.
    """
    limit = get_limits().max_row_items
    warnings = []
    for row in seg.problem.rows:
        if len(row.items) > limit:
            warnings.append(f"{key}.{row.key}: the row holds {len(row.items):,} values; only the first {limit} "
                            "were read (gxparse.limits max_row_items)")
            row.items = row.items[:limit]
    return warnings


def _build_rows(seg: Segmentation, placements: list[RowPlacement], *, truncated: bool) -> dict[str, dict[str, Cell]]:
    problems = seg.problem.rows
    keep = len(problems)
    if truncated:  # rows after the last one with any source item were cut off, not blank
        keep = max((i + 1 for i, r in enumerate(problems) if r.items or r.key in seg.matched), default=0)
    rows: dict[str, dict[str, Cell]] = {}
    for n, (row, placed) in enumerate(zip(problems[:keep], placements[:keep])):
        if not row.items and row.key not in seg.matched:
            continue  # a row the report does not print (e.g. no 规章 row): absent, not blank
        if truncated and n == keep - 1:  # cut off mid-row: the items present fill the first cells, in order
            placed = RulesPlacer().place(TableProblem(seg.problem.table, [row]))[0]
        cells = {}
        unit = seg.units.get(row.key)
        if seg.mode == "legacy":
            cells["unit"] = Cell(unit.text, unit.text, (unit.start, unit.end)) if unit else Cell(None, "", None, 1.0, ("blank",))
        for col, reading, conf, flags in zip(row.cols, placed.readings, placed.confidence, placed.flags):
            value = parse_value(reading.raw) if reading.kind == "num" else None
            span = (reading.start, reading.end) if reading.start is not None and reading.kind != "missing" else None
            cells[col] = Cell(value, reading.raw, span, conf, flags)
        if truncated and n == keep - 1:
            while cells and next(reversed(cells.values())).flags == ("blank_inferred",):
                cells.popitem()
        rows[row.key] = cells
    return rows


def _flag_failed_identities(report: Report) -> None:
    """Add ``identity_fail:<id>`` to the flags of every cell of a failing check (values untouched)."""
    for check in report.checks:
        if check.status != "fail":
            continue
        for address in check.cells:
            table_key, row, col = address.split(".", 2)
            cell = report.tables[table_key].rows[row][col]
            flag = f"identity_fail:{check.id}"
            if flag not in cell.flags:
                report.tables[table_key].rows[row][col] = Cell(cell.value, cell.raw, cell.span, cell.confidence,
                                                               cell.flags + (flag,))
