"""The shortcuts of the parse's smaller stages give what the plain computations give.

Each test pins one mechanism against the computation it replaced: the metadata sign-off search folding
and compacting the whole text at once against doing it line by line (and the Unicode fact that makes
them equal: NFKC makes and composes no line break), and the title match's ending test against
running the title pattern on every line.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from gxparse import metadata
from gxparse.normalize import normalize_text

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"


def _dev_texts(limit: int = 12) -> list[str]:
    """Normalised texts of a few dev reports."""
    return [normalize_text(path.read_text(encoding="utf-8")).text for path in sorted(DEV.glob("*.txt"))[:limit]]


def test_nfkc_makes_no_line_break_and_keeps_each() -> None:
    breaks = set(metadata.LINE_BREAKS)
    assert breaks == {ch for ch in map(chr, range(0x110000)) if len(f"a{ch}b".splitlines()) == 2}
    for ch in breaks:
        assert unicodedata.normalize("NFKC", ch) == ch and unicodedata.combining(ch) == 0
    for code in range(0x110000):
        ch = chr(code)
        if ch not in breaks:
            assert not breaks.intersection(unicodedata.normalize("NFKC", ch)), hex(code)


def _signature_by_line(text: str) -> tuple[str | None, str | None]:
    """The sign-off search as it was: each line NFKC-folded and compacted on its own."""
    lines = [metadata._compact(unicodedata.normalize("NFKC", line))
             for line in text[: metadata._SIGNATURE_SEARCH_CHARS].splitlines()]
    lines = [line for line in lines if line]
    found: tuple[str | None, str | None] = (None, None)
    for above, line in zip(lines, lines[1:]):
        date = metadata._DATE_LINE.match(line)
        if date and metadata._AGENCY_LINE.fullmatch(above) and metadata._iso_date(date):
            found = (above, metadata._iso_date(date))
    return found


def test_signature_equals_the_search_line_by_line() -> None:
    made = [
        "正文\r\n\r\n某某市 人民政府\u3000办公室\r\n ２０２４年１月\u00a0５日 \r\n",
        "某某县财政局\x1c2023-12-31\u2028\t某某镇人民政府\x85(2024.1.2)\n \u3000\n",
        "某某区教育局\n\n  \n2024 年 2 月 30 日\n某某区教育局\r2024年2月3日",
    ]
    texts = made + _dev_texts()
    found = [metadata._signature(text) for text in texts]
    assert found == [_signature_by_line(text) for text in texts]
    assert found[0] == ("某某市人民政府办公室", "2024-01-05") and found[2] == ("某某区教育局", "2024-02-03")


def test_a_title_ends_as_the_ending_test_expects() -> None:
    lines = [metadata._compact(line) for text in _dev_texts(40) for line in text.splitlines()[:60]]
    lines += ["某某局2023年政府信息公开工作年度报告", "(某某局2023年度信息公开年报）", "2023年政务公开报告)",
              "某某局2023年政府信息公开工作年度报告(全文)", "政府信息公开报告附件"]
    matched = [line for line in lines if metadata._TITLE.fullmatch(line)]
    assert len(matched) >= 4
    assert all(line.endswith(metadata._TITLE_ENDINGS) for line in matched)
