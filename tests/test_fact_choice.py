"""The prose chooses among the readings of a doubtful row: ``主动公开文件数 条 7380`` is 73 | 80 or 7 | 380,
and ``2016年主动公开政府信息7条`` says which. A legacy row's glued cut that no identity checks keeps its
ranked readings for this; the prose never supplies a value, it only picks a reading of the row's source."""

from __future__ import annotations

import gxparse
from gxparse.facts import FACT_CHOSEN_FLAG, Fact, choose_by_facts
from gxparse.report import Cell, Report, Table

LEGACY_TABLE = (
    "六、政府信息公开情况统计表\n"
    "指标名称计量单位2016年度历年累计主动公开文件数条7380其中：1、政府网站公开数条73802、政府公报公开数条00"
    "受理依申请公开信息总数条00其中：1、当面申请数条002、网上申请数条003、信函、传真申请数条00对申请的答复总数条00"
    "其中：1、同意公开答复数条002、同意部分公开答复数条003、不予公开答复数条004、其他类型答复数条00行政复议数件00行政诉讼数件00\n"
)


def _report(prose: str) -> gxparse.Report:
    return gxparse.parse(f"一、概述\n{prose}\n{LEGACY_TABLE}")


def test_the_prose_picks_the_legacy_cut_it_states() -> None:
    report = _report("2016年主动公开政府信息7条。全年未收到政府信息公开申请。")
    row = report.tables["legacy_indicators"].rows["proactive_total"]
    assert (row["current"].value, row["cumulative"].value) == (7, 380)
    assert FACT_CHOSEN_FLAG in row["current"].flags and FACT_CHOSEN_FLAG not in row["unit"].flags
    assert report.text[slice(*row["cumulative"].span)] == "380"  # still read from the source
    assert report.meta["fact_choices"] == [{"fact": "proactive_published", "row": "legacy_indicators.proactive_total",
                                            "previous": {"current": "73", "cumulative": "80"},
                                            "chosen": {"current": "7", "cumulative": "380"}},
                                           # its sub-row, printed alike, would exceed it (I-C1-4): it follows
                                           {"fact": "proactive_published", "row": "legacy_indicators.proactive_website",
                                            "previous": {"current": "73", "cumulative": "80"},
                                            "chosen": {"current": "7", "cumulative": "380"},
                                            "identity": ["I-C1-4[website]"]}]
    assert next(c for c in report.checks if c.id == "N-proactive_published").status == "pass"


def test_without_a_fact_or_with_one_no_reading_states_nothing_changes() -> None:
    for prose in ("全年未收到政府信息公开申请。", "2016年主动公开政府信息5条。"):
        report = _report(prose)
        row = report.tables["legacy_indicators"].rows["proactive_total"]
        assert (row["current"].value, row["cumulative"].value) == (73, 80), prose
        assert "fact_choices" not in report.meta
        assert report.tables["legacy_indicators"].alternatives["proactive_total"]  # still doubtful, kept


def _table(current: int, alternatives: list[int]) -> Report:
    def cells(value: int) -> dict[str, Cell]:
        return {"current": Cell(value, str(value), (0, 1), 0.5), "cumulative": Cell(100, "100", (1, 4), 0.5)}

    table = Table("legacy_indicators", {"proactive_total": cells(current)}, template="legacy")
    table.alternatives["proactive_total"] = [cells(v) for v in alternatives]
    return Report("legacy", {"legacy_indicators": table})


def _fact(value: int) -> Fact:
    return Fact("proactive_published", value, str(value), (0, 1), "")


def test_a_fact_decides_among_the_readings_that_state_it() -> None:
    agreeing = _table(7, [70, 7])
    assert choose_by_facts(agreeing, [_fact(7)]) == []  # the reading already states it
    none = _table(70, [8, 9])
    assert choose_by_facts(none, [_fact(7)]) == []  # no reading states it: nothing is taken from the prose
    assert none.tables["legacy_indicators"].rows["proactive_total"]["current"].value == 70
    one = _table(70, [8, 7])
    assert [c["chosen"] for c in choose_by_facts(one, [_fact(7)])] == [{"current": "7", "cumulative": "100"}]
    assert one.tables["legacy_indicators"].rows["proactive_total"]["current"].value == 7
    assert "proactive_total" not in one.tables["legacy_indicators"].alternatives


