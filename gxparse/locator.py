"""Content-first table location: a CRF tags every line of a report, tables are runs of tagged lines.

Headings are one piece of evidence among many, never a gate. Each non-empty line gets features
from what it contains — rapidfuzz scores against the row labels, column headers and headings of
every template table, hits of those labels' jieba token sequences among the line's jieba tokens, digit
density and number shape, numbering, sentence punctuation, position — plus the same evidence of
its neighbours. A linear-chain CRF (python-crfsuite, the tool of usaddress/parserator) labels the
sequence with one tag per line:

``O``      narrative and anything else,
``HEAD``   a section heading of a table,
``AD_H`` / ``APP_H`` / ``RL_H`` / ``LEG_H``   a header line of table 二 / 三 / 四 / legacy,
``AD`` / ``APP`` / ``RL`` / ``LEG``   a row (or value) line of those tables.

The tag of a line is learned, never hand-labelled: :func:`line_tags` derives it from where the
parser found each gold table of an annotated report. The model is CRFsuite's own file format,
shipped as ``gxparse/_model/locator.crfsuite`` and loaded lazily (no pickle).
"""

from __future__ import annotations

import re
import tempfile
import threading
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from gxparse.errors import ModelIncompatibleError, ModelNotFoundError
from gxparse.ir import Region
from gxparse.jieba_index import digit_shape
from gxparse.labels import jieba_tokens
from gxparse.locate import REGION_MAX_CHARS, bound_region, has_required_content
from gxparse.normalize import label_key
from gxparse.realign import LOCATOR_FILE
from gxparse.scan import count_unit_alternation, without_cell_units
from gxparse.template import TEMPLATE_IDS, get_template

OTHER, HEADING, LEGACY = "O", "HEAD", "LEG"
TABLE_TAGS = {"active_disclosure": "AD", "applications": "APP", "review_litigation": "RL"}
HEADER_SUFFIX = "_H"
TAGS: tuple[str, ...] = (OTHER, HEADING, *(t + s for t in (*TABLE_TAGS.values(), LEGACY) for s in (HEADER_SUFFIX, "")))
_TAG_TABLE = {tag: key for key, tag in TABLE_TAGS.items()}
LEGACY_TABLE = "legacy_indicators"
_REGION_TAGS = {**_TAG_TABLE, LEGACY: LEGACY_TABLE}
# A line of a table region holding a number (not a year) or a placeholder run is a row; lines before the first are header.
_VALUE_LINE = re.compile(r"\d+(?!\s*年)|[—―─━]{2,}")


def table_tag(tag: str) -> str:
    """The table part of a tag (``APP_H`` and ``APP`` → ``APP``)."""
    return tag.removesuffix(HEADER_SUFFIX)
_EVIDENCE_GROUPS = (*TABLE_TAGS.values(), LEGACY)

