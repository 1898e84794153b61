"""scripts/stage_times.py: each stage's own time, the stages adding up to the parse, the parser left as it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import gxparse.parser as parser_module
from tests.conftest import load_script

stage_times = load_script("stage_times")

BUSY_S = 0.02
"""How long the inner stage of the test below works: far above the clock's own cost (microseconds)."""


def _busy() -> None:
    end = time.perf_counter() + BUSY_S
    while time.perf_counter() < end:
        pass


def test_a_stage_inside_another_is_counted_once_under_its_own_name() -> None:
    clock = stage_times.StageClock()
    inner = clock.timed("inner", _busy)
    outer = clock.timed("outer", lambda: inner())
    outer()
    assert clock.wall["inner"] >= BUSY_S
    assert clock.wall["outer"] < BUSY_S / 4  # the outer stage did nothing of its own


def test_the_stages_of_a_run_add_up_and_the_parser_is_restored(dev_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {name: getattr(parser_module, name) for name in stage_times.STAGES if name != "place"}
    assert stage_times.main([str(dev_dir / "r004.txt"), str(dev_dir / "r011.txt")]) == 0
    assert {name: getattr(parser_module, name) for name in before} == before
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 files timed (0 failed) after 1 untimed")
    shares = {line.split()[0]: float(line.split()[4].rstrip("%")) for line in lines[2:]}
    assert set(shares) == (set(stage_times.STAGES) | {"other"})
    assert sum(shares.values()) == pytest.approx(100.0, abs=0.5)
    assert shares["tagged_regions"] > 0 and shares["place"] > 0
