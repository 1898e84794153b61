"""Glued dash and slash runs (``509——57——566``, ``10//6164``): placeholder cells, as the row's cells and identities call for."""

from __future__ import annotations

from gxparse.candidates import _dash_cell_counts, enumerate_candidates, glued_dash_runs
from gxparse.ir import Item, RowConstraint
from gxparse.layouts.glued import split_glued_marks, split_trailing_dashes
from gxparse.parser import parse_source
from gxparse.scan import scan_region
from gxparse.sources import source_from_text

APPLICANT_TOTAL = (RowConstraint(parts=(0, 1, 2, 3, 4, 5), total=6),)
"""An applications row: six applicant columns and their total."""
APPLICATIONS_HEADER = ("三、收到和处理政府信息申请情况\n"
                       "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\n")
"""The caption and column heads of a glued table 三."""


def _items(*pieces: str, gap: str = "") -> list[Item]:
    """The items of ``pieces`` printed one after another (``gap`` between them), numbers and dash runs."""
    items, at = [], 0
    for text in pieces:
        items.append(Item("num" if text.isdigit() else "ph", text, at, at + len(text), 0))
        at += len(text) + len(gap)
    return items


def test_a_glued_dash_run_may_be_one_placeholder_per_blank_cell() -> None:
    items = _items("509", "——", "57", "——", "566")
    cands = enumerate_candidates(items, 7, APPLICANT_TOTAL)
    values = {c.values for c in cands}
    assert (509, None, None, 57, None, None, 566) in values
    read = next(c for c in cands if c.values == (509, None, None, 57, None, None, 566))
    dashes = [r for r in read.readings if r.kind == "ph"]
    assert [(r.raw, r.item) for r in dashes] == [("—", 1), ("—", 1), ("—", 3), ("—", 3)]
    assert [(r.start, r.end) for r in dashes] == [(3, 4), (4, 5), (7, 8), (8, 9)]  # each a character of its run
    assert not any(r.split for r in dashes)  # a placeholder cell: no digit is cut


def test_a_glued_dash_run_stays_one_cell_where_the_row_has_no_room() -> None:
    cands = enumerate_candidates(_items("12", "——", "5"), 3)
    assert (12, None, 5) in {c.values for c in cands}
    # no reading cuts the run and drops a piece of it: that is the run read as fewer cells
    for cand in cands:
        read = {r.item for r in cand.readings if r.item is not None}
        assert not read & set(cand.dropped)


def test_only_dash_runs_glued_to_a_number_are_cut() -> None:
    assert glued_dash_runs(_items("12", "——", "5")) == [1]
    assert glued_dash_runs(_items("12", "——", "5", gap=" ")) == []  # a separated cell's ——: one placeholder
    assert glued_dash_runs(_items("12", "—", "5")) == []  # one dash is one cell
    assert glued_dash_runs([Item("ph", "//", 0, 2, 0), *_items("3")]) == []  # not dashes


def test_dash_runs_are_read_with_one_mark_width_per_row() -> None:
    assert _dash_cell_counts([2, 3], 7) == [(2, 3)]  # one dash a cell (two dashes do not divide 3)
    assert _dash_cell_counts([2, 4], 7) == [(2, 4), (1, 2)]  # one dash a cell, or the double dash
    assert _dash_cell_counts([2, 4], 1) == [(1, 2)]  # only as many cells as the row has room for
    assert _dash_cell_counts([7] * 12, 100) == [(7,) * 12]  # many long runs: still one search more
    assert _dash_cell_counts([2, 3], 0) == []


def test_a_glued_applications_row_with_a_dash_per_blank_cell() -> None:
    text = ("三、收到和处理政府信息申请情况\n"
            "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\n"
            "一、本年新收政府信息公开申请数量509——57——566\n")
    table = parse_source(source_from_text(text)).tables["applications"]
    row = table.rows["new_received"]
    assert [c.value for c in row.values()] == [509, None, None, 57, None, None, 566]


