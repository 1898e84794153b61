"""Tests of gxparse.html_text: blocks to lines, tables to one pipe-separated line per row."""

from __future__ import annotations

import logging
from pathlib import Path

import lxml.html
import pytest

from gxparse.html_text import (
    GridCell,
    clean_cell_text,
    format_table_row,
    html_table_grid,
    html_to_text,
)

R025 = Path(__file__).parents[1] / "training_data/dev/r025.html"

MERGED = """
<table>
  <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>258</td></tr>
  <tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>14</td></tr>
</table>
"""


def _table(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html.strip())


def test_grid_expands_rowspan_and_colspan() -> None:
    label, open_, secret = "三、本年度办理结果", "（一）予以公开", "1.属于国家秘密"
    assert html_table_grid(_table(MERGED)) == [
        [
            GridCell(label, True, 0, 0),
            GridCell(open_, True, 0, 1),
            GridCell(open_, False, 0, 2),
            GridCell("258", True, 0, 3),
        ],
        [
            GridCell(label, False, 1, 0),
            GridCell("（三）不予公开", True, 1, 1),
            GridCell(secret, True, 1, 2),
            GridCell("14", True, 1, 3),
        ],
    ]


def test_merged_cells_are_written_once() -> None:
    assert html_to_text(MERGED) == (
        "三、本年度办理结果 | （一）予以公开 | 258 |\n（三）不予公开 | 1.属于国家秘密 | 14 |"
    )


def test_ragged_rows_are_padded_with_non_origin_blanks() -> None:
    table = _table(
        '<table><tr><td>A</td><td>B</td><td rowspan="2">C</td></tr><tr><td>D</td></tr></table>'
    )
    assert html_table_grid(table)[1] == [
        GridCell("D", True, 1, 0),
        GridCell("", False, 1, 1),
        GridCell("C", False, 1, 2),
    ]
    assert html_to_text(lxml.html.tostring(table, encoding=str)) == "A | B | C |\nD |"


@pytest.mark.parametrize(
    ("attributes", "n_rows", "n_cols"),
    [
        ('colspan="x"', 2, 2),
        ('colspan="0"', 2, 2),
        ('colspan=" 3;"', 2, 4),
        ('rowspan="99999"', 2, 2),
    ],
)
def test_bad_or_huge_spans_are_bounded(attributes: str, n_rows: int, n_cols: int) -> None:
    table = _table(f"<table><tr><td {attributes}>a</td><td>b</td></tr><tr><td>c</td></tr></table>")
    grid = html_table_grid(table)
    assert (len(grid), {len(row) for row in grid}) == (n_rows, {n_cols})


def test_nbsp_and_ideographic_space_cells_stay_visible_as_blanks() -> None:
    html = "<table><tr><td>规章</td><td>&nbsp;</td><td> <p>\u3000</p> </td><td></td></tr></table>"
    assert html_to_text(html) == "规章 |  |  |  |"


def test_table_caption_and_stray_text_keep_their_place() -> None:
    html = (
        "<table><caption>表1</caption>前<tr><td>a</td><td rowspan=2>r</td></tr>"
        "中<tr><td>b</td></tr></table>后<table>规章<br>13</table>"
    )
    assert html_to_text(html) == "表1\n前\na | r |\n中\nb |\n后\n规章\n13"


def test_rows_wrapped_in_a_form_are_rows() -> None:
    assert html_to_text("<table><form><tr><td>a</td><td>1</td></tr></form></table>") == "a | 1 |"


def test_all_blank_rows_are_dropped() -> None:
    html = "<table><tr><td>&nbsp;</td><td></td></tr><tr><td>a</td><td>1</td></tr></table>"
    assert html_to_text(html) == "a | 1 |"


