"""``gxparse bench``'s cold start: fresh ``gxparse parse`` processes on the bundled example, medians reported."""

from __future__ import annotations

import statistics

from gxparse.bench.run import COLD_START_EXAMPLE, time_cold_start


def test_cold_start_times_fresh_parse_commands() -> None:
    cold = time_cold_start("rules", runs=3)
    assert cold["error"] is None and cold["input"].endswith(COLD_START_EXAMPLE)
    assert cold["runs"] == 3 and len(cold["runs_s"]) == 3
    assert cold["wall_s"] == statistics.median(cold["runs_s"])
    for part in ("import_s", "cli_import_s", "first_parse_s"):
        assert 0 < cold[part] < cold["wall_s"]


def test_cold_start_reports_a_failing_command() -> None:
    cold = time_cold_start("no-such-placer", runs=2)
    assert cold["error"].startswith("exit 2:") and "wall_s" not in cold
