"""Spans into the original input: ``Report.source_text[cell.source_span] == cell.raw`` for every cell."""

from __future__ import annotations

import json
import re

import pytest

import gxparse
from gxparse.html_text import HtmlTextMap, html_to_text
from gxparse.normalize import to_simplified
from gxparse.values import parse_value
from tests.conftest import DEV, ROOT

EXAMPLE = ROOT / "gxparse" / "examples" / "jingan-hrss-2023.txt"
FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _numeric_cells(report: gxparse.Report):
    for table in report.tables.values():
        for row, col, cell in table.cells():
            if isinstance(cell.value, (int, float)):
                yield f"{table.key}.{row}.{col}", cell


def _assert_traced(report: gxparse.Report) -> None:
    for address, cell in _numeric_cells(report):
        assert cell.source_span is not None, address
        assert report.source_text[slice(*cell.source_span)] == cell.raw, address
        assert parse_value(cell.raw) == cell.value, address


def _values(report: gxparse.Report) -> dict:
    return {k: t.values() for k, t in report.tables.items()}


def test_every_numeric_cell_of_every_dev_report_points_into_the_original():
    golds = sorted(DEV.glob("*.json"))
    assert golds
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if gold.get("input") is None or not (DEV / gold["input"]).exists():
            continue
        report = gxparse.parse_file(DEV / gold["input"])
        _assert_traced(report)
        assert report.to_dict()["cells"] == {} or all("source_span" in c for c in report.to_dict()["cells"].values())


def test_full_width_digits_and_separators_are_kept_in_raw():
    plain = EXAMPLE.read_text(encoding="utf-8")
    head, _, tail = plain.partition("二、主动公开政府信息情况")
    wide = head + "二、主动公开政府信息情况" + tail.translate(FULL_WIDTH)
    report = gxparse.parse(wide)
    assert _values(report) == _values(gxparse.parse(plain))
    fee = report.tables["active_disclosure"].cell("admin_fees", "fee_amount")
    assert fee.raw == "５２．２９" and fee.value == 52.29
    _assert_traced(report)


def test_thousands_separator_is_part_of_raw():
    text = EXAMPLE.read_text(encoding="utf-8").replace("行政许可 | 47 |", "行政许可 | 1,247 |")
    report = gxparse.parse(text)
    cell = report.tables["active_disclosure"].cell("admin_licensing", "decisions")
    assert cell.raw == "1,247" and cell.value == 1247
    assert report.source_text[slice(*cell.source_span)] == "1,247"


def test_nbsp_padding_is_outside_the_span():
    text = re.sub(r"\| (\d+) \|", "|\u00a0\\1\u00a0|", EXAMPLE.read_text(encoding="utf-8"))
    assert "\u00a0" in text
    report = gxparse.parse(text)
    assert _values(report) == _values(gxparse.parse_file(EXAMPLE))
    _assert_traced(report)
    assert not any("\u00a0" in cell.raw for _, cell in _numeric_cells(report))


def test_traditional_script_source_is_traced():
    import opencc

    plain = EXAMPLE.read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(plain)
    assert traditional != plain and to_simplified(traditional) != traditional
    report = gxparse.parse(traditional)
    assert report.source_text == traditional
    assert _values(report) == _values(gxparse.parse(plain))
    _assert_traced(report)
    placeholder = report.tables["active_disclosure"].cell("regulations", "issued")
    assert placeholder.value is None and placeholder.raw == "————"


def test_html_cells_index_the_html_itself():
    html = (DEV / "r025.html").read_text(encoding="utf-8")
    html = html.replace('<p align="center">821</p>', '<p align="center">&nbsp;８２１&nbsp;</p>')
    report = gxparse.parse(html.encode("utf-8"), source="r025.html")
    assert report.source_text == html
    cell = report.tables["applications"].cell("new_received", "natural_person")
    assert cell.value == 821 and cell.raw == "８２１"
    assert html[cell.source_span[0] - 6:cell.source_span[0]] == "&nbsp;"
    _assert_traced(report)
    fee = report.tables["active_disclosure"].cell("centralized_procurement", "procurement_amount")
    assert fee.raw == "251000元" and fee.value == 251000


def test_html_text_map_maps_references_to_the_whole_reference():
    html = "<head><title>12</title></head><p>a&amp;b &nbsp</p><table><tr><td>&#49;2</td><td>3 4</td></tr></table>"
    text = html_to_text(html)
    mapping = HtmlTextMap(html, text)
    assert text.startswith("a&b")
    assert html[slice(*mapping.char_span(1))] == "&amp;"
    one = text.index("1")
    assert html[slice(*mapping.span(one, one + 2))] == "&#49;2"  # not the "12" of the title
    assert mapping.char_span(text.index("|")) is None
    four = text.index("4")
    assert html[slice(*mapping.char_span(four))] == "4"


@pytest.mark.parametrize("name", ["r002.pdf"])
def test_pdf_source_text_is_the_extracted_text(name):
    pytest.importorskip("pdfplumber")
    report = gxparse.parse_file(DEV / name)
    assert report.tables and report.source_text and "<" not in report.source_text[:100]
    _assert_traced(report)
