"""Grids copied the ugly ways real reports are: numbered label cells, captions and headings between
HTML tables, tables and rows printed blank, one-cell-per-line pipes, Markdown made from a PDF that
begins inside a table.

Small constructed inputs pin each mechanism; renderings of the synthetic generator with those
variants check that every printed row comes out and that the cells read right.
"""

from __future__ import annotations

import numpy as np
import pytest

import gxparse
from gxparse.html_text import html_to_text
from gxparse.ir import LayoutRegion, Region
from gxparse.layouts.cell_per_line import CellPerLine
from gxparse.layouts.pipe_grid import PipeGrid
from gxparse.locate import locate_regions
from gxparse.normalize import normalize_text
from gxparse.scan import scan_region
from gxparse.segments import _split_at_spaces, _value_lines, segment_anchored
from gxparse.synth import random_tables, render
from gxparse.template import get_template


def _scan(text: str, *, exact_cells: bool = False) -> list[tuple[str, str]]:
    return [(it.kind, it.text) for it in scan_region(text, 0, len(text), mode="pipe", exact_cells=exact_cells)]


def test_a_pipe_cell_that_begins_with_an_item_number_is_one_label() -> None:
    items = _scan("(三)不予公开 | 1.属于国家秘密 |  | 3 |\n2、其他法律行政法规禁止公开 | 4 | 5 |")
    assert ("text", "1.属于国家秘密") in items and ("text", "2、其他法律行政法规禁止公开") in items
    assert [text for kind, text in items if kind == "num"] == ["3", "4", "5"]


def test_a_number_alone_in_its_pipe_cell_stays_a_value() -> None:
    assert _scan("总计 | 1 | 2.5 |") == [("text", "总计"), ("num", "1"), ("num", "2.5")]


def test_html_lines_outside_the_table_cells_hold_no_value() -> None:
    text = "四、结转下年度继续办理 | 0 | 1 |\n附表3\n本年度被申请行政复议2件。"
    kinds = _scan(text, exact_cells=True)
    assert [text for kind, text in kinds if kind == "num"] == ["0", "1"]
    plain = _scan(text)  # a Markdown copy of a PDF may print grid rows without pipes: they are read
    assert [text for kind, text in plain if kind == "num"] == ["0", "1", "3", "2"]


def test_a_lone_pipe_line_is_an_empty_cell() -> None:
    assert _scan("总计 |\n0 |\n |\n2 |") == [("text", "总计"), ("num", "0"), ("blank", ""), ("num", "2")]


def test_a_group_label_and_its_first_row_on_one_line_are_two_pieces() -> None:
    text = "三、本年度办理结果 (一)予以公开 1 2\n(二)部分 公开 3"
    pieces = [it.text for it in scan_region(text, 0, len(text), mode="inline") if it.kind == "text"]
    assert pieces == ["三、本年度办理结果", "(一)予以公开", "(二)部分 公开"]


def _rendered(layout: str, variants: tuple[str, ...], seed: int) -> tuple[dict, gxparse.Report]:
    rng = np.random.default_rng([94, seed])
    template = ("gov2019", "gov2021")[seed % 2]
    rendered = render(template, random_tables(template, rng), layout, rng, variants=variants)
    data = rendered.text.encode()
    report = gxparse.parse(data, source="r.html" if layout == "html" else ("r.md" if layout == "markdown" else "r.txt"))
    return rendered.tables, report


def _score(gold: dict, report: gxparse.Report) -> tuple[int, int, list[str]]:
    """(right cells, gold cells, printed rows missing from the output)."""
    right = total = 0
    missing = []
    for table, rows in gold.items():
        for row, cells in rows.items():
            got = report.tables[table].rows.get(row) if table in report.tables else None
            if got is None:
                missing.append(f"{table}.{row}")
            for col, value in cells.items():
                total += 1
                right += got is not None and col in got and got[col].value == value
    return right, total, missing


