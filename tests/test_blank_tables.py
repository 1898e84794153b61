"""Blank versus absent: a table or row that is printed comes out whole, its blank cells ``None``.

Only a row or table that is not printed is absent. The cases here are the ones where a table is
printed with its header and blank, short or missing value rows: at the very end of the input, as
an appendix after a caption ``附表3``, one cell per line, in a glued run, or with no heading at all.
"""

from __future__ import annotations

import numpy as np
import pytest

import gxparse
from gxparse.parser import parse_source
from gxparse.sources import source_from_text
from gxparse.synth import random_legacy_tables, random_tables, render

REVIEW_HEADER = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼 |\n"
                 "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
                 "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n")
REVIEW_HEADER_GLUED = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
                       "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")
APPLICATIONS_GLUED = ("三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
                      "一、本年新收政府信息公开申请数量3000003二、上年结转政府信息公开申请数量0000000"
                      "三、本年度办理结果(一)予以公开3000003(七)总计3000003")


def _parse(text: str) -> gxparse.Report:
    return parse_source(source_from_text(text))


def _cases(report: gxparse.Report) -> dict[str, gxparse.Cell]:
    return report.tables["review_litigation"].rows["cases"]


def test_a_blank_review_table_printed_last_comes_out_whole() -> None:
    """Its header, then a row whose blank cells the copy dropped (`` |``): printed, so 15 blank cells, not cut off."""
    report = _parse("一、总体情况\n本年度无行政复议。\n" + REVIEW_HEADER + " |\n")
    cases = _cases(report)
    assert len(cases) == 15
    assert all(cell.value is None and "blank" in cell.flags for cell in cases.values())
    assert report.meta["blank_tables"] == ["review_litigation"]
    assert "truncated_tables" not in report.meta


def test_a_review_table_cut_off_inside_its_row_keeps_only_the_cells_present() -> None:
    """A text that stops inside a line was cut off: the cells after the cut are not printed, so absent."""
    report = _parse("一、总体情况\n" + REVIEW_HEADER + "1 | 0 | 0 | 0 | 1 | 0 |")
    cases = _cases(report)
    assert [cell.value for cell in cases.values()] == [1, 0, 0, 0, 1, 0]
    assert report.meta["truncated_tables"] == ["review_litigation"]


def test_an_html_review_table_whose_blank_row_the_page_drops_comes_out_blank() -> None:
    """An HTML row of empty cells yields no text line: the header printed alone is a blank table."""
    head = "".join(f"<td>{w}</td>" for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3)
    html = ("<p>四、政府信息公开行政复议、行政诉讼情况</p><table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
            f"<tr>{head}</tr><tr>{'<td>&nbsp;</td>' * 15}</tr></table>")
    report = gxparse.parse(html.encode())
    assert len(_cases(report)) == 15
    assert all(cell.value is None for cell in _cases(report).values())
    assert "review_litigation" in report.meta["blank_tables"]


def test_a_glued_review_row_at_the_end_of_the_input_comes_out_whole() -> None:
    """12 single zeros, a blank, a 0 and a blank last cell the copy ends without: 15 cells, 2 of them blank."""
    report = _parse(APPLICATIONS_GLUED + "四、结转下年度继续办理0000000\n" + REVIEW_HEADER_GLUED + "000000000000  0\n")
    values = [cell.value for cell in _cases(report).values()]
    assert len(values) == 15 and values.count(0) == 13 and values.count(None) == 2
    assert values[:12] == [0] * 12


@pytest.mark.parametrize("separator", ["", "\n"])
def test_an_appendix_caption_with_an_arabic_number_anchors_its_table(separator: str) -> None:
    """``附表3`` glued after 三's last row: 四 is found by its heading, and the caption's 3 is no cell of either table."""
    text = (APPLICATIONS_GLUED + "四、结转下年度继续办理3000003" + separator + "附表3政府信息公开行政复议、行政诉讼情况"
            + REVIEW_HEADER_GLUED.removeprefix("四、政府信息公开行政复议、行政诉讼情况") + "100010000000000\n")
    report = _parse(text)
    assert report.meta["located_by"]["review_litigation"] == "heading"
    assert [c.value for c in report.tables["applications"].rows["carry_to_next"].values()] == [3, 0, 0, 0, 0, 0, 3]
    cases = _cases(report)
    assert cases["review_upheld"].value == 1 and cases["review_total"].value == 1


@pytest.mark.parametrize("blank_at", [0, 6, 14])
def test_blank_cells_of_a_review_row_one_cell_per_line_are_its_empty_cell_lines(blank_at: int) -> None:
    """One cell per line with a pipe after each: a `` |`` line among the values is a blank cell, in its place."""
    cells = ["0 |"] * 15
    cells[blank_at] = " |"
    header = REVIEW_HEADER.replace(" | ", " |\n")
    report = _parse(header + "\n".join(cells) + "\n")
    values = [cell.value for cell in _cases(report).values()]
    assert values == [None if i == blank_at else 0 for i in range(15)]


