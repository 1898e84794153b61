"""Print where a parse spends its time, stage by stage (wall and CPU milliseconds per report).

Where ``scripts/profile_parse.py`` lists functions under a profiler (which slows small Python
functions more than C calls), this times the pipeline's stages themselves, unprofiled, as
``gxparse bench`` parses: the first file once untimed (imports, model, dictionaries), then every
file once. Each stage is a function :func:`gxparse.parser.parse_source` calls (and the placer's
``place``); a stage's time is its own, less the stages it calls (the legacy locator's
segmentation is counted as segmentation), so the stages and ``other`` add up to the whole parse::

    python scripts/stage_times.py training_data/dev
    python scripts/stage_times.py syn/ --warm 30     # the first 30 untimed: caches as in a long batch
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from statistics import mean, median
from typing import Any

import gxparse.parser as parser_module
from gxparse.errors import GxParseError
from gxparse.parser import get_placer

STAGES = {
    "read_source": "read the file",
    "normalize_text": "normalise the text",
    "locate_regions": "find tables by heading",
    "tagged_regions": "find tables by the line tagger",
    "combine_regions": "combine the two",
    "locate_by_header_run": "find tables by header run",
    "decide_template": "decide the template",
    "segment_region": "segment a table into rows",
    "_legacy_table": "find the legacy list",
    "place": "place items into cells",
    "_build_rows": "build the output rows",
    "check_table": "check the identities",
    "extract_metadata": "read the metadata",
    "add_facts": "read the narrative facts",
    "attach_source_spans": "map spans to the source",
}
"""The stages timed: names :mod:`gxparse.parser` calls (``place`` is the placer's), and what each does."""


class StageClock:
    """Exclusive wall and CPU time per stage: a stage called inside another is taken out of the outer one."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self._inner: list[list[float]] = []  # per open stage: the wall and CPU time of the stages inside it

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function``, its time counted under ``name``."""
        def run(*args: Any, **kwargs: Any) -> Any:
            self._inner.append([0.0, 0.0])
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
                inner_wall, inner_cpu = self._inner.pop()
                self.wall[name] += wall - inner_wall
                self.cpu[name] += cpu - inner_cpu
                if self._inner:
                    self._inner[-1][0] += wall
                    self._inner[-1][1] += cpu
        return run

    def clear(self) -> None:
        """Forget the times counted so far."""
        self.wall.clear()
        self.cpu.clear()


def _files(args: list[str]) -> list[Path]:
    """The report files named, a folder's files in name order (gold ``.json`` files left out)."""
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        out += sorted(p for p in path.iterdir() if p.is_file() and p.suffix != ".json") if path.is_dir() else [path]
    return out


def main(argv: list[str] | None = None) -> int:
    """Warm up, time one parse of each file stage by stage, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files, or folders of them")
    parser.add_argument("--warm", type=int, default=1, metavar="N",
                        help="parse the first N files untimed and time the rest; with 1 (the default) every file is "
                             "timed, the first after an untimed parse of it, as gxparse bench does")
    args = parser.parse_args(argv)
    files = _files(args.paths)
    if not files or args.warm >= len(files) and args.warm > 1:
        parser.error("no files to time (--warm must leave some)")
    clock = StageClock()
    missing = [name for name in STAGES if name != "place" and not hasattr(parser_module, name)]
    if missing:  # a stage renamed in gxparse.parser: say so rather than time nothing under its name
        parser.error(f"gxparse.parser has no {', '.join(missing)}: update STAGES")
    originals = {name: getattr(parser_module, name) for name in STAGES.keys() - {"place"}}
    for name, function in originals.items():
        setattr(parser_module, name, clock.timed(name, function))
    placer = get_placer("model")
    placer.place = clock.timed("place", placer.place)  # type: ignore[method-assign]
    parse = clock.timed("total", parser_module.parse_file)
    warm, timed = files[:args.warm], files[args.warm:] if args.warm > 1 else files
    failed = 0
    walls: list[dict[str, float]] = []  # per timed report: each stage's wall time
    cpus: list[dict[str, float]] = []
    try:
        for n, path in enumerate([*warm, *timed]):
            try:
                parse(path, placer=placer)
            except GxParseError as exc:
                failed += 1
                print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            if n >= len(warm):
                walls.append(dict(clock.wall))
                cpus.append(dict(clock.cpu))
            clock.clear()
    finally:  # the parser as it was (the script may run inside another program, a test)
        for name, function in originals.items():
            setattr(parser_module, name, function)
    count = len(timed)
    per_report = [sum(w.values()) for w in walls]
    print(f"{count} files timed ({failed} failed) after {len(warm)} untimed: mean {mean(per_report) * 1000:.2f} ms, "
          f"median {median(per_report) * 1000:.2f} ms a report (wall)")
    print(f"{'stage':22} {'mean ms':>8} {'median':>8} {'CPU mean':>8} {'share':>6}  what")
    total = sum(per_report)
    rows = [(name, STAGES.get(name, "the rest of parse_file")) for name in [*STAGES, "total"]]
    for name, what in sorted(rows, key=lambda row: -sum(w.get(row[0], 0.0) for w in walls)):
        wall = [w.get(name, 0.0) for w in walls]
        cpu = [c.get(name, 0.0) for c in cpus]
        print(f"{'other' if name == 'total' else name:22} {mean(wall) * 1000:8.2f} {median(wall) * 1000:8.2f} "
              f"{mean(cpu) * 1000:8.2f} {sum(wall) / total:6.1%}  {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
