"""Line-oriented layouts: scraped page text with one cell per line, pipe rows, spaced rows, glued runs.

Each writer reproduces the look of real inputs of the dev corpus:

* ``cell_per_line`` (seed000): every cell on its own line, blank-line separated, NBSP-padded zeros,
  split header cells (``商业\\n\\n企业``), placeholders for blank cells.
* ``cell_per_line_blank`` (seed002, r035): the same, a blank cell printed as one extra empty line.
* ``cell_per_line_pipe`` (seed001, r021): one cell per line with a `` |`` suffix.
* ``pipe_rows`` (seed004, r020): one table row per line, group labels only on the first row of their
  span, ``| ||||`` fillers, ``————`` or blank placeholders, blank cells sometimes dropped.
* ``space_rows`` (r207, r208): label then values separated by 1–3 spaces, sometimes irregular.
* ``glued`` (r004, r201, r009): no separators at all, sections on one or a few lines, stray spaces.
"""

from __future__ import annotations

import numpy as np

from gxparse.synth.frame import Writer
from gxparse.synth.model import SPLIT, Block, Builder, DataRow, LogicalTable, Style, Val

NBSP = "\u00a0"


def row_labels(row: DataRow) -> list[str]:
    """The label cells printed on a row: the groups starting on it, then its own label."""
    return [g.label for g in row.starts] + ([row.label] if row.label else [])


class CellPerLine(Writer):
    """One cell per line, lines separated by an empty line (seed000)."""

    sep = "\n\n"
    blank_cells = False

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        super().__init__(builder, style, rng)
        self.pad = rng.random() < 0.35
        self.fillers = self.blank_cells and rng.random() < 0.6

    def _cell(self, text: str) -> None:
        self.b.text(text.replace(SPLIT, self.sep) + self.sep)

    def _blank(self) -> None:
        self.b.text("\n")

    def _value(self, val: Val) -> None:
        token = self.style.token(val)
        if val.value is None and (self.blank_cells or not token):
            self.b.value(val, "")
            self._blank()
            return
        left = right = ""
        if self.pad and self.rng.random() < 0.6:
            left, right = (NBSP, "") if self.rng.random() < 0.5 else ("", NBSP)
        self.b.text(left)
        self.b.value(val, token)
        self.b.text(right + self.sep)

    def _block(self, block: Block) -> None:
        if block.caption:
            self._cell(block.caption)
        for header in block.headers:
            for cell in header:
                self._cell(cell)
        filler = self.fillers and 1 < len(block.headers[0]) - 1 < 3
        if filler:
            self._blank()
        for row in block.rows:
            for label in row_labels(row):
                self._cell(label)
            for val in row.cells:
                self._value(val)
            if filler:
                self._blank()

    def table(self, table: LogicalTable) -> None:
        """Print every caption, header cell, label and value on its own line."""
        for block in table.blocks:
            self._block(block)


class CellPerLineBlank(CellPerLine):
    """One cell per line; a blank cell is an extra empty line (seed002, r035)."""

    blank_cells = True


class CellPerLinePipe(CellPerLine):
    """One cell per line with a `` |`` suffix (seed001, r021)."""

    sep = "\n"

    def heading_pieces(self, pieces: tuple[str, ...]) -> None:
        """A split heading: one cell per piece, as the heading's own table row."""
        for piece in pieces:
            self._cell(piece)

    def _cell(self, text: str) -> None:
        self.b.text(text.replace(SPLIT, " ") + " |\n")

    def _value(self, val: Val) -> None:
        self.b.value(val, self.style.token(val))
        self.b.text(" |\n")


