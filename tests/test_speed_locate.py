"""The exact shortcuts of location and language give what the plain computations give.

Each test pins one mechanism against the computation it replaced: phrase hits from jieba tokens
against spaCy's ``PhraseMatcher`` over the ``Doc``, label words from jieba against spaCy's
tokenizer, the legacy finder's character index against comparing every label's characters, piece
scores kept per row against scoring afresh, the locator's best fuzzy score per vocabulary group
against scoring each line against each choice, lazily made clause offsets against the eager ones, and
the CRF feature dicts against their plain assembly (same features, same order).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rapidfuzz import fuzz, process

from gxparse import labels, legacy, locator
from gxparse.facts import _clauses
from gxparse.jieba_index import digit_shape
from gxparse.normalize import label_key, normalize_text

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"


def _dev_keys(limit: int = 6) -> list[str]:
    """Line keys (heads) of a few dev reports: labels, headers, value lines, narrative."""
    keys = []
    for path in sorted(DEV.glob("*.txt"))[:limit]:
        text = normalize_text(path.read_text(encoding="utf-8")).text
        keys += [label_key(ln.text)[:locator.FUZZY_HEAD_CHARS] for ln in locator.split_lines(text)]
    return [k for k in dict.fromkeys(keys) if k]


def test_phrase_hits_equal_the_phrase_matcher_over_the_doc() -> None:
    from spacy.matcher import PhraseMatcher

    nlp = labels._nlp()
    matcher = PhraseMatcher(nlp.vocab)
    for group, (phrases, _) in locator._vocabulary().items():
        matcher.add(group, [nlp.make_doc(k) for k in phrases if len(k) >= 3])
    keys = _dev_keys() + [k for phrases, _ in locator._vocabulary().values() for k in phrases]
    checked = 0
    for key in keys:
        expected: dict[str, int] = {}
        for match_id, _, _ in matcher(nlp.make_doc(key)):
            group = nlp.vocab.strings[match_id]
            expected[group] = expected.get(group, 0) + 1
        assert list(locator._phrase_hits_of(key).items()) == list(expected.items()), key
        checked += bool(expected)
    assert checked > 100  # the comparison saw many hits, not only empty ones


def test_label_words_equal_spacy_tokens() -> None:
    nlp = labels._nlp()
    for key in _dev_keys(3)[:300] + ["本年新收政府信息公开申请数量", "其他法律行政止公开", "a b", "商业 企业"]:
        assert labels.words(key) == " ".join(tok.text for tok in nlp(key) if not tok.is_space)


def test_candidate_rows_equal_comparing_every_label() -> None:
    def plain(key: str) -> tuple:
        chars = set(key)
        rows = [row for row, label in legacy._label_char_sets()
                if len(chars & label) >= legacy.MIN_SHARED_CHARS * min(len(chars), len(label))]
        return tuple(dict.fromkeys(rows))

    keys = _dev_keys(4)[:400] + [label_key(r.label) for r in legacy.legacy_spec().rows] + ["条件", "主动"]
    assert all(legacy._candidate_rows(k) == plain(k) for k in keys if 2 <= len(k) <= legacy.MAX_LABEL_CHARS)


@pytest.mark.parametrize("skip_disjoint", [False, True])
@pytest.mark.parametrize("scorer", [fuzz.ratio, fuzz.partial_ratio])
def test_best_per_group_equals_scoring_each_line_against_each_choice(scorer, skip_disjoint: bool) -> None:
    groups = tuple(labels + headings for labels, headings in locator._vocabulary().values())
    keys = _dev_keys(3)[:250]
    queries = keys + keys[:40] + ["主动公开", "附表"]  # repeated queries, and keys as long as a choice
    for some in (queries, queries[:8] + queries[:3]):  # more lines than choices, and fewer
        best = locator._best_per_group(some, locator._ChoiceGroups.of(groups), scorer, skip_disjoint=skip_disjoint)
        for group, scores in zip(groups, best):  # cdist's scores (float32), each line against the group's choices
            plain = process.cdist(some, group, scorer=scorer, workers=1).max(axis=1)
            assert scores.dtype == plain.dtype and scores.tolist() == plain.tolist()


def test_kept_scores_equal_fresh_ones_and_stay_bounded() -> None:
    rows = legacy.legacy_spec().rows[:5]
    pieces = [f"主动公开文件数{i}" for i in range(labels.SCORES_PER_ROW + 50)]
    for row in rows:
        for piece in pieces[:20]:
            assert labels.score_piece(piece, row) == labels._score_piece(piece, row)
    aligned = labels.align_rows(pieces, rows, monotone=False)
    assert all(len(labels._scores_of(row)) <= labels.SCORES_PER_ROW for row in rows)
    fresh = labels._greedy([[labels._score_piece(p, r) for p in pieces] for r in rows], rows, labels.MATCH_CUTOFF)
    assert aligned == fresh


def test_clause_offsets_point_at_the_clause_text() -> None:
    text = "一、概述\n全年主动公开政府信息 219条，\n共收到|申请 15 件。本年度未收到行政复议。"
    clauses = list(_clauses(text, ()))
    assert clauses
    for clause in clauses:
        assert "".join(text[i] for i in clause.offsets) == clause.compact


def _plain_line_features(lines: list[str], nonzero: bool) -> list[dict[Any, float]]:
    """The CRF feature dicts as first written: own evidence, position, first/last, each neighbour's in turn
    (named by bytes for tagging, ``nonzero``)."""
    evidence = locator._line_evidence(lines)
    total = max(len(lines), 1)
    out = []
    for i, line in enumerate(evidence):
        row = dict(line.own_nonzero if nonzero else line.own)
        positions = locator._POSITION_BYTES if nonzero else locator._POSITION_NAMES
        row[positions[sum(i / total > edge for edge in locator._POSITION_EDGES)]] = 1.0
        if i == 0:
            row[b"first" if nonzero else "first"] = 1.0
        if i == total - 1:
            row[b"last" if nonzero else "last"] = 1.0
        for off in locator.NEIGHBOUR_OFFSETS:
            if 0 <= i + off < len(evidence):
                line_j = evidence[i + off]
                row.update((line_j.to_neighbour_nonzero if nonzero else line_j.to_neighbour)[off])
        out.append(row)
    return out


@pytest.mark.parametrize("nonzero", [True, False])
def test_line_features_equal_the_plain_assembly_in_order(nonzero: bool) -> None:
    texts = [normalize_text(path.read_text(encoding="utf-8")).text for path in sorted(DEV.glob("*.txt"))[:6]]
    for lines in ([ln.text for ln in locator.split_lines(t)] for t in texts):
        for n in (1, 2, 3, 4, 5, len(lines)):  # short sequences: every line is near an edge
            got, want = locator.line_features(lines[:n], nonzero=nonzero), _plain_line_features(lines[:n], nonzero)
            assert [list(row.items()) for row in got] == [list(row.items()) for row in want]


_EDGE_LINES = ["", " ", "| |", "—— 5", "-- - 1", "--5", "5-", "无 无 0", "不适用", " 1.申请", "(一)", "(一) 5",
               "附表一", "表3", "12、x", "一、", "十一.", "1234567 8", "0件 0条", "5 / 6", "——|——", "a\u3000b 5",
               "行政许可 | 3 | — | / |", "二、收到和处理政府信息公开申请情况。", "共受理12件,办结11件", "3.5 -2 +7",
               "１.申请", "\u0663.申请", "（一）5", "附 表二",
               "-+1.5-2", "１２.３ 4", "v1.2.3.4", "\u0663.\u0664-", "+.5", "无不", "不 适用", "a/b", "– - —"]


def _plain_own_features(line: str, key: str) -> dict[str, float]:
    """A line's own features as first written: one regex pass per feature, each token tested in turn."""
    import re

    from gxparse.scan import without_cell_units

    stripped = without_cell_units(line.strip())
    tokens = stripped.replace("|", " ").split()
    numbers = locator._NUMBER.findall(stripped)
    n = max(len(stripped), 1)
    feats: dict[str, float] = {
        "bias": 1.0,
        f"len={sum(len(stripped) > e for e in (2, 6, 16, 40, 120))}": 1.0,
        "digit_frac": len(re.findall(r"\d", stripped)) / n,
        "cjk_frac": len(re.findall(r"[\u4e00-\u9fff]", stripped)) / n,
        f"numbers={sum(len(numbers) > e for e in (0, 1, 3, 7))}": 1.0,
        f"pipes={sum(stripped.count('|') > e for e in (0, 2, 6))}": 1.0,
        "all_values": float(bool(tokens) and all(locator._NUMBER.fullmatch(t) or locator._PLACEHOLDER_TOKEN.match(t)
                                                 for t in tokens)),
        "placeholder": float(any(locator._PLACEHOLDER_TOKEN.match(t) for t in tokens)),
        "sentence": float(bool(locator._SENTENCE.search(stripped))),
        f"clauses={sum(len(locator._CLAUSE.findall(stripped)) > e for e in (0, 2))}": 1.0,
        "long_number": float(any(len(x) > 6 for x in numbers)),
    }
    for name, pattern in locator._NUMBERING:
        if pattern.match(stripped):
            feats[name] = 1.0
    if not key:
        feats["no_key"] = 1.0
    return feats


