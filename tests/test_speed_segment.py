"""The fast paths of segmentation give what the plain computations give (speed must not change outputs).

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the joined
breaks of a fixed-width line found once per line against searching up to each row's first value, and a full
row read from its first and last line starts against reading it from every start.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse import column_grid
from gxparse.ir import Item

_LINE_ALPHABET = "中文 0 1\n件a"


def _plain_line_starts(text: str, first_value: int) -> list[int]:
    """The reference: the line's start, then every joined break found up to the first value."""
    line_start = text.rfind("\n", 0, first_value) + 1
    return [line_start, *(m.end() for m in column_grid._JOINED_BREAK.finditer(text, line_start, first_value))]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_LINE_ALPHABET), max_size=40), st.data())
def test_line_starts_equal_searching_up_to_the_first_value(text: str, data: st.DataObject) -> None:
    widths = column_grid._LineWidths(text)
    digits = [n for n, ch in enumerate(text) if ch.isdigit()]
    for first_value in data.draw(st.lists(st.sampled_from(digits), max_size=4)) if digits else []:
        assert column_grid._line_starts(text, first_value, widths) == _plain_line_starts(text, first_value)


def test_a_row_read_from_its_end_starts_equals_the_ends_of_every_start() -> None:
    text = "一 二 三 四 五 六 七  0   12    3\n"
    first = text.index("0")
    items = [Item("num", m, at, at + len(m), 0) for m, at in (("0", first), ("12", first + 4), ("3", first + 10))]
    every = column_grid._readings(text, items, column_grid._LineWidths(text), every_start=True)
    ends = column_grid._readings(text, items, column_grid._LineWidths(text), every_start=False)
    assert every is not None and len(every) == 7
    assert ends == [every[0], every[-1]]
    one_start = "行政许可  0   12    3\n"
    items = [Item("num", "0", 6, 7, 0)]
    assert column_grid._readings(one_start, items, column_grid._LineWidths(one_start), every_start=False) == \
        column_grid._readings(one_start, items, column_grid._LineWidths(one_start), every_start=True)
