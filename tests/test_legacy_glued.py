"""Legacy indicator lists printed glued: a row's cells and its unit run together with its label."""

from __future__ import annotations

import gxparse
from gxparse.candidates import enumerate_candidates
from gxparse.features import RowContext, row_features
from gxparse.features import _I as FEATURE_INDEX
from gxparse.ir import Item, RowConstraint
from gxparse.legacy import _glued_order, legacy_spec
from gxparse.parser import parse_source
from gxparse.segments import row_constraints
from gxparse.sources import source_from_text

# cumulative column printed before the current year's, every row glued: "网站公开数683条" is 68 | 3 or 6 | 83
CUMULATIVE_FIRST = ("附表指标名称历年累计2011年度计量单位主动公开文件数9134条其中:1.政府网站公开数683条"
                    "2.政府公报公开数231条受理依申请公开信息总数50条行政复议数00件行政诉讼数00件\n")


def _values(text: str) -> dict[str, dict[str, object]]:
    return gxparse.parse(text).to_dict()["tables"]["legacy_indicators"]


def test_a_legacy_row_has_the_current_year_bounded_by_the_cumulative_count_as_a_row_constraint() -> None:
    spec = legacy_spec()
    assert RowConstraint((0,), 1, "le") in row_constraints(spec, ("current", "cumulative"))
    assert RowConstraint((1,), 0, "le") in row_constraints(spec, ("cumulative", "current"))


def test_a_bound_only_counts_against_a_split_that_breaks_it() -> None:
    run = Item("num", "683", 0, 3, 0)
    bound = (RowConstraint((1,), 0, "le"),)
    cands = {tuple(c.values): c for c in enumerate_candidates([run], 2, bound)}
    cols = ("cumulative", "current")
    split = [cands[(68, 3)], cands[(6, 83)]]
    with_bound = row_features(split, [run], RowContext("legacy_indicators", "x", cols, bound, {}))
    without = row_features(split, [run], RowContext("legacy_indicators", "x", cols, (), {}))
    assert list(with_bound[0]) == list(without[0])  # 68 ≥ 3: holding the bound is no evidence
    assert with_bound[1][FEATURE_INDEX["row_id_fail"]] == without[1][FEATURE_INDEX["row_id_fail"]] + 1


def test_the_cumulative_below_current_prior_reads_the_columns_in_either_printed_order() -> None:
    """A split that puts the year above its 历年累计 count is implausible, whichever column is printed first."""
    for cols, digits, below, above in ((("cumulative", "current"), "104939", (104, 939), (1049, 39)),
                                       (("current", "cumulative"), "939104", (939, 104), (9, 39104))):
        run = Item("num", digits, 0, len(digits), 0)
        cands = {tuple(c.values): c for c in enumerate_candidates([run], 2)}
        feats = row_features([cands[below], cands[above]], [run], RowContext("legacy_indicators", "x", cols, (), {}))
        assert [f[FEATURE_INDEX["prior_cumulative_lt_current"]] for f in feats] == [1.0, 0.0]


def test_a_glued_split_keeps_the_current_year_within_the_cumulative_count() -> None:
    rows = _values(CUMULATIVE_FIRST)
    for key in ("proactive_total", "proactive_website", "proactive_gazette"):
        assert rows[key]["current"] <= rows[key]["cumulative"], (key, rows[key])
    assert rows["proactive_website"] == {"unit": "条", "cumulative": 68, "current": 3}


def test_a_unit_the_scanner_keeps_on_the_last_value_is_the_rows_unit() -> None:
    text = "附表\n指标名称 单位 2012年度 历年累计\n主动公开文件数 条 10 30\n行政复议数 件 0 1\n收费金额 0 30元\n"
    rows = _values(text)
    assert rows["fees_collected"] == {"unit": "元", "current": 0, "cumulative": 30}


def test_a_unit_printed_last_and_glued_to_the_next_label_is_cut_from_it() -> None:
    text = ("附表指标名称2013年度历年累计计量单位主动公开信息数1220条行政复议数010件行政诉讼数09件"
            "行政申诉数11件政府信息公开收费金额0300元\n")
    rows = _values(text)
    assert rows["admin_appeal"]["unit"] == "件"
    assert rows["fees_collected"]["unit"] == "元"


# no header (the copy starts inside the table), cumulative column first, every row glued: "总数条81" is 8 | 1
HEADERLESS_CUMULATIVE_FIRST = ("受理政府信息公开申请总数条81其中:1.当面申请数条712.网上申请数条003.信函、传真申请数条10"
                               "行政复议数件11行政诉讼数件31\n")


