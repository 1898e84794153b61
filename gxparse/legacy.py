"""Legacy indicator tables (附表 / 统计表, 2008–2018) → table ``legacy_indicators``.

Before the 2019 national format, reports carried a vertical indicator list: ``指标名称 | 单位 |
<year> | 历年累计`` (or ``本年累计``), in whatever words and column order the agency chose. The
table is found by its content, not its header: the run naming the most template rows (rapidfuzz,
:mod:`gxparse.labels`) with nothing but units, values, unread indicators and a few loose words
between them. It ends after the values of its last row, before any prose, date or signature.

Column roles come from three kinds of evidence, weakest last: the header words, matched against
the column vocabulary of the legacy template (labels, aliases and ``header_words``; cue words
first, then rapidfuzz similarity; a year names the current-year column); the number shapes (the cumulative
column is never below the current one, so a column whose numbers are ≥ the other's in every row
is the cumulative one; a row printed glued, ``条81``, counts for the order its splits allow, and a run that
cannot be one number, ``013``, for two columns where a glued header reads as one, ``本年累计数``); and position
(the current-year column is printed first). The unit is the
column of unit words (``条``, ``件``, ``人次``…), wherever it is printed, also glued to a label.
Rows are matched by label (never by position or code); cells are placed by the realigner.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from rapidfuzz import fuzz

from gxparse.candidates import enumerate_candidates
from gxparse.ir import Item, LayoutRegion, Region, RowProblem, TableProblem
from gxparse.labels import MATCH_CUTOFF, align_rows, label_keys, score_bound, score_piece, score_piece_rows
from gxparse.legacy_labels import names_row
from gxparse.normalize import label_key
from gxparse.scan import scan_region
from gxparse.segments import Segmentation, row_constraints
from gxparse.template import RowSpec, TableSpec, get_template, unit_words

# "其中:1.政府网站公开数" scans as "其中:", "1", ".政府网站公开数": the matched label keeps the "." of its number.
_LEADING_NUMBERING = re.compile(r"^(?:其中\s*[:：])?\s*(\d{1,2})\s*[.、]")  # 其中:1.网站公开 → 1
MAX_ONE_DIGIT_NUMBERING = 9  # a list counting past this prints two-digit numbering (10.): no digit is peeled then
_STRAY_NUMBERING = re.compile(r"^(?:\d{1,2}(?=[.、]))?[\s.、:：]+")  # 2.网上申请数 → 网上申请数 (as when split off)

UNIT_CONFLICT = "unit_conflict"  # flag of a value cell whose row prints a unit on its values other than its unit column
UNIT_ON_VALUE = "unit_on_value"  # flag of a unit word glued after a number (``30元``), not printed in a column of its own
CODE = "code"  # the row code column of coded 统计报表 (01…35): read to keep cells aligned, not reported
UNIT = "unit"
CURRENT, CUMULATIVE = "current", "cumulative"
POSITIONAL_ROLES = (CURRENT, CUMULATIVE)  # every legacy form seen prints the current-year column first
_CODE_HEADER = re.compile(r"代码")
_YEAR_HEADER = re.compile(r"(?:19|20)\d{2}年度?")  # a year over a column names the current-year column
_SINCE_YEAR = re.compile(r"[自从至止]\s*(?:19|20)\d{2}\s*年(?:以来)?")  # "since 2008": dates a cumulative column
# where a table certainly ends: a download link, a QR caption, a date (signature or issue line)
_FIRST_COUNTER = re.compile(r"(?:^|[\s|])(1)[ \t|]*\n?[ \t|]*$")  # the first row's 序号 before its label
FIRST_COUNTER_LOOKBACK = 40
"""Characters before the first label searched for its counter: the white space and cell pipes a fixed-width
or grid copy prints between a 序号 column and the label column (the widest seen is ~20)."""
_END = re.compile(r"附件下载|扫一扫|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|二[○〇零]\S{2,6}年")
_PROSE = re.compile(r"[。,;!?]")  # sentence punctuation (after NFKC): a piece holding it is narrative
_WORD_BREAK = re.compile(r"\s|" + _PROSE.pattern)  # the last word of a prose piece follows the last of these
UNITS = unit_words()  # the unit column's vocabulary (templates/legacy.json), longer words before their parts
_UNIT_AT_END = re.compile(r"(?<=[\u4e00-\u9fff])\s*(?:" + "|".join(UNITS) + r")\s*$")
_UNIT_AFTER_LABEL = re.compile(r"(?<=[\u4e00-\u9fff])\s*(" + "|".join(UNITS) + r")")
_VALUE_UNIT = re.compile(r"(?:" + "|".join(UNITS) + r")$")  # a unit glued after a number (the scanner keeps 元 on it)
_UNIT_PREFIX = re.compile(r"^(" + "|".join(UNITS) + r")\s*(?=[\u4e00-\u9fff])")
_UNIT_PLACEHOLDER = re.compile(r"/{1,4}|[—―─━]+")  # placeholder marks that can be glued to a unit in a text piece
_WHITESPACE = re.compile(r"\s+")
_SPACED_CHARS = re.compile(r"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff] ){1,5}[\u4e00-\u9fff](?![\u4e00-\u9fff])")

# A row label is short; longer pieces are prose (a glued header + label run stays under this).
MAX_LABEL_CHARS = 40
# Distinct template labels a text must print verbatim before it is scanned for an indicator list (a
# speed gate, not evidence: every legacy table of the dev, wild and synthetic texts prints ≥ 4).
MIN_PRINTED_LABELS = 2
# A piece is scored against a row only when they share this share of their characters (every label
# hit in the dev, wild and synthetic texts shares ≥ 2/3; most other piece-row pairs share less).
MIN_SHARED_CHARS = 0.6
# Loose words (text followed by text, not by a unit or value) tolerated between two rows of one table.
MAX_LOOSE_BETWEEN_ROWS = 2
# Matched rows a table needs: fewer under a header that names a unit column and a value column.
MIN_ROWS_WITHOUT_HEADER = 3
MIN_ROWS_WITH_HEADER = 2
# How far before the first row the column header is looked for (the longest header seen is ~40 chars).
MAX_HEADER_CHARS = 100
# A header word is short (``自2008年以来累计``, 10 characters, is the longest seen) and mostly cue words:
# a longer word with no cue, or one whose cues cover less than this share of it, is prose or a title.
MAX_HEADER_WORD_CHARS = 10
MIN_CUE_SHARE = 0.5
# A header word this close (rapidfuzz ratio) to a column's label or alias takes that column's role.
COLUMN_ROLE_CUTOFF = 70.0
# A unit is cut from inside a piece only when the label before it matches this well (a printed label or
# alias, as the glued-label scores of gxparse.labels): ``政府信息公开专项经费`` keeps its ``项``.
CUT_LABEL_SCORE = 88.0
# Rows that must agree before the numbers overrule a header that names both value columns.
MIN_CONTRADICTING_ROWS = 2


@dataclass(frozen=True)
class _Hit:
    """A scanned piece that names a template row."""

    index: int
    key: str
    after_prose: bool  # read from the tail of a sentence or caption: it can start a table, not continue one


@dataclass(frozen=True)
class HeaderColumn:
    """One column named by the header: its role (``None`` when no evidence names it) and how sure."""

    role: str | None
    named: bool


def locate_legacy(text: str) -> Region | None:
    """Where the legacy indicator table of ``text`` is printed (from its first row label); ``None`` when there is none."""
    spec = legacy_spec()
    if not _prints_labels(_WHITESPACE.sub("", text)):
        return None  # no indicator list: spare the whole-text scan (labels counted with the spaces a PDF prints in them)
    found = _find_table(text, spec)
    if found is None:
        return None
    start, end, _ = found
    return Region(spec.key, start, start, end, truncated=False)  # an indicator list often ends the page


def legacy_spec() -> TableSpec:
    """The legacy template's one table, the indicator list."""
    return get_template("legacy").table("legacy_indicators")


