"""A count unit printed after a cell's number (``0条``, ``12件3件0件``, ``5人次``) ends the value and is no cell (issue 9)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gxparse
from gxparse.locator import split_lines
from gxparse.scan import scan_region, without_cell_units
from gxparse.sources import read_source
from gxparse.synth.corpus import make_corpus
from gxparse.synth.perturb import perturb
from gxparse.template import get_template, unit_words
from tests.conftest import DEV, dev_gold
from tests.test_golden_dev import KNOWN_WRONG, wrong_cells

# dev reports of the gov templates in several layouts (glued, space rows, pipe rows, Markdown)
GOV_REPORTS = ("r201", "r207", "r210", "r035", "r014", "r021")


def _items(text: str, *, count_units: bool = True) -> list[tuple[str, str, int, int]]:
    return [(it.kind, it.text, it.start, it.end) for it in scan_region(text, 0, len(text), count_units=count_units)]


def test_unit_words_come_from_the_templates_unit_column():
    unit_column = get_template("legacy").table("legacy_indicators").col("unit")
    assert unit_words() == unit_column.vocabulary
    assert {"条", "件", "人次"} <= set(unit_words())


def test_glued_cells_with_units_are_cut_at_each_unit_and_keep_their_spans():
    text = "规章12件3件0件行政许可 5人次"
    assert _items(text) == [("text", "规章", 0, 2), ("num", "12", 2, 4), ("num", "3", 5, 6), ("num", "0", 7, 8),
                            ("text", "行政许可", 9, 13), ("num", "5", 14, 15)]


def test_money_years_and_counted_words_keep_their_reading():
    text = "采购 30元 12万元 2023年 3个工作日"
    assert _items(text) == _items(text, count_units=False)[:5] + [("num", "3", 18, 19), ("text", "工作日", 20, 23)]
    assert ("num", "30元", 3, 6) in _items(text)
    assert ("text", "年", 16, 17) in _items(text)


def test_a_unit_column_reads_its_units_as_before():
    # a legacy list prints its unit column between label and values: without count_units the unit is text
    text = "主动公开信息数条6270 12000条"
    assert [it[1] for it in _items(text, count_units=False)] == ["主动公开信息数条", "6270", "12000", "条"]


def test_a_row_of_values_with_units_has_the_shape_of_a_row_of_values():
    assert without_cell_units("31条 | 0条 00 5人次") == "31 | 0 00 5"
    # a sentence's counted number keeps its unit; money keeps its unit
    assert without_cell_units("共受理12件,其中3件已办结。") == "共受理12件,其中3件已办结。"
    assert without_cell_units("金额 30元") == "金额 30元"


def test_a_glued_row_is_cut_after_its_last_unit():
    line = "结果维持结果纠正其他结果尚未审结总计" * 6 + "0条 00 0条 0条 总计12件3件行政许可"
    pieces = [ln.text for ln in split_lines(line)]
    assert not any(piece.startswith(("条", "件")) for piece in pieces)


@pytest.mark.parametrize("report_id", GOV_REPORTS)
def test_dev_report_with_units_in_its_cells_parses_to_gold(report_id):
    gold = dev_gold(report_id)
    text = perturb(read_source(DEV / gold["input"]).text, gold, ["unit_in_cells"], np.random.default_rng(0))
    result = gxparse.parse(text, source=gold["input"]).to_dict()
    assert wrong_cells(gold, result) == KNOWN_WRONG.get(report_id, set())


def test_one_cell_per_line_copy_with_units_keeps_every_row(tmp_path):
    # a one-cell-per-line pipe copy (seed 5102, reports 25 and 26; the first without headings): every value line
    # prints a unit (``31条 |``), and the rows it begins must still be read as the table's
    paths = make_corpus(tmp_path, 27, seed=5102, templates=("gov2021", "gov2019", "legacy"), variants=0.35)[-2:]
    for path in paths:
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        text = perturb(path.read_text(encoding="utf-8"), gold, ["unit_in_cells"], np.random.default_rng(0))
        assert wrong_cells(gold, gxparse.parse(text, source=gold["input"]).to_dict()) == set()
