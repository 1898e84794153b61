"""The fast paths of the hot loop give what the plain computations give (speed must not change outputs).

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms:
the per-character NFKC map against ``unicodedata`` character by character, the row cache against
scoring afresh, the feature matrix against one vector at a time, the scanner's line cache against
scanning afresh, the control-character count against counting one by one, the placer's incremental
identity term against the full count.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse import decode, features, place, scan
from gxparse.candidates import enumerate_candidates
from gxparse.errors import BinaryInputError
from gxparse.features import FEATURE_NAMES, RowContext, candidate_features, row_features
from gxparse.priors import cut_log_prior
from gxparse.ir import Candidate, Item, RowConstraint, RowProblem, TableProblem
from gxparse.normalize import _EXTRA, _ZERO_WIDTH, _enumeration_mark, _nfkc_with_offsets
from gxparse.scan import scan_region

_ALPHABET = "ab 12１２\r\n\u200b\u00ad\ufeff㈠（七）總計\u00a0\u3000〔】–．、ﬁ①ｶﾞ゙"


def _nfkc_one_by_one(raw: str) -> tuple[str, list[int]]:
    """The reference: every character through NFKC on its own, ``\\r\\n`` → ``\\n``, lone ``\\r`` → ``\\n``."""
    out, offsets = [], []
    for i, ch in enumerate(raw):
        if ch == "\r":
            norm = "" if raw[i + 1: i + 2] == "\n" else "\n"
        else:
            norm = _enumeration_mark(ch) or unicodedata.normalize("NFKC", ch).translate(_ZERO_WIDTH).translate(_EXTRA)
        out.append(norm)
        offsets += [i] * len(norm)
    return "".join(out), offsets


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40) | st.text(max_size=40))
def test_nfkc_with_offsets_matches_character_by_character(raw: str) -> None:
    text, offsets = _nfkc_with_offsets(raw)
    assert (text, list(offsets)) == _nfkc_one_by_one(raw)


def _row(base: int, line: int) -> RowProblem:
    """A glued row of seven cells (``151 3 0 0 0 0 154`` printed as one run) plus a stray token, at ``base``."""
    items = [Item("num", "15130000154", base, base + 11, line), Item("num", "7", base + 14, base + 15, line + 1)]
    return RowProblem("new_received", ("natural_person", "commercial_enterprise", "research_institution",
                                       "social_organization", "legal_service", "other", "total"), items,
                      (RowConstraint((0, 1, 2, 3, 4, 5), 6),))


def test_row_cache_returns_the_fresh_scores_shifted() -> None:
    placer = place.ModelPlacer()
    first, moved = _row(100, 4), _row(5100, 90)
    table = TableProblem("applications", [first])
    fresh = placer._score_row(table, moved)
    placer.score_row(table, first)  # fills the cache
    cached = placer.score_row(TableProblem("applications", [moved]), moved)
    assert cached.logp == fresh.logp
    assert [c.readings for c in cached.candidates] == [c.readings for c in fresh.candidates]
    assert [c.dropped for c in cached.candidates] == [c.dropped for c in fresh.candidates]
    assert min(r.start for c in cached.candidates for r in c.readings if r.start is not None) == 5100
    assert [c.values for c in cached.candidates] == [c.values for c in fresh.candidates]
    assert [[r.value for r in c.readings] for c in cached.candidates] == [[r.value for r in c.readings] for c in fresh.candidates]
    assert [hash(c) for c in cached.candidates] == [hash(c) for c in fresh.candidates]


def test_row_cache_tells_apart_rows_that_differ_in_a_flag() -> None:
    placer = place.ModelPlacer()
    row = _row(0, 0)
    flagged = replace(row, items=[replace(row.items[0], flags=("thousands",)), row.items[1]])
    table = TableProblem("applications", [row])
    assert place._row_signature(table, row, 6) != place._row_signature(table, flagged, 6)
    assert placer.score_row(table, flagged).logp == placer._score_row(table, flagged).logp


def test_row_cache_moves_each_reading_with_its_item() -> None:
    placer = place.ModelPlacer()
    first = _row(100, 4)
    spaced = replace(first, items=[first.items[0], replace(first.items[1], start=130, end=131)])  # a wider gap
    glued = replace(first, items=[first.items[0], replace(first.items[1], start=111, end=112)])  # no gap at all
    table = TableProblem("applications", [first])
    assert place._row_signature(table, first, 6) == place._row_signature(table, spaced, 6)
    assert place._row_signature(table, first, 6) != place._row_signature(table, glued, 6)
    fresh = placer._score_row(table, spaced)
    placer.score_row(table, first)  # fills the cache
    cached = placer.score_row(table, spaced)
    assert cached.logp == fresh.logp
    assert [c.readings for c in cached.candidates] == [c.readings for c in fresh.candidates]
    assert [c.values for c in cached.candidates] == [c.values for c in fresh.candidates]
    assert any(r.start == 130 for c in cached.candidates for r in c.readings)


def test_rows_that_cut_nothing_share_their_scores_across_labels() -> None:
    placer = place.ModelPlacer()
    cols = _row(0, 0).cols
    blanks = [Item("blank", "", 2 * n, 2 * n, 3, ("pipe", "trailing")) for n in range(9)]
    first = RowProblem("new_received", cols, blanks, (RowConstraint((0, 1, 2, 3, 4, 5), 6),))
    other = replace(first, key="carried_over", items=[replace(it, start=it.start + 40, end=it.end + 40) for it in blanks])
    table = TableProblem("applications", [first, other])
    assert place._row_signature(table, first, 6) == place._row_signature(table, other, 6)
    fresh = placer._score_row(table, other)
    placer.score_row(table, first)  # fills the cache
    cached = placer.score_row(table, other)
    assert cached.logp == fresh.logp
    assert [c.readings for c in cached.candidates] == [c.readings for c in fresh.candidates]
    glued = _row(0, 0)  # a run that may be cut: its own label's length counts weigh the cuts
    assert place._row_signature(table, glued, 6) != place._row_signature(table, replace(glued, key="carried_over"), 6)


def _plain_cell_features(cand: Candidate, ctx: RowContext, items: list[Item]) -> dict[int, float]:
    """The reference for the cell features: one candidate's cells summed one by one (the loop the batch replaced)."""
    F = features
    row = F._Row.of(items, ctx)
    f: dict[int, float] = {}
    I, at = F._I, row.shape_at
    readings, values = cand.readings, cand.values
    counts = dict.fromkeys(("trailing", "blank", "line", "missing", "ph", "negative", "plus"), 0)
    numbers, lls, split = [], [], []
    for j, r in enumerate(readings):
        if r.kind == "blank" and r.item is not None:
            counts["trailing" if row.trailing[r.item] else "blank"] += 1
            counts["line"] += row.blank_line[r.item]
        counts["missing"] += r.kind == "missing"
        counts["ph"] += r.kind == "ph"
        if r.split:
            split.append(r)
        v = values[j]
        if isinstance(v, (int, float)):
            numbers.append(v)
            counts["negative"] += v < 0 and row.unsigned[j]
            lls.append(F.log_likelihood(ctx.priors, ctx.table, ctx.cols[j], v))
        counts["plus"] += r.kind == "num" and row.unsigned[j] and r.raw.startswith(F.PLUS_SIGNS)
    for name, key in (("n_trailing_used", "trailing"), ("n_blank_used", "blank"), ("n_blank_line_used", "line"),
                      ("n_missing", "missing"), ("n_ph_used", "ph"), ("negative_in_unsigned_col", "negative")):
        f[I[name]] = float(counts[key])
    f[I["n_split_cells"]] = float(len(split))
    f[I["missing_while_blank_ignored"]] = float(counts["missing"] > 0 and bool(cand.ignored_blanks))
    f[I["row_id_fail"]] = float(counts["plus"])
    f[I["prior_loglik_mean"]] = sum(lls) / len(lls) if lls else 0.0
    f[I["prior_loglik_min"]] = min(lls) if lls else 0.0
    lengths = [F._integer_digits(r.raw) for r in split]
    nonzero = [n for n, r in zip(lengths, split) if r.raw != "0"]
    mags = [F._log_mag(r.value or 0) for r in split]
    f[I["n_items_split"]] = float(len({r.item for r in split}))
    f[at["split_max_len"]] = float(max(lengths, default=0))
    f[at["split_mean_len"]] = sum(lengths) / len(lengths) if split else 0.0
    f[at["split_len_spread"]] = float(max(nonzero) - min(nonzero)) if nonzero else 0.0
    f[at["split_len4plus"]] = float(sum(n >= 4 for n in lengths))
    f[at["split_zero_share"]] = sum(r.raw == "0" for r in split) / len(split) if split else 0.0
    f[at["split_log_mag"]] = sum(mags) / len(split) if split else 0.0
    f[at["split_max_log_mag"]] = max(mags, default=0.0)
    f[at["all_zero"]] = float(bool(numbers) and numbers.count(0) == len(numbers))
    f[at["n_nonzero"]] = float(len(numbers) - numbers.count(0))
    f[at["log_mag_mean"]] = sum(map(F._log_mag, numbers)) / len(numbers) if numbers else 0.0
    return f