# A table run may be interrupted by this many non-empty lines tagged otherwise (a page footer, a caption).
RUN_GAP_LINES = 2
# A run shorter than this many lines, and shorter than MIN_RUN_CHARS characters, is noise, not a table
# (the 四 table prints at least a header and a value line; glued, it is one long segment).
MIN_RUN_LINES = 2
MIN_RUN_CHARS = 40
# Lines longer than this are narrative or glued rows; fuzzy label matching looks at their head only.
FUZZY_HEAD_CHARS = 48
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
# Inputs with more lines than this are not tagged (tables are then found by headings alone): the
# longest real report seen has under 400 lines, and tagging is linear in lines, so a megabyte of
# repeated labels must not cost minutes.
MAX_TAGGED_LINES = 5000
# CRFsuite training settings (L-BFGS with elastic-net regularisation; the usual parserator values).
CRF_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PLACEHOLDER_TOKEN = re.compile(r"^(?:[—―─━]+|-{1,4}|/|无|不适用)$")
_NUMBERING = (
    ("num_cn", re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.]")),
    ("num_paren", re.compile(r"^[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]")),
    ("num_arabic", re.compile(r"^\d{1,2}\s*[.、]\D")),
    ("num_table", re.compile(r"^(?:附\s*)?表\s*[一二三四五六七八九十\d]")),
)
_SENTENCE = re.compile(r"[。；;！？]")
_CLAUSE = re.compile(r"[，,]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class Line(NamedTuple):
    """One non-empty line of the text (or one segment of a long line), with its span.

    A named tuple: every report makes one per line, and a tuple is made several times faster than a
    frozen dataclass (which sets each field through ``object.__setattr__``)."""

    text: str
    start: int
    end: int


_new_line = tuple.__new__
"""Makes a :class:`Line` from its fields' tuple as its ``__new__`` does (``tuple.__new__(Line, fields)``), without
the call of that Python function a line: ``_new_line(Line, (text, start, end))`` (a sixth of splitting a report)."""


# Lines longer than this (a page scraped into one line, a glued table) are cut into segments at
# sentence ends, section/row numbering and long parenthetical notes, so that one tag never has to
# cover a whole report.
LONG_LINE_CHARS = 120
# The cuts are found by three patterns that each begin with a character (so the regex engine skips to where one
# can begin) instead of one pattern of zero-width alternatives tried at every character (4x the time on a
# scraped page): a cut after a sentence end; before ``第二十条``, a bracketed numbering, a long parenthetical note,
# or a bracket right after a digit; before the one or two numerals of ``一、`` / ``十二、`` (both positions of
# ``十二、``, where ``二、`` begins too). ``tests/test_speed_tagger.py`` compares them with the one pattern
# (:func:`_sentence_cuts`).
_CUT_AFTER = re.compile(r"[。；;]")
_CUT_BEFORE = re.compile(r"第二十条|\((?=[一二三四五六七八九十]{1,2}\)|[^()]{12,}\))|\((?<=\d\()")
_CUT_NUMBERED = re.compile(r"[一二三四五六七八九十]{1,2}、")


# A piece of a long line with at least this share of digits is glued table rows, not narrative.
GLUED_DIGIT_SHARE = 0.1
_NEVER_DIGITS = re.compile("[\x00-/:-\xb1\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uffef]+")
"""Runs of characters none of which is a digit (``str.isdigit``): ASCII but its digits, Latin-1 up to ``±`` (``²`` is
one), CJK punctuation, ideographs (``三``, ``〇`` are numerals, not digits) and full-width forms but their digits. A
piece's digits are those left once these runs are taken out (a long line is mostly ideographs: counting the rest
character by character takes a fifth of the time of every character; ``tests/test_speed_tagger.py`` checks every
character of the class)."""


@cache
def _values_then_label() -> re.Pattern[str]:
    """Where a label follows a row's values; a count unit printed after the last value (``0件行政许可``) stays with it."""
    units = count_unit_alternation()
    return re.compile(rf"(?<=[\d—])(?:(?P<unit>{units})\s*|\s*(?!{units}))(?=[\u4e00-\u9fff(])")


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text`` with their offsets, long lines cut into segments."""
    return list(_split_lines(text))


_RECENT_TEXTS = 2
"""The tagger and :func:`combine_regions` split the same report text; the last results are kept."""


@lru_cache(maxsize=_RECENT_TEXTS)
def _split_lines(text: str) -> tuple[Line, ...]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        n = len(raw)
        if raw and not raw.isspace():  # ``raw.strip()`` is not empty
            if n <= LONG_LINE_CHARS:  # most lines: one segment, made here (a call per line was most of the split)
                out.append(_new_line(Line, (raw, pos, pos + n)))
            else:
                out.extend(_segments(raw, pos))
        pos += n + 1
    return tuple(out)


def _sentence_cuts(line: str) -> set[int]:
    """Where ``line`` is cut at sentence ends, numbering and long notes (its ends included)."""
    cuts = {0, *(m.end() for m in _CUT_AFTER.finditer(line)), *(m.start() for m in _CUT_BEFORE.finditer(line)),
            len(line)}
    for m in _CUT_NUMBERED.finditer(line):  # the numbering's first character, and its second if it has two
        cuts.update(range(m.start(), m.end() - 1))
    return cuts


def _segments(line: str, offset: int) -> list[Line]:
    if len(line) <= LONG_LINE_CHARS:
        return [Line(line, offset, offset + len(line))]
    cuts = _sentence_cuts(line)
    edges = sorted(cuts)
    for a, b in zip(edges, edges[1:]):  # in number-dense pieces (glued rows) a new label starts after the values
        piece = line[a:b]
        if sum(map(str.isdigit, _NEVER_DIGITS.sub("", piece))) >= GLUED_DIGIT_SHARE * len(piece):
            cuts.update(a + m.start() + len(m["unit"] or "") for m in _values_then_label().finditer(piece))
    edges = sorted(cuts)
    return [_new_line(Line, (line[a:b], offset + a, offset + b))
            for a, b in zip(edges, edges[1:]) if line[a:b].strip()]


@cache
def _vocabulary() -> dict[str, tuple[list[str], list[str]]]:
    """Per evidence group: (row/column label keys, heading keys), from every template's data."""
    vocab: dict[str, tuple[set[str], set[str]]] = {g: (set(), set()) for g in _EVIDENCE_GROUPS}
    for template_id in TEMPLATE_IDS:
        for table in get_template(template_id).tables:
            group = TABLE_TAGS.get(table.key, LEGACY)
            labels, headings = vocab[group]
            for row in table.rows:
                labels.update(label_key(x) for x in (row.label, *row.aliases))
            for col in table.cols:
                labels.update(label_key(x) for x in (col.label, *col.aliases))
            labels.update(label_key(g["label"]) for g in table.row_groups if g.get("label"))
            labels.update(label_key(b.caption) for b in table.blocks)
            headings.update(label_key(h) for h in table.heading_keywords)
    return {g: (sorted(k for k in labels if len(k) >= 2), sorted(k for k in heads if k)) for g, (labels, heads) in vocab.items()}


@cache
def _phrase_index() -> tuple[dict[tuple[str, ...], tuple[str, ...]], dict[str, tuple[int, ...]]]:
    """Every label phrase (≥ 3 characters) as its jieba tokens → the evidence groups it belongs to;
    and per first token, the token counts of the phrases beginning with it, ascending.

    A phrase occurs in a line where the line's tokens (:func:`gxparse.labels.jieba_tokens`) hold
    its tokens in a row: what spaCy's ``PhraseMatcher`` finds over the ``Doc`` of those tokens,
    looked up here without building the ``Doc`` (most of a short line's cost). No phrase belongs to
    two groups today; one that did would count for each, in the groups' order. A line's token
    begins a phrase only if some phrase begins with it, and then only that phrase's length is
    worth a look-up (most tokens of a line begin none: values, narrative words).
    """
    index: dict[tuple[str, ...], list[str]] = {}
    for group, (labels, _) in _vocabulary().items():
        for k in labels:
            if len(k) >= 3:
                groups = index.setdefault(jieba_tokens(k), [])
                if group not in groups:
                    groups.append(group)
    lengths: dict[str, set[int]] = {}
    for tokens in index:
        lengths.setdefault(tokens[0], set()).add(len(tokens))
    return ({tokens: tuple(groups) for tokens, groups in index.items()},
            {first: tuple(sorted(counts)) for first, counts in lengths.items()})


def _phrase_hits(lines: Sequence[str], keys: Sequence[str]) -> list[dict[str, int]]:
    """Phrase hits of every line; sentences (narrative, they end with 。) are not segmented: jieba is the cost.

    A phrase matched over a line's jieba tokens is a substring of the line's key (the tokens
    concatenate to the key, which holds no white space), so a key holding no phrase as a substring
    has no hit and is not segmented at all (:func:`_holds_phrase`, exact).
    """
    return [_phrase_hits_of(key) if _CJK.search(key) and "。" not in line and _holds_phrase(key) else {}
            for line, key in zip(lines, keys)]


@cache
def _phrases_by_trigram() -> dict[str, tuple[str, ...]]:
    """Every phrase of :func:`_phrase_index` (all ≥ 3 characters), indexed by its first three characters."""
    index: dict[str, set[str]] = {}
    for labels, _ in _vocabulary().values():
        for k in labels:
            if len(k) >= 3:
                index.setdefault(k[:3], set()).add(k)
    return {tri: tuple(sorted(ks)) for tri, ks in index.items()}


_Trie = dict[str, "_Trie"]
_PHRASE_END = ""
"""The key of a trie node (:func:`_any_phrase`) at which a phrase ends (no character is empty)."""


@cache
def _any_phrase() -> re.Pattern[str]:
    """Any label phrase of :func:`_phrases_by_trigram`, as one pattern (searched in C).

    The phrases are written as a trie (phrases sharing a beginning share its characters, then branch): at
    each position the regex engine reads the next character once against the few that may follow, instead
    of trying each of the 182 phrases in turn (1.7 → 0.7 µs a dev key). A phrase that another one begins
    with ends its branch, the longer one being found only where the shorter is: a key holds one of the
    phrases exactly when the pattern finds one (``tests/test_speed_locate.py``)."""
    trie: _Trie = {}
    for phrases in _phrases_by_trigram().values():
        for phrase in phrases:
            node = trie
            for ch in phrase:
                node = node.setdefault(ch, {})
            node[_PHRASE_END] = {}
    return re.compile(_trie_pattern(trie))


def _trie_pattern(node: _Trie) -> str:
    """The pattern of the phrases below a trie ``node`` (nothing, once one of them ends there)."""
    if _PHRASE_END in node:
        return ""
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def _holds_phrase(key: str) -> bool:
    """Whether some label phrase of the matcher occurs in ``key`` as a substring (the matcher's precondition)."""
    return _any_phrase().search(key) is not None


def _phrase_hits_of(key: str) -> dict[str, int]:
    """Phrase hits per evidence group in one line key, in reading order of the hits.

    Counted on the key's digit shape (:func:`gxparse.jieba_index.digit_shape`) unless a label phrase holding
    a digit may occur in it, so that lines printing the same labels with other figures are cut into words
    once (a third of the cuts of a synthetic set): jieba cuts a key and its shape at the same places, and a
    phrase without a digit equals a run of the shape's words exactly where it equals the key's (the run holds
    no digit then, in the shape as in the key, and is the same run of words in both).
    """
    shape = digit_shape(key)
    _, digit_phrases = _digit_vocabulary()
    return _phrase_hits_cut(key if digit_phrases is not None and digit_phrases.search(shape) else shape)


@lru_cache(maxsize=16384)
def _phrase_hits_cut(key: str) -> dict[str, int]:
    """:func:`_phrase_hits_of` of ``key`` itself, its jieba words matched (cached: template labels recur in every
    report). A key holds no white space, so its tokens are jieba's words."""
    index, lengths_by_first = _phrase_index()
    tokens = jieba_tokens(key)
    hits: dict[str, int] = {}
    for start, first in enumerate(tokens):
        for length in lengths_by_first.get(first, ()):  # ascending: the hits in the order of every length tried
            if start + length > len(tokens):
                break
            for group in index.get(tokens[start:start + length], ()):
                hits[group] = hits.get(group, 0) + 1
    return hits


_LEN_EDGES, _NUMBERS_EDGES, _PIPES_EDGES, _CLAUSES_EDGES = (2, 6, 16, 40, 120), (0, 1, 3, 7), (0, 2, 6), (0, 2)
_LEN_NAMES, _NUMBERS_NAMES, _PIPES_NAMES, _CLAUSES_NAMES = (
    tuple(f"{name}={b}" for b in range(len(edges) + 1))
    for name, edges in (("len", _LEN_EDGES), ("numbers", _NUMBERS_EDGES), ("pipes", _PIPES_EDGES), ("clauses", _CLAUSES_EDGES)))
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_VALUE_TOKEN = rf"(?:{_NUMBER.pattern}|{_PLACEHOLDER_TOKEN.pattern[1:-1]})"
_VALUE_TOKENS = re.compile(rf"{_VALUE_TOKEN}(?: {_VALUE_TOKEN})*")
"""The tokens of a line joined by one space, each a number or a placeholder (``all_values``)."""
_PLACEHOLDER_AMONG = re.compile(rf"(?:^| ){_PLACEHOLDER_TOKEN.pattern[1:-1]}(?= |$)")
"""A token (of tokens joined by one space) that is a placeholder (``placeholder``)."""
_PLACEHOLDER_CHAR = re.compile(r"[—―─━\-/无不]")
"""A character every placeholder token holds (its first): a line without one has none, found by a plain scan."""
_NUMBERING_STARTS = frozenset("一二三四五六七八九十(（附表")
"""The characters a numbering of :data:`_NUMBERING` begins with, but for a decimal digit (each pattern begins with one of its own set of them)."""


def _own_features(line: str, key: str) -> dict[str, float]:
    """The features of a line's own text (its shape: length, digits, numbers, pipes, punctuation, numbering).

    Counted with few regex passes: CJK characters by runs, digits from the numbers, the token tests on the
    tokens joined by one space (the same values, keys in the same order: ``tests/test_speed_locate.py``).
    """
    stripped = without_cell_units(line.strip())  # a cell's count unit (31条) is no word of the line
    joined = " ".join(stripped.replace("|", " ").split())
    numbers = _NUMBER.findall(stripped)
    figures = "".join(numbers)  # every digit of the line is in one of its numbers, beside at most a sign and a point
    digits = len(figures) - figures.count(".") - figures.count("-") - figures.count("+")
    cjk = sum(map(len, _CJK_RUN.findall(stripped)))
    n = max(len(stripped), 1)
    # a bucket: how many of the ascending edges lie below a value (``sum(value > e for e in edges)``), by bisection
    feats: dict[str, float] = {
        "bias": 1.0,
        _LEN_NAMES[bisect_left(_LEN_EDGES, len(stripped))]: 1.0,
        "digit_frac": digits / n,
        "cjk_frac": cjk / n,
        _NUMBERS_NAMES[bisect_left(_NUMBERS_EDGES, len(numbers))]: 1.0,
        _PIPES_NAMES[bisect_left(_PIPES_EDGES, stripped.count("|"))]: 1.0,
        "all_values": float(_VALUE_TOKENS.fullmatch(joined) is not None),
        "placeholder": float(_PLACEHOLDER_CHAR.search(joined) is not None
                             and _PLACEHOLDER_AMONG.search(joined) is not None),
        "sentence": float(bool(_SENTENCE.search(stripped))),
        _CLAUSES_NAMES[bisect_left(_CLAUSES_EDGES, len(_CLAUSE.findall(stripped)))]: 1.0,
        "long_number": float(any(len(x) > 6 for x in numbers)),
    }
    if stripped[:1] in _NUMBERING_STARTS or stripped[:1].isdecimal():  # ``\d`` is any decimal digit (``１``, ``٣``)
        for name, pattern in _NUMBERING:
            if pattern.match(stripped):
                feats[name] = 1.0
    if not key:
        feats["no_key"] = 1.0
    return feats


_FUZZY_NAMES = {g: (f"label_{g}", f"label_{g}>80", f"heading_{g}", f"heading_{g}>80") for g in _EVIDENCE_GROUPS}
_PHRASE_NAMES = {g: f"phrase_{g}" for g in _EVIDENCE_GROUPS}
# A key this long or longer is compared with the headings (a shorter one is part of a word, not a heading).
MIN_HEADING_KEY_CHARS = 4


def _evidence(lines: Sequence[str], keys: Sequence[str]) -> list[dict[str, float]]:
    """Fuzzy and phrase evidence per line and group: label similarity, heading similarity, phrase hits.

    Only the lines with a key are scored against the labels, and only those with a key of
    :data:`MIN_HEADING_KEY_CHARS` or more against the headings (the others have no such features).
    """
    heads = [k[:FUZZY_HEAD_CHARS] for k in keys]
    out: list[dict[str, float]] = [{} for _ in keys]
    keyed = [i for i, key in enumerate(heads) if key]
    headed = [i for i in keyed if len(heads[i]) >= MIN_HEADING_KEY_CHARS]
    label_best = _best_per_group([heads[i] for i in keyed], _label_groups(), fuzz.ratio)
    head_best = _best_per_group([heads[i] for i in headed], _heading_groups(), fuzz.partial_ratio, skip_disjoint=True)
    for group, label_scores, head_scores in zip(_vocabulary(), label_best, head_best):
        label_name, label_high, heading_name, heading_high = _FUZZY_NAMES[group]
        # a line's label features, then its heading features, group after group (the features' order)
        for rows, scores, name, high in ((keyed, label_scores, label_name, label_high),
                                         (headed, head_scores, heading_name, heading_high)):
            if scores is not None:
                for i, score in zip(rows, scores.tolist()):
                    row = out[i]
                    row[name] = score / 100.0
                    row[high] = float(score >= 80)
    for i, hits in enumerate(_phrase_hits(lines, heads)):
        for group, count in hits.items():
            out[i][_PHRASE_NAMES[group]] = float(min(count, 3))
    return out


class _Alphabet:
    """The characters of a vocabulary, each written as a code point of its own from 1 up (the most frequent
    first), every other character as U+0000.

    rapidfuzz's ``ratio`` and ``partial_ratio`` read two strings only through their lengths and which
    characters of one equal which of the other (an LCS over the alignments tried; the alignments
    skipped are those ending on a character the other string lacks). A text and a choice written in
    these codes have the same lengths and the same equalities (characters outside the vocabulary equal
    no choice's character, coded or not), so they score exactly alike; but rapidfuzz looks a code point
    below 256 up in an array, a CJK character in a hash map (``partial_ratio`` of a report's lines against
    the headings: 2.0 → 0.9 ms, ``ratio`` against the labels: 0.6 → 0.15 ms on r011). Checked by
    ``tests/test_speed_locator.py``.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        chars = [ch for ch, _ in Counter("".join(texts)).most_common()]
        self.size = len(chars)
        """How many characters the alphabet holds (their codes are 1 to ``size``; ``size + 1`` parts texts)."""
        self._table = np.zeros(max(map(ord, chars), default=0) + 2, dtype=np.uint32)
        self._table[[ord(ch) for ch in chars]] = np.arange(1, len(chars) + 1, dtype=np.uint32)
        # a character past the vocabulary's highest is read as the table's last entry: 0, like every other one
        # (a code's index is the character's: ``take`` reads them without converting them, as indexing would)

    def code(self, texts: Sequence[str]) -> _CodedTexts:
        """``texts`` written in the alphabet's codes: all at once, joined by the code ``size + 1`` that no
        character has, so that a few numpy calls and one ``split`` do it (not a call or a slice per text)."""
        if not texts:
            return _CodedTexts([], np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.intp))
        lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
        ends = np.cumsum(lengths + 1) - 1
        points = np.frombuffer("\0".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        codes = self._table.take(points, mode="clip")  # a character past the table's end is read as its last entry
        codes[ends[:-1]] = self.size + 1
        return _CodedTexts(codes.tobytes().decode("utf-32-le").split(chr(self.size + 1)), codes, ends - lengths)


class _CodedTexts(NamedTuple):
    """Texts written in an :class:`_Alphabet`'s codes."""

    texts: list[str]
    codes: NDArray[np.uint32]
    """The codes of all texts one after the other, each text followed by the code that parts texts (the last one not)."""
    starts: NDArray[np.intp]
    """Where each text begins in ``codes``."""


class _ChoiceGroups(NamedTuple):
    """Groups of choices (one per evidence group; no choice empty) to score lines against, written in their own
    :class:`_Alphabet`."""

    alphabet: _Alphabet
    coded: tuple[list[str], ...]
    """Each group's choices in codes."""
    joined: list[str]
    """All groups' choices in codes, group after group."""
    groups_of: NDArray[np.uint32]
    """Per code, a bit per group (``1 << group``) whose choices hold its character (none for 0, nor for the code
    that parts texts)."""

    @classmethod
    def of(cls, groups: Iterable[Sequence[str]]) -> _ChoiceGroups:
        """The choice groups ``groups``, in that order."""
        choices = [list(g) for g in groups]
        alphabet = _Alphabet(c for g in choices for c in g)
        written = [alphabet.code(g) for g in choices]
        groups_of = np.zeros(alphabet.size + 2, dtype=np.uint32)
        for group, coded in enumerate(written):
            groups_of[coded.codes] |= 1 << group
        groups_of[-1] = 0  # the code that parts texts
        return cls(alphabet, tuple(coded.texts for coded in written), [c for coded in written for c in coded.texts],
                   groups_of)


@cache
def _label_groups() -> _ChoiceGroups:
    """Every evidence group's label keys (:func:`_vocabulary`), for :func:`_best_per_group`."""
    return _ChoiceGroups.of(labels for labels, _ in _vocabulary().values())


@cache
def _heading_groups() -> _ChoiceGroups:
    """Every evidence group's heading keys (:func:`_vocabulary`), for :func:`_best_per_group`."""
    return _ChoiceGroups.of(headings for _, headings in _vocabulary().values())


def _best_per_group(queries: Sequence[str], groups: _ChoiceGroups, scorer: Any, *,
                    skip_disjoint: bool = False) -> list[Any]:
    """Each query's best ``scorer`` score within each group of choices (``None`` for an empty group).

    One ``cdist`` over all groups' choices, its columns then cut per group: the same scores as one
    call per group, without a call's fixed cost (most of it, for a report's few dozen new lines).
    With ``skip_disjoint``, a query sharing no character with a group's choices is not scored
    against them: it scores 0 against each (no alignment holds a common character), which
    ``partial_ratio`` takes ~0.4 µs a pair to find, against the headings (a narrative line shares
    none with most); the other queries are then scored by one ``cdist`` per group (``ratio``
    takes a few ns a pair: there the calls would cost more than the pairs skipped). Queries and
    choices are compared in the choices' codes (:class:`_Alphabet`), which give the same scores
    (``tests/test_speed_locate.py``, ``tests/test_speed_locator.py``).
    """
    written = groups.alphabet.code(queries)
    coded = written.texts
    if not skip_disjoint:
        return _group_maxima(_scores(coded, groups.joined, scorer), groups.coded)
    # per query, the groups whose choices hold one of its characters: its codes' bits, or-ed from its start to
    # the next query's (its own codes, then the code that parts texts: no bit; a last 0 ends the last query)
    shares = np.bitwise_or.reduceat(np.append(groups.groups_of.take(written.codes), 0), written.starts)
    out: list[Any] = []
    for group, choices in enumerate(groups.coded):
        best = np.zeros(len(queries), dtype=np.float32)  # cdist's dtype for both scorers
        rows = np.flatnonzero(shares & (1 << group)).tolist()  # ints: a list is indexed by them without conversion
        if rows:
            best[rows] = _scores([coded[i] for i in rows], choices, scorer).max(axis=1)
        out.append(best if choices else None)
    return out


def _group_maxima(matrix: NDArray[np.float32], groups: Sequence[Sequence[str]]) -> list[Any]:
    """Each row's best score within each group's columns (the groups' choices side by side; ``None`` for an empty group)."""
    return [matrix[:, end - len(choices):end].max(axis=1) if choices else None
            for choices, end in zip(groups, accumulate(map(len, groups)))]


def _scores(queries: list[str], choices: list[str], scorer: Any) -> NDArray[np.float32]:
    """``scorer``'s score of each query (row) against each choice (column), by one ``cdist``.

    The shorter list is ``cdist``'s queries: rapidfuzz preprocesses each query once (the headings
    rather than a report's lines; the lines rather than the labels). Both scorers are symmetric, so
    the transposed matrix holds the same scores."""
    if len(choices) < len(queries):
        return process.cdist(choices, queries, scorer=scorer, workers=1).T
    return process.cdist(queries, choices, scorer=scorer, workers=1)


# The evidence a line passes to its neighbours' feature sets (the CRF sees a window of ±2 lines).
_SHARED = ("digit_frac", "all_values", "sentence", *(f"label_{g}>80" for g in _EVIDENCE_GROUPS),
           *(f"heading_{g}>80" for g in _EVIDENCE_GROUPS), *(f"phrase_{g}" for g in _EVIDENCE_GROUPS))


_NEIGHBOUR_NAMES = {off: {name: f"{off:+d}:{name}" for name in _SHARED} for off in NEIGHBOUR_OFFSETS}
_POSITION_EDGES = (0.1, 0.3, 0.6, 0.9)
_POSITION_NAMES = tuple(f"pos={b}" for b in range(len(_POSITION_EDGES) + 1))
# The names of tagging's features (:func:`line_features` with ``nonzero``) are bytes: CRFsuite takes a bytes name
# as it is and encodes a str one at every call (a quarter of handing a report's features over, measured).
_NEIGHBOUR_BYTES = {off: {name: value.encode() for name, value in names.items()} for off, names in _NEIGHBOUR_NAMES.items()}
_POSITION_BYTES = tuple(name.encode() for name in _POSITION_NAMES)
_SHARED_BYTES = {name: tuple(names[name] for names in _NEIGHBOUR_BYTES.values()) for name in _SHARED}
"""Per shared feature, its bytes name for each neighbour, in :data:`NEIGHBOUR_OFFSETS` order."""


LINE_CACHE_SIZE = 4096
"""Lines whose own features are kept (oldest out first), by text and by shape (:func:`_shape_of`, as many
again): a report has 50–400 lines, of which the labels, headers and headings of its tables recur in every report
of their template, and some 40 are new. An entry holds about 6.5 kB (its feature dicts, with and without
zeros, and what it passes to each neighbour; a line and its shape share one), so the cache stays under
~30 MB."""


@dataclass(frozen=True)
class _LineEvidence:
    """What a line's text alone decides: its own features, and what it passes to each neighbour (named for it).

    Tagging reads only the nonzero forms, named by bytes (:data:`_POSITION_BYTES`); the full ones (training's) are
    made on first use.
    """

    own: dict[str, float]
    own_nonzero: dict[bytes, float]
    to_neighbour_nonzero: dict[int, dict[bytes, float]]

    @cached_property
    def to_neighbour(self) -> dict[int, dict[str, float]]:
        """Per neighbour offset, the shared evidence named for that neighbour (zeros included)."""
        shared = [(name, self.own[name]) for name in _SHARED if name in self.own]
        return {off: {names[name]: value for name, value in shared} for off, names in _NEIGHBOUR_NAMES.items()}

    @classmethod
    def of(cls, own: dict[str, float]) -> _LineEvidence:
        """The evidence of a line whose features are ``own``: what it passes on is filled in one pass over the
        shared features, a dict per neighbour spelled out (:data:`NEIGHBOUR_OFFSETS`, as in :func:`line_features`;
        a comprehension per neighbour cost 0.8 µs a line more; ``tests/test_speed_locator.py``)."""
        before_2: dict[bytes, float] = {}
        before_1: dict[bytes, float] = {}
        after_1: dict[bytes, float] = {}
        after_2: dict[bytes, float] = {}
        for name in _SHARED:
            if value := own.get(name):
                as_before_2, as_before_1, as_after_1, as_after_2 = _SHARED_BYTES[name]
                before_2[as_before_2] = before_1[as_before_1] = after_1[as_after_1] = after_2[as_after_2] = value
        return cls(own, {k.encode(): v for k, v in own.items() if v},
                   {-2: before_2, -1: before_1, 1: after_1, 2: after_2})


_line_cache: OrderedDict[str, _LineEvidence] = OrderedDict()
_shape_cache: OrderedDict[tuple[str, str], tuple[_LineEvidence, tuple[float, ...]]] = OrderedDict()
"""Per line shape (:func:`_shape_of`): the evidence of the first line seen of it, and that line's best
scores against the labels holding a digit (:func:`_digit_label_best`)."""
_line_cache_lock = threading.Lock()  # parses may run in threads (dask's threaded scheduler)


def _shape_of(line: str, key: str) -> tuple[str, str]:
    """What a line's evidence is a function of, the values of its digits aside: the digit shapes of the line and its key.

    The evidence reads a line's digits as digits: its own features by character classes and lengths
    (``\\d``, number counts and lengths); the phrase hits over jieba's words, which a key and its
    shape share (:func:`gxparse.jieba_index.digit_shape`); the fuzzy scores of its key against the
    labels and headings, where a digit of the key matches no character of a label without digits,
    whatever its value. Only the few labels holding a digit (legacy ``不予公开范围1数``) read its value:
    :func:`_same_by_shape` checks those scores. ``tests/test_speed_locate.py`` checks the premises
    and the evidence itself.
    """
    return digit_shape(line), digit_shape(key)


@cache
def _digit_vocabulary() -> tuple[tuple[list[str], ...], re.Pattern[str] | None]:
    """Per evidence group its label keys holding an ASCII digit; and the shapes of the label phrases holding
    one, as one alternation (``None``: no such phrase)."""
    labels = tuple([k for k in group_labels if any(ch in _ASCII_DIGITS for ch in k)]
                   for group_labels, _ in _vocabulary().values())
    phrases = sorted({digit_shape("".join(tokens)) for tokens in _phrase_index()[0]
                      if any(ch in _ASCII_DIGITS for token in tokens for ch in token)})
    return labels, re.compile("|".join(map(re.escape, phrases))) if phrases else None


_ASCII_DIGITS = frozenset("0123456789")
_ASCII_DIGIT = re.compile("[0-9]")


def _digit_label_best(keys: Sequence[str]) -> list[tuple[float, ...]]:
    """Each key head's best ``fuzz.ratio`` within each group's labels holding a digit (-1 for a group without).

    A head without an ASCII digit is not scored (``()``): it is its own digit shape, so the key of a line of
    the same shape has the same head (its digit shape is this head, which holds no digit), scores alike, and
    :func:`_same_by_shape` has nothing to compare (labels, headings and much of the narrative hold none).
    The heads are scored as printed: the labels holding a digit are too few (21) for writing the heads in
    their codes (:class:`_Alphabet`) to pay (measured: 27 µs as printed, 41 µs coded, on r011's 155 heads).
    """
    labels, _ = _digit_vocabulary()
    heads = [k[:FUZZY_HEAD_CHARS] for k in keys]
    scored = [i for i, head in enumerate(heads) if _ASCII_DIGIT.search(head)]
    best = _group_maxima(_scores([heads[i] for i in scored], [k for group in labels for k in group], fuzz.ratio),
                         labels) if scored else []
    out: list[tuple[float, ...]] = [()] * len(heads)
    for row, i in enumerate(scored):
        out[i] = tuple(-1.0 if b is None else float(b[row]) for b in best)
    return out


def _same_by_shape(shape: tuple[str, str], digit_best: tuple[float, ...],
                   seen: tuple[_LineEvidence, tuple[float, ...]]) -> bool:
    """Whether a line of ``shape`` has the evidence of the line seen of that shape (``seen``: its evidence and
    best scores against the labels holding a digit): no label phrase holding a digit occurs in the shape's key,
    and in each group the best label score is the same, because both lines score the labels holding a digit
    alike or both below the group's best (the seen line's feature, ``score / 100``; strictly below, so that
    ``score >= 80`` agrees too)."""
    _, digit_phrases = _digit_vocabulary()
    if digit_phrases is not None and digit_phrases.search(shape[1]):
        return False
    evidence, seen_best = seen
    for group, mine, theirs in zip(_EVIDENCE_GROUPS, digit_best, seen_best):
        if mine != theirs:
            group_best = evidence.own.get(_FUZZY_NAMES[group][0])
            if group_best is None or not (mine / 100.0 < group_best and theirs / 100.0 < group_best):
                return False
    return True


def _line_evidence(lines: Sequence[str]) -> list[_LineEvidence]:
    """Each line's own features and evidence (a function of its text alone: cached by text, and by shape).

    A line not seen before takes the evidence of the line seen of its shape when :func:`_same_by_shape`
    says it is the same; the other new lines are scored together, one ``cdist`` per vocabulary. The
    dicts returned are shared with the cache and must not be changed.
    """
    known = {ln: _line_cache.get(ln) for ln in lines}
    new = [ln for ln, evidence in known.items() if evidence is None]
    if new:
        keys = [label_key(ln) for ln in new]
        shapes = [_shape_of(ln, k) for ln, k in zip(new, keys)]
        digit_best = _digit_label_best(keys)
        found: dict[str, _LineEvidence] = {}
        fresh: dict[tuple[str, str], int] = {}  # a shape not seen → its first new line, scored below
        for i, (ln, shape) in enumerate(zip(new, shapes)):
            seen = _shape_cache.get(shape)
            if seen is not None and _same_by_shape(shape, digit_best[i], seen):
                found[ln] = seen[0]
        todo = [i for i, ln in enumerate(new) if ln not in found]
        scored = [_LineEvidence.of(_own_features(new[i], keys[i]) | ev)
                  for i, ev in zip(todo, _evidence([new[i] for i in todo], [keys[i] for i in todo]))]
        for i, evidence in zip(todo, scored):
            found[new[i]] = evidence
            if shapes[i] not in _shape_cache:
                fresh.setdefault(shapes[i], i)
        known.update(found)
        with _line_cache_lock:
            _line_cache.update(found)
            _shape_cache.update((shape, (found[new[i]], digit_best[i])) for shape, i in fresh.items())
            for kept in (_line_cache, _shape_cache):
                while len(kept) > LINE_CACHE_SIZE:  # oldest first (an OrderedDict pops its first entry in O(1):
                    kept.popitem(last=False)  # a dict's first live entry is found past the deleted ones)
    return [known[ln] for ln in lines]  # type: ignore[misc]


def line_features(lines: Sequence[str], *, nonzero: bool = False) -> list[dict[Any, float]]:
    """The CRF feature dict of every line (its own evidence, position, and its neighbours').

    With ``nonzero`` only the features whose value is not 0 are kept: a CRF's score is the sum
    of weight × value over the features, so tagging with them gives the same tags (about two
    thirds of the values are 0, and handing them to CRFsuite is most of tagging's cost); their names
    are then bytes (the UTF-8 of the full forms' ``str`` names: :data:`_POSITION_BYTES`). Training
    keeps them all: the model's feature set is what training sees.
    """
    evidence = _line_evidence(lines)
    total = max(len(lines), 1)
    own: list[dict[Any, float]] = [line.own_nonzero if nonzero else line.own for line in evidence]
    passed: list[dict[int, dict[Any, float]]] = [line.to_neighbour_nonzero if nonzero else line.to_neighbour
                                                 for line in evidence]
    positions, first, last = (_POSITION_BYTES, b"first", b"last") if nonzero else (_POSITION_NAMES, "first", "last")
    out = []
    for i in range(len(evidence)):
        position = positions[bisect_left(_POSITION_EDGES, i / total)]  # its bucket, as in :func:`_own_features`
        if 2 <= i < total - 2:  # most lines: no first/last mark, every NEIGHBOUR_OFFSETS neighbour (spelled out here)
            # present; one dict display, the keys in the order of the loop below (tests/test_speed_locate.py)
            out.append({**own[i], position: 1.0, **passed[i - 2][-2], **passed[i - 1][-1],
                        **passed[i + 1][1], **passed[i + 2][2]})
            continue
        row = {**own[i], position: 1.0}
        if i == 0:
            row[first] = 1.0
        if i == total - 1:
            row[last] = 1.0
        for off in NEIGHBOUR_OFFSETS:
            j = i + off
            if 0 <= j < len(evidence):
                row.update(passed[j][off])
        out.append(row)
    return out


class LineTagger:
    """A trained CRF over report lines (CRFsuite's own model bytes; tagger opened lazily)."""

    def __init__(self, model_bytes: bytes) -> None:
        self.model_bytes = model_bytes
        self._tagger: Any = None

    def _crf(self) -> Any:
        if self._tagger is None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            try:
                tagger.open_inmemory(self.model_bytes)
            except ValueError as exc:
                raise ModelIncompatibleError(f"the locator model is not a CRFsuite model: {exc}") from exc
            self._tagger = tagger
        return self._tagger

    def tag(self, lines: Sequence[str]) -> list[str]:
        """One tag of :data:`TAGS` per line."""
        if not lines:
            return []
        return list(self._crf().tag(line_features(lines, nonzero=True)))

    def save(self, path: str | Path) -> Path:
        """Write the CRFsuite model file."""
        target = Path(path)
        target.write_bytes(self.model_bytes)
        return target

    @classmethod
    def load(cls, path: str | Path) -> LineTagger:
        """Read a CRFsuite model file written by :meth:`save` (or by ``gxparse train``)."""
        try:
            return cls(Path(path).read_bytes())
        except OSError as exc:
            raise ModelNotFoundError(f"cannot read locator model {path}: {exc}") from exc


@cache
def packaged_tagger() -> LineTagger | None:
    """The locator shipped in ``gxparse/_model/`` (``None`` when the package carries none)."""
    resource = resources.files("gxparse") / "_model" / LOCATOR_FILE
    try:
        return LineTagger(resource.read_bytes())
    except OSError:
        return None


def train_tagger(sequences: Iterable[tuple[Sequence[str], Sequence[str]]]) -> LineTagger:
    """Fit the CRF on ``(lines, tags)`` sequences (deterministic: L-BFGS from zero weights)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for lines, tags in sequences:
        if lines:
            trainer.append(line_features(lines), list(tags))
            n += 1
    if not n:
        raise ValueError("the locator needs at least one tagged report to train on")
    trainer.set_params(CRF_PARAMS)
    with tempfile.TemporaryDirectory(prefix="gxparse-crf-") as tmp:
        path = Path(tmp) / LOCATOR_FILE
        trainer.train(str(path))
        return LineTagger(path.read_bytes())


def line_tags(text: str, tables: dict[str, Region], legacy: Region | None = None) -> tuple[list[str], list[str]]:
    """Derive the training tags of ``text``'s lines from located gold tables.

    A line inside a table's region gets that table's tag (with ``_H`` up to its first line that
    holds a value: the header), the line holding a table's heading gets ``HEAD``, every other line ``O``.
    """
    lines = split_lines(text)
    regions = {TABLE_TAGS[key]: region for key, region in tables.items()}
    if legacy is not None:
        regions[LEGACY] = legacy
    in_rows: set[str] = set()
    tags = []
    for ln in lines:
        tag = OTHER
        for base, region in regions.items():
            if ln.start < region.end and ln.end > region.start:
                if base not in in_rows and _VALUE_LINE.search(ln.text):
                    in_rows.add(base)
                tag = base if base in in_rows else base + HEADER_SUFFIX
            elif base != LEGACY and region.heading_start < region.start and ln.start <= region.heading_start < ln.end + 1:
                tag = HEADING
        tags.append(tag)
    return [ln.text for ln in lines], tags


def tagged_regions(text: str, tagger: LineTagger) -> tuple[dict[str, Region], list[str]]:
    """The table regions the tagger finds in ``text`` (the legacy one as ``legacy_indicators``), and the tags.

    A table's region starts at the longest run of its tag and ends where that block of table
    lines ends, widened over the adjacent lines that print the table's own labels (a glued first
    or last block the tagger gave to a heading or another table: :func:`_with_own_label_lines`);
    such a line is then no other table's heading line. The parser ends a region earlier where the
    next table's region begins.
    """
    lines = split_lines(text)
    if len(lines) > MAX_TAGGED_LINES:
        return {}, []
    texts = [ln.text for ln in lines]
    tags = tagger.tag(texts)
    tables = _with_row_context(texts, [t.removesuffix(HEADER_SUFFIX) for t in tags])  # each tag's table_tag
    spans: dict[str, tuple[int, int]] = {}
    at: dict[str, list[int]] = {}  # the lines of each table, found in one pass (not one per table and per block)
    for i, t in enumerate(tables):
        at.setdefault(t, []).append(i)
    blocks = _runs_at(sorted(i for tag in _REGION_TAGS for i in at.get(tag, ())), gap=0)
    for tag, key in _REGION_TAGS.items():
        runs = _runs_at(at.get(tag, ()))
        if not runs:
            continue
        first, last = max(runs, key=lambda r: (r[1] - r[0], -r[0]))
        if tag != LEGACY:
            first = _with_head_read_as_legacy(tables, runs, tag, first)
        if (last - first + 1 < MIN_RUN_LINES and lines[last].end - lines[first].start < MIN_RUN_CHARS
                and not _fragment_run(lines[first:last + 1], tag)):
            continue  # noise, unless it prints this table's own rows (a fragment: a copy begins or ends in it)
        if not any(_CJK.search(ln.text) for ln in lines[first:last + 1]):
            continue  # a table prints its labels: a run of bare numbers is no table
        # the run reaches to the end of its block of table lines: a tail tagged as another table
        # (a row numbered 四、 read as section 四) stays with it unless that table is found there
        last = max(last, next(b_last for b_first, b_last in blocks if b_first <= last <= b_last))
        if tag != LEGACY:
            first, last = _with_own_label_lines(lines, tag, first, last)
        spans[key] = (first, last)
    regions: dict[str, Region] = {}
    for key, (first, last) in spans.items():
        claimed = any(f <= first - 1 <= l for other, (f, l) in spans.items() if other != key)
        heading = first - 1 if first > 0 and tags[first - 1] == HEADING and not claimed else first
        truncated = last == len(lines) - 1 and not text[lines[last].end:].strip()
        end = min(lines[last].end, lines[first].start + REGION_MAX_CHARS)
        regions[key] = Region(key, lines[heading].start, lines[first].start, end, truncated and end == lines[last].end)
    return regions, tags


# A line joins the table run next to it when the labels it prints before its first value hold at
# least this many of the table's label phrases, more than of any other group's, and cover at least
# this share of their characters: a glued block prints its caption and column headers with its row
# label (4 phrases covering 77–87 % in the 5101/9613 glued renderings), while a narrative sentence
# next to a table names one or two labels among its own words (``全年制发行政规范性文件``: 64 %).
MIN_OWN_LABEL_HITS = 2
MIN_OWN_LABEL_COVER = 0.75
_LABEL_HEAD = re.compile(r"[\d\s.、]*([^\d—―─━|]*)")
"""A line's labels: what it prints before its first value (after any leading row numbering)."""


