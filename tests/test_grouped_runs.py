"""Glued runs printed with thousands separators (``21,808036816380322,575``): the separators rule the cuts."""

from __future__ import annotations

from gxparse.candidates import _grouped_piece_ok, enumerate_candidates
from gxparse.ir import Item, RowConstraint
from gxparse.parser import parse_source
from gxparse.scan import GROUPED_RUN, scan_region
from gxparse.sources import source_from_text

APPLICANT_TOTAL = (RowConstraint(parts=(0, 1, 2, 3, 4, 5), total=6),)
"""An applications row: six applicant columns and their total."""

HEADER = ("三、收到和处理政府信息申请情况\n"
          "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\n")


def test_a_run_with_separators_is_scanned_as_one_grouped_item() -> None:
    text = "数量21,808036816380322,575二、"
    nums = [it for it in scan_region(text, 0, len(text), mode="inline") if it.kind == "num"]
    assert [(it.text, it.flags) for it in nums] == [("21,808036816380322,575", (GROUPED_RUN,))]
    plain = "数量 1,234,567 二、"
    nums = [it for it in scan_region(plain, 0, len(plain), mode="inline") if it.kind == "num"]
    assert [(it.text, it.flags) for it in nums] == [("1234567", ("thousands",))]  # a number printed apart: as before


def test_no_cut_beside_a_separator_nor_inside_its_group() -> None:
    commas = (2, 17)  # 21,808036816380322,575 counted in digits
    assert _grouped_piece_ok(commas, 0, 5)  # 21,808
    assert not _grouped_piece_ok(commas, 0, 4)  # 21,80 | 8…: a cut inside the group
    assert not _grouped_piece_ok(commas, 0, 2)  # 21 | ,808: a cut at the separator
    assert _grouped_piece_ok(commas, 1, 5)  # 2 | 1,808
    assert not _grouped_piece_ok(commas, 5, 9)  # 0368: four digits without a separator
    assert _grouped_piece_ok(commas, 15, 20)  # 22,575
    assert not _grouped_piece_ok(commas, 13, 20)  # 0322,575: more than three digits before the separator


def test_a_grouped_run_is_cut_where_its_separators_allow() -> None:
    text = "21,808036816380322,575"
    cands = enumerate_candidates([Item("num", text, 0, len(text), 0, (GROUPED_RUN,))], 7, APPLICANT_TOTAL)
    assert cands
    assert (21808, 0, 368, 16, 380, 3, 22575) in {c.values for c in cands}
    for cand in cands:
        for reading in cand.readings:
            assert text[reading.start:reading.end] == reading.raw  # each cell as printed, its separator kept
            assert not reading.raw.startswith(",") and not reading.raw.endswith(",")


def test_a_glued_applications_row_with_separators() -> None:
    text = HEADER + "一、本年新收政府信息公开申请数量21,808036816380322,575二、上年结转政府信息公开申请数量3900018158\n"
    table = parse_source(source_from_text(text)).tables["applications"]
    assert [c.value for c in table.rows["new_received"].values()] == [21808, 0, 368, 16, 380, 3, 22575]
    assert table.cell("new_received", "total").raw == "22,575"


def test_a_grouped_run_before_a_label_numbering_keeps_its_separators() -> None:
    text = (HEADER + "一、本年新收政府信息公开申请数量2,325000002,325二、上年结转政府信息公开申请数量0000000\n"
            "三、本年度办理结果（三）不予公开5.属于三类内部事务信息00000006.属于四类过程性信息2,325000002,3257.属于行政执法案卷0000000\n")
    table = parse_source(source_from_text(text)).tables["applications"]
    assert [c.value for c in table.rows["denied_process_info"].values()] == [2325, 0, 0, 0, 0, 0, 2325]