def _plain_cut_log_prior(cand: Candidate, table: str, cols: tuple[str, ...], priors: dict, items: list[Item]) -> float:
    """The reference for :func:`~gxparse.priors.cut_log_prior` of a row where some candidate cuts: one candidate's
    cells added one by one."""
    from gxparse.priors import digit_log_likelihood, values_share_a_line

    counts_blanks = "blanks" in priors.get(f"{table}.{cols[0]}", {}) and values_share_a_line(items)
    total = 0.0
    for col, value in zip(cols, cand.values):
        if value is not None or counts_blanks:
            ll = digit_log_likelihood(priors, table, col, value, "x")
            total += ll if ll is not None else 0.0
    return total


_FEATURE_TOKENS = st.sampled_from(["0", "5", "12", "05", "100", "3007", "-3", "+4", "增2", "7.5", "1.25万元", "—", "",
                                   "trailing", "blank_line"])
_SIGNED_TABLE = ("active_disclosure", ("prev_year_items", "change_this_year", "decisions"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_FEATURE_TOKENS, min_size=1, max_size=6), st.sampled_from(
    [("applications", _row(0, 0).cols), ("active_disclosure", ("issued", "repealed", "in_force")), _SIGNED_TABLE]),
       st.booleans())
def test_feature_matrix_and_cut_prior_equal_the_cells_summed_one_by_one(tokens: list[str], table: tuple[str, tuple[str, ...]],
                                                           with_total: bool) -> None:
    key, cols = table
    items = []
    for n, token in enumerate(tokens):  # blanks flagged as a trailing cell or a line of their own
        flags = (token,) if token in ("trailing", "blank_line") else ()
        text = "" if flags else token
        kind = "num" if text[:1].isdigit() or text[:1] in "-+增" else "ph" if text else "blank"
        items.append(Item(kind, text, 10 * n, 10 * n + len(text), n if token == "blank_line" else 0, flags))
    constraints = (RowConstraint(tuple(range(len(cols) - 1)), len(cols) - 1),) if with_total else ()
    cands = enumerate_candidates(items, len(cols), constraints)
    ctx = RowContext(key, "x", cols, constraints, place.load_model().meta.get("priors", {}))
    looped = row_features(cands, items, ctx)
    batch_from = features.BATCH_MIN_CANDIDATES
    try:
        features.BATCH_MIN_CANDIDATES = 1  # every row's cells batched
        matrix = row_features(cands, items, ctx)
    finally:
        features.BATCH_MIN_CANDIDATES = batch_from
    assert matrix.shape == (len(cands), len(FEATURE_NAMES))
    assert np.array_equal(matrix, looped)
    some_cut = any(r.split for c in cands for r in c.readings)  # (zero in a row where none cuts)
    assert list(cut_log_prior(cands, key, "x", cols, ctx.priors, items)) == [
        _plain_cut_log_prior(cand, key, cols, ctx.priors, items) if some_cut else 0.0 for cand in cands]
    fail = FEATURE_NAMES.index("row_id_fail")
    for cand, got in zip(cands, matrix):
        assert list(got) == candidate_features(cand, items, ctx)
        plain = features._candidate_features(cand, items, ctx, features._Row.of(items, ctx), None)  # of no cell
        for n, value in _plain_cell_features(cand, ctx, items).items():
            plain[n] = plain[n] + value if n == fail else value  # the plus signs add to the identities' failures
        assert list(got) == plain


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["", "-", "+", "减", "减少", "增", "增加"]), st.text(alphabet="0123456789", min_size=1, max_size=12),
       st.sampled_from(["", ".5", ".25", "元", "万元", ".5万元"]))
