"""Document-converter layouts: PDF text layer, Markdown made from a PDF, HTML tables.

* ``pdf_text`` (r002.pdftext.txt): rows as ``label v v v`` lines, long labels wrapped over 2–3
  lines with the value line on the first, middle or last of them or on its own line just before
  or after, the 三、本年度办理结果 group label written vertically one character per line, sub-group
  labels at the middle of their span, header cells split into narrow columns, page numbers.
* ``markdown`` (r014.md): rows scattered over many small ``| a | b |`` tables, some rows without
  their label (printed as plain wrapped lines outside the table).
* ``html`` (r025.html): a real table with rowspan/colspan group labels and ``&nbsp;`` blanks.
"""

from __future__ import annotations

import numpy as np

from gxparse.synth.frame import Writer
from gxparse.synth.lines import row_labels
from gxparse.synth.model import SPLIT, Block, Builder, DataRow, LogicalTable, Style, Val

Line = list["str | Val"]


def wrap(text: str, width: int) -> list[str]:
    """Cut ``text`` into lines of about ``width`` characters, never inside a run of digits."""
    lines = []
    start = 0
    while start < len(text):
        end = min(start + width, len(text))
        while end < len(text) and text[end - 1].isdigit() and text[end].isdigit():
            end += 1
        lines.append(text[start:end])
        start = end
    return lines or [""]


