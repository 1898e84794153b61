"""Match label pieces of a table region to the template's rows (rapidfuzz + spaCy/jieba).

A label piece is scored against every printed label and alias of a row, after
:func:`gxparse.normalize.label_key`. Scores combine

* exact and glued matches (a piece that *ends* with the label, as in a glued header + label run),
* rapidfuzz character similarity (``fuzz.ratio``; ``partial_ratio`` for labels wrapped over lines),
* rapidfuzz ``token_set_ratio`` over jieba words, segmented through spaCy's ``zh`` tokenizer, which
  tolerates words inserted or dropped by wrapping and OCR (``其他法律行政止公开``),
* agreement of the printed numbering (``(七)``, ``3.``) with the template row.

:func:`align_rows` then picks at most one piece per row, monotone in reading order for tables
whose rows have a fixed order (this resolves short, ambiguous labels such as ``其他`` or ``总计``
by position) and freely for the 二 table, whose blocks are sometimes printed out of order.

:func:`score_bound` bounds the score from the keys' lengths and ends alone, so that a caller asking
only whether a piece can reach a score skips the fuzzy matching of one that cannot (a sentence).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Sequence
import logging
import os
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from gxparse.normalize import label_key, strip_numbering
from gxparse.template import RowSpec

MATCH_CUTOFF = 72.0


@cache
def _nlp() -> Any:
    """spaCy's blank Chinese pipeline with the jieba segmenter (no model download).

    jieba announces building its dictionary on stderr at DEBUG level through a handler of its
    own; a library must not print, so its logger is raised to WARNING. Its dictionary is read
    from an on-disk index (:mod:`gxparse.jieba_index`) rather than loaded whole.
    """
    import jieba
    import spacy

    from gxparse.jieba_index import install

    jieba.setLogLevel(logging.WARNING)
    if not install(jieba.dt):  # no index: jieba loads its dictionary, caching it per user
        cache_dir = _jieba_cache_dir()
        if cache_dir is not None:
            jieba.dt.tmp_dir = cache_dir
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def _jieba_cache_dir() -> str | None:
    """Return the per-user cache directory for jieba's dictionary cache (not a shared temp file).

    None when it cannot be created (a read-only home): jieba then falls back to its temp file.
    """
    from gxparse.jieba_index import cache_dir

    path = str(cache_dir())
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return path


JIEBA_TOKENS_KEPT = 4096
"""Texts whose jieba words are kept (least recently used out first): the locator segments a line's key
and the label matcher a label piece's key, and a piece is often a whole line (12 % of the texts
segmented in the dev corpus and a synthetic set were segmented before; the tuples are small)."""


@lru_cache(maxsize=JIEBA_TOKENS_KEPT)
def jieba_tokens(text: str) -> tuple[str, ...]:
    """The tokens spaCy's ``zh`` tokenizer makes of ``text``, which holds no white space: jieba's words.

    spaCy's tokenizer is jieba's ``cut`` followed by re-aligning white space and building a
    ``Doc``; without white space the tokens are jieba's words unchanged, so they are taken from
    the same jieba segmenter directly (the ``Doc`` is a third of the cost of a short label).
    """
    return tuple(w for w in _nlp().tokenizer.jieba_seg.cut(text, cut_all=False) if w)


@lru_cache(maxsize=8192)
def words(text: str) -> str:
    """Segment ``text`` into words with spaCy ``zh``/jieba; return them joined by spaces."""
    if not any(ch.isspace() for ch in text):  # a label key: jieba's words are the tokens
        return " ".join(jieba_tokens(text))
    return " ".join(tok.text for tok in _nlp()(text) if not tok.is_space)


@dataclass(frozen=True)
class _Variant:
    key: str
    words: str


def _numbering_key(number: str) -> str:
    return unicodedata.normalize("NFKC", number).strip(" 、.()")


@lru_cache(maxsize=256)
def _variants(row: RowSpec) -> tuple[_Variant, ...]:
    keys = {label_key(row.label), *(label_key(a) for a in row.aliases)}
    return tuple(_Variant(k, words(k)) for k in sorted(keys) if k)


@lru_cache(maxsize=8192)
def _piece_parts(piece: str) -> tuple[str, str]:
    return strip_numbering(piece)[0], label_key(piece)


SCORES_PER_ROW = 1024
"""Piece scores kept per template row (oldest out first): a report asks a row about its table's few
dozen pieces, mostly labels every report of its template prints; ~300 rows in all bound the cache."""
_row_scores: dict[RowSpec, OrderedDict[str, float]] = {}
_row_scores_lock = threading.Lock()  # parses may run in threads (dask's threaded scheduler)


def _scores_of(row: RowSpec) -> OrderedDict[str, float]:
    """The kept scores of ``row``'s pieces (a row is hashed once per lookup of many pieces, not per piece)."""
    scores = _row_scores.get(row)
    if scores is None:
        with _row_scores_lock:
            scores = _row_scores.setdefault(row, OrderedDict())
    return scores