def test_piece_values_are_what_parse_value_reads(sign: str, digits: str, tail: str) -> None:
    from gxparse.candidates import _Search
    from gxparse.values import parse_value

    text = sign + digits + tail
    search = _Search([Item("num", text, 0, len(text), 0)], 3, ())
    for pos in range(len(digits)):
        for length, value, _ in search._piece_values(0, pos):
            raw = search._reading(0, pos, length).raw
            assert value == parse_value(raw) and type(value) is type(parse_value(raw))


def test_enforced_search_reads_the_pieces_the_plain_filter_reads() -> None:
    from gxparse.candidates import _Search

    search = _Search([Item("num", "1203300007000", 0, 13, 0)], 4, ())
    for pos in range(13):
        pieces = search._piece_values(0, pos)
        for value in {v for _, v, _ in pieces} | {0.0, 3.0, 99}:
            assert search._pieces_worth(0, pos, value) == [p for p in pieces if p[1] == value]


def test_line_features_from_the_cache_equal_fresh_ones() -> None:
    from gxparse import locator

    lines = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
             "规章 0 0 3", "规章 0 0 3", "行政处罚 12 34", "本机关全年共收到申请。", "1 2 3 4 5 6 7"]
    locator._line_cache.clear()
    locator._shape_cache.clear()
    locator.line_features(lines[:3])  # some lines cached, the rest new
    mixed = locator.line_features(lines)
    locator._line_cache.clear()
    locator._shape_cache.clear()
    fresh = locator.line_features(lines)
    cached = locator.line_features(lines)
    assert [list(f.items()) for f in mixed] == [list(f.items()) for f in fresh] == [list(f.items()) for f in cached]
    assert locator._line_evidence(lines)[3] is locator._line_evidence(["规章 0 0 3"])[0]


