"""Reliability at scale (issue 10): bounded inputs, typed errors, tolerant decoding, per-input budgets,
crash-safe and exclusive outputs, every file accounted for, failing fast on configuration errors.

Hostile inputs are built small here, with the limits lowered to match; ``scripts/soak.py`` runs
them at full size with kills and resumes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gxparse
from gxparse import batch_run, labels
from gxparse.batch import BatchResult, add_parse_arguments, parse_many, run_parse
from gxparse.batch_run import InputBudget
from gxparse.errors import (
    EmptyInputError,
    EncodingError,
    GxParseError,
    InputTooLargeError,
    InternalError,
    ResourceLimitError,
)
from gxparse.limits import Limits, get_limits, limits_override, set_limits
from gxparse.outputs import RECORD_TABLES, OutputError, open_writer, read_done_sources, table_path
import hostile  # tests/hostile.py: tests/ is on sys.path (conftest.py lives there)

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "training_data" / "dev"
REPORT = str(DEV / "seed000.txt")


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="gxparse parse")
    add_parse_arguments(parser)
    return run_parse(parser.parse_args([*argv, "--placer", "rules", "--quiet"]))


# ---------------------------------------------------------------- limits and typed errors


def test_a_str_is_held_to_the_byte_limit() -> None:
    with limits_override(max_input_bytes=1000), pytest.raises(InputTooLargeError, match="1,200 bytes"):
        gxparse.parse("规" * 400)  # 400 characters, 1,200 UTF-8 bytes


def test_docx_bomb_is_refused_before_decompressing() -> None:
    pytest.importorskip("docx")
    with limits_override(max_docx_uncompressed_bytes=1_000_000), pytest.raises(InputTooLargeError, match="expands"):
        gxparse.parse(hostile.docx_bomb(5_000_000), source="bomb.docx")


def test_docx_body_over_its_limit_is_refused_before_parsing() -> None:
    """Within the archive's limit, a body larger than ``max_docx_body_bytes`` would take lxml seconds to parse."""
    pytest.importorskip("docx")
    with limits_override(max_docx_body_bytes=1_000_000), pytest.raises(InputTooLargeError, match="body expands"):
        gxparse.parse(hostile.docx_bomb(2_000_000), source="long.docx")
    with limits_override(max_docx_body_bytes=3_000_000), pytest.raises(EmptyInputError):
        gxparse.parse(hostile.docx_bomb(2_000_000), source="long.docx")  # read: its body is only white space


