"""The front door: :func:`parse` and :func:`parse_file` turn a report into a :class:`Report`.

Pipeline: read and decode the input (:mod:`gxparse.sources`) → normalise with offsets
(:mod:`gxparse.normalize`) → locate the 二/三/四 regions by their headings (:mod:`gxparse.locate`)
and by their content (the trained line tagger of :mod:`gxparse.locator`) and decide the template
from the labels found → segment each region with the layout handler that fits it best
(:mod:`gxparse.layouts`: scan into label pieces and value items, cut row segments; the handler is
recorded in ``Report.meta["layouts"]``) → place the items into cells
(:mod:`gxparse.place`; the trained realigner by default) → evaluate the identities
(:mod:`gxparse.validate`). The types passed between these stages live in :mod:`gxparse.ir`.
Every number in the result is read from a source token whose span is kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from gxparse.candidates import search_bounded
from gxparse.errors import EmptyInputError, typed_errors
from gxparse.facts import add_facts
from gxparse.generation import decide_template
from gxparse.ir import (LayoutRegion, OwnerDoubt, Region, RowPlacement, RowProblem, Segmentation, TableProblem,
                        TemplateDecision)
from gxparse.layouts import segment_region
from gxparse.legacy import UNIT_CONFLICT, legacy_spec, locate_legacy
from gxparse.limits import get_limits
from gxparse.locate import HEADER_RUNS, has_required_content, locate_by_header_run, locate_regions
from gxparse.locator import LEGACY_TABLE, LineTagger, combine_regions, packaged_tagger, prints_own_rows, tagged_regions
from gxparse.metadata import extract_metadata
from gxparse.normalize import normalize_text
from gxparse.place import Placer, RulesPlacer, _reading_flags, get_placer
from gxparse.priors import with_label_units
from gxparse.provenance import attach_source_spans
from gxparse.realign import RealignModel
from gxparse.report import Cell, Report, Table, Value
from gxparse.sources import SourceText, read_source, source_from_bytes, source_from_text
from gxparse.template import TableSpec, get_template
from gxparse.validate import check_table, identity_status
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
    found_by: dict[str, str] = field(default_factory=dict)
    decision: TemplateDecision | None = None
    layouts: dict[str, str] = field(default_factory=dict)


PACKAGED = "packaged"


def analyze(text: str, *, kind: str = "text", locator: LineTagger | None | str = PACKAGED,
            source: str | None = None, exact_anchors: bool = False) -> Analysis:
    """Locate, scan and segment the tables of normalised ``text`` (no placement yet).

    ``kind`` is the source kind; for ``html`` every pipe cell is a real table cell. ``locator`` is
    the line tagger (:mod:`gxparse.locator`) that finds tables by their content: the packaged one
    by default, ``None`` for heading anchors alone. ``exact_anchors`` keeps only exact heading
    numberings and no header-run fallback: with ``locator=None``, how training derives the tagger's
    line tags (a looser anchor finds more tables, but a wrong tag teaches the tagger wrong bounds).
    ``source`` (the input's name) may state the report year that weighs the template generation.
    """
    tagger = packaged_tagger() if locator == PACKAGED else locator
    regions = locate_regions(text, exact=exact_anchors)
    found_by = {key: "heading" for key in regions}
    if isinstance(tagger, LineTagger):
        by_content, tags = tagged_regions(text, tagger)
        by_content.pop(LEGACY_TABLE, None)  # a legacy list is found by its own row labels (gxparse.legacy)
        regions, found_by = combine_regions(text, regions, by_content, tags)
    for key in () if exact_anchors else HEADER_RUNS.keys() - regions.keys():  # found by neither: its header run
        if (by_header := locate_by_header_run(text, key, regions)) is not None:
            regions[key], found_by[key] = by_header, "content"
    regions = _without_overlaps(regions)
    decision = decide_template(text, regions, source=source)
    template_id = decision.template
    tables: dict[str, tuple[TableSpec, Region, Segmentation]] = {}
    layouts: dict[str, str] = {}
    if template_id is not None:
        template = get_template(template_id)
        for key, region in regions.items():
            spec = template.table(key)
            layout, seg = segment_region(LayoutRegion(text, region, spec, kind))
            seg = with_label_units(seg)
            headed = has_required_content(text, region)
            if not headed and len(seg.matched) < MIN_BLANK_TABLE_ROWS and not (seg.matched and prints_own_rows(text, region)):
                continue  # found by content alone: its row labels must show (or it is a fragment: a copy begins or ends in it)
            if any(r.items for r in seg.problem.rows) or _printed_blank(seg, headed):
                tables[key] = (spec, region, seg)
                layouts[key] = layout
    if not tables:  # no 2019/2021 table came out of the regions found: the indicator list of older reports
        tables, layouts = _legacy_table(text, kind)
        template_id = "legacy" if tables else None
        found_by = {key: "content" for key in tables}
        evidence = ("legacy indicator rows (附表 labels)",) if tables else ()
        decision = TemplateDecision(template_id, evidence, True)
    return Analysis(text, template_id, tables, {k: v for k, v in found_by.items() if k in tables}, decision, layouts)


def _legacy_table(text: str, kind: str) -> tuple[dict[str, tuple[TableSpec, Region, Segmentation]], dict[str, str]]:
    """The legacy indicator list of ``text`` (located by its row labels, read by the handler that fits), and its layout."""
    region = locate_legacy(text)
    if region is None:
        return {}, {}
    spec = legacy_spec()
    layout, seg = segment_region(LayoutRegion(text, region, spec, kind))
    return ({spec.key: (spec, region, seg)}, {spec.key: layout}) if seg.matched else ({}, {})


def _without_overlaps(regions: dict[str, Region]) -> dict[str, Region]:
    """End every region where the next one begins (a region found by content inside a heading's span).

    The next one begins at its heading, or at its table when its heading lies before this region
    (a heading in the narrative whose table is printed as an appendix).
    """
    out = {}
    for key, region in regions.items():
        later = [r.heading_start if r.heading_start > region.start else r.start
                 for r in regions.values() if r.start > region.start]
        end = min([region.end, *later])
        out[key] = region if end == region.end else Region(key, region.heading_start, region.start, end, False)
    return out


# A table whose cells are all blank is printed (not absent) when at least this many of its row
# labels are found: one or two matches can be a heading or a sentence that names a row.
MIN_BLANK_TABLE_ROWS = 3


def _printed_blank(seg: Segmentation, headed: bool) -> bool:
    """True for a table printed with its row labels (or, for the one-row 四 table, its column headers) but every cell blank."""
    return headed if seg.mode == "single_row" else len(seg.matched) >= MIN_BLANK_TABLE_ROWS


def parse_source(src: SourceText, *, placer: str | Placer = "model", model: RealignModel | None = None) -> Report:
    """Parse an already read :class:`~gxparse.sources.SourceText`."""
    if not src.text.strip():
        raise EmptyInputError(f"{src.source or 'input'} holds no text")
    locator = model.locator if model is not None and model.locator is not None else PACKAGED
    analysis = analyze(normalize_text(src.text).text, kind=src.kind, locator=locator, source=src.source)
    meta = {"kind": src.kind, **extract_metadata(analysis.text, src.source)}
    report = Report(template=None, tables={}, text=analysis.text, source=src.source, meta=meta)
    report.warnings.extend(src.warnings)
    table_spans = [(region.start, region.end) for _, region, _ in analysis.tables.values()]
    if analysis.template is None:
        report.warnings.append("no statistical table found (tables missing, rendered as images, or not an annual report)")
        add_facts(report, table_spans)
        attach_source_spans(report, src)
        return report
    chosen = get_placer(placer, model) if isinstance(placer, str) else placer
    for key, (spec, region, seg) in analysis.tables.items():
        report.warnings.extend(_bound_row_items(key, seg))
        report.warnings.extend(_long_digit_rows(key, seg))
        placements = chosen.place(seg.problem)
        cut = region.truncated and _input_cut_off(analysis.text, src.kind, seg)
        rows = _build_rows(seg, placements, truncated=cut, text=analysis.text)
        rows = _doubt_owners(rows, seg.doubts)
        if rows and _all_blank(seg):
            rows = _as_blank(rows)
            report.meta.setdefault("blank_tables", []).append(key)
            report.warnings.append(f"{key}: the table is printed with every cell blank")
        if rows:
            table = Table(key, rows, dict(seg.labels) if seg.mode == "legacy" else {}, analysis.template)
            table.alternatives = _alternative_rows(seg, placements, rows)
            report.tables[key] = table
            report.checks.extend(check_table(spec, table))
            if cut:
                report.meta.setdefault("truncated_tables", []).append(key)
                report.warnings.append(f"{key}: the input ends inside this table; only the cells present are reported")
            if seg.unread:
                unread = "; ".join(seg.unread)
                report.warnings.append(f"{key}: printed indicators not in the template were not read: {unread}")
            report.warnings.extend(f"{key}.{row}: the values print {printed}, the unit column "
                                   f"{seg.units[row].text}: read as printed, flagged {UNIT_CONFLICT}"
                                   for row, printed in seg.unit_conflicts.items() if row in rows)
            report.warnings.extend(f"{key}: the value line '{d.line}' could be row {d.other}'s as well as row "
                                   f"{d.owner}'s (neither the text nor the identities tell which); "
                                   f"read as {d.owner}'s" for d in seg.doubts)
    report.template = analysis.template if report.tables else None
    if not report.tables:
        report.warnings.append("table headings found but no table content could be read")
    _flag_failed_identities(report)
    report.meta["placer"] = chosen.name
    if analysis.decision is not None and report.template is not None:
        report.meta["template_evidence"] = list(analysis.decision.evidence)
        if analysis.decision.posterior is not None:
            report.meta["template_posterior"] = analysis.decision.posterior
            report.meta["template_clear"] = analysis.decision.clear
        if not analysis.decision.clear:
            report.warnings.append(f"template {report.template} is a guess: {'; '.join(analysis.decision.evidence)}")
    report.meta["located_by"] = {k: v for k, v in analysis.found_by.items() if k in report.tables}
    report.meta["layouts"] = {k: v for k, v in analysis.layouts.items() if k in report.tables}
    add_facts(report, table_spans)
    attach_source_spans(report, src)
    return report


# Source kinds whose text is the input file itself: only these can break off mid-line (a download or a
# copy cut short). HTML, PDF and DOCX text is extracted from a structure whose rows are closed.
CUT_OFF_KINDS = ("text", "markdown")
OWNER_DOUBT_CONFIDENCE = 0.5
"""Confidence of the cells of two rows either of which could own one value line: the source supports
both readings alike (:class:`~gxparse.ir.OwnerDoubt`), even odds."""


def _input_cut_off(text: str, kind: str, seg: Segmentation) -> bool:
    """True when the input was cut off inside the table it ends in (``seg``): its last row lacks the cells after the cut.

    A text that stops inside a line was cut off. One that ends with a line break was cut off only
    where a cut cannot show: a last row printed one cell per line with fewer cells than its width
    (``3``, ``1``, ``0`` on three lines). A last line ended by its line break is otherwise printed
    whole, so the cells it shows nothing for are blank, not lost (a blank 四 table printed last: its
    header lines, then `` |``; a glued row whose last cell is blank).
    """
    if kind not in CUT_OFF_KINDS:
        return False
    if not text.endswith("\n"):
        return True  # even spaces after the last line break begin a line (a cell `` 0`` cut to `` ``)
    printed = [row for row in seg.problem.rows if row.items]
    if not printed:
        return False
    last = max(printed, key=lambda row: row.items[-1].start)
    lines = [item.line for item in last.items]
    return len(last.items) < len(last.cols) and len(lines) > 1 and len(set(lines)) == len(lines)


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
            del row.items[limit:]  # the list in place: the row itself is frozen
    return warnings


def _long_digit_rows(key: str, seg: Segmentation) -> list[str]:
    """Warn about the rows whose numbers are too long to be printed cells (:func:`gxparse.candidates.search_bounded`):
    their readings were searched under a tenth of the usual budgets, so the one chosen may not be the one a
    full search would choose."""
    return [f"{key}.{row.key}: the row's numbers hold more digits than its cells can print; its readings were "
            "searched under reduced budgets (gxparse.candidates.LONG_DIGIT_BUDGETS)"
            for row in seg.problem.rows if search_bounded(row.items, len(row.cols))]


def _build_rows(seg: Segmentation, placements: list[RowPlacement], *, truncated: bool,
                text: str) -> dict[str, dict[str, Cell]]:
    problems = seg.problem.rows
    keep = len(problems)
    if truncated:  # rows after the last one with any source item were cut off, not blank
        keep = max((i + 1 for i, r in enumerate(problems) if r.items or r.key in seg.matched), default=0)
    cut_mid_row = truncated and not (keep and _line_printed_whole(problems[keep - 1], text))
    rows: dict[str, dict[str, Cell]] = {}
    for n, (row, placed) in enumerate(zip(problems[:keep], placements[:keep])):
        if not row.items and row.key not in seg.matched:
            continue  # a row the report does not print (e.g. no 规章 row): absent, not blank
        if cut_mid_row and n == keep - 1 and not _complete_row(row, placed):
            # cut off mid-row: the items present fill the first cells, in order
            placed = RulesPlacer().place(TableProblem(seg.problem.table, [row]))[0]
        cells = {}
        unit = seg.units.get(row.key)
        if seg.mode == "legacy":
            cells["unit"] = Cell(unit.text, unit.text, (unit.start, unit.end)) if unit else Cell(None, "", None, 1.0, ("blank",))
        for col, reading, conf, flags in zip(row.cols, placed.readings, placed.confidence, placed.flags):
            value = parse_value(reading.raw) if reading.kind == "num" else None
            span = (reading.start, reading.end) if reading.start is not None and reading.kind != "missing" else None
            if row.key in seg.unit_conflicts and reading.kind == "num":
                flags = (*flags, UNIT_CONFLICT)
            cells[col] = _new_cell(value, reading.raw, span, conf, flags)
        if cut_mid_row and n == keep - 1:
            while cells and "blank_inferred" in next(reversed(cells.values())).flags:
                cells.popitem()
        rows[row.key] = cells
    return rows


def _new_cell(value: Value, raw: str, span: tuple[int, int] | None, confidence: float, flags: tuple[str, ...]) -> Cell:
    """``Cell(value, raw, span, confidence, flags)``, made without the frozen dataclass's ``__init__`` (one
    guarded ``object.__setattr__`` per field, half the cost of a cell; a report has hundreds), as
    :func:`gxparse.scan._item` makes items: the same fields, ``source_span`` at its default, stored one by one
    in the field order into the new instance's ``__dict__`` (a third faster than one ``update`` from keyword
    arguments, which builds a dict of them first; measured)."""
    cell = object.__new__(Cell)
    fields = cell.__dict__
    fields["value"] = value
    fields["raw"] = raw
    fields["span"] = span
    fields["confidence"] = confidence
    fields["flags"] = flags
    fields["source_span"] = None
    return cell


def _line_printed_whole(row: RowProblem, text: str) -> bool:
    """True when ``row`` is printed on one line and the input goes on past that line's end.

    The input then ends after the row, not inside it: the row's blank cells that the layout
    dropped (``| |`` scraped to ``|``, a blank total not printed) are blank, not cut off. A row
    of one cell per line has no such end, and an input cut inside its last line ends without one.
    """
    if not row.items or len({it.line for it in row.items}) > 1:
        return False
    return "\n" in text[row.items[-1].end:]


def _complete_row(row: RowProblem, placed: RowPlacement) -> bool:
    """True when the placement reads every printed item of ``row``, its last cell from the source, and
    its row identities hold (at least one; the others unassessable): the last row of a table the input
    ends in was printed whole (a glued run split into all its cells), so it is not cut off. A row
    without identities (table 二) is taken whole when a glued run fills every cell (``761`` is 7 | 61).

    In a glued row (a run split into cells) a blank cell is printed as nothing between two runs
    (``000000000000  0``), so a cell inferred blank *before* the last cell read is such a blank;
    elsewhere a cell inferred blank means the row was cut.
    """
    if not placed.readings or placed.readings[-1].kind == "missing":
        return False
    glued = any(r.split for r in placed.readings)
    inferred = any(r.kind == "missing" for r in placed.readings)
    read = {r.item for r in placed.readings if r.item is not None}
    if (inferred and not glued) or any(it.kind != "blank" and n not in read for n, it in enumerate(row.items)):
        return False
    totals = [c for c in row.constraints if c.relation == "eq"]  # a bound (≤) does not show the row is whole
    if not totals:
        return glued and not inferred
    values = [r.value for r in placed.readings]
    status = [identity_status([values[i] for i in c.parts], [values[c.total]])[0] for c in totals]
    return "pass" in status and all(s in ("pass", "not_assessable") for s in status)


def _alternative_rows(seg: Segmentation, placements: list[RowPlacement],
                      rows: dict[str, dict[str, Cell]]) -> dict[str, list[dict[str, Cell]]]:
    """The placer's other readings of each doubtful row, as cells (confidence: their posterior)."""
    out: dict[str, list[dict[str, Cell]]] = {}
    for row, placed in zip(seg.problem.rows, placements):
        if row.key not in rows or not placed.alternatives or set(rows[row.key]) - {"unit"} != set(row.cols):
            continue
        out[row.key] = [{col: Cell(parse_value(reading.raw) if reading.kind == "num" else None, reading.raw,
                                   (reading.start, reading.end) if reading.start is not None and reading.kind != "missing" else None,
                                   posterior, flags)
                         for col, reading, flags in zip(row.cols, readings, (_reading_flags(r) for r in readings))}
                        for readings, posterior in placed.alternatives]
    return out


