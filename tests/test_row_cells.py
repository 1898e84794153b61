"""Rows printed with fewer cells than columns: which cells are blank.

Scraped grids drop blank cells (``| 5 | | 3 |`` → ``5 | 3``), one-cell-per-line copies print a blank
cell as an extra empty line, and an excerpt ends with its table. Small constructed inputs pin each
mechanism: the printed tokens are read and the cells they do not fill come out blank, never absent.
"""

from __future__ import annotations

import pytest

import gxparse
from gxparse.candidates import enumerate_candidates
from gxparse.ir import Item, LayoutRegion, Region
from gxparse.layouts.cell_per_line import CellPerLine
from gxparse.layouts.inline import Inline
from gxparse.template import get_template

_TABLE_ONE = "第二十条第(一)项\n\n规章\n\n1\n\n2\n\n3\n\n行政规范性文件\n\n4"


def _cell_per_line_rows(text: str, end: int, *, truncated: bool) -> dict[str, list[str]]:
    spec = get_template("gov2021").table("active_disclosure")
    region = LayoutRegion(text, Region("active_disclosure", 0, 0, end, truncated), spec)
    return {row.key: [it.kind for it in row.items] for row in CellPerLine().segment(region).problem.rows}


def test_a_lone_number_under_a_wide_row_is_read_with_blanks_inferred_beside_it() -> None:
    cands = enumerate_candidates([Item("num", "0", 10, 11, 3)], 7)
    assert cands, "the printed 0 is one of the row's cells"
    assert all([r.kind for r in c.readings].count("num") == 1 for c in cands)
    assert all([r.kind for r in c.readings].count("missing") == 6 for c in cands)


def test_closing_blank_lines_count_when_the_region_ends_at_the_next_text() -> None:
    text = _TABLE_ONE + "\n\n\n\n三、收到和处理政府信息公开申请情况\n"
    rows = _cell_per_line_rows(text, text.index("三、"), truncated=False)
    assert rows["normative_documents"] == ["num", "blank", "blank"]


def test_closing_blank_lines_count_at_the_end_of_an_excerpt() -> None:
    text = _TABLE_ONE + "\n\n\n\n"
    rows = _cell_per_line_rows(text, len(_TABLE_ONE), truncated=True)
    assert rows["normative_documents"] == ["num", "blank", "blank"]


def test_a_scraped_blank_row_that_ends_an_excerpt_is_blank_not_cut_off() -> None:
    text = ("四、政府信息公开行政复议、行政诉讼情况\n"
            "行政复议 | 行政诉讼 |\n"
            "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
            "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
            " |\n")
    table = gxparse.parse(text).tables["review_litigation"]
    cells = dict(table.rows["cases"])
    assert len(cells) == 15 and all(cell.value is None for cell in cells.values())


def test_an_input_cut_inside_its_last_row_still_reports_only_the_cells_present() -> None:
    text = ("四、政府信息公开行政复议、行政诉讼情况\n"
            "行政复议 | 行政诉讼 |\n"
            "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
            "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
            "1 | 0 | 0 | 0 | 1 | 2 |")
    cells = gxparse.parse(text).tables["review_litigation"].rows["cases"]
    assert [cell.value for cell in cells.values()] == [1, 0, 0, 0, 1, 2]


def test_a_lone_label_number_is_no_cell_of_a_blank_row() -> None:
    cands = enumerate_candidates([Item("num", "2", 10, 11, 3, ("numbering_next",))], 7)
    assert not any(r.kind == "num" for c in cands for r in c.readings)


def _inline_rows(text: str) -> dict[str, list[Item]]:
    spec = get_template("gov2021").table("applications")
    region = LayoutRegion(text, Region("applications", 0, 0, len(text), False), spec)
    return {row.key: row.items for row in Inline().segment(region).problem.rows if row.items}