def segment_legacy(region: LayoutRegion) -> Segmentation:
    """Cut a located indicator list into its rows: label, unit and value items, the value columns' roles
    from the header printed before it (:func:`header_columns`) and the rows' numbers."""
    text, where, spec = region.text, region.region, region.spec
    zone = _header_zone(text, where.start, spec)
    headers = (header_columns(zone, spec), header_columns(zone, spec, split_composites=True))
    items = _split_units(scan_region(text, where.start, where.end, exact_cells=region.kind == "html"))
    return _segment(spec, headers, items)


def _find_table(text: str, spec: TableSpec) -> tuple[int, int, list[HeaderColumn]] | None:
    """The span of the indicator list (from its first row label) and the columns its header names."""
    items = _split_units(scan_region(text, 0, len(text)))
    hits = _hits(items)
    best: list[_Hit] = []
    for run in _runs(items, hits):
        if (len({h.key for h in run}), len(run)) > (len({h.key for h in best}), len(best)):
            best = run
    if not best:
        return None
    first = items[best[0].index]
    start = first.start + _label_offset(first.text, spec.row(best[0].key))
    header = header_columns(_header_zone(text, start, spec), spec)
    roles = {c.role for c in header}
    needed = MIN_ROWS_WITH_HEADER if UNIT in roles and roles - {UNIT, CODE} else MIN_ROWS_WITHOUT_HEADER
    if len({h.key for h in best}) < needed:
        return None
    last = best[-1].index
    end = items[last].end
    for it in items[last + 1:]:
        if it.kind == "text" and "unit" not in it.flags:
            break
        end = it.end
    stop = _END.search(text, items[last].end)  # searched past ``end``: a date's year is a number item
    end = min(end, stop.start()) if stop else end
    return _with_first_counter(text, start, end), end, header


def _with_first_counter(text: str, start: int, end: int) -> int:
    """``start`` moved back onto the first row's counter (序号 ``1`` printed before the first label: on its line,
    alone on the line before, or after the header in a flattened copy) when the list from there has a
    row-counter column.

    A list located from its first label leaves that ``1`` out, and a counter column must count from 1 to be
    told from values (:mod:`gxparse.row_counter`): every later counter would be read as the row before's
    last value. The scanner drops the counters it finds, so the ``1`` is the counter when the scan from it
    drops it; otherwise the list starts at its label as before."""
    looked_from = max(0, start - FIRST_COUNTER_LOOKBACK)
    before = _FIRST_COUNTER.search(text[looked_from:start])
    if before is None:
        return start
    counter_start = looked_from + before.start(1)
    scanned = scan_region(text, counter_start, end)
    return counter_start if scanned and scanned[0].start >= start else start


def _hits(items: list[Item]) -> list[_Hit]:
    """The text pieces followed by a unit or a value that name a template row (best row, score ≥ the cutoff).

    A piece is read after the table's caption or header words when it holds them, and a piece
    too long for a label, or holding prose, by its last word: the first label of a table is often
    glued to its caption and header (``…统计表 指标名称 单位 本年 累计 主动公开信息数``).
    """
    hits = []
    for i, (it, nxt) in enumerate(zip(items, [*items[1:], None])):
        if not _is_label(it) or nxt is None or _is_label(nxt):
            continue  # a row label is followed by its unit or values; a loose word is scored by the runs' aligner
        named, after_prose = _named_row(it.text)
        if named is not None:
            hits.append(_Hit(i, named, after_prose))
    return hits


NAMED_ROW_CACHE_SIZE = 4096
"""Label pieces whose named row is kept: every legacy report prints most of the same few dozen labels,
and its text pieces are read again when it is parsed again."""


