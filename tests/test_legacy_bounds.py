"""A legacy sub-row never exceeds its total: 其中 政府网站公开数 ≤ 主动公开文件数 (identities ``I-C1-4[…]``, the
channel bound of the spec's I-C1-3). Glued, ``6017072、`` under 本年 | 历年累计 reads 601 | 707 or 60 | 1707; beside
a total read 129 | 1776 only the second keeps the sub-row under it, and the decoding weighs that."""

from __future__ import annotations

import gxparse
from gxparse.facts import follow_identities
from gxparse.ir import Candidate, Reading, RowProblem, TableProblem
from gxparse.links import recheck_identities
from gxparse.place import BOUND_FAIL_PENALTY, _IdentityTerm, _Scored, identity_score
from gxparse.report import Cell, Report, Table
from gxparse.template import get_template

ROWS_AFTER = ("受理依申请公开信息总数条00其中：1、当面申请数条002、网上申请数条003、信函、传真申请数条00对申请的答复总数条00"
              "其中：1、同意公开答复数条002、同意部分公开答复数条003、不予公开答复数条004、其他类型答复数条00行政复议数件00行政诉讼数件00\n")


def _legacy(total: str, website: str, prose: str = "本年度工作情况如下。") -> gxparse.Report:
    table = (f"六、政府信息公开情况统计表\n指标名称计量单位2013年历年累计主动公开文件数条{total}其中：1、政府网站公开数条{website}"
             f"2、政府公报公开数条01{ROWS_AFTER}")
    return gxparse.parse(f"一、概述\n{prose}\n{table}")


def _row(report: gxparse.Report, key: str) -> tuple[object, object]:
    row = report.tables["legacy_indicators"].rows[key]
    return row["current"].value, row["cumulative"].value


def test_the_cut_that_keeps_a_sub_row_under_its_total_is_chosen() -> None:
    report = _legacy("1291776", "601707")
    assert _row(report, "proactive_total") == (129, 1776)
    assert _row(report, "proactive_website") == (60, 1707)  # not 601 | 707: 601 > 129
    website = report.tables["legacy_indicators"].rows["proactive_website"]
    assert all(report.text[slice(*website[c].span)] == website[c].raw for c in ("current", "cumulative"))
    bounds = [c for c in report.checks if c.id.startswith("I-C1-4")]
    assert {c.id for c in bounds} == {"I-C1-4[website]", "I-C1-4[gazette]"}
    assert all(c.status == "pass" and c.level == "soft" for c in bounds)


def test_a_sub_row_above_its_total_in_the_source_is_flagged_not_changed() -> None:
    report = _legacy("5 470", "54 70")  # printed apart: one reading each, the bound only checks
    assert _row(report, "proactive_website") == (54, 70)
    failing = [c for c in report.checks if c.id == "I-C1-4[website]" and c.status == "fail"]
    assert [c.scope for c in failing] == ["current"]
    assert "identity_fail:I-C1-4[website]" in report.tables["legacy_indicators"].rows["proactive_website"]["current"].flags


def test_a_reading_the_prose_chose_carries_its_sub_rows_along() -> None:
    """``5470`` glued twice: the placer reads both rows 54 | 70; the prose's 5条 chooses 5 | 470 for the total,
    and the sub-row, whose 54 now exceeds it, takes its own reading 5 | 470 (the identity names it)."""
    report = _legacy("5470", "5470", "2013年主动公开政府信息5条。")
    assert _row(report, "proactive_total") == (5, 470)
    assert _row(report, "proactive_website") == (5, 470)
    choices = report.meta["fact_choices"]
    assert [(c["row"], c.get("identity")) for c in choices] == [
        ("legacy_indicators.proactive_total", None), ("legacy_indicators.proactive_website", ["I-C1-4[website]"])]
    assert choices[1]["previous"] == {"current": "54", "cumulative": "70"}
    assert not [c for c in report.checks if c.id.startswith("I-C1-4") and c.status == "fail"]


def _problem() -> tuple[TableProblem, list[_Scored]]:
    spec = get_template("legacy").table("legacy_indicators")
    cols = ("unit", "current", "cumulative")
    rows = [RowProblem(key, cols, []) for key in ("proactive_total", "proactive_website")]
    problem = TableProblem("legacy_indicators", rows, spec.identities)

    def cand(current: int, cumulative: int) -> Candidate:
        return Candidate((Reading("missing"), Reading("num", str(current)), Reading("num", str(cumulative))), (), ())

    scored = [_Scored([cand(129, 1776)], [0.0]), _Scored([cand(601, 707), cand(60, 1707)], [0.0, -7.4])]
    return problem, scored


def test_a_failing_bound_costs_the_identity_term_a_negligible_readings_odds() -> None:
    problem, scored = _problem()
    term = _IdentityTerm(problem, scored, [0, 0])
    assert term.total == identity_score(problem, {"proactive_total": {"unit": None, "current": 129, "cumulative": 1776},
                                                  "proactive_website": {"unit": None, "current": 601, "cumulative": 707}})
    assert term.total == -BOUND_FAIL_PENALTY  # 601 > 129 fails; 707 ≤ 1776 passes and earns nothing
    assert term.with_row(1, 1) == 0
    assert term.failing()


def test_a_follower_takes_its_best_reading_that_mends_the_bound_and_breaks_no_other_check() -> None:
    def cells(current: int, cumulative: int, posterior: float = 0.5) -> dict[str, Cell]:
        return {"current": Cell(current, str(current), (0, 1), posterior),
                "cumulative": Cell(cumulative, str(cumulative), (1, 4), posterior)}

    table = Table("legacy_indicators", {"proactive_total": cells(5, 470), "proactive_website": cells(54, 70)},
                  template="legacy")
    # 5 | 4 mends the bound but breaks the row's 历年累计 ≥ 本年 (I-C1-3); 50 | 4 mends nothing
    table.alternatives["proactive_website"] = [cells(5, 4, 0.3), cells(50, 4, 0.2), cells(5, 470, 0.1)]
    report = Report("legacy", {"legacy_indicators": table})
    recheck_identities(report, "legacy_indicators")
    (choice,) = follow_identities(report, "legacy_indicators", "proactive_total")
    assert choice == {"row": "legacy_indicators.proactive_website", "previous": {"current": "54", "cumulative": "70"},
                      "chosen": {"current": "5", "cumulative": "470"}, "identity": ["I-C1-4[website]"]}
    assert not [c for c in report.checks if c.status == "fail"]
    assert follow_identities(report, "legacy_indicators", "proactive_total") == []  # nothing fails any more