def test_keys_without_a_label_phrase_have_no_phrase_hits() -> None:
    from gxparse import locator

    phrases = [k for labels, _ in locator._vocabulary().values() for k in labels if len(k) >= 3]
    for key in ("本机关全年共收到", "本年度没有", "行政复议结果维持", "其他", phrases[0][1:], phrases[-1] + "情况"):
        assert locator._holds_phrase(key) or not locator._phrase_hits_of(key)
    assert all(locator._holds_phrase(p) for p in phrases)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9).flatmap(lambda m: st.lists(
    st.lists(st.sampled_from([0.0, 50.0, 72.0, 80.0, 88.0, 96.0, 100.0]), min_size=m, max_size=m), min_size=1, max_size=6)))
def test_monotone_alignment_equals_the_max_of_options(scores: list[list[float]]) -> None:
    from gxparse.labels import _monotone
    from gxparse.template import RowSpec

    rows = [RowSpec(key=f"r{i}", label=f"r{i}", number="", cols=()) for i in range(len(scores))]
    n, m = len(rows), len(scores[0])
    weights = [0.5 if i % 3 == 0 else 1.0 for i in range(n)]  # group labels count half (segments.GROUP_ANCHOR_WEIGHT)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):  # the reference: max over (total, move) options
        for j in range(1, m + 1):
            options = [(best[i - 1][j], 1), (best[i][j - 1], 2)]
            if scores[i - 1][j - 1] >= 72.0:
                options.append((best[i - 1][j - 1] + scores[i - 1][j - 1] * weights[i - 1], 3))
            best[i][j], move[i][j] = max(options)
    expected: dict[str, tuple[int, float]] = {}
    i, j = n, m
    while i > 0 and j > 0:
        if move[i][j] == 3:
            expected[rows[i - 1].key] = (j - 1, scores[i - 1][j - 1])
            i, j = i - 1, j - 1
        elif move[i][j] == 1:
            i -= 1
        else:
            j -= 1
    assert _monotone(scores, rows, m, 72.0, weights) == expected


def test_tagging_without_the_zero_features_gives_the_same_tags() -> None:
    from pathlib import Path

    from gxparse import locator
    from gxparse.normalize import normalize_text

    crf = locator.packaged_tagger()._crf()
    dev = Path(__file__).resolve().parents[1] / "training_data/dev"
    for path in sorted(dev.glob("*.txt"))[:8]:
        lines = [ln.text for ln in locator.split_lines(normalize_text(path.read_text(encoding="utf-8")).text)]
        full, nonzero = locator.line_features(lines), locator.line_features(lines, nonzero=True)
        assert [{k.encode(): v for k, v in f.items() if v} for f in full] == nonzero  # tagging's names are bytes
        assert crf.tag(full) == crf.tag(nonzero)
        assert [crf.marginal(t, i) for i, t in enumerate(crf.tag(full))] == [
            crf.marginal(t, i) for i, t in enumerate(crf.tag(nonzero))]


_LINE_ALPHABET = "规章0123456789 |—/无.、,(一)三万元\u3000-+"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_LINE_ALPHABET), max_size=30), min_size=1, max_size=6),
       st.sampled_from(["pipe", "spaced", "inline"]), st.booleans(), st.integers(min_value=0, max_value=9))
