"""Bracketed item numbers before row labels (``（3）补正后申请内容仍不明确``): numbering of the label, never a value.

Many agencies number a table's leaf rows ``（1）``, ``（2）`` … instead of ``1.``; NFKC makes that ``(3)``, which
scans as a number between two text pieces; so does a numeral a note quotes (``表中“0”表示无此类情况``). Built from a dev rendering: seed004's rows printed with spaces
between cells (as a page copy flattens a grid) and their ``1.`` leaf numbering printed ``（1）``: read as gold,
and with a row printing one cell fewer, its blank is no number taken from the next label.
"""

from __future__ import annotations

import re

import gxparse
from gxparse.scan import scan_region
from tests.conftest import DEV, dev_gold, flat_cells


def _spaced_bracketed() -> str:
    """seed004 with each pipe row's cells separated by spaces and each leaf label numbered ``（n）``."""
    text = (DEV / "seed004.txt").read_text(encoding="utf-8")
    spaced = "\n".join(re.sub(r"\s*\|+\s*", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"(^| )(\d)\.(?=[\u4e00-\u9fff])", r"\1（\2）", spaced, flags=re.M)


def test_a_bracketed_number_before_label_text_is_label_text() -> None:
    line = "(2)没有现成信息需要另行制作 0 / 0 (3)补正后申请内容仍不明确 0"
    items = [(it.kind, it.text) for it in scan_region(line, 0, len(line))]
    assert items == [("text", "(2)没有现成信息需要另行制作"), ("num", "0"), ("ph", "/"), ("num", "0"),
                     ("text", "(3)补正后申请内容仍不明确"), ("num", "0")]
    note = "合计(3)"
    assert [it.kind for it in scan_region(note, 0, len(note))] == ["text", "num", "text"]  # no label text after it


def test_an_enumerated_sentence_keeps_its_bracketed_numbers() -> None:
    """Prose that enumerates its points (``(1)…8件,较上年增长12%;(2)…``) is no row label: its numbers scan as they
    always did (tests/test_perturb.py: such prose right after a glued table lends it no value line)."""
    line = "(1)全年共办理依申请公开8件,较上年增长12%;(2)按时办结率100%。"
    assert [it.text for it in scan_region(line, 0, len(line)) if it.kind == "num"] == ["1", "8", "12", "2", "100"]


def test_a_quoted_numeral_is_text_also_where_the_region_ends_after_it() -> None:
    """A note after a table (``注:表中“0”表示无此类情况``) quotes a 0: no value, also when the table's region
    ends right after that 0 (its closing mark is read in the text)."""
    line = "0 —— 0 注:表中“0”表示无此类情况"
    assert [it.kind for it in scan_region(line, 0, len(line))][:4] == ["num", "ph", "num", "text"]
    assert all(it.text != "0" or it.start < line.index("注") for it in scan_region(line, 0, len(line)))
    cut = line.index("”")
    assert [(it.kind, it.text) for it in scan_region(line, 0, cut)] == [("num", "0"), ("ph", "——"), ("num", "0"),
                                                                       ("text", "注:表中“0")]


def test_seed004_with_bracketed_leaf_numbering_reads_as_gold() -> None:
    text = _spaced_bracketed()
    assert text.count("（3）") >= 3
    got = flat_cells(gxparse.parse(text).to_dict()["tables"])
    gold = flat_cells(dev_gold("seed004")["tables"])
    assert {k: got.get(k) for k in gold} == gold


def test_a_row_short_of_a_cell_does_not_take_the_next_labels_number() -> None:
    """（2）没有现成信息需要另行制作 printed with one cell fewer (``0 0 0 0 0 0`` then the next label): the
    ``（3）`` numbering the next label is no value it could take, so the row reads six zeros and one blank."""
    text = _spaced_bracketed()
    printed = "（2）没有现成信息需要另行制作 0 0 0 0 0 0 0\n"
    assert text.count(printed) == 1
    got = gxparse.parse(text.replace(printed, "（2）没有现成信息需要另行制作 0 0 0 0 0 0\n")).to_dict()
    assert sorted(got["tables"]["applications"]["unable_need_creation"].values(), key=str) == [0] * 6 + [None]
