"""Legacy indicator tables: header columns, units, codes, unknown indicators, narrative-only reports."""

from __future__ import annotations

import pytest

import gxparse
from gxparse.ir import Item
from gxparse.legacy import _cut_after_label, _hits, _label_offset, header_columns, legacy_spec
from tests.conftest import DEV, dev_gold

CODED = """政府信息公开情况统计报表
指标名称 计量单位 代码 本期实际 本年累计
甲 乙 丙 1 2
主动公开信息数 条 01 120 340
其中：全文电子化的主动公开信息数 条 02 100 300
对申请的答复总数 条 17 5 12
其中：1.同意公开答复数 条 18 3 8
2.同意部分公开答复数 条 19 1 2
3.否决公开答复总数 条 20 1 2
行政复议数 件 32 0 1
"""


def test_coded_report_skips_codes_and_reads_ytd_column():
    report = gxparse.parse(CODED)
    table = report.to_dict()["tables"]["legacy_indicators"]
    assert report.template == "legacy"
    assert table["proactive_total"] == {"unit": "条", "current": 120, "ytd": 340}
    assert table["reply_rejected_total"] == {"unit": "条", "current": 1, "ytd": 2}
    assert all(c.status == "pass" for c in report.checks)


def test_indicator_not_in_template_is_reported_not_merged():
    text = "附表\n指标名称 单位 2017年度 历年累计\n主动公开文件数 条 10 30\n政府信息公开专项经费 万元 5 12\n行政复议数 件 0 0\n"
    report = gxparse.parse(text)
    assert report.tables["legacy_indicators"].values()["proactive_total"] == {"unit": "条", "current": 10, "cumulative": 30}
    assert any("政府信息公开专项经费" in w for w in report.warnings)


def test_legacy_identity_failure_is_reported_as_printed():
    text = ("附表\n指标名称 单位 2012年度 历年累计\n对申请的答复总数 条 5 9\n其中：1.同意公开答复数 条 1 4\n"
            "2.同意部分公开答复数 条 1 2\n3.不予公开答复数 条 1 1\n4.其他类型答复数 条 1 2\n")
    report = gxparse.parse(text)
    failed = {(c.id, c.scope) for c in report.checks if c.status == "fail"}
    assert ("I-C1-2", "current") in failed
    assert report.tables["legacy_indicators"].cell("replies_total", "current").value == 5


def test_narrative_only_legacy_report_has_no_table():
    text = "2012年政府信息公开工作年度报告\n一、概述\n全年主动公开政府信息46条，历年累计454条。未收到政府信息公开申请。\n"
    report = gxparse.parse(text)
    assert report.template is None and not report.tables


@pytest.mark.parametrize("current,cumulative", [("年末统计", "累积数"), ("全年合计", "累计总数")])
def test_unfamiliar_value_column_headers_take_their_role_by_position_and_vocabulary(current, cumulative):
    gold = dev_gold("r019")
    text = (DEV / gold["input"]).read_text(encoding="utf-8").replace("计量单位 2012年度 历年累计", f"计量单位 {current} {cumulative}")
    assert current in text
    result = gxparse.parse(text).to_dict()
    assert result["tables"]["legacy_indicators"] == gold["tables"]["legacy_indicators"]


def test_unfamiliar_header_glued_to_the_first_indicator():
    text = "附表 指标名称计量单位年末统计主动公开信息数条26其中:1.网站公开条26 2.政府公报公开条0行政复议数件0 附件下载"
    table = gxparse.parse(text).tables["legacy_indicators"]
    assert table.cell("proactive_total", "current").value == 26
    assert table.cell("proactive_website", "current").value == 26


def test_header_columns_are_a_new_list_every_call() -> None:
    """The header reading is cached by zone: changing the list one caller gets changes no other's."""
    zone = "指标名称 单位 本年 累计"
    first = header_columns(zone, legacy_spec())
    assert [c.role for c in first] == ["unit", "current", "cumulative"]
    first.clear()
    assert [c.role for c in header_columns(zone, legacy_spec())] == ["unit", "current", "cumulative"]


def test_the_first_label_starts_after_header_words_glued_before_it() -> None:
    """The label's offset is the earliest cut of the best score (an exact label ends the search)."""
    row = legacy_spec().rows[0]
    assert _label_offset(row.label, row) == 0
    assert _label_offset("历年累计" + row.label, row) == len("历年累计")


def test_a_pieces_unit_cuts_are_placed_at_its_span_wherever_it_is_printed() -> None:
    # the cuts are kept by the piece's text alone: printed elsewhere, they shift with it
    piece = "政府网站公开数条受理申请总数件"
    cuts = {at: _cut_after_label(Item("text", piece, at, at + len(piece), line)) for at, line in ((0, 0), (500, 7))}
    assert [(c.text, c.start, c.end, c.flags) for c in cuts[0]] == [
        ("政府网站公开数", 0, 7, ()), ("条", 7, 8, ("unit",)), ("受理申请总数", 8, 14, ()), ("件", 14, 15, ("unit",))]
    assert [(c.text, c.start - 500, c.end - 500, c.flags) for c in cuts[500]] == [
        (c.text, c.start, c.end, c.flags) for c in cuts[0]]
    assert {c.line for c in cuts[500]} == {7}
    uncut = Item("text", "现场接待人数", 3, 9, 1, ("kept",))  # its 人 is no unit: the piece itself, flags and all
    assert _cut_after_label(uncut) == [uncut]


def test_a_pieces_named_row_does_not_depend_on_where_it_is_printed() -> None:
    # the finder's verdict on a piece is kept by its text: the same label names the same row anywhere
    def hits(offset: int) -> list[tuple[str, bool]]:
        items = [Item("text", "主动公开文件数", offset, offset + 7, 0), Item("num", "12", offset + 7, offset + 9, 0),
                 Item("text", "今天天气很好", offset + 9, offset + 15, 1), Item("num", "3", offset + 15, offset + 16, 1)]
        return [(h.key, h.after_prose) for h in _hits(items)]

    assert hits(0) == hits(1000) == [("proactive_total", False)]