def test_cached_line_scans_equal_fresh_scans_shifted(lines: list[str], mode: str, exact: bool, shift: int) -> None:
    text = "\n".join(lines)
    scan._cached_line.cache_clear()
    fresh = scan_region(text, 0, len(text), mode=mode, exact_cells=exact)  # type: ignore[arg-type]
    shifted = "x" * shift + "\n" + text  # the same lines `shift` + 1 characters on, read from the cache
    cached = scan_region(shifted, shift + 1, len(shifted), mode=mode, exact_cells=exact)  # type: ignore[arg-type]
    made = [replace(it, start=it.start + shift + 1, end=it.end + shift + 1) for it in fresh]  # the dataclass's __init__
    assert cached == made
    assert [(repr(it), hash(it), it.__dict__) for it in cached] == [(repr(it), hash(it), it.__dict__) for it in made]
    if mode == "inline":  # the plain computation: every line scanned where it stands
        plain, offset = [], 0
        for lineno, line in enumerate(lines):
            if line.strip() and not scan.PAGE_NUMBER.match(line):
                plain += scan._scan_inline(line, offset, lineno)
            offset += len(line) + 1
        assert fresh == scan.across_lines(text, plain)


@given(st.text(alphabet="0123456789", min_size=1, max_size=70))
def test_a_word_of_digits_reads_as_the_inline_pattern_reads_it(word: str) -> None:
    assert scan._scan_inline(word, 7, 2) == scan._scan_word(word, 7, 2)


def _plain_control_count(sample: bytes | str) -> int:
    codes = sample if isinstance(sample, bytes) else map(ord, sample)
    return sum(1 for code in codes if (code < 0x20 or code == 0x7F) and code not in b"\t\n\r\f")


@given(st.binary(max_size=60) | st.text(max_size=60))
def test_control_characters_are_counted_as_one_by_one(sample: bytes | str) -> None:
    too_many = bool(sample) and _plain_control_count(sample) / len(sample) > 0.10
    try:
        decode._reject_control_chars(sample)
    except BinaryInputError:
        assert too_many
    else:
        assert not too_many
def _cuts(digits: str) -> set[int]:
    """How many cells a glued run can be cut into, by trying every cut (no cell of two digits or more starts with 0)."""
    if not digits:
        return {0}
    return {1 + rest for length in range(1, len(digits) + 1)
            if length == 1 or digits[0] != "0" for rest in _cuts(digits[length:])}


_TOKENS = st.sampled_from(["0", "5", "12", "05", "100", "3007", "—", ""])


def _row_items(tokens: list[str]) -> list[Item]:
    """A row's items from token texts, one space apart: digits a number, other text a placeholder, "" a blank."""
    items, start = [], 0
    for text in tokens:
        kind = "num" if text[:1].isdigit() else "ph" if text else "blank"
        items.append(Item(kind, text, start, start + len(text), 0))
        start += len(text) + 1
    return items


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, min_size=1, max_size=5), st.integers(1, 7), st.integers(0, 2))
def test_liveness_is_whether_some_reading_fills_the_row(tokens: list[str], k: int, missing_budget: int) -> None:
    """The search's dynamic programme against trying every reading: each item dropped, read whole or cut."""
    from gxparse.candidates import _Search

    items = _row_items(tokens)
    search = _Search(items, k, ())
    search.max_missing = missing_budget
    search.run(enforce=False, allow_missing=True, budget=0)  # sets up the programme (and runs no node)

    def fills(i: int, pos: int, need: int) -> bool:
        counts = _cuts(search.digits[i][pos:]) if pos else set()
        if pos:  # the rest of a run already cut: at least one more piece
            return any(fills(i + 1, 0, need - c) for c in counts if c <= need)
        if i == len(items):
            return 0 <= need <= missing_budget
        cells = _cuts(search.digits[i]) if search.parsed[i] is not None else {1}
        return any(fills(i + 1, 0, need - c) for c in cells | {0} if c <= need)

    for i, item in enumerate(items):
        for pos in range(1, len(search.digits[i])) if search.parsed[i] is not None else ():
            for n in range(k + 1):
                assert search._alive(i, pos, n, 0) == (n < k and fills(i, pos, k - n)), (tokens, i, pos, n)
    assert search._alive(0, 0, 0, 0) == fills(0, 0, k)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from([None, 0, 1, 2, 3]), min_size=2, max_size=2), min_size=1, max_size=3),
                min_size=4, max_size=4),
       st.data())
