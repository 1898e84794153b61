"""Soak the batch command: many mixed inputs, SIGKILL at random moments, resume, check every output.

For each output format, ``gxparse parse DIR -o OUT`` runs over a corpus of real reports (the dev
and wild corpora, copied under new names until the corpus has ``--inputs`` files) mixed with
hostile ones (``tests/hostile.py`` at the sizes of issue 10, ``--hostile-share`` of the corpus).
The run is killed (SIGKILL to the command and its workers) at random moments ``--kills`` times
and resumed with ``--resume`` each time, then resumed to the end. The script then checks:

* one record per input in ``reports`` (or JSONL lines), no duplicate, none lost;
* no duplicate cell (report, table, row, column), and each report's cells as many as it says;
* every output readable (JSONL parsed, CSV with the csv module, Parquet with pyarrow, DuckDB);
* peak resident memory of every worker process (sampled) under ``--max-memory``;
* each hostile kind: its outcome, and time and peak memory in a fresh process (< 5 s, < 1 GB).

Prints a JSON summary and a Markdown table for BENCHMARKS.md; exits 1 if a check fails.

Usage::

    python scripts/soak.py --inputs 1000 --kills 3 --jobs 2 --workdir /tmp/gxsoak
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import hostile  # noqa: E402  (a test helper, shared with tests/test_reliability.py)

REAL_DIRS = [ROOT / "training_data" / "dev", Path("/work/shared/corpus/wild")]
REAL_SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".md", ".docx"}
FORMATS = ("jsonl", "csv", "parquet", "duckdb")
HOSTILE_SECONDS = 5.0
HOSTILE_BYTES = 2**30
_SAMPLE_SECONDS = 0.2
_PROBE = """
import sys, time, gxparse
gxparse.parse_file(sys.argv[2])
start = time.perf_counter()
try:
    report = gxparse.parse_file(sys.argv[1])
    outcome = f"result ({report.template or 'no table'}; {len(report.warnings)} warning(s))"
except gxparse.GxParseError as exc:
    outcome = type(exc).__name__
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so it would report the soak's own peak
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(f"{seconds:.3f}\\t{peak_kb * 1024}\\t{outcome}")
"""


def build_corpus(directory: Path, n_inputs: int, hostile_share: float, rng: random.Random) -> dict[str, str]:
    """Write the corpus; return {file name: kind} (``real`` or the hostile file's name)."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    real = sorted(p for d in REAL_DIRS if d.is_dir() for p in d.iterdir()
                  if p.suffix.lower() in REAL_SUFFIXES and not p.name.endswith(".pdftext.txt"))
    hostile_files = hostile.hostile_files()
    n_hostile = max(len(hostile_files), round(n_inputs * hostile_share))
    kinds: dict[str, str] = {}
    names = list(hostile_files)
    for i in range(n_hostile):
        name = names[i % len(names)]
        file = f"h{i:05d}_{name}"
        (directory / file).write_bytes(hostile_files[name])
        kinds[file] = name
    for i in range(n_inputs - n_hostile):
        source = real[rng.randrange(len(real))]
        file = f"r{i:05d}_{source.name}"
        shutil.copyfile(source, directory / file)
        kinds[file] = "real"
    return kinds


