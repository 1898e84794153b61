"""Cutting glued digit runs into cells: what tells the cuts of one run apart.

A cut only moves digits between cells, so the evidence is how many digits each column prints
(column length priors), a plus sign (printed only before a change), and, at the end of an input,
whether the last row was printed whole.
"""

from __future__ import annotations

import numpy as np

from gxparse.features import RowContext, candidate_features, FEATURE_NAMES
from gxparse.ir import Candidate, Item, Reading, RowProblem, TableProblem
from gxparse.parser import parse_source
from gxparse.place import ModelPlacer
from gxparse.priors import MAX_DIGIT_CLASS, cut_log_prior, digit_class, digit_log_likelihood, fit_priors
from gxparse.train import Dataset, fit_cut_prior_weights
from gxparse.realign import RealignModel, load_model
from gxparse.segments import row_constraints
from gxparse.sources import source_from_text
from gxparse.template import get_template

ROW_ID_FAIL = FEATURE_NAMES.index("row_id_fail")
LICENSING_COLS = ("prev_year_items", "change_this_year", "decisions")
PROCUREMENT_COLS = ("procurement_items", "procurement_amount")


def _cand(*raws: str) -> Candidate:
    return Candidate(tuple(Reading("num", raw, 0, len(raw), 0, True) for raw in raws), (), ())


def test_digit_class_counts_the_printed_integer_digits() -> None:
    assert [digit_class(v) for v in (0, 1, 9, 10, -18, 206.286043, 0.5, 73802895.9)] == [0, 1, 1, 2, 2, 3, 1, 8]
    assert digit_class(10 ** 15) == MAX_DIGIT_CLASS


def test_fitted_priors_count_each_columns_printed_lengths() -> None:
    gold = [{"active_disclosure": {"centralized_procurement": {"procurement_items": 1, "procurement_amount": 206.28}}},
            {"active_disclosure": {"centralized_procurement": {"procurement_items": 0, "procurement_amount": 0}}}]
    priors = fit_priors(gold)
    assert priors["active_disclosure.procurement_items"]["digits"][:2] == [1, 1]
    assert priors["active_disclosure.procurement_amount"]["digits"][3] == 1
    short, long = (digit_log_likelihood(priors, "active_disclosure", "procurement_items", v) for v in (5, 120))
    assert short is not None and long is not None and short > long
    assert digit_log_likelihood({}, "active_disclosure", "procurement_items", 5) is None  # a model without counts


def _procurement_priors() -> dict:
    """Priors in which 采购项目数量 prints one or two digits and 采购总金额 three or more (as on dev gold)."""
    gold = [{"active_disclosure": {"centralized_procurement": {"procurement_items": items, "procurement_amount": amount}}}
            for items, amount in ((6, 52.15), (6, 251000), (8, 2059.209), (12, 3443.5), (3, 518.2), (1, 90.5))]
    return fit_priors(gold)


def test_the_cut_prior_favours_the_cut_that_gives_each_column_its_usual_length() -> None:
    cands = [_cand("120", "6.286043"), _cand("1", "206.286043")]
    prior = cut_log_prior(cands, "active_disclosure", "centralized_procurement", PROCUREMENT_COLS, _procurement_priors())
    assert prior[1] > prior[0]


def test_the_cut_prior_is_silent_where_no_run_is_cut_or_the_priors_hold_no_lengths() -> None:
    whole = [Candidate((Reading("num", "12", 0, 2, 0), Reading("num", "5", 3, 4, 1)), (), ())]
    assert not cut_log_prior(whole, "active_disclosure", "centralized_procurement", PROCUREMENT_COLS, _procurement_priors()).any()
    cands = [_cand("120", "6.286043"), _cand("1", "206.286043")]
    assert not cut_log_prior(cands, "active_disclosure", "centralized_procurement", PROCUREMENT_COLS, {}).any()


