"""Bare page numbers (a PDF's ``3`` alone on a line) are told from cells by the whole document's evidence."""

from __future__ import annotations

import numpy as np
import pytest

import gxparse
from gxparse.page_numbers import MIN_PAGE_CHARS, page_number_lines
from gxparse.scan import scan_region
from gxparse.synth.perturb import page_footers
from gxparse.sources import read_source
from tests.conftest import DEV, dev_gold
from tests.test_golden_dev import KNOWN_WRONG, wrong_cells

SENTENCE = "本机关严格按照《中华人民共和国政府信息公开条例》的要求，认真做好政府信息公开工作。"
PAGE_OF_PROSE = "\n".join([SENTENCE] * 12)  # ~500 characters: a short page
CELL_TABLE = "\n\n".join(["规章", "1", "行政规范性文件", "2", "其他对外管理服务事项", "3"])


def _numbers(text: str) -> list[str]:
    return [it.text for it in scan_region(text, 0, len(text), mode="spaced") if it.kind == "num"]


def _paged(pages: list[str], first: int = 1) -> str:
    """``pages`` joined, each followed by its bare page number."""
    return "\n".join(f"{page}\n{n}" for n, page in enumerate(pages, start=first))


def test_page_numbers_through_prose_and_a_table_are_found():
    table_page = "\n\n".join(["规章", "10", "行政规范性文件", "0", "其他", "7"] * 8)
    text = _paged([PAGE_OF_PROSE, table_page, table_page, PAGE_OF_PROSE], first=3)
    lines = {text[s: text.index("\n", s) if "\n" in text[s:] else len(text)] for s in page_number_lines(text)}
    assert lines == {"3", "4", "5", "6"}
    # the page numbers inside the table are no cells; its cells all are
    assert _numbers(text) == ["10", "0", "7"] * 16


def test_a_table_of_cells_one_two_three_stays_a_table():
    text = PAGE_OF_PROSE + "\n" + CELL_TABLE + "\n" + PAGE_OF_PROSE
    assert page_number_lines(text) == frozenset()
    assert _numbers(text) == ["1", "2", "3"]


def test_a_run_that_never_meets_prose_is_no_evidence():
    # cells 1, 2, 3 of one column a page apart, every one between cells: as likely a column as page numbers
    rows = "\n\n".join(["规章", "0", "行政规范性文件", "0"] * (MIN_PAGE_CHARS // 10))
    text = "\n\n".join([rows, "1", rows, "2", rows, "3", rows])
    assert page_number_lines(text) == frozenset()
    assert _numbers(text).count("1") == 1 and _numbers(text).count("3") == 1


def test_a_run_between_cells_of_another_form_is_evidence_without_prose():
    # a Word text export ends every cell's line with " |": a bare "1" between such cells is none of them
    rows = "\n".join(["规章 |", "0 |", "行政规范性文件 |", "0 |"] * (MIN_PAGE_CHARS // 10))
    text = "\n".join([rows, "1", rows, "2", rows, "3", rows])
    assert len(page_number_lines(text)) == 3
    assert "1" not in _numbers(text) and "3" not in _numbers(text)


def test_two_page_numbers_are_no_run():
    text = _paged([PAGE_OF_PROSE, PAGE_OF_PROSE])
    assert page_number_lines(text) == frozenset()


def test_numbers_that_do_not_count_up_are_no_run():
    text = "\n".join(f"{PAGE_OF_PROSE}\n{n}" for n in (4, 2, 9, 7))
    assert page_number_lines(text) == frozenset()


# dev reports with tables printed one cell per line (r035 spaced, seed001 legacy, r021 cells ending in " |": its page
# numbers all fall between cells, no prose beside any) and in other layouts
PAGED_REPORTS = ("r035", "seed001", "r021", "r014", "r201", "r213", "r210", "r204", "r225")


@pytest.mark.parametrize("report_id", PAGED_REPORTS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dev_report_with_bare_page_numbers_still_parses_to_gold(report_id, seed):
    gold = dev_gold(report_id)
    text = page_footers(read_source(DEV / gold["input"]).text, gold, np.random.default_rng(seed), "{n}")
    result = gxparse.parse(text, source=gold["input"]).to_dict()
    assert wrong_cells(gold, result) == KNOWN_WRONG.get(report_id, set())


def test_a_text_dense_with_small_bare_numbers_gives_up_and_keeps_them_cells():
    """A long column of cells ``1``–``5`` one per line would cost the chain search millions of steps; past
    ``MAX_RUN_STEPS`` it finds no page numbers, so every bare line stays a cell (as without the evidence)."""
    dense = "\n".join(str(v) for _ in range(300) for v in (1, 2, 3, 4, 5))
    text = _paged([PAGE_OF_PROSE, PAGE_OF_PROSE + "\n" + dense, PAGE_OF_PROSE, PAGE_OF_PROSE])
    assert page_number_lines(text) == frozenset()
    assert page_number_lines(_paged([PAGE_OF_PROSE] * 4))  # the same pages without the column: found