@lru_cache(maxsize=NAMED_ROW_CACHE_SIZE)
def _named_row(piece: str) -> tuple[str | None, bool]:
    """The key of the best legacy row (score ≥ the cutoff) a label piece names, or ``None``; and whether the
    piece was read by its last word, after prose (see :func:`_hits`; a function of the piece's text alone,
    cached by it: a table spec as a cache key would hash its every row)."""
    text = _after_caption(piece, legacy_spec())
    # the punctuation first: a sentence's key (OpenCC over the whole sentence) is then not made
    after_prose = bool(_PROSE.search(text)) or len(label_key(text)) > MAX_LABEL_CHARS
    if after_prose:
        text = _WORD_BREAK.split(text)[-1][-MAX_LABEL_CHARS:]
    key = label_key(text)
    rows = _candidate_rows(key) if 2 <= len(key) <= MAX_LABEL_CHARS else []
    # the best-scoring row it names: only the rows it names are scored (naming is the cheaper test)
    named = [(score, row.key) for row in rows
             if names_row(text, row) and (score := score_piece(text, row)) >= MATCH_CUTOFF]
    return max(named)[1] if named else None, after_prose


def _prints_labels(squashed: str) -> bool:
    """Whether ``squashed`` (a text without white space) prints :data:`MIN_PRINTED_LABELS` distinct labels verbatim
    (:func:`_printed_labels`' matches, read until that many are seen: a list's labels follow one another)."""
    seen: set[str] = set()
    for match in _printed_labels().finditer(squashed):
        seen.add(match.group())
        if len(seen) >= MIN_PRINTED_LABELS:
            return True
    return False


@cache
def _printed_labels() -> re.Pattern[str]:
    """Any legacy row label or alias exactly as the template spells it (longest first)."""
    rows = legacy_spec().rows
    return re.compile("|".join(map(re.escape, sorted({x for row in rows for x in (row.label, *row.aliases)}, key=len, reverse=True))))


@cache
def _label_char_sets() -> tuple[tuple[RowSpec, frozenset[str]], ...]:
    """Each legacy row with the characters of one of its labels or aliases (for :func:`_candidate_rows`)."""
    rows = legacy_spec().rows
    return tuple((row, frozenset(label_key(x))) for row in rows for x in (row.label, *row.aliases) if label_key(x))


@cache
def _label_chars_matrix() -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """Character → its row in a characters × labels matrix of :func:`_label_char_sets` (1 where the label holds the
    character), the matrix, and each label's count of characters."""
    labels = _label_char_sets()
    index = {ch: n for n, ch in enumerate(sorted({ch for _, label in labels for ch in label}))}
    holds = np.zeros((len(index), len(labels)), dtype=np.int64)
    for j, (_, label) in enumerate(labels):
        holds[[index[ch] for ch in label], j] = 1
    return index, holds, np.array([len(label) for _, label in labels])


CANDIDATE_ROWS_CACHE_SIZE = 4096
"""Label keys whose candidate rows are kept (a legacy report asks for ~25, mostly the template's labels)."""


@lru_cache(maxsize=CANDIDATE_ROWS_CACHE_SIZE)
def _candidate_rows(key: str) -> tuple[RowSpec, ...]:
    """The rows sharing at least :data:`MIN_SHARED_CHARS` of their characters with ``key`` (a cheap bound before rapidfuzz).

    The characters every label shares with ``key`` are counted for all the labels at once, as a sum of the rows of
    :func:`_label_chars_matrix` for ``key``'s characters (the counts a ``Counter`` of the labels holding each
    character gives, and in the same comparison: an integer count against the same float bound). A label that
    shares none is no candidate, as one absent from such a counter is not (cached by key: a report's row labels
    recur in every legacy report; the count per character and label in Python was most of a new key's cost).
    """
    chars = set(key)
    index, holds, sizes = _label_chars_matrix()
    shared = holds[[index[ch] for ch in chars if ch in index]].sum(axis=0)
    found = np.flatnonzero((shared > 0) & (shared >= MIN_SHARED_CHARS * np.minimum(len(chars), sizes)))
    labels = _label_char_sets()
    return tuple(dict.fromkeys(labels[i][0] for i in found))


def _after_caption(text: str, spec: TableSpec) -> str:
    """The part of a piece after the table's caption or header words (``附表``, ``统计表``, ``指标名称``)."""
    if not any(word[:1] in text for word in spec.heading_keywords):
        return text  # a match begins with its word's first character: most pieces (prose) hold none, searched fast
    spaced = _spaced_patterns(spec.heading_keywords)
    return text[max((m.end() for pattern in spaced for m in pattern.finditer(text)), default=0):]


