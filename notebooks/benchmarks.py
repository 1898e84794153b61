# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # gxparse benchmarks
#
# How well does the parser read the statistical tables of 政府信息公开工作年度报告? This notebook runs
# the benchmark of `gxparse.bench` (the same code as `gxparse bench`) on
#
# * the **dev corpus** of real reports (`$GXPARSE_DEV_CORPUS`, default `training_data/dev`), and
# * a **synthetic set** of 60 reports, `make_corpus(tmp, 60, seed=12345)` — a seed never used for training,
#
# with the default (packaged) realigner model, and with the `rules` and `baseline` placers beside it.
# A cell counts as right only when its value *and* kind match the gold (`null` ≠ `0`).
# It executes in well under a minute, in Jupyter or as a script (`python notebooks/benchmarks.py`);
# either way each figure is also saved as PNG to `$GXPARSE_FIGURES_DIR` (default `notebooks/figures/`).

# %%
from __future__ import annotations

import importlib.util
import logging
import os
import sys
from pathlib import Path

if importlib.util.find_spec("gxparse") is None:  # running from a source checkout
    sys.path.insert(0, str(Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()))

import jieba
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from gxparse.bench import DEFAULT_SEED, compare, headline, risk_coverage, run_bench

DEV = Path(os.environ.get("GXPARSE_DEV_CORPUS") or next(
    (p for p in (Path("training_data/dev"), Path("../training_data/dev")) if p.is_dir()), Path("training_data/dev")))
N_SYNTHETIC = int(os.environ.get("GXPARSE_BENCH_SYNTHETIC", "60"))  # the tests use a smaller set
PLACERS = ("model", "rules", "baseline")
FIGURES = Path(os.environ.get("GXPARSE_FIGURES_DIR")
               or (Path("figures") if Path.cwd().name == "notebooks" else Path("notebooks") / "figures"))
FIGURE_DPI = 110  # sharp enough to read the tick labels of the 25-row heatmap
jieba.setLogLevel(logging.WARNING)  # the word segmenter of the label matcher logs its start-up otherwise