def _with_own_label_lines(lines: Sequence[Line], tag: str, first: int, last: int) -> tuple[int, int]:
    """The run ``first..last`` of table ``tag`` widened over the adjacent lines that print its own labels.

    In a glued copy a table's first or last block is one line that the tagger may give to a
    heading or to another table (a block's caption run into the report's heading, a row run into
    the sentence after the table). The line's label phrases (:func:`_phrase_hits_of`, the matcher
    behind the tagger's ``phrase_*`` evidence) still say whose it is. A piece of the table's labels
    between the run and such a line joins with it (:func:`_label_piece_then_labels`).
    """
    while True:
        if first > 0 and _prints_own_labels(lines[first - 1].text, tag):
            first -= 1
        elif first > 1 and _label_piece_then_labels(lines[first - 1].text, lines[first - 2].text, tag):
            first -= 2
        else:
            break
    while True:
        if last + 1 < len(lines) and _prints_own_labels(lines[last + 1].text, tag):
            last += 1
        elif last + 2 < len(lines) and _label_piece_then_labels(lines[last + 1].text, lines[last + 2].text, tag):
            last += 2
        else:
            break
    return first, last


def _label_piece_then_labels(piece: str, beyond: str, tag: str) -> bool:
    """Whether ``piece`` is a piece of table ``tag``'s labels only and the line ``beyond`` it prints its labels.

    Cutting a glued copy at bracketed numbering splits a block's caption (``第二十条第`` | ``(八)项信息内容…行政
    事业性收费0本年度…``): the tagger may read the first piece as a heading, which alone names too few labels
    to join the table, and the block after it would be lost.
    """
    return _wrapped_label_owner(piece) == tag and _prints_own_labels(beyond, tag)