@lru_cache(maxsize=16)
def _spaced_patterns(words: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Each word as a pattern that lets white space stand between its characters."""
    return tuple(re.compile(r"\s*".join(map(re.escape, word))) for word in words)


def _runs(items: list[Item], hits: list[_Hit]) -> list[list[_Hit]]:
    """Group hits into runs of one table.

    Between two rows of one table lie values, units, unread indicators (a label followed by its
    unit or values) and at most :data:`MAX_LOOSE_BETWEEN_ROWS` loose words, never a sentence;
    a row read from the tail of a sentence starts a new run.
    """
    runs: list[list[_Hit]] = []
    for hit in hits:
        if runs and not hit.after_prose:
            between = items[runs[-1][-1].index + 1:hit.index]
            loose = [it for it, nxt in zip(between, [*between[1:], items[hit.index]])
                     if _is_label(it) and _is_label(nxt)]
            if len(loose) <= MAX_LOOSE_BETWEEN_ROWS and not any(_PROSE.search(it.text) for it in between if it.kind == "text"):
                runs[-1].append(hit)
                continue
        runs.append([hit])
    return runs


def _is_label(it: Item) -> bool:
    return it.kind == "text" and "unit" not in it.flags


def _label_offset(piece: str, row: RowSpec) -> int:
    """Where the row label starts in ``piece`` (after header words glued before it: ``历年累计主动公开文件数``)."""
    best, at = 0.0, 0
    for cut in range(len(piece) - 1):
        if len(label_key(piece[cut:])) > MAX_LABEL_CHARS:
            continue
        score = score_piece(piece[cut:], row)
        if score > best:  # the earliest cut of the best score
            best, at = score, cut
        if best >= PERFECT_LABEL_SCORE:
            break  # no later cut scores higher (most first pieces are the label itself)
    return at if best >= MATCH_CUTOFF else 0


PERFECT_LABEL_SCORE = 100.0
"""The highest score :func:`~gxparse.labels.score_piece` gives (a piece that is a label or alias)."""


def _header_zone(text: str, start: int, spec: TableSpec) -> str:
    """The text before the first row that can hold the column header: after the caption and any prose."""
    zone = _SPACED_CHARS.sub(lambda m: m.group(0).replace(" ", ""), text[max(0, start - MAX_HEADER_CHARS):start])
    cut = max((m.end() for word in spec.heading_keywords for m in re.finditer(re.escape(word), zone)), default=0)
    cut = max([cut, *(m.end() for m in re.finditer(r"[。,;:!?\n]\s*\n|[。,;:!?]", zone))])
    return zone[cut:]


def _vocabulary(spec: TableSpec) -> dict[str, str]:
    """Header cue word → column role, from the legacy template's column labels, aliases and header words."""
    return {word: col.key for col in spec.cols for word in (col.label, *col.aliases, *col.header_words)}


def header_columns(zone: str, spec: TableSpec, *, split_composites: bool = False) -> list[HeaderColumn]:
    """The columns a legacy header names, in printing order (:func:`_header_columns`; cached by zone and the
    column vocabulary: a table spec as a cache key would hash its every row)."""
    return list(_header_columns(zone, tuple(_vocabulary(spec).items()), split_composites))


HEADER_CACHE_SIZE = 1024
"""Header zones whose columns are kept: the finder and the reading of a table ask about the same zone,
and the header lines of a form recur from report to report."""


@lru_cache(maxsize=HEADER_CACHE_SIZE)
def _header_columns(zone: str, cues: tuple[tuple[str, str], ...], split_composites: bool) -> tuple[HeaderColumn, ...]:
    """The columns a legacy header names, in printing order (label column excluded); ``cues`` are the
    (cue word, role) pairs of the column vocabulary (:func:`_vocabulary`).

    Each whitespace- or pipe-separated word is read for cue words of the vocabulary, longest
    first (``本年累计`` before ``本年``), and years; several cues in one word are columns glued
    together (``2018年度历年累计``), except a year that only dates another cue (``自2008年以来累计``
    is one cumulative column). A word with no cue takes the role of the vocabulary word it
    resembles most (rapidfuzz), or none; the label column's own header (a leading word with no
    cue) is dropped, and a title or sentence before the header (long, few cues) resets it.

    With ``split_composites``, a cue that is itself two cues of other roles glued (``本年累计`` =
    ``本年`` + ``累计``) is read as those two columns: the other reading of a header printed glued
    (``…单位本年累计数`` is ``本年 | 累计数``), chosen by the rows' numbers (:func:`_fitting_header`).
    """
    vocabulary = dict(cues)
    if split_composites:
        vocabulary = {cue: role for cue, role in vocabulary.items() if not _is_composite(cue, role, vocabulary)}
    columns: list[HeaderColumn] = []
    for token in re.finditer(r"[^\s|]+", zone):
        word = token.group(0)
        if word.isdigit():
            continue  # the column numbers of a statistical form (甲 乙 丙 1 2)
        cues = _cues(word, vocabulary)
        if cues and sum(e - s for s, e, _ in cues) < MIN_CUE_SHARE * len(word):
            columns = []  # a title or a sentence that happens to hold a cue: the header starts after it
            continue
        if not cues:
            role = _fuzzy_role(word, vocabulary)
            if role is None and (len(word) > MAX_HEADER_WORD_CHARS or re.search(r"\d", word)):
                columns = []
            elif role is not None or columns:  # a leading word with no role heads the label column
                columns.append(HeaderColumn(role, role is not None))
            continue
        columns.extend(HeaderColumn(role, True) for _, _, role in cues if role)
    return tuple(columns)


def _is_composite(cue: str, role: str, vocabulary: dict[str, str]) -> bool:
    """True when ``cue`` is two shorter cues of other roles than its own, glued (``本年累计``: current + cumulative)."""
    return any(vocabulary.get(cue[:cut], role) != role and vocabulary.get(cue[cut:], role) != role
               for cut in range(1, len(cue)))


def _cues(word: str, vocabulary: dict[str, str]) -> list[tuple[int, int, str]]:
    """Cue words of ``word`` (longest first, no overlaps), in order: (start, end, role)."""
    found: list[tuple[int, int, str]] = [(m.start(), m.end(), "") for m in _SINCE_YEAR.finditer(word)]
    found += [(m.start(), m.end(), CURRENT) for m in _YEAR_HEADER.finditer(word)
              if not any(s <= m.start() < e for s, e, _ in found)]
    found += [(m.start(), m.end(), CODE) for m in _CODE_HEADER.finditer(word)]
    for cue in sorted(vocabulary, key=len, reverse=True):
        if cue not in word:
            continue  # most cues are not in a word: no pattern looked up for them
        for m in re.finditer(re.escape(cue), word):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), vocabulary[cue]))
    return sorted(found)


def _fuzzy_role(word: str, vocabulary: dict[str, str]) -> str | None:
    score, cue = max((fuzz.ratio(word, cue), cue) for cue in vocabulary)
    return vocabulary[cue] if score >= COLUMN_ROLE_CUTOFF else None


