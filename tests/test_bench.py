"""Tests of the benchmark (:mod:`gxparse.bench`): scoring rules on hand-built dicts, error handling, CLI."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from gxparse.bench import (
    BenchResult,
    add_arguments,
    compare,
    infer_layout,
    risk_coverage,
    run_bench,
    run_cli,
    same_value,
    score_report,
    summarize,
)
from gxparse.bench import run as bench_run
from gxparse.bench.layouts import layout_of_text
from gxparse.bench.metrics import confidence_figures

DEV = Path(__file__).parents[1] / "training_data/dev"


def gold(tables: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A minimal gold annotation."""
    return {"id": "t1", "input": "t1.txt", "template": "gov2021", "complete": True, "tables": tables,
            "balanced": {}, "uncertain": [], "notes": "", **extra}


def result(tables: dict[str, Any], cells: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A minimal parser output in the :meth:`Report.to_dict` shape."""
    return {"template": "gov2021", "tables": tables, "cells": cells or {}, "checks": [], **extra}


# ------------------------------------------------------------------------------------------------
# cell comparison


@pytest.mark.parametrize(("want", "got", "ok"), [
    (0, 0, True), (None, None, True), (None, 0, False), (0, None, False), (3, 3.0, True),
    (0.1 + 0.2, 0.3, True), (4166.241619, 4166.24162, False), ("条", "条", True), ("条", "件", False),
    (1, "1", False), (1, True, False), (-18, -18, True),
])
def test_same_value_kind_and_value(want: Any, got: Any, ok: bool) -> None:
    assert same_value(want, got) is ok


def test_null_and_zero_are_different_answers() -> None:
    g = gold({"applications": {"new_received": {"a": None, "b": 0, "c": 5}}})
    r = result({"applications": {"new_received": {"a": 0, "b": None, "c": 5}}})
    score = score_report(g, r)
    assert (score.n_cells, score.n_correct) == (3, 1)
    assert {c.col for c in score.cells if not c.correct} == {"a", "b"}


def test_absent_cell_is_wrong_and_extra_cells_are_counted() -> None:
    g = gold({"applications": {"new_received": {"a": 1, "b": 2}}})
    r = result({"applications": {"new_received": {"a": 1, "z": 9}, "other_row": {"a": 0}}})
    score = score_report(g, r)
    missing = [c for c in score.cells if not c.present]
    assert [c.address for c in missing] == ["applications.new_received.b"]
    assert not missing[0].correct and missing[0].warned
    assert sorted(score.extra_cells) == ["applications.new_received.z", "applications.other_row.a"]
    assert score.table_exact == {"applications": False}
    assert summarize([score])["cells"]["extra_cells"] == 2


def test_uncertain_cells_are_excluded_and_counted() -> None:
    g = gold({"applications": {"carry": {"total": 7, "a": 1}}}, uncertain=["applications.carry.total"])
    r = result({"applications": {"carry": {"total": 999, "a": 1}}})
    score = score_report(g, r)
    assert [c.address for c in score.cells] == ["applications.carry.a"]
    assert score.accuracy == 1.0 and score.uncertain == 1 and score.extra_cells == []
    assert score.table_exact == {"applications": True}
    assert summarize([score])["cells"]["uncertain_excluded"] == 1


def test_table_exact_match_per_table() -> None:
    g = gold({"active_disclosure": {"regulations": {"issued": 0}}, "applications": {"r": {"a": 1, "b": 2}}})
    r = result({"active_disclosure": {"regulations": {"issued": 0}}, "applications": {"r": {"a": 1, "b": 3}}})
    score = score_report(g, r)
    assert score.table_exact == {"active_disclosure": True, "applications": False}
    tables = summarize([score])["tables"]
    assert (tables["gold_tables"], tables["exact"], tables["exact_match_rate"]) == (2, 1, 0.5)


def test_template_detection_and_no_table_gold() -> None:
    g = gold({}, template=None)
    ok = score_report(g, result({}, template=None))
    assert ok.template_ok and ok.n_cells == 0 and ok.accuracy is None
    invented = score_report(g, result({"applications": {"r": {"a": 1}}}))
    assert not invented.template_ok and invented.extra_cells == ["applications.r.a"]
    assert summarize([ok, invented])["template"]["accuracy"] == 0.5


def test_a_wrong_template_the_parser_warned_about_is_still_wrong_and_counted_as_warned() -> None:
    g = gold({}, template="gov2019")
    warned = score_report(g, result({}, meta={"template_clear": False}))
    silent = score_report(g, result({}, meta={"template_clear": True}))
    figures = summarize([warned, silent])["template"]
    assert figures["accuracy"] == 0.0
    assert figures["wrong_warned"] == 1 and [w["warned"] for w in figures["wrong"]] == [True, False]


def test_failed_parse_counts_every_gold_cell_wrong() -> None:
    g = gold({"applications": {"r": {"a": 1, "b": None}}}, template=None)
    score = score_report(g, None, error="BinaryInputError: nope")
    assert score.n_correct == 0 and score.n_cells == 2 and not score.template_ok
    assert summarize([score])["errors"] == 1


def test_provenance_and_source_line_of_wrong_cells() -> None:
    text = "标题\n规章 | 13 | 0 | 524 |\n尾"
    start = text.index("524")
    g = gold({"active_disclosure": {"regulations": {"issued": 13, "in_force": 520}}})
    r = result({"active_disclosure": {"regulations": {"issued": 13, "in_force": 524}}},
               {"active_disclosure.regulations.in_force": {"raw": "524", "span": [start, start + 3],
                                                           "confidence": 0.42, "flags": ["glued_split"]},
                "active_disclosure.regulations.issued": {"raw": "13", "span": None, "confidence": 1.0, "flags": []}})
    score = score_report(g, r, text=text)
    wrong = [c for c in score.cells if not c.correct]
    assert len(wrong) == 1
    cell = wrong[0].to_dict()
    assert cell["gold"] == 520 and cell["got"] == 524 and cell["raw"] == "524"
    assert cell["confidence"] == 0.42 and cell["flags"] == ["glued_split"]
    assert cell["line"] == "规章 | 13 | 0 | 524 |"
    assert [c.line for c in score.cells if c.correct] == ["-"]


def test_identity_checks_split_by_gold_balanced() -> None:
    g = gold({"applications": {"r": {"a": 1}}, "review_litigation": {"cases": {"x": 0}}},
             balanced={"applications": False, "review_litigation": True})
    checks = [{"id": "I1", "table": "applications", "scope": "a", "status": "fail"},
              {"id": "I2", "table": "applications", "scope": "b", "status": "pass"},
              {"id": "I3", "table": "review_litigation", "scope": "c", "status": "pass"},
              {"id": "I4", "table": "review_litigation", "scope": "d", "status": "not_assessable"},
              {"id": "I5", "table": "active_disclosure", "scope": "e", "status": "pass"}]
    ident = summarize([score_report(g, result({}, checks=checks))])["identities"]
    assert ident["gold_balanced_false"]["pass_rate_of_assessable"] == 0.5
    assert ident["gold_balanced_true"]["checks"] == 2 and ident["gold_balanced_true"]["pass_rate_of_assessable"] == 1.0
    assert ident["gold_balanced_null"]["pass"] == 1


def test_confidence_figures_and_risk_coverage() -> None:
    g = gold({"applications": {"r": {"a": 1, "b": 2, "c": 3, "d": 4}}})
    cells = {f"applications.r.{k}": {"raw": "", "span": None, "confidence": conf, "flags": flags}
             for k, conf, flags in [("a", 1.0, []), ("b", 0.95, ["identity_fail:I-A3-1"]), ("c", 0.6, []),
                                    ("d", 0.3, [])]}
    r = result({"applications": {"r": {"a": 1, "b": 0, "c": 0, "d": 4}}}, cells)
    score = score_report(g, r)
    conf = confidence_figures(score.cells)
    assert conf["min_confidence_0.9"] == {"cells": 2, "coverage": 0.5, "accuracy": 0.5}
    assert conf["min_confidence_0.5"]["cells"] == 3
    assert conf["wrong_cells"] == 2 and conf["wrong_cells_warned_share"] == 1.0  # b: identity_fail, c: < 0.9
    curve = risk_coverage(score.cells)
    assert [p["coverage"] for p in curve] == [0.25, 0.5, 0.75, 1.0]
    assert curve[0]["risk"] == 0.0 and curve[-1]["risk"] == 0.5


def test_layout_heuristic() -> None:
    assert layout_of_text("申请人情况自然人一、本年新收15130000154二、上年结转0000000") == "glued"
    assert layout_of_text("指标名称 计量单位 主动公开信息数 条 739 4359 其中 条 739 4359 政府公报 条 0 0") == "space_rows"
    assert layout_of_text("信息内容 | 本年制发件数 |\n规章 | 0 | 0 | 0 |\n行政规范性文件 | 5 | 1 | 25 |\n"
                          "行政许可 | 0 |\n行政处罚 | 0 | 1 |") == "pipe_rows"
    assert layout_of_text("申请人情况\n自然人\n\n0\n\n1\n—\n0 |\n总计") == "cell_per_line"
    assert layout_of_text("没有表格的报告") == "no_table"
    assert infer_layout(Path("x.html")) == "html" and infer_layout(Path("r002.pdftext.txt")) == "pdf_text"


# ------------------------------------------------------------------------------------------------
# runs


def test_unreadable_input_is_counted_not_raised(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    (tmp_path / "bin.json").write_text(json.dumps(gold({"applications": {"r": {"a": 1}}}, id="bin",
                                                       input="bin.txt")), encoding="utf-8")
    (tmp_path / "gone.json").write_text(json.dumps(gold({}, id="gone", input="gone.txt", template=None)),
                                        encoding="utf-8")
    res = run_bench([tmp_path], placer="rules", cold_start=False)
    assert isinstance(res, BenchResult)
    assert [e["report"] for e in res.errors] == ["bin", "gone"]
    assert all(e["error"] for e in res.errors)
    figures = res.figures
    assert figures["errors"] == 2 and figures["cells"]["wrong"] == 1 and figures["template"]["correct"] == 0
    assert res.speed["timed_reports"] == 0


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return run_cli(parser.parse_args(argv))


def test_end_to_end_on_dev_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_run, "COLD_START_RUNS", 1)  # one fresh process per run is enough here
    out, md = tmp_path / "bench.json", tmp_path / "bench.md"
    golds = [str(DEV / f"{i}.json") for i in ("r004", "seed004", "r035")]
    code = _cli([*golds, "--placer", "rules", "--compare", "baseline", "--json", str(out), "--markdown", str(md)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "cells" in printed and "B: baseline" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"config", "figures", "speed", "errors", "reports", "wrong_cells", "cells", "compare"} <= set(data)
    figures = data["figures"]
    assert {"accuracy_micro", "accuracy_per_report_mean", "uncertain_excluded", "extra_cells"} <= set(figures["cells"])
    assert {"exact_match_rate"} <= set(figures["tables"]) and "accuracy" in figures["template"]
    assert set(figures["identities"]) == {"gold_balanced_true", "gold_balanced_false", "gold_balanced_null"}
    assert {"min_confidence_0.5", "min_confidence_0.9", "min_confidence_0.99",
            "wrong_cells_warned_share"} <= set(figures["confidence"])
    assert {"accuracy_by_table", "accuracy_by_template", "accuracy_by_layout", "accuracy_by_set"} <= set(figures)
    assert {"parse_ms_median", "parse_ms_p95", "reports_per_s", "model_bytes", "cold_start"} <= set(data["speed"])
    speed = data["speed"]
    assert speed["floor_ms_median"] > 0 and speed["floor_ratio_median"] == pytest.approx(
        speed["parse_ms_median"] / speed["floor_ms_median"])
    assert "floor)" in printed and "floor (read + one regex)" in printed
    assert data["speed"]["cold_start"]["error"] is None and data["speed"]["cold_start"]["wall_s"] > 0
    assert data["speed"]["cold_start"]["runs"] == 1
    assert [r["id"] for r in data["reports"]] == ["r004", "seed004", "r035"]
    assert {"both_wrong", "only_a_wrong", "only_b_wrong"} <= set(data["compare"]["comparison"]["cells"])
    assert md.read_text(encoding="utf-8").startswith("# gxparse benchmark")


def test_min_accuracy_sets_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    gold_file = str(DEV / "r004.json")
    assert _cli([gold_file, "--placer", "baseline", "--no-cold-start", "--min-accuracy", "1.01"]) == 1
    assert _cli([gold_file, "--placer", "baseline", "--no-cold-start", "--min-accuracy", "0"]) == 0
    assert _cli([]) == 2
    capsys.readouterr()


def test_compare_counts_cells_both_ways() -> None:
    g = gold({"applications": {"r": {"a": 1, "b": 2, "c": 3}}})
    a = BenchResult({"placer": "model"}, [score_report(g, result({"applications": {"r": {"a": 1, "b": 0, "c": 0}}}))])
    b = BenchResult({"placer": "rules"}, [score_report(g, result({"applications": {"r": {"a": 0, "b": 2, "c": 0}}}))])
    comp = compare(a, b)
    assert (comp.both_wrong, comp.only_a_wrong, comp.only_b_wrong, comp.both_right) == (1, 1, 1, 0)
    assert comp.only_a_cells == ["t1:applications.r.b"]
    assert comp.figures["cell_accuracy_micro"] == {"a": 1 / 3, "b": 1 / 3}
