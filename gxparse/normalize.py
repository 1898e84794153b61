"""Text normalisation with offsets kept.

:func:`normalize_text` turns decoded report text into the form the parser reads: Unicode NFKC
(full-width digits and brackets become ASCII, NBSP and U+3000 become spaces), traditional → simplified
script through OpenCC (also repairing partly converted text), zero-width characters removed,
line endings unified, and a line break that wraps a template label (``行政处\\n罚``) made a space.
Every output character keeps the offset of the input character it came from, so a cell can always
be traced back to the raw input.

:func:`label_key` is the much stronger normalisation used only to *compare* labels: it drops
white space, quotes, brackets, numbering and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# NFKC leaves these dash and bracket variants alone; the parser wants one form of each.
_EXTRA = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "–": "-", "−": "-", "﹣": "-", "．": ".", "、": "、"})


@dataclass(frozen=True)
class NormText:
    """Normalised text plus, for each of its characters, the offset of its source character.

    ``offsets`` is a compact ``array`` of C ints (4 bytes a character, not a 36-byte Python int).
    """

    text: str
    offsets: Sequence[int] = field(compare=False, hash=False)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text back to the raw input."""
        if start >= end or not self.offsets:
            return (start, end)
        return (self.offsets[start], self.offsets[end - 1] + 1)


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


class _CharMap(dict[int, str]):
    """Code point → its normalised form (NFKC, then zero-width removal and :data:`_EXTRA`), filled on demand.

    Used as a :meth:`str.translate` table, so each distinct character is normalised once per
    process; ASCII maps to itself and ``\\r`` is left to the caller (its form depends on the next
    character).
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        norm = ch if ch.isascii() else _enumeration_mark(ch) or unicodedata.normalize("NFKC", ch).translate(
            _ZERO_WIDTH).translate(_EXTRA)
        self[code] = norm
        return norm


def _enumeration_mark(ch: str) -> str | None:
    """``1.`` for a circled number (``①`` ``❶`` ``➀`` ``⑫`` → ``12.``), else ``None``.

    A circled number numbers an item (``①属于国家秘密``); NFKC would make it a bare digit glued to the
    label, which reads as a value. As ``1.`` it is numbering the label matcher strips.
    """
    if "CIRCLED" not in unicodedata.name(ch, ""):
        return None
    value = unicodedata.numeric(ch, None)
    return f"{int(value)}." if value is not None and float(value).is_integer() and value > 0 else None


_CHAR_MAP = _CharMap()
_MAY_CHANGE = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]+")
"""Runs of the characters :data:`_CHAR_MAP` may change: all but ASCII (mapped to itself) and the CJK Unified
Ideographs (each its own NFKC form: tests/test_speed_post.py), i.e. a report's punctuation and symbols."""
# Only these shorten the text (NFKC empties no other single character: checked over every code point).
_DELETING = re.compile("[\r" + "".join(map(chr, _ZERO_WIDTH)) + "]")
_identity_offsets = array("i")


def _identity(n: int) -> array[int]:
    """``array("i", range(n))``, sliced from a cached array (grown by doubling) instead of counted anew."""
    global _identity_offsets
    if len(_identity_offsets) < n:
        _identity_offsets = array("i", range(max(n, 2 * len(_identity_offsets))))
    return _identity_offsets[:n]


def _translate(raw: str) -> str:
    """``raw.translate(_CHAR_MAP)``, made by replacing each character that changes (a report prints a dozen or so,
    :data:`_MAY_CHANGE`) throughout the text, not by a lookup per character: 40 ns a character, most of
    normalising, measured.

    A character changes into one that does not change, so no replacement makes a character a later one replaces;
    a text holding a character that changes otherwise (into none or several) is translated.
    """
    changed = [(ch, norm) for ch in set("".join(_MAY_CHANGE.findall(raw))) if (norm := _CHAR_MAP[ord(ch)]) != ch]
    if any(len(norm) != 1 or _CHAR_MAP[ord(norm)] != norm for _, norm in changed):
        return raw.translate(_CHAR_MAP)
    for ch, norm in changed:
        raw = raw.replace(ch, norm)
    return raw