def test_own_features_equal_one_pass_per_feature_in_order() -> None:
    lines = _EDGE_LINES[:]
    for path in sorted(DEV.glob("*.txt"))[:8]:
        lines += [ln.text for ln in locator.split_lines(normalize_text(path.read_text(encoding="utf-8")).text)]
    for line in lines:
        for key in ("", "x"):
            assert list(locator._own_features(line, key).items()) == list(_plain_own_features(line, key).items()), line


def test_holds_phrase_equals_looking_for_each_phrase() -> None:
    phrases = [k for labels_, _ in locator._vocabulary().values() for k in labels_ if len(k) >= 3]
    keys = _dev_keys() + phrases + [p[:-1] for p in phrases] + ["", "ab", "0行政许可0"]
    for key in keys:
        assert locator._holds_phrase(key) == any(p in key for p in phrases), key


def test_only_the_labels_the_shape_check_reads_hold_a_digit() -> None:
    # the premise of evidence by shape: a digit of a line matches no character of a heading, nor of a
    # label or phrase but those _same_by_shape checks
    digit_labels, digit_phrases = locator._digit_vocabulary()
    for (labels, headings), holding in zip(locator._vocabulary().values(), digit_labels):
        assert [k for k in labels if any(ch.isascii() and ch.isdigit() for ch in k)] == holding
        assert not any(ch.isascii() and ch.isdigit() for k in headings for ch in k)
    assert sum(map(len, digit_labels)) > 0 and digit_phrases is not None
    for tokens in locator._phrase_index()[0]:
        if any(ch.isascii() and ch.isdigit() for token in tokens for ch in token):
            assert digit_phrases.search(digit_shape("".join(tokens)))


