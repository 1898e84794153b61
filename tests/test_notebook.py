"""The benchmarks notebook (``notebooks/benchmarks.py``, jupytext percent format) runs as a script."""

from __future__ import annotations

import runpy
from pathlib import Path

import matplotlib
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "benchmarks.py"


@pytest.mark.slow
def test_benchmarks_notebook_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    matplotlib.use("Agg")
    monkeypatch.setenv("GXPARSE_BENCH_SYNTHETIC", "6")  # a small synthetic set: this checks the code, not figures
    monkeypatch.setenv("GXPARSE_FIGURES_DIR", str(tmp_path))
    namespace = runpy.run_path(str(NOTEBOOK), run_name="__main__")
    assert set(namespace["runs"]) == {"model", "rules", "baseline"}
    assert namespace["model_run"].figures["cells"]["assessed"] > 0
    import matplotlib.pyplot as plt

    assert len(plt.get_fignums()) >= 4
    saved = sorted(p.name for p in tmp_path.glob("*.png"))
    assert saved == ["accuracy_by_layout_and_template.png", "parse_time_vs_size.png", "risk_coverage.png", "wrong_cells.png"]
    assert all(p.stat().st_size > 1000 for p in tmp_path.glob("*.png"))
    plt.close("all")
