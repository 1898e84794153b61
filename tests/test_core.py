"""Unit tests of the parsing stages: normalisation, scanning, labels, candidates, values, checks."""

from __future__ import annotations

import pytest

import gxparse
from gxparse.candidates import RowConstraint, enumerate_candidates
from gxparse.labels import align_rows, score_piece
from gxparse.generation import detect_template
from gxparse.locate import locate_regions
from gxparse.normalize import label_key, normalize_text, strip_numbering
from gxparse.report import Cell, Table
from gxparse.scan import scan_region
from gxparse.template import get_template
from gxparse.validate import check_table
from gxparse.values import parse_value

APP = get_template("gov2021").table("applications")
TOTAL = (RowConstraint(tuple(range(6)), 6),)


def _items(text: str):
    return [i for i in scan_region(text, 0, len(text)) if i.kind != "text"]


@pytest.mark.parametrize(("raw", "value"), [
    ("0", 0), (" 0", 0), ("52.29", 52.29), ("4166.241619", 4166.241619), ("-18", -18), ("减4", -4), ("+1036", 1036),
    ("251000元", 251000), ("2059.2090万元", 2059.209), ("1,234", 1234), ("", None), ("—", None), ("————", None),
    ("/", None), ("无", None), ("-", None), ("不适用", None),
])
def test_parse_value(raw, value):
    assert parse_value(raw) == value
    assert type(parse_value(raw)) is type(value)


def test_normalize_keeps_offsets_through_nfkc_crlf_and_traditional():
    raw = "（七）總計\u00a0１２\r\n結轉"
    norm = normalize_text(raw)
    assert norm.text == "(七)总计 12\n结转"
    start = norm.text.index("12")
    assert raw[slice(*norm.raw_span(start, start + 2))] == "１２"


@pytest.mark.parametrize(("label", "key"), [
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开区分处理的只计这一情形不计其他情形"),
    ("商业\n企业", "商业企业"), ("3.危及“三安全一稳定”", "危及三安全一稳定"), ("其中：1、网站公开", "网站公开"),
    ("公(gong)開(kai)", "公开"), ("其它", "其他"),
])
def test_label_key(label, key):
    assert label_key(label) == key


def test_strip_numbering_variants():
    assert strip_numbering("一、本年新收")[0] == "一、"
    assert strip_numbering("(三)不予公开")[0] == "(三)"
    assert strip_numbering("1.属于国家秘密")[0] == "1."
    assert strip_numbering("属于国家秘密")[0] == ""


@pytest.mark.parametrize(("piece", "row"), [
    ("2.其他法律行政止公开", "denied_law_forbidden"),              # PDF text layer dropped characters
    ("(二)部分公开(区分处理的,只计这一情 形,不", "result_partial"),  # wrapped label, first line only
    ("4.无正当理由大量反复", "not_processed_massive"),
    ("(七)合计", "results_total"),                                  # 合计 for 总计
    ("結轉下年度繼續辦理", "carry_to_next"),                        # traditional script
])
def test_label_pieces_match_their_row(piece, row):
    norm = normalize_text(piece).text
    best = max(APP.layout(), key=lambda r: score_piece(norm, r))
    assert best.key == row


def test_monotone_alignment_resolves_short_labels_by_position():
    pieces = ["自然人", "其他", "总计", "一、本年新收政府信息公开申请数量", "(六)其他处理", "3.其他", "(七)总计"]
    matches = align_rows(pieces, APP.layout())
    assert matches["other_other"][0] == 5
    assert matches["results_total"][0] == 6
    assert matches["new_received"][0] == 3


def test_scan_pipe_rows_blank_and_filler_cells():
    text = "规章 | ———— | ———— | ———— |\n行政许可 | 47 | ||"
    kinds = [(i.kind, i.text, "trailing" in i.flags) for i in scan_region(text, 0, len(text))]
    assert kinds[:4] == [("text", "规章", False), ("ph", "————", False), ("ph", "————", False), ("ph", "————", False)]
    assert kinds[5] == ("num", "47", False)
    assert all(k == ("blank", "", True) for k in kinds[6:])


def test_scan_blank_line_layout_makes_extra_empty_lines_blank_cells():
    # one empty line separates cells; three blank cells add three more empty lines (seed002)
    text = "规章\n\n\n\n\n" + "\n\n".join(["行政规范性文件", "9", "1", "493", "行政许可", "3", "a", "b", "c", "d"])
    items = scan_region(text, 0, len(text))
    assert [i.kind for i in items[:5]] == ["text", "blank", "blank", "blank", "text"]


