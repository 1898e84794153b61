"""HTML copies damaged the way scraped pages are (gxparse.synth.perturb.HTML_PERTURBATIONS) still parse to gold."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gxparse
from gxparse.candidates import enumerate_candidates
from gxparse.html_text import html_to_text
from gxparse.scan import scan_region
from gxparse.synth.corpus import make_corpus
from gxparse.synth.perturb import HTML_PERTURBATIONS, PERTURBATIONS, perturb
from tests.conftest import DEV, dev_gold
from tests.test_golden_dev import KNOWN_WRONG, wrong_cells

HTML_DEV_REPORT = "r025"
SYNTHETIC_SEED = 5302  # the 5xxx seeds are free for tests (9xxx are held for measurement)
SYNTHETIC_REPORTS = 4


@pytest.fixture(scope="module")
def html_reports(tmp_path_factory) -> list[tuple[str, dict]]:
    """The dev HTML report and a few freshly rendered synthetic HTML reports, as (html, gold)."""
    out = [((DEV / dev_gold(HTML_DEV_REPORT)["input"]).read_text(encoding="utf-8"), dev_gold(HTML_DEV_REPORT))]
    d = tmp_path_factory.mktemp("html")
    make_corpus(d, SYNTHETIC_REPORTS, seed=SYNTHETIC_SEED, templates=("gov2021", "gov2019"), variants="all",
                layouts=("html",))
    for gold_path in sorted(d.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append(((d / gold["input"]).read_text(encoding="utf-8"), gold))
    return out


def _wrong(html: str, gold: dict) -> set[str]:
    return wrong_cells(gold, gxparse.parse(html, source=gold["input"]).to_dict())


@pytest.mark.parametrize("name", sorted(HTML_PERTURBATIONS))
def test_damaged_html_copy_still_parses_to_gold(html_reports, name):
    for html, gold in html_reports:
        damaged = perturb(html, gold, [name], np.random.default_rng(7))
        assert damaged != html or name in ("html_empty_cells", "html_label_breaks")
        assert _wrong(damaged, gold) == KNOWN_WRONG.get(gold["id"], set()), (gold["id"], name)


@pytest.mark.parametrize("name", sorted(HTML_PERTURBATIONS))
def test_html_perturbations_leave_text_copies_alone(name):
    text = (DEV / dev_gold("r207")["input"]).read_text(encoding="utf-8")
    assert perturb(text, dev_gold("r207"), [name], np.random.default_rng(0)) == text


def test_html_perturbations_stay_out_of_the_synthetic_draws():
    assert not set(HTML_PERTURBATIONS) & set(PERTURBATIONS)


def test_a_cut_copy_without_end_tags_keeps_its_rows_apart_from_what_follows():
    html = ("<tr><td>规章<td>1<td>&nbsp;<td>9\n<tr><td>行政规范性文件<td>4<td>2<td>91\n"
            "</tbody></table><p>三、收到和处理政府信息公开申请情况<table><tr><td>x<td>5</table>")
    lines = html_to_text(html).splitlines()
    assert lines[:2] == ["规章 | 1 |  | 9 |", "行政规范性文件 | 4 | 2 | 91 |"]
    assert lines[2] == "三、收到和处理政府信息公开申请情况"
    assert lines[3] == "x | 5 |"


def test_an_empty_grid_cell_is_never_filled_by_splitting_its_neighbour():
    line = "| 行政规范性文件 | 128 |  | 575 |"
    items = [it for it in scan_region(line, 0, len(line), exact_cells=True) if it.kind != "text"]
    readings = [[r.raw for r in cand.readings] for cand in enumerate_candidates(items, 3)]
    assert ["128", "", "575"] in readings
    assert ["12", "8", "575"] not in readings and ["1", "28", "575"] not in readings