def save(fig: plt.Figure, name: str) -> Path:
    """Save ``fig`` as ``FIGURES/<name>.png`` (so a run as a script leaves its figures behind)."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / f"{name}.png"
    fig.savefig(path, dpi=FIGURE_DPI, bbox_inches="tight")
    return path

# %% [markdown]
# ## Run
# One run per placer over the dev corpus plus the synthetic set. The cold-start subprocess is
# skipped here (see `BENCHMARKS.md` for it); parse times are measured after one warm-up parse.

# %%
runs = {placer: run_bench([DEV], placer=placer, synthetic=N_SYNTHETIC, seed=DEFAULT_SEED, cold_start=False)
        for placer in PLACERS}
model_run = runs["model"]
print("model:", model_run.config["model_version"], f"({model_run.config['model_bytes']} bytes)")

figures = pd.DataFrame({placer: headline(res) for placer, res in runs.items()})
display(figures)

# %% [markdown]
# ## Accuracy by layout and by template
# Layouts of synthetic reports come from the generator; those of real reports from the heuristic of
# `gxparse.bench.layouts` (file type, then the shape of the table zone).

# %%
def accuracy_frame(key: str) -> pd.DataFrame:
    """Cell accuracy per group (``layout``, ``template``...) and placer, with the cell counts."""
    rows = []
    for placer, res in runs.items():
        for group, value in res.figures[f"accuracy_by_{key}"].items():
            rows.append({key: group, "placer": placer, "accuracy": value["accuracy"], "cells": value["cells"]})
    return pd.DataFrame(rows)


fig, axes = plt.subplots(1, 2, figsize=(15, 4.5), gridspec_kw={"width_ratios": [3, 1]})
for ax, key in zip(axes, ("layout", "template")):
    frame = accuracy_frame(key)
    table = frame.pivot(index=key, columns="placer", values="accuracy")[list(PLACERS)]
    table.plot.bar(ax=ax, width=0.8)
    cells = frame.drop_duplicates(key).set_index(key)["cells"]
    ax.set_xticklabels([f"{k}\n({cells[k]} cells)" for k in table.index], rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("cell exact-match accuracy")
    ax.set_title(f"accuracy by {key} (dev + synthetic)")
    ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
save(fig, "accuracy_by_layout_and_template")

# %% [markdown]
# ## Confidence: risk–coverage
# Keep the cells whose confidence is at least *t*, for decreasing *t*: coverage is the share of all
# gold cells kept, risk the share of the kept cells that are wrong. A useful confidence keeps risk
# near zero until coverage approaches the accuracy. Absent cells are never kept.

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), sharey=True)
for ax, set_name in zip(axes, ("dev", "synthetic")):
    for placer, res in runs.items():
        cells = [c for r in res.reports if r.set == set_name for c in r.cells]
        curve = pd.DataFrame(risk_coverage(cells))
        if not curve.empty:
            ax.step(curve["coverage"], curve["risk"], where="post", marker=".", ms=4, label=placer)
        accuracy = res.figures["accuracy_by_set"].get(set_name, {}).get("accuracy")
        if placer == "model" and accuracy is not None:
            ax.axvline(accuracy, color="grey", lw=0.8, ls=":", label="model accuracy")
    ax.set_xlim(0.5, 1.0)
    ax.set_yscale("symlog", linthresh=1e-3)  # linear below 0.1 %, logarithmic above: small risks stay visible
    ax.set_ylim(0, 1)
    ax.set_xlabel("coverage (share of gold cells kept)")
    ax.set_title(f"risk–coverage, {set_name} reports")
    ax.legend(fontsize=8, loc="upper left")
axes[0].set_ylabel("risk (error rate of kept cells)")
save(fig, "risk_coverage")
conf = model_run.figures["confidence"]
print(f"model: wrong cells that carry a warning ({conf['warn_rule']}): "
      f"{conf['wrong_cells_warned']}/{conf['wrong_cells']}")

# %% [markdown]
# ## Where the wrong values land
# Wrong cells of the model run, by row (`table.row`) and column. A cell *absent* from the output
# (e.g. a table the parser did not find) is counted apart from a cell read with a wrong value.

# %%
wrong = pd.DataFrame([{"report": c.report, "row": f"{c.table}.{c.row}", "col": c.col, "present": c.present}
                      for c in model_run.wrong_cells])
fig, axes = plt.subplots(1, 2, figsize=(15, 6))
for ax, present, title in ((axes[0], True, "read with a wrong value"), (axes[1], False, "absent from the output")):
    part = wrong[wrong["present"] == present] if not wrong.empty else wrong
    if part.empty:
        ax.text(0.5, 0.5, "none", ha="center", va="center")
        ax.set_axis_off()
        continue
    grid = part.pivot_table(index="row", columns="col", values="report", aggfunc="count", fill_value=0)
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index[:25]]
    image = ax.imshow(grid.to_numpy(), aspect="auto", cmap="Reds")
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=7)
    ax.set_title(f"wrong cells {title} ({int(grid.to_numpy().sum())})")
    fig.colorbar(image, ax=ax, shrink=0.7)
fig.tight_layout()
save(fig, "wrong_cells")

# %%
display(pd.DataFrame([c.to_dict() for c in model_run.wrong_cells if c.present])
        .drop(columns=["present", "correct"], errors="ignore").head(40))
display(wrong.groupby("report").size().sort_values(ascending=False).rename("wrong cells").to_frame()
        if not wrong.empty else "no wrong cell")

# %% [markdown]
# ## Time vs report size
# Parse time of each report (after a warm-up parse) against the size of its input file. PDFs also
# pay for text extraction.

# %%
fig, ax = plt.subplots(figsize=(7, 4.5))
for placer, marker in zip(PLACERS, ("o", "s", "^")):
    timed = [r for r in runs[placer].reports if r.parse_ms is not None]
    ax.scatter([r.input_bytes for r in timed], [r.parse_ms for r in timed], marker=marker, alpha=0.6, label=placer)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("input file size (bytes)")
ax.set_ylabel("parse time (ms)")
ax.set_title("parse time vs report size")
ax.legend()
save(fig, "parse_time_vs_size")
speed = pd.DataFrame({p: {k: runs[p].speed[k] for k in ("parse_ms_median", "parse_ms_p95", "reports_per_s")}
                      for p in PLACERS})
display(speed)

# %% [markdown]
# ## Model vs rules, cell by cell

# %%
for other in ("rules", "baseline"):
    comp = compare(model_run, runs[other])
    print(f"model vs {other}: both wrong {comp.both_wrong}, only model wrong {comp.only_a_wrong}, "
          f"only {other} wrong {comp.only_b_wrong}, both right {comp.both_right}")
print("cells only the model gets wrong:", compare(model_run, runs["rules"]).only_a_cells[:20])
print("per-report accuracy spread (model):",
      np.round(np.percentile([r.accuracy for r in model_run.reports if r.accuracy is not None], [0, 25, 50, 100]), 4))