def _split_units(items: list[Item]) -> list[Item]:
    """Cut units glued to labels into their own text items.

    A unit printed right after the label is cut from its end (``主动公开文件数条``), or from inside
    a piece when the values of the row are blank and the next label follows (``网站公开数条受理…``,
    ``主动公开文件数条其中:``); one printed after the values (unit column last, glued:
    ``行政复议数05件行政诉讼数``) from the start of the next piece. A cut is made only when the
    label part names a row better than the whole piece, so ``现场接待人数`` keeps its ``人``.
    """
    out: list[Item] = []
    for it in (piece for item in items for piece in _cut_glued_placeholders(item)):
        if it.kind == "num":
            out.extend(_cut_value_unit(it))
            continue
        if (it.kind == "text" and out and out[-1].kind in ("num", "ph") and out[-1].end == it.start
                and _UNIT_PLACEHOLDER.fullmatch(it.text)):  # a mark glued after a value (``条0—3.信函``): a blank cell
            out.extend(_placeholder_cells(it, 0, len(it.text)))
            continue
        if it.kind != "text":
            out.append(it)
            continue
        if len(it.text) > 2 * MAX_LABEL_CHARS or _PROSE.search(it.text):  # prose: only a unit at its very end
            head, tail = _after_last_sentence(it)
            if tail is not None:  # a blank table glued to the sentence before it: its labels are read on their own
                out.extend([head, *_cut_after_label(tail)])
                continue
            end = _UNIT_AT_END.search(it.text)
            out.extend(_cut_after_label(it) if end else [it])
            continue
        prefix = _UNIT_PREFIX.match(it.text) if out and out[-1].kind in ("num", "ph") else None
        if prefix and _better_label(it.text[prefix.end():], it.text, glued_after_values=True):
            out.append(Item("text", prefix.group(1), it.start, it.start + prefix.end(1), it.line, ("unit",)))
            it = Item("text", it.text[prefix.end():], it.start + prefix.end(), it.end, it.line)
        out.extend(_cut_after_label(it))
    return out


def _after_last_sentence(it: Item) -> tuple[Item, Item | None]:
    """``it`` cut after its last sentence mark when a label, its unit and more labels follow it, else ``(it, None)``.

    A glued table printed blank has no values to end the narrative piece before it, so its first
    rows run on after the last sentence (``…扩大。六、…统计表指标名称单位本年累计主动公开文件数条其中:``):
    the tail is read as label pieces (only a unit inside a label-sized tail: a unit at the end of
    a piece is cut as before).
    """
    marks = list(_PROSE.finditer(it.text))
    if not marks:
        return it, None
    cut = marks[-1].end()
    tail = it.text[cut:]
    unit = _UNIT_AFTER_LABEL.search(tail)
    if not tail.strip() or len(tail) > 2 * MAX_LABEL_CHARS or unit is None or not tail[unit.end():].strip():
        return it, None
    return (Item("text", it.text[:cut], it.start, it.start + cut, it.line),
            Item("text", tail, it.start + cut, it.end, it.line))


def _cut_value_unit(it: Item) -> list[Item]:
    """A money unit the scanner keeps on its number (``30元``, the unit column printed last, glued) as its own unit item."""
    m = _VALUE_UNIT.search(it.text)
    if m is None or m.start() == 0:
        return [it]
    cut = it.start + m.start()
    return [Item("num", it.text[:m.start()], it.start, cut, it.line, it.flags),
            Item("text", m.group(0), cut, it.end, it.line, ("unit", UNIT_ON_VALUE))]


def _cut_glued_placeholders(it: Item) -> list[Item]:
    """Cut placeholders glued to a unit out of a text piece: ``/`` one per cell (``主动公开文件数//条其中:``),
    a dash run one cell (``行政复议数—件—行政诉讼数``; the scanner cuts only runs of two or more dashes)."""
    if it.kind != "text" or not _UNIT_PLACEHOLDER.search(it.text):
        return [it]
    out: list[Item] = []
    pos = 0
    for m in _UNIT_PLACEHOLDER.finditer(it.text):
        if not (it.text[:m.start()].endswith(UNITS) or it.text[m.end():].lstrip().startswith(UNITS)):
            continue
        if m.start() > pos:
            out.append(Item("text", it.text[pos:m.start()], it.start + pos, it.start + m.start(), it.line))
        out.extend(_placeholder_cells(it, m.start(), m.end()))
        pos = m.end()
    if pos < len(it.text):
        out.append(Item("text", it.text[pos:], it.start + pos, it.end, it.line))
    return out


def _placeholder_cells(it: Item, start: int, end: int) -> list[Item]:
    """The placeholder cells of the marks ``it.text[start:end]``: one per ``/``, a dash run one."""
    cells = [(i, i + 1) for i in range(start, end)] if it.text[start] == "/" else [(start, end)]
    return [Item("ph", it.text[a:b], it.start + a, it.start + b, it.line) for a, b in cells]


def _cut_after_label(it: Item) -> list[Item]:
    """``label`` + unit (+ the rest of the piece, when the row's values are blank) as separate items
    (:func:`_label_cuts`, placed at the piece's span); the piece itself when nothing is cut."""
    cuts = _label_cuts(it.text)
    if cuts is None:
        return [it]
    return [Item("text", text, it.start + start, it.end if end is None else it.start + end, it.line, flags)
            for text, start, end, flags in cuts]


_Cut = tuple[str, int, int | None, tuple[str, ...]]
"""A piece cut from a text item: its text, start and end relative to the item's start (end ``None``: the item's
own end), and flags."""
LABEL_CUTS_CACHE_SIZE = 4096
"""Text pieces whose unit cuts are kept: the cuts depend on the text alone, and the finder and the reading
of a table cut the same pieces, which recur from report to report (the template's labels and units)."""


