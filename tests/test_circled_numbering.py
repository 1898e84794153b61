"""Circled numbers as row numbering (①属于国家秘密): numbering of the label, never a value.

NFKC alone turns ① into a bare ``1`` glued to the label, which reads as a number item. Built from
dev renderings: seed002 (one cell per line) and seed004 (pipe rows) with their ``1.`` leaf numbering
printed as ① … ⑧ must read as their gold says.
"""

from __future__ import annotations

import re

import gxparse
from gxparse.normalize import normalize_text, strip_numbering
from tests.conftest import DEV, dev_gold, flat_cells

CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def _circled(text: str) -> str:
    """Leaf numbering ``1.``/``1、`` at the start of a label (a line or a pipe cell) as ①."""
    return re.sub(r"(^|\|\s*)(\d)[.、](?=[\u4e00-\u9fff])", lambda m: m.group(1) + CIRCLED[int(m.group(2)) - 1], text,
                  flags=re.M)


def _cells(report: gxparse.Report) -> dict[str, object]:
    return flat_cells(report.to_dict()["tables"])


def _gold_cells(report_id: str) -> dict[str, object]:
    return flat_cells(dev_gold(report_id)["tables"])


def test_a_circled_number_normalises_to_numbering() -> None:
    text = normalize_text("①属于国家秘密 0\n⑫其他 ❸重复申请").text
    assert text == "1.属于国家秘密 0\n12.其他 3.重复申请"
    assert strip_numbering(text.split()[0]) == ("1.", "属于国家秘密")


def test_seed002_with_circled_leaf_numbering_reads_as_gold() -> None:
    text = _circled((DEV / "seed002.txt").read_text(encoding="utf-8"))
    assert text.count("①") >= 4
    assert _cells(gxparse.parse(text)) == _gold_cells("seed002")


def test_seed004_with_circled_leaf_numbering_reads_as_gold() -> None:
    text = _circled((DEV / "seed004.txt").read_text(encoding="utf-8"))
    assert text.count("①") >= 4
    assert _cells(gxparse.parse(text)) == _gold_cells("seed004")


def test_seed002_with_circled_numbering_and_a_row_not_printed() -> None:
    """A row the copy leaves out (1.信访举报投诉类申请, all zeros) does not shift the rows after it."""
    text = _circled((DEV / "seed002.txt").read_text(encoding="utf-8"))
    start = text.index("①信访举报投诉类申请")
    end = text.index("②重复申请")
    got = _cells(gxparse.parse(text[:start] + text[end:]))
    gold = {k: v for k, v in _gold_cells("seed002").items() if ".not_processed_petition." not in k}
    assert {k: got.get(k) for k in gold} == gold and not any(".not_processed_petition." in k for k in got)
