"""Reports shaped like the printed tables, for people: a terminal grid and notebook HTML.

:func:`table_sections` turns a parsed :class:`~gxparse.report.Table` into sections labelled with the
template's Chinese row and column labels (legacy rows with their labels as printed); a cell shows its
value, the placeholder as printed, or ``·`` for a blank, followed by its marks:

* ``!`` — the cell is part of an identity that fails (``identity_fail:<id>``);
* ``?`` — the parser's confidence is under :data:`DOUBTFUL_CONFIDENCE`;
* ``~`` — a blank the parser inferred from the layout (no source token says so).

Rows of a group (``（三）不予公开``) are indented under a line with the group's label.

:func:`render_report_text` and :func:`render_report_html` add the failed checks with their formula
and the warnings. ``gxparse show`` prints the text form; ``Report._repr_html_`` and
``Table._repr_html_`` give the HTML form in Jupyter.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gxparse.template import TableSpec, get_template

if TYPE_CHECKING:
    from gxparse.report import Cell, Report, Table

DOUBTFUL_CONFIDENCE = 0.9
"""Cells below this confidence are marked ``?``: in the dev benchmark (BENCHMARKS.md) the wrong cells
that the identities do not catch all have a confidence under 0.9."""
INFERRED_FLAGS = frozenset({"blank_inferred"})
BLANK_TEXT = "·"
MARK_LEGEND = {"!": "in a failing identity", "?": f"confidence < {DOUBTFUL_CONFIDENCE}",
               "~": "blank inferred from the layout"}


@dataclass(frozen=True)
class CellView:
    """What one grid cell shows: its text and its marks (``!``, ``?``, ``~``)."""

    text: str
    marks: str = ""


@dataclass(frozen=True)
class Section:
    """One printed grid: a caption, column labels, and rows of (row label, cells)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[CellView, ...]], ...]


def cell_view(cell: Cell | None) -> CellView:
    """Return what a grid shows for ``cell`` (``None``: the row has no such column)."""
    if cell is None:
        return CellView("")
    if cell.value is None:
        text = cell.raw.strip() or BLANK_TEXT
    elif isinstance(cell.value, float):
        text = f"{cell.value:g}" if abs(cell.value) < 1e15 else str(cell.value)
    else:
        text = str(cell.value)
    marks = ""
    if any(f.startswith("identity_fail:") for f in cell.flags):
        marks += "!"
    if cell.confidence < DOUBTFUL_CONFIDENCE:
        marks += "?"
    if INFERRED_FLAGS.intersection(cell.flags):
        marks += "~"
    return CellView(text, marks)


def table_spec(table: Table) -> TableSpec | None:
    """The template spec of ``table``, or ``None`` when the table does not name its template."""
    if table.template is None:
        return None
    return get_template(table.template).table(table.key)


def row_label(table: Table, row: str, spec: TableSpec | None) -> str:
    """The row's label as printed: the legacy label read, else the template's number and label."""
    if row in table.labels:
        return table.labels[row]
    if spec is not None:
        row_spec = next((r for r in spec.rows if r.key == row), None)
        if row_spec is not None and (row_spec.label or row_spec.number):
            return f"{row_spec.number}{row_spec.label}"
    return row


def column_label(col: str, spec: TableSpec | None, *, full: bool = False) -> str:
    """The column's printed header; with ``full``, its whole header path (``行政诉讼/复议后起诉/总计``)."""
    if spec is None:
        return col
    col_spec = next((c for c in spec.cols if c.key == col), None)
    if col_spec is None:
        return col
    return "/".join(col_spec.path) if full and col_spec.path else col_spec.label


def table_sections(table: Table) -> list[Section]:
    """Split ``table`` into printed grids: one per 第二十条 block, one otherwise.

    A section of a single row without a label of its own (the 四 table) is printed transposed: one
    line per column, labelled with the column's full header path.
    """
    spec = table_spec(table)
    blocks = {r.key: r.block for r in spec.rows} if spec else {}
    captions = {b.key: b.caption for b in spec.blocks} if spec else {}
    order = [c.key for c in spec.cols] if spec else []
    groups: dict[str | None, list[str]] = {}
    for row in table.rows:
        groups.setdefault(blocks.get(row), []).append(row)
    group_of = {r.key: r.group for r in spec.rows} if spec else {}
    group_labels = {g["key"]: f"{g.get('number', '')}{g.get('label', '')}" for g in spec.row_groups} if spec else {}
    sections = []
    for block, rows in groups.items():
        present = {c for r in rows for c in table.rows[r]}
        cols = [c for c in order if c in present] + sorted(present.difference(order))
        caption = captions.get(block or "", "")
        if len(rows) == 1 and row_label(table, rows[0], spec) == rows[0]:  # one unlabelled row: the 四 table
            cells = table.rows[rows[0]]
            sections.append(Section(caption, ("",),
                                    tuple((column_label(c, spec, full=True), (cell_view(cells.get(c)),)) for c in cols)))
            continue
        lines: list[tuple[str, tuple[CellView, ...]]] = []
        shown_groups: set[str] = set()
        for r in rows:
            group = group_of.get(r)
            if group in group_labels and group not in shown_groups:
                lines.append((group_labels[group], tuple(CellView("") for _ in cols)))
                shown_groups.add(group)
            indent = "  " if group in group_labels else ""
            lines.append((indent + row_label(table, r, spec), tuple(cell_view(table.rows[r].get(c)) for c in cols)))
        sections.append(Section(caption, tuple(column_label(c, spec) for c in cols), tuple(lines)))
    return sections


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: two for wide and full-width (CJK) characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def render_section_text(section: Section) -> list[str]:
    """Lay out one section as aligned lines (numbers right-aligned, labels left-aligned)."""
    shown = [[f"{v.text}{v.marks}" for v in cells] for _, cells in section.rows]
    label_w = max([display_width(label) for label, _ in section.rows] + [0])
    widths = [max([display_width(h)] + [display_width(r[i]) for r in shown]) for i, h in enumerate(section.columns)]
    lines = [section.caption] if section.caption else []
    if any(section.columns):
        lines.append("  ".join([_pad("", label_w, right=False)] + [_pad(h, w, right=True) for h, w in zip(section.columns, widths)]))
    for (label, _), texts in zip(section.rows, shown):
        lines.append("  ".join([_pad(label, label_w, right=False)] + [_pad(t, w, right=True) for t, w in zip(texts, widths)]))
    return [line.rstrip() for line in lines]


