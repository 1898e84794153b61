"""Where a spaced row dropped a blank: its wide gaps (gxparse.blank_gaps).

A row printed with spaces between its cells prints a blank cell as nothing between two separators
(``2.重复申请 0 0 0 0  0 0``), or a separator after its last value when the blank is last
(``3.补正后申请内容仍不明确 0 0 0 0 0 0 ``). Those gaps, not the classifier's guess, say where the
row's blank is.
"""

from __future__ import annotations

import re

import numpy as np

from gxparse.blank_gaps import WIDE_AFTER, WIDE_BEFORE, blank_shifts, mark_gaps, weigh_gap_blanks
from gxparse.candidates import enumerate_candidates
from gxparse.ir import Item, RowProblem, Segmentation, TableProblem

COLS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total")


def _segmentation(text: str) -> Segmentation:
    """One row per line of ``text``: its label, then its numbers as items."""
    rows, at = [], 0
    for n, line in enumerate(text.split("\n")):
        items = [Item("num", m.group(), at + m.start(), at + m.end(), n) for m in re.finditer(r"(?<![\d.])\d+(?![\d.])", line)]
        rows.append(RowProblem(f"row{n}", COLS, items))
        at += len(line) + 1
    return Segmentation(TableProblem("applications", rows), {}, set(), "anchored")


def _flags(seg: Segmentation, row: int) -> list[tuple[str, ...]]:
    return [it.flags for it in seg.problem.rows[row].items]


FULL = "一、本年新收 1 0 0 0 0 2 3\n二、上年结转 0 0 0 0 0 0 0\n(一)予以公开 4 0 0 0 0 0 4\n"


def test_a_double_space_in_a_single_spaced_row_marks_the_value_after_it() -> None:
    seg = mark_gaps(FULL + "2.重复申请 0 0 0 0  0 0", _segmentation(FULL + "2.重复申请 0 0 0 0  0 0"))
    assert [WIDE_BEFORE in f for f in _flags(seg, 3)] == [False, False, False, False, True, False]


def test_a_separator_after_the_last_value_marks_a_blank_last_cell() -> None:
    text = FULL + "3.补正后申请内容仍不明确 0 0 0 0 0 0 "
    seg = mark_gaps(text, _segmentation(text))
    assert _flags(seg, 3)[-1] == (WIDE_AFTER,)
    assert not any(_flags(seg, 3)[:-1])


def test_a_copy_that_ends_every_line_with_a_space_shows_no_blank_by_it() -> None:
    text = "\n".join(line + " " for line in FULL.strip().split("\n")) + "\n3.补正后申请内容仍不明确 0 0 0 0 0 0 "
    seg = mark_gaps(text, _segmentation(text))
    assert not any(_flags(seg, 3))


def test_rows_printing_every_cell_and_rows_without_a_wide_gap_are_left_alone() -> None:
    text = FULL + "2.重复申请 0 0 0 0 0 0"
    seg = _segmentation(text)
    assert mark_gaps(text, seg) is seg


def test_values_glued_together_have_no_gap_to_measure() -> None:
    text = FULL + "2.重复申请 000000  "
    seg = _segmentation(text)
    assert mark_gaps(text, seg) is seg


def _best(text: str, logits_of: dict[tuple, float] | None = None) -> tuple:
    seg = mark_gaps(text, _segmentation(text))
    row = seg.problem.rows[-1]
    cands = enumerate_candidates(row.items, len(COLS))
    # the classifier's guess: a blank total is unlikely (the place the gaps do not show is favoured)
    logits = np.array([(logits_of or {}).get(c.values, 3.0 if c.values[-1] is not None else -5.0) for c in cands])
    weighed = weigh_gap_blanks(cands, row.items, logits)
    return cands[int(np.argmax(weighed))].values


def test_the_gap_decides_where_the_dropped_blank_sits() -> None:
    assert _best(FULL + "2.重复申请 0 0 0 0  0 0") == (0, 0, 0, 0, None, 0, 0)
    assert _best(FULL + "4.无正当理由大量反复申请 1 0 0 0 0  1") == (1, 0, 0, 0, 0, None, 1)


def test_a_trailing_separator_outweighs_the_guess_that_totals_are_never_blank() -> None:
    assert _best(FULL + "3.补正后申请内容仍不明确 0 0 0 0 0 0 ") == (0, 0, 0, 0, 0, 0, None)


def test_without_a_wide_gap_the_classifier_keeps_its_guess() -> None:
    text = FULL + "2.重复申请 0 0 0 0 0 0"
    seg = _segmentation(text)
    row = seg.problem.rows[-1]
    cands = enumerate_candidates(row.items, len(COLS))
    logits = np.arange(len(cands), dtype=float)
    assert weigh_gap_blanks(cands, row.items, logits) is logits


def test_a_placeholder_run_into_the_next_number_is_its_own_cell() -> None:
    from gxparse.scan import scan_region

    for text, expected in (("重复申请   /0   0   0", [("ph", "/"), ("num", "0"), ("num", "0"), ("num", "0")]),
                           ("其他对外管理服务事项54 —0", [("num", "54"), ("ph", "—"), ("num", "0")]),
                           ("行政强制 6 -5 12", [("num", "6"), ("num", "-5"), ("num", "12")])):
        items = scan_region(text, 0, len(text), mode="inline")
        assert [(it.kind, it.text) for it in items if it.kind != "text"] == expected


def _shifts(line: str, chosen_values: tuple) -> list[tuple]:
    """The values of the candidates :func:`blank_shifts` names for the candidate reading ``chosen_values``."""
    seg = mark_gaps(FULL + line, _segmentation(FULL + line))
    row = seg.problem.rows[-1]
    cands = enumerate_candidates(row.items, len(COLS))
    chosen = next(n for n, c in enumerate(cands) if c.values == chosen_values)
    return sorted((c.values for c, shift in zip(cands, blank_shifts(cands, row.items, chosen)) if shift),
                  key=lambda v: v.index(None))


