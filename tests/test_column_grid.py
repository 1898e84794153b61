"""Blank cells of a fixed-width copy (``pdftotext -layout``) sit in the columns they leave empty.

Built from a dev rendering: seed002's table 三 printed as a fixed-width text layer (labels padded,
values right-aligned in their columns, some zero cells printed blank) must read as printed; a copy
with single spaces shows no grid and is left alone.
"""

from __future__ import annotations

import gxparse
from gxparse.column_grid import column_blanks
from gxparse.display import display_width
from gxparse.ir import Item, RowProblem, Segmentation, TableProblem
from gxparse.template import get_template
from tests.conftest import dev_gold

LABEL_WIDTH = 76
CELL_WIDTH = 7
BLANK_EVERY = 4  # every fourth zero cell of the rendering is printed blank
PAGED_BLANK_EVERY = 7  # fewer blanks where each page must show its own grid (three full rows a column)


def _fixed_width(rows: dict[str, dict[str, object]], blank: set[tuple[str, str]], label_width: int = LABEL_WIDTH,
                 next_page: tuple[str, int] | None = None) -> str:
    """The table as a fixed-width layer; a label wider than ``label_width`` wraps, its values on its last line.
    ``next_page`` (a row's key, a cell width): a page ends before that row, and the next page sets its cells
    that wide."""
    spec = get_template("gov2021").table("applications")
    lines = ["三、收到和处理政府信息公开申请情况", " " * label_width + "自然人  商业企业 科研机构 社会公益 法律服务 其他  总计"]
    cell_width = CELL_WIDTH
    for row in spec.layout():
        if next_page is not None and row.key == next_page[0]:
            lines.extend(["- 5 -", "", "某某区人民政府2022年政府信息公开工作年度报告"])
            cell_width = next_page[1]
        label = row.number + row.label
        while display_width(label) > label_width:
            cut = next(n for n in range(len(label), 0, -1) if display_width(label[:n]) <= label_width)
            lines.append(label[:cut])
            label = label[cut:]
        cells = ["" if (row.key, col) in blank else str(rows[row.key][col]) for col in row.cols]
        pad = " " * (label_width - display_width(label))
        lines.append(label + pad + "".join(" " * (cell_width - len(c)) + c for c in cells).rstrip())
    return "\n".join(lines + ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "无。"])


def test_seed002_as_a_fixed_width_layer_with_blank_zero_cells() -> None:
    rows = dev_gold("seed002")["tables"]["applications"]
    zeros = [(r, c) for r, cols in rows.items() for c, v in cols.items() if v == 0]
    blank = set(zeros[::BLANK_EVERY])
    assert len(blank) > 10
    got = gxparse.parse(_fixed_width(rows, blank)).to_dict()["tables"]["applications"]
    expected = {r: {c: None if (r, c) in blank else v for c, v in cols.items()} for r, cols in rows.items()}
    assert got == expected


WRAPPED_LABEL_WIDTH = 24
"""A label column of 12 Chinese characters: most labels of 三 wrap over two or three lines, as a PDF prints them."""


def test_seed002_with_wrapped_labels_joined_by_normalisation() -> None:
    """Normalisation joins a wrapped label's lines (``一、本年新收政府信息公开 申请数量   0 …``): the columns still
    count from the line the values are printed on, so the short rows' blanks land in their own columns."""
    rows = dev_gold("seed002")["tables"]["applications"]
    zeros = [(r, c) for r, cols in rows.items() for c, v in cols.items() if v == 0]
    blank = set(zeros[::BLANK_EVERY])
    text = _fixed_width(rows, blank, WRAPPED_LABEL_WIDTH)
    assert "\n申请数量 " in text  # a label wrapped, its values on its last line
    got = gxparse.parse(text).to_dict()["tables"]["applications"]
    expected = {r: {c: None if (r, c) in blank else v for c, v in cols.items()} for r, cols in rows.items()}
    assert got == expected


def test_seed002_with_a_page_break_that_moves_the_columns() -> None:
    """The second page sets its cells wider: no grid fits the whole table, each page's full rows place its
    short rows' blanks."""
    rows = dev_gold("seed002")["tables"]["applications"]
    zeros = [(r, c) for r, cols in rows.items() for c, v in cols.items() if v == 0]
    blank = set(zeros[::PAGED_BLANK_EVERY])
    got = gxparse.parse(_fixed_width(rows, blank, next_page=("unable_not_held", CELL_WIDTH + 3))).to_dict()
    expected = {r: {c: None if (r, c) in blank else v for c, v in cols.items()} for r, cols in rows.items()}
    assert got["tables"]["applications"] == expected


def test_single_space_rows_show_no_grid() -> None:
    """Labels of different lengths, one space before each value: the columns do not line up, nothing is placed."""
    text = "甲 0 0 0\n乙乙 0 0 0\n丙丙丙 0 0 0\n丁 0 0\n"
    rows, offset = [], 0
    for n, line in enumerate(text.splitlines()):
        starts = [offset + i for i, ch in enumerate(line) if ch == "0"]
        rows.append(RowProblem(f"r{n}", ("a", "b", "c"), [Item("num", "0", s, s + 1, n) for s in starts], ()))
        offset += len(line) + 1
    seg = Segmentation(TableProblem("t", rows, ()), {}, frozenset(), "anchored", {}, ())
    assert column_blanks(text, seg) is seg