def _prints_own_labels(line: str, tag: str) -> bool:
    """Whether the labels ``line`` prints before its first value are table ``tag``'s (see :data:`MIN_OWN_LABEL_HITS`)."""
    match = _LABEL_HEAD.match(line)
    key = label_key(match.group(1)) if match else ""
    return bool(key) and _holds_phrase(key) and _labels_owner(key, _phrase_hits_of(key)) == tag


def _labels_owner(key: str, hits: dict[str, int]) -> str | None:
    """The evidence group whose label phrases ``key`` (a line's labels, holding ``hits``) is made of,
    if one is (see :data:`MIN_OWN_LABEL_HITS`)."""
    if not hits:
        return None
    tag, own = max(hits.items(), key=lambda hit: hit[1])
    if own < MIN_OWN_LABEL_HITS or any(n >= own for group, n in hits.items() if group != tag):
        return None
    return tag if _label_cover(key, tag) >= MIN_OWN_LABEL_COVER else None


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _rows_owner(line: str) -> str | None:
    """The one table (tag) whose rows ``line`` prints by its labels alone, or ``None``.

    Either the line is one label of that table only, then values (:func:`_label_owners`), or each
    label it prints between its values is one of that table's (a shared one like ``总计`` too), or all
    the labels it prints between its values (a glued block: ``第二十条第(八)项 信息内容本年收费金额
    (单位:万元)行政事业性收费 0``; two rows run together: ``行政强制 0 … 行政事业性收费 0``) are
    made of that table's label phrases (:func:`_labels_owner`). This is how a fragment of a table
    at the start or end of a copy — a few rows without heading or header — is told from the table
    next to it, and from narrative, which names a label among its own words. Cached by text like
    :func:`_label_owners`.
    """
    owners = _label_owners(line.lstrip(_CELL_EDGE))
    if owners:
        return owners[0] if len(owners) == 1 else None
    if "。" in line:
        return None  # a sentence: narrative (the tagger's phrase evidence skips it too; no label holds a 。)
    split = iter(_VALUES_ONLY.split(line))
    pieces: list[str] = []  # the labels between its values (keyed only while the tables they share may matter)
    common = set(TABLE_TAGS.values())
    for piece in split:
        if piece_key := label_key(piece):
            pieces.append(piece_key)
            common.intersection_update(t for t in TABLE_TAGS.values() if piece_key in _label_set(t))
            if not common:
                break  # a piece that is no table's label: the rest need a key only if the phrases below ask
    if not pieces:
        return None
    if len(common) == 1 and not any(key in _label_set(LEGACY) for key in pieces):
        return common.pop()  # rows run together, each label one of that table's
    key = label_key(line)  # the phrases of the line's labels are those of its key (values are tokens of their own):
    hits = _phrase_hits_of(key) if _holds_phrase(key) else {}  # the tagger's evidence, cached
    if not hits:
        return None  # no group's phrases (:func:`_labels_owner`)
    pieces += [piece_key for piece in split if (piece_key := label_key(piece))]
    owner = _labels_owner("".join(pieces), hits)
    return owner if owner in _TAG_TABLE else None