def _scored(piece: str, row: RowSpec, kept: OrderedDict[str, float]) -> float:
    """Score ``piece`` against ``row`` afresh and keep it in ``kept`` (``row``'s scores)."""
    score = _score_piece(piece, row)
    with _row_scores_lock:
        kept[piece] = score
        while len(kept) > SCORES_PER_ROW:  # oldest first (an OrderedDict pops its first entry in O(1))
            kept.popitem(last=False)
    return score


def score_piece(piece: str, row: RowSpec) -> float:
    """Score (0–100) how well a label piece of the source names ``row`` (cached by text and row)."""
    kept = _scores_of(row)
    score = kept.get(piece)
    return _scored(piece, row, kept) if score is None else score


def score_piece_rows(piece: str, rows: Sequence[RowSpec]) -> list[float]:
    """``[score_piece(piece, row) for row in rows]``, the rows that keep no score of ``piece`` scored together
    (:func:`_score_pieces`, equal to :func:`_score_piece` row by row, as :func:`align_rows` scores its new pieces)
    and their scores kept.

    A new piece asked against every row of a table (the legacy list's ~50 rows) was scored one row and one
    label key at a time, most of the cost of a new piece (profiled)."""
    scores = [_scores_of(row).get(piece) for row in rows]
    lacking = [n for n, score in enumerate(scores) if score is None]
    if lacking:
        for n, (fresh,) in zip(lacking, _score_pieces([piece], [rows[n] for n in lacking])):
            kept = _scores_of(rows[n])
            with _row_scores_lock:
                kept[piece] = fresh
                while len(kept) > SCORES_PER_ROW:  # oldest first, as :func:`_scored` keeps them
                    kept.popitem(last=False)
            scores[n] = fresh
    return scores  # type: ignore[return-value]


NUMBERING_AGREES, NUMBERING_DIFFERS = 4.0, -6.0
"""Added to a piece's score when its printed numbering is, or is not, the row's."""
MAX_RATIO = 100.0
"""The highest score a rapidfuzz ratio gives."""
WORDS_DISCOUNT = 0.95
"""The word-set ratio counts a little less than the character ratios (words dropped or inserted)."""
RATIO_SLACK = 1e-6
"""Added to the length bound of ``fuzz.ratio`` (:func:`_variant_bound`): rapidfuzz's floating point may round it up."""


def _score_piece(piece: str, row: RowSpec) -> float:
    number, key = _piece_parts(piece)
    if not key:
        return 0.0
    best = max(_score_variant(key, v.key, v.words) for v in _variants(row))
    if number and row.number:
        best += NUMBERING_AGREES if _numbering_key(number) == _numbering_key(row.number) else NUMBERING_DIFFERS
    return min(best, 100.0)


def _exact_score(key: str, v: str) -> float | None:
    """The score of an exact or glued match of label key ``v`` in ``key`` (no fuzzy matching), else ``None``."""
    if key == v:
        return 100.0
    if len(v) >= 2 and key.endswith(v):
        return 96.0 if len(v) >= 3 else 88.0
    if len(v) >= 4 and key.startswith(v):
        return 92.0
    return None


def _fragment_weight(cover: float) -> float:
    """The weight of ``partial_ratio`` for a key covering ``cover`` of the label (a wrapped fragment)."""
    return 0.75 + 0.2 * cover


def _words_weight(cover: float) -> float:
    """The weight of the word-set ratio for keys whose lengths' ratio is ``cover``."""
    return 0.7 + 0.3 * cover


VARIANT_SCORES_KEPT = 16384
"""Scores of a key against a label key kept (least recently used out first): rows of one table and of
the two templates share labels and aliases (其他, 总计, the 2019 and 2021 wordings), so the same pair is
scored for several rows (31 % of the pairs scored over dev and 150 synthetic reports, profiled)."""