def test_a_glued_procurement_run_is_cut_by_the_columns_usual_lengths() -> None:
    shipped = load_model()
    model = RealignModel(shipped.weights, {**shipped.meta, "priors": _procurement_priors(),
                                           "cut_prior_weights": {"active_disclosure": 1.0}})
    text = "政府集中采购1206.286043"
    row = RowProblem("centralized_procurement", PROCUREMENT_COLS, [Item("num", text[6:], 6, len(text), 0)])
    placed = ModelPlacer(model).place(TableProblem("active_disclosure", [row]))[0]
    assert [r.raw for r in placed.readings] == ["1", "206.286043"]


def _dataset(rows: list[tuple[list[float], list[float], list[int]]], table: str = "active_disclosure") -> Dataset:
    """A training set of rows given as (classifier log-odds, cut priors, labels) per candidate."""
    scores = [s for row in rows for s in row[0]]
    n = len(scores)
    return Dataset(np.zeros((n, 1)), np.asarray([y for row in rows for y in row[2]]), np.zeros(n, dtype=int),
                   np.asarray([r for r, row in enumerate(rows) for _ in row[0]]), {},
                   np.asarray([p for row in rows for p in row[1]]), [table] * len(rows))


def test_training_weighs_the_cut_prior_by_how_well_it_picks_the_right_cut() -> None:
    # the classifier prefers the wrong cut by 1 nat; the prior prefers the right one by 2
    helpful = _dataset([([0.0, 1.0], [-1.0, -3.0], [1, 0])] * 5)
    scores = np.asarray([0.0, 1.0] * 5)
    assert fit_cut_prior_weights(scores, helpful)["active_disclosure"] > 0.5
    misleading = _dataset([([1.0, 0.0], [-3.0, -1.0], [1, 0])] * 5)
    assert fit_cut_prior_weights(np.asarray([1.0, 0.0] * 5), misleading)["active_disclosure"] == 0.0
    uncut = _dataset([([0.0, 1.0], [0.0, 0.0], [1, 0])])  # no candidate cuts a run: nothing to weigh
    assert fit_cut_prior_weights(np.asarray([0.0, 1.0]), uncut) == {}


def test_a_plus_sign_outside_a_change_column_rules_the_reading_out() -> None:
    ctx = RowContext("active_disclosure", "admin_licensing", LICENSING_COLS, ())
    items = [Item("num", "18", 0, 2, 0), Item("num", "+434", 2, 6, 0)]
    right = candidate_features(_cand("18", "+4", "34"), items, ctx)
    wrong = candidate_features(_cand("1", "8", "+434"), items, ctx)
    assert wrong[ROW_ID_FAIL] == right[ROW_ID_FAIL] + 1


def test_a_glued_row_with_a_plus_sign_is_cut_after_the_sign() -> None:
    row = RowProblem("admin_licensing", LICENSING_COLS, [Item("num", "18", 0, 2, 0), Item("num", "+434", 2, 6, 0)])
    placed = ModelPlacer().place(TableProblem("active_disclosure", [row]))[0]
    assert [r.raw for r in placed.readings] == ["18", "+4", "34"]


REVIEW_HEADER = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
                 "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")


def test_a_glued_last_row_with_a_blank_inside_is_whole_at_the_end_of_the_input() -> None:
    # 15 cells: twelve zeros glued, a blank printed as spaces, then the last 0; the input ends there
    report = parse_source(source_from_text("一、总体情况本机关全年公开信息。" + REVIEW_HEADER + "000000000000  0"))
    cells = report.tables["review_litigation"].rows["cases"]
    assert len(cells) == 15
    assert [cells[c].value for c in ("review_upheld", "review_total", "litigation_direct_total")] == [0, 0, 0]
    assert cells["litigation_after_review_upheld"].value == 0


def test_a_last_row_cut_short_keeps_only_the_cells_present() -> None:
    report = parse_source(source_from_text("一、总体情况本机关全年公开信息。" + REVIEW_HEADER + "3 1 0"))
    cells = report.tables["review_litigation"].rows["cases"]
    assert [c.value for c in cells.values()] == [3, 1, 0]


