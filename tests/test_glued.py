"""Glued copies (no separator between the cells of a row): blank rows and tables, and their ends."""

from __future__ import annotations

import numpy as np
import pytest

import gxparse
from gxparse.ir import Candidate, Item, Reading, Region, RowProblem, TableProblem
from gxparse.layouts.glued import (split_at_labels, split_at_numbering, split_leading_placeholders,
                                   without_caption_numbers)
from gxparse.locate import bound_region
from gxparse.normalize import normalize_text
from gxparse.parser import parse_source
from gxparse.place import IDENTITY_WEIGHT, _decode, _Scored
from gxparse.segments import has_lone_digit_run
from gxparse.sources import source_from_text
from gxparse.synth import random_tables, render
from gxparse.template import Identity, get_template

APPLICATIONS = get_template("gov2021").table("applications")
ACTIVE = get_template("gov2021").table("active_disclosure")
HEADER = "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"


def _parse(text: str) -> gxparse.Report:
    return parse_source(source_from_text(text))


def _text_item(text: str) -> Item:
    return Item("text", text, 0, len(text), 0)


def test_labels_run_together_are_cut_where_a_row_or_group_numbering_begins() -> None:
    piece = "一、本年新收政府信息公开申请数量 二、上年结转政府信息公开申请数量三、本年度办理结果(一)予以公开"
    texts = [it.text for it in split_at_numbering([_text_item(piece)], APPLICATIONS)]
    assert texts == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "(一)予以公开"]


def test_a_caption_numbering_is_not_a_row_numbering() -> None:
    piece = "第二十条第(一)项信息内容"
    assert [it.text for it in split_at_numbering([_text_item(piece)], APPLICATIONS)] == [piece]


def test_cut_pieces_keep_their_source_spans() -> None:
    text = "xx二、上年结转政府信息公开申请数量三、本年度办理结果"
    item = Item("text", text[2:], 2, len(text), 0)
    for piece in split_at_numbering([item], APPLICATIONS):
        assert text[piece.start:piece.end] == piece.text


def test_a_placeholder_glued_after_a_number_is_a_placeholder_cell() -> None:
    items = [Item("num", "1", 0, 1, 0), Item("text", "无", 1, 2, 0), Item("num", "174", 2, 5, 0)]
    assert [(it.kind, it.text) for it in split_leading_placeholders(items)] == [("num", "1"), ("ph", "无"), ("num", "174")]
    before_label = [Item("num", "5", 0, 1, 0), Item("text", "无行政许可", 1, 6, 0)]
    assert [(it.kind, it.text) for it in split_leading_placeholders(before_label)] == [("num", "5"), ("ph", "无"), ("text", "行政许可")]
    words = [Item("num", "1", 0, 1, 0), Item("text", "无法提供", 1, 5, 0)]
    assert split_leading_placeholders(words) == words


def test_a_lone_dash_between_a_rows_zeros_and_the_next_numbering_is_a_placeholder_cell() -> None:
    items = [Item("num", "000000", 0, 6, 0), Item("text", "—", 6, 7, 0), Item("num", "6", 7, 8, 0)]
    assert [(it.kind, it.text) for it in split_leading_placeholders(items)] == [("num", "000000"), ("ph", "—"), ("num", "6")]
    dash_before_words = [Item("num", "3", 0, 1, 0), Item("text", "—说明", 1, 4, 0)]
    assert split_leading_placeholders(dash_before_words) == dash_before_words


def test_a_zero_row_whose_total_is_a_dash_keeps_its_zeros() -> None:
    text = (HEADER + "一、本年新收政府信息公开申请数量1000001"
            "三、本年度办理结果（三）不予公开1.属于国家秘密00000005.属于三类内部事务信息000000—6.属于四类过程性信息2000002")
    row = _parse(text).tables["applications"].rows["denied_internal_affairs"]
    assert [row[c].value for c in ("natural_person", "other_org", "total")] == [0, 0, None]


