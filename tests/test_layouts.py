"""The layout registry: each table layout is one handler, chosen per region by its fit."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import gxparse
from gxparse.ir import LayoutRegion, Region, Segmentation
from gxparse.layouts import BUILT_IN, LEGACY, choose, handlers, register, unregister
from gxparse.layouts.base import anchored
from gxparse.normalize import normalize_text
from gxparse.parser import analyze
from gxparse.scan import detect_mode, scan_region
from gxparse.sources import source_from_bytes, source_from_text
from gxparse.synth import LAYOUTS, random_legacy_tables, random_tables, render
from gxparse.template import get_template

# The handler expected for the 三 table (legacy: the indicator table) of each synthetic layout (chosen
# for at least half the renderings), and the other handlers a rendering may rightly get: a Markdown made from a PDF whose rows happen to keep
# their values beside their labels is a plain pipe grid; a space-separated table whose labels wrap
# over lines is read by its value lines.
EXPECTED = {
    "cell_per_line": ("cell_per_line", ()),
    "cell_per_line_blank": ("cell_per_line", ()),
    "cell_per_line_pipe": ("pipe_grid", ()),
    "pipe_rows": ("pipe_grid", ()),
    "space_rows": ("inline", ("value_lines",)),
    "glued": ("glued", ()),
    "pdf_text": ("value_lines", ()),
    "markdown": ("value_lines", ("pipe_grid",)),
    "html": ("html_grid", ()),
    "legacy_cell_per_line": (LEGACY, ()),
    "legacy_space_rows": (LEGACY, ()),
    "legacy_glued": (LEGACY, ()),
}
SEEDS = range(6)


def _layouts_of(layout: str, seed: int) -> dict[str, str]:
    rng = np.random.default_rng([9, seed])
    if layout.startswith("legacy"):
        template, tables = "legacy", random_legacy_tables(rng)
    else:
        template = ("gov2019", "gov2021")[seed % 2]
        tables = random_tables(template, rng)
    rendered = render(template, tables, layout, rng)
    src = source_from_bytes(rendered.text.encode(), name="r.html") if layout == "html" else source_from_text(rendered.text)
    return analyze(normalize_text(src.text).text, kind=src.kind).layouts


def test_every_synthetic_layout_has_an_expectation() -> None:
    assert set(EXPECTED) == set(LAYOUTS)


@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_registry_chooses_the_handler_of_each_layout(layout: str) -> None:
    table = "legacy_indicators" if layout.startswith("legacy") else "applications"
    expected, also = EXPECTED[layout]
    chosen = Counter(_layouts_of(layout, seed)[table] for seed in SEEDS)
    assert chosen[expected] >= len(SEEDS) / 2, chosen
    assert set(chosen) <= {expected, *also}, chosen


class _Fixed:
    """A handler with a fixed fit that reads every region inline."""

    def __init__(self, name: str, score: float) -> None:
        self.name = name
        self.score = score

    def fit(self, region: LayoutRegion) -> float:
        return self.score

    def segment(self, region: LayoutRegion) -> Segmentation:
        return anchored(region, "inline")


@pytest.fixture
def registered():
    """Register handlers for one test and remove them afterwards."""
    names: list[str] = []

    def add(handler: _Fixed) -> None:
        register(handler)
        names.append(handler.name)

    yield add
    for name in names:
        unregister(name)
    assert handlers() == BUILT_IN


PIPE_TABLE = "\n".join(["申请人情况 | 自然人 | 总计", "一、本年新收政府信息公开申请数量 | 5 | 6",
                        "二、上年结转政府信息公开申请数量 | 1 | 1"])


def _region(text: str, kind: str = "text") -> LayoutRegion:
    spec = get_template("gov2021").table("applications")
    return LayoutRegion(text, Region(spec.key, 0, 0, len(text), False), spec, kind)


def test_a_registered_handler_is_chosen_when_it_fits_best(registered) -> None:
    registered(_Fixed("always_best", 9.0))
    report = gxparse.parse_file("training_data/dev/seed004.txt")
    assert report.tables and set(report.meta["layouts"].values()) == {"always_best"}


def test_a_registered_handler_that_fits_worse_is_not_chosen(registered) -> None:
    registered(_Fixed("never", 0.01))
    assert choose(_region(PIPE_TABLE)).name == "pipe_grid"


def test_a_tie_goes_to_the_handler_registered_first(registered) -> None:
    assert choose(_region(PIPE_TABLE)).name == "pipe_grid"
    registered(_Fixed("grid_twin", 1.0))
    assert choose(_region(PIPE_TABLE)).name == "grid_twin"


def test_html_pipe_rows_are_an_html_grid_and_keep_every_empty_cell() -> None:
    text = PIPE_TABLE + " |  |  |"
    html, plain = _region(text, kind="html"), _region(text)
    assert (choose(html).name, choose(plain).name) == ("html_grid", "pipe_grid")
    assert _blank_flags(choose(html).segment(html)) == [("pipe",), ("pipe",)]
    assert _blank_flags(choose(plain).segment(plain)) == [("pipe", "trailing")] * 2


def _blank_flags(seg: Segmentation) -> list[tuple[str, ...]]:
    return [it.flags for row in seg.problem.rows for it in row.items if it.kind == "blank"]


def test_report_meta_names_the_layout_of_every_table() -> None:
    report = gxparse.parse_file("training_data/dev/r004.txt")
    assert set(report.meta["layouts"]) == set(report.tables)
    assert report.meta["layouts"]["applications"] == "glued"


def test_scan_mode_can_be_forced() -> None:
    assert detect_mode(PIPE_TABLE.split("\n")) == "pipe"
    auto = scan_region(PIPE_TABLE, 0, len(PIPE_TABLE))
    inline = scan_region(PIPE_TABLE, 0, len(PIPE_TABLE), mode="inline")
    assert auto == scan_region(PIPE_TABLE, 0, len(PIPE_TABLE), mode="pipe")
    assert [it.text for it in auto if it.kind == "num"] == [it.text for it in inline if it.kind == "num"]
    assert any(it.kind == "text" and "|" in it.text for it in inline)


# a blank 主动公开 table printed glued, its blank cells as "/" placeholders: as many items as cells,
# like value lines, but the labels of blank rows run together ("///行政规范性文件///第二十条…")
GLUED_PLACEHOLDER_RUNS = (
    "二、主动公开政府信息情况第二十条第（一）项信息内容 本年制发件数本年废止件数现行有效件数 规章/ //行政规范性文件///"
    "第二十条第（五）项信息内容本年处理决定数量行政许可/第二十条第（六）项信息内容 本年处理决定数量行政处罚/行政强制/"
    "第二十条第（八）项信息内容 本年收费金额（单位：万元） 行政事业性收费/三、收到和处理政府信息公开申请情况")


def test_glued_placeholder_runs_are_not_read_as_value_lines_that_lose_printed_rows() -> None:
    report = gxparse.parse(GLUED_PLACEHOLDER_RUNS)
    table = report.to_dict()["tables"]["active_disclosure"]
    assert report.meta["layouts"]["active_disclosure"] != "value_lines"
    assert table["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    for row in ("admin_licensing", "admin_penalty", "admin_coercion"):
        assert table[row] == {"decisions": None}
