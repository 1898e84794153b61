"""Tab-separated rows (a table copied out of a word processor or spreadsheet): one tab between two
cells, so two tabs enclose an empty cell and a tab that ends a row leaves an empty last cell.

Built from dev renderings: seed004's pipe rows and r025's HTML grid (blank cells among values)
re-printed with tabs must read as their gold says.
"""

from __future__ import annotations

import re

import gxparse
from gxparse.html_text import html_to_text
from gxparse.normalize import normalize_text, tabs_as_cell_edges
from tests.conftest import DEV, dev_gold

def _as_tab_rows(pipe_text: str) -> str:
    """Pipe rows with each ``|`` a tab (a trailing ``|`` stays a trailing tab)."""
    return "\n".join(re.sub(r"\s*\|\s*", "\t", line) if "|" in line else line for line in pipe_text.split("\n"))


def _cells(report: gxparse.Report) -> dict[str, object]:
    tables = report.to_dict()["tables"]
    return {f"{t}.{r}.{c}": v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


def _gold_cells(gold: dict) -> dict[str, object]:
    return {f"{t}.{r}.{c}": v for t, rows in gold["tables"].items() for r, cols in rows.items() for c, v in cols.items()}


def test_tabs_between_cells_become_pipes_and_keep_offsets() -> None:
    text, offsets = tabs_as_cell_edges("规章\t31\t5\t\n\t2\t\t3\n\t一、总体情况", list(range(22)))
    assert text.split("\n") == ["规章|31|5||", "||2||3", "\t一、总体情况"]  # indentation before a label stays
    assert len(offsets) == len(text) and offsets[text.index("31")] == 3


def test_prose_without_tabs_is_unchanged() -> None:
    assert normalize_text("一、总体情况\n全年 12 件").text == "一、总体情况\n全年 12 件"


def test_seed004_as_tab_rows_reads_as_printed() -> None:
    text = _as_tab_rows((DEV / "seed004.txt").read_text(encoding="utf-8"))
    assert "\t\t" in text
    got = _cells(gxparse.parse(text))
    gold = _gold_cells(dev_gold("seed004"))
    assert {k: got.get(k) for k in gold} == gold


def test_empty_tab_cells_are_blanks_in_their_own_column() -> None:
    """r025's HTML grid (blank ``&nbsp;`` cells among values, blank 总计 cells) copied as tab rows: each
    empty cell stays blank where it stands, no later value shifts left into it."""
    text = html_to_text((DEV / "r025.html").read_text(encoding="utf-8"))
    tab_text = _as_tab_rows(text if isinstance(text, str) else text.text)
    assert "821\t35\t\t\t2\t1\t859" in tab_text
    got = _cells(gxparse.parse(tab_text))
    gold = _gold_cells(dev_gold("r025"))
    assert {k: got.get(k) for k in gold} == gold
