"""Legacy tables whatever their header words and column order, found by their rows, ending where they end.

The dev legacy reports are re-rendered with header words the code has never seen, columns in
another order and no header at all; each rendering must still parse to its gold. Minimal
handwritten texts cover the classes seen in real copies: a signature and date right after the
table, one value column printed under a two-column header, units printed last and glued.
"""

from __future__ import annotations

import itertools
import re

import pytest

import gxparse
from tests.conftest import DEV, dev_gold

LEGACY_DEV = ("r011", "r019", "r210", "r213", "seed001")
SEPARATED = ("r019", "seed001")  # cells printed apart (spaces, one per line): columns can be reordered
COLUMNS = ("unit", "current", "cumulative")

# header words the template's vocabulary does not hold (test-side; some close to it, some not at all)
UNFAMILIAR = {
    "unit": ("量纲", "计数单位"),
    "current": ("报告期", "年内数量", "当期值"),
    "cumulative": ("开办以来", "汇总量", "截至目前总量"),
}
_HEADER = re.compile(r"(?P<name>指\s*标\s*名\s*称)(?P<sep>[\s|]*)(?P<unit>计量单位|单位)[\s|]*"
                     r"(?P<current>\d{4}年度?)[\s|]*(?P<cumulative>历年累计)(?P<end>[\s|]*)")


def _dev_text(report_id: str) -> str:
    return (DEV / dev_gold(report_id)["input"]).read_text(encoding="utf-8")


def _gold_table(report_id: str) -> dict:
    return dev_gold(report_id)["tables"]["legacy_indicators"]


def _legacy_table(text: str) -> dict:
    result = gxparse.parse(text).to_dict()
    assert result["template"] == "legacy"
    return result["tables"]["legacy_indicators"]


def rewrite_header(text: str, words: dict[str, str], order: tuple[str, ...] = COLUMNS) -> str:
    """The legacy header with ``words`` for its columns, printed in ``order``, the layout's separator kept."""
    m = _HEADER.search(text)
    assert m, "a dev legacy report prints the usual header"
    sep = m.group("sep")
    header = sep.join([m.group("name"), *(words[c] for c in order)]) + m.group("end")
    return text[:m.start()] + header + text[m.end():]


def reorder_rows(text: str, order: tuple[str, ...], sep: str) -> str:
    """Every row's unit and two values printed in ``order`` (layouts whose cells are printed apart by ``sep``)."""
    s = re.escape(sep)

    def swap(m: re.Match[str]) -> str:
        cells = dict(zip(COLUMNS, m.groups()))
        return sep + sep.join(cells[c] for c in order)

    return re.sub(rf"{s}(条|件|元|人次){s}(\d+){s}(\d+)", swap, text)


@pytest.mark.parametrize("report_id", LEGACY_DEV)
@pytest.mark.parametrize("pick", range(3))
def test_unfamiliar_header_words_parse_to_gold(report_id, pick):
    words = {col: options[pick % len(options)] for col, options in UNFAMILIAR.items()}
    text = rewrite_header(_dev_text(report_id), words)
    assert words["current"] in text
    assert _legacy_table(text) == _gold_table(report_id)


@pytest.mark.parametrize("report_id", SEPARATED)
@pytest.mark.parametrize("order", [o for o in itertools.permutations(COLUMNS) if o != COLUMNS])
@pytest.mark.parametrize("familiar", [True, False])
def test_columns_in_another_order_parse_to_gold(report_id, order, familiar):
    text = _dev_text(report_id)
    m = _HEADER.search(text)
    words = ({c: m.group(c) for c in COLUMNS} if familiar
             else {col: options[0] for col, options in UNFAMILIAR.items()})
    text = reorder_rows(rewrite_header(text, words, order), order, m.group("sep"))
    assert _legacy_table(text) == _gold_table(report_id)


@pytest.mark.parametrize("report_id", LEGACY_DEV)
def test_table_without_header_or_caption_is_found_by_its_rows(report_id):
    text = _dev_text(report_id)
    m = _HEADER.search(text)
    text = text[:m.start()] + text[m.end():]
    text = re.sub(r"附表|统计表", "", text)
    assert _legacy_table(text) == _gold_table(report_id)


