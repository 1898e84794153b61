"""Cross-year links: agency grouping, Y- checks naming both sources, deciding among a row's own readings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gxparse
from gxparse.batch import parse_many
from gxparse.links import CROSS_YEAR_FLAG, agency_key, link_records
from gxparse.report import Cell, Report, Table

from linked_series import gold_row, make_series

APPLICANTS = ("natural_person", "total")


def _report(source: str, year: int, carried_over: tuple[int, ...], carry_to_next: tuple[int, ...], *,
            agency: str = "某市人力资源和社会保障局", in_force: tuple[int, int, int] | None = None) -> Report:
    rows = {"carried_over": {c: Cell(v, str(v), None) for c, v in zip(APPLICANTS, carried_over)},
            "carry_to_next": {c: Cell(v, str(v), None) for c, v in zip(APPLICANTS, carry_to_next)}}
    tables = {"applications": Table("applications", rows)}
    if in_force is not None:
        docs = {c: Cell(v, str(v), None) for c, v in zip(("issued", "repealed", "in_force"), in_force)}
        tables["active_disclosure"] = Table("active_disclosure", {"normative_documents": docs})
    return Report("gov2021", tables, source=source, meta={"agency": agency, "report_year": year})


@pytest.mark.parametrize("a, b", [
    ("平潭综合实验区管理委员会办公室", "平潭综合實驗區管委會辦公室"),
    ("绵阳市安州区人力资源和社会保障局", "绵阳市安州区人社局"),
    ("定海区人力社保局", "定海区 人力资源社会保障局"),
])
def test_agency_spellings_share_a_key(a: str, b: str) -> None:
    assert agency_key(a) == agency_key(b)


def test_different_agencies_stay_apart() -> None:
    assert agency_key("平潭综合实验区交通与建设局") != agency_key("平潭综合实验区社会事业局")
    assert agency_key(None) is None and agency_key("") is None


def test_carries_are_checked_per_column_with_both_sources_named() -> None:
    reports = [_report("b.txt", 2022, (3, 3), (1, 2)), _report("a.txt", 2021, (0, 0), (3, 3), agency="某市人社局")]
    links = gxparse.link(reports)
    assert list(links.groups) == ["某市人社局"] and [r.source for r in links.groups["某市人社局"]] == ["a.txt", "b.txt"]
    assert all(r.meta["agency_key"] == "某市人社局" for r in reports)
    carry = [c for c in links.checks if c.id == "Y-A3-5"]
    assert [(c.scope, c.status, c.earlier, c.later) for c in carry] == [
        ("applications.natural_person", "pass", "a.txt", "b.txt"), ("applications.total", "pass", "a.txt", "b.txt")]
    broken = gxparse.link([_report("a.txt", 2021, (0, 0), (3, 3)), _report("b.txt", 2022, (2, 3), (0, 0))])
    assert [c.status for c in broken.checks] == ["fail", "pass"]
    assert broken.checks[0].cells == ("b.txt#applications.carried_over.natural_person",
                                      "a.txt#applications.carry_to_next.natural_person")


def test_years_apart_are_not_carried_and_unknown_agencies_are_not_linked() -> None:
    gap = gxparse.link([_report("a.txt", 2019, (0, 0), (3, 3)), _report("b.txt", 2021, (1, 1), (0, 0))])
    assert gap.checks == []
    anonymous = _report("c.txt", 2020, (0, 0), (0, 0), agency="")
    assert gxparse.link([anonymous]).groups == {} and "agency_key" not in anonymous.meta


def test_documents_in_force_follow_last_year() -> None:
    links = gxparse.link([_report("a.txt", 2021, (0, 0), (0, 0), in_force=(2, 1, 40)),
                          _report("b.txt", 2022, (0, 0), (0, 0), in_force=(5, 3, 42)),
                          _report("c.txt", 2023, (0, 0), (0, 0), in_force=(1, 0, 50))])
    assert [(c.earlier, c.status, c.left, c.right) for c in links.checks if c.id == "Y-A2-1"] == [
        ("a.txt", "pass", 42, 42), ("b.txt", "fail", 50, 43)]


def test_legacy_cumulative_series_must_not_decrease() -> None:
    def legacy(source: str, year: int, cumulative: int) -> Report:
        row = {"unit": Cell("条", "条", None), "current": Cell(5, "5", None), "cumulative": Cell(cumulative, "", None)}
        return Report("legacy", {"legacy_indicators": Table("legacy_indicators", {"proactive_total": row})},
                      source=source, meta={"agency": "某县政府", "report_year": year})

    links = gxparse.link([legacy("a", 2010, 100), legacy("b", 2011, 90), legacy("c", 2013, 95)])
    assert [(c.id, c.earlier, c.later, c.status) for c in links.checks] == [
        ("Y-C1-cumulative", "a", "b", "fail"), ("Y-C1-cumulative", "b", "c", "pass")]


def _doubtful(report: Report, row: str, *alternatives: tuple[int, ...]) -> None:
    table = report.tables["applications"]
    table.alternatives[row] = [{c: Cell(v, str(v), None, 0.1) for c, v in zip(APPLICANTS, alt)} for alt in alternatives]


def test_a_doubtful_row_takes_its_one_reading_that_carries_over() -> None:
    earlier = _report("a.txt", 2021, (0, 0), (4, 4))
    later = _report("b.txt", 2022, (44, 0), (0, 0))  # the glued run 440 read as 44 | 0
    _doubtful(later, "carried_over", (4, 40), (4, 4))
    links = gxparse.link([earlier, later])
    assert [(d.row, d.previous, d.chosen, d.changed, d.other) for d in links.decisions] == [
        ("applications.carried_over", {"natural_person": "44", "total": "0"}, {"natural_person": "4", "total": "4"},
         True, "a.txt")]
    row = later.tables["applications"].rows["carried_over"]
    assert [c.value for c in row.values()] == [4, 4] and all(CROSS_YEAR_FLAG in c.flags for c in row.values())
    assert "carried_over" not in later.tables["applications"].alternatives


def test_nothing_changes_unless_exactly_one_reading_holds() -> None:
    earlier = _report("a.txt", 2021, (0, 0), (4, 4))
    later = _report("b.txt", 2022, (44, 0), (0, 0))
    _doubtful(later, "carried_over", (4, 4), (4, 4))  # two readings agree with last year: undecided
    assert gxparse.link([earlier, later]).decisions == []
    assert later.tables["applications"].rows["carried_over"]["natural_person"].value == 44
    both = _report("c.txt", 2021, (0, 0), (4, 4))
    _doubtful(both, "carry_to_next", (4, 40))
    other = _report("d.txt", 2022, (44, 0), (0, 0))
    _doubtful(other, "carried_over", (4, 4))  # both sides doubtful: neither decides the other
    assert gxparse.link([both, other], decide=True).decisions == []


def test_glued_series_decisions_are_right_and_come_from_the_source() -> None:
    decided = 0
    for seed in range(3):
        series = make_series(seed, years=3)
        texts = {y.report.source: y.report.text for y in series}
        links = gxparse.link([y.report for y in series])
        for decision in links.decisions:
            table, row = decision.row.split(".")
            report = next(y.report for y in series if y.report.source == decision.source)
            cells = report.tables[table].rows[row]
            assert {c: cell.value for c, cell in cells.items()} == gold_row(series, decision.source, decision.row)
            for cell in cells.values():
                assert cell.span is None or texts[decision.source][slice(*cell.span)] == cell.raw
            decided += 1
    assert decided > 0


def test_batch_links_its_results(tmp_path: Path) -> None:
    dev = Path(__file__).resolve().parent.parent / "training_data" / "dev"
    records = link_records(parse_many([dev / "r204.txt", dev / "r220.txt", dev / "r201.txt"]))
    groups = [r for r in records if r["kind"] == "link_group"]
    assert {"agency_key": "平潭综合实验区管委会办公室", "years": [2023, 2025]}.items() <= next(
        g for g in groups if len(g["sources"]) == 2).items()
    out = tmp_path / "out.jsonl"
    from gxparse.cli import main

    assert main(["parse", str(dev / "r011.txt"), str(dev / "r019.txt"), "-o", str(out), "-q"]) == 0
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl.links.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines[0]["kind"] == "link_group" and {r["id"] for r in lines[1:]} == {"Y-C1-cumulative"}