@lru_cache(maxsize=LABEL_CUTS_CACHE_SIZE)
def _label_cuts(text: str) -> tuple[_Cut, ...] | None:
    """How :func:`_cut_after_label` cuts a piece of this text (``None``: not at all)."""
    if text.strip() in UNITS:
        return ((text.strip(), 0, None, ("unit",)),)
    for m in _UNIT_AFTER_LABEL.finditer(text):
        head, rest = text[:m.start()], text[m.end():]
        if len(text.strip()) > 2 and (not rest.strip() or _better_label(head, text)):
            out: list[_Cut] = [(head, 0, m.start(), ()), (m.group(1), m.start(1), m.end(), ("unit",))]
            if rest.strip():
                rest_cuts = _label_cuts(rest) or ((rest, 0, None, ()),)
                out.extend((piece, m.end() + start, None if end is None else m.end() + end, flags)
                           for piece, start, end, flags in rest_cuts)
            return tuple(out)
    return None


def _better_label(part: str, whole: str, *, glued_after_values: bool = False) -> bool:
    """True when ``part`` names a row better than ``whole`` does. After values (``whole`` begins with the
    unit of the row before: no template label begins with a unit word) ``part`` need only name it as well,
    or ``whole`` name none."""
    if glued_after_values:
        if _label_bound(whole) < MATCH_CUTOFF:
            return True
        whole_score = _label_score(whole)
        return whole_score < MATCH_CUTOFF or (bool(part.strip()) and _label_score(part) >= whole_score)
    # the part's score first: one no higher than CUT_LABEL_SCORE decides without scoring the whole piece
    # (most parts tried in a prose piece name no row, and each whole piece is a new text to score);
    # each score is bounded before it is computed (score_bound: a prose head is far too long for a label)
    if not part.strip() or _label_bound(part) <= CUT_LABEL_SCORE:
        return False
    part_score = _label_score(part)
    return part_score > CUT_LABEL_SCORE and (_label_bound(whole) < part_score or part_score > _label_score(whole))


@lru_cache(maxsize=4096)
def _label_score(text: str) -> float:
    """How well ``text`` names its best legacy row (cached: unit cuts try the same pieces again; a new text scored
    against all the rows at once: :func:`~gxparse.labels.score_piece_rows`)."""
    return max(score_piece_rows(text, legacy_spec().rows))


@lru_cache(maxsize=4096)
def _label_bound(text: str) -> float:
    """An upper bound of :func:`_label_score` without fuzzy matching (:func:`~gxparse.labels.score_bound`)."""
    return score_bound(text, _legacy_label_keys())


@cache
def _legacy_label_keys() -> tuple[tuple[str, bool], ...]:
    """The label keys of the legacy rows, each with whether its row is numbered (for :func:`_label_bound`)."""
    return tuple(dict.fromkeys((key, bool(row.number)) for row in legacy_spec().rows for key in label_keys(row)))


def _segment(spec: TableSpec, headers: tuple[list[HeaderColumn], ...], items: list[Item]) -> Segmentation:
    """The rows of ``items`` with their units and value columns; ``headers`` are the readings of the
    header, most literal first (:func:`header_columns`), one of which the rows' numbers choose."""
    header = headers[0]
    pieces = [i for i, it in enumerate(items) if it.kind == "text" and "unit" not in it.flags]
    matches, misnamed = _named_matches([items[i].text for i in pieces], spec)
    anchors = sorted((pieces[j], key) for key, (j, _) in matches.items())
    items = _peel_legacy_numbering(items, [pos for pos, _ in anchors], _unit_last(header, items, anchors))
    anchored = {pos for pos, _ in anchors}
    # a label followed by a unit starts a row even when it is not in the template: it ends the row before;
    # so does a label that scored as a row it does not name (its values are its own, not the row's before),
    # but not the tail of a row label cut by white space (its values are the row's)
    continued = _label_continuations(items, dict(anchors), spec)
    row_starts = sorted(({i for i in pieces if i + 1 < len(items) and "unit" in items[i + 1].flags}
                         | {pieces[j] for j in misnamed}) - set(continued))
    unread = [_STRAY_NUMBERING.sub("", items[i].text) for i in row_starts if i not in anchored]
    bounds = sorted(anchored | set(row_starts)) + [len(items)]
    coded = any(c.role == CODE for c in header)
    units: dict[str, Item] = {}
    unit_conflicts: dict[str, str] = {}
    labels: dict[str, str] = {}
    row_values: list[tuple[str, list[Item]]] = []
    unit_places: Counter[str] = Counter()
    for pos, key in anchors:
        segment = items[pos + 1:next(b for b in bounds if b > pos)]
        cells = [it for it in segment if it.kind != "text" or "unit" in it.flags]
        unit_places.update(_place(i, len(cells)) for i, it in enumerate(cells) if "unit" in it.flags)
        unit, contradicting = _row_units(segment)
        if unit is not None:
            units[key] = unit
        if contradicting:
            unit_conflicts[key] = "、".join(contradicting)
        values = [it for it in segment if it.kind != "text"]
        if coded and values and re.fullmatch(r"\d{1,3}", values[0].text):
            values = values[1:]  # the row code (01…35) is printed before the values
        row_values.append((key, values))
        labels[key] = _STRAY_NUMBERING.sub("", items[pos].text + (items[pos + 1].text if pos + 1 in continued else ""))
    header = _fitting_header(headers, [values for _, values in row_values])
    if unit_places:
        header = _with_unit_column(header, unit_places.most_common(1)[0][0])
    value_cols = value_columns(header, [values for _, values in row_values])
    constraints = row_constraints(spec, value_cols)  # the same for every row: they share the value columns
    problems = [RowProblem(key, value_cols, values, constraints) for key, values in row_values]
    return Segmentation(TableProblem(spec.key, problems, spec.identities), labels, {p.key for p in problems},
                        "legacy", units, unread, unit_conflicts=unit_conflicts)