def test_identity_term_with_changed_rows_is_the_full_count(values: list[list[list[int | None]]], data: st.DataObject) -> None:
    """The identity term's incremental score (one or two rows changed) is :func:`place.identity_score` of the changed grid."""
    from gxparse.ir import Candidate, Reading
    from gxparse.template import Identity

    cols = ("a", "b")
    keys = ("total", "x", "y", "z")
    identities = (Identity("T1", "col", ("x", "y"), ("total",), "structural"),
                  Identity("T2", "col", ("z", "absent_row"), ("x",), "structural"),
                  Identity("R1", "row", ("a",), ("b",), "structural"))
    rows = [RowProblem(key, cols, [], ()) for key in keys]
    problem = TableProblem("t", rows, identities)

    def cand(cells: list[int | None]) -> Candidate:
        return Candidate(tuple(Reading("missing") if v is None else Reading("num", str(v)) for v in cells), (), ())

    scored = [place._Scored([cand(c) for c in row], [0.0] * len(row)) for row in values]
    choice = [data.draw(st.integers(0, len(row) - 1)) for row in values]
    term = place._IdentityTerm(problem, scored, choice)
    assert term.total == place.identity_score(problem, place._grid(problem, scored, choice))
    r1, r2 = data.draw(st.integers(0, 3)), data.draw(st.integers(0, 3))
    c1, c2 = data.draw(st.integers(0, len(values[r1]) - 1)), data.draw(st.integers(0, len(values[r2]) - 1))
    changed = choice.copy()
    changed[r1] = c1
    assert term.with_row(r1, c1) == place.identity_score(problem, place._grid(problem, scored, changed))
    changed[r2] = c2
    assert term.with_rows({r1: c1, r2: c2}) == place.identity_score(problem, place._grid(problem, scored, changed))


def test_a_kept_alignment_equals_a_fresh_one_and_belongs_to_its_caller() -> None:
    from gxparse import labels
    from gxparse.template import get_template

    rows = get_template("gov2021").table("applications").rows
    pieces = ["(一)予以公开", "其他", "(二)部分公开", "本年新收政府信息公开申请数量", "三、本年度办理结果", "其他"]
    for monotone in (True, False):
        labels._alignments.clear()
        first = labels.align_rows(pieces, rows, monotone=monotone)
        first.clear()  # the caller's copy: changing it changes nothing kept
        kept = labels.align_rows(pieces, rows, monotone=monotone)
        assert kept == labels._align_rows(pieces, rows, monotone, labels.MATCH_CUTOFF, None) != {}
        assert labels.align_rows(pieces[1:], rows, monotone=monotone) == labels._align_rows(
            pieces[1:], rows, monotone, labels.MATCH_CUTOFF, None)


@given(st.sampled_from(["num", "text", "ph", "blank"]), st.text(max_size=5), st.integers(0, 99), st.integers(0, 9),
       st.lists(st.sampled_from(["pipe", "trailing", "blank_line"]), max_size=2))
def test_items_made_fast_equal_the_dataclass_items(kind: str, text: str, start: int, line: int, flags: list[str]) -> None:
    made = scan._item(kind, text, start, start + len(text), line, tuple(flags))  # type: ignore[arg-type]
    plain = Item(kind, text, start, start + len(text), line, tuple(flags))  # type: ignore[arg-type]
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert replace(made, start=start + 1) == replace(plain, start=start + 1)
    assert scan._item(kind, text, start, start, line) == Item(kind, text, start, start, line)  # type: ignore[arg-type]


_PLACEHOLDER_ALPHABET = "无—―─━/并均暂尚法正关规章行政)( a1"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_PLACEHOLDER_ALPHABET), max_size=16))
def test_glued_placeholders_are_the_plain_search(text: str) -> None:
    fast = [(m.start(), m.end()) for m in scan._glued_placeholders(text)]
    assert fast == [(m.start(), m.end()) for m in scan._GLUED_PLACEHOLDERS.finditer(text)]
    pieces = scan._split_glued_placeholders(text, 7, 3)
    assert "".join(it.text for it in pieces) == text  # every character in exactly one item, in order
    assert all(text[it.start - 7:it.end - 7] == it.text for it in pieces)
    if not fast:
        assert pieces == ([Item("text", text, 7, 7 + len(text), 3)] if text else [])