def test_without_a_header_the_glued_rows_decide_which_column_is_cumulative() -> None:
    rows = _values(HEADERLESS_CUMULATIVE_FIRST)
    assert rows["apps_total"]["cumulative"] == 8 and rows["apps_total"]["current"] == 1
    assert rows["apps_in_person"]["cumulative"] == 7 and rows["apps_in_person"]["current"] == 1
    for key in ("apps_total", "apps_in_person", "apps_letter_fax", "admin_litigation"):
        assert rows[key]["current"] <= rows[key]["cumulative"], (key, rows[key])


def test_a_glued_row_votes_only_for_the_order_every_split_of_its_run_allows() -> None:
    def run(digits: str) -> list[Item]:
        return [Item("num", digits, 0, len(digits), 0)]
    assert _glued_order(run("81")) == ">"
    assert _glued_order(run("18")) == "<"
    assert _glued_order(run("260")) == ""  # 2 | 60 and 26 | 0: either order reads
    assert _glued_order(run("00")) == ""
    assert _glued_order(run("7")) == ""


def test_a_glued_runs_vote_depends_on_its_digits_not_where_it_is_printed() -> None:
    """The split orders are cached by the run's text: the same digits printed elsewhere vote alike,
    and a run whose span is not its text (thousands separators dropped) is not split."""
    assert _glued_order([Item("num", "81", 500, 502, 7)]) == _glued_order([Item("num", "81", 0, 2, 0)]) == ">"
    assert _glued_order([Item("num", "18", 40, 42, 3)]) == "<"
    assert _glued_order([Item("num", "1000", 0, 5, 0, ("thousands",))]) == ""  # printed 1,000: one number


# "本年" + "累计数" glued: the longest cue, "本年累计" (year to date), would swallow both columns.
GLUED_CURRENT_THEN_CUMULATIVE = ("附表指标单位名称本年累计数主动公开信息数条1432432其中:1.网站公开条1432432"
                                 "2.政府公报公开数条00受理依申请公开信息总数条12101对申请的答复总数条897"
                                 "行政复议数件012行政诉讼数件08")


def test_a_glued_header_is_read_as_two_columns_when_a_row_needs_two_cells() -> None:
    table = gxparse.parse(GLUED_CURRENT_THEN_CUMULATIVE).to_dict()["tables"]["legacy_indicators"]
    assert table["proactive_total"] == {"unit": "条", "current": 143, "cumulative": 2432}
    assert table["proactive_gazette"] == {"unit": "条", "current": 0, "cumulative": 0}
    assert table["admin_review"] == {"unit": "件", "current": 0, "cumulative": 12}


def test_a_glued_year_to_date_header_stays_one_column_when_every_row_reads_as_one_cell() -> None:
    text = "附表 指标名称计量单位本年累计主动公开信息数条26其中:1.网站公开条26 2.政府公报公开条3行政复议数件7 附件下载"
    table = gxparse.parse(text).to_dict()["tables"]["legacy_indicators"]
    assert table["proactive_total"] == {"unit": "条", "ytd": 26}
    assert table["admin_review"] == {"unit": "件", "ytd": 7}


def test_single_dash_placeholders_glued_to_a_unit_leave_their_rows_blank_not_absent() -> None:
    text = ("附表指标名称2018年单位历年累计主动公开文件数78条135其中:1.网站公开78条135"
            "对申请的答复总数6条6接受行政申诉、举报数—件—行政复议数—件—行政诉讼数—件—")
    table = _values(text)
    assert table["proactive_total"] == {"unit": "条", "current": 78, "cumulative": 135}
    for row in ("appeals_reports", "admin_review", "admin_litigation"):
        assert table[row] == {"unit": "件", "current": None, "cumulative": None}


def test_a_dash_glued_after_a_value_is_a_blank_cell_and_keeps_the_second_column() -> None:
    text = ("附表：政府信息公开情况统计表\n指标名称单位本年历年累计主动公开文件数条23102其中：1.政府网站公开数条852"
            "2.政府公报公开数条99受理政府信息公开申请总数条59272其中：1.当面申请数条16912.网上申请数条0—3.信函、传真申请数条43181\n")
    table = parse_source(source_from_text(text)).tables["legacy_indicators"]
    assert [table.cell("apps_online", col).value for col in ("current", "cumulative")] == [0, None]
    assert table.cell("apps_online", "cumulative").raw == "—"
    assert [table.cell("proactive_total", col).value for col in ("current", "cumulative")] == [23, 102]
