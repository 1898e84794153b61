"""The legacy indicator list is a layout handler: the registry chooses it for legacy tables, and only for them."""

from __future__ import annotations

import numpy as np
import pytest

from gxparse.ir import LayoutRegion, Region, Segmentation
from gxparse.layouts import BUILT_IN, LEGACY, choose, handlers, register, unregister
from gxparse.legacy import legacy_spec, locate_legacy, segment_legacy
from gxparse.normalize import normalize_text
from gxparse.synth import LAYOUTS, random_legacy_tables, random_tables, render
from gxparse.template import get_template

LEGACY_LAYOUTS = sorted(layout for layout in LAYOUTS if layout.startswith("legacy"))


def _legacy_text(layout: str, seed: int) -> str:
    rng = np.random.default_rng([17, seed])
    return normalize_text(render("legacy", random_legacy_tables(rng), layout, rng).text).text


@pytest.mark.parametrize("layout", LEGACY_LAYOUTS)
@pytest.mark.parametrize("seed", range(3))
def test_the_registry_chooses_the_legacy_handler_for_a_located_indicator_list(layout: str, seed: int) -> None:
    text = _legacy_text(layout, seed)
    region = locate_legacy(text)
    assert region is not None
    handler = choose(LayoutRegion(text, region, legacy_spec()))
    assert handler.name == LEGACY
    seg = handler.segment(LayoutRegion(text, region, legacy_spec()))
    assert seg.mode == "legacy" and seg.matched and seg.units


@pytest.mark.parametrize("template", ["gov2019", "gov2021"])
def test_the_legacy_handler_never_fits_a_table_without_a_unit_column(template: str) -> None:
    rng = np.random.default_rng([17, 99])
    text = render(template, random_tables(template, rng), "space_rows", rng).text
    spec = get_template(template).table("applications")
    region = LayoutRegion(text, Region(spec.key, 0, 0, len(text), False), spec)
    assert choose(region).name != LEGACY


def test_the_legacy_handler_reads_the_header_printed_before_the_region() -> None:
    # cumulative column printed first: the header words, before the first row label, say so
    text = "附表 指标名称 单位 历年累计 2012年\n主动公开政府信息数 条 500 40\n受理申请总数 件 30 3\n行政复议数 件 2 1\n"
    region = locate_legacy(text)
    assert region is not None and text[region.start:].startswith("主动公开")
    seg = choose(LayoutRegion(text, region, legacy_spec())).segment(LayoutRegion(text, region, legacy_spec()))
    assert seg.problem.rows[0].cols == ("cumulative", "current")


class _Scored:
    """A handler with a fixed fit and ceiling; asking it for its fit when it cannot win is an error."""

    def __init__(self, name: str, fit: float, *, may_be_asked: bool = True) -> None:
        self.name, self.ceiling, self.may_be_asked = name, fit, may_be_asked

    def fit(self, region: LayoutRegion) -> float:
        assert self.may_be_asked, f"{self.name} was asked although its ceiling cannot beat the best fit"
        return self.ceiling

    def segment(self, region: LayoutRegion) -> Segmentation:
        return segment_legacy(region)


def test_a_handler_whose_ceiling_cannot_win_is_not_asked() -> None:
    text = _legacy_text("legacy_space_rows", 0)
    region = LayoutRegion(text, locate_legacy(text), legacy_spec())
    register(_Scored("low", 0.1, may_be_asked=False))
    register(_Scored("high", 3.0))
    try:
        assert choose(region).name == "high"
    finally:
        unregister("high")
        unregister("low")
    assert handlers() == BUILT_IN