def test_an_extra_empty_line_is_a_blank_cell_of_a_review_row_printed_last() -> None:
    """Cells on their own lines, an empty line between them: the extra empty line before the end is the blank last cell."""
    header = "\n\n".join(w for w in REVIEW_HEADER.replace(" | ", "\n").replace(" |", "").split("\n") if w)
    report = _parse(header + "\n\n" + "\n\n".join(["0"] * 14) + "\n\n\n")
    values = [cell.value for cell in _cases(report).values()]
    assert values == [0] * 14 + [None]


@pytest.mark.parametrize("pad", ["", " ", "\u00a0"])
def test_an_extra_empty_line_before_the_first_value_is_the_blank_first_cell(pad: str) -> None:
    """An excerpt of 四 one cell per line: the extra empty line after the header is its first cell,
    blank, whether or not the first value's line begins with padding (`` 0``)."""
    header = "\n\n".join(w for w in REVIEW_HEADER.replace(" | ", "\n").replace(" |", "").split("\n") if w)
    values = [1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    report = _parse(header + "\n\n\n" + "\n\n".join([pad + str(values[0])] + [str(v) for v in values[1:]]) + "\n")
    assert [cell.value for cell in _cases(report).values()] == [None] + values


def test_a_row_printed_one_value_per_line_reads_each_line_as_one_cell() -> None:
    """No value on a line of its own is cut into two cells (to pay for a value dropped elsewhere)."""
    header = "\n\n".join(w for w in REVIEW_HEADER.replace(" | ", "\n").replace(" |", "").split("\n") if w)
    values = [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 87, 3, 12, 10, 112]
    report = _parse(header + "\n\n" + "\n\n".join(map(str, values)) + "\n\n五、存在的主要问题及改进情况\n")
    assert [cell.value for cell in _cases(report).values()] == values


def test_a_row_numbered_like_a_section_stays_in_its_table() -> None:
    """三's last row ``四、结转下年度继续办理`` is a row of 三 (its label), not the heading of section 四."""
    text = (APPLICATIONS_GLUED.replace("三、收到和处理政府信息公开申请情况", "三、收到和处理政府信之息公开申请情况")
            .replace("3000003(七)", "3000003\n(七)") + "\n四、结转下年度继续办理0000000\n五、存在的主要问题及改进情况无。\n")
    rows = _parse(text).tables["applications"].rows
    assert [c.value for c in rows["carry_to_next"].values()] == [0] * 7


def test_a_blank_glued_legacy_list_after_a_sentence_keeps_its_first_row() -> None:
    text = ("六、需要说明的事项与附表政府信息公开情况统计表统计指标单位名称本年度累计总数主动公开文件数条其中:1.网站公开条"
            "2.政府公报公开数条受理依申请公开信息总数条其中:1.当面申请数条2.网上申请数条对申请的答复总数条行政复议数件行政诉讼数件")
    text = "五、存在的主要问题和改进措施一是思想认识还不够高;二是公开范围有待扩大。" + text
    rows = _parse(text).tables["legacy_indicators"].rows
    assert rows["proactive_total"]["unit"].value == "条"
    assert all(cell.value is None for cells in rows.values() for col, cell in cells.items() if col != "unit")


# Layouts whose renderings of a blank table with no heading, or of an excerpt of one table, come out
# with every printed row: one cell per line (pipes, empty lines), pipe rows, HTML, PDF text.
LINE_LAYOUTS = ("cell_per_line", "cell_per_line_blank", "cell_per_line_pipe", "pipe_rows", "html", "pdf_text")
BLANK_VARIANTS = (("blank_table", "heading_absent"), ("blank_table", "heading_absent", "excerpt_one_table"),
                  ("blank_rows", "heading_absent"), ("blank_table", "appendix_tables"))


@pytest.mark.parametrize("variants", BLANK_VARIANTS, ids="+".join)
@pytest.mark.parametrize("layout", LINE_LAYOUTS)
def test_every_printed_cell_of_a_blank_rendering_comes_out(layout: str, variants: tuple[str, ...]) -> None:
    """Every cell the rendering prints (blank or not) is in the output; a blank one is ``None``."""
    for seed in range(3):
        rng = np.random.default_rng([59, seed])
        template = ("gov2019", "gov2021")[seed % 2]
        rendered = render(template, random_tables(template, rng), layout, rng, variants=variants)
        report = gxparse.parse(rendered.text.encode() if layout == "html" else rendered.text)
        for key, rows in rendered.tables.items():
            assert key in report.tables, (seed, key)
            for row, cells in rows.items():
                got = report.tables[key].rows.get(row, {})
                assert set(got) == set(cells), (seed, key, row)
                assert all(got[col].value is None for col, value in cells.items() if value is None), (seed, key, row)


@pytest.mark.parametrize("layout", ["legacy_cell_per_line", "legacy_space_rows", "legacy_glued"])
def test_every_row_of_a_blank_legacy_list_comes_out(layout: str) -> None:
    for seed in range(3):
        rng = np.random.default_rng([61, seed])
        rendered = render("legacy", random_legacy_tables(rng), layout, rng, variants=("blank_table",))
        report = gxparse.parse(rendered.text)
        rows = report.tables["legacy_indicators"].rows
        assert set(rows) == set(rendered.tables["legacy_indicators"]), seed