def _nfkc_with_offsets(raw: str) -> tuple[str, array[int]]:
    """Normalise ``raw`` character by character; return the text and each output character's source offset.

    Most characters map to exactly one character, so the text is translated in one pass and its
    offsets are ``0 … n-1`` when nothing was deleted and nothing grew; otherwise it is translated
    run by run and only the characters whose form is not one character long (``\\r``, zero-width
    marks, ``㈠`` → ``(一)`` …) are handled one at a time.
    """
    text = _translate(raw)
    if len(text) == len(raw) and not _DELETING.search(raw):
        return text, _identity(len(raw))
    irregular = [ch for ch in set(raw) if ch == "\r" or len(_CHAR_MAP[ord(ch)]) != 1]
    ident = _identity(len(raw))
    out: list[str] = []
    offsets = array("i")
    done = 0
    for m in re.finditer(f"[{re.escape(''.join(irregular))}]", raw):
        i = m.start()
        out.append(raw[done:i].translate(_CHAR_MAP))
        offsets.extend(ident[done:i])
        if raw[i] == "\r":
            norm = "" if raw[i + 1 : i + 2] == "\n" else "\n"
        else:
            norm = _CHAR_MAP[ord(raw[i])]
        out.append(norm)
        offsets.extend(array("i", [i]) * len(norm))
        done = i + 1
    out.append(raw[done:].translate(_CHAR_MAP))
    offsets.extend(ident[done:])
    return "".join(out), offsets


def to_simplified(text: str) -> str:
    """Convert traditional (or partly traditional) Chinese to simplified, length-preserving.

    OpenCC converts phrase by phrase; when a phrase changes length the conversion is redone
    character by character so that offsets stay one-to-one.
    """
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    convert = _converter().convert
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


_RECENT_TEXTS = 2
"""The parser and its provenance post-pass normalise the same text; the last results are kept."""


WRAP_GRAM = 4
"""Characters around a line break that must spell part of one template label for the break to be a wrap. Four: the
short labels (行政许可, 行政处罚) wrap as 3 + 1 characters; three-character pieces of the vocabulary (政府信, 公开申)
recur in prose and across the break between two cells, while no 4-gram across such a break (规章|行政, 企业|科研)
is one of the templates' labels."""
_WRAP_BREAK = re.compile(r"\n(?<=[\u4e00-\u9fff]\n)(?=[\u4e00-\u9fff])")
"""A line break between two Chinese characters. The break comes first and the character before it is looked at
from behind the break: a pattern that begins with a character is searched for by that character, one that begins
with a look-behind is tried at every position (ten times slower, measured)."""
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@cache
def _label_grams() -> frozenset[str]:
    """Every :data:`WRAP_GRAM`-character run inside a row or column label (or alias) of any template."""
    from gxparse.template import get_template

    labels = {name for template_id in ("gov2021", "gov2019", "legacy") for table in get_template(template_id).tables
              for entry in (*table.rows, *table.cols) for name in (entry.label, *entry.aliases)}
    runs = (run for label in labels for run in _CJK_RUN.findall(to_simplified(unicodedata.normalize("NFKC", label))))
    return frozenset(run[i : i + WRAP_GRAM] for run in runs for i in range(len(run) - WRAP_GRAM + 1))


def _wrapped(text: str, at: int) -> bool:
    """Is the line break at ``at`` inside a template label: does a :data:`WRAP_GRAM`-gram across it spell part of one?"""
    grams = _label_grams()
    return any(text[at - k : at] + text[at + 1 : at + 1 + WRAP_GRAM - k] in grams for k in range(1, WRAP_GRAM))


def unwrap_labels(text: str) -> str:
    """Join the lines of a template label wrapped over two: the line break becomes a space (offsets unchanged).

    A narrow label column of a PDF or a Word table wraps a long label (``行政规范\\n性文件``,
    ``行政处\\n罚6`` in a glued copy); the break is no row or cell boundary, and read as one it would
    cut the label from its row (a space inside a label is read as part of it). Only a break between
    two Chinese characters is a candidate, and only when the characters around it spell part of a
    label (:func:`_wrapped`).
    """
    cuts = [m.start() for m in _WRAP_BREAK.finditer(text) if _wrapped(text, m.start())]
    if not cuts:
        return text
    pieces, done = [], 0
    for at in cuts:  # the text between the breaks sliced, not listed character by character
        pieces += (text[done:at], " ")
        done = at + 1
    return "".join(pieces) + text[done:]


ZERO_SHAPES = "〇○Oo零"
"""Characters typed for a zero in a table cell: the Chinese numeral (and the circle an input method offers for it),
the letter O, 零. Read as ``0`` only standing alone as a cell (:data:`_ZERO_CELL`); inside a word or a date
(``二〇二三年``) they stay as they are."""
_ZERO_CELL = re.compile(r"[" + ZERO_SHAPES + r"](?<![^\s|].)(?=[\s|]|$)", re.MULTILINE)
"""A zero shape with white space, a pipe or the text's start before it (the two characters ending at it are not a
character other than those and the shape) and white space, a pipe or a line end after it. Written shape first,
as :data:`_WRAP_BREAK` is."""


def read_zero_shapes(text: str) -> str:
    """A cell that is a zero typed as ``〇``, ``○``, ``O`` or ``零`` becomes ``0`` (offsets unchanged).

    Only a character standing alone between spaces, pipes or line ends is such a cell; a table's
    cells are the only place a lone ``〇`` or ``O`` is printed.
    """
    return _ZERO_CELL.sub("0", text) if any(ch in text for ch in ZERO_SHAPES) else text


