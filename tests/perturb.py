"""Perturb dev report texts the way real copies break them (test helper; never used by the parser).

Section headings are found by the template's heading keywords (test-side knowledge only); each
perturbation returns a new text whose tables are unchanged, so its parse must still equal gold.
"""

from __future__ import annotations

import re

from gxparse.synth.perturb import heading_spans


def _heading_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the table section headings of ``text`` (numbering included), one per table."""
    return heading_spans(text, {"template": "gov2021"})


def _edit_headings(text: str, edit) -> str:
    out = text
    for start, end in reversed(_heading_spans(text)):
        out = out[:start] + edit(out[start:end]) + out[end:]
    return out


def typo_headings(text: str) -> str:
    """Replace the third-last character of every heading with a wrong one (情况 → 情兄)."""
    return _edit_headings(text, lambda h: h[:-3] + ("兄" if h[-3] != "兄" else "况") + h[-2:] if len(h) > 4 else h)


def extra_char_headings(text: str) -> str:
    """Insert a stray character into every heading."""
    return _edit_headings(text, lambda h: h[:-2] + "的" + h[-2:])


def split_headings(text: str) -> str:
    """Break every heading over two lines."""
    return _edit_headings(text, lambda h: h[: len(h) // 2] + "\n" + h[len(h) // 2:])


def delete_headings(text: str) -> str:
    """Remove every table heading."""
    return _edit_headings(text, lambda h: "")


def traditional(text: str) -> str:
    """Convert the whole text to traditional script."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def excerpt_from_first_table(text: str, keyword: str) -> str:
    """Cut the text so it begins at ``keyword`` (a header word inside the first table), headings gone."""
    return text[text.index(keyword):]


def swap_first_tables(text: str) -> str:
    """Print the 三 section (heading and table) before the 二 section."""
    (a, _), (b, _), (c, _) = _heading_spans(text)[:3]
    return text[:a] + text[b:c] + "\n" + text[a:b] + text[c:]


def only_table(text: str, index: int) -> str:
    """An excerpt holding one table and nothing else: no heading, no narrative."""
    spans = _heading_spans(text)
    start = spans[index][1]
    end = spans[index + 1][0] if index + 1 < len(spans) else len(text)
    return text[start:end]


def tables_as_appendix(text: str) -> str:
    """Move the three table sections after the narrative, as a 附表 at the end of the report."""
    spans = _heading_spans(text)
    start = spans[0][0]
    after = re.search(r"五\s*、", text[spans[-1][1]:])
    end = spans[-1][1] + after.start() if after else len(text)
    return text[:start] + text[end:] + "\n附表\n" + text[start:end]