def test_docx_of_too_many_paragraphs_is_refused_before_they_are_read() -> None:
    """Table cells count as paragraphs: a table of 3 x 4 cells and 2 paragraphs is 14."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    document.add_table(rows=3, cols=4)
    document.add_paragraph("规章 13")
    buffer = io.BytesIO()
    document.save(buffer)
    with limits_override(max_docx_paragraphs=13), pytest.raises(InputTooLargeError, match="14 paragraphs"):
        gxparse.parse(buffer.getvalue(), source="long.docx")
    with limits_override(max_docx_paragraphs=14):
        assert "规章 13" in gxparse.parse(buffer.getvalue(), source="long.docx").source_text


def test_long_pdf_is_refused_by_page_count() -> None:
    pytest.importorskip("pdfplumber")
    with limits_override(max_pdf_pages=3), pytest.raises(InputTooLargeError, match="5 pages"):
        gxparse.parse(hostile.many_pages_pdf(5, lines_per_page=2))


def test_pdf_under_the_page_limit_is_read() -> None:
    pytest.importorskip("pdfplumber")
    report = gxparse.parse(hostile.many_pages_pdf(3, lines_per_page=2))
    assert "page 2 line 1" in report.text


def test_html_span_bomb_is_refused() -> None:
    with pytest.raises(InputTooLargeError, match="grid cells"):
        gxparse.parse(hostile.span_bomb_html(300))


def test_over_long_row_is_cut_with_a_warning() -> None:
    report = gxparse.parse(hostile.long_row_text(3000))
    assert report.template == "gov2021"
    assert any("3,000 values; only the first" in w for w in report.warnings)


def test_text_beyond_the_character_limit_is_cut_with_a_warning() -> None:
    text = hostile.example_text()
    with limits_override(max_text_chars=len(text) // 2):
        report = gxparse.parse(text)
    assert any("characters of the text were read" in w for w in report.warnings)


def test_limits_are_validated_and_restored() -> None:
    before = get_limits()
    with pytest.raises(ValueError, match="positive"):
        set_limits(max_pdf_pages=0)
    with pytest.raises(TypeError):
        set_limits(no_such_limit=1)
    with limits_override(max_row_items=5):
        assert get_limits().max_row_items == 5
    assert get_limits() == before


@pytest.mark.parametrize(("raised", "expected"), [
    (RuntimeError("boom"), InternalError), (RecursionError("deep"), InternalError),
    (KeyError("k"), InternalError), (MemoryError(), ResourceLimitError),
])
def test_no_other_exception_escapes_parse(monkeypatch: pytest.MonkeyPatch, raised: BaseException,
                                          expected: type[GxParseError]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr("gxparse.parser.analyze", broken)
    with pytest.raises(expected, match="seed000.txt") as info:
        gxparse.parse_file(REPORT)
    assert info.value.__cause__ is raised
    with pytest.raises(expected):
        gxparse.parse(b"report bytes", source="x")


# ---------------------------------------------------------------- tolerant decoding


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_cut_multibyte_character_at_the_end_is_dropped(encoding: str) -> None:
    report = gxparse.parse(hostile.cut_multibyte(encoding))
    assert report.template == "gov2021"
    assert any("cut short" in w and "byte(s) at the end" in w for w in report.warnings)
    assert "\ufffd" not in report.text


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_stray_bytes_are_replaced_with_a_warning(encoding: str) -> None:
    report = gxparse.parse(hostile.stray_bytes(encoding, n_stray=3))
    assert report.template == "gov2021"
    warning = next(w for w in report.warnings if "replaced" in w)
    assert "replaced 3 undecodable byte(s)" in warning and "offset(s)" in warning


def test_mostly_undecodable_input_raises() -> None:
    with pytest.raises(EncodingError):
        gxparse.parse(bytes(range(0x80, 0x100)) * 40)


# ---------------------------------------------------------------- per-input time and memory in batches


def _slow_for(name: str, seconds: float, monkeypatch: pytest.MonkeyPatch, *, block_timer: bool = False) -> None:
    """Make parsing ``name`` take ``seconds`` (optionally deaf to the timer, like native code).

    Parses a report first, so that loading jieba (inherited by forked workers) is not timed.
    """
    gxparse.parse_file(REPORT, placer="rules")
    real = batch_run._parse_report

    def slow(source: str, *args: object) -> object:
        if source.endswith(name):
            if block_timer:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(seconds)
        return real(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_run, "_parse_report", slow)


def test_timeout_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_for("r201.txt", 30, monkeypatch)
    results = list(parse_many([REPORT, DEV / "r201.txt"], placer="rules", budget=InputBudget(3, None)))
    assert results[0].status == "ok"
    assert results[1].status == "error" and "ResourceLimitError" in results[1].message
    assert "time limit of 3 s" in results[1].message and results[1].seconds < 10


def test_timeout_in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_for("r201.txt", 30, monkeypatch)
    inputs = [REPORT, DEV / "r201.txt", DEV / "r020.txt"]
    results = list(parse_many(inputs, n_jobs=2, placer="rules", budget=InputBudget(3, 2**31)))
    assert [r.status for r in results] == ["ok", "error", "partial"]
    assert "time limit" in results[1].message


def test_worker_deaf_to_the_timer_is_killed_and_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_for("r201.txt", 60, monkeypatch, block_timer=True)
    monkeypatch.setattr(batch_run, "_KILL_GRACE", 0.5)
    inputs = [REPORT, DEV / "r201.txt", DEV / "r020.txt"]
    start = time.monotonic()
    results = list(parse_many(inputs, n_jobs=2, placer="rules", budget=InputBudget(2, None)))
    assert time.monotonic() - start < 40
    assert [r.status for r in results] == ["ok", "error", "partial"]
    assert "killed and replaced" in results[1].message


def test_memory_limit_in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    gxparse.parse_file(REPORT, placer="rules")
    real = batch_run._parse_report

    def greedy(source: str, *args: object) -> object:
        if source.endswith("r201.txt"):
            bytearray(3 * 2**30)  # beyond what the worker may add
        return real(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_run, "_parse_report", greedy)
    inputs = [REPORT, DEV / "r201.txt", DEV / "r020.txt"]
    results = list(parse_many(inputs, n_jobs=1, placer="rules", budget=InputBudget(None, 2 * 2**30)))
    assert [r.status for r in results] == ["ok", "error", "partial"]
    assert results[1].message.startswith("ResourceLimitError: ran out of memory while parsing")


# ---------------------------------------------------------------- outputs: exclusive, crash-safe, resumable


FORMATS = [".jsonl", ".csv", ".parquet", ".duckdb"]


def _need(suffix: str) -> None:
    pytest.importorskip({".parquet": "pyarrow", ".duckdb": "duckdb"}.get(suffix, "json"))


def _records(out: Path, suffix: str) -> dict[str, list[str]]:
    """Return {table: [report_id or source of each row]} of an output, reading it as a user would."""
    if suffix == ".jsonl":
        lines = out.read_text(encoding="utf-8").splitlines()
        return {"reports": [json.loads(line)["source"] for line in lines]}
    if suffix == ".duckdb":
        import duckdb

        with duckdb.connect(str(out), read_only=True) as con:
            return {t.name: [r[0] for r in con.execute(f"SELECT report_id FROM {t.name}").fetchall()]
                    for t in RECORD_TABLES}
    import pandas as pd

    def read(path: Path) -> pd.DataFrame:
        return pd.read_csv(path, dtype=str) if suffix == ".csv" else pd.read_parquet(path)

    return {t.name: list(read(table_path(out, t.name))["report_id"]) for t in RECORD_TABLES}


@pytest.mark.parametrize("suffix", FORMATS)
def test_sigkill_then_resume_gives_one_record_per_input(tmp_path: Path, suffix: str) -> None:
    _need(suffix)
    inputs = [str(DEV / name) for name in ("seed000.txt", "r020.txt", "r201.txt", "seed003.txt", "r025.html")]
    out = tmp_path / f"out{suffix}"
    script = ("import time, sys; from gxparse import batch_run, cli\n"
              "real = batch_run._parse_report\n"
              "def slow(*a):\n    time.sleep(0.4)\n    return real(*a)\n"
              "batch_run._parse_report = slow\n"
              "sys.exit(cli.main(sys.argv[1:]))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-c", script, "parse", *inputs, "-o", str(out), "--placer", "rules", "-q",
            "--max-memory", "0"]
    process = subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL)
    lock = out.with_name(out.name + ".lock")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not lock.exists():  # the writer is open: parsing starts
        time.sleep(0.02)
    time.sleep(1.0)  # about two inputs in
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL  # killed mid-run, not finished
    assert _cli(*inputs, "-o", str(out), "--resume", "--max-memory", "0") == 0
    tables = _records(out, suffix)
    assert len(tables["reports"]) == len(set(tables["reports"])) == len(inputs)
    if suffix != ".jsonl":
        full = tmp_path / f"full{suffix}"
        assert _cli(*inputs, "-o", str(full), "--max-memory", "0") == 0
        expected = _records(full, suffix)
        for name, rows in tables.items():
            assert sorted(rows) == sorted(expected[name]), name  # no duplicate cell, nothing lost


@pytest.mark.parametrize("suffix", FORMATS)
def test_resume_reparses_error_records(tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _need(suffix)
    out = tmp_path / f"out{suffix}"
    inputs = [REPORT, str(DEV / "r020.txt")]
    with monkeypatch.context() as patch:
        _slow_for("r020.txt", 10, patch)
        assert _cli(*inputs, "-o", str(out), "--timeout", "3", "--max-memory", "0") == 1
    assert read_done_sources(suffix.lstrip("."), str(out)) == {REPORT}
    assert _cli(*inputs, "-o", str(out), "--resume", "--max-memory", "0") == 0
    assert read_done_sources(suffix.lstrip("."), str(out)) == set(inputs)
    assert len(_records(out, suffix)["reports"]) == 2


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_rows_of_an_uncommitted_input_are_dropped_on_resume(tmp_path: Path, suffix: str) -> None:
    _need(suffix)
    out = tmp_path / f"out{suffix}"
    assert _cli(REPORT, "-o", str(out), "--max-memory", "0") == 0
    n_cells = len(_records(out, suffix)["cells"])
    if suffix == ".csv":  # a kill after the cells of a second input, before its reports row
        with open(out, "a", encoding="utf-8") as f:
            f.write("abcdefabcdef,other.txt,,,,gov2021,t,r,c,1,1.0,,1,0,1,0,1,1.0,,\nabcdefabcdef,oth")
    else:  # a kill while writing a segment: cells written, reports not yet renamed into place
        import pyarrow.parquet as pq

        parts = out.with_name(out.name + ".parts")
        parts.mkdir()
        pq.write_table(pq.read_table(out), parts / "000001.cells.parquet")
    assert _cli(REPORT, "-o", str(out), "--resume", "--max-memory", "0") == 0
    assert len(_records(out, suffix)["cells"]) == n_cells


def test_second_writer_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with open_writer("jsonl", str(out)):
        with pytest.raises(OutputError, match="another process"):
            open_writer("jsonl", str(out), overwrite=True)
        assert _cli(REPORT, "-o", str(out), "--overwrite") == 2
    assert not out.with_name("out.jsonl.lock").exists()


@pytest.mark.parametrize("suffix", FORMATS)
def test_existing_output_needs_resume_or_overwrite(tmp_path: Path, suffix: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _need(suffix)
    out = tmp_path / f"out{suffix}"
    assert _cli(REPORT, "-o", str(out), "--max-memory", "0") == 0
    before = out.stat().st_mtime_ns
    assert _cli(REPORT, "-o", str(out)) == 2
    assert "--overwrite" in capsys.readouterr().err and out.stat().st_mtime_ns == before
    assert _cli(str(DEV / "r020.txt"), "-o", str(out), "--overwrite", "--max-memory", "0") == 0
    assert len(_records(out, suffix)["reports"]) == 1


def test_tidy_outputs_keep_what_the_json_has(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "gx.duckdb"
    assert _cli(REPORT, str(DEV / "r201.txt"), "-o", str(out), "--max-memory", "0") == 0
    report = gxparse.parse_file(DEV / "r201.txt", placer="rules")
    with duckdb.connect(str(out), read_only=True) as con:
        reserved = {r[0] for r in con.execute(
            "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'").fetchall()}
        for table in RECORD_TABLES:
            types = dict(con.execute(f"SELECT column_name, data_type FROM information_schema.columns "
                                     f"WHERE table_name = '{table.name}'").fetchall())
            assert not reserved & set(types), table.name
        assert dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = 'cells' AND column_name LIKE 'value_%'").fetchall()) == {
            "value_int": "BIGINT", "value_num": "DOUBLE", "value_text": "VARCHAR"}
        rid = con.execute("SELECT report_id FROM reports WHERE source LIKE '%r201.txt'").fetchone()[0]
        checks = con.execute("SELECT count(*) FROM checks WHERE report_id = ?", [rid]).fetchone()[0]
        warnings = con.execute("SELECT count(*) FROM warnings WHERE report_id = ?", [rid]).fetchone()[0]
        assert (checks, warnings) == (len(report.checks), len(report.warnings))
        cell = con.execute("SELECT raw, span_start, span_end, confidence, value_int FROM cells WHERE report_id = ? "
                           "AND value_int IS NOT NULL LIMIT 1", [rid]).fetchone()
        assert cell[1] is not None and cell[2] > cell[1] and cell[3] is not None and isinstance(cell[4], int)


# ---------------------------------------------------------------- every input accounted for, fail fast


def test_every_file_of_a_directory_gets_a_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "report").write_bytes(hostile.example_text().encode("gb18030"))  # no suffix: sniffed
    (corpus / "page.aspx").write_text("<html><p>通知</p></html>", encoding="utf-8")
    (corpus / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))
    (corpus / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    (corpus / "annotation.json").write_text('{"template": "gov2021"}', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    parser = argparse.ArgumentParser()
    add_parse_arguments(parser)
    assert run_parse(parser.parse_args([str(corpus), "-o", str(out), "--placer", "rules", "--max-memory", "0"])) == 0
    statuses = {Path(d["source"]).name: d["status"] for d in map(json.loads, out.read_text().splitlines())}
    assert statuses == {"report": "ok", "page.aspx": "no_tables", "photo.jpg": "skipped", "old.doc": "skipped",
                        "annotation.json": "skipped"}
    assert "1 ok, 0 partial, 1 no_tables, 0 error, 3 skipped" in capsys.readouterr().err


def test_configuration_errors_fail_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    parser = argparse.ArgumentParser()
    add_parse_arguments(parser)
    args = parser.parse_args([REPORT, "-o", str(out), "--model", str(tmp_path / "missing-model"), "-q"])
    assert run_parse(args) == 2 and not out.exists()
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    assert _cli(str(tmp_path / "a.pdf"), "-o", str(out)) == 2 and not out.exists()
    assert _cli(REPORT, "-o", str(tmp_path / "no" / "dir" / "out.jsonl")) == 2
    assert _cli(str(tmp_path / "nothing-*.txt"), "-o", str(out)) == 2 and not out.exists()


def test_nothing_to_check_is_a_failure(tmp_path: Path) -> None:
    from gxparse.cli import main

    assert main(["check-data", str(tmp_path)]) == 1
    with pytest.raises(SystemExit) as exc:
        main(["train", str(tmp_path), "-o", str(tmp_path / "m"), "--synthetic", "-1"])
    assert exc.value.code == 2
    assert main(["train", str(tmp_path), "-o", str(tmp_path / "no" / "dir" / "m")]) == 2  # before training


def test_jieba_cache_is_per_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert labels._jieba_cache_dir() == str(tmp_path / "gxparse") and (tmp_path / "gxparse").is_dir()


def test_results_travel_as_plain_data_with_skipped_status() -> None:
    result = BatchResult("x.png", "skipped", "BinaryInputError: binary")
    assert BatchResult.from_dict(result.to_dict()) == result


def test_readme_duckdb_query_runs(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    out = tmp_path / "gx.duckdb"
    assert _cli(str(hostile.EXAMPLE), REPORT, "-o", str(out), "--max-memory", "0") == 0
    with duckdb.connect(str(out), read_only=True) as con:
        rows = con.execute(query).fetchall()
    assert ("上海市静安区人力资源和社会保障局", 2023, 15) in rows


def test_readme_lists_every_limit_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`max_"):
            listed[cells[0].split("`")[1]] = int(cells[1].replace(",", ""))
    defaults = Limits()
    assert listed == {name: getattr(defaults, name) for name in defaults.__slots__}
