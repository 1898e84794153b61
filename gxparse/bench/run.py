"""Run the parser over annotated reports and collect scores and timings (:func:`run_bench`).

A run parses each report once, after one untimed warm-up parse, scores it with
:func:`gxparse.bench.metrics.score_report`, and measures speed: per-report parse time, the cold
start of ``gxparse parse`` on the bundled example (median of fresh processes: import + first parse)
and the size of the model file. A report
whose parse raises is recorded with its error message; the run goes on.

Beside each parse the run times the *floor* of the same input: reading its bytes and pulling its
numbers out with one regular expression (:func:`floor_ms`), the least any parser must do. Speed
figures are given with their ratio to the floor's, so runs on a busy or a fast machine compare.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from gxparse import __version__
from gxparse.batch_run import settle_heap
from gxparse.bench.layouts import infer_layout
from gxparse.bench.metrics import CellResult, ReportScore, score_report, summarize
from gxparse.errors import DataError
from gxparse.parser import parse_file
from gxparse.realign import RealignModel, load_model
from gxparse.report import Report

DEFAULT_SEED = 12345  # the benchmark's synthetic set; never used for training
SYNTHETIC_SET = "synthetic"
DEFAULT_TEMPLATES = ("gov2021", "gov2019", "legacy")
COLD_START_TIMEOUT_S = 300
COLD_START_RUNS = 5
"""Fresh ``gxparse parse`` processes timed for the cold start; their median is reported (issue 11)."""
COLD_START_EXAMPLE = "jingan-hrss-2023.txt"
"""The bundled example (``gxparse/examples/``) the cold start parses: one text report, the same every run."""

# What the ``gxparse`` console script does, with the import of the package and of the CLI timed apart;
# the timings go to standard error, the command's JSON to standard output.
_COLD_START_CODE = (
    "import sys, time; t0 = time.perf_counter(); import gxparse; t1 = time.perf_counter(); "
    "import gxparse.cli; t2 = time.perf_counter(); status = gxparse.cli.main(sys.argv[1:]); t3 = time.perf_counter(); "
    "import json; print(json.dumps({'import_s': t1 - t0, 'cli_import_s': t2 - t1, 'first_parse_s': t3 - t2}), "
    "file=sys.stderr); sys.exit(status)"
)


@dataclass(frozen=True)
class GoldEntry:
    """A gold annotation, the path of its input, and the name of the set it came from."""

    gold: dict[str, Any]
    input_path: Path
    set: str


@dataclass
class BenchResult:
    """The outcome of :func:`run_bench`: configuration, per-report scores and speed.

    ``figures`` (accuracy, identities, confidence, breakdowns) are computed from ``reports``.
    """

    config: dict[str, Any]
    reports: list[ReportScore]
    speed: dict[str, Any] = field(default_factory=dict)

    @property
    def figures(self) -> dict[str, Any]:
        """The aggregated accuracy figures (see :func:`gxparse.bench.metrics.summarize`)."""
        return summarize(self.reports)

    @property
    def cells(self) -> list[CellResult]:
        """Every assessed gold cell, over all reports."""
        return [c for r in self.reports for c in r.cells]

    @property
    def wrong_cells(self) -> list[CellResult]:
        """The assessed gold cells read wrong (absent ones included)."""
        return [c for c in self.cells if not c.correct]

    @property
    def errors(self) -> list[dict[str, str]]:
        """``{"report", "input", "error"}`` for every report whose parse raised."""
        return [{"report": r.id, "input": r.input, "error": r.error} for r in self.reports if r.error]

    def to_dict(self) -> dict[str, Any]:
        """Return everything as plain data (the ``--json`` output)."""
        return {"config": self.config, "figures": self.figures, "speed": self.speed, "errors": self.errors,
                "reports": [r.summary() for r in self.reports],
                "wrong_cells": [c.to_dict() for c in self.wrong_cells],
                "cells": [{"report": c.report, "address": c.address, "correct": c.correct,
                           "confidence": c.confidence, "warned": c.warned} for c in self.cells]}


# ---------------------------------------------------------------------------------------------
# inputs


def load_golds(paths: Sequence[str | os.PathLike[str]], *, set_name: str | None = None) -> list[GoldEntry]:
    """Read the gold annotations under ``paths`` (gold JSON files or directories of them).

    Inputs are resolved relative to each gold file. The set name of an entry is ``set_name``,
    else the name of the directory holding its gold file.

    Raises
    ------
    DataError
        A path does not exist, or a gold file is not JSON or has no ``input``.
    """
    entries = []
    for path in map(Path, paths):
        if not path.exists():
            raise DataError(f"no such gold file or directory: {path}")
        for gold_path in sorted(path.glob("*.json")) if path.is_dir() else [path]:
            try:
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
                input_path = gold_path.parent / gold["input"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise DataError(f"{gold_path}: not a gold annotation ({type(exc).__name__}: {exc})") from exc
            gold.setdefault("id", gold_path.stem)
            entries.append(GoldEntry(gold, input_path, set_name or gold_path.parent.name))
    return entries


# ---------------------------------------------------------------------------------------------
# model


def _model_file(model: str | os.PathLike[str] | RealignModel | None) -> Path | None:
    """The model artifact file a run uses (``None`` for an in-memory model)."""
    if isinstance(model, RealignModel):
        return None
    if model is not None:
        path = Path(model)
        return path / "realign.json" if path.is_dir() else path
    if os.environ.get("GXPARSE_MODEL"):
        return _model_file(os.environ["GXPARSE_MODEL"])
    return Path(str(resources.files("gxparse") / "_model" / "realign.json"))


def _resolve_model(placer: str, model: str | os.PathLike[str] | RealignModel | None) -> RealignModel | None:
    """Load the model once, up front, so a missing or incompatible model fails the run early."""
    if placer != "model":
        return None
    if model is None:
        return load_model()
    return model if isinstance(model, RealignModel) else RealignModel.load(model)


def _model_config(model: str | os.PathLike[str] | RealignModel | None, loaded: RealignModel | None) -> dict[str, Any]:
    if loaded is None:
        return {"model": None, "model_version": None, "model_bytes": None}
    path = _model_file(model)
    size = path.stat().st_size if path is not None and path.exists() else None
    return {"model": str(path) if path else "<in-memory>", "model_version": loaded.version, "model_bytes": size}


# ---------------------------------------------------------------------------------------------
# parsing and scoring


def _parse(entry: GoldEntry, placer: str,
           model: RealignModel | None) -> tuple[Report | None, float | None, float | None, str | None]:
    """Parse one input; return ``(report, wall ms, CPU ms, None)`` or ``(None, None, None, error message)``.

    The CPU time (this process's, :func:`time.process_time`) is the steadier figure on a machine
    shared with other jobs: it does not count the time spent waiting for a core.
    """
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        report = parse_file(entry.input_path, placer=placer, model=model)
        settle_heap()  # as a batch does after each input (its cost counted with the parse's)
    except Exception as exc:  # noqa: BLE001 - one failing report is a measurement, not a crash
        return None, None, None, f"{type(exc).__name__}: {exc}"
    return report, (time.perf_counter() - start) * 1000.0, (time.process_time() - cpu_start) * 1000.0, None


_FLOOR_NUMBER = re.compile(rb"\d+(?:\.\d+)?")


def floor_ms(path: Path) -> float:
    """Milliseconds to read ``path`` and find every number in its bytes with one regex: the floor of a parse."""
    start = time.perf_counter()
    _FLOOR_NUMBER.findall(path.read_bytes())
    return (time.perf_counter() - start) * 1000.0


def _score(entry: GoldEntry, report: Report | None, ms: float | None, cpu_ms: float | None,
           error: str | None) -> ReportScore:
    layout = str(entry.gold.get("layout") or infer_layout(entry.input_path))
    result = report.to_dict() if report is not None else None
    score = score_report(entry.gold, result, text=report.text if report else None, error=error,
                         set_name=entry.set, layout=layout)
    score.parse_ms = ms
    score.parse_cpu_ms = cpu_ms
    score.floor_ms = floor_ms(entry.input_path) if entry.input_path.exists() else None
    score.input_bytes = entry.input_path.stat().st_size if entry.input_path.exists() else 0
    score.text_chars = len(report.text) if report else 0
    return score


def _bench_entries(entries: Sequence[GoldEntry], placer: str, model: RealignModel | None) -> list[ReportScore]:
    if entries:
        _parse(entries[0], placer, model)  # warm-up: imports, model load, caches
    return [_score(e, *_parse(e, placer, model)) for e in entries]


# ---------------------------------------------------------------------------------------------
# speed


def time_cold_start(placer: str = "model", model_file: Path | None = None, *, runs: int | None = None) -> dict[str, Any]:
    """Time ``gxparse parse`` on the bundled example in fresh interpreters; report the medians.

    ``runs`` processes are started one after another (default :data:`COLD_START_RUNS`).
    ``wall_s`` is the median wall time of a whole process (interpreter start to exit), as a person
    running the command sees it; ``runs_s`` lists every run. Inside each process ``import_s`` times
    ``import gxparse``, ``cli_import_s`` the command-line modules on top, and ``first_parse_s`` the
    command itself (the first parse, which loads spaCy, jieba's dictionary and the model, and the
    JSON output); each is the median over the runs. ``error`` says why a run failed (no figures then).
    """
    example = Path(str(resources.files("gxparse") / "examples" / COLD_START_EXAMPLE))
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    if placer == "model" and model_file is not None:
        env["GXPARSE_MODEL"] = str(model_file)  # the packaged model, unless the run uses another file
    command = [sys.executable, "-c", _COLD_START_CODE, "parse", "--placer", placer, str(example)]
    runs = COLD_START_RUNS if runs is None else runs
    walls: list[float] = []
    inner: list[dict[str, float]] = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            proc = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  timeout=COLD_START_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return {"input": str(example), "error": f"{type(exc).__name__}: {exc}"}
        walls.append(time.perf_counter() - start)
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        if proc.returncode != 0:
            return {"input": str(example), "error": f"exit {proc.returncode}: {last}"}
        inner.append(json.loads(last))
    medians = {key: float(np.median([run[key] for run in inner])) for key in inner[0]} if inner else {}
    return {"input": str(example), "runs": runs, "runs_s": walls, "wall_s": float(np.median(walls)) if walls else None,
            **medians, "error": None}


SPEED_STATS = ("median", "p95", "p99", "max")


def _stats(times: np.ndarray) -> dict[str, float]:
    return {"median": float(np.median(times)), "p95": float(np.percentile(times, 95)),
            "p99": float(np.percentile(times, 99)), "max": float(times.max())}


def speed_figures(reports: Sequence[ReportScore]) -> dict[str, Any]:
    """Median, p95, p99, mean and max parse time (ms) of the timed parses, and reports per second of parsing.

    ``reports_per_s`` is the number of timed reports over their summed parse time (scoring and
    the warm-up parse excluded); ``parse_cpu_ms_<stat>`` are the same statistics of CPU time.
    ``floor_ms_<stat>`` is the same statistic of the read + regex
    floor over the same reports (:func:`floor_ms`), ``floor_ratio_<stat>`` the parse figure over it,
    and ``floor_reports_per_s`` / ``floor_ratio_reports_per_s`` the floor's throughput and how many
    times the parser's it is.
    """
    timed = [r for r in reports if r.parse_ms is not None]
    times = np.array([r.parse_ms for r in timed], dtype=float)
    if not times.size:
        return {"timed_reports": 0, "parse_ms_median": None, "parse_ms_p95": None, "parse_ms_p99": None,
                "parse_ms_mean": None, "parse_ms_max": None, "reports_per_s": None}
    parse = _stats(times)
    out: dict[str, Any] = {"timed_reports": int(times.size), **{f"parse_ms_{k}": v for k, v in parse.items()},
                           "parse_ms_mean": float(times.mean()),
                           "reports_per_s": float(times.size / (times.sum() / 1000.0))}
    cpu = np.array([r.parse_cpu_ms for r in timed if r.parse_cpu_ms is not None], dtype=float)
    if cpu.size == times.size:
        out.update({f"parse_cpu_ms_{k}": v for k, v in _stats(cpu).items()})
    floors = np.array([r.floor_ms for r in timed if r.floor_ms is not None], dtype=float)
    if floors.size == times.size and floors.sum() > 0:
        floor = _stats(floors)
        out.update({f"floor_ms_{k}": v for k, v in floor.items()})
        out.update({f"floor_ratio_{k}": parse[k] / floor[k] if floor[k] > 0 else None for k in SPEED_STATS})
        out["floor_reports_per_s"] = float(floors.size / (floors.sum() / 1000.0))
        out["floor_ratio_reports_per_s"] = out["floor_reports_per_s"] / out["reports_per_s"]
    return out


# ---------------------------------------------------------------------------------------------
# the run


def run_bench(paths: Sequence[str | os.PathLike[str]], *, placer: str = "model",
              model: str | os.PathLike[str] | RealignModel | None = None, synthetic: int = 0,
              seed: int = DEFAULT_SEED, templates: Sequence[str] = DEFAULT_TEMPLATES,
              variants: float | str | None = None, cold_start: bool = True) -> BenchResult:
    """Parse and score every annotated report under ``paths`` (plus an optional synthetic set).

    Parameters
    ----------
    paths:
        Gold JSON files or directories of them; inputs are resolved relative to each gold file.
    placer:
        ``"model"``, ``"rules"`` or ``"baseline"`` (see :mod:`gxparse.place`).
    model:
        A realigner model path (file or directory) or object; default the packaged model
        (or ``$GXPARSE_MODEL``). Ignored by the other placers.
    synthetic:
        Number of synthetic reports to add, generated with ``make_corpus(tmp, synthetic, seed)``.
    seed:
        Seed of the synthetic set (default 12345, a seed reserved for benchmarking).
    templates:
        Template generations of the synthetic set (``gov2021``, ``gov2019``, ``legacy``).
    variants:
        Report variants of the synthetic set (mangled or missing headings, cuts, reordered tables …,
        see :mod:`gxparse.synth.variants`): a rate, ``"all"`` (every report carries at least one) or
        ``"none"``; default the generator's own rate.
    cold_start:
        Also time the cold start of ``gxparse parse`` on the bundled example (:func:`time_cold_start`:
        :data:`COLD_START_RUNS` fresh processes, a few seconds each); it reads the same model file
        (the packaged one when ``model`` is an in-memory object).

    Returns
    -------
    BenchResult
        Nothing is printed; per-report parse errors are recorded in the result.

    Raises
    ------
    DataError
        A gold path is missing or malformed.
    ModelError
        The model cannot be loaded (a configuration error, not a per-report one).
    """
    loaded = _resolve_model(placer, model)
    config = {"paths": [str(p) for p in paths], "placer": placer, "synthetic": synthetic,
              "seed": seed if synthetic else None, "templates": list(templates) if synthetic else None,
              "variants": variants if synthetic else None, **_model_config(model, loaded),
              "python": platform.python_version(), "gxparse_version": __version__}
    entries = load_golds(paths)
    with tempfile.TemporaryDirectory(prefix="gxparse-bench-") as tmp:
        if synthetic:
            from gxparse.synth import make_corpus

            make_corpus(tmp, synthetic, seed=seed, templates=tuple(templates),
                        **({"variants": variants} if variants is not None else {}))
            entries += load_golds([tmp], set_name=SYNTHETIC_SET)
        reports = _bench_entries(entries, placer, loaded)
        speed = speed_figures(reports)
        speed["model_bytes"] = config["model_bytes"]
        speed["cold_start"] = time_cold_start(placer, _model_file(model)) if cold_start else None
    return BenchResult(config, reports, speed)
