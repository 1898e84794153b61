"""Headline figures of a run, and the side-by-side comparison of two runs on the same reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gxparse.bench.run import BenchResult

Figure = float | int | None


def run_label(result: BenchResult) -> str:
    """A short name for a run: the placer, and the model version for the model placer."""
    placer = str(result.config.get("placer"))
    version = result.config.get("model_version")
    return f"{placer} ({version})" if version else placer


def headline(result: BenchResult) -> dict[str, Figure]:
    """The figures worth putting side by side, flat: ``{name: value}``.

    Names are self-explaining (``cell_accuracy_micro``, ``identity_pass_rate_gold_balanced_true``,
    ``parse_ms_median``...); rates are fractions in ``[0, 1]``.
    """
    f = result.figures
    speed = result.speed
    cold = speed.get("cold_start") or {}
    out: dict[str, Figure] = {
        "cell_accuracy_micro": f["cells"]["accuracy_micro"],
        "cell_accuracy_per_report_mean": f["cells"]["accuracy_per_report_mean"],
        "cells_assessed": f["cells"]["assessed"],
        "cells_wrong": f["cells"]["wrong"],
        "cells_absent": f["cells"]["absent"],
        "extra_cells": f["cells"]["extra_cells"],
        "uncertain_excluded": f["cells"]["uncertain_excluded"],
        "table_exact_match_rate": f["tables"]["exact_match_rate"],
        "template_accuracy": f["template"]["accuracy"],
        "errors": f["errors"],
    }
    for key, value in f["accuracy_by_set"].items():
        out[f"cell_accuracy_set_{key}"] = value["accuracy"]
    for key, value in f["identities"].items():
        out[f"identity_pass_rate_{key}"] = value["pass_rate_of_assessable"]
    conf = f["confidence"]
    for key, value in conf.items():
        if key.startswith("min_confidence_"):
            out[f"accuracy_at_{key}"] = value["accuracy"]
            out[f"coverage_at_{key}"] = value["coverage"]
    out["wrong_cells_warned_share"] = conf["wrong_cells_warned_share"]
    out.update({k: speed.get(k) for k in ("parse_ms_median", "parse_ms_p95", "parse_ms_p99", "reports_per_s", "model_bytes")})
    out.update({k: speed.get(k) for k in ("parse_ms_max", "floor_ms_median", "floor_ratio_median", "floor_ratio_p99",
                                          "floor_ratio_max")})
    out["cold_start_s"] = cold.get("wall_s")
    return out


def _cell_outcomes(result: BenchResult) -> dict[tuple[str, str, str], bool]:
    return {(r.set, r.id, c.address): c.correct for r in result.reports for c in r.cells}


@dataclass
class Comparison:
    """Two runs side by side and how their errors overlap, cell by cell.

    Attributes
    ----------
    figures:
        ``{name: {"a": value, "b": value}}`` over the :func:`headline` figures.
    both_wrong, only_a_wrong, only_b_wrong, both_right:
        Counts over the gold cells assessed in both runs.
    only_a_cells, only_b_cells:
        ``"report:table.row.col"`` of the cells only A (only B) gets wrong.
    """

    a_label: str
    b_label: str
    figures: dict[str, dict[str, Figure]]
    both_wrong: int = 0
    only_a_wrong: int = 0
    only_b_wrong: int = 0
    both_right: int = 0
    only_a_cells: list[str] = field(default_factory=list)
    only_b_cells: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as plain data."""
        return {"a": self.a_label, "b": self.b_label, "figures": self.figures,
                "cells": {"both_wrong": self.both_wrong, "only_a_wrong": self.only_a_wrong,
                          "only_b_wrong": self.only_b_wrong, "both_right": self.both_right},
                "only_a_wrong_cells": self.only_a_cells, "only_b_wrong_cells": self.only_b_cells}


def compare(a: BenchResult, b: BenchResult) -> Comparison:
    """Compare two runs over the same annotated reports (e.g. model vs rules placer).

    Cells are matched by (set, report id, address); a cell assessed in only one run is ignored.
    """
    ha, hb = headline(a), headline(b)
    figures = {k: {"a": ha.get(k), "b": hb.get(k)} for k in dict.fromkeys([*ha, *hb])}
    comp = Comparison(run_label(a), run_label(b), figures)
    ob = _cell_outcomes(b)
    for key, right_a in _cell_outcomes(a).items():
        if key not in ob:
            continue
        right_b = ob[key]
        name = f"{key[1]}:{key[2]}"
        if right_a and right_b:
            comp.both_right += 1
        elif not right_a and not right_b:
            comp.both_wrong += 1
        elif right_b:
            comp.only_a_wrong += 1
            comp.only_a_cells.append(name)
        else:
            comp.only_b_wrong += 1
            comp.only_b_cells.append(name)
    return comp
