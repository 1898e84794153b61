"""Tables as printed: ``gxparse show``, the notebook HTML, ``repr`` and the wide frame, on dev reports."""

from __future__ import annotations

import re

import pytest

import gxparse
from gxparse.cli import main
from gxparse.display import DOUBTFUL_CONFIDENCE, display_width, render_section_text, table_sections
from tests.conftest import DEV

UNBALANCED = DEV / "r201.txt"  # its 三 table does not balance as printed
GOV2019_HTML = DEV / "r025.html"
LEGACY = DEV / "seed001.txt"


def test_show_prints_grids_with_chinese_labels_marks_failed_checks(capsys):
    assert main(["show", str(UNBALANCED)]) == 0
    out = capsys.readouterr().out
    report = gxparse.parse_file(UNBALANCED)
    assert out == report.show()
    assert out.splitlines()[0].startswith(str(UNBALANCED)) and "gov2021" in out.splitlines()[0]
    assert "三、收到和处理政府信息公开申请情况" in out and "自然人" in out and "（七）总计" in out
    failed = [c for c in report.checks if c.status == "fail"]
    for check in failed:
        assert f"✗ {check.id} {check.table}[{check.scope}]" in out and check.formula in out
    # every cell in a failing identity carries "!" on its line
    total_line = next(line for line in out.splitlines() if line.strip().startswith("（七）总计"))
    assert "!" in total_line
    doubtful = [cell for t in report.tables.values() for _, _, cell in t.cells() if cell.confidence < DOUBTFUL_CONFIDENCE]
    assert out.count("?") >= len(doubtful)


def test_show_reports_an_unreadable_input_and_goes_on(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["show", str(empty), str(GOV2019_HTML)]) == 1
    out = capsys.readouterr().out
    assert "EmptyInputError" in out and "gov2019" in out


def test_show_lists_warnings_and_a_report_without_tables(capsys):
    assert main(["show", str(DEV / "seed003.txt")]) == 0
    out = capsys.readouterr().out
    assert "no tables" in out.splitlines()[0] and "warnings:" in out and "⚠" in out


@pytest.mark.parametrize("path", [UNBALANCED, GOV2019_HTML, LEGACY])
def test_grid_columns_line_up_with_wide_characters(path):
    report = gxparse.parse_file(path)
    for table in report.tables.values():
        for section in table_sections(table):
            headers_only = {label.strip() for label, cells in section.rows if not any(c.text for c in cells)}
            lines = [line for line in render_section_text(section)
                     if line != section.caption and line.strip() not in headers_only]
            # numbers are right-aligned: every line of a grid ends at the same terminal column
            assert len({display_width(line) for line in lines}) == 1, lines


def test_legacy_grid_uses_labels_as_printed():
    out = gxparse.parse_file(LEGACY).show()
    assert "受理政府信息公开申请总数" in out and "单位" in out and "历年累计" in out


def test_report_repr_is_one_short_line():
    report = gxparse.parse_file(UNBALANCED)
    text = repr(report)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<Report gov2021") and "failed_checks=3" in text
    table = report.tables["applications"]
    assert repr(table) == f"<Table applications template='gov2021' rows={len(table.rows)} cells={sum(1 for _ in table.cells())}>"


def test_html_repr_has_the_grids_and_the_same_marks():
    report = gxparse.parse_file(UNBALANCED)
    page = report._repr_html_()
    assert page.count("<table") == sum(len(table_sections(t)) for t in report.tables.values())
    marked = [cell for t in report.tables.values() for _, _, cell in t.cells()
              if any(f.startswith("identity_fail:") for f in cell.flags)]
    assert len(re.findall(r'data-marks="[^"]*!', page)) == len(marked)
    assert "<th>自然人</th>" in page and "gxparse-failed" in page
    assert all(c.formula in page for c in report.checks if c.status == "fail")
    table_page = report.tables["applications"]._repr_html_()
    assert table_page.count("<table") == 1 and "（七）总计" in table_page


def test_table_to_frame_is_wide_and_labelled_like_the_printed_table():
    report = gxparse.parse_file(GOV2019_HTML)
    table = report.tables["applications"]
    frame = table.to_frame()
    assert frame.shape == (len(table.rows), 7)
    assert frame.loc["一、本年新收政府信息公开申请数量", "申请人情况/自然人"] == 821
    assert str(frame["申请人情况/自然人"].dtype) == "Int64"
    assert frame.loc["（七）总计", "申请人情况/总计"] == 805
    keyed = table.to_frame(keys=True)
    assert keyed.loc["new_received", "total"] == 859
    assert keyed.isna().loc["result_partial", "total"]  # a blank cell is NA, not 0


@pytest.mark.parametrize("path", [UNBALANCED, GOV2019_HTML, LEGACY])
def test_long_frame_carries_labels_for_every_template(path):
    frame = gxparse.parse_file(path).to_frame()
    assert frame["label"].notna().all() and (frame["label"].str.len() > 0).all()


def test_single_row_blocks_keep_their_row_label():
    out = gxparse.parse_file(DEV.parent.parent / "gxparse" / "examples" / "jingan-hrss-2023.txt").show()
    licensing = next(line for line in out.splitlines() if line.startswith("行政许可"))
    assert licensing.split()[-1] == "47"
    assert "行政事业性收费" in out and "52.29" in out
