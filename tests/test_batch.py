"""Tests of the batch layer: parse_many / parse_one, the ``gxparse parse`` command, outputs, metadata."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gxparse import batch_cli, batch_run
from gxparse.batch import (
    SUPPORTED_SUFFIXES,
    BatchResult,
    add_parse_arguments,
    find_inputs,
    parse_many,
    parse_one,
    run_parse,
)
from gxparse.metadata import extract_metadata
from gxparse.parser import parse_file
from gxparse.outputs import CELL_COLUMNS, REPORT_COLUMNS, reports_path, table_path

DEV = Path(__file__).parents[1] / "training_data/dev"
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="dev corpus not found")

# Statuses that hold whatever the placer: the gold annotations say these tables balance (ok), do
# not balance as printed or are cut off (partial), or are missing (no_tables).
DEV_STATUSES = {
    "seed000.txt": "ok",        # all-zero tables, balanced
    "r025.html": "ok",          # HTML tables, balanced
    "r201.txt": "partial",      # does not balance as printed (gold)
    "r020.txt": "partial",      # truncated inside table 三
    "seed003.txt": "no_tables",  # tables lost in scraping
}
NOT_A_REPORT = "今天天气很好。我们去公园散步，然后回家吃饭。\n明天还要上班。\n"


def _garbage(tmp_path: Path) -> dict[str, str]:
    """Write inputs that are not parseable reports; return {file name: expected status}."""
    files = {
        "empty.txt": (b"", "error"),
        "binary.txt": (bytes(range(256)) * 8, "error"),
        "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "skipped"),  # unknown suffix, not text
        "no_table.html": ("<html><body><p>通知</p><div>本单位今年没有表格。</div></body></html>".encode(), "no_tables"),
        "not_a_report.txt": (NOT_A_REPORT.encode(), "no_tables"),
        "not_a_report_gbk.txt": (NOT_A_REPORT.encode("gbk"), "no_tables"),
        "seed000_gbk.txt": ((DEV / "seed000.txt").read_text(encoding="utf-8").encode("gb18030"), "ok"),
    }
    for name, (data, _) in files.items():
        (tmp_path / name).write_bytes(data)
    return {name: status for name, (_, status) in files.items()}


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> tuple[list[str], list[str]]:
    """Dev inputs and garbage files, interleaved, plus a missing file; return (paths, expected statuses)."""
    expected = {str(DEV / name): status for name, status in DEV_STATUSES.items()}
    expected.update({str(tmp_path / name): status for name, status in _garbage(tmp_path).items()})
    expected[str(tmp_path / "missing.txt")] = "error"
    paths = sorted(expected, key=lambda p: Path(p).name)
    return paths, [expected[p] for p in paths]


def test_parse_many_gives_one_result_per_input_in_order(mixed_inputs: tuple[list[str], list[str]]) -> None:
    paths, statuses = mixed_inputs
    results = list(parse_many(paths, placer="rules"))
    assert [r.source for r in results] == paths
    assert {r.source: r.status for r in results} == dict(zip(paths, statuses))
    for result in results:
        assert result.seconds >= 0
        if result.status == "error":
            assert result.report is None and result.data is None and result.records == []
            assert result.message.split(":")[0].endswith("Error")  # names the exception type
        elif result.status == "skipped":
            assert result.data is None and Path(result.source).suffix not in SUPPORTED_SUFFIXES
        else:
            assert result.report is not None and result.data is not None
            assert result.data["source"] == result.source
        if result.status in ("ok", "partial"):
            assert result.records and result.template is not None
        assert (result.status == "ok") == (result.message == "")


def test_partial_message_says_why() -> None:
    truncated, unbalanced = parse_many([DEV / "r020.txt", DEV / "r201.txt"], placer="rules")
    assert "truncated" in truncated.message and "applications" in truncated.message
    assert "identity check(s) failed" in unbalanced.message and unbalanced.n_failed_checks > 0


def test_parse_one_fills_metadata_into_meta_and_records() -> None:
    result = parse_one(DEV / "seed000.txt", placer="rules")
    assert result.report is not None
    meta = result.report.meta
    assert (meta["agency"], meta["report_year"], meta["published"]) == ("绵阳市安州区人力资源和社会保障局", 2023,
                                                                         "2024-01-24")
    assert {r["agency"] for r in result.records} == {"绵阳市安州区人力资源和社会保障局"}
    assert {r["report_year"] for r in result.records} == {2023}


def test_internal_error_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    real = parse_file

    def flaky(path: str, **kwargs: object) -> object:
        if path.endswith("r201.txt"):
            raise RuntimeError("boom")
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("gxparse.batch_run.parse_file", flaky)
    results = list(parse_many([DEV / "seed000.txt", DEV / "r201.txt", DEV / "r020.txt"], placer="rules"))
    assert [r.status for r in results] == ["ok", "error", "partial"]
    assert results[1].message == f"InternalError: internal error while parsing {DEV / 'r201.txt'}: RuntimeError: boom"


def test_two_workers_give_the_same_results(mixed_inputs: tuple[list[str], list[str]]) -> None:
    paths, _ = mixed_inputs
    seen: list[str] = []
    serial = list(parse_many(paths, placer="rules"))
    parallel = list(parse_many(paths, n_jobs=2, placer="rules", on_result=lambda r: seen.append(r.source)))
    assert parallel == serial  # compares source, status, message, data and records
    assert seen == paths
    assert all(r.report is None for r in parallel)


def test_missing_model_is_an_error_per_input_not_a_crash(tmp_path: Path) -> None:
    paths = [str(DEV / "seed000.txt"), str(DEV / "r020.txt")]
    missing = str(tmp_path / "no-model.json")
    for n_jobs in (1, 2):
        results = list(parse_many(paths, n_jobs=n_jobs, placer="model", model_path=missing))
        assert [r.status for r in results] == ["error", "error"]
        assert all(r.message.startswith("ModelNotFoundError") for r in results)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs forked workers to patch them")
def test_a_crashed_worker_costs_only_its_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = parse_file

    def crash_on_marker(path: str, **kwargs: object) -> object:
        if "crash" in path:
            os._exit(3)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("gxparse.batch_run.parse_file", crash_on_marker)  # inherited by the forked workers
    crash = tmp_path / "crash.txt"
    crash.write_text(NOT_A_REPORT, encoding="utf-8")
    paths = [str(DEV / "seed000.txt"), str(crash), str(DEV / "r020.txt"), str(DEV / "seed003.txt")]
    results = list(parse_many(paths, n_jobs=2, placer="rules"))
    assert [r.status for r in results] == ["ok", "error", "partial", "no_tables"]
    assert results[1].message.startswith("internal error: BrokenProcessPool")


def test_batch_result_round_trips_through_a_dict() -> None:
    result = parse_one(DEV / "r020.txt", placer="rules")
    again = BatchResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result and again.report is None


def test_find_inputs_walks_globs_sorts_and_deduplicates(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("b.txt", "a.HTML", "notes.json", "sub/c.pdf", "sub/deeper/d.md", ".hidden/e.txt", "sub/f.docx"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    root = str(tmp_path)
    found = find_inputs([root, os.path.join(root, "*.txt"), os.path.join(root, "sub", "**", "*.md"),
                         os.path.join(root, "missing.txt")])
    rel = [os.path.relpath(p, root) for p in found]
    assert rel == sorted(rel)
    assert set(rel) == {"a.HTML", "b.txt", "notes.json", "missing.txt", os.path.join("sub", "c.pdf"),
                        os.path.join("sub", "deeper", "d.md"), os.path.join("sub", "f.docx")}
    assert find_inputs([os.path.join(root, "*.xml")]) == []


# ---------------------------------------------------------------- the gxparse parse command


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="gxparse parse")
    add_parse_arguments(parser)
    return run_parse(parser.parse_args([*argv, "--placer", "rules", "--quiet"]))


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_jsonl_has_one_document_per_input(mixed_inputs: tuple[list[str], list[str]], tmp_path: Path) -> None:
    paths, statuses = mixed_inputs
    out = tmp_path / "out.jsonl"
    assert _cli(*paths, "-o", str(out)) == 1  # some inputs errored
    docs = _jsonl(out)
    assert [d["source"] for d in docs] == sorted(paths)  # the command sorts its inputs
    assert {d["source"]: d["status"] for d in docs} == dict(zip(paths, statuses))
    for doc in docs:
        assert {"message", "template", "tables", "cells", "checks", "warnings", "meta"} <= set(doc)


def test_cli_exit_code_is_zero_without_errors(tmp_path: Path) -> None:
    assert _cli(str(DEV / "seed000.txt"), str(DEV / "seed003.txt"), "-o", str(tmp_path / "o.jsonl")) == 0


def test_cli_single_input_prints_the_report_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(str(DEV / "seed000.txt")) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["source"] == str(DEV / "seed000.txt") and doc["status"] == "ok"
    assert doc["template"] == "gov2021" and "applications" in doc["tables"]
    assert captured.err == ""


def test_cli_csv_outputs(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "cells.csv"
    inputs = [str(DEV / "seed000.txt"), str(DEV / "r020.txt"), str(tmp_path / "missing.txt")]
    assert _cli(*inputs, "-o", str(out)) == 1
    cells = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert tuple(cells.columns) == CELL_COLUMNS
    assert set(cells["source"]) == set(inputs[:2])
    assert (cells.loc[cells["source"] == inputs[0], "agency"] == "绵阳市安州区人力资源和社会保障局").all()
    reports = pd.read_csv(reports_path(out), keep_default_na=False)
    assert tuple(reports.columns) == REPORT_COLUMNS
    assert dict(zip(reports["source"], reports["status"])) == dict(zip(inputs, ["ok", "partial", "error"]))
    assert reports["n_cells"].sum() == len(cells)


def test_cli_parquet_outputs(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "cells.parquet"
    assert _cli(str(DEV / "seed000.txt"), str(DEV / "r201.txt"), str(DEV / "seed003.txt"), "-o", str(out)) == 0
    cells = pd.read_parquet(out)
    assert tuple(cells.columns) == CELL_COLUMNS
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(out)
    assert schema.field("value_int").type == pa.int64() and schema.field("value_num").type == pa.float64()
    assert cells["report_id"].nunique() == 2 and cells["report_id"].str.len().eq(12).all()
    facts = pd.read_parquet(table_path(out, "facts"))  # seed003 has no table, but its prose states figures
    assert set(facts.loc[facts["source"].str.endswith("seed003.txt"), "fact_key"]) >= {"applications_received"}
    reports = pd.read_parquet(reports_path(out))
    assert tuple(reports.columns) == REPORT_COLUMNS
    assert list(reports["status"]) == ["partial", "ok", "no_tables"]  # sorted inputs: r201, seed000, seed003
    assert reports.loc[0, "n_failed_checks"] > 0


def test_cli_duckdb_outputs(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "gx.duckdb"
    assert _cli(str(DEV / "seed000.txt"), str(DEV / "r020.txt"), "-o", str(out)) == 0
    with duckdb.connect(str(out), read_only=True) as con:
        cell_cols = [row[0] for row in con.execute("DESCRIBE cells").fetchall()]
        types = {row[0]: row[1] for row in con.execute("DESCRIBE cells").fetchall()}
        assert tuple(cell_cols) == CELL_COLUMNS and types["value_int"] == "BIGINT" and types["value_num"] == "DOUBLE"
        statuses = con.execute("SELECT status FROM reports ORDER BY source").fetchall()
        assert statuses == [("partial",), ("ok",)]
        joined = con.execute("SELECT count(*) FROM cells JOIN reports USING (report_id)").fetchone()
        total = con.execute("SELECT count(*) FROM cells").fetchone()
        assert joined is not None and total is not None and joined[0] == total[0] > 0


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet", ".duckdb"])
def test_cli_resume_skips_done_inputs(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip({".parquet": "pyarrow", ".duckdb": "duckdb"}.get(suffix, "json"))
    first = [str(DEV / "seed000.txt"), str(DEV / "r020.txt")]
    later = [str(DEV / "r201.txt"), str(DEV / "seed003.txt")]
    out = tmp_path / f"out{suffix}"
    assert _cli(*first, "-o", str(out)) == 0
    calls: list[str] = []
    real = batch_run.parse_one

    def counting(path: str, **kwargs: object) -> BatchResult:
        calls.append(path)
        return real(path, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(batch_run, "parse_one", counting)
        assert _cli(*first, *later, "-o", str(out), "--resume", "--max-memory", "0") == 0
    assert sorted(calls) == sorted(later)
    assert sorted(_sources(out, suffix)) == sorted(first + later)


def _sources(out: Path, suffix: str) -> list[str]:
    if suffix == ".jsonl":
        return [str(d["source"]) for d in _jsonl(out)]
    if suffix == ".duckdb":
        import duckdb

        with duckdb.connect(str(out), read_only=True) as con:
            return [row[0] for row in con.execute("SELECT source FROM reports").fetchall()]
    import pandas as pd

    reader = pd.read_csv if suffix == ".csv" else pd.read_parquet
    return list(reader(reports_path(out))["source"])


def test_cli_resume_drops_a_line_cut_short(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert _cli(str(DEV / "seed000.txt"), "-o", str(out)) == 0
    with open(out, "a", encoding="utf-8") as f:
        f.write('{"source": "half a li')
    assert _cli(str(DEV / "seed000.txt"), str(DEV / "r020.txt"), "-o", str(out), "--resume") == 0
    assert [Path(str(d["source"])).name for d in _jsonl(out)] == ["seed000.txt", "r020.txt"]


def test_cli_ctrl_c_leaves_a_resumable_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    real = batch_cli.parse_many

    def interrupted(*args: Any, **kwargs: Any) -> Iterator[BatchResult]:
        results = real(*args, **kwargs)
        yield next(results)
        raise KeyboardInterrupt

    inputs = [str(DEV / "seed000.txt"), str(DEV / "r020.txt"), str(DEV / "seed003.txt")]
    out = tmp_path / "out.parquet"
    monkeypatch.setattr(batch_cli, "parse_many", interrupted)
    assert _cli(*inputs, "-o", str(out)) == 130
    assert list(pd.read_parquet(reports_path(out))["source"]) == sorted(inputs)[:1]
    monkeypatch.undo()
    assert _cli(*inputs, "-o", str(out), "--resume") == 0
    assert sorted(pd.read_parquet(reports_path(out))["source"]) == sorted(inputs)


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(str(tmp_path / "*.txt")) == 2  # nothing matches
    assert _cli(str(DEV / "seed000.txt"), "--format", "parquet") == 2  # parquet needs -o
    assert _cli(str(DEV / "seed000.txt"), "-o", str(tmp_path / "o.json"), "--resume") == 2
    assert "gxparse parse:" in capsys.readouterr().err


# ---------------------------------------------------------------- metadata


@pytest.mark.parametrize(("text", "expected"), [
    ("绵阳市安州区人力资源和社会保障局2023年政府信息公开工作年度报告\n\n发布时间:2024-01-24\n\n根据《条例》……",
     ("绵阳市安州区人力资源和社会保障局", 2023, "2024-01-24")),
    ("标题: 平潭综合实验区2025年度政府信息公开工作年度报告\n发布时间: 2026-03-10 12:56\n",
     ("平潭综合实验区", 2025, "2026-03-10")),
    ("淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告\n本报告由……", ("淮安市洪泽区人民政府", 2024, None)),
    ("2023年度上海市静安区人力资源和社会保障局政府信息公开年度工作报告\n", ("上海市静安区人力资源和社会保障局", 2023, None)),
    ("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n", ("上海市科委", 2024, None)),
    ("北京市人民政府信息公开工作年度报告\n\n2024年1月24日\n", ("北京市人民政府", None, "2024-01-24")),
    ("您现在所在的位置:> 主页 > 信息公开 > 信息公开年报\n湖北省人力资源和社会保障厅2021年政府信息公开工作年度报告\n"
     "发布日期：2022年1月30日", ("湖北省人力资源和社会保障厅", 2021, "2022-01-30")),
    ("一、总体情况\n本报告所列数据统计期限为2020年1月1日至2020年12月31日。", (None, 2020, None)),
    ("发布日期：2024年13月2日\n", (None, None, None)),  # not a calendar date
    (NOT_A_REPORT, (None, None, None)),
    ("", (None, None, None)),
])
def test_extract_metadata(text: str, expected: tuple[object, object, object]) -> None:
    meta = extract_metadata(text, None)
    assert (meta["agency"], meta["report_year"], meta["published"]) == expected


def test_extract_metadata_year_from_file_name() -> None:
    assert extract_metadata(NOT_A_REPORT, "x/某局2022年度政府信息公开工作年度报告.txt")["report_year"] == 2022


def test_extract_metadata_on_one_huge_line_is_fast() -> None:
    start = time.perf_counter()
    extract_metadata("年" * 2_000_000 + "2024-01-24", None)
    assert time.perf_counter() - start < 2


# ---------------------------------------------------------------- scale


@pytest.mark.slow
def test_thousand_files_give_thousand_records(tmp_path: Path) -> None:
    small = [DEV / n for n in ("seed000.txt", "seed003.txt", "r020.txt", "r021.txt", "r035.txt", "seed001.txt")]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    garbage = _garbage(tmp_path)
    for i in range(1000):
        if i % 20 == 7:  # 5 % garbage
            name = sorted(garbage)[i % len(garbage)]
            shutil.copy(tmp_path / name, corpus / f"{i:04d}-{name}.txt")  # a suffix the walk picks up
        else:
            src = small[i % len(small)]
            shutil.copy(src, corpus / f"{i:04d}-{src.name}")
    out = tmp_path / "out.jsonl"
    start = time.perf_counter()
    code = _cli(str(corpus), "-o", str(out), "--jobs", "2")
    elapsed = time.perf_counter() - start
    docs = _jsonl(out)
    assert len(docs) == 1000 and len({d["source"] for d in docs}) == 1000
    assert code == 1  # the garbage holds empty and binary files
    assert elapsed < 60, f"1000 files took {elapsed:.1f} s"


@pytest.fixture
def thawed_after() -> Iterator[None]:
    """Thaw the test process's heap after a test that really settles it (frozen objects are invisible to
    ``gc.get_referrers``, which later tests and plugins use)."""
    import gc

    yield
    gc.unfreeze()


def test_the_heap_is_settled_after_every_parse(monkeypatch: pytest.MonkeyPatch, thawed_after: None) -> None:
    import gc

    calls: list[str] = []
    collect, freeze = gc.collect, gc.freeze
    monkeypatch.setattr(gc, "collect", lambda *args: calls.append("collect") or collect(*args))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze") or freeze())
    example = str(Path(batch_run.__file__).parent / "examples" / "jingan-hrss-2023.txt")
    for _ in range(3):
        assert batch_run.parse_one(example).status == "ok"
    assert calls == ["collect", "freeze"] * 3  # the garbage collected before what is alive is frozen


def test_settling_the_heap_frees_garbage_cycles_rather_than_freezing_them(thawed_after: None) -> None:
    import gc
    import weakref

    class Node:
        pass

    node = Node()
    node.itself = node  # type: ignore[attr-defined]  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    del node
    batch_run.settle_heap()
    assert alive() is None
    kept = Node()
    batch_run.settle_heap()
    assert gc.get_freeze_count() > 0
    kept_alive = weakref.ref(kept)
    del kept  # frozen, but holding no cycle: freed by reference counting all the same
    assert kept_alive() is None


def test_garbage_frozen_while_alive_is_freed_by_the_periodic_full_collection(
        monkeypatch: pytest.MonkeyPatch, thawed_after: None) -> None:
    import weakref

    class Node:
        pass

    monkeypatch.setattr(batch_run, "SETTLES_PER_FULL_COLLECTION", 3)
    monkeypatch.setattr(batch_run, "_settles", 0)
    node = Node()
    node.itself = node  # type: ignore[attr-defined]
    alive = weakref.ref(node)
    batch_run.settle_heap()  # frozen while alive
    del node  # now a garbage cycle among the frozen objects
    batch_run.settle_heap()
    assert alive() is not None  # a settle does not look at the frozen objects
    batch_run.settle_heap()  # the third: the whole heap thawed and collected
    assert alive() is None