def test_scan_flags_numbering_glued_to_previous_run_and_drops_page_numbers():
    text = "5.属于三类内部事务信息30000036.属于四类过程性信息\n- 3 -\n"
    items = scan_region(text, 0, len(text))
    run = [i for i in items if i.text == "30000036"][0]
    assert run.numbering_next
    assert "3" not in [i.text for i in items if i.kind == "num" and i.text != "30000036" and i.text != "5"]


def test_candidates_split_glued_row_without_leading_zeros():
    cands = enumerate_candidates(_items("15130000154"), 7, TOTAL)
    values = {c.values for c in cands}
    assert (151, 3, 0, 0, 0, 0, 154) in values
    assert all(all(r.raw == "0" or not r.raw.startswith("0") for r in c.readings if r.kind == "num") for c in cands)
    for c in cands:  # every value is a substring of the source, in order
        assert "".join(r.raw for r in c.readings if r.kind == "num") in "15130000154"


def test_candidates_identity_search_prunes_long_runs_quickly():
    cands = enumerate_candidates(_items("25380363300630003"), 15, (
        RowConstraint((0, 1, 2, 3), 4), RowConstraint((5, 6, 7, 8), 9), RowConstraint((10, 11, 12, 13), 14)))
    assert (25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3) in {c.values for c in cands}


def test_candidates_infer_dropped_blanks_between_separated_items():
    cands = enumerate_candidates(_items("5 | 5"), 7, TOTAL)
    assert (5, None, None, None, None, None, 5) in {c.values for c in cands}


def test_locate_skips_enumerations_and_requires_table_content():
    text = "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况。\n二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n"
    regions = locate_regions(normalize_text(text).text)
    assert list(regions) == ["active_disclosure"]
    assert regions["active_disclosure"].heading_start == text.index("主动公开政府信息情况", text.index("二、"))


def test_a_heading_split_by_a_space_or_line_break_is_still_a_heading():
    table = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计" + "0" * 15
    for heading in ("四、政府信息公开行政复议、行政 诉讼情况", "四、政府信息公开行政复议、行政\n诉讼情况"):
        text = normalize_text("另有12件咨询类来信已转有关部门办理。\n" + heading + table + "\n五、存在的主要问题").text
        regions = locate_regions(text)
        assert list(regions) == ["review_litigation"], heading
        assert regions["review_litigation"].heading_start == text.index("政府信息公开")


def test_template_detection_is_label_driven():
    a = "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 0 0 0\n"
    text = normalize_text("2022年度政府信息公开工作年度报告\n" + a).text
    assert detect_template(text, locate_regions(text)) == "gov2019"


def _table(values: dict[str, dict[str, object]]) -> Table:
    return Table("applications", {r: {c: Cell(v, str(v), None) for c, v in cols.items()} for r, cols in values.items()})


def test_checks_report_fail_pass_and_not_assessable_without_changing_values():
    cols = [c.key for c in APP.cols]
    rows = {r.key: dict.fromkeys(cols, 0) for r in APP.layout()}
    rows["new_received"] = {**dict.fromkeys(cols, 0), "natural_person": 2, "total": 2}
    rows["result_granted"] = {**dict.fromkeys(cols, 0), "natural_person": 2, "total": 2}
    rows["results_total"] = {**dict.fromkeys(cols, 0), "natural_person": 2, "total": 3}  # printed wrong
    rows["carry_to_next"]["other_org"] = None
    table = _table(rows)
    checks = {(c.id, c.scope): c.status for c in check_table(APP, table)}
    assert checks[("I-A3-1", "natural_person")] == "pass"
    assert checks[("I-A3-1", "total")] == "fail"
    assert checks[("I-A3-3", "results_total")] == "fail"
    assert checks[("I-A3-1", "other_org")] == "not_assessable"
    assert table.cell("results_total", "total").value == 3


def test_glued_last_row_of_an_input_ending_inside_the_table_is_split_when_printed_whole():
    """An excerpt that ends with table 四's glued values: the run holds all 15 cells (its identities hold),
    so it is split, not kept whole in the first cell as a row cut off mid-way would be."""
    text = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉"
            "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000010001\n")
    cells = gxparse.parse(text).tables["review_litigation"].rows["cases"]
    assert [c.raw for c in cells.values()] == list("000000000010001")
    assert cells["litigation_after_review_total"].value == 1


def test_row_cut_off_by_the_end_of_the_input_keeps_only_the_cells_present():
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n"
            "未经复议直接起诉\n复议后起诉\n" + "结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n" * 2 + "3\n1\n0\n")
    cells = gxparse.parse(text).tables["review_litigation"].rows["cases"]
    assert [c.value for c in cells.values()] == [3, 1, 0]