def _fragment_run(run: Sequence[Line], tag: str) -> bool:
    """Whether a run too short to be a table prints rows of table ``tag``: each line by its labels
    (:func:`_rows_owner`), and a value, placeholder or grid bar among them. A label alone is no printed row: 四's
    column header ``其他`` is also a row label of 三's, and a run of that one line is a header cell."""
    return (all(_rows_owner(ln.text) == tag for ln in run)
            and any(_VALUE_LINE.search(ln.text) or _GRID_CELL.search(ln.text) for ln in run))


_CELL_EDGE = " \t\u3000|"
"""What a Markdown or grid row prints before its label (``| 四、结转下年度继续办理 | 0 |``)."""


def prints_own_rows(text: str, region: Region) -> bool:
    """Whether every line of ``region`` prints rows of its own table by their labels (:func:`_rows_owner`).

    A region found by content with fewer matched rows than a table printed whole is a fragment of
    that table (a copy that begins or ends inside it) when this holds, not a sentence naming a row.
    """
    tag = TABLE_TAGS.get(region.table)
    lines = [text[ln.start:min(ln.end, region.end)] for ln in split_lines(text) if region.start <= ln.start < region.end]
    labelled = [ln for ln in lines if label_key(ln.rstrip(_VALUE_CHARS))]  # a line of values or numbering only is neutral
    return (tag is not None and any(_rows_owner(ln) == tag for ln in labelled)
            and all(_rows_owner(ln) == tag or tag in _label_owners(ln.lstrip(_CELL_EDGE)) for ln in labelled))