def test_br_inside_a_cjk_cell_is_removed() -> None:
    html = (
        "<table><tr><td><p>信息内容</p></td><td><p>本年新<br />制作数量</p></td>"
        "<td>本年新\n   公开数量</td></tr></table>"
    )
    assert html_to_text(html) == "信息内容 | 本年新制作数量 | 本年新公开数量 |"


def test_br_inside_a_latin_cell_becomes_a_space() -> None:
    html = "<table><tr><td>Total<br/>count</td><td>  New\n  items </td></tr></table>"
    assert html_to_text(html) == "Total count | New items |"


def test_clean_cell_text() -> None:
    assert clean_cell_text("（二）部分公开\n （区分处理的）") == "（二）部分公开（区分处理的）"
    assert clean_cell_text(" 1 234\n") == "1 234"
    assert clean_cell_text("\xa0\u3000 ") == ""


def test_format_table_row() -> None:
    assert format_table_row(["规章", "", "", ""]) == "规章 |  |  |  |"


def test_nested_tables_rows_are_their_own_lines_in_document_order() -> None:
    html = (
        "<table><tr><td>A</td><td>B</td></tr>"
        "<tr><td>x<table><tr><td>i1</td><td>i2</td></tr></table>y</td><td>z</td></tr></table>"
        "<p>after</p>"
    )
    assert html_to_text(html) == "A\nB\nx\ni1 | i2 |\ny\nz\nafter"


def test_layout_table_wrapping_a_report_keeps_its_lines() -> None:
    paragraphs = "".join(f"<p>第{i}段</p>" for i in range(8))
    html = f"<div>标题<table><tr><td>{paragraphs}</td></tr></table>尾</div>"
    assert html_to_text(html).splitlines() == ["标题", *[f"第{i}段" for i in range(8)], "尾"]


def test_html_without_tables() -> None:
    html = (
        "<h1>标题</h1><p>第一段<b>加粗</b>文字\n  续</p><ul><li>一</li><li>二</li></ul>"
        "行一<br>行二<div>\xa0</div><p>  </p>"
    )
    assert html_to_text(html) == "标题\n第一段加粗文字 续\n一\n二\n行一\n行二"


def test_entities_are_decoded() -> None:
    assert html_to_text("<p>&lt;&amp;&gt;&quot;&#20010;&#x4E2A;&nbsp;x</p>") == '<&>"个个\xa0x'


def test_script_style_head_and_comments_are_dropped() -> None:
    html = (
        "<html><head><title>标题</title><style>p{}</style></head><body>"
        "<p>前<!-- 注释 -->后</p><script>var x = 1;</script>尾<style>.a{}</style></body></html>"
    )
    assert html_to_text(html) == "前后\n尾"


def test_pre_keeps_its_lines() -> None:
    assert html_to_text("<pre>规章 13 13 524\n规范性文件 60 60 368</pre>x") == (
        "规章 13 13 524\n规范性文件 60 60 368\nx"
    )


def test_broken_html_is_repaired() -> None:
    html = "<p>a<table><tr><td>x<td>y</table><b>unclosed <i>tail"
    assert html_to_text(html) == "a\nx | y |\nunclosed tail"


def test_xml_declaration_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>'
    assert html_to_text(html) == "x"


@pytest.mark.parametrize("html", ["", "  \n", "<!-- only a comment -->", "<p>&nbsp;</p>"])
def test_no_text(html: str) -> None:
    assert html_to_text(html) == ""


def test_2000_nested_divs_parse() -> None:
    assert html_to_text("<div>" * 2000 + "深" + "</div>" * 2000 + "<p>after</p>") == "深\nafter"


def test_too_deep_nesting_falls_back_to_tag_stripping(caplog: pytest.LogCaptureFixture) -> None:
    html = "<div>" * 3000 + "<table><tr><td>规章</td><td>13</td></tr></table>" + "</div>" * 3000
    with caplog.at_level(logging.WARNING, logger="gxparse"):
        assert html_to_text(html) == "规章 | 13 |"
    assert "stripping tags instead" in caplog.text