@lru_cache(maxsize=VARIANT_SCORES_KEPT)
def _score_variant(key: str, v: str, v_words: str) -> float:
    """The score of piece key ``key`` against label key ``v`` (a :class:`_Variant`'s key, whose words are ``v_words``)."""
    exact = _exact_score(key, v)
    if exact is not None:
        return exact
    score = fuzz.ratio(key, v)
    if len(key) >= 5:
        cover = min(len(key), len(v)) / max(len(key), len(v))
        if len(key) <= len(v):  # a fragment of a label wrapped over several lines
            score = max(score, fuzz.partial_ratio(key, v) * _fragment_weight(cover))
        score = max(score, WORDS_DISCOUNT * fuzz.token_set_ratio(words(key), v_words) * _words_weight(cover))
    return float(score)


def _score_pieces(pieces: Sequence[str], rows: Sequence[RowSpec]) -> list[list[float]]:
    """``[[_score_piece(p, row) for p in pieces] for row in rows]``, the fuzzy ratios of all the pieces' keys
    against all the rows' label keys computed at once (:func:`_variant_scores`).

    A report's new pieces (~10–40: wrapped fragments, headers, notes) are each scored against every row of
    its table (~30 rows, ~80 label keys); one ratio at a time, the calls' own cost was most of scoring
    (``tests/test_speed_segment.py`` compares the two).
    """
    parts = [_piece_parts(p) for p in pieces]
    keys = list(dict.fromkeys(key for _, key in parts if key))
    if not keys:
        return [[0.0] * len(pieces) for _ in rows]
    table = _label_table(tuple(rows))
    # each row's best label key (every aligned row has one: a table of one row is not aligned), as rows × keys
    best = np.maximum.reduceat(_variant_scores(keys, table.variants)[:, table.order], table.starts, axis=1)
    key_index = {key: i for i, key in enumerate(keys)}
    scores = best.T[:, [key_index.get(key, 0) for _, key in parts]]
    # the numbering bonus where both the piece and the row print one, added as _score_piece adds it
    numbers = np.array([table.codes.get(_numbering_key(n), _OTHER_NUMBERING) if n else _NO_NUMBERING for n, _ in parts])
    both = (numbers != _NO_NUMBERING) & (table.numbers[:, None] != _NO_NUMBERING)
    bonus = np.where(numbers == table.numbers[:, None], NUMBERING_AGREES, NUMBERING_DIFFERS)
    scores = np.where(both, scores + bonus, scores)
    keyless = np.array([not key for _, key in parts])
    return np.where(keyless, 0.0, np.minimum(scores, 100.0)).tolist()  # type: ignore[no-any-return]


_NO_NUMBERING, _OTHER_NUMBERING = -1, -2
"""The numbering codes (:class:`_LabelTable`) of no printed numbering, and of a piece's numbering no row prints."""


@dataclass(frozen=True)
class _LabelTable:
    """The label keys of a sequence of rows, laid out for :func:`_score_pieces`."""

    variants: list[_Variant]
    """Every row's label keys, each once."""
    order: list[int]
    """The index in :attr:`variants` of each row's label keys, row after row."""
    starts: np.ndarray
    """Where each row's label keys begin in :attr:`order` (every row has one)."""
    codes: dict[str, int]
    """A code for each numbering key the rows print."""
    numbers: np.ndarray
    """Each row's numbering code (:data:`_NO_NUMBERING` when it prints none)."""


LABEL_TABLES_KEPT = 64
"""Row sequences whose label layout is kept: a table's one or two row layouts, with or without group labels."""


@lru_cache(maxsize=LABEL_TABLES_KEPT)
def _label_table(rows: tuple[RowSpec, ...]) -> _LabelTable:
    """The label keys of ``rows`` laid out for :func:`_score_pieces` (cached by the row sequence)."""
    variants = list(dict.fromkeys(v for row in rows for v in _variants(row)))
    column = {v: j for j, v in enumerate(variants)}
    row_variants = [[column[v] for v in _variants(row)] for row in rows]
    if not all(row_variants):
        raise ValueError("a row without a label key scores no piece")  # as max() of no label keys raises
    codes: dict[str, int] = {}
    numbers = [codes.setdefault(_numbering_key(r.number), len(codes)) if r.number else _NO_NUMBERING for r in rows]
    return _LabelTable(variants, [j for js in row_variants for j in js],
                       np.cumsum([0, *map(len, row_variants[:-1])]), codes, np.array(numbers))