def test_a_piece_with_one_unnumbered_label_is_left_whole() -> None:
    piece = "第二十条第(五)项信息内容本年处理决定数量行政许可"
    assert [it.text for it in split_at_labels([_text_item(piece)], ACTIVE)] == [piece]


def test_unnumbered_labels_run_together_are_cut_at_each_label_and_caption() -> None:
    piece = "规章行政规范性文件第二十条第(五)项信息内容本年处理决定数量行政许可"
    texts = [it.text for it in split_at_labels([_text_item(piece)], ACTIVE)]
    assert texts == ["规章", "行政规范性文件", "第二十条第(五)项信息内容本年处理决定数量", "行政许可"]


def test_rows_printed_blank_in_a_glued_table_come_out_with_none_cells() -> None:
    text = (HEADER + "一、本年新收政府信息公开申请数量1000001二、上年结转政府信息公开申请数量"
            "三、本年度办理结果(一)予以公开1000001(二)部分公开(区分处理的,只计这一情形,不计其他情形)0000000"
            "(七)总计1000001四、结转下年度继续办理0000000\n五、存在的主要问题及改进情况无。")
    rows = _parse(text).tables["applications"].rows
    assert {c.value for c in rows["carried_over"].values()} == {None}
    assert rows["new_received"]["natural_person"].value == 1 and rows["new_received"]["total"].value == 1
    assert rows["result_granted"]["total"].value == 1 and rows["results_total"]["total"].value == 1


def test_a_glued_table_printed_blank_is_blank_not_absent() -> None:
    text = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章行政规范性文件"
            "第二十条第(五)项信息内容本年处理决定数量行政许可第二十条第(六)项信息内容本年处理决定数量行政处罚行政强制"
            "第二十条第(八)项信息内容本年收费金额(单位:万元)行政事业性收费\n"
            + HEADER + "一、本年新收政府信息公开申请数量1000001二、上年结转政府信息公开申请数量0000000"
            "(七)总计1000001四、结转下年度继续办理0000000\n五、存在的主要问题及改进情况无。")
    report = _parse(text)
    table = report.tables["active_disclosure"]
    assert {"regulations", "normative_documents", "admin_licensing", "admin_fees"} <= set(table.rows)
    assert all(c.value is None for row in table.rows.values() for c in row.values())
    assert "active_disclosure" in report.meta["blank_tables"]


def test_a_sentence_after_the_last_glued_row_is_not_read_into_it() -> None:
    """The header wraps (spaces before Chinese text), but the sentence begins after the last cell."""
    text = (HEADER + "一、本年新收政府信息公开申请数量1000001二、上年结转政府信息公开申请数量0000000"
            "(七)总计1000001四、结转下年度继续办理0000000\n"
            "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计 未经复议直 接起诉"
            "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计100010000000000"
            "一、完善档案管理。二、加强答复审核。2020年,共培训3次。")
    cases = _parse(text).tables["review_litigation"].rows["cases"]
    assert cases["review_upheld"].value == 1 and cases["review_total"].value == 1
    assert all(c.value == 0 for k, c in cases.items() if k not in ("review_upheld", "review_total"))


@pytest.mark.parametrize("blank", ["———————", "", "/"])
def test_a_blank_glued_table_before_a_sentence_keeps_its_last_rows_and_none_of_the_sentence(blank: str) -> None:
    """The sentence after a glued table printed blank begins after its last row, not after its last digit.

    The row numberings are the only digits left (``5.要求行政机关确认…``): the sentence must not
    begin there, nor lend its numbers (2021, 54.0, 4505) to a row.
    """
    printed = [row for row in APPLICATIONS.rows if row.key != "other_handling"]  # printed as its three sub-rows
    rows = "".join(f"{row.number}{row.label}{blank}" for row in printed)
    text = "一、总体情况\n本年度运行平稳。\n" + HEADER + rows + "与2021年相比,总量上升54.0%,共4505件次。五、存在的主要问题及改进情况无。"
    table = _parse(text).tables["applications"]
    assert set(table.rows) == {row.key for row in printed}
    assert all(cell.value is None for row in table.rows.values() for cell in row.values())


