"""Where the cold start of ``gxparse parse FILE`` goes: per-stage wall and CPU time, median of fresh processes.

Each run is a fresh interpreter that does, stage by stage, what ``gxparse parse FILE`` does for
one text report, with a timestamp after each stage: import gxparse, import the CLI, read the
input, load the realigner JSON and the CRF, import spaCy and jieba, build ``spacy.blank("zh")``
with the jieba segmenter and its dictionary index, the first parse, and the JSON output. The
interpreter start is timed as ``python -c pass``; the process's wall time minus the stages is its
start and exit (the exit as ``gxparse.cli.main`` leaves it: objects frozen, not collected). CPU
time (``time.process_time``) is printed beside wall time because the machine is shared: it moves
much less with the load than wall time does.

    PYTHONPATH=. python scripts/cold_start_breakdown.py gxparse/examples/jingan-hrss-2023.txt --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_STAGES_CODE = r"""
import sys, time
marks = [("start", time.perf_counter(), time.process_time())]
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))
import gxparse; mark("import gxparse")
import gxparse.cli, gxparse.batch_cli
gxparse.cli._freeze_objects_at_exit()  # as gxparse.cli.main does
mark("import CLI (parse command)")
from gxparse.sources import read_source
read_source(sys.argv[1]); mark("read input")
from gxparse.realign import load_model
model = load_model(); mark("realigner JSON")
from gxparse.locator import packaged_tagger
(model.locator or packaged_tagger())._crf(); mark("CRF (pycrfsuite)")
import spacy; mark("import spacy")
import jieba; mark("import jieba")
from gxparse.labels import _nlp
_nlp(); mark("spacy.blank(zh) + jieba index")
report = gxparse.parse_file(sys.argv[1]); mark("first parse")
import json
json.dumps(report.to_dict(), ensure_ascii=False, indent=1); mark("JSON output")
out = [(name, w - marks[i][1], c - marks[i][2]) for i, (name, w, c) in enumerate(marks[1:])]
print(json.dumps({"stages": out, "inside": marks[-1][1] - marks[0][1]}), file=sys.stderr)
"""


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    return time.perf_counter() - start, proc.stderr


def main() -> None:
    """Print the median wall and CPU seconds of every stage over ``--runs`` fresh processes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="a report file")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes (default %(default)s)")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    for _ in range(args.runs):
        startup, _ = _run([sys.executable, "-c", "pass"], env)
        wall, stderr = _run([sys.executable, "-c", _STAGES_CODE, args.input], env)
        data = json.loads(stderr.strip().splitlines()[-1])
        walls.setdefault("interpreter start (python -c pass)", []).append(startup)
        cpus.setdefault("interpreter start (python -c pass)", []).append(float("nan"))
        for name, w, c in data["stages"]:
            walls.setdefault(name, []).append(w)
            cpus.setdefault(name, []).append(c)
        walls.setdefault("interpreter start + exit (rest of the wall)", []).append(wall - data["inside"])
        cpus.setdefault("interpreter start + exit (rest of the wall)", []).append(float("nan"))
        walls.setdefault("process total (wall)", []).append(wall)
        cpus.setdefault("process total (wall)", []).append(float("nan"))
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) after {args.runs} runs; medians in seconds")
    print(f"{'stage':46s} {'wall':>7s} {'cpu':>7s}")
    for name, values in walls.items():
        cpu = statistics.median(cpus[name])
        print(f"{name:46s} {statistics.median(values):7.3f} {'' if cpu != cpu else f'{cpu:7.3f}'}")


if __name__ == "__main__":
    main()