_TAB_LINE = re.compile(r"[^\n]*\t[^\n]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def tabs_as_cell_edges(text: str, offsets: Sequence[int]) -> tuple[str, Sequence[int]]:
    """Make the tabs of a tab-separated row ``|`` cell edges, so the row reads as a pipe row; keep offsets.

    Tables copied out of a word processor or spreadsheet print one tab between two cells, so two
    tabs in a row enclose an empty cell, and a tab that ends the row leaves an empty last cell:
    collapsing them as white space would shift every later value one column left. As ``|`` the
    pipe-grid layout keeps those empty cells as blanks. A pipe row's last ``|`` is its right edge, so
    an empty last cell gets one more ``|`` (with the tab's offset); a tab grid prints no left edge, so
    a row beginning with ``|`` has an empty first cell (:func:`gxparse.scan.scan_region`). Tabs before
    a line's first character are indentation, unless the line holds no label (table 四's value row,
    whose first cell may be empty). Lines without a tab after their first character are left alone.
    """
    if "\t" not in text:
        return text, offsets
    out: list[str] = []
    out_offsets = array("i")
    done = 0
    for m in _TAB_LINE.finditer(text):
        line = m.group()
        body = line.strip(" \t")
        if not body or "\t" not in line.lstrip(" \t"):
            continue
        out.append(text[done:m.start()])
        out_offsets.extend(offsets[done:m.start()])
        lead = len(line) - len(line.lstrip(" \t"))
        tail = len(line.rstrip(" \t"))
        for i, ch in enumerate(line):
            at = offsets[m.start() + i]
            if ch != "\t" or (i < lead and _CJK.search(body)):
                out.append(ch)
                out_offsets.append(at)
                continue
            if i >= tail and "\t" not in line[i + 1:]:
                out.append("|")  # the extra right edge after a last empty cell
                out_offsets.append(at)
            out.append("|")
            out_offsets.append(at)
        done = m.end()
    if not out:
        return text, offsets
    out.append(text[done:])
    out_offsets.extend(offsets[done:])
    return "".join(out), out_offsets


@lru_cache(maxsize=_RECENT_TEXTS)
def normalize_text(raw: str) -> NormText:
    """Normalise report text for parsing, keeping offsets into ``raw`` (recent results cached).

    Examples
    --------
    >>> normalize_text("（七）總計\\u00a0１２").text
    '(七)总计 12'
    """
    text, offsets = tabs_as_cell_edges(*_nfkc_with_offsets(raw))
    return NormText(read_zero_shapes(unwrap_labels(to_simplified(text))), offsets)


_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\(\d{1,2}\)|\d{1,2}(?:[.、](?!\d)))"
)
_OF_WHICH = re.compile(r"^其中\s*[:：]?")  # "of which:" before a sub-row label
_LETTER_NOTE = re.compile(r"(?<=[\u4e00-\u9fff])\([a-z]+\)")  # a lettered note glued to a word: 行政许可(a)
_DROP = re.compile(r"[\s\"'“”‘’「」『』\u3000|*:：,，、.。;；()\[\]（）《》<>〈〉]+")
"""What a label key drops besides :data:`_LETTER_NOTE`: white space, quotes, brackets, punctuation. Dropped after the
notes, in runs (one pattern with the notes as an alternative tried them at every character: twice the time); the
characters a note holds are none of these, so the two passes drop what one pass over both would."""


def strip_numbering(label: str) -> tuple[str, str]:
    """Split a leading numbering token (``一、`` ``(一)`` ``1.`` ``1、`` ``(1)``) from a label."""
    m = _NUMBERING.match(label)
    if not m:
        return "", label
    return m.group(0).strip(), label[m.end():]


LABEL_KEY_CACHE_SIZE = 16384
"""Label keys kept (least recently used out first): a report asks for ~100–400 (its lines and label pieces), most
of them labels and headings every report of its template prints, so recent keys are asked again."""


@lru_cache(maxsize=LABEL_KEY_CACHE_SIZE)
def label_key(label: str) -> str:
    """Return the comparison key of a label: NFKC, simplified, no numbering, spaces or punctuation.

    Cached by text (OpenCC's conversion is most of its cost).

    Examples
    --------
    >>> label_key("（二）部分公开（区分处理的，只计这一情形）")
    '部分公开区分处理的只计这一情形'
    >>> label_key("商业\\n企业")
    '商业企业'
    """
    text = to_simplified(unicodedata.normalize("NFKC", label)).replace("其它", "其他").strip()
    text = _OF_WHICH.sub("", text)
    _, text = strip_numbering(text)
    return _DROP.sub("", _LETTER_NOTE.sub("", text) if "(" in text else text)