def test_2000_nested_tables_do_not_crash() -> None:
    html = "<table><tr><td>" * 2000 + "深" + "</td></tr></table>" * 2000 + "<p>after</p>"
    assert html_to_text(html) == "深 |\nafter"


def test_fallback_strips_script_entities_and_cells() -> None:
    html = (
        "<b>" * 3000
        + "<script>x<y</script>a &amp; b<br>c<table><tr><td>1</td><th>2</th></tr></table>"
    )
    assert html_to_text(html) == "a & b\nc\n1 | 2 |"


@pytest.mark.skipif(not R025.exists(), reason="dev corpus not present")
def test_real_report_r025() -> None:
    lines = html_to_text(R025.read_text(encoding="utf-8")).splitlines()
    assert lines[:4] == [
        "二、主动公开政府信息情况",
        "第二十条第（一）项 |",
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
        "规章 | 13 | 13 | 524 |",
    ]
    assert "一、本年新收政府信息公开申请数量 | 821 | 35 |  |  | 2 | 1 | 859 |" in lines
    assert "三、本年度办理结果 | （一）予以公开 | 258 | 12 |  |  | 1 | 1 |  |" in lines
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 3 |  |  |  |  |  |  |" in lines
    assert "5 |  |  | 2 | 7 | 8 |  |  | 1 | 9 |  |  |  |  |  |" in lines
    assert lines[-1] == "无。"


@pytest.mark.parametrize("cell_html", [
    "<td>13</td>",
    "<td><p>本年新<br/>制作数量</p></td>",
    "<td>a<span>b<b>c</b>d</span>e<!-- note -->f</td>",
    "<td><pre>1\n2</pre> tail</td>",
    "<td>x<script>var y = 1;</script>z<style>p {}</style></td>",
    "<td>before<table><tr><td>inner</td></tr></table>after</td>",
    "<td><div><p>one</p><p>two</p></div>\n three </td>",
    "<td></td>",
    "<td><p>1</p><p>2</p> tail</td>",
    "<td>a<br/>b<!-- c -->d<script>x</script>e<p>f</p>g<span></span></td>",
    "<td>x<table></table>y</td>",
])
def test_cell_raw_text_is_the_join_of_the_cell_pieces(cell_html: str) -> None:
    """The one-loop cell reader gives what the general walk gives, breaks as newlines."""
    from gxparse.html_text import _BREAK, _cell_raw_text, _pieces

    table = lxml.html.fragment_fromstring(f"<table><tr>{cell_html}</tr></table>")
    cell = table.find(".//td")
    expected = "".join("\n" if piece is _BREAK else piece for piece in _pieces(cell, read_tables=False))
    assert _cell_raw_text(cell) == expected


@pytest.mark.parametrize("rows", [
    "<tr><td rowspan=2>a</td><td colspan=2>b</td><td>c</td></tr><tr><td>d</td><td></td><td rowspan=3>e</td></tr>"
    "<tr><td colspan=4>f</td></tr><tr><td>g</td></tr>",
    "<tr><td>1</td></tr><tr><td>2</td><td>3</td><td colspan=2>4</td></tr><tr><td rowspan=9>5</td><td>6</td></tr>",
    "<tr><td colspan=3 rowspan=2>x</td><td>y</td></tr><tr><td>z</td><td>w</td></tr><tr><td></td><td>&nbsp;</td></tr>",
])
def test_a_row_line_holds_the_grid_cells_that_start_in_that_row(rows: str) -> None:
    """A data table's row lines are read without building its grid: each is the row's origin slots, left to right."""
    table = lxml.html.fragment_fromstring(f"<table>{rows}</table>")
    expected = [format_table_row(origins) for row in html_table_grid(table)
                if any(origins := [cell.text for cell in row if cell.is_origin])]
    assert html_to_text(f"<table>{rows}</table>").splitlines() == expected