def test_a_line_has_the_evidence_of_its_digit_shape() -> None:
    """A line takes the evidence of the line seen of its shape only when it is what scoring it afresh gives."""
    import random

    rng = random.Random(5013)
    lines = []
    for path in sorted(DEV.glob("*.txt")):
        lines += [ln.text for ln in locator.split_lines(normalize_text(path.read_text(encoding="utf-8")).text)]
    lines += ["| (四)无法提供 | 1.本机关不掌握相关政府信息 | 1 | 1 | 0 | 0 | 0 | 0 | 2 |", "3.补正后申请内容仍不明确 1 1 0 0 0 0 2",
              "行政许可 12345678 0 —", "1号店受理申请12件", "12. 其他 3.5 10%", "(1)行政处罚 31条 0条",
              "不予公开范围3数 2", "免予公开范围7数 0", "范围1数 5", "7数1", "1234567"]
    lines = list(dict.fromkeys(lines))
    redrawn = ["".join(rng.choice("0123456789") if ch.isascii() and ch.isdigit() else ch for ch in ln)
               for ln in lines for _ in range(2) if any(ch.isascii() and ch.isdigit() for ch in ln)]
    with_digits = sorted(set(redrawn) - set(lines))
    assert len(with_digits) > 1000
    locator._line_cache.clear()
    locator._shape_cache.clear()
    locator._line_evidence(lines)  # the shapes seen; most redrawn lines now take their shape's evidence
    seen = dict(locator._shape_cache)
    taken = locator._line_evidence(with_digits)
    fresh = [locator._LineEvidence.of(locator._own_features(ln, label_key(ln)) | ev)
             for ln, ev in zip(with_digits, locator._evidence(with_digits, [label_key(ln) for ln in with_digits]))]
    shared = [got is seen[shape][0] for ln, got in zip(with_digits, taken)
              if (shape := locator._shape_of(ln, label_key(ln))) in seen]
    assert sum(shared) > 500 and not all(shared)  # most took a shape's evidence, some were scored afresh
    for ln, got, want in zip(with_digits, taken, fresh):
        assert list(got.own.items()) == list(want.own.items()), ln
        assert list(got.own_nonzero.items()) == list(want.own_nonzero.items()), ln
        assert got.to_neighbour_nonzero == want.to_neighbour_nonzero and got.to_neighbour == want.to_neighbour, ln


def test_kept_identity_plans_follow_the_shape_of_each_table() -> None:
    """Checks from a kept instance plan equal a fresh expansion, also for a table whose rows or cells differ
    from the shape a plan was kept for (a row missing, a cell missing, a row out of order)."""
    import gxparse
    from gxparse import validate
    from gxparse.report import Table
    from gxparse.template import get_template

    report = gxparse.parse_file(DEV / "r004.txt")
    for key, table in report.tables.items():
        spec = get_template(report.template).table(key)
        first, *rest = list(table.rows)
        shapes = [table.rows, {r: table.rows[r] for r in rest}, {**{r: table.rows[r] for r in rest}, first: table.rows[first]},
                  {r: {c: cell for c, cell in list(cols.items())[1:]} if r == first else cols for r, cols in table.rows.items()}]
        for rows in shapes * 2:  # the second time from the kept plans
            trial = Table(key, rows, {}, report.template)
            kept = validate.check_table(spec, trial)
            validate._plans.clear()
            assert kept == validate.check_table(spec, trial)
            validate.check_table(spec, Table(key, table.rows, {}, report.template))  # keep the full table's plan
