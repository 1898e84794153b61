"""A copy that begins or ends a few rows inside a table still has that table (issue 9).

The fragment prints no heading and no header, only rows: the table is found by its own row labels
(``gxparse.locator._rows_owner``), however few. A narrative sentence that names a row label among
its own words stays narrative.
"""

from __future__ import annotations

import numpy as np
import pytest

from gxparse.parser import parse_source
from gxparse.sources import source_from_text
from gxparse.synth import random_tables, render
from gxparse.synth.fragments import BEGINS, ENDS, table_fragments

FRAGMENT_SEED = 5303  # a seed of its own (5000–5999: test seeds, never a benchmark's)


def _report(layout: str, i: int, template_id: str = "gov2021"):
    rng = np.random.default_rng([FRAGMENT_SEED, i])
    return render(template_id, random_tables(template_id, rng), layout, rng)


def _found(text: str) -> dict[str, dict[str, dict[str, object]]]:
    report = parse_source(source_from_text(text))
    return {key: {row: {col: cell.value for col, cell in cells.items()} for row, cells in table.rows.items()}
            for key, table in report.tables.items()}


def test_a_fragment_keeps_k_rows_of_its_table_and_nothing_before_or_after_it() -> None:
    report = _report("space_rows", 0)
    fragments = table_fragments(report)
    assert {(f.table, f.edge) for f in fragments} >= {("active_disclosure", BEGINS), ("applications", ENDS)}
    for frag in fragments:
        kept = frag.report.tables[frag.table]
        assert 1 <= len(kept) <= len(report.tables[frag.table]) - 1
        order = list(report.tables)
        before, after = order[:order.index(frag.table)], order[order.index(frag.table) + 1:]
        gone = before if frag.edge == BEGINS else after
        assert not set(gone) & set(frag.report.tables)
        assert frag.report.complete is False and frag.edge in frag.report.variants
        for cell, span in frag.report.cells.items():  # every kept value still points at its printed text
            if span is not None:
                assert frag.report.text[span[0]:span[1]].strip()


@pytest.mark.parametrize("layout", ["space_rows", "glued", "pipe_rows", "cell_per_line", "pdf_text", "html"])
@pytest.mark.parametrize("template_id", ["gov2021", "gov2019"])
def test_a_copy_that_begins_with_the_last_rows_of_a_table_has_that_table(layout: str, template_id: str) -> None:
    """1–3 rows of a table, no heading, no header, then the rest of the report: the table and its rows are found."""
    report = _report(layout, 1, template_id)
    for frag in table_fragments(report):
        if frag.edge != BEGINS:
            continue
        found = _found(frag.report.text)
        assert frag.table in found, (frag.table, frag.rows, frag.report.text[:120])
        for row, cols in frag.report.tables[frag.table].items():
            assert row in found[frag.table], (frag.table, frag.rows, row)


@pytest.mark.parametrize("layout", ["space_rows", "glued", "pipe_rows", "markdown", "cell_per_line_pipe", "html"])
def test_a_copy_that_ends_a_few_rows_into_a_table_has_that_table(layout: str) -> None:
    """The report up to the first rows of a table (its heading and header printed): the table and those rows are found.

    With one row, 三's header words ``总计`` and ``其他`` (also row labels) must not be read as rows.
    """
    report = _report(layout, 2)
    for frag in table_fragments(report):
        if frag.edge == ENDS:
            found = _found(frag.report.text)
            assert frag.table in found, (frag.table, frag.rows)
            if layout != "markdown":  # a PDF-made Markdown prints row labels stacked above value lines: cut
                # after one value line, the labels of the rows whose values are cut off are still printed
                assert set(frag.report.tables[frag.table]) <= set(found[frag.table]), (frag.table, frag.rows)


def test_one_glued_line_of_table_two_before_table_three_is_table_two() -> None:
    """A copy beginning with 二's last glued block (its caption run into its row) and no heading: 二 is found."""
    report = _report("glued", 3)
    frag = next(f for f in table_fragments(report) if f.table == "active_disclosure" and f.edge == BEGINS and f.rows == 1)
    found = _found(frag.report.text)
    assert found["active_disclosure"] == frag.report.tables["active_disclosure"]
    assert "applications" in found


def test_rows_run_together_at_the_start_of_a_copy_belong_to_their_table() -> None:
    """Two rows of 二 printed on one line, then 三's header: the line is 二's, not the start of 三."""
    text = ("行政强制  0 第二十条第(八)项 信息内容 本年收费金额(单位:万元) 行政事业性收费  0\n"
            "三、收到和处理政府信息公开申请情况\n申请人情况 自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
            "一、本年新收政府信息公开申请数量  5  0  0  0  1  0  6\n")
    found = _found(text)
    assert found["active_disclosure"]["admin_coercion"] == {"decisions": 0}
    assert found["active_disclosure"]["admin_fees"] == {"fee_amount": 0}


@pytest.mark.parametrize("sentence", [
    "本年度全年制发行政规范性文件12件,行政许可办理156件,行政处罚决定784起。",
    "行政许可事项全部网上办理,共办理行政许可156件。",
    "本年度收取信息处理费2772元。",
])
def test_a_sentence_naming_rows_of_a_table_is_no_fragment_of_it(sentence: str) -> None:
    """Narrative before 三 that names 二's rows with numbers is narrative: no 二 table comes out of it."""
    text = (sentence + "\n三、收到和处理政府信息公开申请情况\n申请人情况 自然人 法人或其他组织 总计\n"
            "商业企业 科研机构 社会公益组织 法律服务机构 其他\n一、本年新收政府信息公开申请数量  5  0  0  0  1  0  6\n")
    assert "active_disclosure" not in _found(text)


def test_a_header_cell_that_is_another_tables_row_label_is_no_fragment():
    """四 printed one cell per line: its column header ``其他`` is also a row label of 三's, but a
    label alone prints no row, so it is no fragment of 三 cutting 四's region short."""
    header = ["行政复议", "行政诉讼"] + ["结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结", "总计"] \
        + ["未经复议直接起诉", "复议后起诉"] + 2 * ["结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结", "总计"]
    values = [0, 0, 0, 0, 0, 6, 0, 1, 0, 7, 0, 0, 0, 0, 0]
    text = "".join(line + "\n\n" for line in ["四 政府信息公开行政复议、行政诉讼情况", *header, *map(str, values)])
    found = _found(text)
    assert "applications" not in found
    assert list(found["review_litigation"]["cases"].values()) == values