SEEDS = range(8)
# Each class of failure this file fixes, in the layouts it was measured in (seeds 12345 and 777 of
# gxparse bench); a rendering with a fresh seed must come out whole.
CASES = [
    ("html", ("numbering_clash", "appendix_tables", "preamble_toc")),
    ("html", ("heading_absent", "appendix_tables")),
    ("html", ("heading_numbering",)),
    ("cell_per_line_pipe", ("appendix_tables", "preamble_toc", "blank_table")),
    ("cell_per_line_blank", ("excerpt_one_table", "blank_table")),
    ("space_rows", ("appendix_tables",)),
    ("markdown", ("starts_in_table",)),
    ("markdown", ("blank_rows",)),
]
MIN_CELL_SHARE = 0.995
"""The issue's bar for every layout (issue 9: ≥ 99.5 % of cells on a fresh seed)."""


@pytest.mark.parametrize(("layout", "variants"), CASES)
def test_renderings_with_the_variants_come_out_whole(layout: str, variants: tuple[str, ...]) -> None:
    right = total = 0
    missing: list[str] = []
    for seed in SEEDS:
        gold, report = _rendered(layout, variants, seed)
        r, t, m = _score(gold, report)
        right, total, missing = right + r, total + t, missing + [f"seed {seed}: {x}" for x in m]
    assert not missing
    assert right >= MIN_CELL_SHARE * total


MARKDOWN_FROM_PDF = """| 6 | 0 | 0 | 0 | 0 | 0 | 6 |
|---|---|---|---|---|---|---|
8.属于行政查询事项
| 7.属于行政执法案卷 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
|---|---|---|---|---|---|---|---|
| 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| (四)无法提供 | 1.本机关不掌握相关政府信息 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
2.没有现成信息需要
另行制作
| 4 | 0 | 0 | 0 | 0 | 0 | 4 |
| 3.补正后申请内容仍不明确 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |
"""


def test_markdown_from_a_pdf_gives_value_rows_apart_from_labels_to_the_rows_between_pins() -> None:
    spec = get_template("gov2019").table("applications")
    text = normalize_text(MARKDOWN_FROM_PDF).text
    region = LayoutRegion(text, Region("applications", 0, 0, len(text), False), spec)
    seg = PipeGrid().segment(region)
    firsts = {row.key: row.items[0].text for row in seg.problem.rows if row.items}
    assert firsts == {"denied_process_info": "6", "denied_enforcement_file": "1", "denied_admin_query": "2",
                      "unable_not_held": "3", "unable_need_creation": "4", "unable_unclear": "5"}
    assert all(len(row.items) == 7 for row in seg.problem.rows if row.items)
    assert "new_received" not in seg.matched  # the rows above the copy's first value row are not printed


def _tail_of_applications(other_rows: str) -> str:
    """The end of a gov2021 三 table in Markdown made from a PDF: （五） rows pinned by their labels,
    then ``other_rows`` (the （六） part), whose value rows stand apart from their labels."""
    return ("| （五）不予处理 | 1.信访举报投诉类申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
            + other_rows
            + "| 2.重复申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n|---|---|---|---|---|---|---|---|\n"
            "| 3.要求提供公开出版物 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n"
            "| 4.无正当理由大量反复申请 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |\n"
            "| 5.要求行政机关确认或重新出具已获取信息 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |\n"
            "| 6 | 0 | 0 | 0 | 0 | 0 | 6 |\n| 7 | 0 | 0 | 0 | 0 | 0 | 7 |\n| 8 | 0 | 0 | 0 | 0 | 0 | 8 |\n"
            "| 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n\n（七）总计\n四、结转下年度继续办理\n| 10 | 0 | 0 | 0 | 0 | 0 | 10 |\n")


def _pinned_firsts(markdown: str) -> dict[str, str]:
    spec = get_template("gov2021").table("applications")
    text = normalize_text(markdown).text
    seg = PipeGrid().segment(LayoutRegion(text, Region("applications", 0, 0, len(text), False), spec))
    return {row.key: row.items[0].text for row in seg.problem.rows if row.items and row.key.startswith(("other", "results", "carry"))}


def test_a_single_other_handling_row_printed_out_of_order_keeps_its_values() -> None:
    # gov2021 printing （六）其他处理 as one row (2019 style), its label above 2.重复申请: the value
    # rows after 5.要求… are （六）, （七） and 四, not the three other_* rows the copy does not print
    firsts = _pinned_firsts(_tail_of_applications("（六）其他处理\n").replace(
        "| 8 | 0 | 0 | 0 | 0 | 0 | 8 |\n| 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n", ""))
    assert firsts == {"other_handling": "6", "results_total": "7", "carry_to_next": "10"}