def test_a_wide_gap_in_a_space_separated_row_is_its_blank_cell() -> None:
    text = ("7.属于行政执法案卷   1   0   0   0   0   0   1\n"
            "8.属于行政查询事项   2   0   0      0   0   2\n")
    items = _inline_rows(text)["denied_admin_query"]
    assert [(it.kind, it.text) for it in items] == [
        ("num", "2"), ("num", "0"), ("num", "0"), ("blank", ""), ("num", "0"), ("num", "0"), ("num", "2")]


def test_a_double_space_between_single_spaces_is_the_blank_cell_of_a_short_row() -> None:
    # the review row of a space_rows copy (synthetic 5303-155): 14 zeros for 15 cells, the 7th blank
    items = _inline_rows("8.属于行政查询事项 2 0  0 0 0 2\n")["denied_admin_query"]
    assert [it.kind for it in items] == ["num", "num", "blank", "num", "num", "num", "num"]


@pytest.mark.parametrize("line", [
    "8.属于行政查询事项 2 0  0 0  0 2",           # single spaces, two wide gaps for one missing cell: unclear
    "8.属于行政查询事项   2   0   0    0   0   2",  # one stray space more than usual: no blank
    "8.属于行政查询事项   2   0   0      0   0      2",  # two wide gaps for one missing cell: unclear
])
def test_gaps_that_do_not_account_for_the_missing_cells_add_no_blank(line: str) -> None:
    items = _inline_rows(line + "\n")["denied_admin_query"]
    assert all(it.kind == "num" for it in items)


def test_a_row_with_more_wide_gaps_than_narrow_ones_measures_its_usual_gap_on_the_narrow_ones() -> None:
    # gaps 3, 7, 7, 3: their median (5) is no gap between neighbours; the narrow ones (3) are, and
    # each 7-space gap then holds one blank, the two cells the row lacks (cd-5202-92's review row)
    items = _inline_rows("8.属于行政查询事项   2   0       0       0   2\n")["denied_admin_query"]
    assert [it.kind for it in items] == ["num", "num", "blank", "num", "blank", "num", "num"]


def test_where_narrow_gaps_are_the_most_their_median_alone_measures_the_row() -> None:
    # gaps 4, 4, 11, 5: the median (4.5) finds one blank for two lacking cells; the narrowest gaps
    # alone would find two in the one wide gap, but one blank may be last: left to placement
    items = _inline_rows("8.属于行政查询事项   0    0    0           0     0\n")["denied_admin_query"]
    assert all(it.kind == "num" for it in items)


def test_the_one_row_table_one_cell_per_line_takes_its_blank_cells_from_extra_empty_lines() -> None:
    values = "\n\n".join(["0", "0", "0", "0", "0", "1", "0", "1", "0", "0", "0", "0", "0"])
    table = "行政复议\n\n结果维持\n\n结果纠正\n\n其他结果\n\n尚未审结\n\n总计\n\n\n" + values
    text = table + "\n\n\n五、存在的主要问题及改进情况\n"
    spec = get_template("gov2021").table("review_litigation")
    region = LayoutRegion(text, Region("review_litigation", 0, 0, len(table), False), spec)
    (row,) = CellPerLine().segment(region).problem.rows
    kinds = [it.kind for it in row.items]
    # the extra empty line after the headers is the first cell, the one after the last value the last
    assert len(kinds) == 15 and kinds[0] == "blank" and kinds[-1] == "blank" and kinds.count("blank") == 2


def test_a_wide_gap_is_a_blank_even_where_a_glued_pair_lacks_another_cell() -> None:
    # two-space gaps: the four-space gap is one blank, and the 00 printed glued holds the cell still lacking
    items = _inline_rows("8.属于行政查询事项  0    00  0  0  0\n")["denied_admin_query"]
    assert [(it.kind, it.text) for it in items] == [
        ("num", "0"), ("blank", ""), ("num", "00"), ("num", "0"), ("num", "0"), ("num", "0")]


def test_a_double_space_beside_a_glued_pair_is_not_read_as_a_blank() -> None:
    # single-space gaps: a stray space looks like a blank, so a row that also lacks a glued cell is left to placement
    items = _inline_rows("8.属于行政查询事项 0  00 0 0 0\n")["denied_admin_query"]
    assert all(it.kind == "num" for it in items)