PIECE_WORDS_MIN_CHARS = 5
"""A key this long or longer is also scored by ``partial_ratio`` and the word-set ratio (:func:`_score_variant`)."""


KEYS_KEPT = 512
"""Piece keys whose scores against label keys are kept (the first scored out first), each with a dict of the
label keys it was scored against: a report scores a piece against the rows of both row layouts of a table and of
both templates, which share most labels (of the keys a batch scores in the dev corpus and in a synthetic set, 57 %
and 61 % had been scored against every one of its label keys before, profiled); ~80 floats a key."""
_key_scores: OrderedDict[str, dict[str, float]] = OrderedDict()
_key_scores_lock = threading.Lock()


def _variant_scores(keys: list[str], variants: list[_Variant]) -> np.ndarray:
    """``matrix[i, j] == _score_variant(keys[i], variants[j].key, variants[j].words)``: the kept scores of a key
    scored against every label key before (:data:`KEYS_KEPT`), the others computed together
    (:func:`_fresh_variant_scores`) and kept."""
    labels = [v.key for v in variants]
    matrix = np.empty((len(keys), len(labels)))
    fresh = []
    for i, key in enumerate(keys):
        kept = _key_scores.get(key)
        row = None if kept is None else list(map(kept.get, labels))
        if row is None or None in row:  # never scored, or not against every label key
            fresh.append(i)
        else:
            matrix[i] = row
    if fresh:
        scores = _fresh_variant_scores([keys[i] for i in fresh], variants)
        matrix[fresh] = scores
        with _key_scores_lock:
            for i, row in zip(fresh, scores.tolist()):
                _key_scores.setdefault(keys[i], {}).update(zip(labels, row))
                _key_scores.move_to_end(keys[i])
            while len(_key_scores) > KEYS_KEPT:  # oldest first
                _key_scores.popitem(last=False)
    return matrix


def _fresh_variant_scores(keys: list[str], variants: list[_Variant]) -> np.ndarray:
    """``matrix[i, j] == _score_variant(keys[i], variants[j].key, variants[j].words)``, by one rapidfuzz ``cdist``
    per ratio (``partial_ratio`` by groups of equal key length: it counts only against labels at least as long).

    The weights are applied in the same floating-point operations as in :func:`_score_variant`, and the exact and
    glued matches (:func:`_exact_score`) replace the fuzzy score where they hold, looked up by the keys' prefixes
    and suffixes.
    """
    labels = [v.key for v in variants]
    matrix = process.cdist(keys, labels, scorer=fuzz.ratio, dtype=np.float64, workers=1)
    key_len = np.array([len(k) for k in keys], dtype=np.float64)
    label_len = np.array([len(v) for v in labels], dtype=np.float64)
    long_keys = np.flatnonzero(key_len >= PIECE_WORDS_MIN_CHARS)
    if len(long_keys):
        lengths = key_len[long_keys, None]
        cover = np.minimum(lengths, label_len) / np.maximum(lengths, label_len)
        words_score = process.cdist([words(keys[i]) for i in long_keys], [v.words for v in variants],
                                    scorer=fuzz.token_set_ratio, dtype=np.float64, workers=1)
        fragment = np.full(cover.shape, -1.0)  # no partial ratio where the key is longer than the label
        for length in np.unique(lengths):
            at, columns = np.flatnonzero(lengths[:, 0] == length), np.flatnonzero(label_len >= length)
            if len(columns):
                partial = process.cdist([keys[long_keys[i]] for i in at], [labels[j] for j in columns],
                                        scorer=fuzz.partial_ratio, dtype=np.float64, workers=1)
                fragment[np.ix_(at, columns)] = partial * _fragment_weight(cover[np.ix_(at, columns)])
        best = np.maximum(matrix[long_keys], fragment)
        matrix[long_keys] = np.maximum(best, WORDS_DISCOUNT * words_score * _words_weight(cover))
    _with_exact_scores(matrix, keys, labels)
    return matrix


def _with_exact_scores(matrix: np.ndarray, keys: list[str], labels: list[str]) -> None:
    """Put :func:`_exact_score` into ``matrix`` wherever it holds: for the label keys a key equals, begins or ends
    with (looked up by the key's prefixes and suffixes, not compared with every label key)."""
    at = {label: j for j, label in enumerate(labels)}
    longest = max(map(len, labels), default=0)
    for i, key in enumerate(keys):
        ends = range(1, min(len(key), longest) + 1)
        for label in {key[:n] for n in ends} | {key[-n:] for n in ends}:
            if (j := at.get(label)) is not None and (exact := _exact_score(key, label)) is not None:
                matrix[i, j] = exact


