"""Honest confidence for glued cuts that the copy and every check leave open (gxparse.cut_rivals)."""

from __future__ import annotations

from gxparse.cut_rivals import RIVAL_CUT_FLAG, rival_cuts, with_rival_cuts
from gxparse.ir import Candidate, Item, Reading, RowConstraint, RowProblem
from gxparse.parser import parse_source
from gxparse.sources import source_from_text


def _cut(run: str, *cuts: int, start: int = 0) -> Candidate:
    """The candidate reading ``run`` (item 0) as the pieces between ``cuts``."""
    bounds = [0, *cuts, len(run)]
    return Candidate(tuple(Reading("num", run[a:b], start + a, start + b, 0, len(bounds) > 2)
                           for a, b in zip(bounds, bounds[1:])), (), ())


def _row(cols: tuple[str, ...], *constraints: RowConstraint) -> RowProblem:
    return RowProblem(key="r", cols=cols, items=[Item("num", "x", 0, 1, 0)], constraints=constraints)


def test_the_cuts_that_pass_the_same_checks_are_rivals_and_the_others_are_not() -> None:
    cands = [_cut("13013", 2, 3), _cut("13013", 1, 3), _cut("13013", 3, 4), _cut("13013", 1, 4)]
    assert [c.values for c in cands] == [(13, 0, 13), (1, 30, 13), (130, 1, 3), (1, 301, 3)]
    row = _row(("a", "b", "c"))
    assert rival_cuts(0, cands, [True] * 4, row, lambda c: 0) == [1, 2, 3]  # nothing checks the row
    assert rival_cuts(0, cands, [True, False, True, True], row, lambda c: 0) == [2, 3]  # a negligible cut is no rival
    assert rival_cuts(0, cands, [True] * 4, row, lambda c: 1 if c == 0 else 0) == []  # a worse column identity score
    total = _row(("a", "b", "c"), RowConstraint(parts=(0, 1), total=2))
    sums = [_cut("11011", 1, 3), _cut("11011", 2, 3), _cut("11011", 3, 4), _cut("11011", 1, 4)]
    assert [c.values for c in sums] == [(1, 10, 11), (11, 0, 11), (110, 1, 1), (1, 101, 1)]
    assert rival_cuts(0, sums, [True] * 4, total, lambda c: 0) == [1]  # the other cut whose sum holds
    assert rival_cuts(2, sums, [True] * 4, total, lambda c: 0) == [0, 1, 3]  # a failing sum rules out nothing


def test_a_cell_is_capped_at_the_share_of_rival_cuts_that_read_it_alike() -> None:
    chosen, rival = _cut("7247", 1, 3), _cut("7247", 1, 2)  # 7 | 24 | 7 and 7 | 2 | 47
    conf, flags = with_rival_cuts(chosen, [rival], (1.0, 0.99, 0.99), ((), ("glued_split",), ("glued_split",)))
    assert conf == (1.0, 0.5, 0.5)  # both read the 7; the others are one reading in two
    assert flags == ((), ("glued_split", RIVAL_CUT_FLAG), ("glued_split", RIVAL_CUT_FLAG))
    conf, _ = with_rival_cuts(chosen, [rival], (0.3, 0.3, 0.3), ((), (), ()))
    assert conf == (0.3, 0.3, 0.3)  # a cap, never a raise


def test_a_glued_change_that_no_check_decides_is_flagged_and_doubtful() -> None:
    text = ("二、主动公开政府信息情况\n"
            "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可7-247其他对外管理服务事项8/8278\n")
    table = parse_source(source_from_text(text)).tables["active_disclosure"]
    licensing = list(table.rows["admin_licensing"].values())
    assert licensing[0].confidence == 1.0 and RIVAL_CUT_FLAG not in licensing[0].flags  # 7 is 7 whatever the cut
    assert all(c.confidence < 0.9 and RIVAL_CUT_FLAG in c.flags for c in licensing[1:])  # -2 | 47 or -24 | 7
    services = list(table.rows["other_admin_services"].values())
    assert all(RIVAL_CUT_FLAG not in c.flags for c in services)  # printed whole: nothing was cut


def test_a_cut_that_loses_identities_alone_is_a_rival_when_a_linked_row_cut_alike_keeps_them() -> None:
    cands = [_cut("6335", 2), _cut("6335", 1)]
    row = _row(("a", "b"))
    alone = {0: 2, 1: 0}  # the other cut breaks the column identities with the other rows as read…
    assert rival_cuts(0, cands, [True, True], row, alone.__getitem__) == []
    assert rival_cuts(0, cands, [True, True], row, alone.__getitem__, lambda c: 2) == [1]  # …not with its total row cut alike
    assert rival_cuts(0, cands, [True, True], row, alone.__getitem__, lambda c: 1) == []


def test_two_legacy_rows_glued_alike_are_doubtful_where_both_cuts_keep_their_bound() -> None:
    text = ("政府信息公开情况统计表\n指标名称单位2009年历年累计主动公开文件数条475582其中：1.政府网站公开数条4755822."
            "政府公报公开数条00受理依申请公开信息总数条014其中：1.当面申请数条002.网上申请数条01\n")
    table = parse_source(source_from_text(text)).tables["legacy_indicators"]
    for row in ("proactive_total", "proactive_website"):  # 475 | 582 or 47 | 5582 in both: the table cannot tell
        cells = [table.cell(row, col) for col in ("current", "cumulative")]
        assert [c.value for c in cells] == [475, 582]
        assert all(c.confidence < 0.9 and RIVAL_CUT_FLAG in c.flags for c in cells)


def test_a_rows_soft_bound_rules_no_rival_out() -> None:
    """本年新公开数量 ≤ 对外公开总数量 is a soft bound: a copy may print 规章0150 for 0 | 15 | 0, so the cut
    that breaks it stays a rival of 0 | 1 | 50."""
    cands = [_cut("0150", 1, 2), _cut("0150", 1, 3)]
    assert [c.values for c in cands] == [(0, 1, 50), (0, 15, 0)]
    bound = _row(("newly_made", "newly_published", "total_published"), RowConstraint(parts=(1,), total=2, relation="le"))
    assert rival_cuts(0, cands, [True, True], bound, lambda c: 0) == [1]
    conf, flags = with_rival_cuts(cands[0], [cands[1]], (1.0, 0.9999, 0.9999), ((),) * 3)
    assert conf == (1.0, 0.5, 0.5) and RIVAL_CUT_FLAG in flags[1] and RIVAL_CUT_FLAG in flags[2]