def _label_cover(key: str, tag: str) -> float:
    """The share of ``key``'s characters inside an occurrence of a label phrase (≥ 3 characters) of group ``tag``."""
    index, own = _phrases_by_trigram(), _label_set(tag)
    covered_to, covered = 0, 0
    for pos in range(len(key) - 2):
        phrases = index.get(key[pos:pos + 3], ())
        end = max((pos + len(ph) for ph in phrases if ph in own and key.startswith(ph, pos)), default=0)
        if end > covered_to:
            covered += end - max(pos, covered_to)
            covered_to = end
    return covered / len(key)


def _with_head_read_as_legacy(tables: Sequence[str], runs: list[tuple[int, int]], tag: str, first: int) -> int:
    """Where a national table's run begins once the lines tagged legacy between it and its own header run join it.

    Rows numbered like a legacy indicator list (``一、本年新收…``, ``二、上年结转…``, wrapped over
    lines in a PDF layer) can be tagged legacy between the table's header run and the rest of its
    rows; a legacy list is never inside a national table, so a run of ``tag`` that ends just before
    such legacy lines is the same table and the region begins where it begins.
    """
    k = first - 1
    while k >= 0 and tables[k] == LEGACY:
        k -= 1
    if k == first - 1 or k < 0 or tables[k] != tag:
        return first
    return next((r_first for r_first, r_last in runs if r_first <= k <= r_last), first)


