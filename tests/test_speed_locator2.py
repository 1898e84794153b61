"""The locator's warm-path shortcuts give what the plain computations give (session 15, second pass).

Each test pins one mechanism against the computation it replaced: the facts of a line that
:func:`gxparse.locator._with_row_context` asks for, looked up once per line, against asking each question
of the line in turn; the runs of each table's lines made from their indices, gathered in one pass, against
the runs of each table's marks.
"""

from __future__ import annotations

import random
from pathlib import Path

from gxparse import locator
from gxparse.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "training_data/dev"

# Lines that row context treats apart: grids, placeholders, values only, shared and own labels, wrapped pieces.
_ODD_LINES = ["", " ", "|", "| 四、结转下年度继续办理 | 0 |", "四、结转下年度继续办理0000000", "(七)总计", "(七)总计 0 0",
              "————", "0 0 0", "2021年", "1.2 3", "不补正、行政机关不再处理 0 0 0", "其他 0", "行政强制 0 行政事业性收费 0",
              "。", "\u3000其他", "| 其他 |", "全年制发行政规范性文件3件。"]


def _dev_lines() -> list[str]:
    """Every dev report's lines as the tagger reads them, each once."""
    lines = [ln.text for path in sorted(DEV.glob("*.txt"))
             for ln in locator.split_lines(normalize_text(path.read_text(encoding="utf-8")).text)]
    return list(dict.fromkeys(lines))


def test_row_facts_are_the_answers_of_each_question() -> None:
    lines = _dev_lines() + _ODD_LINES
    assert len(lines) > 1000
    for line in lines:
        facts = locator._row_facts(line)
        assert facts == (locator._label_owners(line), locator._label_owners(line.lstrip(locator._CELL_EDGE)),
                         locator._rows_owner(line), bool(locator._GRID_CELL.search(line)),
                         bool(locator._VALUES_ONLY.fullmatch(line))), line
    seen = [locator._row_facts(line) for line in lines]
    assert all(any(getattr(f, field) for f in seen) for field in locator._RowFacts._fields)  # each fact was seen true


def _runs_of_marks(marks: list[bool], gap: int) -> list[tuple[int, int]]:
    """The runs of marked lines by their definition: a run ends where more than ``gap`` unmarked lines follow it."""
    runs: list[list[int]] = []
    unmarked = 0
    for i, marked in enumerate(marks):
        if not marked:
            unmarked += 1
            continue
        if runs and unmarked <= gap:
            runs[-1][1] = i
        else:
            runs.append([i, i])
        unmarked = 0
    return [(first, last) for first, last in runs]


def test_runs_of_each_table_found_in_one_pass_are_the_runs_of_its_marks() -> None:
    """:func:`gxparse.locator.tagged_regions` gathers each table's lines once and makes their runs (and the
    blocks of table lines) from the indices: the runs of the marks, gap or not."""
    rng = random.Random(1515)
    for n in (0, 1, 2, 5, 40, 300):
        for _ in range(50):
            tables = [rng.choice([locator.OTHER, locator.HEADING, "AD", "APP", "RL", locator.LEGACY]) for _ in range(n)]
            at: dict[str, list[int]] = {}
            for i, t in enumerate(tables):
                at.setdefault(t, []).append(i)
            for tag in locator._REGION_TAGS:
                for gap in (0, 1, locator.RUN_GAP_LINES):
                    assert locator._runs_at(at.get(tag, ()), gap) == _runs_of_marks([t == tag for t in tables], gap)
            blocks = sorted(i for tag in locator._REGION_TAGS for i in at.get(tag, ()))
            assert locator._runs_at(blocks, gap=0) == _runs_of_marks(
                [t in locator._TAG_TABLE or t == locator.LEGACY for t in tables], gap=0)