@given(st.integers(0, 10**6), st.text(max_size=4), st.integers(0, 20), st.integers(0, 20))
def test_cells_traced_to_the_source_equal_their_dataclass_copies(value: int, raw: str, start: int, width: int) -> None:
    """The post-pass's inlined span map and cell copy equal ``raw_span`` and :func:`dataclasses.replace`."""
    from gxparse.normalize import normalize_text
    from gxparse.provenance import attach_source_spans
    from gxparse.report import Cell, Report, Table
    from gxparse.sources import source_from_text

    cell = Cell(value, raw, (start, start + width), 0.75, ("glued_split",))
    source = "x" * start + "１２３４５" * 8
    report = Report(None, {"t": Table("t", {"r": {"c": cell, "blank": Cell(None, "", None)}})})
    attach_source_spans(report, source_from_text(source))
    span = normalize_text(source).raw_span(start, start + width)
    want = replace(cell, raw=source[span[0]:span[1]], source_span=span)
    traced = report.tables["t"].rows["r"]
    assert traced["c"] == want and traced["c"].to_dict() == want.to_dict()
    assert traced["blank"] == Cell(None, "", None)  # a cell without a span is not traced


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["0", "12", "05", "3007", "-12", "+4", "减3", "2.5", "12万元", "100.25元", "—", ""]),
                min_size=1, max_size=5), st.integers(1, 6))
def test_candidates_carry_the_values_their_readings_parse_to(tokens: list[str], k: int) -> None:
    """The search hands each candidate the values it read: those a plain :class:`Candidate` parses from its readings."""
    from gxparse.ir import Candidate

    items, start = [], 0
    for text in tokens:
        kind = "blank" if not text else "ph" if text == "—" else "num"
        items.append(Item(kind, text, start, start + len(text), 0))
        start += len(text) + 1
    constraints = (RowConstraint(tuple(range(k - 1)), k - 1),) if k > 1 else ()
    for cand in enumerate_candidates(items, k, constraints):
        plain = Candidate(cand.readings, cand.dropped, cand.ignored_blanks)
        assert cand == plain and hash(cand) == hash(plain)
        assert cand.values == plain.values and list(map(type, cand.values)) == list(map(type, plain.values))


def _every_reading(items: list[Item], digits: list[str], splittable: list[bool], k: int,
                   missing_budget: int) -> set[tuple[object, ...]]:
    """The reference for the free search: every way to read ``items`` as ``k`` cells (each item read
    whole, cut into pieces none of which starts with 0 unless it is that 0, or left unread; a cell
    inferred anywhere within ``missing_budget``), as (cells' kinds and spans, dropped, ignored)."""
    out: set[tuple[object, ...]] = set()

    def cuts(i: int, pos: int) -> list[list[tuple[int, int]]]:
        run = digits[i]
        if pos == len(run):
            return [[]]
        stops = [pos + 1] if run[pos] == "0" else range(pos + 1, len(run) + 1)
        return [[(pos, stop)] + rest for stop in stops for rest in cuts(i, stop)]

    def walk(i: int, cells: tuple[tuple[object, ...], ...], unread: tuple[int, ...], missing: int) -> None:
        if len(cells) == k:
            rest = unread + tuple(range(i, len(items)))
            out.add((cells, tuple(j for j in rest if items[j].kind != "blank"),
                     tuple(j for j in rest if items[j].kind == "blank")))
        if len(cells) >= k:
            return
        if missing < missing_budget:
            walk(i, cells + (("missing", None, None),), unread, missing + 1)
        if i == len(items):
            return
        item = items[i]
        walk(i + 1, cells, unread + (i,), missing)
        if not splittable[i]:
            span = (item.start, item.start) if item.kind == "blank" else (item.start, item.end)
            walk(i + 1, cells + ((item.kind, *span),), unread, missing)
            return
        for cut in cuts(i, 0):
            walk(i + 1, cells + tuple(("num", item.start + a, item.start + b) for a, b in cut), unread, missing)

    walk(0, (), (), 0)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, min_size=1, max_size=4), st.integers(1, 5), st.integers(0, 2))
def test_free_search_records_every_reading_once(tokens: list[str], k: int, missing_budget: int) -> None:
    """The free search (live pieces listed once a node, nodes inside a run expanded inline) records
    every reading of the row, each once, when its budget and the candidate cap do not stop it."""
    from gxparse.candidates import MAX_CANDIDATES, _Search

    items = _row_items(tokens)
    search = _Search(items, k, ())
    search.max_missing = missing_budget
    expected = _every_reading(items, search.digits, [m is not None for m in search.parsed], k, missing_budget)
    search.run(enforce=False, allow_missing=True, budget=10**6)
    if len(expected) >= MAX_CANDIDATES:
        return
    got = [(tuple((r.kind, r.start, r.end) for r in c.readings), c.dropped, c.ignored_blanks) for c in search.found.values()]
    assert len(got) == len(set(got)) and set(got) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-5, 5), st.floats(-3, 3, allow_nan=False)), max_size=4),
       st.lists(st.one_of(st.none(), st.integers(-5, 5), st.floats(-3, 3, allow_nan=False)), max_size=3))
