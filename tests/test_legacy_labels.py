"""A legacy line is read as a template row only when its label names the row, not when it shares generic words."""

from __future__ import annotations

import pytest

import gxparse
from gxparse.annotate import doubtful_cells
from gxparse.labels import MATCH_CUTOFF, score_piece
from gxparse.legacy import UNIT_CONFLICT, legacy_spec
from gxparse.legacy_labels import names_row


def _row(key: str):
    return legacy_spec().row(key)


@pytest.mark.parametrize(("piece", "key"), [
    ("政府信息公开查询点受理查询数", "proactive_gazette"),  # 查询点受理 added, 公报 missing
    ("政府信息咨询数", "reject_not_gov_info"),  # 咨询 added, 非…所指 missing
    ("政府信息公开查询点数", "proactive_gazette"),
])
def test_a_line_sharing_only_generic_words_with_a_row_does_not_name_it(piece: str, key: str) -> None:
    assert score_piece(piece, _row(key)) >= MATCH_CUTOFF  # the fuzzy score alone would take it
    assert not names_row(piece, _row(key))


@pytest.mark.parametrize(("piece", "key"), [
    ("正式受理政府信息公开申请数", "apps_total"),  # a word added, one left out: its content is the label's
    ("受理政府信息公开工作行政复议数", "admin_review"),  # words glued before the label
    ("当面申请书", "apps_in_person"),  # a misprint
    ("接受行政诉讼、举报数", "appeals_reports"),  # a misprint of 申诉
    ("受理政府信息公开申请", "apps_total"),  # a fragment of a label wrapped over lines
])
def test_a_line_that_differs_from_a_label_in_one_way_names_its_row(piece: str, key: str) -> None:
    assert names_row(piece, _row(key))


def test_every_label_and_alias_of_the_template_names_its_own_row() -> None:
    for row in legacy_spec().rows:
        for label in (row.label, *row.aliases):
            assert names_row(label, row), (row.key, label)


LIST_WITH_FOREIGN_LINES = """七、需要说明的事项与附表
指 标 名 称 单位 数量
主动公开信息数 条 15
正式受理政府信息公开申请数 件 4
政府信息公开查询点数 个 3
政府信息公开查询点受理查询数 件 5
政府信息咨询数 件 6
受理政府信息公开工作行政复议数 件 1
收到政府信息公开工作行政诉讼数 件 2
"""


def test_lines_that_name_no_row_keep_their_numbers_out_of_the_table() -> None:
    report = gxparse.parse(LIST_WITH_FOREIGN_LINES)
    table = report.to_dict()["tables"]["legacy_indicators"]
    assert table == {"proactive_total": {"unit": "条", "current": 15}, "apps_total": {"unit": "件", "current": 4},
                     "admin_review": {"unit": "件", "current": 1}, "admin_litigation": {"unit": "件", "current": 2}}
    unread = next(w for w in report.warnings if "not in the template" in w)
    assert "政府信息公开查询点受理查询数" in unread and "政府信息咨询数" in unread


def test_a_line_naming_no_row_ends_the_row_before_it_without_a_unit_column() -> None:
    text = ("附表 指标名称 2012年 历年累计\n主动公开信息数 15 120\n政府信息咨询数 3 20\n"
            "受理政府信息公开申请总数 4 30\n行政复议数 1 3\n")
    table = gxparse.parse(text).to_dict()["tables"]["legacy_indicators"]
    assert table["proactive_total"] == {"unit": None, "current": 15, "cumulative": 120}
    assert "reject_not_gov_info" not in table and table["apps_total"]["current"] == 4


def test_values_printing_a_unit_other_than_the_unit_column_are_read_as_printed_and_flagged() -> None:
    text = ("七、附表\n指标名称 单位 2012年 历年累计\n主动公开政府信息数 条 500 4000\n受理政府信息公开申请总数 件 30 300\n"
            "行政复议数 件 2 10\n政府信息公开收费减免金额 件 3万元 12万元\n")
    report = gxparse.parse(text)
    table = report.tables["legacy_indicators"]
    assert report.to_dict()["tables"]["legacy_indicators"]["fees_and_waivers_amount"] == {
        "unit": "件", "current": 3, "cumulative": 12}
    cells = {col: cell for row, col, cell in table.cells() if row == "fees_and_waivers_amount"}
    assert UNIT_CONFLICT in cells["current"].flags and UNIT_CONFLICT in cells["cumulative"].flags
    assert UNIT_CONFLICT not in cells["unit"].flags
    assert all(UNIT_CONFLICT not in cell.flags for row, _, cell in table.cells() if row != "fees_and_waivers_amount")
    assert any("万元" in w and "件" in w and "fees_and_waivers_amount" in w for w in report.warnings)
    assert UNIT_CONFLICT in doubtful_cells(report)["legacy_indicators.fees_and_waivers_amount.current"]


def test_a_label_cut_by_white_space_keeps_the_values_after_its_tail() -> None:
    text = ("附表指标名称单位2018年历年累计主动公开信息数条27176其中:1.政府网站  公开数条18167"
            "2.政府公报公开数条010受理依申请公开信息总数条115行政复议数件01")
    table = gxparse.parse(text).to_dict()["tables"]["legacy_indicators"]
    assert table["proactive_website"] == {"unit": "条", "current": 18, "cumulative": 167}
    assert table["proactive_gazette"] == {"unit": "条", "current": 0, "cumulative": 10}
