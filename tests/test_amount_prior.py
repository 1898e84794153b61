"""The amount-per-item prior: which cut of a glued count-and-amount run is plausible.

``政府集中采购 39573802895.90元`` under 采购项目数量 / 采购总金额 can be cut 395 | 73802895.9 (about
187,000 元 a purchase) or 39573 | 802895.9 (about 20 元): every cut is a valid reading and no identity
checks the row, but the amount per item tells them apart. The prior is fitted from real rows' gold
(synthetic renderings draw amounts apart from counts) and only reorders readings of the source.
"""

from __future__ import annotations

import math

import numpy as np

from gxparse.candidates import enumerate_candidates
from gxparse.ir import Item, RowProblem, Segmentation, TableProblem
from gxparse.priors import (AMOUNT_MIN_SIGMA, amount_log_likelihood, amount_log_prior, amount_pairs, amount_samples,
                            fit_amount_priors, label_unit, printed_unit, with_label_units)
from gxparse.train import AnnotatedReport, Dataset, fit_real_amount_priors, is_rendered

TABLE = "active_disclosure"
COLS = ("procurement_items", "procurement_amount")
KEY = f"{TABLE}.procurement_items/procurement_amount"


def _priors() -> dict:
    # amounts per item of 1e5, 3e4 and 2e6 元 (the last printed in 万元), and one row printed without a unit
    return fit_amount_priors([(KEY, 10.0, 1e6, "元", True), (KEY, 4.0, 120000.0, "元", False),
                              (KEY, 5.0, 1000.0, "万元", True), (KEY, 6.0, 52.15, None, False)])


def _cuts(run: str) -> dict[tuple, float]:
    cands = enumerate_candidates([Item("num", run, 0, len(run), 0)], 2)
    scores = amount_log_prior(cands, TABLE, COLS, _priors())
    return {c.values: float(s) for c, s in zip(cands, scores)}


def test_the_pairs_come_from_the_templates_column_kinds() -> None:
    assert amount_pairs(TABLE, COLS) == ((0, 1),)
    assert amount_pairs(TABLE, ("prev_year_items", "change_this_year", "decisions")) == ()
    assert amount_pairs("legacy_indicators", ("current", "cumulative")) == ()


def test_fit_reads_the_printed_unit_and_floors_the_spread() -> None:
    prior = _priors()[KEY]
    # 52.15 over 6 items is 8.7 元 or 86,917 元 a purchase: read in 万元, the likelier unit under the others
    logs = [5.0, math.log10(30000), math.log10(2e6), math.log10(521500 / 6)]
    assert (prior["n"], prior["n_unit_printed"]) == (4, 3)
    assert math.isclose(prior["mu"], sum(logs) / 4, abs_tol=1e-5)
    assert prior["sigma"] >= AMOUNT_MIN_SIGMA
    assert prior["units"] == {"万元": 1, "元": 2}
    assert printed_unit("73802895.90元") == "元" and printed_unit("2059.2090万元") == "万元" and printed_unit("52.15") is None


def test_an_amount_of_zero_is_no_sample_so_its_cut_is_not_ruled_out() -> None:
    """``政府集中采购240``: 24 purchases and 0 元 states no amount per item (nothing spent, or nothing stated), so
    the cut 24 | 0 is not scored as a purchase of a fraction of a 元 below 2 | 40: neither cut is ranked by the
    prior, and the classifier, the length prior and the rival check (which warns) decide."""
    scores = _cuts("240")
    assert scores[(24, 0)] == 0.0 and scores[(2, 40)] == 0.0
    cands = enumerate_candidates([Item("num", "240", 0, 3, 0)], 2)
    assert amount_samples(next(c for c in cands if c.values == (24, 0)), TABLE, COLS) == ()


def test_the_plausible_cut_of_a_glued_run_scores_highest() -> None:
    scores = _cuts("39573802895.90元")
    assert max(scores, key=scores.get) == (395, 73802895.9)
    assert scores[(395, 73802895.9)] == 0.0  # the row's best cut: the others are scored below it
    assert scores[(39573, 802895.9)] < -5  # 20 元 a purchase is many spreads off


def test_an_amount_without_its_unit_is_read_in_either_unit() -> None:
    priors = _priors()
    in_wan = amount_log_likelihood(priors, (KEY, 6.0, 52.15, None, True))  # 8.7 万元 a purchase: plausible in 万元
    as_yuan = amount_log_likelihood(priors, (KEY, 6.0, 52.15, "元", True))  # 8.7 元: not
    assert in_wan > as_yuan + 5


def test_only_cuts_of_one_run_are_ranked_never_a_cut_against_a_reading_that_keeps_cells_apart() -> None:
    # 14 and 325 printed apart (one cell per line): reading 1 | 4 cuts one run, 14 | 325 cuts none
    items = [Item("num", "14", 0, 2, 0), Item("num", "325", 3, 6, 1)]
    cands = enumerate_candidates(items, 2)
    scores = dict(zip((c.values for c in cands), amount_log_prior(cands, TABLE, COLS, _priors())))
    assert scores[(14, 325)] == max(scores.values()) == 0.0  # no cut scores above the reading that cuts nothing
    assert scores[(32, 5)] < scores[(3, 25)]  # the cuts are ranked among themselves
    apart = amount_samples(next(c for c in cands if c.values == (14, 325)), TABLE, COLS)
    assert apart == ((KEY, 14.0, 325.0, None, False),)  # still a sample for fitting: the ratio is the row's