def _with_row_context(lines: Sequence[str], tables: Sequence[str]) -> list[str]:
    """The table of each line, where the tagger missed a table's own rows.

    The tagger weighs a line's neighbours, and the lines of a table printed blank carry little
    evidence: its placeholder or empty-cell lines look like any table's, and a run of row labels
    without numbers like narrative. A line that prints a label of one table only (a row or column
    label, then nothing but values: ``四、结转下年度继续办理0000000`` is 三's last row, not section
    四) belongs to that table; one whose label two tables share (``(七)总计``) to the table of the
    line before it, if that is one of them, else to the table of the line after it (a fragment's first row); so does a line whose labels between its values are all
    one table's label phrases (:func:`_rows_owner`: a glued block, rows run together). A line of values only (`` |``, ``————``) belongs to the
    table of the line before it when the tagger gave it to another table, when the line before was
    given back to its table here, or when it holds a pipe or a placeholder (bare numbers after a
    table may be narrative: a date is no cell). A line the tagger gave to no national table whose
    label is a piece of one table's labels only (:func:`_wrapped_label_owner`: a wrapped label's
    line in PDF text, ``新出具已获取信息``, ``不补正、行政机关不再处理 0 0 0``) belongs to that table
    when a line of it stands at most :data:`RUN_GAP_LINES` lines before: a page break inside a
    table's wrapped rows no longer cuts the table in two runs and drops the shorter.
    """
    out = list(tables)
    facts = [_row_facts(text) for text in lines]
    given = False  # the line before was given its table here
    last_table, last_at = None, -1  # the table of the nearest line before that has one, and where
    for i, (text, fact) in enumerate(zip(lines, facts)):
        tagged, before = out[i], out[i - 1] if i else None
        owners = fact.owners if tagged != LEGACY else ()  # a legacy list is found by its own labels
        owner = fact.rows_owner  # a line of one national table's labels only is no legacy indicator either
        if owner is not None or before in owners:
            out[i] = owner if owner is not None else before
        elif (before in _TAG_TABLE and (tagged in _TAG_TABLE or given or fact.grid_cell) and fact.values_only):
            out[i] = before
        elif (tagged in (OTHER, LEGACY) and last_table in _TAG_TABLE and i - last_at - 1 <= RUN_GAP_LINES
              and _wrapped_label_owner(text) == last_table):
            out[i] = last_table
        given = out[i] != tagged
        if out[i] in _TAG_TABLE:
            last_table, last_at = out[i], i
    for i in range(len(lines) - 2, -1, -1):  # a shared label opening a fragment (``(七)总计``) goes with the rows after it
        owners = facts[i].cell_owners if out[i] != LEGACY else ()
        if len(owners) > 1 and out[i] not in owners and out[i + 1] in owners:
            out[i] = out[i + 1]
    return out