def test_a_lone_blank_dropped_among_equal_values_may_sit_in_any_column() -> None:
    shifts = _shifts("2.重复申请 0 0 0 0 0 0", (0, None, 0, 0, 0, 0, 0))
    assert [v.index(None) for v in shifts] == [0, 2, 3, 4, 5, 6]


def test_a_lone_value_moved_into_the_next_column_is_no_shift() -> None:
    shifts = _shifts("4.无正当理由大量反复申请 3 0 0 0 0 3", (3, None, 0, 0, 0, 0, 3))
    assert [v.index(None) for v in shifts] == [2, 3, 4, 5]  # the zeros move; the 3s keep their columns


def test_a_blank_the_spacing_shows_has_no_shifts() -> None:
    assert _shifts("2.重复申请 0 0 0 0  0 0", (0, 0, 0, 0, None, 0, 0)) == []


def test_rows_lacking_several_cells_keep_the_learnt_blank_columns() -> None:
    # two values for seven columns: the 法人或其他组织 block blank, a pattern the gold repeats
    assert _shifts("5.属于三类内部事务信息 2 2", (2, None, None, None, None, None, 2)) == []


def test_the_confidence_of_a_lone_dropped_blank_row_says_its_place_is_unknown() -> None:
    from gxparse.place import DOUBTFUL_CONFIDENCE, ModelPlacer
    seg = mark_gaps(FULL + "2.重复申请 0 0 0 0 0 0", _segmentation(FULL + "2.重复申请 0 0 0 0 0 0"))
    placed = ModelPlacer().place(seg.problem)[-1]
    assert sum(r.kind == "missing" for r in placed.readings) == 1
    assert max(placed.confidence) < DOUBTFUL_CONFIDENCE
    assert placed.alternatives  # the other places of the blank are kept as the row's readings


def test_a_full_row_keeps_its_confidence() -> None:
    from gxparse.place import ModelPlacer
    seg = _segmentation(FULL.strip())
    assert all(min(p.confidence) > 0.99 for p in ModelPlacer().place(seg.problem))


def test_the_cells_another_place_of_the_blank_reads_otherwise_are_flagged() -> None:
    from gxparse.place import BLANK_PLACE_FLAG, ModelPlacer
    seg = mark_gaps(FULL + "2.重复申请 0 0 0 0 0 0", _segmentation(FULL + "2.重复申请 0 0 0 0 0 0"))
    placements = ModelPlacer().place(seg.problem)
    assert all(BLANK_PLACE_FLAG in flags for flags in placements[-1].flags)
    assert not any(BLANK_PLACE_FLAG in flags for placed in placements[:-1] for flags in placed.flags)


def test_a_lone_value_measures_its_gaps_by_the_tables_full_rows() -> None:
    text = FULL + "2.重复申请 3 "
    assert _flags(mark_gaps(text, _segmentation(text)), 3) == [(WIDE_AFTER,)]
    glued = FULL + "2.重复申请 000000  "  # no one number: a glued run, which no spacing of the table measures
    assert _flags(mark_gaps(glued, _segmentation(glued)), 3) == [()]


def test_a_lone_two_digit_value_before_a_blank_last_cell_is_one_value() -> None:
    """r009's gold printed as spaced rows, its 政府集中采购 row with 14 items and a blank amount
    (``政府集中采购   14   ``): the separator after 14 shows the blank amount, so 14 is no glued 1 | 4."""
    import copy

    from gxparse.parser import parse_source
    from gxparse.sources import source_from_text
    from gxparse.synth import render
    from tests.conftest import dev_gold

    gold = dev_gold("r009")
    tables = copy.deepcopy(gold["tables"])
    tables["active_disclosure"]["centralized_procurement"] = {"procurement_items": 14, "procurement_amount": None}
    report = render(gold["template"], tables, "space_rows", np.random.default_rng([5311, 0]))
    assert "政府集中采购   14   \n" in report.text
    row = parse_source(source_from_text(report.text)).tables["active_disclosure"].rows["centralized_procurement"]
    assert {col: cell.value for col, cell in row.items()} == {"procurement_items": 14, "procurement_amount": None}


def _one_line_segmentation(text: str) -> Segmentation:
    """One row per label of a table printed on one line: each label's numbers up to the next label."""
    rows, row = [], None
    for m in re.finditer(r"(?P<label>[^\d\s]\S*)|(?P<num>(?<![\d.])\d+(?:\.\d+)?(?![\d.]))", text):
        if m.group("label"):
            row = RowProblem(f"row{len(rows)}", COLS, [])
            rows.append(row)
        else:
            row.items.append(Item("num", m.group(), m.start(), m.end(), 0))
    return Segmentation(TableProblem("applications", rows), {}, set(), "anchored")


def test_a_table_printed_on_one_line_ends_its_last_row_with_the_gap_that_joins_its_rows() -> None:
    one_line = "一、本年新收 1 0 0 0 0 2 3 二、上年结转 0 0 0 0 0 0 0 (一)予以公开 4 0 0 0 0 0 4 "
    joined = one_line + "2.重复申请 3 "  # the join after the last row: no blank shown
    assert _flags(mark_gaps(joined, _one_line_segmentation(joined)), 3) == [()]
    wider = one_line + "2.重复申请 3   "  # a separator more: the blank last cells
    assert _flags(mark_gaps(wider, _one_line_segmentation(wider)), 3) == [(WIDE_AFTER,)]
