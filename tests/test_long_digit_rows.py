"""The bound on rows of long digit runs (gxparse.candidates.LONG_DIGIT_BUDGETS): such a row is searched under
the small budgets, whatever its length, and keeps at most their candidates; a row that could be printed is
searched as before; the parser warns about the rows the bound may have cut short."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import gxparse
from gxparse import candidates
from gxparse.candidates import (BUDGETS, LONG_DIGIT_BUDGETS, LONG_DIGITS_PER_CELL, _Search, enumerate_candidates,
                                long_digit_row, search_bounded)
from gxparse.ir import Item, RowConstraint
from gxparse.split_search import consistent_candidates

DEV = Path(__file__).resolve().parent.parent / "training_data" / "dev"
SEVEN = 7  # the cells of an applications row (table 二), whose last totals the others
TOTAL_OF_THE_REST = (RowConstraint(tuple(range(SEVEN - 1)), SEVEN - 1),)


def _items(tokens: list[str]) -> list[Item]:
    """Number items of one line, a space apart."""
    out, at = [], 0
    for token in tokens:
        out.append(Item("num", token, at, at + len(token), 0))
        at += len(token) + 1
    return out


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Record (search, budget, nodes visited) of every search of the row."""
    runs: list[tuple[str, int, int]] = []
    run, total_first = _Search.run, _Search.run_total_first

    def spied_run(self: _Search, *, enforce: bool, allow_missing: bool, budget: int) -> None:
        run(self, enforce=enforce, allow_missing=allow_missing, budget=budget)
        runs.append(("enforced" if enforce else "free", budget, self.nodes))

    def spied_total_first(self: _Search, *, budget: int) -> None:
        total_first(self, budget=budget)
        runs.append(("total_first", budget, getattr(self, "nodes", 0)))

    monkeypatch.setattr(_Search, "run", spied_run)
    monkeypatch.setattr(_Search, "run_total_first", spied_total_first)
    return runs


def test_a_printed_glued_row_is_no_long_digit_row() -> None:
    # the longest glued run of the dev corpus: 21 digits under the 7 cells of an applications row
    assert not long_digit_row(_items(["407780912424891635286"]), SEVEN)
    assert not long_digit_row(_items(["1" * LONG_DIGITS_PER_CELL]), 1)
    assert long_digit_row(_items(["1" * (LONG_DIGITS_PER_CELL + 1)]), 1)


@pytest.mark.parametrize(("numbers", "digits"), [(8, 20), (8, 64), (1, 64), (3, 30)])
def test_a_long_digit_row_stays_within_the_small_budgets(monkeypatch: pytest.MonkeyPatch, numbers: int, digits: int) -> None:
    rng = random.Random(numbers * 100 + digits)
    items = _items([_digits(rng, digits) for _ in range(numbers)])
    assert long_digit_row(items, SEVEN)
    runs = _spy(monkeypatch)
    cands = enumerate_candidates(items, SEVEN, TOTAL_OF_THE_REST)
    small = {LONG_DIGIT_BUDGETS.enforced, LONG_DIGIT_BUDGETS.enforced_missing, LONG_DIGIT_BUDGETS.total_first,
             LONG_DIGIT_BUDGETS.free, LONG_DIGIT_BUDGETS.free_with_consistent, LONG_DIGIT_BUDGETS.free_exact}
    assert runs and all(budget in small and nodes <= budget + 1 for _, budget, nodes in runs)
    assert 0 < len(cands) <= LONG_DIGIT_BUDGETS.candidates
    assert all(len(c.readings) == SEVEN for c in cands)
    source = "".join(it.text for it in items)
    assert all(r.raw in source for c in cands for r in c.readings if r.kind == "num")  # read, not made up


def test_a_printed_row_keeps_the_usual_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _items(["407780912424891635286"])
    runs = _spy(monkeypatch)
    enumerate_candidates(items, SEVEN, TOTAL_OF_THE_REST)
    usual = {BUDGETS.enforced, BUDGETS.enforced_missing, BUDGETS.total_first, BUDGETS.free,
             BUDGETS.free_with_consistent, BUDGETS.free_exact}
    assert runs and all(budget in usual for _, budget, _ in runs)
    assert not search_bounded(items, SEVEN)


def test_the_decision_holds_no_more_partial_sums_than_its_cap() -> None:
    items = _items(["3", "4", "7"])  # 3 + 4 = 7: decided at the default cap, undecided with none
    search = _Search(items, 3, (RowConstraint((0, 1), 2),))
    runs = ["3", "4", "7"]
    decided = consistent_candidates(items, 3, search.constraints, runs, search._reading, search._whole_readings, limit=10)
    assert decided and [c.values for c in decided] == [(3, 4, 7)]
    assert consistent_candidates(items, 3, search.constraints, runs, search._reading, search._whole_readings,
                                 limit=10, state_cap=1) is None


def test_the_parser_warns_about_the_rows_cut_short_and_not_about_printed_ones() -> None:
    text = (DEV / "seed004.txt").read_text(encoding="utf-8")
    assert not any("LONG_DIGIT_BUDGETS" in w for w in gxparse.parse(text).warnings)
    rng = random.Random(64)
    long = "".join(_digits(rng, 64) if part.isdigit() else part for part in _split_numbers(text))
    report = gxparse.parse(long)
    warned = [w for w in report.warnings if "LONG_DIGIT_BUDGETS" in w]
    assert warned and all(w.split(":")[0].split(".")[0] in report.tables for w in warned)


def _split_numbers(text: str) -> list[str]:
    import re

    return re.split(r"(\d+)", text)


def test_the_budgets_are_a_fraction_of_the_usual() -> None:
    assert all(small < usual for small, usual in zip(LONG_DIGIT_BUDGETS, BUDGETS))
    assert candidates.MAX_CANDIDATES == BUDGETS.candidates


def test_a_line_of_values_is_recognised_by_its_characters_alone() -> None:
    # the locator's test of a line of values (which once backtracked once per character of a long line):
    # only value characters, at least one of them a digit, placeholder or grid bar
    from gxparse.locator import _VALUE_CHARS, _VALUES_ONLY

    marks = set("0123456789—―─━|")
    rng = random.Random(7)
    alphabet = _VALUE_CHARS + "\n行年a"
    for _ in range(20_000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        expected = all(ch in _VALUE_CHARS or ch.isspace() for ch in line) and any(ch in marks for ch in line)
        assert bool(_VALUES_ONLY.fullmatch(line)) == expected, line
    assert not _VALUES_ONLY.fullmatch(" ".join(["9" * 64] * 2_000) + " 行")


def test_decimals_are_no_digits_of_a_cells_length() -> None:
    assert not long_digit_row(_items(["621.712962"]), 1)  # a 万元 amount of 3 digits, 6 decimals
    assert not long_digit_row(_items(["39573802895.90元"]), 2)  # a count glued to an amount in 元
