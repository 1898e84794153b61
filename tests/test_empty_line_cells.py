"""One cell per line with no empty line between cells, where an empty cell prints as an empty line
(an HTML table's cells copied out line by line, an empty ``<td>`` giving an empty line).

Built from a dev rendering: r025's HTML grid (blank ``&nbsp;`` cells among values, blank 总计 cells)
re-printed one cell per line must read as its gold says, each empty line a blank cell where it stands.
"""

from __future__ import annotations

import gxparse
from gxparse.html_text import html_to_text
from gxparse.ir import Item, RowProblem
from gxparse.layouts.base import with_empty_line_blanks
from tests.conftest import DEV, dev_gold

COLS = ("a", "b", "c", "d")


def _one_cell_per_line(pipe_text: str) -> str:
    """Pipe rows with each cell on a line of its own (an empty cell an empty line)."""
    out: list[str] = []
    for line in pipe_text.split("\n"):
        if "|" in line:
            out.extend(c.strip() for c in line.strip().strip("|").split("|"))
        else:
            out.append(line)
    return "\n".join(out)


def _row(text: str, values: list[str]) -> RowProblem:
    """The row of ``values`` as scanned from ``text`` (each value found after the one before)."""
    items, at = [], 0
    for value in values:
        start = text.index(value, at)
        at = start + len(value)
        items.append(Item("num", value, start, at, text.count("\n", 0, start)))
    return RowProblem("r", COLS, items)


def _layout(row: RowProblem) -> list[str]:
    return [it.text if it.kind != "blank" else "_" for it in row.items]


def test_r025_printed_one_cell_per_line_with_empty_cells_reads_as_its_gold() -> None:
    text = html_to_text((DEV / "r025.html").read_text(encoding="utf-8"))
    lines_text = _one_cell_per_line(text if isinstance(text, str) else text.text)
    assert "\n821\n35\n\n\n2\n1\n859\n" in lines_text
    tables = gxparse.parse(lines_text).to_dict()["tables"]
    gold = dev_gold("r025")["tables"]
    got = {(t, r, c): tables.get(t, {}).get(r, {}).get(c) for t, rows in gold.items() for r, cols in rows.items()
           for c in cols}
    assert got == {(t, r, c): v for t, rows in gold.items() for r, cols in rows.items() for c, v in cols.items()}


def test_empty_lines_that_account_for_the_missing_cells_are_blanks_where_they_stand() -> None:
    text = "行政许可\n\n11\n\n25\n行政处罚\n"
    assert _layout(with_empty_line_blanks(text, _row(text, ["11", "25"]))) == ["_", "11", "_", "25"]
    text = "行政许可\n11\n25\n\n\n行政处罚\n"
    assert _layout(with_empty_line_blanks(text, _row(text, ["11", "25"]))) == ["11", "25", "_", "_"]


def test_empty_lines_that_do_not_account_for_the_missing_cells_are_left_to_placement() -> None:
    text = "行政许可\n\n11\n\n25\n\n行政处罚\n"  # every line followed by an empty one: separators, not cells
    row = _row(text, ["11", "25"])
    assert with_empty_line_blanks(text, row) is row
    text = "行政许可\n11 25\n\n\n行政处罚\n"  # two values on one line: not a row of one cell per line
    row = _row(text, ["11", "25"])
    assert with_empty_line_blanks(text, row) is row


def test_a_lone_value_between_empty_line_blanks_is_one_cell() -> None:
    """r035 printed one cell per line with no empty line between cells, its 规章 row's first and last
    cells empty lines around 10: the row is printed one cell per line, so 10 is one cell, not a glued
    1 | 0 with an empty line ignored."""
    import re

    text = re.sub(r"\n\n+", "\n", (DEV / "r035.txt").read_text(encoding="utf-8"))
    printed = "规章\n0\n0\n0\n规范性文件\n"
    assert text.count(printed) == 1
    got = gxparse.parse(text.replace(printed, "规章\n\n10\n\n规范性文件\n")).to_dict()["tables"]["active_disclosure"]
    assert got["regulations"] == {"newly_made": None, "newly_published": 10, "total_published": None}
    assert got["normative_documents"] == dev_gold("r035")["tables"]["active_disclosure"]["normative_documents"]


def test_a_count_unit_printed_after_a_value_is_in_its_cell() -> None:
    """``0件``: the unit after a value is part of its cell, not something between two cells."""
    text = "行政许可\n\n11件\n\n25件\n行政处罚\n"
    assert _layout(with_empty_line_blanks(text, _row(text, ["11", "25"]))) == ["_", "11", "_", "25"]
    text = "行政许可\n11件\n25\n\n\n行政处罚\n"
    assert _layout(with_empty_line_blanks(text, _row(text, ["11", "25"]))) == ["11", "25", "_", "_"]


def test_r025_one_cell_per_line_with_units_after_values_reads_as_its_gold() -> None:
    """r025's grid one cell per line, ``件`` printed after every number of 三 (a copy that keeps the unit)."""
    text = html_to_text((DEV / "r025.html").read_text(encoding="utf-8"))
    lines = _one_cell_per_line(text if isinstance(text, str) else text.text).split("\n")
    start = next(n for n, line in enumerate(lines) if "本年新收" in line)
    end = next(n for n, line in enumerate(lines) if n > start and "结转下年度" in line) + 8
    with_units = [f"{line}件" if n in range(start, end) and line.isdigit() else line for n, line in enumerate(lines)]
    assert "\n821件\n35件\n\n\n2件\n" in "\n".join(with_units)
    tables = gxparse.parse("\n".join(with_units)).to_dict()["tables"]
    gold = dev_gold("r025")["tables"]["applications"]
    assert tables["applications"] == gold


def test_a_unit_printed_after_a_value_does_not_hide_the_empty_lines_around_it() -> None:
    """A browser's copy prints each cell on its line with the unit some cells carry (``0件``): the unit is part
    of its cell, so the empty line after ``0件`` is still the row's blank last cell, and one between two values
    still a blank where it stands."""
    text = "行政许可\n11件\n25\n\n\n行政处罚\n"
    assert _layout(with_empty_line_blanks(text, _row(text, ["11", "25"]))) == ["11", "25", "_", "_"]
    text = "行政许可\n11件\n\n25件\n\n行政处罚\n"
    assert _layout(with_empty_line_blanks(text, _row(text, ["11", "25"]))) == ["11", "_", "25", "_"]