def test_the_three_other_rows_printed_apart_from_their_values_keep_the_canonical_layout() -> None:
    firsts = _pinned_firsts(_tail_of_applications(
        "（六）其他处理\n1.申请人无正当理由\n逾期不补正、行政机关\n不再处理其政府信息公\n开申请\n"
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n3.其他\n"))
    assert firsts == {"other_no_correction": "6", "other_unpaid_fee": "7", "other_other": "8",
                      "results_total": "9", "carry_to_next": "10"}


@pytest.mark.parametrize("empty_lines", [2, 5])
def test_the_last_row_of_a_spaced_table_takes_its_blank_cells_from_the_empty_lines_after_it(empty_lines: int) -> None:
    table = "第二十条第(一)项\n\n规章\n\n1\n\n2\n\n3\n\n行政规范性文件\n\n4\n\n5"
    text = table + "\n" * (empty_lines + 1) + "三、收到和处理政府信息公开申请情况\n"
    spec = get_template("gov2021").table("active_disclosure")
    region = LayoutRegion(text, Region("active_disclosure", 0, 0, len(table), False), spec)
    kinds = {row.key: [it.kind for it in row.items] for row in CellPerLine().segment(region).problem.rows}
    assert kinds["regulations"] == ["num", "num", "num"]
    # one empty line separates the cells; the next is the blank third cell; any more are no cells
    assert kinds["normative_documents"] == ["num", "num", "blank"]


def test_empty_lines_after_a_complete_last_row_are_no_cells() -> None:
    table = "第二十条第(一)项\n\n规章\n\n1\n\n2\n\n3"
    text = table + "\n\n\n\n\n三、收到和处理政府信息公开申请情况\n"
    spec = get_template("gov2021").table("active_disclosure")
    region = LayoutRegion(text, Region("active_disclosure", 0, 0, len(table), False), spec)
    rows = {row.key: [it.kind for it in row.items] for row in CellPerLine().segment(region).problem.rows}
    assert rows["regulations"] == ["num", "num", "num"]


def test_labels_of_blank_rows_a_space_apart_are_found_one_by_one() -> None:
    text = "第二十条第(六)项 信息内容 本年处理决定数量 行政处罚 行政强制"
    spec = get_template("gov2021").table("active_disclosure")
    seg = segment_anchored(spec, scan_region(text, 0, len(text), mode="inline"))
    assert {"admin_penalty", "admin_coercion"} <= seg.matched


def test_empty_cells_that_end_a_short_markdown_row_are_its_blank_cells() -> None:
    text = ("| 5.属于三类内部事务信息 | 1 | 2 | 3 | 4 | 5 | 6 |  |\n|---|---|---|---|---|---|---|---|\n"
            "| 6.属于四类过程性信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |  |")
    spec = get_template("gov2021").table("applications")
    region = LayoutRegion(text, Region("applications", 0, 0, len(text), False), spec)
    rows = {row.key: row.items for row in PipeGrid().segment(region).problem.rows if row.items}
    assert [it.flags for it in rows["denied_internal_affairs"] if it.kind == "blank"] == [("pipe",)]
    assert [it.flags for it in rows["denied_process_info"] if it.kind == "blank"] == [("pipe", "trailing")]


def test_a_value_line_that_begins_with_its_label_number_does_not_read_it_as_a_value() -> None:
    lines = [f"{n}.{label} {' '.join(['—'] * 7)}" for n, label in
             enumerate(("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”"), start=1)]
    text = "\n".join(lines)
    items = scan_region(text, 0, len(text), mode="inline")
    assert [len(line) for line in _value_lines(items, 7)] == [7, 7, 7]


def test_cutting_pieces_at_spaces_keeps_a_lone_numbering_dot_with_its_label() -> None:
    text = "规章 行政规范性文件 无 3. 其他"
    items = scan_region(text, 0, len(text), mode="inline")
    split = _split_at_spaces(items)
    assert split is not None
    pieces, origin = split
    assert [(it.kind, text[it.start:it.end]) for it in pieces] == [
        ("text", "规章"), ("text", "行政规范性文件"), ("ph", "无"), ("num", "3"), ("text", ". 其他")]
    assert [items[n].start <= it.start and it.end <= items[n].end for n, it in zip(origin, pieces)] == [True] * 5


def _review_region_text(after_table: str) -> str:
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼 |\n"
            "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|  |  |  |  |  |\n" + after_table
            + "\n五、存在的主要问题及改进情况\n")
    return normalize_text(text).text


@pytest.mark.parametrize("note", ["注:以上数据统计截至2025年12月31日,其中网上办理3284件,占比50.3%。",
                                  "说明:以上数据统计截至2025年12月31日,其中网上办理3284\n件,占比50.3%。",
                                  "备注 1:网上办理3284件(不含咨询)"])
def test_a_note_line_under_a_table_ends_its_region(note: str) -> None:
    text = _review_region_text(note)
    region = locate_regions(text)["review_litigation"]
    assert "3284" not in text[region.start:region.end] and "|  |" in text[region.start:region.end]


def test_a_sentence_wrapped_between_a_number_and_its_unit_stays_out_of_the_table() -> None:
    text = _review_region_text("与2024年相比,总量上升8.6%,共4054\n件次。")
    region = locate_regions(text)["review_litigation"]
    assert "4054" not in text[region.start:region.end]


def test_html_rows_cut_from_their_table_keep_their_empty_cells() -> None:
    fragment = ("<tr><td>2.重复申请</td><td>&nbsp;</td><td>0</td></tr><tr><td>3.其他</td><td>1</td><td>&nbsp;</td></tr>"
                "</tbody></table><p>另有4件不计入上表。</p>")
    assert html_to_text(fragment).split("\n") == ["2.重复申请 |  | 0 |", "3.其他 | 1 |  |", "另有4件不计入上表。"]


def test_a_label_printed_above_a_labelled_value_row_takes_the_value_line_after_it() -> None:
    text = ("第二十条第(一)项\n信息内容本年制发件数本年废止件数现行有效件数\n行政规范性文件\n"
            "| 规章 | 0 | 0 | 12 |\n|---|---|---|---|\n| 0 | 2 | 23 |\n")
    spec = get_template("gov2021").table("active_disclosure")
    seg = segment_anchored(spec, scan_region(text, 0, len(text), mode="pipe"))
    rows = {row.key: [it.text for it in row.items] for row in seg.problem.rows}
    assert rows["regulations"] == ["0", "0", "12"] and rows["normative_documents"] == ["0", "2", "23"]


def test_a_caption_after_a_tables_cells_ends_it_unless_it_names_that_table() -> None:
    other = _review_region_text("\n附表2\n收到和处理政府信息公开申请情况\n本年新收 | 3 |")
    region = locate_regions(other)["review_litigation"]
    assert "附表2" not in other[region.start:region.end]
    own = normalize_text("二、主动公开政府信息情况\n第二十条第(一)项\n行政许可 97\n## 表二:主动公开政府信息情况\n"
                         "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 0 | 5 |\n").text
    region = locate_regions(own)["active_disclosure"]
    assert "| 规章 | 0 | 0 | 5 |" in own[region.start:region.end]


def test_small_markdown_grids_between_plain_lines_keep_their_empty_cells() -> None:
    text = ("第二十条第(六)项\n信息内容上一年项目数量本年增/减处理决定数量\n行政处罚\n| 53 | 0 | 29 |\n|---|---|---|\n\n"
            "行政强制\n| 87 | 0 |  |\n|---|---|---|\n\n第二十条第(八)项\n信息内容上一年项目数量本年增/减\n"
            "行政事业性收费 0 0\n第二十条第(九)项\n信息内容采购项目数量采购总金额\n政府集中采购 0 0\n")
    spec = get_template("gov2019").table("active_disclosure")
    region = LayoutRegion(text, Region("active_disclosure", 0, 0, len(text), False), spec)
    assert PipeGrid().fit(region) > 0
    rows = {row.key: row.items for row in PipeGrid().segment(region).problem.rows}
    assert [(it.kind, it.text) for it in rows["admin_coercion"]] == [("num", "87"), ("num", "0"), ("blank", "")]
