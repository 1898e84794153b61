"""Tab-separated rows (a table copied out of a word processor or spreadsheet): one tab between two
cells, so two tabs enclose an empty cell and a tab that ends a row leaves an empty last cell.

Built from dev renderings: seed004's pipe rows and r025's HTML grid (blank cells among values)
re-printed with tabs must read as their gold says.
"""

from __future__ import annotations

import re

import gxparse
from gxparse.html_text import html_to_text
from gxparse.layouts.pipe_grid import _pads_nothing
from gxparse.normalize import normalize_text, tabs_as_cell_edges
from gxparse.scan import scan_region
from tests.conftest import DEV, dev_gold

def _as_tab_rows(pipe_text: str) -> str:
    """Pipe rows with each ``|`` a tab (a trailing ``|`` stays a trailing tab)."""
    return "\n".join(re.sub(r"\s*\|\s*", "\t", line) if "|" in line else line for line in pipe_text.split("\n"))


def _cells(report: gxparse.Report) -> dict[str, object]:
    tables = report.to_dict()["tables"]
    return {f"{t}.{r}.{c}": v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


def _gold_cells(gold: dict) -> dict[str, object]:
    return {f"{t}.{r}.{c}": v for t, rows in gold["tables"].items() for r, cols in rows.items() for c, v in cols.items()}


def test_tabs_between_cells_become_pipes_and_keep_offsets() -> None:
    text, offsets = tabs_as_cell_edges("规章\t31\t5\t\n\t2\t\t3\n\t一、总体情况", list(range(22)))
    assert text.split("\n") == ["规章|31|5||", "|2||3", "\t一、总体情况"]  # indentation before a label stays
    assert len(offsets) == len(text) and offsets[text.index("31")] == 3


def test_prose_without_tabs_is_unchanged() -> None:
    assert normalize_text("一、总体情况\n全年 12 件").text == "一、总体情况\n全年 12 件"


def test_seed004_as_tab_rows_reads_as_printed() -> None:
    text = _as_tab_rows((DEV / "seed004.txt").read_text(encoding="utf-8"))
    assert "\t\t" in text
    got = _cells(gxparse.parse(text))
    gold = _gold_cells(dev_gold("seed004"))
    assert {k: got.get(k) for k in gold} == gold


def test_empty_tab_cells_are_blanks_in_their_own_column() -> None:
    """r025's HTML grid (blank ``&nbsp;`` cells among values, blank 总计 cells) copied as tab rows: each
    empty cell stays blank where it stands, no later value shifts left into it."""
    text = html_to_text((DEV / "r025.html").read_text(encoding="utf-8"))
    tab_text = _as_tab_rows(text if isinstance(text, str) else text.text)
    assert "821\t35\t\t\t2\t1\t859" in tab_text
    got = _cells(gxparse.parse(tab_text))
    gold = _gold_cells(dev_gold("r025"))
    assert {k: got.get(k) for k in gold} == gold


def _review_cases_with(text: str, printed: str, replacement: str) -> dict[str, object]:
    """Table 四's cells as parsed from ``text`` with its one ``printed`` passage replaced."""
    assert text.count(printed) == 1
    return gxparse.parse(text.replace(printed, replacement)).to_dict()["tables"]["review_litigation"]["cases"]


def test_an_html_row_whose_first_cell_is_empty_keeps_it() -> None:
    """r025's table 四 with its 5 upheld reviews printed as 5 corrected ones (the first cell blank, the
    identity still holding): the row's text begins with ``|``, which in HTML is no grid edge but the
    end of an empty first cell, so 5 stays in the second column."""
    html = (DEV / "r025.html").read_text(encoding="utf-8")
    got = _review_cases_with(html, '<tr><td style="width:28px;"><p>5</p></td><td style="width:40px;">&nbsp;</td>',
                             '<tr><td style="width:28px;">&nbsp;</td><td style="width:40px;"><p>5</p></td>')
    expected = dev_gold("r025")["tables"]["review_litigation"]["cases"] | {"review_upheld": None, "review_corrected": 5}
    assert got == expected


def test_an_html_row_beginning_with_a_pipe_scans_an_empty_first_cell() -> None:
    line = " | 5 |  | 2 | 7 |"  # html_text's rendering of <td>&nbsp;</td><td>5</td><td>&nbsp;</td>…
    items = [(it.kind, it.text) for it in scan_region(line, 0, len(line), mode="pipe", exact_cells=True)]
    assert items == [("blank", ""), ("num", "5"), ("blank", ""), ("num", "2"), ("num", "7")]
    text_items = [(it.kind, it.text) for it in scan_region("| 5 | 2 |", 0, 9, mode="pipe")]
    assert text_items == [("num", "5"), ("num", "2")]  # a text pipe row's leading "|" is its left edge


def test_a_pipe_row_beginning_with_a_pipe_in_an_edgeless_grid_has_an_empty_first_cell() -> None:
    """seed004 prints its rows without a left edge (``1 | 0 | … |``); its table 四 value row with the
    first cell blank and the 1 upheld review printed as corrected begins with ``|``: that ``|`` ends an
    empty first cell, so every value stays in its own column."""
    text = (DEV / "seed004.txt").read_text(encoding="utf-8")
    got = _review_cases_with(text, "1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |",
                             " | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |")
    expected = dev_gold("seed004")["tables"]["review_litigation"]["cases"] | {"review_upheld": None, "review_corrected": 1}
    assert got == expected


def test_a_markdown_grid_keeps_its_left_edge() -> None:
    text = "| 规章 | 1 | 2 | 3 |\n| 行政规范性文件 | 4 | 5 | 6 |"
    assert [(it.kind, it.text) for it in scan_region(text, 0, len(text), mode="pipe")][:4] == [
        ("text", "规章"), ("num", "1"), ("num", "2"), ("num", "3")]


def test_a_tab_row_beginning_with_an_empty_cell_keeps_it_in_place() -> None:
    """seed004's table 四 as tab rows, its value row printed with most cells empty and the first one
    too: the leading tab is one empty cell, not indentation nor two cells (read as two, every value
    would move one column right, and the blank totals leave no identity to notice)."""
    text = _as_tab_rows((DEV / "seed004.txt").read_text(encoding="utf-8"))
    values = [None, 3, None, None, 3, None, None, None, None, None, None, None, 3, 3, 6]
    got = _review_cases_with(text, "1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t1\t0\t0\t0\t1\t",
                             "\t".join("" if v is None else str(v) for v in values))
    assert list(got.values()) == values


def test_an_empty_cell_that_ends_a_tab_row_is_its_blank_last_cell() -> None:
    """seed004's rows as tab rows that end at their last cell (no trailing tab, so nothing pads a row),
    one row of table 三 printed with its 科研机构 and 总计 cells empty (``…\\t0\\t0\\t\\t0\\t0\\t0\\t``): the tab that
    ends it leaves its empty last cell, which the full rows, ending at their last value, show is no filler;
    read as one, a blank would be inferred elsewhere among its zeros."""
    pipe_rows = "\n".join(re.sub(r"[\s|]+$", "", line) for line in (DEV / "seed004.txt").read_text(encoding="utf-8").split("\n"))
    text = _as_tab_rows(pipe_rows)
    printed = "5.属于三类内部事务信息" + "\t0" * 7
    assert text.count(printed + "\n") == 1
    got = gxparse.parse(text.replace(printed + "\n", "5.属于三类内部事务信息\t0\t0\t\t0\t0\t0\t\n")).to_dict()
    assert list(got["tables"]["applications"]["denied_internal_affairs"].values()) == [0, 0, None, 0, 0, 0, None]


def _seed004_tab_rows_with_units_in_table_three() -> str:
    """seed004 as tab rows ending at their last cell, every value of table 三 printed with its unit (``0件``)."""
    pipe_rows = "\n".join(re.sub(r"[\s|]+$", "", line) for line in (DEV / "seed004.txt").read_text(encoding="utf-8").split("\n"))
    lines = _as_tab_rows(pipe_rows).split("\n")
    start = lines.index("三、收到和处理政府信息公开申请情况")
    end = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
    lines[start:end] = [re.sub(r"\t(\d+)(?=\t|$)", r"\t\1件", line) for line in lines[start:end]]
    return "\n".join(lines)


def test_an_empty_last_tab_cell_is_a_blank_where_full_rows_end_with_a_unit() -> None:
    """As above, with every value of table 三 printed with its unit (``…\\t0件\\t0件``): a full row ending in
    ``0件`` ends at its last value as much as one ending in ``0``, so the grid pads nothing and the tab that ends
    the row short of cells leaves its blank last cell."""
    text = _seed004_tab_rows_with_units_in_table_three()
    printed = "5.属于三类内部事务信息" + "\t0件" * 7 + "\n"
    assert text.count(printed) == 1
    got = gxparse.parse(text.replace(printed, "5.属于三类内部事务信息\t0件\t0件\t\t0件\t0件\t0件\t\n")).to_dict()
    assert list(got["tables"]["applications"]["denied_internal_affairs"].values()) == [0, 0, None, 0, 0, 0, None]


def test_a_row_printing_more_label_cells_than_an_unpadded_full_row_is_unpadded() -> None:
    """A grid pads its rows to one width: where full rows of seven columns and one label cell end at their last
    value, a row of seven columns and two label cells (a group's first row) is padded by nothing either; a row
    with fewer label cells than the unpadded ones may be, and so may one of another width."""
    unpadded = {(7, 1)}
    assert _pads_nothing((7, 1), unpadded) and _pads_nothing((7, 2), unpadded)
    assert not _pads_nothing((7, 0), unpadded) and not _pads_nothing((15, 1), unpadded)
    assert not _pads_nothing(None, unpadded)


def test_a_table_four_tab_row_ending_in_an_empty_cell_keeps_its_blank_total() -> None:
    """seed004's rows as tab rows that end at their last cell, table 四's one value row printed with its
    复议后起诉 其他结果 and 总计 cells empty (``…\\t0\\t\\t0\\t``): the table has no full rows to show the grid
    pads nothing, but its header lines do (they end where their cells end, at different widths), so the tab
    that ends the row leaves its blank 总计 rather than a blank inferred among its zeros."""
    pipe_rows = "\n".join(re.sub(r"[\s|]+$", "", line) for line in (DEV / "seed004.txt").read_text(encoding="utf-8").split("\n"))
    text = _as_tab_rows(pipe_rows)
    values = [0, 2, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, None, 0, None]
    got = _review_cases_with(text, "1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t1\t0\t0\t0\t1\n",
                             "\t".join("" if v is None else str(v) for v in values) + "\n")
    assert list(got.values()) == values