def test_a_row_named_in_the_sentence_after_a_glued_table_is_not_read_into_it() -> None:
    """A row's name alone in a sentence is no table content: the sentence still begins after the last cells."""
    text = (HEADER + "一、本年新收政府信息公开申请数量1000001二、上年结转政府信息公开申请数量0000000"
            "(七)总计1000001四、结转下年度继续办理0000000另有3件结转下年度继续办理,不计入上表。")
    rows = _parse(text).tables["applications"].rows
    assert [c.value for c in rows["carry_to_next"].values()] == [0] * 7


@pytest.mark.parametrize("layout", ["glued", "space_rows"])
@pytest.mark.parametrize("variant", ["blank_rows", "blank_table"])
def test_blank_rows_and_tables_of_inline_renderings_are_found(layout: str, variant: str) -> None:
    """Every row a glued or space-separated rendering prints (blank or not) comes out, in both generations."""
    for seed in range(6):
        rng = np.random.default_rng([31, seed])
        template = ("gov2019", "gov2021")[seed % 2]
        rendered = render(template, random_tables(template, rng), layout, rng, variants=(variant,))
        report = _parse(rendered.text)
        for key, rows in rendered.tables.items():
            assert key in report.tables, (seed, key)
            missing = set(rows) - set(report.tables[key].rows)
            assert not missing, (seed, key, missing)


def test_a_region_never_ends_inside_a_narrative_number() -> None:
    """A region found by content ends with its tagged line, which a glued copy cuts after any digits."""
    text = normalize_text("第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购86.43元2020年,我单位公开工作取得成效。").text
    cut = text.index("年,")
    region = bound_region(text, Region("active_disclosure", 0, 0, cut, False), require_content=False)
    assert region is not None and text[region.start:region.end].endswith("86.43元")


def test_a_region_ending_inside_a_sentence_leaves_the_sentence_out() -> None:
    """A region the tagger ends short of the full stop of the sentence glued after the table (no stop inside it)."""
    table = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计" + "结果维持结果纠正其他结果尚未审结总计" * 2
    text = normalize_text(table + "10001000000000 0全年制发行政规范性文件0件,现行有效0件。").text
    cut = text.index("现行有效") + len("现行有效")
    region = bound_region(text, Region("review_litigation", 0, 0, cut, False), require_content=False)
    assert region is not None and text[region.start:region.end].endswith("10001000000000 0")
    whole = normalize_text(table + "10001000000000 0\n").text  # no sentence: the region keeps its end
    kept = bound_region(whole, Region("review_litigation", 0, 0, len(whole) - 1, False), require_content=False)
    assert kept is not None and kept.end == len(whole) - 1


def test_a_region_the_tagger_ends_before_its_last_row_keeps_it() -> None:
    """The piece that begins with the last row runs on into the next table's heading (its numeral lost)."""
    rows = "(七)总计———————四、结转下年度继续办理———————"
    text = normalize_text(HEADER + rows + "政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持").text
    cut = text.index("四、结转")
    region = bound_region(text, Region("applications", 0, 0, cut, False), require_content=False)
    assert region is not None and text[region.start:region.end].endswith("结转下年度继续办理———————")
    other = normalize_text(HEADER + "(七)总计———————" + "政府信息公开行政复议、行政诉讼情况").text
    end = other.index("政府信息")
    kept = bound_region(other, Region("applications", 0, 0, end, False), require_content=False)
    assert kept is not None and kept.end == end
    numbered = normalize_text("第二十条第(九)项\n信息内容\n采购项目数量\n采购总金额\n政府集中采购\n0\n0\n"
                              "3、收到和处理政府信息公开申请情况\n").text  # the next heading's numeral is no row
    end = numbered.index("3、")
    kept = bound_region(numbered, Region("active_disclosure", 0, 0, end, False), require_content=False)
    assert kept is not None and kept.end <= end