def render_table_text(table: Table) -> list[str]:
    """All sections of ``table`` as lines, under a heading naming the table."""
    spec = table_spec(table)
    lines = [f"{spec.heading if spec and spec.heading else table.key}  [{table.key}]"]
    for section in table_sections(table):
        lines.extend(render_section_text(section))
        lines.append("")
    return lines


def failed_checks_lines(report: Report) -> list[str]:
    """One line per failing check: id, where, the two sums, formula and description."""
    lines = []
    for check in report.checks:
        if check.status == "fail":
            lines.append(f"✗ {check.id} {check.table}[{check.scope}] ({check.level}): {_num(check.left)} ≠ "
                         f"{_num(check.right)}; {check.formula}" + (f" — {check.description}" if check.description else ""))
    return lines


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def report_title(report: Report) -> str:
    """A one-line description: source, template, agency, year, and the check tally."""
    meta = report.meta
    who = " ".join(str(v) for v in (meta.get("agency"), meta.get("report_year")) if v)
    failed = sum(c.status == "fail" for c in report.checks)
    parts = [report.source or "<text>", report.template or "no tables", who,
             f"{len(report.tables)} table(s)", f"{failed} failed check(s)" if failed else "all checks hold"]
    return " · ".join(p for p in parts if p)


def render_report_text(report: Report) -> str:
    """The whole report for a terminal: title, tables as printed, legend, failed checks, warnings."""
    lines = [report_title(report), ""]
    for table in report.tables.values():
        lines.extend(render_table_text(table))
    if report.tables:
        lines.append("marks: " + "  ".join(f"{m} {text}" for m, text in MARK_LEGEND.items()) + f"  {BLANK_TEXT} blank")
    failed = failed_checks_lines(report)
    if failed:
        lines.append("failed checks:")
        lines.extend(f"  {line}" for line in failed)
    if report.warnings:
        lines.append("warnings:")
        lines.extend(f"  ⚠ {w}" for w in report.warnings)
    return "\n".join(lines).rstrip() + "\n"


_MARK_STYLE = {"!": "background:#f8d7da", "?": "background:#fff3cd", "~": "font-style:italic"}


def _html_cell(view: CellView) -> str:
    style = ";".join(_MARK_STYLE[m] for m in view.marks)
    title = "; ".join(MARK_LEGEND[m] for m in view.marks)
    attrs = (f' style="{style}"' if style else "") + (f' title="{html.escape(title)}"' if title else "")
    attrs += f' data-marks="{view.marks}"' if view.marks else ""
    return f"<td{attrs}>{html.escape(view.text)}{html.escape(view.marks)}</td>"


def render_table_html(table: Table) -> str:
    """``table`` as HTML tables (one per section), cells marked with styles, titles and ``data-marks``."""
    spec = table_spec(table)
    out = [f"<h4>{html.escape(spec.heading if spec and spec.heading else table.key)} <code>{table.key}</code></h4>"]
    for section in table_sections(table):
        out.append(f'<table class="gxparse-table"><caption>{html.escape(section.caption)}</caption>')
        if any(section.columns):
            out.append("<tr><th></th>" + "".join(f"<th>{html.escape(c)}</th>" for c in section.columns) + "</tr>")
        for label, cells in section.rows:
            out.append(f"<tr><th>{html.escape(label)}</th>" + "".join(_html_cell(v) for v in cells) + "</tr>")
        out.append("</table>")
    return "\n".join(out)


def render_report_html(report: Report) -> str:
    """The whole report as HTML: title, tables, failed checks with formulas, warnings."""
    out = [f'<div class="gxparse-report"><p><b>{html.escape(report_title(report))}</b></p>']
    out.extend(render_table_html(t) for t in report.tables.values())
    if report.tables:
        out.append("<p>" + " ".join(f"<span style=\"{_MARK_STYLE[m]}\">{m}</span> {html.escape(t)}"
                                     for m, t in MARK_LEGEND.items()) + f" {BLANK_TEXT} blank</p>")
    failed = failed_checks_lines(report)
    if failed:
        out.append('<ul class="gxparse-failed">' + "".join(f"<li>{html.escape(line)}</li>" for line in failed) + "</ul>")
    if report.warnings:
        out.append('<ul class="gxparse-warnings">' + "".join(f"<li>⚠ {html.escape(w)}</li>" for w in report.warnings) + "</ul>")
    out.append("</div>")
    return "\n".join(out)