def test_identity_sign_is_what_identity_status_says(left: list[float | None], right: list[float | None]) -> None:
    """The decoding's sign of an equality identity: +1 pass, -1 fail, 0 not assessable, as :func:`identity_status`."""
    from gxparse.validate import identity_sign, identity_status

    status = identity_status(left, right)[0]
    assert identity_sign(left, right) == {"pass": 1, "fail": -1, "not_assessable": 0}[status]


_SOLE_TOKENS = ["0", "5", "7", "12", "05", "00", "0001", "0510", "100", "3007", "-4", "+4", "减3", "2.5", "12万元", "—", "",
                "trailing", "pipe", "pipe trailing"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_SOLE_TOKENS), min_size=1, max_size=6), st.integers(0, 7), st.booleans(),
       st.sampled_from(["none", "last", "first", "middle", "sum"]), st.booleans(), st.booleans())
def test_a_row_known_without_the_search_is_what_the_search_keeps(tokens: list[str], k: int, unsplit_only: bool,
                                                                 identity: str, tail: bool, one_line: bool) -> None:
    """A row whose candidate is known without searching (:meth:`_Search.sole_reading`) gets what the search
    gives it, after the placer's filter of cut readings where it keeps only uncut ones (``unsplit_only``).
    (``k`` 0: one cell per item, where most such rows are; ``sum``: the last token totals the others as printed.)"""
    from gxparse.candidates import _Search
    from gxparse.values import parse_value

    k = k or len(tokens)
    if identity == "sum":
        tokens = tokens[:-1] + [str(sum(v for t in tokens[:-1] if isinstance(v := parse_value(t), int)))]

    items, start = [], 0
    for n, text in enumerate(tokens):
        kind = "blank" if text in ("", "trailing", "pipe", "pipe trailing") else "ph" if text == "—" else "num"
        flags = tuple(text.split()) if kind == "blank" else ("narrative_tail",) if tail and n == len(tokens) - 1 else ()
        text = "" if kind == "blank" else text
        items.append(Item(kind, text, start, start + len(text), 0 if one_line else n, flags))
        start += len(text) + 1
    totals = {"none": (), "last": (RowConstraint(tuple(range(k - 1)), k - 1),), "sum": (RowConstraint(tuple(range(k - 1)), k - 1),),
              "first": (RowConstraint(tuple(range(1, k)), 0),),
              "middle": (RowConstraint((0, 1), 2), RowConstraint((3, 4), 5))}[identity]
    constraints = tuple(c for c in totals if max(c.parts + (c.total,)) < k and c.parts)

    def kept(cands: list) -> list:
        key = [(tuple((r.kind, r.raw, r.start, r.end, r.item, r.split) for r in c.readings),
                tuple((v, type(v)) for v in c.values), c.dropped, c.ignored_blanks) for c in cands]
        return ([c for c in key if not any(r[5] for r in c[0])] or key) if unsplit_only else key

    known = _Search(items, k, [c for c in constraints if c.relation == "eq"]).sole_reading(unsplit_only=unsplit_only)
    got = kept(enumerate_candidates(items, k, constraints, unsplit_only=unsplit_only))
    plain_sole = _Search.sole_reading
    try:
        _Search.sole_reading = lambda self, unsplit_only: None  # type: ignore[method-assign]
        searched = kept(enumerate_candidates(items, k, constraints))
    finally:
        _Search.sole_reading = plain_sole  # type: ignore[method-assign]
    assert got == searched
    if known is not None:
        assert len(got) == 1


def test_a_row_of_one_candidate_scores_what_its_score_gives() -> None:
    """A row with one candidate gets log-probability 0.0 without features: what ``v − logsumexp(v)`` gives."""
    placer = place.ModelPlacer()
    cols = ("natural_person", "commercial_enterprise", "research_institution", "social_organization", "legal_service",
            "other", "total")
    items = [Item("num", text, 4 * n, 4 * n + len(text), n) for n, text in enumerate(["12", "3", "0", "0", "0", "1", "16"])]
    row = RowProblem("new_received", cols, items, (RowConstraint((0, 1, 2, 3, 4, 5), 6),))
    scored = placer._score_row(TableProblem("applications", [row]), row)
    assert len(scored.candidates) == 1 and scored.logp == [0.0]
    ctx = RowContext("applications", row.key, row.cols, row.constraints, placer.model.meta.get("priors", {}))
    logits = placer.model.decision_function(row_features(scored.candidates, row.items, ctx))
    top = logits[[0]]
    logz = float(np.log(np.exp(top - top.max()).sum()) + top.max())
    assert [float(v - logz) for v in top] == [0.0]
