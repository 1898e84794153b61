"""Whether a printed legacy indicator names a template row, or only shares its generic words.

The fuzzy score (:func:`gxparse.labels.score_piece`) rewards a piece whose words include a
label's words (rapidfuzz's token-set ratio is 100 when one word set holds the other), so a line
the template does not have, ``政府信息公开查询点受理查询数``, can score above the cutoff against
``政府公报公开政府信息数`` through ``政府 信息 公开 数`` alone. Real pre-2019 lists print such
lines (查询点, 咨询, 在办…): read as a template row, a real number lands under a wrong key, which is
worse than leaving the line out.

A piece names a row when it differs from one of the row's labels or aliases in one way only:

* a misprint: the characters are mostly the label's, in order (``fuzz.ratio`` at the match cutoff:
  ``当面申请书``, ``接受行政诉讼、举报数``);
* words added: the piece holds the label's distinctive content (``正式受理政府信息公开申请数``,
  ``受理政府信息公开工作行政复议数``, a header glued before a label);
* words left out: the label holds the piece's distinctive content (a fragment of a wrapped label,
  an abbreviation).

A piece that both lacks content of the label and adds content of its own contradicts it
(``政府信息咨询数`` against ``非《条例》所指政府信息数``: 咨询 added, 非…所指 missing).

Content is weighed by how distinctive each character is among the template's rows: the inverse
row frequency over the legacy rows' labels and aliases (the template data, not one report).
政府, 信息, 公开 and 数 are in most rows and weigh little; 公报, 咨询 or 复议 in one or two and
weigh most; a character in no row weighs most of all.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

from rapidfuzz import fuzz

from gxparse.labels import MATCH_CUTOFF, label_keys
from gxparse.normalize import label_key
from gxparse.template import RowSpec, get_template

MIN_CONTENT_SHARE = 0.8
"""The share of one side's distinctive content (weighted characters) the other must hold. In the
legacy tables of the dev corpus (gold) and of the wild reports (read by hand), every line matched
to a row it does not name shares at most 0.74 (``政府信息公开查询点受理查询数`` against
``政府公报公开政府信息数``: 公报 missing, 查询点受理 added), every right match at least 0.88
(``正式受理政府信息公开申请数`` against ``受理政府信息公开申请总数``); the cut lies between."""

NAMES_ROW_CACHE_SIZE = 4096
"""(piece, row) answers kept: a report asks about its table's few dozen pieces, mostly labels every
legacy report prints."""


def names_row(piece: str, row: RowSpec) -> bool:
    """True when the label piece ``piece`` names ``row`` (one of its labels or aliases) rather than
    sharing only its generic words with it (see the module docstring)."""
    return _names_row(label_key(piece), row)


@lru_cache(maxsize=NAMES_ROW_CACHE_SIZE)
def _names_row(key: str, row: RowSpec) -> bool:
    if not key:
        return False
    return any(fuzz.ratio(key, label) >= MATCH_CUTOFF or _content_share(key, label) >= MIN_CONTENT_SHARE
               for label in label_keys(row))


def _content_share(key: str, label: str) -> float:
    """The larger of the shares of ``label``'s content held by ``key`` and of ``key``'s held by ``label``."""
    piece_chars, piece_total = _content(key)
    label_chars, label_total = _content(label)
    if piece_chars is label_chars:  # key == label: a set intersected with itself is copied, in another order
        piece_chars = frozenset(key)  # (summed in another order, the shared weight can differ in its last bit)
    shared = _weight_of(piece_chars & label_chars)
    return max(shared / label_total if label_total else 0.0, shared / piece_total if piece_total else 0.0)


CONTENT_CACHE_SIZE = 4096
"""Texts whose characters and content weight are kept: a piece is compared with every label of its candidate
rows, and each label with every piece (the set and the sum were most of a comparison, profiled)."""


@lru_cache(maxsize=CONTENT_CACHE_SIZE)
def _content(text: str) -> tuple[frozenset[str], float]:
    """The characters of ``text`` and their summed weight (the set is made as ``set(text)`` is: same
    iteration order, so every sum adds its terms in the same order)."""
    chars = frozenset(text)
    return chars, _weight_of(chars)


def _weight_of(chars: frozenset[str]) -> float:
    """The summed weight of ``chars`` (:func:`_character_weights`; a character in no row weighs the most)."""
    weight = _character_weights()
    unseen = _unseen_weight()
    return sum(weight.get(ch, unseen) for ch in chars)


@cache
def _rows() -> tuple[RowSpec, ...]:
    return get_template("legacy").table("legacy_indicators").rows


@cache
def _character_weights() -> dict[str, float]:
    """Character → log((rows + 1) / (rows whose labels or aliases hold it + 1)), over the legacy rows."""
    counts: dict[str, int] = {}
    for row in _rows():
        for ch in set("".join(label_keys(row))):
            counts[ch] = counts.get(ch, 0) + 1
    return {ch: _inverse_frequency(n) for ch, n in counts.items()}


@cache
def _unseen_weight() -> float:
    """The weight of a character in no row's label: the most distinctive of all."""
    return _inverse_frequency(0)


def _inverse_frequency(rows_holding: int) -> float:
    return math.log((len(_rows()) + 1) / (rows_holding + 1))
