"""PDF text layers: each value line goes to the row whose wrapped label it sits in or next to."""

from __future__ import annotations

import numpy as np
import pytest

import gxparse
from gxparse.synth import random_tables, render
from gxparse.template import get_template

HEADER = [
    "三、收到和处理政府信息公开申请情况",
    "申请人情况",
    "法人或其他组织",
    "自然人 商业 科研 社会 法律 其他 总计",
    "企业 机构 公益 服务",
    "组织 机构",
]
ROWS = [r for r in get_template("gov2021").table("applications").layout() if not r.replaces]


def _values(n: int) -> str:
    """Row ``n``'s printed values: ``n 0 0 0 0 0 n`` (its total column holds)."""
    return " ".join([str(n)] + ["0"] * 5 + [str(n)])


def _pdf_table(placements: dict[str, str], printed: dict[str, str] | None = None) -> str:
    """The 三 table as a PDF text layer prints it: each row's label wrapped in two halves, its values
    ``first`` (on the label's first line, the default), ``middle`` (between the halves), ``before`` or
    ``after`` (a line of their own), or ``blank`` (the label alone). Row ``n`` prints
    ``printed[key]`` if given, else :func:`_values` of ``n``."""
    lines = list(HEADER)
    for n, row in enumerate(ROWS, start=1):
        values = (printed or {}).get(row.key, _values(n))
        label = row.number + row.label
        cut = max(len(label) // 2, 4) if len(label) > 12 else len(label)
        halves = [label[:cut]] + ([label[cut:]] if label[cut:] else [])
        place = placements.get(row.key, "first")
        if place == "blank":
            lines += halves
        elif place == "before":
            lines += [values, *halves]
        elif place == "after":
            lines += [*halves, values]
        elif place == "middle" and len(halves) == 2:
            lines += [halves[0], values, halves[1]]
        else:
            lines += [f"{halves[0]} {values}", *halves[1:]]
        if n == 12:
            lines.append("- 2 -")  # a page number inside the table
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    return "\n".join(lines) + "\n"


def _read(text: str) -> dict[str, int | None]:
    table = gxparse.parse(text).tables["applications"]
    return {key: cells["natural_person"].value for key, cells in table.rows.items()}


def _expected(blank: set[str]) -> dict[str, int | None]:
    return {row.key: None if row.key in blank else n for n, row in enumerate(ROWS, start=1)}


def test_a_value_line_above_a_label_goes_to_that_label_not_to_the_blank_row_before() -> None:
    placements = {"denied_security_stability": "blank", "denied_third_party": "before",
                  "unable_need_creation": "blank", "unable_unclear": "before"}
    assert _read(_pdf_table(placements)) == _expected({"denied_security_stability", "unable_need_creation"})


def test_values_between_the_lines_of_a_wrapped_label_or_below_it_stay_with_it() -> None:
    placements = {"carried_over": "middle", "result_partial": "after", "other_no_correction": "middle",
                  "other_unpaid_fee": "after", "not_processed_repeat": "blank"}
    assert _read(_pdf_table(placements)) == _expected({"not_processed_repeat"})


def test_a_value_line_above_a_label_after_a_row_with_its_own_values() -> None:
    placements = {key: "before" for key in ("carried_over", "denied_law_forbidden", "unable_not_held",
                                            "not_processed_massive")}
    assert _read(_pdf_table(placements)) == _expected(set())


def test_a_note_with_numbers_below_a_row_printed_blank_is_not_its_value_line() -> None:
    text = _pdf_table({"carry_to_next": "blank"}).replace(
        "四、政府信息公开行政复议",
        "注：本年度共收到申请93件，上年结转0件。\n四、政府信息公开行政复议")
    assert _read(text) == _expected({"carry_to_next"})


def test_a_group_label_printed_after_its_first_row_takes_no_values_from_it() -> None:
    lines = _pdf_table({"not_processed_repeat": "blank"}).split("\n")
    first_member = next(n for n, line in enumerate(lines) if line.startswith("1.信访举报"))
    lines.insert(first_member + 1, "（五）不予处理")
    assert _read("\n".join(lines)) == _expected({"not_processed_repeat"})


def test_a_page_header_between_the_lines_of_a_wrapped_label_is_not_its_continuation() -> None:
    placements = {"other_no_correction": "after", "other_unpaid_fee": "before", "not_processed_repeat": "blank"}
    lines = _pdf_table(placements).split("\n")
    wrapped = next(n for n, line in enumerate(lines) if line.startswith("1.申请人无正当理由"))
    lines[wrapped + 1:wrapped + 1] = ["- 3 -", "某某市人民政府2022年政府信息公开工作年度报告"]
    assert _read("\n".join(lines)) == _expected({"not_processed_repeat"})


def test_a_report_that_prints_value_lines_below_their_labels_keeps_that_side_next_to_a_blank_row() -> None:
    below = ("new_received", "result_granted", "denied_state_secret", "denied_third_party", "unable_not_held")
    placements = {key: "after" for key in below}
    placements |= {"not_processed_repeat": "after", "not_processed_publication": "blank"}
    assert _read(_pdf_table(placements)) == _expected({"not_processed_publication"})


@pytest.mark.parametrize("seed", range(8))
def test_pdf_renderings_with_rows_printed_blank_read_every_cell(seed: int) -> None:
    rng = np.random.default_rng([41, seed])
    template = ("gov2019", "gov2021")[seed % 2]
    rendered = render(template, random_tables(template, rng), "pdf_text", rng, variants=("blank_rows",))
    report = gxparse.parse(rendered.text)
    for key in ("active_disclosure", "applications"):
        got = {row: {col: cell.value for col, cell in cells.items()} for row, cells in report.tables[key].rows.items()}
        assert got == rendered.tables[key], key


def test_a_value_line_between_a_wrapped_label_and_a_one_line_label_is_the_wrapped_ones() -> None:
    # the report's unambiguous lines sit above their labels, but a one-line label prints its values
    # on its own line: the line below the wrapped （二） label is its, and 1.属于国家秘密 is blank
    placements = {"carried_over": "before", "unable_unclear": "before", "result_partial": "after",
                  "denied_state_secret": "blank"}
    assert _read(_pdf_table(placements)) == _expected({"denied_state_secret"})


def test_the_second_line_of_a_wrapped_label_that_ends_like_the_next_row_joins_its_own_label() -> None:
    # 行政机关不再处理其政府信息公开申 ends both （六）1. and 2.: printed as 1.'s second line, it is 1.'s
    # continuation (so the value line above 1. is 1.'s, not the blank 5.'s), and 2. is anchored at its
    # own label further on, past the group label and a group letter between its lines
    text = _pdf_table({})
    start, end = text.index("5.要求行政机关确认"), text.index("3.其他")
    text = text[:start] + (
        "5.要求行政机关确认或重新出具已\n获取信息\n理\n21 0 0 0 0 0 21\n"
        "1.申请人无正当理由逾期不补正、\n行政机关不再处理其政府信息公开申\n结\n请\n（六）其他处理\n"
        "2.申请人逾期未按收费通知要求缴\n果\n纳费用、行政机关不再处理其政府信\n息公开申请\n22 0 0 0 0 0 22\n"
    ) + text[end:]
    assert _read(text) == _expected({"not_processed_confirm"})


ZEROS = "0 0 0 0 0 0 0"


def _balanced(counts: dict[str, int]) -> dict[str, str]:
    """Every row printed as zeros but those of ``counts`` (``n 0 0 0 0 0 n``): a table whose identities hold
    when ``counts`` do."""
    return {row.key: " ".join([str(counts[row.key])] + ["0"] * 5 + [str(counts[row.key])]) if row.key in counts
            else ZEROS for row in ROWS}


def test_the_identities_give_a_line_between_two_labels_to_the_row_under_which_the_table_balances() -> None:
    # the line sits below the one-line （七）总计 and above the one-line 四、结转下年度继续办理: the side the
    # report's other lines take would give it to 四、, but only as （七）'s values do both identities hold
    printed = _balanced({"new_received": 5, "result_granted": 5, "results_total": 5})
    report = gxparse.parse(_pdf_table({"results_total": "after", "carry_to_next": "blank"}, printed))
    table = report.tables["applications"]
    assert table.rows["results_total"]["natural_person"].value == 5
    assert table.rows["carry_to_next"]["natural_person"].value is None
    assert not [w for w in report.warnings if "value line" in w]


def test_a_line_of_zeros_either_of_two_rows_could_own_is_read_and_reported_as_a_doubt() -> None:
    # 1.属于国家秘密 and 2.其他法律行政法规禁止公开 printed with one line of zeros between them: the text
    # cannot say whose it is, so one row is read blank and the report says which line was in doubt
    printed = _balanced({"new_received": 5, "result_granted": 5, "results_total": 5})
    report = gxparse.parse(_pdf_table({"denied_state_secret": "after", "denied_law_forbidden": "blank"}, printed))
    rows = report.tables["applications"].rows
    read = {key: rows[key]["natural_person"].value for key in ("denied_state_secret", "denied_law_forbidden")}
    assert sorted(read.values(), key=str) == [0, None]
    doubts = [w for w in report.warnings if "value line" in w]
    assert len(doubts) == 1
    assert "denied_state_secret" in doubts[0] and "denied_law_forbidden" in doubts[0]
    for key in ("denied_state_secret", "denied_law_forbidden"):
        assert all("owner_doubtful" in cell.flags and cell.confidence <= 0.5 for cell in rows[key].values())
    assert not any("owner_doubtful" in cell.flags for cell in rows["denied_security_stability"].values())


def test_a_line_that_only_one_row_can_own_is_no_doubt() -> None:
    # the row above prints its values on its own label line: the line below is the next label's
    printed = _balanced({"new_received": 5, "result_granted": 5, "results_total": 5})
    report = gxparse.parse(_pdf_table({"denied_law_forbidden": "before"}, printed))
    assert report.tables["applications"].rows["denied_law_forbidden"]["natural_person"].value == 0
    assert not [w for w in report.warnings if "value line" in w]


ACTIVE_DISCLOSURE = """二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 1 0 21
行政规范性文件 2 2 2
第二十条第（五）项
信息内容 本年处理决定数量
1
行政许可
第二十条第（六）项
信息内容 本年处理决定数量
行政处罚 3
行政强制
7
第二十条第（八）项
信息内容 本年收费金额（单位：万元）
行政事业性收费
"""


def test_a_value_line_is_never_the_row_of_the_next_block_past_its_caption() -> None:
    # values apart from their labels (行政许可's above it, so anchoring at labels fails); 行政强制's below
    # its label, and the 行政事业性收费 row of the next block (its caption and header between) printed
    # blank: the 7 cannot be the fee, printed before its block's caption
    report = gxparse.parse(ACTIVE_DISCLOSURE + _pdf_table({}))
    rows = report.tables["active_disclosure"].rows
    assert rows["admin_licensing"]["decisions"].value == 1
    assert rows["admin_coercion"]["decisions"].value == 7
    assert rows["admin_fees"]["fee_amount"].value is None


def _doubted(report: gxparse.Report, table: str) -> set[str]:
    """The rows of ``table`` whose every cell is flagged ``owner_doubtful`` at confidence at most 0.5."""
    rows = report.tables[table].rows
    return {key for key, cells in rows.items()
            if cells and all("owner_doubtful" in c.flags and c.confidence <= 0.5 for c in cells.values())}


def test_a_line_between_two_one_line_labels_is_a_doubt_whichever_cut_reads_the_table() -> None:
    # 规章 and 行政规范性文件 each printed on a line of its own, one line of values between them: the
    # anchoring (which gives the line to 规章, the label before it) keeps its cut here, and the line is as
    # much 行政规范性文件's, so both rows are read as doubtful and the report says so
    text = (ACTIVE_DISCLOSURE.replace("规章 1 0 21\n行政规范性文件 2 2 2\n", "规章\n4 4 100\n行政规范性文件\n")
            .replace("1\n行政许可\n", "行政许可 1\n").replace("行政强制\n7\n", "行政强制 7\n"))
    report = gxparse.parse(text + _pdf_table({}))
    assert report.meta["layouts"]["active_disclosure"] != "value_lines"
    rows = report.tables["active_disclosure"].rows
    read = [rows[key]["in_force"].value for key in ("regulations", "normative_documents")]
    assert sorted(read, key=str) == [100, None]
    assert _doubted(report, "active_disclosure") == {"regulations", "normative_documents"}
    assert any("'4 4 100'" in w and "regulations" in w and "normative_documents" in w for w in report.warnings)


def test_a_doubt_follows_lines_printed_on_the_same_side_of_their_labels_to_the_blank_row() -> None:
    # （一）予以公开 printed blank, then a line of zeros above the wrapped （二）部分公开 and another above
    # 1.属于国家秘密: read as the lines of the rows below them, or each moved one row up (国家秘密 then
    # blank); with zeros the identities cannot tell, so all three rows are doubtful, and no row further on
    printed = _balanced({"new_received": 5, "result_partial": 0, "denied_law_forbidden": 5, "results_total": 5})
    placements = {"result_granted": "blank", "result_partial": "before", "denied_state_secret": "before"}
    report = gxparse.parse(_pdf_table(placements, printed))
    assert _doubted(report, "applications") == {"result_granted", "result_partial", "denied_state_secret"}
    assert len([w for w in report.warnings if "value line" in w]) == 2


def test_a_line_inside_a_wrapped_label_is_no_doubt_next_to_a_blank_row() -> None:
    # the line of zeros sits between the two lines of 2.其他法律行政法规禁止公开, just below the blank
    # 1.属于国家秘密: a wrapped label's values are printed between its lines, so the line is its own
    printed = _balanced({"new_received": 5, "result_granted": 5, "results_total": 5})
    report = gxparse.parse(_pdf_table({"denied_state_secret": "blank", "denied_law_forbidden": "middle"}, printed))
    assert not _doubted(report, "applications")
    assert not [w for w in report.warnings if "value line" in w]
