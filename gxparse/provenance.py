"""Trace every cell of a finished report back to the original input.

The parser reads normalised text (:attr:`Report.text`: NFKC, simplified script, HTML and PDF already
turned into lines), and a cell's :attr:`~gxparse.report.Cell.span` indexes that text. People and
tools look at the original instead, so this post-pass gives each cell a
:attr:`~gxparse.report.Cell.source_span` into :attr:`Report.source_text` — the decoded input as
read: the HTML itself for HTML, the extracted text for PDF and DOCX, the text for text — and sets
``raw`` to exactly the characters found there (``１，２４７``, ``1,247``, ``251000元``, ``無``).

Two offset maps are composed: :class:`~gxparse.normalize.NormText` maps normalised text to the
extracted text, and for HTML :class:`~gxparse.html_text.HtmlTextMap` maps extracted text to the HTML.
"""

from __future__ import annotations

from gxparse.html_text import HtmlTextMap
from gxparse.normalize import normalize_text
from gxparse.report import Cell, Report
from gxparse.sources import SourceText


def attach_source_spans(report: Report, src: SourceText) -> None:
    """Set :attr:`Report.source_text`, and each cell's ``source_span`` and ``raw``, from ``src``.

    A cell whose characters cannot all be found in the original (an HTML cell split by markup the
    alignment cannot follow) keeps its normalised ``raw`` and gets no ``source_span``.
    """
    markup = src.markup if src.kind == "html" else None
    report.source_text = markup if markup is not None else src.text
    if not report.tables:
        return
    offsets = normalize_text(src.text).offsets
    html_map = HtmlTextMap(markup, src.text) if markup is not None else None
    source_text = report.source_text
    new = object.__new__
    for table in report.tables.values():
        for cols in table.rows.values():
            for col, cell in list(cols.items()):
                span = cell.span
                if span is None:
                    continue
                start, end = span
                if start < end and offsets:  # :meth:`~gxparse.normalize.NormText.raw_span`, inlined (one call a cell)
                    span = (offsets[start], offsets[end - 1] + 1)
                if html_map is not None:
                    span = html_map.span(*span)
                if span is not None:
                    # ``cell`` with its ``raw`` read at ``span`` of the original, and that span: a new instance's
                    # ``__dict__`` filled directly (:func:`dataclasses.replace` sets each field through the frozen
                    # class's ``object.__setattr__``, most of this post-pass when profiled; the fields are replace's),
                    # the two new values stored as items (an ``update`` with keyword arguments builds a dict of them
                    # first: a third slower, measured)
                    out = new(Cell)
                    fields = out.__dict__
                    fields.update(cell.__dict__)
                    fields["raw"] = source_text[span[0]:span[1]]
                    fields["source_span"] = span
                    cols[col] = out