def _length_bound(key_len: int, label_len: int) -> float:
    """An upper bound of :func:`_score_variant` for a key of ``key_len`` characters that is not an exact or
    glued match (:func:`_exact_score`) of a label key of ``label_len``: every rapidfuzz ratio is at most
    :data:`MAX_RATIO`, and ``fuzz.ratio`` at most what the lengths allow (an edit per character of the
    difference). The weights multiply as in the score, so rounding keeps the order."""
    short, long = min(key_len, label_len), max(key_len, label_len)
    bound = 2 * MAX_RATIO * short / (short + long) + RATIO_SLACK
    if key_len >= 5:
        cover = short / long
        if key_len <= label_len:
            bound = max(bound, MAX_RATIO * _fragment_weight(cover))
        bound = max(bound, WORDS_DISCOUNT * MAX_RATIO * _words_weight(cover))
    return bound


def label_keys(row: RowSpec) -> tuple[str, ...]:
    """The label keys :func:`score_piece` compares a piece with for ``row`` (its label's and aliases')."""
    return tuple(v.key for v in _variants(row))


def score_bound(piece: str, keys: Iterable[tuple[str, bool]]) -> float:
    """An upper bound of :func:`score_piece` of ``piece`` against the rows whose :func:`label_keys` are
    ``keys``, each given with whether its row is numbered, without fuzzy matching.

    A caller that asks only whether a piece names some row above a score, or how well it names
    the best, skips the rapidfuzz and jieba work where the bound cannot reach it (a long prose
    piece, whose length alone keeps it far from every label).
    """
    number, key = _piece_parts(piece)
    if not key:
        return 0.0
    best = 0.0
    inexact: set[tuple[int, float]] = set()  # (label length, numbering bonus): the length bound is the same for all
    for label, numbered in keys:
        bonus = NUMBERING_AGREES if number and numbered else 0.0
        exact = _exact_score(key, label)
        if exact is None:
            inexact.add((len(label), bonus))
        else:
            best = max(best, exact + bonus)
    best = max([best, *(_length_bound(len(key), n) + bonus for n, bonus in inexact)])
    return min(best, 100.0)


ALIGNMENTS_KEPT = 512
"""Alignments kept, by their whole input (oldest out first): reports of one template and layout print
the same label pieces, so a batch asks the same alignment again (40 % of the calls in the dev corpus
and a synthetic set, profiled); an entry holds its pieces and a row → piece map, a few kB."""
_alignments: OrderedDict[tuple[object, ...], dict[str, tuple[int, float]]] = OrderedDict()
_alignments_lock = threading.Lock()


def align_rows(pieces: Sequence[str], rows: Sequence[RowSpec], *, monotone: bool = True,
               cutoff: float = MATCH_CUTOFF,
               weights: Sequence[float] | None = None) -> dict[str, tuple[int, float]]:
    """Assign label pieces to rows; return ``{row_key: (piece_index, score)}``.

    With ``monotone`` the assignment keeps both orders (dynamic programming maximising the total
    score, each row's scores counted times its ``weights`` entry, 1 by default); otherwise each
    row takes its best piece greedily, best pairs first. The alignment is a function of its
    arguments alone and is kept (:data:`ALIGNMENTS_KEPT`); the caller gets its own copy.
    """
    key = (tuple(pieces), tuple(rows), monotone, cutoff, None if weights is None else tuple(weights))
    kept = _alignments.get(key)
    if kept is None:
        kept = _align_rows(pieces, rows, monotone, cutoff, weights)
        with _alignments_lock:
            _alignments[key] = kept
            while len(_alignments) > ALIGNMENTS_KEPT:  # oldest first
                _alignments.popitem(last=False)
    return dict(kept)