class _RowFacts(NamedTuple):
    """What :func:`_with_row_context` asks of a line's text, whatever its tags: one cached look-up a line instead
    of one per question (the questions' own caches and regexes were most of its cost)."""

    owners: tuple[str, ...]
    """:func:`_label_owners` of the line."""
    cell_owners: tuple[str, ...]
    """:func:`_label_owners` of the line after its cell edge (:data:`_CELL_EDGE`)."""
    rows_owner: str | None
    """:func:`_rows_owner` of the line."""
    grid_cell: bool
    """Whether the line holds a :data:`_GRID_CELL`."""
    values_only: bool
    """Whether the line is :data:`_VALUES_ONLY` whole."""


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _row_facts(line: str) -> _RowFacts:
    """The :class:`_RowFacts` of ``line`` (a function of its text alone, cached by text like :func:`_label_owners`)."""
    return _RowFacts(_label_owners(line), _label_owners(line.lstrip(_CELL_EDGE)), _rows_owner(line),
                     _GRID_CELL.search(line) is not None, _VALUES_ONLY.fullmatch(line) is not None)


# A wrapped label's piece this long or longer tells its table: a shorter one (``果``, ``请``: the letter of a
# vertical label, a label's last character; ``其他``, ``自然人``) is a piece of many labels or a common word. Four
# is the length of 三's shortest own row labels (重复申请, 予以公开, 不予处理).
MIN_LABEL_PIECE_CHARS = 4


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _wrapped_label_owner(line: str) -> str | None:
    """The one evidence group (table tag, or legacy) a piece of whose row labels ``line`` prints before its values.

    A PDF text layer wraps a long label over lines: each line then prints a piece of the label
    (``1.申请人无正当理由逾期``, ``不补正、行政机关不再处理 0 0 0 0 0 0 0``, ``其政府信息公开申请``), which no
    label matches whole. ``None`` for a short piece, a sentence, or a piece of two groups' labels.
    """
    match = _LABEL_HEAD.match(line.lstrip(_CELL_EDGE))
    key = label_key(match.group(1)) if match else ""
    if len(key) < MIN_LABEL_PIECE_CHARS or len(key) > _longest_label() or "。" in line:
        return None
    owners = [group for group in _EVIDENCE_GROUPS if key in _joined_labels(group)]
    return owners[0] if len(owners) == 1 else None


@cache
def _joined_labels(group: str) -> str:
    """The label keys of evidence ``group`` joined by newlines: a piece of one is a substring (no key holds a newline)."""
    return "\n".join(_vocabulary()[group][0])


# What a row prints after its label: values, placeholders and the separators between them.
_VALUE_CHARS = "0123456789 \t\u3000|.,+-/—―─━"
_VALUES_ONLY = re.compile(r"[\s.,+\-/]*[\d—―─━|][\d\s|.,+\-/—―─━]*")
"""A line of values with at least one digit, placeholder or grid bar. The part before the first of those holds
none of them, so the pattern matches one way only: a long line of values that fails at its end (``…1234 行``)
costs one pass, not one per character (as ``[values]*[digit][values]*`` did: 0.4 s a 6 kB line)."""
_GRID_CELL = re.compile(r"[|—―─━]")
"""A cell separator or placeholder: a line of values holding one is a grid's, not narrative (a date)."""


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _label_owners(line: str) -> tuple[str, ...]:
    """The tables (tags) one of whose row or column labels ``line`` prints, then values only; none for a legacy label.

    A function of the line's text alone, asked of every line of every report: cached by text like
    the line evidence (:data:`LINE_CACHE_SIZE`)."""
    label = line.rstrip(_VALUE_CHARS)
    if len(label) > 2 * _longest_label() or not _CJK.search(label):
        return ()  # narrative, or no label
    key = label_key(label)
    if key in _label_set(LEGACY):
        return ()
    return tuple(tag for tag in TABLE_TAGS.values() if key in _label_set(tag))


@cache
def _longest_label() -> int:
    """The length of the longest label key of any table (a longer line is not a label)."""
    return max(len(k) for labels, _ in _vocabulary().values() for k in labels)


@cache
def _label_set(tag: str) -> frozenset[str]:
    """The row and column label keys of evidence group ``tag``, as a set."""
    return frozenset(_vocabulary()[tag][0])


def combine_regions(text: str, anchored: dict[str, Region], tagged: dict[str, Region],
                    tags: Sequence[str]) -> tuple[dict[str, Region], dict[str, str]]:
    """Combine the regions found by headings (``anchored``) and by the tagger; also say how each was found.

    Each candidate region is scored by its support: how many lines inside it the tagger gave the
    table's tag. A heading region the tagger does not support (a line of the preamble's list of
    sections, a clashing numbered row) gives way to the tagger's region elsewhere; a supported
    one is kept and only starts earlier when the table's content begins before its heading. A
    table only the tagger found is bounded like a heading region, without requiring its landmark
    words (a copy may begin inside it), and dropped when it begins inside another table's region
    without any landmark word of its own. Values are ``"heading"`` or ``"content"``.
    """
    lines = split_lines(text)
    regions = dict(anchored)
    found_by = {key: "heading" for key in anchored}
    for key, region in tagged.items():
        heading = regions.get(key)
        if heading is not None and (_support(lines, tags, heading) or not _support(lines, tags, region)):
            if not _inside_another(region, regions):
                regions[key] = _extended(heading, region)
            continue
        bounded = bound_region(text, region, require_content=False)
        if bounded is None or (not has_required_content(text, bounded) and _inside_another(bounded, regions)):
            continue  # lines of another table's header taken for this one: it holds none of its own landmarks
        regions[key] = bounded
        found_by[key] = "content"
    return regions, found_by


def _inside_another(region: Region, regions: dict[str, Region]) -> bool:
    return any(other.start <= region.start < other.end for other in regions.values() if other.table != region.table)


def _support(lines: Sequence[Line], tags: Sequence[str], region: Region) -> int:
    """How many lines inside ``region`` are tagged as its table (header or row).

    The lines are in text order without overlaps (their starts and ends both ascend), so those inside the
    region are one run, found by bisection; its tags are counted in C."""
    tag = TABLE_TAGS[region.table]
    first = bisect_right(lines, region.start, key=lambda ln: ln.end)  # the first line ending after its start
    end = bisect_left(lines, region.end, key=lambda ln: ln.start)  # the first line starting at or after its end
    inside = list(tags[first:end])
    return inside.count(tag) + inside.count(tag + HEADER_SUFFIX)


def _extended(anchored: Region, tagged: Region) -> Region:
    """A heading region whose table content begins before its heading (a repeated heading) starts earlier."""
    if tagged.start < anchored.heading_start < tagged.end:
        return Region(anchored.table, min(tagged.heading_start, anchored.heading_start), tagged.start,
                      anchored.end, anchored.truncated)
    return anchored


def _runs_at(marked: Iterable[int], gap: int = RUN_GAP_LINES) -> list[tuple[int, int]]:
    """Index runs ``(first, last)`` of the lines at the ascending indices ``marked``, bridging up to ``gap`` others."""
    runs: list[tuple[int, int]] = []
    for i in marked:
        if runs and i - runs[-1][1] - 1 <= gap:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs
