"""Copies that begin or end a few rows inside a table: the stress set of table location.

A real copy of a report is often an excerpt: it begins with the last rows of a table (the text
before was on another page, or cut off by whoever pasted it) or ends after its first rows. Such a
fragment prints no heading and no header, only rows; the parser must still find the table by its
row labels. :func:`table_fragments` cuts one rendered report into every such fragment — for each
table of a 2019/2021 report and each ``k`` in ``1..max_rows``, the copy that begins ``k`` rows before
the table's end and the one that ends ``k`` rows after its start — with the gold of what each keeps.
:func:`make_fragment_corpus` writes them in the corpus gold format, so ``gxparse bench`` counts the
tables missed per layout.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from gxparse.synth.corpus import _gold, layout_choices, report_extension
from gxparse.synth.model import Span
from gxparse.synth.render import RenderedReport, _printed, render
from gxparse.synth.values import random_tables

BEGINS, ENDS = "starts_in_table", "ends_in_table"
"""The variant name a fragment's gold carries: the copy begins, or ends, inside a table."""
EDGES = (BEGINS, ENDS)
MAX_FRAGMENT_ROWS = 3
"""A fragment keeps 1..3 rows of its table (a page break or a paste cuts a few rows off, not half a table)."""


@dataclass(frozen=True)
class Fragment:
    """One copy cut from a rendered report: ``rows`` rows of ``table`` at the copy's start or end (``edge``)."""

    table: str
    edge: str
    rows: int
    report: RenderedReport


def _row_of(cell: str) -> str:
    return cell.rsplit(".", 1)[0]


def _row_bounds(report: RenderedReport, table: str) -> list[tuple[str, int, int]]:
    """The printed rows of ``table`` in printing order, each with the start of its first and end of its last value.

    Rows printed blank (no value span) are left out: a cut is placed at a value, and such a row
    goes with the cut it lies in (it is kept when it is printed inside the fragment).
    """
    spans: dict[str, list[Span]] = {}
    for cell, span in report.cells.items():
        if cell.startswith(table + ".") and span is not None:
            spans.setdefault(_row_of(cell), []).append(span)
    return [(row, min(s[0] for s in ss), max(s[1] for s in ss)) for row, ss in spans.items()]


def _cut(report: RenderedReport, start: int, end: int, edge: str) -> RenderedReport:
    """``report`` reduced to ``text[start:end]``, its cells shifted and its gold limited to the rows kept whole."""
    kept = _rows_kept(report, start, end)
    cells = {key: (span[0] - start, span[1] - start) if span else None for key, span in report.cells.items()
             if _row_of(key) in kept}
    return replace(report, text=report.text[start:end], cells=cells, tables=_printed(report.tables, cells),
                   variants=(*report.variants, edge), complete=False)


def _rows_kept(report: RenderedReport, start: int, end: int) -> set[str]:
    """The rows every printed value of which lies inside ``start..end``.

    A row printed blank (no value span) is kept when the nearest printed rows before and after it
    are (the start or end of the text standing for a missing neighbour).
    """
    rows = list(dict.fromkeys(_row_of(key) for key in report.cells))
    spans: dict[str, list[Span]] = {row: [] for row in rows}
    for key, span in report.cells.items():
        if span is not None:
            spans[_row_of(key)].append(span)
    inside = {row: all(start <= s[0] and s[1] <= end for s in ss) for row, ss in spans.items() if ss}
    kept = {row for row, ok in inside.items() if ok}
    for i, row in enumerate(rows):
        if spans[row]:
            continue
        before = next((inside[r] for r in reversed(rows[:i]) if spans[r]), start == 0)
        after = next((inside[r] for r in rows[i + 1:] if spans[r]), end == len(report.text))
        if before and after:
            kept.add(row)
    return kept


def table_fragments(report: RenderedReport, *, max_rows: int = MAX_FRAGMENT_ROWS) -> list[Fragment]:
    """Every copy of ``report`` that begins ``k`` rows before a table's end or ends ``k`` rows after its start.

    A copy that begins inside a table starts right after the last value of the row before its kept
    rows (the rest of that line: its separators, the next row's label); one that ends inside it
    stops right after the last value of its ``k``-th row. HTML is cut at a ``<tr`` / after a
    ``</tr>`` so the fragment stays a table. A table with no more than ``k`` printed rows gives no
    fragment of ``k`` rows (that would be the whole table).
    """
    html = report.layout == "html"
    out = []
    tables = list(dict.fromkeys(key.split(".", 1)[0] for key in report.cells))
    for table in tables:
        rows = _row_bounds(report, table)
        for k in range(1, min(max_rows, len(rows) - 1) + 1):
            begin = rows[-k - 1][2]  # just after the row before the last k
            end = rows[k - 1][2]  # just after the k-th row
            if html:
                begin = report.text.find("<tr", begin)
                end = report.text.find("</tr>", end)
                end = end + len("</tr>") if end >= 0 else -1
            if begin >= 0:
                out.append(Fragment(table, BEGINS, k, _cut(report, begin, len(report.text), BEGINS)))
            if end >= 0:
                out.append(Fragment(table, ENDS, k, _cut(report, 0, end, ENDS)))
    return out


def make_fragment_corpus(out_dir: str | Path, n: int, seed: int, *, layouts: Iterable[str] | None = None,
                         templates: tuple[str, ...] = ("gov2021", "gov2019"),
                         max_rows: int = MAX_FRAGMENT_ROWS) -> list[Path]:
    """Write the fragments of ``n`` reports per layout (rendered without variants) with their gold.

    Report ``i`` of a layout is drawn from a generator seeded with ``(seed, layout index, i)``;
    fragment files are ``frag-<seed>-<layout>-<i>-<table>-<edge>-<k>`` beside their gold JSON
    (``variants`` names the edge, so ``gxparse bench`` breaks misses down by it).
    """
    choices = layout_choices(templates, layouts, strict=False)
    wanted = list(dict.fromkeys(name for names in choices.values() for name in names))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for li, layout in enumerate(wanted):
        usable = [t for t in templates if layout in choices.get(t, ())]
        for i in range(n):
            rng = np.random.default_rng([seed, li, i])
            template_id = usable[int(rng.integers(len(usable)))]
            report = render(template_id, random_tables(template_id, rng), layout, rng)
            for frag in table_fragments(report, max_rows=max_rows):
                stem = f"frag-{seed}-{layout}-{i}-{frag.table}-{frag.edge}-{frag.rows}"
                path = out / (stem + report_extension(layout))
                path.write_text(frag.report.text, encoding="utf-8", newline="")
                note = f"table fragment (gxparse.synth.fragments, seed {seed}): {frag.rows} rows of {frag.table}, {frag.edge}"
                gold = _gold(stem, path.name, template_id, frag.report, note)
                (out / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8", newline="")
                paths.append(path)
    return paths