@pytest.mark.parametrize("report_id", LEGACY_DEV)
def test_copy_that_begins_inside_the_table(report_id):
    text = _dev_text(report_id)
    start = text.index("受理", _HEADER.search(text).end())
    gold = _gold_table(report_id)
    kept = list(gold)[list(gold).index(next(k for k in gold if k.startswith("apps_total"))):]
    assert _legacy_table(text[start:]) == {k: gold[k] for k in kept}


GLUED_SIGNED = ("附件5 附表 指标名称单位2017年历年累计主动公开文件数条148 其中：1.政府网站公开数条148 "
                "2.政府公报公开数条0 受理政府信息公开申请总数条2 其中：1.当面申请数条0 2.网络申请数条1 "
                "3.信函、传真申请数条1 行政复议数条0 行政诉讼数条0 某某区经济发展局办公室 2018年1月9日印发")


def test_one_value_column_under_a_two_column_header_and_a_signature_after():
    table = _legacy_table(GLUED_SIGNED)
    assert table["proactive_total"] == {"unit": "条", "current": 148}
    assert table["apps_online"] == {"unit": "条", "current": 1}
    assert table["admin_litigation"] == {"unit": "条", "current": 0}
    numbers = {v for row in table.values() for v in row.values() if isinstance(v, int)}
    assert 2018 not in numbers and 9 not in numbers


@pytest.mark.parametrize("after", ["\n2018年1月9日\n", "\n某某局\n二〇一八年一月九日\n", "\n附件下载\n第 3 页\n",
                                   "\n注:以上数据统计截至2008年12月31日,其中网上办理464件,占比35.8%。\n"])
def test_nothing_after_the_last_row_becomes_a_cell(after):
    text = ("附表\n指标名称 单位 2012年度 历年累计\n主动公开信息数 条 12 40\n受理政府信息公开申请总数 条 3 9\n"
            "行政复议数 件 0 1\n行政诉讼数 件 0 2" + after)
    table = _legacy_table(text)
    assert table["admin_litigation"] == {"unit": "件", "current": 0, "cumulative": 2}
    assert len(table) == 4


def test_number_shapes_name_the_cumulative_column_when_the_header_does_not():
    text = ("统计表\n项目 甲栏 乙栏 丙栏\n主动公开信息数 340 条 120\n其中:1.政府网站公开数 300 条 100\n"
            "受理政府信息公开申请总数 12 条 5\n行政复议数 1 件 0\n")
    table = _legacy_table(text)
    assert table["proactive_total"] == {"unit": "条", "current": 120, "cumulative": 340}
    assert table["admin_review"] == {"unit": "件", "current": 0, "cumulative": 1}


def test_units_printed_last_and_glued_to_the_next_label():
    text = ("指标名称2015年度历年累计单位主动公开信息数1245条其中:1.政府网站公开数1245条"
            "受理政府信息公开申请总数03条行政复议数01件行政诉讼数00件")
    table = _legacy_table(text)
    assert table["proactive_website"]["unit"] == "条"
    assert table["apps_total"] == {"unit": "条", "current": 0, "cumulative": 3}
    assert table["admin_review"] == {"unit": "件", "current": 0, "cumulative": 1}


def test_narrative_with_indicator_words_is_not_a_table():
    text = ("2013年度主动公开政府信息37条,其中全文电子化主动公开信息35条。通过门户网站公开29条,其他形式公开8条。"
            "二、依申请公开政府信息情况 2013年度,我局无依申请公开政府信息。三、行政复议数 0 件。\n")
    assert gxparse.parse(text).template is None


@pytest.mark.parametrize(("key", "label", "unit"), [("proactive_gazette", "2.政府公报公开数", "条"),
                                                    ("admin_litigation", "行政诉讼数", "件")])
def test_an_empty_line_among_one_cell_per_line_values_is_a_blank_cell(key: str, label: str, unit: str) -> None:
    """seed001's list printed one cell per line (its `` |`` suffixes gone), one row's current year left
    blank as an empty line and 89 to date: the empty line is the blank cell, 89 no glued 8 | 9."""
    text = "\n".join(re.sub(r"\s*\|$", "", line) for line in _dev_text("seed001").split("\n"))
    row = re.search(re.escape(f"{label}\n{unit}\n") + r"\d+\n\d+\n", text)
    assert row is not None
    parsed = gxparse.parse(text[:row.start()] + f"{label}\n{unit}\n\n89\n" + text[row.end():])
    assert parsed.to_dict()["tables"]["legacy_indicators"][key] == {"unit": unit, "current": None, "cumulative": 89}
