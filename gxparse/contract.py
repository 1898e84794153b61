"""The output contract as a document, generated from the template data.

``docs/CONTRACT.md`` lists every template, table, row, column, key, printed label and identity
(with its formula) — the keys of :meth:`gxparse.Report.to_dict`. It is written by this module from
``gxparse/templates/*.json``, so it cannot drift from what the parser does; a test checks that the
committed file is current. Regenerate it with::

    python -m gxparse.contract docs/CONTRACT.md
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from gxparse.template import TEMPLATE_IDS, TableSpec, Template, get_template

_HEADER = """# The output contract of gxparse

*Generated from `gxparse/templates/*.json` by `python -m gxparse.contract docs/CONTRACT.md`; do not
edit by hand (a test checks that this file is current).*

`Report.to_dict()` returns `{"template", "tables", "labels", "source", "cells", "checks", "warnings",
"meta"}`:

* `template`: one of `gov2021`, `gov2019`, `legacy`, or `null` when no table was found.
* `tables[table][row][column]`: the value read from the source (`int`, `float`, a `str` for a legacy
  unit) or `null` for a blank cell or a placeholder (`—`, `/`, `无`); only a printed `0` is `0`.
  A table or row the report does not print is absent.
* `labels["legacy_indicators.<row>"]`: the label of a legacy row as printed.
* `cells["table.row.column"]`: `raw` (the characters as printed in the original input),
  `source_span` (`[start, end)` of `raw` in `Report.source_text`, the decoded input as read: the HTML
  for HTML, the extracted text for PDF and DOCX), `span` (offsets in `Report.text`, the normalised
  text the parser read), `confidence` (0–1) and `flags`.
* `checks`: one per identity instance below: `id`, `table`, `scope` (the column or row it was
  evaluated on), `status` (`pass`, `fail`, `not_assessable`), `level` (`printed`, `structural`,
  `soft`), `formula`, `description`, `left` and `right` (the sums), `cells` (the addresses summed).
* `warnings`: notes on the input; `meta`: `kind`, `agency`, `level`, `report_year`, `published`,
  `placer`, and `truncated_tables` when the input ends inside a table (a text that stops inside a line, or
  a last row printed one cell per line that is short of its width); `fact_choices` when the prose's figure
  chose among a doubtful row's readings (`fact`, `row`, `previous` and `chosen` raw cells; flag `fact_chosen`),
  and `identity` (the ids) for a row whose reading a column identity then made follow.
"""


def contract_markdown() -> str:
    """Return the contract document (Markdown) for every template."""
    parts = [_HEADER]
    for template_id in TEMPLATE_IDS:
        parts.extend(_template_section(get_template(template_id)))
    return "\n".join(parts).rstrip("\n") + "\n"


def _template_section(template: Template) -> Iterator[str]:
    yield f"## `{template.id}` — {template.name}\n"
    for table in template.tables:
        yield from _table_section(table)


def _table_section(table: TableSpec) -> Iterator[str]:
    yield f"### `{table.key}` — {table.heading}\n"
    yield "| column | label as printed | header path | kind |"
    yield "|---|---|---|---|"
    for col in table.cols:
        yield f"| `{col.key}` | {_cell(col.label)} | {_cell(' / '.join(col.path))} | {col.kind} |"
    yield ""
    yield "| row | number | label as printed | columns | replaces |"
    yield "|---|---|---|---|---|"
    all_cols = tuple(c.key for c in table.cols)
    for row in table.rows:
        cols = "all" if row.cols == all_cols else ", ".join(f"`{c}`" for c in row.cols)
        replaces = ", ".join(f"`{r}`" for r in row.replaces)
        yield f"| `{row.key}` | {_cell(row.number)} | {_cell(row.label)} | {cols} | {replaces} |"
    yield ""
    if table.identities:
        yield "| identity | level | formula | description |"
        yield "|---|---|---|---|"
        for ident in table.identities:
            yield f"| `{ident.id}` | {ident.cls} | `{ident.formula}` | {_cell(ident.text)} |"
        yield ""


def _cell(text: str) -> str:
    """Make ``text`` safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ") if text else "—"


def main(argv: list[str] | None = None) -> int:
    """Write the contract to the path given (or print it)."""
    args = sys.argv[1:] if argv is None else argv
    text = contract_markdown()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
