"""The locator's exact shortcuts give what the plain computations give (session 15).

Each test pins one mechanism against the computation it replaced: fuzzy scores of lines written in a
vocabulary's own codes (:class:`gxparse.locator._Alphabet`) against the scores of the lines as printed,
the best scores per group with the queries sharing no character left unscored against scoring them all,
heads without a digit left unscored against the labels holding one, and what a line passes to its
neighbours against a dict per offset made in turn.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from gxparse import locator
from gxparse.jieba_index import digit_shape
from gxparse.normalize import label_key, normalize_text

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"

# Characters a line may hold that the code table must still read as "no vocabulary character": NUL, a
# character past the vocabulary's highest, one outside the BMP, a lone surrogate, the full-width forms.
_ODD_TEXTS = ["", "\0", "\0主动", "\uffff公开", "𠀋政府信息𠀋", "\ud800信息\udfff", "ＡＢ１２附表", "附", "表附", "a" * 70,
              "主动公开政府信息" * 9, "情况", "况情", "行政复议 行政诉讼", "1号店不予公开范围1数"]


def _dev_heads() -> list[str]:
    """The key heads of every dev report's lines (labels, headers, value lines, narrative), as the tagger scores them."""
    heads = []
    for path in sorted(DEV.glob("*.txt")):
        text = normalize_text(path.read_text(encoding="utf-8")).text
        heads += [label_key(ln.text)[:locator.FUZZY_HEAD_CHARS] for ln in locator.split_lines(text)]
    return list(dict.fromkeys(heads))


@pytest.mark.parametrize("scorer", [fuzz.ratio, fuzz.partial_ratio])
def test_coded_texts_score_as_the_texts(scorer) -> None:
    """Every line scores against every choice in codes as it does in characters (the whole matrix, zeros included)."""
    vocab = locator._vocabulary().values()
    choices = [k for labels, headings in vocab for k in labels + headings]
    rng = random.Random(1514)
    shuffled = ["".join(rng.sample(k, len(k))) for k in choices]  # the vocabulary's characters, out of order
    texts = _dev_heads() + _ODD_TEXTS + choices + shuffled + [a + b for a, b in zip(choices, choices[1:])]
    assert len(texts) > 1500
    alphabet = locator._Alphabet(choices)
    coded_texts, coded_choices = alphabet.code(texts).texts, alphabet.code(choices).texts
    assert [len(t) for t in coded_texts] == [len(t) for t in texts]
    want = process.cdist(texts, choices, scorer=scorer, workers=1)
    got = process.cdist(coded_texts, coded_choices, scorer=scorer, workers=1)
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert (want > 0).mean() > 0.1 and (want == 100).sum() >= len(choices)  # partial and exact matches were seen


def test_codes_keep_the_equalities_with_the_vocabulary() -> None:
    """A vocabulary character has a code of its own; every other character, whatever it is, the code 0."""
    alphabet = locator._Alphabet(["主动公开", "附表", "公开"])
    written = alphabet.code(["主动公开", "附表", "x\0𠀋\ud800动"])
    coded = written.texts
    assert list(map(ord, chr(alphabet.size + 1).join(coded))) == written.codes.tolist()
    assert [written.codes[a:a + len(t)].tolist() for a, t in zip(written.starts, coded)] == [list(map(ord, t)) for t in coded]
    assert coded[0] != coded[1] and len(set(coded[0] + coded[1])) == 6 and "\0" not in coded[0] + coded[1]
    assert coded[2][:4] == "\0" * 4 and coded[2][4] == coded[0][1]
    assert max(map(ord, "".join(coded))) < 256 and locator._Alphabet([]).code(["ab", ""]).texts == ["\0\0", ""]
    assert alphabet.code([]).texts == [] and alphabet.code([""]).texts == [""]


def test_a_head_without_a_digit_is_the_head_of_every_key_of_its_shape() -> None:
    """The premise of leaving such heads unscored against the labels holding a digit: keys of one digit shape
    whose head holds no ASCII digit share that head (a digit word of jieba's past the head keeps the key as it is)."""
    heads = _dev_heads()
    pad = "主动公开政府信息" * 6  # 48 characters: what follows is past the head
    keys = heads + [pad + "1号店", pad + "2号店", pad + "12条", pad + "34条", "1号店" + pad, "0" + pad, "7" + pad]
    by_shape: dict[str, set[str]] = {}
    for key in keys:
        by_shape.setdefault(digit_shape(key), set()).add(key[:locator.FUZZY_HEAD_CHARS])
    for shape, group_heads in by_shape.items():
        if any(not any(ch in locator._ASCII_DIGITS for ch in head) for head in group_heads):
            assert len(group_heads) == 1, shape
    assert any(len(group_heads) > 1 for group_heads in by_shape.values())  # shapes of other heads were seen


def test_digit_label_best_scores_the_heads_holding_a_digit() -> None:
    groups = locator._digit_vocabulary()[0]
    keys = _dev_heads()[:400] + ["不予公开范围1数", "不予公开范围7数5", "", "主动公开"]
    got = locator._digit_label_best(keys)
    for key, best in zip(keys, got):
        head = key[:locator.FUZZY_HEAD_CHARS]
        if not any(ch in locator._ASCII_DIGITS for ch in head):
            assert best == ()
            continue
        assert best == tuple(max(process.cdist([head], g, scorer=fuzz.ratio, workers=1)[0].tolist()) if g else -1.0
                             for g in groups), key


@pytest.mark.parametrize("scorer", [fuzz.ratio, fuzz.partial_ratio])
def test_best_per_group_skipping_disjoint_queries_equals_scoring_all(scorer) -> None:
    """Empty queries (first, last, in a row) and queries sharing no character with a group are told apart right."""
    groups = tuple(headings for _, headings in locator._vocabulary().values())
    choice_groups = locator._ChoiceGroups.of(groups)
    heads = [h for h in _dev_heads() if h][:300]
    for queries in (["", *heads[:50], "", "", "附", "xyz"], heads + [""], [""], ["附表"], []):
        best = locator._best_per_group(queries, choice_groups, scorer, skip_disjoint=True)
        for group, scores in zip(groups, best):
            plain = process.cdist(queries, group, scorer=scorer, workers=1).max(axis=1) if queries else []
            assert scores.tolist() == list(plain)


def test_evidence_passed_to_neighbours_equals_a_dict_per_offset_in_order() -> None:
    """What a line passes on (named by bytes, zeros left out) is each offset's names of its nonzero shared
    features, in the order of :data:`gxparse.locator._SHARED`, the offsets in :data:`NEIGHBOUR_OFFSETS` order."""
    lines = [ln for path in sorted(DEV.glob("*.txt"))[:6]
             for ln in locator.split_lines(normalize_text(path.read_text(encoding="utf-8")).text)]
    texts = list(dict.fromkeys(ln.text for ln in lines))
    keys = [label_key(t) for t in texts]
    owns = [locator._own_features(t, k) | ev for t, k, ev in zip(texts, keys, locator._evidence(texts, keys))]
    assert sum(bool(own.get("label_AD>80")) for own in owns) > 5  # lines passing fuzzy evidence on were seen
    for own in owns:
        got = locator._LineEvidence.of(own).to_neighbour_nonzero
        shared = [(name, own[name]) for name in locator._SHARED if own.get(name)]
        want = {off: {f"{off:+d}:{name}".encode(): value for name, value in shared} for off in locator.NEIGHBOUR_OFFSETS}
        assert list(got) == list(want) and all(list(got[off].items()) == list(want[off].items()) for off in want)
