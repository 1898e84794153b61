"""Cross-year links: agency grouping, Y- checks naming both sources, deciding among a row's own readings."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import gxparse
from gxparse.batch import BatchResult, parse_many
from gxparse.links import CROSS_YEAR_FLAG, BatchLinker, LinkDecision, agency_key
from gxparse.report import Cell, Report, Table

from gxparse.synth import make_series as write_series
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
    for seed in range(20):  # series until one has a row to decide (most glued series read every row surely)
        if decided:
            break
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
    linker = BatchLinker()
    results = list(parse_many([dev / "r204.txt", dev / "r220.txt", dev / "r201.txt"], linker=linker))
    assert len(results) == 3
    groups = [r for r in linker.records if r["kind"] == "link_group"]
    assert {"agency_key": "平潭综合实验区管委会办公室", "years": [2023, 2025]}.items() <= next(
        g for g in groups if len(g["sources"]) == 2).items()
    out = tmp_path / "out.jsonl"
    from gxparse.cli import main

    assert main(["parse", str(dev / "r011.txt"), str(dev / "r019.txt"), "-o", str(out), "-q"]) == 0
    assert [json.loads(line)["status"] for line in out.read_text(encoding="utf-8").splitlines()] == ["ok", "ok"]
    lines = [json.loads(line) for line in (tmp_path / "out.links.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines[0]["kind"] == "link_group" and {r["id"] for r in lines[1:]} == {"Y-C1-cumulative"}


def _decided_series(tmp_path: Path) -> tuple[list[Path], list[LinkDecision]]:
    """Glued agency series (three gov2021 years each) whose batch run decides at least one row."""
    for seed in range(20):
        paths = write_series(tmp_path / str(seed), 4, range(2021, 2024), seed, layouts=("glued",))
        linker = BatchLinker()
        list(parse_many(paths, linker=linker))
        if linker.decisions:
            return paths, linker.decisions
    raise AssertionError("no glued series decided a row")


def _gold(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_batch_applies_decisions_and_writes_a_links_table(tmp_path: Path) -> None:
    paths, _ = _decided_series(tmp_path)
    linker = BatchLinker()
    results = {Path(r.source).name: r for r in parse_many(paths, linker=linker)}
    assert sorted(results) == sorted(p.name for p in paths)
    for decision in linker.decisions:
        table, row = decision.row.split(".")
        result = results[Path(decision.source or "").name]
        cells = {k.split(".")[2]: c for k, c in result.data["cells"].items() if k.startswith(decision.row + ".")}
        assert all(CROSS_YEAR_FLAG in c["flags"] for c in cells.values())
        assert result.data["tables"][table][row] == _gold(Path(decision.source or ""))["tables"][table][row]
        assert "agency_key" not in result.data["meta"]
    from gxparse.cli import main

    out = tmp_path / "out.csv"
    assert main(["parse", *map(str, paths), "-o", str(out), "-q"]) in (0, 1)
    links = list(csv.DictReader((tmp_path / "out.links.csv").open(encoding="utf-8")))
    decided = [row for row in links if row["record_kind"] == "decision"]
    assert len(decided) == len(linker.decisions) and all(row["other_report_id"] for row in decided)
    assert {row["record_kind"] for row in links} >= {"group", "check", "decision"}
    flagged = [row for row in csv.DictReader(out.open(encoding="utf-8")) if CROSS_YEAR_FLAG in row["flags"]]
    assert flagged


def test_both_years_doubtful_decide_nothing_in_a_batch() -> None:
    earlier = _report("a.txt", 2021, (0, 0), (4, 4))
    _doubtful(earlier, "carry_to_next", (40, 4))
    later = _report("b.txt", 2022, (44, 0), (0, 0))
    _doubtful(later, "carried_over", (4, 4))
    linker = BatchLinker()
    results = [BatchResult(r.source or "", "ok", "", 0.0, r.to_dict(), r.to_records(), r) for r in (earlier, later)]
    assert [linker.add(r) for r in results] == [False, False]  # both held: each may be decided
    assert linker.finish() == results and linker.decisions == []
    assert later.tables["applications"].rows["carried_over"]["natural_person"].value == 44


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "duckdb"])
def test_a_resumed_batch_decides_with_what_was_written_before(tmp_path: Path, fmt: str) -> None:
    """A run that stopped before the decided year; the resumed run reads the other year back from the output."""
    pytest.importorskip("pyarrow")
    paths, decisions = _decided_series(tmp_path)
    decided = {Path(d.source or "") for d in decisions}
    from gxparse.cli import main

    whole, split = tmp_path / f"whole.{fmt}", tmp_path / f"split.{fmt}"
    main(["parse", *map(str, paths), "-o", str(whole), "-q"])
    main(["parse", *(str(p) for p in paths if p not in decided), "-o", str(split), "-q"])
    main(["parse", *map(str, paths), "-o", str(split), "-q", "--resume"])
    assert _flagged_cells(whole, fmt) == _flagged_cells(split, fmt) != set()
    assert _links(whole, fmt) == _links(split, fmt)


def _flagged_cells(out: Path, fmt: str) -> set[tuple[str, str, str]]:
    """(source, table.row.col, raw) of the cells flagged cross_year in an output."""
    if fmt == "jsonl":
        docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return {(d["source"], k, c["raw"]) for d in docs for k, c in d["cells"].items()
                if CROSS_YEAR_FLAG in c["flags"]}
    rows = _table(out, fmt, "cells")
    return {(r["source"], f"{r['table_key']}.{r['row_key']}.{r['col_key']}", r["raw"]) for r in rows
            if CROSS_YEAR_FLAG in (r["flags"] or "")}


def _links(out: Path, fmt: str) -> list[str]:
    if fmt == "jsonl":
        return sorted(out.with_name(f"{out.stem}.links.jsonl").read_text(encoding="utf-8").splitlines())
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in _table(out, fmt, "links"))


def _table(out: Path, fmt: str, name: str) -> list[dict[str, Any]]:
    file = out if name == "cells" else out.with_name(f"{out.stem}.{name}{out.suffix}")
    if fmt == "csv":
        return list(csv.DictReader(file.open(encoding="utf-8")))
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(file).to_pylist()
    import duckdb

    with duckdb.connect(str(out), read_only=True) as con:
        cursor = con.execute(f"SELECT * FROM {name}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def test_a_result_written_before_decides_only_when_it_was_certain() -> None:
    """Plain data has no alternatives: a row read with low confidence is doubtful, never the certain side."""
    def held(linker: BatchLinker) -> Report:
        later = _report("b.txt", 2022, (44, 0), (0, 0))
        _doubtful(later, "carried_over", (4, 4))
        assert linker.add(BatchResult("b.txt", "ok", "", 0.0, later.to_dict(), later.to_records(), later)) is False
        linker.finish()
        return later

    sure = _report("a.txt", 2021, (0, 0), (4, 4))
    linker = BatchLinker([sure.to_dict()])
    assert held(linker).tables["applications"].rows["carried_over"]["natural_person"].value == 4
    assert len(linker.decisions) == 1
    unsure = _report("a.txt", 2021, (0, 0), (4, 4))
    row = unsure.tables["applications"].rows["carry_to_next"]
    row["total"] = Cell(4, "4", None, 0.4)
    linker = BatchLinker([unsure.to_dict()])
    assert held(linker).tables["applications"].rows["carried_over"]["natural_person"].value == 44
    assert linker.decisions == []
