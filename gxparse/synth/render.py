"""Render gold tables as the text of a synthetic report, with the span of every value cell."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gxparse.synth.documents import Html, Markdown, PdfText
from gxparse.synth.facts import gov_fact_prose, legacy_fact_prose
from gxparse.synth.frame import Writer, gov_prose, org_name, write_gov
from gxparse.synth.legacy import write_legacy
from gxparse.synth.lines import CellPerLine, CellPerLineBlank, CellPerLinePipe, Glued, PipeRows, SpaceRows
from gxparse.synth.model import Builder, Span, draw_style, logical_tables
from gxparse.synth.variants import Variation, blank_rows, blank_table, check_variants, cut_inside_table, traditional
from gxparse.template import get_template

_GOV_WRITERS: dict[str, type[Writer]] = {
    "cell_per_line": CellPerLine,
    "cell_per_line_blank": CellPerLineBlank,
    "cell_per_line_pipe": CellPerLinePipe,
    "pipe_rows": PipeRows,
    "space_rows": SpaceRows,
    "glued": Glued,
    "pdf_text": PdfText,
    "markdown": Markdown,
    "html": Html,
}
GOV_LAYOUTS: tuple[str, ...] = tuple(_GOV_WRITERS)
LEGACY_LAYOUTS: tuple[str, ...] = ("legacy_cell_per_line", "legacy_space_rows", "legacy_glued")
LAYOUTS: tuple[str, ...] = GOV_LAYOUTS + LEGACY_LAYOUTS
SCRIPTS: tuple[str, ...] = ("simplified", "traditional")
_YEARS = {"gov2021": (2021, 2026), "gov2019": (2019, 2021), "legacy": (2008, 2019)}
_HALF = str.maketrans("（）：，；", "():,;")
_SENTINEL = "\ue000"


@dataclass(frozen=True)
class RenderedReport:
    """One rendered synthetic report.

    Attributes
    ----------
    text:
        The report as a parser receives it (plain text, Markdown or HTML).
    layout, script:
        The layout name (one of :data:`LAYOUTS`) and ``"simplified"`` or ``"traditional"``.
    cells:
        ``"table.row.col"`` → ``(start, end)`` of the printed value in ``text`` (for html, offsets
        into the HTML source), or ``None`` for a blank or placeholder cell.
    labels:
        legacy tables only: ``"legacy_indicators.row"`` → the row label as printed.
    tables:
        The gold tables as printed: the input tables, minus what the variants left unprinted
        (rows before a ``starts_in_table`` cut, tables outside an excerpt), with the cells the
        variants blanked as ``None``. Every cell of ``tables`` has an entry in ``cells``.
    variants:
        The variants applied (names from :data:`gxparse.synth.variants.VARIANTS`).
    complete:
        ``False`` when the text begins inside a table (``starts_in_table``).
    year:
        The report year printed in the text.
    facts:
        ``{key: number}`` of the figures the prose restates (``render(..., state_facts=True)``;
        keys of :data:`gxparse.synth.facts.FACT_KEYS`), else empty.
    """

    text: str
    layout: str
    script: str
    cells: dict[str, tuple[int, int] | None]
    labels: dict[str, str] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)
    variants: tuple[str, ...] = ()
    complete: bool = True
    year: int = 0
    facts: dict[str, int | float] = field(default_factory=dict)


def _convert(text: str, spans: list[tuple[Span, bool]], fn: Any) -> tuple[str, list[Span]]:
    """Apply ``fn`` to the text piece by piece, keeping every span's position exact.

    ``spans`` are ``(span, convert)`` pairs sorted by start. Each span is converted on its own (or
    kept byte for byte when ``convert`` is false), so its new position is known; digits are never
    changed by the conversions, only 减/万元 around them.
    """
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for (start, end), convert in spans:
        pieces += [(text[pos:start], True), (text[start:end], convert)]
        pos = end
    pieces.append((text[pos:], True))
    joined = _SENTINEL.join(p for p, conv in pieces if conv)
    converted = iter(fn(joined).split(_SENTINEL))
    out: list[str] = []
    new_spans: list[Span] = []
    size = 0
    for i, (piece, conv) in enumerate(pieces):
        piece = next(converted) if conv else piece
        if i % 2:
            new_spans.append((size, size + len(piece)))
        out.append(piece)
        size += len(piece)
    return "".join(out), new_spans


def _finish(builder: Builder, halfwidth: bool, script: str) -> tuple[str, dict[str, Span | None], dict[str, Span]]:
    text = builder.getvalue()
    steps = ([lambda s: s.translate(_HALF)] if halfwidth else []) + ([traditional] if script == "traditional" else [])
    if not steps:
        return text, builder.cells, builder.labels
    keyed = sorted([(span, key, key not in builder.verbatim, False) for key, span in builder.cells.items() if span]
                   + [(span, key, True, True) for key, span in builder.labels.items()])

    def fn(s: str) -> str:
        for step in steps:
            s = step(s)
        return s

    text, spans = _convert(text, [(span, conv) for span, _, conv, _ in keyed], fn)
    cells: dict[str, Span | None] = {key: None for key in builder.cells}
    labels: dict[str, Span] = {}
    for (_, key, _, is_label), span in zip(keyed, spans):
        (labels if is_label else cells)[key] = span
    return text, cells, labels


def _vary_tables(tables: dict[str, Any], names: tuple[str, ...], rng: np.random.Generator) -> dict[str, Any]:
    """The gold tables the variants print: blanked cells, or only the excerpted table."""
    tables = copy.deepcopy(tables)
    if "excerpt_one_table" in names:
        key = sorted(tables)[int(rng.integers(len(tables)))]
        tables = {key: tables[key]}
    if "blank_table" in names:
        blank_table(tables, rng)
    if "blank_rows" in names:
        blank_rows(tables, rng)
    return tables


def _printed(tables: dict[str, Any], cells: dict[str, Span | None]) -> dict[str, Any]:
    """``tables`` restricted to the rows that have cells in the text."""
    out: dict[str, Any] = {}
    for table, rows in tables.items():
        kept = {row: cols for row, cols in rows.items() if any(f"{table}.{row}.{col}" in cells for col in cols)}
        if kept:
            out[table] = kept
    return out


def render(template_id: str, tables: dict[str, Any], layout: str, rng: np.random.Generator, *,
           script: str = "simplified", variants: Sequence[str] = (), year: int | None = None,
           agency: str | None = None, state_facts: bool = False) -> RenderedReport:
    """Print gold ``tables`` as a whole synthetic report in ``layout``.

    Parameters
    ----------
    template_id:
        ``"gov2021"`` / ``"gov2019"`` (with a gov layout) or ``"legacy"`` (with a ``legacy_*`` layout).
    tables:
        Gold tables as returned by :func:`random_tables` or :func:`random_legacy_tables`. A gov2021
        applications table holding ``other_handling`` is printed with that single row. Not modified.
    layout:
        One of :data:`LAYOUTS`.
    rng:
        Draws every printing choice (placeholders, spacing, wrapping, prose), so a seeded generator
        gives the same text every time.
    script:
        ``"traditional"`` converts the whole text with OpenCC ``s2t`` (digits are unchanged; legacy
        unit cells stay as in the gold).
    variants:
        Names from :data:`gxparse.synth.variants.VARIANTS` that apply to ``template_id``; the gold
        of what was printed is ``RenderedReport.tables``.
    year, agency:
        The report year and the issuing agency as printed (default: drawn for the template).
    state_facts:
        Write a narrative that restates the report's key figures (:mod:`gxparse.synth.facts`) and
        return them in ``RenderedReport.facts``.

    Returns
    -------
    RenderedReport
        The text, and the span of every value cell so tests and training can align gold to text.
    """
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}; known: {SCRIPTS}")
    legacy = template_id == "legacy"
    if layout not in (LEGACY_LAYOUTS if legacy else GOV_LAYOUTS):
        raise ValueError(f"layout {layout!r} does not render template {template_id!r}")
    names = check_variants(variants, template_id)
    tables = _vary_tables(tables, names, rng) if names else tables
    variation = Variation(names, rng)
    template = get_template(template_id)
    style = draw_style(rng)
    drawn_year = int(rng.integers(*_YEARS[template.id]))
    year = drawn_year if year is None else year
    builder = Builder()
    facts: dict[str, int | float] = {}
    if legacy:
        narrative = None
        if state_facts:
            narrative, facts = legacy_fact_prose(tables.get("legacy_indicators", {}), year, agency or org_name(rng), rng)
        write_legacy(layout, builder, style, tables, year, rng, variation, org=agency, narrative=narrative)
    else:
        writer = _GOV_WRITERS[layout](builder, style, rng)
        if state_facts:
            prose, facts = gov_fact_prose(tables, year, agency or org_name(rng), rng)
        else:
            prose = gov_prose(tables, year, rng, org=agency)
        write_gov(writer, prose, logical_tables(template, tables, style), year, variation)
    text, cells, label_spans = _finish(builder, style.halfwidth, script)
    complete = True
    if "starts_in_table" in names:
        cut = cut_inside_table(text, cells, label_spans, rng, html=layout == "html")
        if cut is None:
            names = tuple(n for n in names if n != "starts_in_table")
        else:
            text, cells, label_spans = cut
            complete = False
    labels = {key: text[start:end] for key, (start, end) in label_spans.items()}
    return RenderedReport(text, layout, script, cells, labels, _printed(tables, cells), names, complete, year, facts)