def test_no_pair_no_priors_no_term() -> None:
    cands = enumerate_candidates([Item("num", "12345", 0, 5, 0)], 2)
    assert not amount_log_prior(cands, TABLE, ("prev_year_items", "decisions"), _priors()).any()
    assert not amount_log_prior(cands, TABLE, COLS, {}).any()


def _dataset(rendered: bool) -> Dataset:
    """Two rows, of two reports, each a glued count-and-amount run read by every cut into two numbers."""
    amounts, y, rows = [], [], []
    for r, (run, want) in enumerate((("5200000元", (5, 200000)), ("41600000元", (4, 1600000)))):
        for cand in enumerate_candidates([Item("num", run, 0, len(run), 0)], 2):
            amounts.append(amount_samples(cand, TABLE, COLS))
            y.append(int(cand.values == want))
            rows.append(r)
    n = len(y)
    variants = {"variants": []} if rendered else {}  # a synthetic rendering's gold names its variants
    reports = [AnnotatedReport(name, "", {"layout": "glued", **variants}) for name in ("x", "y")]
    return Dataset(np.zeros((n, 1)), np.asarray(y), np.asarray(rows), np.asarray(rows), {}, np.zeros(n),
                   [TABLE, TABLE], amounts, [is_rendered(report) for report in reports])


def test_training_fits_the_prior_from_the_right_cuts_of_real_reports_only() -> None:
    priors = fit_real_amount_priors(_dataset(rendered=False))
    assert priors[KEY]["n"] == 2
    assert math.isclose(priors[KEY]["mu"], (math.log10(40000) + math.log10(400000)) / 2, abs_tol=1e-5)
    assert fit_real_amount_priors(_dataset(rendered=True)) == {}


def test_the_placer_weighs_the_prior_where_the_model_holds_one() -> None:
    import copy
    from pathlib import Path

    from gxparse.normalize import normalize_text
    from gxparse.parser import analyze
    from gxparse.place import ModelPlacer
    from gxparse.realign import load_model

    packaged = load_model()
    without, with_prior = copy.copy(packaged), copy.copy(packaged)
    without.meta = {k: v for k, v in packaged.meta.items() if k != "amount_priors"}
    with_prior.meta = {**packaged.meta, "amount_priors": _priors()}
    # a 2019-format report whose 政府集中采购 row prints a glued run: 516 元 a purchase (156 | 80594.43)
    # or 45,373 元 (15 | 680594.43)
    text = (Path(__file__).resolve().parent.parent / "training_data" / "dev" / "r009.txt").read_text(encoding="utf-8")
    text = normalize_text(text.replace("39573802895.90元", "15680594.43元")).text
    _, _, seg = analyze(text, locator=packaged.locator).tables["active_disclosure"]
    row = next(r for r in seg.problem.rows if r.key == "centralized_procurement")
    gaps = []
    for model in (without, with_prior):
        scored = ModelPlacer(model).score_row(seg.problem, row)
        logp = {c.values: p for c, p in zip(scored.candidates, scored.logp)}
        gaps.append(logp[(15, 680594.43)] - logp[(156, 80594.43)])
    assert gaps[1] - gaps[0] > 1.0  # the prior moves the plausible cut up by its log-density ratio
    placed = ModelPlacer(with_prior).place(seg.problem)[seg.problem.rows.index(row)]
    assert [r.raw for r in placed.readings] == ["15", "680594.43元"]


def test_a_unit_named_in_the_row_label_reads_the_amounts_printed_without_one() -> None:
    # 政府集中采购(元)6675809: 667 | 5809 is 9 元 a purchase, 66 | 75809 is 1,149 元; read in 万元 the
    # first would be 87,000 元 a purchase, so without the label's unit it is the likelier cut
    run = "6675809"
    cands = enumerate_candidates([Item("num", run, 0, len(run), 0)], 2)
    scores = {unit: dict(zip((c.values for c in cands), amount_log_prior(cands, TABLE, COLS, _priors(), unit)))
              for unit in (None, "元")}
    assert scores[None][(667, 5809)] > scores[None][(66, 75809)]
    assert scores["元"][(667, 5809)] < scores["元"][(66, 75809)]


def test_the_row_label_gives_its_unit_to_rows_with_an_amount_only() -> None:
    assert label_unit("政府集中采购（元）") == "元"
    assert label_unit("采购总金额(万元)政府集中采购") == "万元"
    assert label_unit("采购总金额(万元)政府集中采购(元)") == "元"  # the row's own label comes last
    assert label_unit("政府集中采购") is None and label_unit("元旦") is None
    item = Item("num", "6675809", 20, 27, 0)
    rows = [RowProblem("centralized_procurement", COLS, [item]),
            RowProblem("admin_penalty", ("prev_year_items", "change_this_year", "decisions"), [])]
    seg = Segmentation(TableProblem(TABLE, rows), {"centralized_procurement": "政府集中采购(元)", "admin_penalty": "行政处罚(元)"},
                       {"centralized_procurement", "admin_penalty"}, "anchored")
    units = {row.key: row.unit for row in with_label_units(seg).problem.rows}
    assert units == {"centralized_procurement": "元", "admin_penalty": None}
    plain = Segmentation(TableProblem(TABLE, rows), {"centralized_procurement": "政府集中采购"}, set(), "anchored")
    assert with_label_units(plain) is plain