def _label_continuations(items: list[Item], anchors: dict[int, str], spec: TableSpec) -> set[int]:
    """The text pieces that continue the row label right before them: a label cut by white space or a line
    break (``政府网站  公开数``), whose tail names no row on its own and makes the joined label name its
    row at least as well. Such a tail does not start a row of its own, so the values after it stay the row's."""
    continued = set()
    for pos, key in anchors.items():
        tail = pos + 1
        if tail >= len(items) or items[tail].kind != "text" or "unit" in items[tail].flags or tail in anchors:
            continue
        head, rest, row = items[pos].text, items[tail].text, spec.row(key)
        if _label_score(rest) < MATCH_CUTOFF and score_piece(head + rest, row) >= score_piece(head, row):
            continued.add(tail)
    return continued


def _row_units(segment: list[Item]) -> tuple[Item | None, list[str]]:
    """A row's unit column item and the other units the row prints on its values that contradict it
    (``件`` beside ``3万元``, ``3 件`` beside ``万元``), sorted.

    The unit column is the first unit word printed apart from the values; a row whose only unit is
    glued to a value prints its unit column last, glued (``5 30元``), and that is its unit.
    """
    printed = [it for it in segment if "unit" in it.flags]
    column = next((it for it in printed if UNIT_ON_VALUE not in it.flags), printed[0] if printed else None)
    return column, sorted({it.text for it in printed if column is not None and it.text != column.text})


def _named_matches(texts: list[str], spec: TableSpec) -> tuple[dict[str, tuple[int, float]], set[int]]:
    """The label pieces aligned to the rows they name (:func:`~gxparse.legacy_labels.names_row`), and
    the pieces that scored as a row they do not name.

    A piece matched to a row it does not name is taken out and the rest aligned again, so the row
    it held is free for a piece that names it.
    """
    masked = list(texts)
    misnamed: set[int] = set()
    rows = {row.key: row for row in spec.rows}
    while True:
        matches = align_rows(masked, spec.rows, monotone=False)
        wrong = {j for key, (j, _) in matches.items() if not names_row(masked[j], rows[key])}
        if not wrong:
            return matches, misnamed
        misnamed |= wrong
        for j in wrong:
            masked[j] = ""  # an empty piece names no row (score 0)


def _fitting_header(headers: tuple[list[HeaderColumn], ...], rows: list[list[Item]]) -> list[HeaderColumn]:
    """The first reading of the header that names as many value columns as some row must print.

    A glued header can hide a column (``本年累计数`` read as one year-to-date column when it is
    ``本年 | 累计数``): a row whose values cannot be fewer cells than the header names
    (:func:`_min_cells`) shows it. When no reading names enough, the most literal one stays.
    """
    needed = max((_min_cells(values) for values in rows), default=0)
    for header in headers:
        if sum(c.role not in (UNIT, CODE) for c in header) >= needed:
            return header
    return headers[0]


def _min_cells(values: list[Item]) -> int:
    """The fewest value cells a row's printed values can be: one per value printed apart, two for a
    digit run that cannot be one number (``013``, ``00``: a number never begins with 0)."""
    return sum(2 if it.kind == "num" and len(it.text) > 1 and it.text.isdigit() and it.text.startswith("0") else 1
               for it in values if it.kind != "blank")


def _place(index: int, size: int) -> str:
    return "first" if index == 0 else "last" if index == size - 1 else "middle"


def _with_unit_column(header: list[HeaderColumn], place: str) -> list[HeaderColumn]:
    """The header with its unit column named: the unnamed word where the rows print their unit.

    A header in words no vocabulary knows (``量纲``) still has a unit column: the rows show where.
    """
    if any(c.role == UNIT for c in header):
        return header
    columns = [i for i, c in enumerate(header) if c.role != CODE]
    if len(columns) < 3:
        return header
    at = columns[{"first": 0, "middle": 1, "last": -1}[place]]
    if header[at].named:
        return header
    return [HeaderColumn(UNIT, True) if i == at else c for i, c in enumerate(header)]


def value_columns(header: list[HeaderColumn], rows: list[list[Item]]) -> tuple[str, ...]:
    """The roles of the printed value columns, in order, from the header, the numbers and position.

    The header gives the count and order of the value columns when it names them; missing or
    unknown words take the roles left over, in :data:`POSITIONAL_ROLES` order. With two value
    columns, the numbers decide which is cumulative (≥ the current year in every row): a row that
    prints both apart votes for the order its two numbers show, a row that prints them glued
    (``条81``) for the only order some split of its run can be read in (:func:`_glued_order`).
    When the header names both columns, the rows must contradict it in
    :data:`MIN_CONTRADICTING_ROWS` rows and agree in none. A table whose rows never print
    more than one value, one of them a single digit (no room for two cells), has one value column.
    """
    printed = [c for c in header if c.role not in (UNIT, CODE)]
    count = _printed_value_count(rows)
    while len(printed) > (count or len(POSITIONAL_ROLES)) and any(not c.named for c in printed):
        printed.remove(next(c for c in reversed(printed) if not c.named))  # a stray word, not a column
    named = [c.role for c in printed if c.named and c.role]
    roles: list[str] = []
    for c in printed:
        role = c.role if c.named and c.role and c.role not in roles else None
        roles.append(role or next((r for r in (*POSITIONAL_ROLES, "ytd") if r not in roles and r not in named), ""))
    roles = [r for r in roles if r] or list(POSITIONAL_ROLES)
    if count == 1:
        return (roles[0],)
    if len(roles) != 2:
        return tuple(roles)
    larger = [r for r in roles if r != CURRENT]
    if len(larger) != 1:
        return tuple(roles)
    shapes = Counter(_order(values) or _glued_order(values) for values in rows)
    first_larger, second_larger = shapes[">"], shapes["<"]
    both_named = len(set(named)) == 2
    says_first_larger = roles[0] != CURRENT
    if both_named:
        contradicting = second_larger if says_first_larger else first_larger
        agreeing = first_larger if says_first_larger else second_larger
        if contradicting >= MIN_CONTRADICTING_ROWS and agreeing == 0:
            roles.reverse()
    elif first_larger != second_larger and (first_larger > second_larger) != says_first_larger:
        roles.reverse()
    return tuple(roles)