def _align_rows(pieces: Sequence[str], rows: Sequence[RowSpec], monotone: bool, cutoff: float,
                weights: Sequence[float] | None) -> dict[str, tuple[int, float]]:
    """:func:`align_rows` computed afresh (the scores no row keeps scored together: :func:`_score_pieces`)."""
    scores: list[list[float]] = [list(map(_scores_of(row).get, pieces)) for row in rows]  # type: ignore[arg-type]
    lacking = [n for n, row_scores in enumerate(scores) if None in row_scores]
    if lacking:
        new = list(dict.fromkeys(p for n in lacking for p, s in zip(pieces, scores[n]) if s is None))
        for n, fresh in zip(lacking, _score_pieces(new, [rows[n] for n in lacking])):
            kept = _scores_of(rows[n])
            with _row_scores_lock:
                kept.update(zip(new, fresh))
                while len(kept) > SCORES_PER_ROW:  # oldest first, as :func:`_scored` keeps them
                    kept.popitem(last=False)
            by_piece = dict(zip(new, fresh))
            scores[n] = [by_piece[p] if s is None else s for p, s in zip(pieces, scores[n])]
    if not monotone:
        return _greedy(scores, rows, cutoff)
    return _monotone(scores, rows, len(pieces), cutoff, weights or [1.0] * len(rows))


def _greedy(scores: list[list[float]], rows: Sequence[RowSpec], cutoff: float) -> dict[str, tuple[int, float]]:
    pairs = sorted(((s, -j, i, j) for i, row in enumerate(scores) for j, s in enumerate(row) if s >= cutoff), reverse=True)
    used_rows: set[int] = set()
    used_pieces: set[int] = set()
    out: dict[str, tuple[int, float]] = {}
    for s, _, i, j in pairs:
        if i not in used_rows and j not in used_pieces:
            used_rows.add(i)
            used_pieces.add(j)
            out[rows[i].key] = (j, s)
    return out


def _monotone(scores: list[list[float]], rows: Sequence[RowSpec], n_pieces: int, cutoff: float,
              weights: Sequence[float]) -> dict[str, tuple[int, float]]:
    """The monotone alignment of most total score, by dynamic programming over rows × pieces.

    ``best[i][j]`` is the best total using ``rows[:i]`` and pieces ``[:j]``. A cell whose piece scores below
    ``cutoff`` for its row cannot match: its total is the larger of the cells on its left and above (skip the
    piece or the row), so a row's run of such cells is filled by slices (:func:`_extend_skipping`). Only the
    cells that can match (a row names one or two of a table's ~40 pieces) are visited one by one and keep
    their move; the backtrack reads every other cell's move from the totals by the same comparison. Totals,
    moves and ties are those of visiting every cell (``tests/test_speed_paths.py``).
    """
    n = len(rows)
    best = [[0.0] * (n_pieces + 1)]
    match_moves: list[dict[int, int]] = [{}]  # per row, the move of each cell that can match
    for i in range(1, n + 1):
        above, row_scores, row_weight = best[i - 1], scores[i - 1], weights[i - 1]
        here = [0.0]
        moves: dict[int, int] = {}
        for j in [j for j, s in enumerate(row_scores, 1) if s >= cutoff]:
            _extend_skipping(here, above, j)
            # the larger of (total, move) pairs, a tie going to the larger move: skip row 1, skip piece 2, match 3
            total, step = (here[j - 1], 2) if here[j - 1] >= above[j] else (above[j], 1)
            matched = above[j - 1] + row_scores[j - 1] * row_weight
            if matched >= total:
                total, step = matched, 3
            here.append(total)
            moves[j] = step
        _extend_skipping(here, above, n_pieces + 1)
        best.append(here)
        match_moves.append(moves)
    out: dict[str, tuple[int, float]] = {}
    i, j = n, n_pieces
    while i > 0 and j > 0:
        m = match_moves[i].get(j) or (2 if best[i][j - 1] >= best[i - 1][j] else 1)
        if m == 3:
            out[rows[i - 1].key] = (j - 1, scores[i - 1][j - 1])
            i, j = i - 1, j - 1
        elif m == 1:
            i -= 1
        else:
            j -= 1
    return out


def _extend_skipping(here: list[float], above: list[float], end: int) -> None:
    """Fill ``here`` (a row's totals so far) up to index ``end`` with cells that cannot match: each the larger of
    its left neighbour and the total above it.

    Every row of totals is non-decreasing (a cell's total is at least its left neighbour's), so along such a
    run the left total stays the larger until the first total above that exceeds it (found by bisection),
    and from there on the totals above are taken as they are: two slices instead of a comparison per cell.
    """
    start = len(here)
    if start < end:
        last = here[-1]
        rise = bisect_right(above, last, start, end)
        here.extend([last] * (rise - start))
        here.extend(above[rise:end])