def test_two_rows_read_wrong_alike_are_changed_together() -> None:
    """a = b and b = c: reading a and b as 1 keeps a = b, so neither changes alone; together they can."""
    def scored(first: str, second: str) -> _Scored:
        return _Scored([Candidate((Reading("num", first),), (), ()), Candidate((Reading("num", second),), (), ())], [-0.1, -1.0])

    identities = (Identity("ab", "col", ("a",), ("b",), "test"), Identity("bc", "col", ("b",), ("c",), "test"))
    problem = TableProblem("t", [RowProblem(key, ("n",), []) for key in "abc"], identities)
    assert _decode(problem, [scored("1", "2"), scored("1", "2"), scored("2", "3")], IDENTITY_WEIGHT).choice == [1, 1, 0]


def test_a_glued_change_never_takes_the_count_before_it_below_zero() -> None:
    """上一年项目数量 + 本年增/减 is this year's count: 62-201503 is 62 | -20 | 1503, not 62 | -201 | 503."""
    text = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件000"
            "第二十条第(五)项信息内容上一年项目数量本年增/减处理决定数量行政许可62-201503其他对外管理服务事项000"
            "第二十条第(六)项信息内容上一年项目数量本年增/减处理决定数量行政处罚000行政强制000\n三、收到和处理政府信息公开申请情况")
    report = _parse(text)
    assert report.template == "gov2019"
    row = report.tables["active_disclosure"].rows["admin_licensing"]
    assert [row[c].value for c in ("prev_year_items", "change_this_year", "decisions")] == [62, -20, 1503]


def test_the_number_of_a_caption_glued_to_a_row_is_not_a_cell() -> None:
    items = [Item("text", "行政事业性收费附表", 0, 9, 0), Item("num", "2", 9, 10, 0), Item("text", "收到和处理", 10, 15, 0)]
    assert [it.text for it in without_caption_numbers(items)] == ["行政事业性收费附表", "收到和处理"]
    cell = [Item("text", "行政事业性收费", 0, 7, 0), Item("num", "2", 7, 8, 0)]
    assert without_caption_numbers(cell) == cell
    apart = [Item("text", "附表", 0, 2, 0), Item("num", "2", 3, 4, 0)]  # not glued to the caption word
    assert without_caption_numbers(apart) == apart


def test_a_blank_last_row_glued_to_the_next_tables_caption_stays_blank() -> None:
    text = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件3015"
            "第二十条第(五)项信息内容本年处理决定数量行政许可139第二十条第(六)项信息内容本年处理决定数量行政处罚13行政强制0"
            "第二十条第(八)项信息内容本年收费金额(单位:万元)行政事业性收费附表2收到和处理政府信息公开申请情况"
            "\n五、存在的主要问题及改进情况培训不足。")
    fees = _parse(text).tables["active_disclosure"].rows["admin_fees"]
    assert fees["fee_amount"].value is None


def test_a_digit_run_alone_on_its_line_marks_glued_cells() -> None:
    """A run of several digits that is the only value on its line, where rows print several cells."""
    glued = [Item("text", "规章", 0, 2, 0), Item("num", "15130000154", 2, 13, 0)]
    spaced = [Item("text", "规章", 0, 2, 1), Item("num", "15", 3, 5, 1), Item("num", "13", 6, 8, 1)]
    assert has_lone_digit_run(glued, 7)
    assert not has_lone_digit_run(glued, 1)  # a one-cell row prints one number
    assert not has_lone_digit_run(spaced, 7)
    assert has_lone_digit_run(spaced + [Item("num", "0", 20, 21, 2), Item("num", "42", 22, 24, 3)], 7)
    assert not has_lone_digit_run([Item("num", "4", 0, 1, 0)], 7)  # one digit is one cell