class _MemoryWatch(threading.Thread):
    """Sample the resident memory of a process's descendants (the workers); keep the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                children = psutil.Process(self.pid).children(recursive=True)
                for child in children:
                    self.peak = max(self.peak, child.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(_SAMPLE_SECONDS)


def run_format(fmt: str, corpus: Path, work: Path, args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """Run, kill and resume one format to the end; return its figures."""
    out = work / f"out.{fmt}"
    command = [sys.executable, "-m", "gxparse.cli", "parse", str(corpus), "-o", str(out), "-j", str(args.jobs),
               "-q", "--max-memory", str(args.max_memory), "--timeout", str(args.timeout)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills, runs, peak, start = 0, 0, 0, time.perf_counter()
    exit_code = None
    while exit_code is None:
        argv = command + (["--resume"] if runs else [])
        process = subprocess.Popen(argv, env=env, start_new_session=True, stderr=subprocess.PIPE, text=True)
        watch = _MemoryWatch(process.pid)
        watch.start()
        runs += 1
        try:
            if kills < args.kills:
                process.wait(timeout=rng.uniform(args.min_kill_after, args.max_kill_after))
            else:
                process.wait()
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the command and its workers, mid-write
            process.wait()
            kills += 1
        finally:
            watch.stop.set()
            watch.join()
            peak = max(peak, watch.peak)
        stderr = process.stderr.read() if process.stderr else ""
        if process.returncode in (0, 1):
            exit_code = process.returncode
        elif process.returncode != -signal.SIGKILL:
            raise SystemExit(f"{fmt}: gxparse parse exited {process.returncode}: {stderr[-2000:]}")
    seconds = time.perf_counter() - start
    return {"format": fmt, "runs": runs, "kills": kills, "exit_code": exit_code, "seconds": round(seconds, 1),
            "peak_worker_rss_mb": round(peak / 2**20), **check_output(fmt, out)}


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_tables(fmt: str, out: Path) -> dict[str, list[dict[str, Any]]]:
    """Read an output back with the format's own reader: {table: rows}."""
    if fmt == "jsonl":
        docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return {"reports": [{"source": d["source"], "status": d["status"], "message": d["message"],
                             "n_cells": len(d["cells"])} for d in docs],
                "cells": [{"source": d["source"], "key": key} for d in docs for key in d["cells"]]}
    from gxparse.outputs import RECORD_TABLES, table_path

    if fmt == "csv":
        return {t.name: _csv(table_path(out, t.name)) for t in RECORD_TABLES}
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return {t.name: pq.read_table(table_path(out, t.name)).to_pylist() for t in RECORD_TABLES}
    import duckdb

    with duckdb.connect(str(out), read_only=True) as con:
        tables = {}
        for t in RECORD_TABLES:
            cursor = con.execute(f"SELECT * FROM {t.name}")
            names = [d[0] for d in cursor.description]
            tables[t.name] = [dict(zip(names, row)) for row in cursor.fetchall()]
        return tables


def check_output(fmt: str, out: Path) -> dict[str, Any]:
    """Return the record counts of an output: records, duplicates, lost inputs, duplicate cells."""
    tables = read_tables(fmt, out)
    reports = tables["reports"]
    sources = Counter(row["source"] for row in reports)
    corpus = {str(p) for p in Path(out.parent / "corpus").iterdir()}
    if fmt == "jsonl":
        cell_keys = Counter((row["source"], row["key"]) for row in tables["cells"])
    else:
        cell_keys = Counter((row["report_id"], row["table_key"], row["row_key"], row["col_key"])
                            for row in tables["cells"])
    per_report = Counter(row["report_id"] if fmt != "jsonl" else row["source"] for row in tables["cells"])
    wrong_counts = sum(1 for row in reports if int(row["n_cells"]) != per_report[row.get("report_id", row["source"])])
    return {"records": len(reports), "duplicates": sum(n - 1 for n in sources.values() if n > 1),
            "lost": len(corpus - set(sources)), "duplicate_cells": sum(n - 1 for n in cell_keys.values() if n > 1),
            "reports_with_wrong_cell_count": wrong_counts, "cells": len(tables["cells"]),
            "statuses": dict(Counter(row["status"] for row in reports)),
            "hostile_outcomes": hostile_outcomes(reports)}