def _all_blank(seg: Segmentation) -> bool:
    """True when no row of the table holds a number or a placeholder (every printed cell is blank)."""
    return not any(it.kind in ("num", "ph") for row in seg.problem.rows for it in row.items)


def _as_blank(rows: dict[str, dict[str, Cell]]) -> dict[str, dict[str, Cell]]:
    """The cells of a table printed all blank: ``None`` values flagged ``blank`` (not inferred); printed units stay."""
    return {key: {col: cell if col == "unit" else Cell(None, "", None, 1.0, ("blank",)) for col, cell in cells.items()}
            for key, cells in rows.items()}


def _doubt_owners(rows: dict[str, dict[str, Cell]], doubts: tuple[OwnerDoubt, ...]) -> dict[str, dict[str, Cell]]:
    """The cells of both rows of every :class:`~gxparse.ir.OwnerDoubt` flagged ``owner_doubtful``, their
    confidence at most :data:`OWNER_DOUBT_CONFIDENCE` (values untouched)."""
    doubtful = {key for d in doubts for key in (d.owner, d.other)}
    return {key: {col: replace(cell, confidence=min(cell.confidence, OWNER_DOUBT_CONFIDENCE),
                               flags=(*cell.flags, "owner_doubtful")) for col, cell in cells.items()}
            if key in doubtful else cells for key, cells in rows.items()}


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
