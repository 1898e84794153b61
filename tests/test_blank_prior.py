"""The blank class of the column length prior: a row that lacks a cell dropped a blank, or glued two numbers.

A space-separated row ``行政处罚 0 1720`` under three columns holds two tokens: either one cell is a
blank the copy dropped (0 | blank | 1720), or a separator vanished and ``1720`` is two cells. What
tells them apart is how often each column is printed blank, counted from the gold like the lengths.
"""

from __future__ import annotations

from gxparse.candidates import enumerate_candidates
from gxparse.ir import Item
from gxparse.priors import cut_log_prior, digit_log_likelihood, fit_priors

COLS = ("prev_year_items", "change_this_year", "decisions")


def _gold(rows: list[tuple[int | None, int | None, int | None]]) -> list[dict]:
    return [{"active_disclosure": {"admin_penalty": dict(zip(COLS, row))}} for row in rows]


def _row_items(*tokens: str, one_line: bool = True) -> list[Item]:
    items, at = [], 0
    for n, token in enumerate(tokens):
        items.append(Item("num", token, at, at + len(token), 0 if one_line else n))
        at += len(token) + 1
    return items


def test_gold_blank_cells_are_counted_per_column_and_row() -> None:
    priors = fit_priors(_gold([(None, 1, 2), (3, None, None), (0, 5, 60)]))
    assert priors["active_disclosure.prev_year_items"]["blanks"] == 1
    assert priors["active_disclosure.change_this_year"]["blanks"] == 1
    assert priors["active_disclosure.admin_penalty.decisions"]["blanks"] == 1
    assert priors["active_disclosure.prev_year_items"]["digits"][:2] == [1, 1]  # lengths are counted as before


def test_a_column_often_blank_makes_a_blank_likelier_there() -> None:
    priors = fit_priors(_gold([(1, None, 12)] * 5 + [(None, 3, 40)]))
    often = digit_log_likelihood(priors, "active_disclosure", "change_this_year", None, "admin_penalty")
    rarely = digit_log_likelihood(priors, "active_disclosure", "prev_year_items", None, "admin_penalty")
    assert often is not None and rarely is not None and often > rarely


def test_a_model_without_blank_counts_scores_no_blank() -> None:
    priors = fit_priors(_gold([(1, 2, 12)]))
    for entry in priors.values():
        entry.pop("blanks")
    assert digit_log_likelihood(priors, "active_disclosure", "change_this_year", None) is None
    assert digit_log_likelihood(priors, "active_disclosure", "change_this_year", 5) is not None


def _best(priors: dict, *tokens: str, one_line: bool = True) -> tuple:
    items = _row_items(*tokens, one_line=one_line)
    cands = enumerate_candidates(items, len(COLS))
    prior = cut_log_prior(cands, "active_disclosure", "admin_penalty", COLS, priors, items)
    return max(zip(prior, range(len(cands))))[1], cands


def test_where_blanks_are_rare_a_short_row_cuts_its_glued_run() -> None:
    priors = fit_priors(_gold([(0, 17, 20), (3, 1, 45), (12, 2, 33), (0, 4, 18)] * 5))
    best, cands = _best(priors, "0", "1720")
    assert cands[best].values == (0, 17, 20)


def test_where_a_column_is_often_blank_a_short_row_leaves_it_blank() -> None:
    priors = fit_priors(_gold([(0, None, 1720), (3, None, 4512), (12, None, 3301)] * 5))
    best, cands = _best(priors, "0", "1720")
    assert cands[best].values == (0, None, 1720)


def test_values_on_lines_of_their_own_are_not_weighed_against_a_dropped_blank() -> None:
    # one cell per line: 19 is one cell, the row dropped a blank (synthetic 2718-226, 行政规范性文件 19 / blank / 19)
    priors = fit_priors(_gold([(0, 17, 20), (3, 1, 45), (12, 2, 33), (0, 4, 18)] * 5))
    items = _row_items("0", "1720", one_line=False)
    cands = enumerate_candidates(items, len(COLS))
    prior = cut_log_prior(cands, "active_disclosure", "admin_penalty", COLS, priors, items)
    blank = next(n for n, c in enumerate(cands) if c.values == (0, None, 1720))
    cut = next(n for n, c in enumerate(cands) if c.values == (0, 17, 20))
    with_blank_class = cut_log_prior(cands, "active_disclosure", "admin_penalty", COLS, priors, _row_items("0", "1720"))
    assert with_blank_class[cut] > with_blank_class[blank]
    numbers_only = sum(digit_log_likelihood(priors, "active_disclosure", col, value, "admin_penalty")
                       for col, value in (("prev_year_items", 0), ("decisions", 1720)))
    assert prior[blank] == numbers_only  # the blank adds no term: the lengths alone, as before the blank class