def hostile_outcomes(reports: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Count the outcomes of the hostile inputs by kind: status plus error type."""
    outcomes: dict[str, Counter[str]] = {}
    for row in reports:
        name = Path(row["source"]).name
        if not name.startswith("h"):
            continue
        kind = name.split("_", 1)[1]
        error = row["message"].split(":")[0] if row["status"] in ("error", "skipped") else ""
        outcomes.setdefault(kind, Counter())[f"{row['status']} {error}".strip()] += 1
    return {kind: dict(counter) for kind, counter in sorted(outcomes.items())}


def probe_hostile(work: Path) -> list[dict[str, Any]]:
    """Parse each hostile kind in a fresh, warmed-up process; return time, peak memory and outcome."""
    directory = work / "probe"
    directory.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rows = []
    for name, data in hostile.hostile_files().items():
        file = directory / name
        file.write_bytes(data)
        line = subprocess.run([sys.executable, "-c", _PROBE, str(file), str(hostile.EXAMPLE)], env=env,
                              capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        seconds, peak, outcome = line.split("\t")
        rows.append({"input": name, "bytes": len(data), "seconds": float(seconds),
                     "peak_rss_mb": int(peak) // 2**20, "outcome": outcome,
                     "ok": float(seconds) < HOSTILE_SECONDS and int(peak) < HOSTILE_BYTES})
    return rows


def markdown(summary: dict[str, Any]) -> str:
    """Render the figures as the Markdown of BENCHMARKS.md's soak section."""
    lines = [f"Inputs: {summary['inputs']} ({summary['hostile']} hostile, {summary['hostile_share']:.1%}); "
             f"workers: {summary['jobs']}; --max-memory {summary['max_memory_mb']} MB, "
             f"--timeout {summary['timeout']} s.", "",
             "| format | runs | kills survived | records | duplicates | lost | duplicate cells | cells | "
             "peak worker RSS | wall s | inputs/s |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in summary["formats"]:
        lines.append(f"| {r['format']} | {r['runs']} | {r['kills']} | {r['records']} | {r['duplicates']} | {r['lost']} "
                     f"| {r['duplicate_cells']} | {r['cells']} | {r['peak_worker_rss_mb']} MB | {r['seconds']} | "
                     f"{summary['inputs'] / r['seconds']:.1f} |")
    return "\n".join(lines) + "\n\n" + hostile_markdown(summary["hostile_probe"])


def hostile_markdown(probe: list[dict[str, Any]]) -> str:
    """Render the hostile probe as a Markdown table."""
    lines = ["| hostile input | bytes | seconds | peak RSS | outcome |", "|---|---|---|---|---|"]
    lines += [f"| {r['input']} | {r['bytes']:,} | {r['seconds']:.2f} | {r['peak_rss_mb']} MB | {r['outcome']} |"
              for r in probe]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--hostile-share", type=float, default=0.06)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--min-kill-after", type=float, default=5.0, help="seconds into a run, at least")
    parser.add_argument("--max-kill-after", type=float, default=40.0, help="seconds into a run, at most")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-memory", type=int, default=1024, help="MB per worker")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/gxparse-soak"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--probe-only", action="store_true", help="only time the hostile inputs, one process each")
    args = parser.parse_args()
    if args.inputs < 1 or not 0 < args.hostile_share < 1 or args.kills < 0:
        parser.error("--inputs must be positive, --hostile-share in (0, 1), --kills 0 or more")
    rng = random.Random(args.seed)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.probe_only:
        probe = probe_hostile(args.workdir)
        print(hostile_markdown(probe))
        return 0 if all(r["ok"] for r in probe) else 1
    kinds = build_corpus(args.workdir / "corpus", args.inputs, args.hostile_share, rng)
    results = []
    for fmt in args.formats:
        for old in args.workdir.glob(f"out.{fmt}*"):
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        for old in args.workdir.glob(f"out.*.{fmt}"):
            old.unlink()
        results.append(run_format(fmt, args.workdir / "corpus", args.workdir, args, rng))
        print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr)
    n_hostile = sum(1 for kind in kinds.values() if kind != "real")
    summary = {"inputs": len(kinds), "hostile": n_hostile, "hostile_share": n_hostile / len(kinds), "jobs": args.jobs,
               "max_memory_mb": args.max_memory, "timeout": args.timeout, "formats": results,
               "hostile_probe": probe_hostile(args.workdir)}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(markdown(summary))
    failed = [r["format"] for r in results if r["duplicates"] or r["lost"] or r["duplicate_cells"]
              or r["reports_with_wrong_cell_count"] or r["peak_worker_rss_mb"] > args.max_memory]
    failed += [r["input"] for r in summary["hostile_probe"] if not r["ok"]]
    if failed:
        print(f"soak: FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