class PipeRows(Writer):
    """One table row per line, cells joined by `` | `` with trailing filler pipes (seed004)."""

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        super().__init__(builder, style, rng)
        self.fill = rng.random() < 0.7
        self.none_mode = str(rng.choice(["placeholder", "blank", "drop"], p=[0.5, 0.3, 0.2]))
        self.placeholder = style.placeholder or "————"

    def heading_pieces(self, pieces: tuple[str, ...]) -> None:
        """A split heading: its pieces as the cells of one pipe row."""
        self.b.text(" | ".join(pieces) + " |\n")

    def _row(self, labels: list[str], vals: tuple[Val, ...], width: int) -> None:
        items: list[str | Val] = [label.replace(SPLIT, " ") for label in labels]
        for val in vals:
            if val.value is None and self.none_mode == "drop":
                self.b.cells[val.key] = None
            else:
                items.append(val)
        for i, item in enumerate(items):
            self.b.text(" | " if i else "")
            if isinstance(item, str):
                self.b.text(item)
            else:
                none_token = self.placeholder if self.none_mode == "placeholder" else ""
                self.b.value(item, none_token if item.value is None else self.style.token(item))
        missing = width - len(items)
        self.b.text(" |" + (" " + "|" * missing if self.fill and missing > 0 else "") + "\n")

    def table(self, table: LogicalTable) -> None:
        """Print captions, header rows and data rows as pipe rows."""
        for block in table.blocks:
            if block.caption:
                self._row([block.caption], (), block.width)
            for header in block.headers:
                self._row(list(header), (), block.width)
            for row in block.rows:
                self._row(row_labels(row), row.cells, block.width)


class SpaceRows(Writer):
    """One row per line, label and values separated by 1–3 spaces, sometimes irregular (r207, r208)."""

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        super().__init__(builder, style, rng)
        self.gap = " " * int(rng.integers(1, 4))
        self.row_sep = "\n" if rng.random() < 0.7 else " "
        self.irregular = float(rng.choice([0.0, 0.05, 0.15]))

    def _sep(self) -> str:
        if self.rng.random() >= self.irregular:
            return self.gap
        return "" if self.rng.random() < 0.6 else self.gap + " "

    def _line(self, labels: list[str], vals: tuple[Val, ...]) -> None:
        self.b.text(" ".join(label.replace(SPLIT, "") for label in labels))
        for i, val in enumerate(vals):
            token = self.style.token(val)
            self.b.text(self._sep() if labels or i else "")
            self.b.value(val, token)
        self.b.text(self.row_sep)

    def table(self, table: LogicalTable) -> None:
        """Print captions, header rows and data rows as space-separated lines."""
        for block in table.blocks:
            if block.caption:
                self._line([block.caption], ())
            for header in block.headers:
                self._line(list(header), ())
            for row in block.rows:
                self._line(row_labels(row), row.cells)
        self.b.text("" if self.row_sep == "\n" else "\n")


class Glued(Writer):
    """Every cell glued to the next with no separator, on one or a few lines (r004, r201, r009)."""

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        super().__init__(builder, style, rng)
        self.breaks = rng.random() < 0.5
        self.p_space = float(rng.choice([0.0, 0.03, 0.08]))

    def para(self, text: str) -> None:
        """Prose runs on; a line break follows only when this report breaks lines."""
        self.b.text(text + ("\n" if self.breaks else ""))

    def heading(self, text: str) -> None:
        """Headings are glued to what follows (a caption, a note or the next paragraph)."""
        self.b.text(text)

    def heading_pieces(self, pieces: tuple[str, ...]) -> None:
        """A split heading: its pieces separated by a stray space or line break."""
        self.b.text(str(self.rng.choice([" ", "\n"])).join(pieces))

    def _space(self, scale: float = 1.0) -> None:
        if self.rng.random() < self.p_space * scale:
            self.b.text(" ")

    def _label(self, text: str) -> None:
        text = text.replace(SPLIT, "")
        if len(text) > 3 and self.rng.random() < self.p_space:
            cut = int(self.rng.integers(1, len(text)))
            text = text[:cut] + " " + text[cut:]
        self.b.text(text)
        self._space(3)

    def table(self, table: LogicalTable) -> None:
        """Print the table as one run of labels and values with no separators."""
        for block in table.blocks:
            for label in ([block.caption] if block.caption else []) + [c for h in block.headers for c in h]:
                self._label(label)
            for row in block.rows:
                for label in row_labels(row):
                    self._label(label)
                for i, val in enumerate(row.cells):
                    if i:
                        self._space()
                    self.b.value(val, self.style.token(val))
        if self.breaks:
            self.b.text("\n")
