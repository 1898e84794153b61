"""Glued runs at the edges of what the forward cut search sees: a run glued to the narrative after
its table, a long run whose consistent split lies beyond the search budget; a glued copy's loosely
numbered or unnumbered 四 heading; the decoder after a pair move."""

from __future__ import annotations

from gxparse.candidates import NARRATIVE_TAIL, ENFORCED_BUDGET, _Search, enumerate_candidates
from gxparse.ir import Candidate, Item, Reading, RowConstraint
from gxparse.locate import ends_in_narrative_number
from gxparse.parser import parse_source
from gxparse.sources import source_from_text

APPLICANT_TOTAL = (RowConstraint(parts=(0, 1, 2, 3, 4, 5), total=6),)
"""An applications row: six applicant columns and their total."""


def _run(digits: str, *flags: str) -> Item:
    return Item("num", digits, 0, len(digits), 0, flags)


def test_a_run_before_a_narrative_unit_holds_cells_when_no_sentence_number_could_be_all_of_it() -> None:
    text = "总计00 00020002000002020年,我单位 共2020年 受理158件 总计352020年 00.5%"
    assert ends_in_narrative_number(text, text.index("0002"))  # a number never begins with 0
    assert ends_in_narrative_number(text, text.index("352020"))  # six digits are no year
    assert not ends_in_narrative_number(text, text.index("2020年 受"))  # a year as printed
    assert not ends_in_narrative_number(text, text.index("158"))  # a count as printed
    assert not ends_in_narrative_number(text, text.index("00.5"))  # a decimal is no glued run
    assert not ends_in_narrative_number(text, text.index("20002"))  # only from the start of the run


def test_a_run_that_ends_in_the_sentences_number_may_stop_before_those_digits() -> None:
    run = "0002000200000" + "2020"
    plain = {c.values for c in enumerate_candidates([_run(run)], 13)}
    tail = {c.values for c in enumerate_candidates([_run(run, NARRATIVE_TAIL)], 13)}
    wanted = (0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0)
    assert wanted not in plain and wanted in tail
    # the sentence's number never begins with 0: no reading leaves "020" or "0" behind
    assert all(sum(len(r.raw) for r in c.readings) != len(run) - 3 for c in enumerate_candidates([_run(run, NARRATIVE_TAIL)], 13))


def test_the_review_table_glued_to_the_narrative_after_it_is_read_whole() -> None:
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
            "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
            "00 00020002000002020年,我单位政府信息公开工作取得一定成效,但仍存在不足。")
    report = parse_source(source_from_text(text))
    cells = report.tables["review_litigation"].rows["cases"]
    values = [cells[col].value for col in ("review_upheld", "review_total", "litigation_direct_upheld",
                                           "litigation_direct_total", "litigation_after_review_total")]
    assert values == [0, 0, 2, 2, 0]


def test_a_long_run_is_split_by_its_total_when_the_forward_search_runs_out_of_budget() -> None:
    run = "4077" "809" "124" "24" "89" "163" "5286"
    forward = _Search([_run(run)], 7, APPLICANT_TOTAL)
    forward.run(enforce=True, allow_missing=False, budget=ENFORCED_BUDGET)
    assert not forward.found  # beyond the forward search
    values = {c.values for c in enumerate_candidates([_run(run)], 7, APPLICANT_TOTAL)}
    assert (4077, 809, 124, 24, 89, 163, 5286) in values


def test_the_search_from_the_total_reads_only_splits_whose_parts_add_up() -> None:
    search = _Search([_run("000220123")], 7, APPLICANT_TOTAL)
    search.run_total_first(budget=1_000)
    assert {c.values for c in search.found.values()} == {(0, 0, 0, 2, 20, 1, 23), (0, 0, 0, 22, 0, 1, 23)}
    signed = _Search([_run("-12"), _run("12")], 2, (RowConstraint(parts=(0,), total=1),))
    signed.run_total_first(budget=1_000)
    assert not signed.found  # only unsigned digit runs


def test_the_review_table_is_found_by_its_header_run_when_nothing_else_finds_it() -> None:
    from gxparse.locate import locate_regions

    text = ("(七)总计————四、结转下年度继续办理————政府信息公开行政复、议、行政诉讼情况"
            "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计000000000000000五、存在的主要问题及改进情况")
    from gxparse.locate import locate_by_header_run

    assert "review_litigation" not in locate_regions(text)
    region = locate_by_header_run(text, "review_litigation", {})
    assert region is not None and text[region.start:].startswith("行政复议行政诉讼结果维持")
    assert text[region.start:region.end].endswith("000000000000000")
    report = parse_source(source_from_text(text))
    assert report.meta["located_by"]["review_litigation"] == "content"


def test_a_heading_numbered_loosely_in_a_glued_copy_still_anchors_its_table() -> None:
    from gxparse.locate import locate_regions

    tail = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计000000000000000。"
    for heading in ("(四)政府信息公开行政复议、行政诉讼情况", "20000024、 政府信息公 开行政复议、行政诉讼情况",
                    "四、政 信 息公开行政复议、行政诉讼情况"):
        text = "(七)总计000000" + heading + tail
        region = locate_regions(text)["review_litigation"]
        assert region.heading_start > text.index("(七)") and text[region.start:].startswith("行政复议行政诉讼")
    glued = "(七)总计2000002" + "4、 政府信息公 开行政复议、行政诉讼情况" + tail
    assert locate_regions(glued)["review_litigation"].heading_start == glued.index("4、")  # the numeral is no cell


def test_after_a_pair_move_a_row_may_go_back_to_its_best_reading() -> None:
    """The single-row ascent a pair move is followed by tries every reading of a row, its best one too
    (a pair move can leave a row on a worse reading that no identity needs any more)."""
    from gxparse.ir import RowProblem, TableProblem
    from gxparse.place import _IdentityTerm, _row_ascent, _Scored

    problem = TableProblem("t", [RowProblem("x", ("a",), []), RowProblem("y", ("a",), [])], ())
    scored = [_Scored([_cand_of(12), _cand_of(120)], [0.0, -11.0]), _Scored([_cand_of(5)], [0.0])]
    left_by_a_pair_move = [1, 0]
    term = _IdentityTerm(problem, scored, left_by_a_pair_move)
    assert _row_ascent(scored, left_by_a_pair_move, term, 3.0) == [0, 0]


def _cand_of(*values: int) -> Candidate:
    return Candidate(tuple(Reading("num", str(v), 0, len(str(v)), 0) for v in values), (), ())


def test_training_tags_come_from_exact_anchors_only() -> None:
    from gxparse.locate import locate_regions
    from gxparse.parser import analyze

    tail = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计000000000000000。"
    loose = "(七)总计000000(四)政府信息公开行政复议、行政诉讼情况" + tail
    assert "review_litigation" in locate_regions(loose)
    assert "review_litigation" not in locate_regions(loose, exact=True)
    exact = "(七)总计000000\n四、政府信息公开行政复议、行政诉讼情况\n" + tail
    assert "review_litigation" in locate_regions(exact, exact=True)
    no_heading = "(七)总计————政府信息公开行政复、议、行政诉讼情况" + tail
    assert "review_litigation" in analyze(no_heading, locator=None).tables  # by its header run
    assert "review_litigation" not in analyze(no_heading, locator=None, exact_anchors=True).tables