def _printed_value_count(rows: list[list[Item]]) -> int | None:
    """How many value cells a row prints, from the rows that print them apart; ``None`` when all are glued."""
    counts = Counter(len(values) for values in rows)
    apart = {n: k for n, k in counts.items() if n >= 2}
    if apart:
        return max(apart, key=lambda n: (apart[n], n))
    if counts[1] and any(len(values) == 1 and values[0].text.isdigit() and len(values[0].text) == 1 for values in rows):
        return 1  # a single digit has no room for two cells
    return None


def _order(values: list[Item]) -> str:
    """``>``, ``<`` or ``=`` comparing a row's two values printed apart; ``""`` when they are not."""
    nums = [it for it in values if it.kind != "blank"]
    if len(nums) != 2 or any(it.kind != "num" for it in nums):
        return ""
    try:
        a, b = float(nums[0].text), float(nums[1].text)
    except ValueError:
        return ""
    return ">" if a > b else "<" if a < b else "="


def _glued_order(values: list[Item]) -> str:
    """``>`` or ``<`` when a row's one glued digit run can only be read with its larger value first
    (``81``: 8 | 1) or last (``18``), over every split into two cells; ``""`` when both orders (or none) read.

    The splits are the candidate generator's (no leading zero), so the vote counts exactly the
    readings the placer will choose among.
    """
    nums = [it for it in values if it.kind != "blank"]
    if len(nums) != 1 or nums[0].kind != "num" or not nums[0].text.isdigit() or len(nums[0].text) < 2:
        return ""
    run = nums[0]
    # the splits depend on the run's text, flags and whether its span is its text, not on where it is printed
    first_larger, second_larger = _split_orders(Item(run.kind, run.text, 0, run.end - run.start, 0, run.flags))
    return ">" if first_larger and not second_larger else "<" if second_larger and not first_larger else ""


GLUED_ORDER_CACHE_SIZE = 4096
"""Glued runs whose split orders are kept (a legacy report prints a few dozen; rows of zeros recur)."""


@lru_cache(maxsize=GLUED_ORDER_CACHE_SIZE)
def _split_orders(run: Item) -> tuple[bool, bool]:
    """Whether some split of the glued ``run`` into two cells reads its larger value first, and whether one reads it last."""
    splits = [cand.values for cand in enumerate_candidates([run], 2, allow_missing=False)
              if not cand.dropped and all(r.kind == "num" and r.split for r in cand.readings)]
    return any(a >= b for a, b in splits), any(a <= b for a, b in splits)


def _unit_last(header: list[HeaderColumn], items: list[Item], anchors: list[tuple[int, str]]) -> bool:
    """True when the unit column is printed after the value columns: by the header, else by most rows.

    Rows followed by a numbered label are not counted: their last digits may be that numbering.
    """
    roles = [c.role for c in header]
    if UNIT in roles and any(r not in (UNIT, CODE) for r in roles):
        return all(r in (UNIT, CODE) for r in roles[roles.index(UNIT):])
    votes: Counter[bool] = Counter()
    for (pos, _), (end, _) in zip(anchors, [*anchors[1:], (len(items), "")]):
        row = items[pos + 1:end]
        units = [i for i, it in enumerate(row) if "unit" in it.flags]
        nums = [i for i, it in enumerate(row) if it.kind == "num"]
        if units and nums and not any(it.numbering_next for it in row):
            votes[units[0] > max(nums)] += 1
    return votes[True] > votes[False]


def _peel_legacy_numbering(items: list[Item], labels: list[int], unit_last: bool) -> list[Item]:
    """Give the numbering of a label (``2.政府公报…``) back from the value run glued before it.

    ``…121062.政府公报…``: the last digit numbers the label. After a unit printed last
    (``…20条2.同意部分…``) the whole run is numbering; after a unit printed between the values
    (``…40条53、信函…``) its last digit is.
    """
    out = list(items)
    last_numbering: int | None = None  # the numbering of the label before: a list counts 1., 2., 3. …
    for pos in labels:
        prev = out[pos - 1] if pos else None
        if prev is None or not prev.numbering_next:
            printed = _LEADING_NUMBERING.match(out[pos].text)
            last_numbering = int(printed.group(1)) if printed else None
            continue
        before = out[pos - 2] if pos >= 2 and out[pos - 2].end == prev.start else None
        glued = before is not None and before.kind == "num"
        after_unit = before is not None and "unit" in before.flags
        alone = len(prev.text) <= 2 and not glued and not after_unit and not _ends_in_next_numbering(prev.text, last_numbering)
        if alone or (after_unit and (unit_last or len(prev.text) == 1)):
            out[pos - 1] = Item("text", prev.text, prev.start, prev.end, prev.line, ("numbering",))
            last_numbering = int(prev.text)
        elif len(prev.text) > 1:  # "2069121062" + ".政府公报…": the last digit numbers the label
            out[pos - 1] = Item("num", prev.text[:-1], prev.start, prev.end - 1, prev.line, ("numbering_peeled",))
            last_numbering = int(prev.text[-1])
    return out


def _ends_in_next_numbering(run: str, last_numbering: int | None) -> bool:
    """Whether a two-digit run before a label is a value and the label's one-digit numbering (``条 32.政府公报``
    after ``1.网站公开``, ``条 03.电子邮件`` after ``2.传真``): its last digit continues the list's count, which
    has not reached two digits."""
    if last_numbering is None or len(run) != 2 or last_numbering + 1 > MAX_ONE_DIGIT_NUMBERING:
        return False
    return run[-1] == str(last_numbering + 1)