def test_a_dash_between_a_label_and_a_glued_number_is_the_first_cells_placeholder() -> None:
    items = [Item("text", "其他对外管理服务事项—", 0, 11, 0), Item("num", "0109", 11, 15, 0)]
    out = split_trailing_dashes(items)
    assert [(it.kind, it.text, it.start, it.end) for it in out] == [
        ("text", "其他对外管理服务事项", 0, 10), ("ph", "—", 10, 11), ("num", "0109", 11, 15)]
    spaced = [Item("text", "事项—", 0, 3, 0), Item("num", "12", 4, 6, 0)]
    assert split_trailing_dashes(spaced) == spaced  # a number printed apart: the dash is the label's
    ranged = [Item("text", "1—", 0, 2, 0), Item("num", "3", 2, 3, 0)]
    assert split_trailing_dashes(ranged) == ranged  # a range between numbers, no label before the dash


def test_a_glued_disclosure_row_with_a_dash_before_its_digits() -> None:
    text = ("二、主动公开政府信息情况\n"
            "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可802其他对外管理服务事项—0109\n")
    table = parse_source(source_from_text(text)).tables["active_disclosure"]
    assert [c.value for c in table.rows["other_admin_services"].values()] == [None, 0, 109]


def test_a_slash_run_glued_to_a_cell_is_one_placeholder_cell_per_slash() -> None:
    text = "总计10//6164///4/////"
    items = split_glued_marks(scan_region(text, 0, len(text), mode="inline"))
    assert "".join("/" if it.kind == "ph" else "n" if it.kind == "num" else "t" for it in items) == "tn//n///n/////"
    assert all(text[it.start:it.end] == it.text for it in items)
    label = scan_region("咨询/投诉5", 0, 7, mode="inline")
    assert split_glued_marks(label) == label  # a slash inside a label stays text


def test_a_glued_review_row_with_a_slash_per_blank_cell() -> None:
    text = ("四、政府信息公开行政复议、行政诉讼情况\n"
            "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
            "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计/////2//24//2/2\n")
    table = parse_source(source_from_text(text)).tables["review_litigation"]
    assert [c.value for c in table.rows["cases"].values()] == [None] * 5 + [2, None, None, 2, 4, None, None, 2, None, 2]


def test_a_dash_between_glued_numbers_is_a_placeholder_cell() -> None:
    text = "予以公开0—7168410—1557"
    items = split_glued_marks(scan_region(text, 0, len(text), mode="inline"))
    assert [(it.kind, it.text) for it in items] == [
        ("text", "予以公开"), ("num", "0"), ("ph", "—"), ("num", "7168410"), ("ph", "—"), ("num", "1557")]


def test_a_glued_applications_row_with_single_dashes_and_a_quoted_label() -> None:
    text = (APPLICATIONS_HEADER + "三、本年度办理结果（一）予以公开0—7168410—1557（二）部分公开0000000\n"
            "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
            "3.危及“三安全一稳定”—604—95006994.保护第三方合法权益0000000\n")
    table = parse_source(source_from_text(text)).tables["applications"]
    assert [c.value for c in table.rows["result_granted"].values()] == [0, None, 716, 841, 0, None, 1557]
    assert [c.value for c in table.rows["denied_security_stability"].values()] == [None, 604, None, 95, 0, 0, 699]


def test_a_dash_beginning_the_label_after_a_cell_is_that_rows_last_placeholder() -> None:
    text = "规范性文件179—第二十条第(五)项"
    items = split_glued_marks(scan_region(text, 0, len(text), mode="inline"))
    assert [(it.kind, it.text) for it in items][1:3] == [("num", "179"), ("ph", "—")]
    assert items[3].kind == "text" and items[3].text.startswith("第二十条")


def test_a_glued_disclosure_row_ending_in_a_dash_before_the_next_caption() -> None:
    text = ("二、主动公开政府信息情况\n"
            "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件179—"
            "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可2225其他对外管理服务事项000\n")
    table = parse_source(source_from_text(text)).tables["active_disclosure"]
    assert [c.value for c in table.rows["normative_documents"].values()] == [17, 9, None]