def column_lines(labels: list[str], width: int) -> list[str]:
    """Header cells printed as narrow PDF columns: line i holds the i-th piece of each cell, centred."""
    chunks = [wrap(label.replace(SPLIT, ""), width) for label in labels]
    height = max(len(c) for c in chunks)
    lines = []
    for i in range(height):
        pieces = [c[i - (height - len(c)) // 2] for c in chunks if 0 <= i - (height - len(c)) // 2 < len(c)]
        lines.append(" ".join(pieces))
    return lines


def applications_header_lines(block: Block, rng: np.random.Generator) -> list[str]:
    """The 三 header as a PDF text layer prints it: group labels, the wrapped note, split columns."""
    (note, applicant), (natural, legal, total), orgs = block.headers
    note_lines = wrap(note, int(rng.integers(18, 28)))
    cols = column_lines([natural, *orgs, total], int(rng.integers(2, 4)))
    head = [applicant, legal]
    return head + note_lines + cols if rng.random() < 0.6 else note_lines + head + cols


def review_header_lines(block: Block, rng: np.random.Generator) -> list[str]:
    """The 四 header as a PDF text layer prints it: two group lines, then the 15 measure columns."""
    (review, litigation), second, measures = block.headers
    return [f"{review} {litigation}", f"{second[5]} {second[6]}", *column_lines(list(measures) + list(measures[:5]), 2)]


class PdfText(Writer):
    """The text layer of a PDF report (r002.pdftext.txt)."""

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        super().__init__(builder, style, rng)
        self.width = int(rng.integers(28, 36))
        self.label_width = int(rng.integers(12, 20))
        self.page = int(rng.integers(1, 3))
        self.page_len = int(rng.integers(28, 45))
        self.count = 0

    def _emit(self, line: Line) -> None:
        for part in line:
            if isinstance(part, str):
                self.b.text(part)
            else:
                self.b.value(part, self.style.token(part))
        self.b.text("\n")
        self.count += 1
        if self.count >= self.page_len:
            self.b.text(f"- {self.page} -\n")
            self.page += 1
            self.count = 0

    def para(self, text: str) -> None:
        """Prose wrapped at the page width."""
        for line in wrap(text, self.width):
            self._emit([line])

    def heading(self, text: str) -> None:
        """A heading on its own line."""
        self._emit([text])

    def _values(self, vals: tuple[Val, ...]) -> Line:
        line: Line = []
        for val in vals:
            if val.value is None and not self.style.placeholder:
                self.b.cells[val.key] = None
                continue
            line += [" "] if line else []
            line.append(val)
        return line

    def _row_lines(self, row: DataRow) -> list[Line]:
        values = self._values(row.cells)
        width = max(self.label_width, -(-len(row.label) // 3))
        label = wrap(row.label, width) if row.label else []
        lines: list[Line] = [[text] for text in label]
        if not label or not values:
            return lines + ([values] if values else [])
        if len(label) == 1:
            place = str(self.rng.choice(["first", "before", "after"], p=[0.85, 0.08, 0.07]))
        else:
            place = str(self.rng.choice(["first", "middle", "last", "before", "after"]))
        if place == "before":
            return [values, *lines]
        if place == "after":
            return [*lines, values]
        if place == "middle" and len(lines) == 2:
            return [lines[0], values, lines[1]]
        at = {"first": 0, "middle": len(lines) // 2, "last": len(lines) - 1}[place]
        lines[at] = lines[at] + [" "] + values
        return lines

    def _place_subgroup(self, row_lines: list[list[Line]], start: int, label: str, size: int) -> None:
        mid = row_lines[start + (size - 1) // 2]
        prefix: Line = [label, " "]
        if self.rng.random() < 0.5:
            mid.insert(0, [label])
        else:
            mid[0] = prefix + mid[0]

    def _vertical(self, lines: list[Line], label: str) -> None:
        step = max(1, len(lines) // (len(label) + 1))
        start = max(0, (len(lines) - step * len(label)) // 2)
        for j in reversed(range(len(label))):
            at = min(len(lines) - 1, start + j * step)
            prefix: Line = [label[j], " "]
            if self.rng.random() < 0.5:
                lines.insert(at, [label[j]])
            else:
                lines[at] = prefix + lines[at]

    def _grouped_rows(self, rows: tuple[DataRow, ...]) -> list[Line]:
        row_lines = [self._row_lines(row) for row in rows]
        outer: tuple[int, int, str] | None = None
        for i, row in enumerate(rows):
            for j, group in enumerate(row.starts):
                if row.depth - len(row.starts) + j == 0:
                    outer = (i, group.size, group.label)
                else:
                    self._place_subgroup(row_lines, i, group.label, group.size)
        flat = [line for lines in row_lines for line in lines]
        if outer is None:
            return flat
        begin = sum(len(lines) for lines in row_lines[: outer[0]])
        end = begin + sum(len(lines) for lines in row_lines[outer[0]: outer[0] + outer[1]])
        span = flat[begin:end]
        self._vertical(span, outer[2])
        return flat[:begin] + span + flat[end:]

    def table(self, table: LogicalTable) -> None:
        """Print a table the way a PDF text extractor returns it."""
        for block in table.blocks:
            if block.caption:
                self._emit([block.caption])
            if table.key == "applications":
                header = applications_header_lines(block, self.rng)
            elif table.key == "review_litigation":
                header = review_header_lines(block, self.rng)
            else:
                header = [" ".join(c.replace(SPLIT, "") for c in h) for h in block.headers]
            for text in header:
                self._emit([text])
            for line in self._grouped_rows(block.rows):
                self._emit(line)


class Markdown(Writer):
    """Markdown made from a PDF: rows scattered over many small tables (r014.md)."""

    sep = "\n\n"

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        super().__init__(builder, style, rng)
        self.width = int(rng.integers(26, 34))
        self.p_labelless = float(rng.choice([0.0, 0.2, 0.4]))

    def para(self, text: str) -> None:
        """Prose wrapped at the page width, paragraphs separated by an empty line."""
        self.b.text("\n".join(wrap(text, self.width)) + "\n\n")

    def heading(self, text: str) -> None:
        """A heading line."""
        self.b.text(text + "\n")

    def _md_row(self, cells: list[str | Val]) -> None:
        self.b.text("|")
        for cell in cells:
            self.b.text(" ")
            if isinstance(cell, str):
                self.b.text(cell.replace(SPLIT, ""))
            else:
                self.b.value(cell, self.style.token(cell))
            self.b.text(" |")
        self.b.text("\n")

    def _md_table(self, rows: list[list[str | Val]]) -> None:
        for i, cells in enumerate(rows):
            self._md_row(cells)
            if i == 0:
                self.b.text("|" + "---|" * len(cells) + "\n")
        self.b.text("\n")

    def _plain(self, lines: list[str]) -> None:
        if lines:
            self.b.text("\n".join(lines) + "\n")

    def _chunked_rows(self, rows: tuple[DataRow, ...]) -> None:
        i = 0
        while i < len(rows):
            chunk = rows[i: i + int(self.rng.integers(1, 7))]
            i += len(chunk)
            plain: list[str] = []
            md_rows: list[list[str | Val]] = []
            for row in chunk:
                labels = row_labels(row)
                if self.rng.random() < self.p_labelless:
                    plain += [line for label in labels for line in wrap(label, 10)]
                    labels = []
                md_rows.append([*labels, *row.cells])
            self._plain(plain)
            self._md_table(md_rows)

    def table(self, table: LogicalTable) -> None:
        """Print captions and headers as plain lines and the rows as small Markdown tables."""
        if self.rng.random() < 0.5:
            self.b.text(f"## 表{table.heading[0]}：{table.heading[2:]}\n")
        for block in table.blocks:
            if table.key == "applications":
                self._plain(applications_header_lines(block, self.rng))
            elif table.key == "review_litigation":
                self._plain(review_header_lines(block, self.rng)[:2])
                self._md_table([list(block.headers[2]), list(block.rows[0].cells)])
                continue
            else:
                self._plain([block.caption, "".join(c.replace(SPLIT, "") for c in block.headers[0])])
                if self.rng.random() < 0.4:
                    self._plain_rows(block.rows)
                    continue
            self._chunked_rows(block.rows)

    def _plain_rows(self, rows: tuple[DataRow, ...]) -> None:
        """Rows the PDF converter left as text lines (``行政许可 97``)."""
        for row in rows:
            self.b.text(row.label)
            for val in row.cells:
                self.b.text(" ")
                self.b.value(val, self.style.token(val))
            self.b.text("\n")


class Html(Writer):
    """An HTML table with rowspan/colspan group labels and ``&nbsp;`` blanks (r025.html)."""

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        super().__init__(builder, style, rng)
        self.nl = "\n" if rng.random() < 0.5 else ""
        self.wrap_p = rng.random() < 0.6
        self.blank = style.placeholder or "&nbsp;"

    def para(self, text: str) -> None:
        """A ``<p>`` paragraph."""
        self.b.text(f"<p>{text}</p>{self.nl}")

    def heading_pieces(self, pieces: tuple[str, ...]) -> None:
        """A split heading: one ``<p>`` per piece, or the cells of a one-row table."""
        if self.rng.random() < 0.5:
            super().heading_pieces(pieces)
            return
        cells = "".join(f"<td>{piece}</td>" for piece in pieces)
        self.b.text(f"<table><tbody><tr>{cells}</tr></tbody></table>{self.nl}")

    def _td(self, content: str | Val, colspan: int = 1, rowspan: int = 1) -> None:
        attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
        self.b.text(f"<td{attrs}>" + ('<p align="center">' if self.wrap_p else ""))
        if isinstance(content, str):
            self.b.text(content.replace(SPLIT, "<br />"))
        else:
            self.b.value(content, self.blank if content.value is None else self.style.token(content))
        self.b.text(("</p>" if self.wrap_p else "") + "</td>")

    def _tr(self, cells: list[tuple[str | Val, int, int]]) -> None:
        self.b.text("<tr>")
        for content, colspan, rowspan in cells:
            self._td(content, colspan, rowspan)
        self.b.text("</tr>" + self.nl)

    def _active(self, block: Block) -> None:
        self._tr([(block.caption, 4, 1)])
        head, *labels = block.headers[0]
        spans = {1: [3], 2: [1, 2], 3: [1, 1, 1]}[len(labels)]
        self._tr([(head, 1, 1), *zip(labels, spans, [1] * 3)])
        for row in block.rows:
            self._tr([(row.label, 1, 1), *zip(row.cells, spans, [1] * 3)])

    def _applications(self, block: Block) -> None:
        (note, applicant), (natural, legal, total), orgs = block.headers
        self._tr([(note, 3, 3), (applicant, 7, 1)])
        self._tr([(natural, 1, 2), (legal, 5, 1), (total, 1, 2)])
        self._tr([(org, 1, 1) for org in orgs])
        for row in block.rows:
            groups: list[tuple[str | Val, int, int]] = [(g.label, 1, g.size) for g in row.starts]
            self._tr([*groups, (row.label, 3 - row.depth, 1), *((v, 1, 1) for v in row.cells)])

    def _review(self, block: Block) -> None:
        (review, litigation), second, measures = block.headers
        self._tr([(review, 5, 1), (litigation, 10, 1)])
        self._tr([*((m, 1, 2) for m in second[:5]), (second[5], 5, 1), (second[6], 5, 1)])
        self._tr([(m, 1, 1) for m in measures])
        self._tr([(v, 1, 1) for v in block.rows[0].cells])

    def table(self, table: LogicalTable) -> None:
        """Print one ``<table>`` per canonical table."""
        self.b.text('<table border="1" cellspacing="0" cellpadding="0"><tbody>' + self.nl)
        for block in table.blocks:
            {"applications": self._applications, "review_litigation": self._review}.get(table.key, self._active)(block)
        self.b.text("</tbody></table>" + self.nl)
