"""The line tagger's shortcuts give what the plain computations give (session 16).

Each test pins one mechanism against the computation it replaced: the cuts of a long line found by
patterns that each begin with a character, against the one pattern of zero-width alternatives; the label
phrases searched as a trie, against the alternation of the phrases; the index's cut of a block of words,
against jieba's own; the phrase hits of a key counted on its digit shape, against those of its own words.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from gxparse import jieba_index, locator
from gxparse.normalize import normalize_text

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"

_PLAIN_CUT = re.compile(r"(?<=[。；;])|(?=[一二三四五六七八九十]{1,2}、)|(?=\([一二三四五六七八九十]{1,2}\))|(?=第二十条)"
                        r"|(?<=\d)(?=\()|(?=\([^()]{12,}\))")
"""Where a long line is cut, as one pattern: every position where one of the alternatives matches."""


def test_cut_patterns_find_the_positions_of_the_one_pattern() -> None:
    """Dev lines as printed and random strings of the characters the alternatives read (numerals, brackets,
    sentence ends, digits, ``第…条``) give the same cuts, overlapping numberings (``三十二、``) included."""
    lines = [raw for path in sorted(DEV.glob("*.txt"))
             for raw in normalize_text(path.read_text(encoding="utf-8")).text.split("\n")]
    rng = random.Random(1601)
    alphabet = "。；;、一二三十四第条()（）1０٣a "
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(30000)]
    lines += ["(" + "字" * n + ")" for n in range(10, 15)] + ["三十二、", "十二、", "二、", "、", "1(", "(1", "第二十条第(五)项"]
    for line in lines:
        assert locator._sentence_cuts(line) == {0, *(m.start() for m in _PLAIN_CUT.finditer(line)), len(line)}, line


def test_phrase_trie_finds_what_the_alternation_finds() -> None:
    """Random joins of pieces of the phrases (beginnings, ends, whole phrases that begin other phrases) hold a
    phrase for the trie exactly when they do for the plain alternation of every phrase."""
    phrases = [ph for group in locator._phrases_by_trigram().values() for ph in group]
    plain = re.compile("|".join(map(re.escape, phrases)))
    rng = random.Random(1602)
    pieces = [ph[a:b] for ph in phrases for a, b in ((0, -1), (1, None), (0, None), (0, 3), (2, -1))]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 4))) for _ in range(20000)]
    assert any(plain.search(t) for t in texts) and not all(plain.search(t) for t in texts)
    for text in texts:
        assert (locator._any_phrase().search(text) is None) == (plain.search(text) is None), text


def test_block_cut_is_jiebas() -> None:
    """The index's cut of a block (:meth:`gxparse.jieba_index.IndexedFreq.cut_dag`) gives the words of jieba's own
    ``__cut_DAG`` over the same index, on dev's Chinese runs and line keys, runs cut by the HMM among them."""
    import jieba
    from jieba import finalseg

    from gxparse.labels import jieba_tokens
    from gxparse.normalize import label_key

    jieba_tokens("政府信息")  # the default tokenizer, with the index installed
    tokenizer = jieba.dt
    freq = tokenizer.FREQ
    texts = {label_key(raw) for path in sorted(DEV.glob("*.txt"))
             for raw in path.read_text(encoding="utf-8").splitlines()}
    texts.update(re.findall(r"[\u4e00-\u9fff]{2,60}", "".join(sorted(texts))))
    blocks = sorted({block for text in texts for block in jieba.re_han_default.findall(text)})
    assert len(blocks) > 1000
    by_hmm = 0
    original = finalseg.cut

    def counted(run: str):  # type: ignore[no-untyped-def]
        nonlocal by_hmm
        by_hmm += 1
        return original(run)

    finalseg.cut = counted
    try:
        for block in blocks:
            assert freq.cut_dag(block) == list(jieba.Tokenizer._Tokenizer__cut_DAG(tokenizer, block)), block
    finally:
        finalseg.cut = original
    assert by_hmm > 100


def test_phrase_hits_by_shape_are_the_keys_own() -> None:
    """The phrase hits of a key counted on its digit shape are those of the key's own words: dev's line keys, the
    same keys with other figures, the labels holding a digit (legacy ``不予公开范围1数``) and the words of jieba's
    dictionary holding one (``1号店``), with figures around them."""
    from gxparse.normalize import label_key

    rng = random.Random(1603)
    keys = {label_key(raw) for path in sorted(DEV.glob("*.txt"))
            for raw in path.read_text(encoding="utf-8").splitlines()}
    digit_labels = [k for group in locator._vocabulary().values() for k in group[0] if any(ch.isdigit() for ch in k)]
    assert digit_labels
    keys.update(f"{rng.randrange(100)}{label}{rng.randrange(100)}" for label in digit_labels for _ in range(5))
    keys.update(f"{label}1号店{rng.randrange(9)}" for label in digit_labels[:5])
    keys.update("".join(rng.choice("0123456789") if ch.isdigit() else ch for ch in k) for k in list(keys))
    checked = 0
    for key in sorted(k for k in keys if k and locator._holds_phrase(k)):
        by_shape, own = locator._phrase_hits_of(key), locator._phrase_hits_cut(key)
        assert list(by_shape.items()) == list(own.items()), key
        checked += key != jieba_index.digit_shape(key)
    assert checked > 200


def test_never_digit_runs_hold_no_digit_and_leave_every_digit() -> None:
    """Every character of the runs taken out before counting a long line's digits is no digit (``str.isdigit``),
    so a piece's digits are counted alike on what is left: checked for each character of the class, and on
    dev's long lines and random strings of digits of every kind (``²``, ``①``, ``３``) among ideographs."""
    never = [chr(c) for c in range(0x110000) if locator._NEVER_DIGITS.fullmatch(chr(c))]
    assert never and not any(ch.isdigit() for ch in never)
    lines = [raw for path in sorted(DEV.glob("*.txt"))
             for raw in normalize_text(path.read_text(encoding="utf-8")).text.split("\n")]
    rng = random.Random(1602)
    alphabet = "0123456789²¹①⑴３٣〇三十件。,. ±µa"
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(3000)]
    for line in lines:
        assert sum(map(str.isdigit, locator._NEVER_DIGITS.sub("", line))) == sum(map(str.isdigit, line)), line


def test_split_lines_make_the_lines_their_constructor_makes() -> None:
    """Lines made by ``tuple.__new__`` are the named tuples ``Line(text, start, end)`` makes, of that type, for dev's
    texts (long lines cut into segments among them) and random texts of blank and short lines."""
    texts = [normalize_text(path.read_text(encoding="utf-8")).text for path in sorted(DEV.glob("*.txt"))]
    rng = random.Random(1603)
    texts += ["".join(rng.choice(["\n", " ", "\u3000", "行", "1", "。"]) for _ in range(rng.randrange(0, 60)))
              for _ in range(300)]
    for text in texts:
        got = locator.split_lines(text)
        want, pos = [], 0
        for raw in text.split("\n"):
            if raw.strip():
                want += ([locator.Line(raw, pos, pos + len(raw))] if len(raw) <= locator.LONG_LINE_CHARS
                         else [locator.Line(*segment) for segment in locator._segments(raw, pos)])
            pos += len(raw) + 1
        assert got == want and all(type(line) is locator.Line for line in got)
