"""Honest evaluation: misses split from wrong values, out-of-fold cross-validation, coverage without gold."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from gxparse.bench import add_arguments, run_cli, score_report, summarize
from gxparse.bench.coverage import cover_report, printed_tables, summarize_coverage
from gxparse.bench.crossval import agency_group, assign_folds, run_cv
from gxparse.bench.run import load_golds
from gxparse.errors import DataError
from tests.conftest import DEV


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return run_cli(parser.parse_args(argv))


def test_wrong_cells_are_split_into_missed_tables_rows_cells_and_values() -> None:
    gold = {"id": "t", "input": "t.txt", "template": "gov2021",
            "tables": {"applications": {"new_received": {"a": 1, "b": 2}, "carried_over": {"a": 0}},
                       "review_litigation": {"cases": {"x": 1}}}}
    result = {"template": "gov2021", "cells": {}, "checks": [],
              "tables": {"applications": {"new_received": {"a": 9}}}}
    score = score_report(gold, result)
    kinds = {c.address: c.error_kind for c in score.cells}
    assert kinds == {"applications.new_received.a": "value", "applications.new_received.b": "cell",
                     "applications.carried_over.a": "row", "review_litigation.cases.x": "table"}
    figures = summarize([score])["cells"]
    assert figures["wrong_by_kind"] == {"table": 1, "row": 1, "cell": 1, "value": 1}
    assert figures["missed_tables"] == ["t:review_litigation"]
    assert figures["missed_rows"] == ["t:applications.carried_over"]


def test_agency_groups_keep_renderings_of_one_report_together() -> None:
    entries = {e.gold["id"]: e for e in load_golds([DEV])}
    assert agency_group(entries["r002"]) == agency_group(entries["r002t"])  # a PDF and its text layer
    assert agency_group(entries["r204"]) == agency_group(entries["r220"])  # one agency, two years
    assert agency_group(entries["r204"]) != agency_group(entries["r201"])


def test_gold_agency_wins_and_unknown_agency_is_its_own_group(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("没有机关名称的文本", encoding="utf-8")
    for name, agency in (("a", "某某局"), ("b", None)):
        gold = {"id": name, "input": "a.txt", "tables": {}, **({"agency": agency} if agency else {})}
        (tmp_path / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    a, b = load_golds([tmp_path])
    assert agency_group(a) == "agency:某某局"
    assert agency_group(b) == "report:b"


def test_folds_never_split_a_group() -> None:
    groups = ["x", "x", "y", "z", "z", "z", "w"]
    folds = assign_folds(groups, 3)
    for g in set(groups):
        assert len({f for f, gg in zip(folds, groups) if gg == g}) == 1
    assert set(folds) == {0, 1, 2}


def test_cross_validation_scores_each_report_with_a_model_that_never_saw_its_agency(tmp_path: Path) -> None:
    for rid in ("r204", "r220", "r201", "seed004"):
        for f in DEV.glob(f"{rid}.*"):
            shutil.copy(f, tmp_path / f.name)
    result = run_cv([tmp_path], folds=2, synthetic=0)
    cv = result.config["cv"]
    assert sorted(r.id for r in result.reports) == ["r201", "r204", "r220", "seed004"]
    assert cv["fold_of"]["r204"] == cv["fold_of"]["r220"]
    assert set(cv["fold_of"].values()) == {1, 2}
    assert result.figures["cells"]["assessed"] > 400


def test_cross_validation_needs_two_groups(tmp_path: Path) -> None:
    shutil.copy(DEV / "r204.json", tmp_path)
    shutil.copy(DEV / "r204.txt", tmp_path)
    with pytest.raises(DataError, match="at least 2"):
        run_cv([tmp_path], folds=5, synthetic=0)
    assert _cli([str(tmp_path), "--cv", "5"]) == 2
    assert _cli([str(tmp_path), "--cv", "3", "--compare", "rules"]) == 2


def test_printed_tables_come_from_labels_not_headings() -> None:
    text = (DEV / "seed004.txt").read_text(encoding="utf-8")
    assert set(printed_tables(text)) == {"active_disclosure", "applications", "review_litigation"}
    headings_only = (DEV / "seed003.txt").read_text(encoding="utf-8")  # tables lost, headings kept
    assert printed_tables(headings_only) == {}


def test_coverage_counts_printed_found_and_balanced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("seed004.txt", "r225.txt", "seed003.txt"):
        shutil.copy(DEV / name, tmp_path / name)
    (tmp_path / "README.md").write_text("# notes about this folder", encoding="utf-8")
    rows = [cover_report(tmp_path / n) for n in ("seed004.txt", "r225.txt", "seed003.txt")]
    summary = summarize_coverage(rows)
    apps = summary["tables"]["applications"]
    assert (apps["printed"], apps["found"]) == (2, 2)
    assert apps["found_balanced"] == 1  # r225 prints a 总计 column of zeros: it does not balance as printed
    assert _cli(["--unlabelled", str(tmp_path), "--json", str(tmp_path / "out.json")]) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert out["reports"] == 3 and len(out["per_report"]) == 3
    assert "applications" in capsys.readouterr().out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _cli(["--unlabelled", str(empty)]) == 2


def test_synthetic_variants_are_broken_down_and_selectable() -> None:
    from gxparse.bench import run_bench

    every = run_bench([], synthetic=4, seed=7, variants="all", cold_start=False)
    assert all(r.variants for r in every.reports)
    assert "none" not in every.figures["accuracy_by_variant"]
    assert set(every.figures["missed_tables_by_variant"]) == set(every.figures["accuracy_by_variant"])
    plain = run_bench([], synthetic=4, seed=7, variants="none", cold_start=False)
    assert set(plain.figures["accuracy_by_variant"]) == {"none"}
    with pytest.raises(SystemExit):
        _cli(["--synthetic", "2", "--variants", "1.5"])


def test_a_folder_without_gold_is_nothing_to_measure(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("二、主动公开政府信息情况", encoding="utf-8")
    assert _cli([str(tmp_path)]) == 2
    assert _cli([str(tmp_path / "missing")]) == 2