def _ranked(current: tuple[int, int], alternatives: list[tuple[int, int, float]]) -> Report:
    """A legacy row read ``current`` (current | cumulative) with ranked alternatives (current, cumulative, posterior)."""
    def cells(now: int, total: int, posterior: float) -> dict[str, Cell]:
        return {"current": Cell(now, str(now), (0, 1), posterior), "cumulative": Cell(total, str(total), (1, 4), posterior)}

    table = Table("legacy_indicators", {"proactive_total": cells(*current, 0.5)}, template="legacy")
    table.alternatives["proactive_total"] = [cells(*alternative) for alternative in alternatives]
    return Report("legacy", {"legacy_indicators": table})


def test_several_readings_state_the_fact_the_best_ranked_is_chosen() -> None:
    report = _ranked((70, 100), [(8, 7100, 0.3), (7, 100, 0.2), (7, 1000, 0.1)])
    (choice,) = choose_by_facts(report, [_fact(7)])
    assert choice["chosen"] == {"current": "7", "cumulative": "100"}
    assert report.tables["legacy_indicators"].rows["proactive_total"]["cumulative"].value == 100
    # equally likely readings that read the source differently: the prose cannot rank them
    tied = _ranked((70, 100), [(7, 100, 0.2), (7, 1000, 0.2)])
    assert choose_by_facts(tied, [_fact(7)]) == []
    assert tied.tables["legacy_indicators"].rows["proactive_total"]["current"].value == 70
    # the same reading twice is no tie
    same = _ranked((70, 100), [(7, 100, 0.2), (7, 100, 0.2)])
    assert [c["chosen"] for c in choose_by_facts(same, [_fact(7)])] == [{"current": "7", "cumulative": "100"}]


GLUED_2019_TABLE = (
    "二、主动公开政府信息情况\n"
    "第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 0 0 0\n规范性文件 0 0 2\n"
    "第二十条第（五）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 0 28 0\n其他对外管理服务事项 0 11 0\n"
    "第二十条第（六）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政处罚1121784784\n行政强制 0 0 0\n"
    "第二十条第（八）项\n信息内容 上一年项目数量 本年增/减\n行政事业性收费 0 0\n"
    "三、收到和处理政府信息公开申请情况\n"
)


def test_a_table_two_fact_chooses_the_cut_of_a_glued_row() -> None:
    """A glued 行政处罚 row with several valid cuts: the prose's 行政处罚决定784起 decides among them."""
    plain = gxparse.parse(f"一、总体情况\n2020年，本局依法履职。\n{GLUED_2019_TABLE}")
    stated = gxparse.parse(f"一、总体情况\n2020年，立案查处各类违法行为并作出行政处罚决定784起，全部予以公开。\n{GLUED_2019_TABLE}")
    assert plain.template == stated.template == "gov2019"
    row = stated.tables["active_disclosure"].rows["admin_penalty"]
    assert [row[c].raw for c in ("prev_year_items", "change_this_year", "decisions")] == ["1121", "784", "784"]
    assert all(stated.text[slice(*row[c].span)] == row[c].raw for c in row)  # still read from the source
    assert next(c for c in stated.checks if c.id == "N-penalty_decisions").status == "pass"
    assert "fact_choices" not in plain.meta
    if plain.tables["active_disclosure"].rows["admin_penalty"]["decisions"].raw != "784":  # the placer alone cuts it wrong
        assert [c["fact"] for c in stated.meta["fact_choices"]] == ["penalty_decisions"]
        assert all("fact_chosen" in cell.flags for cell in row.values())


def test_a_row_whose_prose_states_several_figures_takes_a_reading_that_states_them_all() -> None:
    def reading(issued: int, repealed: int, in_force: int, posterior: float) -> dict[str, Cell]:
        return {col: Cell(v, str(v), (n, n + 1), posterior)
                for n, (col, v) in enumerate((("issued", issued), ("repealed", repealed), ("in_force", in_force)))}

    def report() -> Report:
        table = Table("active_disclosure", {"normative_documents": reading(12, 63, 125, 0.5)}, template="gov2021")
        table.alternatives["normative_documents"] = [reading(126, 3, 125, 0.3), reading(126, 38, 3125, 0.1)]
        return Report("gov2021", {"active_disclosure": table})

    def fact(key: str, value: int) -> Fact:
        return Fact(key, value, str(value), (0, 1), "")

    issued_only = report()
    assert [c["chosen"]["issued"] for c in choose_by_facts(issued_only, [fact("normative_issued", 126)])] == ["126"]
    both = report()
    (choice,) = choose_by_facts(both, [fact("normative_issued", 126), fact("normative_in_force", 3125)])
    assert choice["chosen"] == {"issued": "126", "repealed": "38", "in_force": "3125"}  # not the better-ranked 126 | 3 | 125
    contradicting = report()
    assert choose_by_facts(contradicting, [fact("normative_issued", 126), fact("normative_in_force", 7)]) == []
