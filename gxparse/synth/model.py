"""Layout-independent pieces of the synthetic renderers.

* :class:`Builder` assembles the report text and records the span of every value cell.
* :class:`Style` holds the per-report printing choices (placeholders, punctuation width, split
  headers, signed and money formats) and turns a gold value into its printed token.
* :func:`logical_tables` turns a template and gold tables into captions, header rows and data rows
  with their group labels, which every layout then prints in its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gxparse.template import Template, TableSpec

Span = tuple[int, int]
SPLIT = "\n"  # marks where a header cell is split over lines (商业\n企业); layouts choose the joiner
PLACEHOLDERS = ("", "————", "—", "/", "无")
_PLACEHOLDER_P = (0.4, 0.25, 0.15, 0.1, 0.1)
_SPLITTABLE = {
    "商业企业": 2, "科研机构": 2, "结果维持": 2, "结果纠正": 2, "其他结果": 2, "尚未审结": 2,
    "本年新制作数量": 3, "本年新公开数量": 3, "法律服务机构": 2, "社会公益组织": 2,
}


@dataclass(frozen=True)
class Val:
    """One value cell: its address ``table.row.col`` and its gold value."""

    key: str
    value: Any


@dataclass(frozen=True)
class Group:
    """A rowspanned group label (三、本年度办理结果, （三）不予公开 …) and how many rows it spans."""

    label: str
    size: int


@dataclass(frozen=True)
class DataRow:
    """A printed data row: own label, the groups that start on it (outermost first), its cells."""

    key: str
    label: str
    starts: tuple[Group, ...]
    depth: int
    cells: tuple[Val, ...]


@dataclass(frozen=True)
class Block:
    """A caption-delimited part of a table: caption, header rows (cells) and data rows."""

    caption: str
    headers: tuple[tuple[str, ...], ...]
    rows: tuple[DataRow, ...]
    width: int


@dataclass(frozen=True)
class LogicalTable:
    """One canonical table ready to print: key, heading and blocks (empty when not printed)."""

    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass
class Builder:
    """Accumulates text and records the ``(start, end)`` span of each value cell.

    ``cells`` maps ``table.row.col`` to the span of the printed value, or ``None`` when the cell is
    blank or a placeholder. ``labels`` maps ``table.row`` to the span of a printed row label
    (recorded for legacy tables, whose gold keeps the label as printed). ``verbatim`` holds the
    cells whose gold is a string (legacy units): script conversion must leave them as printed.
    """

    parts: list[str] = field(default_factory=list)
    size: int = 0
    cells: dict[str, Span | None] = field(default_factory=dict)
    labels: dict[str, Span] = field(default_factory=dict)
    verbatim: set[str] = field(default_factory=set)

    def text(self, text: str) -> None:
        """Append plain text (labels, separators, prose)."""
        self.parts.append(text)
        self.size += len(text)

    def value(self, val: Val, token: str) -> None:
        """Append a value token and record its span (``None`` for a blank or placeholder)."""
        self.cells[val.key] = (self.size, self.size + len(token)) if val.value is not None and token else None
        if isinstance(val.value, str):
            self.verbatim.add(val.key)
        self.text(token)

    def label(self, key: str, text: str) -> None:
        """Append a row label and record its span under ``key``."""
        self.labels[key] = (self.size, self.size + len(text))
        self.text(text)

    def getvalue(self) -> str:
        """The text assembled so far."""
        return "".join(self.parts)


def float_text(value: float) -> str:
    """Print a float with exactly its own decimals (``52.29``, ``4166.241619``), never in e-notation."""
    text = repr(value)
    return text if "e" not in text else f"{value:.6f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Style:
    """Per-report printing choices, drawn once per report by :func:`draw_style`."""

    placeholder: str
    halfwidth: bool
    split_headers: bool
    minus_word: bool
    plus_sign: bool
    amount_unit: str
    in_force_label: str
    short_partial: bool

    def token(self, val: Val) -> str:
        """The printed text of a value cell: digits, decimals, a signed form or the placeholder."""
        value = val.value
        if value is None:
            return self.placeholder
        if isinstance(value, str):
            return value
        text = float_text(value) if isinstance(value, float) else str(value)
        col = val.key.rsplit(".", 1)[1]
        if col == "change_this_year" and value < 0 and self.minus_word:
            return f"减{-value}"
        if col == "change_this_year" and value > 0 and self.plus_sign:
            return f"+{text}"
        if col == "procurement_amount" and value:
            return text + self.amount_unit
        return text

    def header(self, label: str) -> str:
        """A header label, split in two (marked with :data:`SPLIT`) when this report splits headers."""
        cut = _SPLITTABLE.get(label)
        return label[:cut] + SPLIT + label[cut:] if self.split_headers and cut else label


def draw_style(rng: np.random.Generator) -> Style:
    """Draw the printing choices of one report."""
    return Style(
        placeholder=str(rng.choice(PLACEHOLDERS, p=_PLACEHOLDER_P)),
        halfwidth=bool(rng.random() < 0.45),
        split_headers=bool(rng.random() < 0.5),
        minus_word=bool(rng.random() < 0.15),
        plus_sign=bool(rng.random() < 0.05),
        amount_unit=str(rng.choice(["", "", "元", "万元"])),
        in_force_label=str(rng.choice(["现行有效件数", "现行有效件数", "现行有效件"])),
        short_partial=bool(rng.random() < 0.05),
    )


def _vals(table: str, row: str, cols: tuple[str, ...], data: dict[str, dict[str, Any]]) -> tuple[Val, ...]:
    values = data.get(row, {})
    return tuple(Val(f"{table}.{row}.{c}", values.get(c)) for c in cols)


def _active_blocks(spec: TableSpec, data: dict[str, dict[str, Any]], style: Style) -> tuple[Block, ...]:
    labels = {c.key: c.label for c in spec.cols} | {"in_force": style.in_force_label}
    blocks = []
    for block in spec.blocks:
        header = ("信息内容", *(style.header(labels[c]) for c in block.cols))
        rows = tuple(
            DataRow(r.key, r.label, (), 0, _vals(spec.key, r.key, r.cols, data))
            for r in spec.rows if r.block == block.key
        )
        blocks.append(Block(block.caption, (header,), rows, 4))
    return tuple(blocks)


def _row_label(path: tuple[str, ...], style: Style) -> str:
    label = path[-1]
    return label.split("（区分", 1)[0] if style.short_partial and label.startswith("（二）部分公开") else label


def _group_rows(spec: TableSpec, rows: tuple[Any, ...], data: dict[str, dict[str, Any]], style: Style) -> tuple[DataRow, ...]:
    out = []
    for i, row in enumerate(rows):
        prev = rows[i - 1].path if i else ()
        starts = []
        for level in range(len(row.path) - 1):
            prefix = row.path[: level + 1]
            if prev[: level + 1] != prefix:
                size = sum(1 for r in rows[i:] if r.path[: level + 1] == prefix)
                starts.append(Group(row.path[level], size))
        cells = _vals(spec.key, row.key, tuple(c.key for c in spec.cols), data)
        out.append(DataRow(row.key, _row_label(row.path, style), tuple(starts), len(row.path) - 1, cells))
    return tuple(out)


def _applications_block(spec: TableSpec, data: dict[str, dict[str, Any]], style: Style) -> Block:
    note = "（本列数据的勾稽关系为：" + spec.identities[0].text + "）"
    groups = {str(g["key"]): str(g["label"]) for g in spec.col_groups}
    cols = [style.header(c.label) for c in spec.cols]
    headers = ((note, groups["applicant"]), (cols[0], groups["legal_person_or_other_org"], cols[6]), tuple(cols[1:6]))
    alternatives = "other_handling" in data
    rows = _group_rows(spec, spec.layout(alternatives=alternatives), data, style)
    return Block("", headers, rows, 10)


def _review_block(spec: TableSpec, data: dict[str, dict[str, Any]], style: Style) -> Block:
    groups = {str(g["key"]): str(g["label"]) for g in spec.col_groups}
    measures = tuple(style.header(c.label) for c in spec.cols[:5])
    headers = (
        (groups["review"], groups["litigation"]),
        (*measures, groups["litigation_direct"], groups["litigation_after_review"]),
        measures + measures,
    )
    row = DataRow("cases", "", (), 0, _vals(spec.key, "cases", tuple(c.key for c in spec.cols), data))
    return Block("", headers, (row,), 15)


def logical_tables(template: Template, tables: dict[str, Any], style: Style) -> tuple[LogicalTable, ...]:
    """The printable view of every table of a gov template (blocks empty for an absent table)."""
    builders = {"active_disclosure": _active_blocks,
                "applications": lambda s, d, st: (_applications_block(s, d, st),),
                "review_litigation": lambda s, d, st: (_review_block(s, d, st),)}
    out = []
    for spec in template.tables:
        data = tables.get(spec.key)
        blocks = builders[spec.key](spec, data, style) if data is not None else ()
        out.append(LogicalTable(spec.key, spec.heading, blocks))
    return tuple(out)
