"""The fast paths of segmentation (second round) give what the plain computations give.

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the scanner's
bracketed-numbering pass skipping a region without an opening mark before a number, against asking every number.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse import scan

_LINE_ALPHABET = "规章0123456789 |—/无.、,(一)“”‘’「」\"减少增加-+件"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_LINE_ALPHABET), max_size=30), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=5))
def test_bracketed_numbering_skips_only_regions_it_leaves_alone(lines: list[str], shift: int) -> None:
    text = "(" * shift + "\n".join(lines) + "(1)"  # brackets outside the region: its items never reach them
    items: list[scan.Item] = []
    offset = shift
    for lineno, line in enumerate(lines):
        if line.strip():
            items += scan._scan_inline(line, offset, lineno)
        offset += len(line) + 1
    assert scan._bracketed_numbering(text, items) == scan._join_enclosed(text, items)


def test_a_bracketed_number_before_label_text_is_still_joined() -> None:
    text = "(3)补正后申请内容仍不明确 0 1"
    items = scan._scan_inline(text, 0, 0)
    assert scan._bracketed_numbering(text, items) == scan._join_enclosed(text, items) != items
