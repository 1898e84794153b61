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
                                            "chosen": {"current": "7", "cumulative": "380"}}]
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


def test_a_fact_decides_only_when_exactly_one_reading_states_it() -> None:
    agreeing = _table(7, [70, 7])
    assert choose_by_facts(agreeing, [_fact(7)]) == []  # the reading already states it
    tied = _table(70, [7, 7])
    assert choose_by_facts(tied, [_fact(7)]) == []  # two readings state it: the prose cannot tell them apart
    assert tied.tables["legacy_indicators"].rows["proactive_total"]["current"].value == 70
    one = _table(70, [8, 7])
    assert [c["chosen"] for c in choose_by_facts(one, [_fact(7)])] == [{"current": "7", "cumulative": "100"}]
    assert one.tables["legacy_indicators"].rows["proactive_total"]["current"].value == 7
    assert "proactive_total" not in one.tables["legacy_indicators"].alternatives