def test_a_separated_last_row_one_cell_short_is_cut_not_blank_inside() -> None:
    # 14 of 15 cells, separated: the input ends inside the row, whatever blank a reading could infer
    report = parse_source(source_from_text("一、总体情况本机关全年公开信息。" + REVIEW_HEADER + " 0" * 14))
    cells = report.tables["review_litigation"].rows["cases"]
    assert [c.value for c in cells.values()] == [0] * 14


def test_a_glued_last_row_without_identities_is_cut_into_every_cell_at_the_end_of_the_input() -> None:
    text = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年新制作数量本年新公开数量对外公开总数量规章000"
            "规范性文件5512第二十条第(五)项信息内容上一年项目数量本年增/减处理决定数量行政许可1004其他对外管理服务事项000"
            "第二十条第(六)项信息内容上一年项目数量本年增/减处理决定数量行政处罚018行政强制120第二十条第(八)项信息内容"
            "上一年项目数量本年增/减行政事业性收费197第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购 761")
    procurement = parse_source(source_from_text(text)).tables["active_disclosure"].rows["centralized_procurement"]
    assert [c.raw for c in procurement.values()] == ["7", "61"]


def test_a_rows_own_lengths_weigh_beside_its_columns() -> None:
    # 行政许可 prints three-digit decisions, 行政强制 one-digit ones: the column alone cannot tell them apart
    gold = [{"active_disclosure": {"admin_licensing": {"decisions": 300 + n}, "admin_coercion": {"decisions": 1 + n % 9}}}
            for n in range(40)]
    priors = fit_priors(gold)
    column = digit_log_likelihood(priors, "active_disclosure", "decisions", 5)
    licensing = digit_log_likelihood(priors, "active_disclosure", "decisions", 5, "admin_licensing")
    coercion = digit_log_likelihood(priors, "active_disclosure", "decisions", 5, "admin_coercion")
    assert column is not None and licensing is not None and coercion is not None
    assert coercion > column > licensing
    assert digit_log_likelihood(priors, "active_disclosure", "decisions", 5, "unseen_row") == column


def test_a_glued_rows_only_split_that_keeps_its_total_stays_among_its_readings() -> None:
    """``240403139296`` under seven cells: 240 | 40 | 3 | 1 | 3 | 9 | 296 is the one split whose parts add up to
    its total; however low the length prior ranks three-digit cells in the row, the table's decoding must
    be able to choose it."""
    spec = get_template("gov2021").table("applications")
    row_spec = next(r for r in spec.rows if r.key == "unable_unclear")
    row = RowProblem(row_spec.key, row_spec.cols, [Item("num", "240403139296", 0, 12, 0)],
                     row_constraints(spec, row_spec.cols))
    scored = ModelPlacer().score_row(TableProblem("applications", [row], spec.identities), row)
    assert (240, 40, 3, 1, 3, 9, 296) in [c.values for c in scored.candidates]


def test_two_rows_printing_the_same_run_are_each_scored_by_their_own_lengths() -> None:
    """A row's scores are cached by what scoring reads, its key included: the same glued run under a row
    that prints three-digit values and under one that prints one-digit values is cut apart, in either order."""
    gold = [{"active_disclosure": {"admin_licensing": {"prev_year_items": 1 + n % 9, "change_this_year": 100 + n,
                                                       "decisions": 300 + n},
                                   "admin_penalty": {"prev_year_items": 100 + n, "change_this_year": 1 + n % 9,
                                                     "decisions": 300 + n}}} for n in range(40)]
    shipped = load_model()
    model = RealignModel(shipped.weights, {**shipped.meta, "priors": fit_priors(gold),
                                           "cut_prior_weights": {"active_disclosure": 5.0}})
    run = "1234567"

    def cut(key: str) -> list[str]:
        row = RowProblem(key, LICENSING_COLS, [Item("num", run, 0, len(run), 0)])
        return [r.raw for r in ModelPlacer(model).place(TableProblem("active_disclosure", [row]))[0].readings]

    first = cut("admin_licensing"), cut("admin_penalty")
    assert first[0] != first[1]
    assert (cut("admin_penalty"), cut("admin_licensing")) == first[::-1]
