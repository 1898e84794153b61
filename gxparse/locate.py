"""Find the table regions (二 / 三 / 四) of a report (its generation is decided by :mod:`gxparse.generation`).

Headings are scored as anchors: a heading keyword counts only where it starts a section (after
a numeral ``二、`` / ``表三`` or at the start of a line), never inside an enumeration of section
names in the preamble (``总体情况、主动公开政府信息情况、…``). A region runs from its heading to
the next table heading or to a hard stop (section 五/六, 存在的主要问题 …, the sentence that ends
with the first full stop, or — once the table's cells have begun — a note line ``注:`` or another
table's caption ``附表2``), so that narrative numbers never leak into a table.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from gxparse.ir import Region
from gxparse.normalize import label_key
from gxparse.scan import PAGE_NUMBER
from gxparse.template import TableSpec, get_template

REGION_MAX_CHARS = 20_000
_NUMERAL_BEFORE = re.compile(r"(?:附?表\s*(?:[一二三四五六七八九十]{1,2}|(?P<arabic>\d{1,2}))\s*[、.:：]?"
                             r"|[一二三四五六七八九十]{1,2}\s*[、.])\s*$")
"""The numbering before a section heading: ``四、`` or a caption ``表三`` / ``附表3`` (an appendix table)."""
_NUMERAL_NEAR = re.compile(r"(?:[一二三四五六七八九十]{1,2}\s*[、.]|[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]"
                           r"|(?P<arabic>[1-9])\s*[、.])[\u4e00-\u9fff \t]{0,8}$")
"""A looser numbering before a heading keyword, as glued copies print it: a sub-heading numeral
``(四)``, an Arabic one glued after the last cell (``20000024、``: one digit, as sections count), or
a numeral whose heading lost or split characters before the keyword (``四、政 信 息公开行政复议…``)."""
NEAR_NUMERAL_SCORE = 1.5
_NEAR_WINDOW = 14
"""Below an exact numeral (2.0), so an exact heading wins a tie; with its table's content after it (2.0)
it passes the bar of 3.0."""
# Lines that end a table once its cells have begun: a note under it (注: / 说明: / 备注:), narrative
# about the table, or a caption on a line of its own (附表2, 表三:) that does not name this table's
# title (:func:`_names_other_table`), the next table. Before the first cell (:data:`_CELL_MARK`) they
# may caption or annotate this table.
_STOP_AFTER_CELLS = re.compile(r"\n[ \t\u3000]*(?:注|说明|备注)[ \t]*\d{0,2}[ \t]*:"
                               r"|\n[ \t\u3000#]*(?P<caption>附?表[ \t]*[一二三四五六七八九十\d]{1,2})[ \t]*(?=[\n:、.])")
_CELL_MARK = re.compile(r"[\d|—―]")
"""What the first cell of a table shows: a number, a pipe between cells, a placeholder dash."""
# The 四 table has no row labels, so a numbered sub-heading after it ends it too.
_STOP_AFTER_REVIEW = re.compile(r"\n\s*\([一二三四五]\)")
def _spaced(*words: str) -> re.Pattern[str]:
    """A pattern for any of ``words``, tolerating spaces and pipes between their characters."""
    return re.compile("|".join(r"[\s|]*".join(map(re.escape, w)) for w in words))


NATIONAL_GENERATIONS = ("gov2021", "gov2019")
"""The generations whose tables (二, 三, 四) are located here; a legacy list is found by :mod:`gxparse.legacy`."""


def _markers(marker: str) -> dict[str, re.Pattern[str]]:
    """Per table key, a pattern for the words of one printed marker of the template data
    (:class:`~gxparse.template.TableSpec`: ``content_start``, ``content_required``, ``header_run``),
    the national generations' words together; tables without the marker are left out."""
    words: dict[str, list[str]] = {}
    for template_id in NATIONAL_GENERATIONS:
        for table in get_template(template_id).tables:
            found = getattr(table, marker)
            for word in (found,) if isinstance(found, str) else found:
                if word and word not in words.setdefault(table.key, []):
                    words[table.key].append(word)
    return {key: _spaced(*found) for key, found in words.items() if found}


_CLOSING_SECTIONS = tuple(dict.fromkeys(w for t in NATIONAL_GENERATIONS for w in get_template(t).closing_sections))
_STOP = re.compile(r"[五六七八](?<![(第].)\s*、|" + "".join(f"{re.escape(w)}|" for w in _CLOSING_SECTIONS) + "。")
"""Where a region ends at the latest: the next numbered section (五、…), a narrative section's title, a full stop.
The numeral is matched before the look-behind that rules out ``(五、`` and ``第五、``: a pattern that begins with a
look-behind is tried at every position (twice the time of the search, measured)."""
# Where the table itself begins inside a region: narrative between a heading and its table is skipped.
_CONTENT_START = _markers("content_start")
# A table's header run, specific enough to find it when no heading does (a heading printed without its
# numeral or with a character too many, ``行政复、议``): the 四 table's two header rows, read in order.
HEADER_RUNS = _markers("header_run")
# A region without any of these is a heading whose table was lost (seed003): no table.
_CONTENT_REQUIRED = _markers("content_required")


@cache
def _heading_patterns(keywords: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """A table's heading keywords, each tolerating spaces and pipes between its characters (a heading
    split over lines or cells: ``四、政府信息公开行政复议、行政 诉讼情况``). Kept by the keywords, not by the
    table: a table's hash goes through all its rows, columns and identities (a quarter of locating, profiled)."""
    return tuple(_spaced(keyword) for keyword in keywords)


def _heading_hits(text: str, table: TableSpec, *, exact: bool = False) -> list[tuple[float, int, int]]:
    hits = []
    for pattern in _heading_patterns(table.heading_keywords):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 12):m.start()]
            if before.endswith("、") and not re.search(r"[一二三四五六七八九十]\s*、$", before):
                continue  # an enumeration of section names, not a heading
            score = 0.0
            if numeral := _NUMERAL_BEFORE.search(before):
                score += 2.0
                # the table before ends at a caption's Arabic number (附表3), which is no cell of it
                start = m.start() - (len(before) - numeral.start()) if numeral["arabic"] else m.start()
            elif m.start() == 0 or text[m.start() - 1] == "\n":
                score += 1.0
                start = m.start()
            elif not exact and (near := _NUMERAL_NEAR.search(text, max(0, m.start() - _NEAR_WINDOW), m.start())):
                score += NEAR_NUMERAL_SCORE
                start = near.start() if near["arabic"] else m.start()  # the glued Arabic numeral is no cell
            else:
                continue
            window = text[m.end():m.end() + 600]
            score += 2.0 if _CONTENT_REQUIRED[table.key].search(window) else 0.0
            hits.append((score, -start, m.end()))
    return hits


def locate_regions(text: str, *, exact: bool = False) -> dict[str, Region]:
    """Locate the 二/三/四 table regions of ``text`` (normalised). Missing tables are absent.

    ``exact`` counts only exact numberings before a heading (not :data:`_NUMERAL_NEAR`'s looser
    ones): the anchors from which training derives the line tagger's tags, which must be right
    rather than many.
    """
    spec = get_template("gov2021")
    _compile_row_labels()
    found: dict[str, tuple[int, int]] = {}
    for table in spec.tables:
        hits = _heading_hits(text, table, exact=exact)
        if hits:
            score, neg_start, end = max(hits)
            if score >= 3.0:
                found[table.key] = (-neg_start, end)
    starts = sorted(s for s, _ in found.values())
    regions = {}
    for key, (heading_start, start) in found.items():
        later = [s for s in starts if s > heading_start]
        end = min(later) if later else len(text)
        truncated = end == len(text) and not later
        region = bound_region(text, Region(key, heading_start, start, min(end, start + REGION_MAX_CHARS), truncated))
        if region is not None:
            regions[key] = region
    return regions


def locate_by_header_run(text: str, key: str, regions: dict[str, Region]) -> Region | None:
    """The region of table ``key`` from its own header run (:data:`HEADER_RUNS`), up to the next region
    found or a hard stop; ``None`` when the table has no such run or the text does not print it.

    For a table neither a heading nor the line tagger found: a heading printed without its numeral or
    with a character too many (``政府信息公开行政复、议…``) in a glued copy, whose one long line the
    tagger reads as narrative.
    """
    header = HEADER_RUNS.get(key)
    m = header.search(text) if header else None
    if m is None:
        return None  # (a region of another table running over it is ended there: parser._without_overlaps)
    end = min([r.heading_start for r in regions.values() if r.heading_start > m.start()], default=len(text))
    region = Region(key, m.start(), m.start(), min(end, m.start() + REGION_MAX_CHARS), end == len(text))
    return bound_region(text, region)


@cache
def _row_label_keys(key: str) -> tuple[str, ...]:
    """The row labels and aliases of table ``key`` in every generation, as label keys."""
    return tuple(sorted({label_key(name) for template_id in NATIONAL_GENERATIONS
                         for row in get_template(template_id).table(key).rows for name in (row.label, *row.aliases)} - {""}))


def _holds_row_label(text: str, key: str) -> bool:
    squeezed = label_key(text)
    return any(label in squeezed for label in _row_label_keys(key))


def has_required_content(text: str, region: Region) -> bool:
    """True when ``region`` holds one of its table's landmark words (a column header, a first row)."""
    return bool(_CONTENT_REQUIRED[region.table].search(text, region.start, region.end))


def bound_region(text: str, region: Region, *, require_content: bool = True) -> Region | None:
    """Narrow a candidate region to its table: skip the narrative before it, stop at a hard stop.

    ``None`` when ``require_content`` and the region holds none of the table's required content
    (a heading whose table was lost). A region found by its content (the line tagger) may lack
    them — a copy that begins inside the table — and is then judged by the row labels it holds.
    """
    key, start, end, truncated = region.table, region.start, region.end, region.truncated
    if require_content and not has_required_content(text, region):
        return None
    if not require_content:  # found by the tagger: it may have cut the table's last rows off
        end = _with_own_rows_after(text, end, key)
    content = _CONTENT_START[key].search(text, start, end)
    # a region found by content starts at its first tagged line: kept when that is a row of the table (a cut copy)
    if content and (require_content or not _holds_row_label(text[start:content.start()], key)):
        start = content.start()
    end = _before_narrative_number(text, start, end)
    stop = _STOP.search(text, start, end)
    stops = [_sentence_start(text, start, stop.start(), key) if stop.group() == "。" else stop.start()] if stop else []
    first_cell = _CELL_MARK.search(text, start, end)
    after_cells = (m for m in _STOP_AFTER_CELLS.finditer(text, first_cell.end(), end)
                   if not m.group("caption") or _names_other_table(text, m.end(), key)) if first_cell else iter(())
    if (after := next(after_cells, None)) is not None:
        stops.append(after.start())
    if key == "review_litigation" and (sub := _STOP_AFTER_REVIEW.search(text, start, end)):
        stops.append(sub.start())
    if stops:
        end, truncated = min(stops), False
    else:
        end = _before_sentence_tail(text, start, end, key)
    end = _before_sentence_lines(text, start, end)
    heading_start = region.heading_start if region.heading_start < region.start else start  # no heading line: moves with the start
    return Region(key, heading_start, start, end, truncated)


def _names_other_table(text: str, caption_end: int, key: str) -> bool:
    """False when the caption ending at ``caption_end`` is followed, on its line or the next, by the title
    of table ``key`` itself (a copy that captions its own grid: ``表二:主动公开政府信息情况``)."""
    line_end = text.find("\n", caption_end)
    next_end = text.find("\n", line_end + 1) if line_end >= 0 else -1
    title = text[caption_end:next_end if next_end >= 0 else len(text)]  # the rest of its line and the next
    return not any(word in title for word in get_template("gov2021").table(key).heading_keywords)


# Where a sentence may begin: after a line or cell break, or after a space before a Chinese character.
_SENTENCE_BREAK = re.compile(r"[\n|]|[ \t\u3000]+(?=[\u4e00-\u9fff])")


# A number a sentence counts with: followed by a measure word or date unit (158件, 2020年, 95%).
# A number followed by anything else (a label, a numbering: 000000一、完善…) is a table cell.
_NARRATIVE_UNITS = "件年月日号条次个项人家余多%份批场期篇天名位户"
_NARRATIVE_NUMBER = re.compile(rf"\d+(?:\.\d+)?(?=\s*[{_NARRATIVE_UNITS}])")
# A number a sentence counts with never begins with 0, and one that counts years has at most four
# digits: a digit run before a narrative unit that begins with 0 (…总计00 00020002000002020年,我单位…)
# or, before 年, is longer than a year is a glued row's last cells with the sentence's number glued after
# them. It stays in the region; which of its last digits are the sentence's is left to placement
# (:func:`ends_in_narrative_number`, the ``narrative_tail`` run of :mod:`gxparse.layouts.glued`).
YEAR_DIGITS = 4
"""The digits of a year (2020年): a longer run before 年 holds cells too."""
_GLUED_NARRATIVE_NUMBER = re.compile(rf"0\d+(?=\s*[{_NARRATIVE_UNITS}])|\d{{{YEAR_DIGITS + 1},}}(?=\s*年)")


def ends_in_narrative_number(text: str, start: int) -> bool:
    """True when the digit run at ``start`` ends in the number of a sentence glued after it (see above)."""
    return bool(_GLUED_NARRATIVE_NUMBER.match(text, start)) and (start == 0 or not text[start - 1].isdigit())


# A line wrapped between a number and its unit (…网上办理3284 / 件,占比…): one sentence, not a break.
_WRAPPED_NUMBER = re.compile(rf"(?<=\d)\n(?=[{_NARRATIVE_UNITS}])")
_CELL_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:万元|元)?")


# A line that begins as a sentence does: a counted number, then words and a clause mark (2020年,我单位…).
_SENTENCE_LINE = re.compile(rf"[ \t\u3000]*\d+(?:\.\d+)?\s*[{_NARRATIVE_UNITS}][^\n]*[\u4e00-\u9fff][,，;；]")


def _before_narrative_number(text: str, start: int, end: int) -> int:
    """``end``, or the start of the number ``end`` cuts off from its unit (``…86.43元2020|年,我单位…``).

    A region found by its content ends where its tagged lines do, and the lines of a glued copy are
    cut after every digit run: the number a sentence begins with would be read as a cell.
    """
    last = _trailing_number(text, start, end)
    if last is not None and _NARRATIVE_NUMBER.match(text, last) and not ends_in_narrative_number(text, last):
        return last
    return end


_TRAILING_NUMBER = re.compile(r"\d+(?:\.\d+)?$")
"""A number that ends the text searched (or stands before its final line break)."""
TAIL_CHARS = 64
"""The last characters first searched for what ends a stretch of text: a region's trailing number (a printed number
is shorter; a glued run may be longer) or the last sentence break before a full stop (most sentences are shorter:
see :data:`SENTENCE_MAX_CHARS`); not found there, it is searched for in twice as many."""


def _trailing_number(text: str, start: int, end: int) -> int | None:
    """Where :data:`_TRAILING_NUMBER` found in ``text[start:end]`` begins (``None`` without one), searched in the
    region's last :data:`TAIL_CHARS` characters, not in all of it (where it is tried at every digit of every cell).

    The leftmost match in a tail is the region's when it begins more than a character after the tail's start: a
    number reaching further back would leave, in the tail, a match from its first or second character on (a number's
    suffix is one unless it begins with its point). No match in a tail of three characters or more means none at all.
    Otherwise the tail is doubled.
    """
    width = TAIL_CHARS
    while True:
        tail = max(start, end - width)
        last = _TRAILING_NUMBER.search(text, tail, end)
        if last is None or last.start() > tail + 1 or tail == start:
            return None if last is None else last.start()
        width *= 2


SENTENCE_MAX_CHARS = 200
"""How far past a region's end its sentence's full stop is looked for. Measured on the dev and wild .txt
reports (text between full stops or line breaks): median 29 characters, 95th percentile 146, 99th 351;
a longer sentence leaves the region as it was."""


def _before_sentence_tail(text: str, start: int, end: int, key: str) -> int:
    """``end``, or where the sentence begins when the region ends inside one that holds a counted number.

    A region the line tagger or the next region ends can stop short of the full stop of a sentence
    glued after the table (``…10001000000000 0全年制发行政规范性文件0件,现行有效|0件。``): with no stop
    inside the region, its sentence is found from the full stop on the same line
    (:func:`_sentence_start`) and cut off when its part inside the region holds a number the sentence
    counts with (:data:`_NARRATIVE_NUMBER`), which would otherwise be read as a cell.
    """
    line_end = text.find("\n", end)
    full_stop = text.find("。", end, min(len(text) if line_end < 0 else line_end, end + SENTENCE_MAX_CHARS))
    if full_stop < 0:
        return end
    cut = _sentence_start(text, start, full_stop, key)
    return cut if cut < end and _NARRATIVE_NUMBER.search(text, cut, end) else end


def _before_sentence_lines(text: str, start: int, end: int) -> int:
    """``end``, or the start of the region's last lines when they begin a sentence (:data:`_SENTENCE_LINE`).

    A sentence wrapped over lines (a PDF copy) can end past a page number or the region's end, so the
    full stop does not show where it began: its first line is recognised by how it begins.
    """
    cut = line_end = end
    while line_end > start:
        line_start = text.rfind("\n", start, line_end - 1) + 1 or start
        line = text[line_start:line_end]
        if _SENTENCE_LINE.match(line):
            if ends_in_narrative_number(text, line_start + len(line) - len(line.lstrip())):
                break  # the line begins with a glued row's last cells: the sentence begins inside its first run
            cut = line_start
        elif not PAGE_NUMBER.match(line):  # a page number may stand between the wrapped lines
            break
        line_end = line_start
    return cut


def _sentence_start(text: str, start: int, full_stop: int, key: str) -> int:
    """The start of the sentence that ends at ``full_stop`` (its numbers are narrative, not cells).

    In a glued copy no break separates the last cells of a table from the sentence after it
    (``…000000000000一、完善档案管理。``): the sentence then begins after the table's last content
    (:func:`_table_content_end`): its last number that is not one of the sentence's own
    (:data:`_NARRATIVE_NUMBER`), or the last row of table ``key`` printed blank
    (``…四、结转下年度继续办理———————与2021年相比…``), whose label and placeholders would otherwise
    fall to the sentence and the row come out absent.
    """
    last = _last_break(text, start, full_stop)
    sentence = start if last is None else last
    end = _table_content_end(text, sentence, full_stop, key)
    if end is not None:
        return end
    return full_stop if last is None else sentence  # no break and no cell: a glued run, cut at the full stop as before


def _last_break(text: str, start: int, end: int) -> int | None:
    """The end of the last :data:`_SENTENCE_BREAK` between ``start`` and ``end`` that is no :data:`_WRAPPED_NUMBER`
    (``None`` without one), searched in the last :data:`TAIL_CHARS` characters, then in twice as many while none is
    found there, not over all of them (a table printed a cell a line breaks at every line).

    A tail holds the same breaks after its start as the whole: a line break or a pipe is one character, and a run of
    spaces before a Chinese character that begins before the tail is found from the tail's start to the same end; a
    wrapped number is told by the line break's own place."""
    width = TAIL_CHARS
    while True:
        tail = max(start, end - width)
        ends = [m.end() for m in _SENTENCE_BREAK.finditer(text, tail, end) if not _WRAPPED_NUMBER.match(text, m.start())]
        if ends or tail == start:
            return ends[-1] if ends else None
        width *= 2


_PLACEHOLDER_RUN = re.compile(r"[—―─━]+")
"""A blank cell printed as a dash run (``———————``: one row's blank cells glued together)."""
_ROW_NUMBERING = r"(?:[一二三四五六七八九十]{1,2}\s*、|\(\s*[一二三四五六七八九十]{1,2}\s*\)|\d{1,2}\s*[.、])\s*"
"""A printed row numbering (``四、``, ``(七)``, ``5.``), normalised text."""
MIN_ROW_LABEL_CHARS = 2
"""Shorter row names (a lone character) occur inside any sentence."""


@cache
def _row_label_pattern(key: str) -> re.Pattern[str] | None:
    """The row labels and aliases of table ``key`` in every generation (spaces tolerated), each with the
    row numbering before it when printed (group ``numbering``); ``None`` for a table without row labels."""
    names = {unicodedata.normalize("NFKC", name) for template_id in ("gov2021", "gov2019")
             for row in get_template(template_id).table(key).rows for name in (row.label, *row.aliases)
             if len(name.strip()) >= MIN_ROW_LABEL_CHARS}
    if not names:
        return None
    labels = "|".join(r"\s*".join(map(re.escape, name.replace(" ", ""))) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?P<numbering>{_ROW_NUMBERING})?(?:{labels})")


@cache
def _compile_row_labels() -> None:
    """Compile every table's :func:`_row_label_pattern` at the first parse, not at the first region that asks for
    one: an alternation of some 200 labels, 3 ms to compile in a new process but 90 ms after a batch has filled the
    heap (its parse makes thousands of objects, and the garbage collector's passes over the heap come with them;
    measured on the dev corpus), paid by whichever report first ends a region at a sentence."""
    for template_id in NATIONAL_GENERATIONS:
        for table in get_template(template_id).tables:
            _row_label_pattern(table.key)


def _table_content_end(text: str, start: int, end: int, key: str) -> int | None:
    """The end of the last run of table ``key``'s content between ``start`` and ``end``; ``None`` when there is none.

    Content is read as tokens — cell numbers (a number a sentence counts with is none), placeholder
    runs, the table's row labels — and tokens with only white space between them form a run. A run
    is the table's when it holds a cell number, a numbered row label (``四、结转下年度继续办理``), or
    both a label and a placeholder (``政府集中采购——``); a dash or a row's name alone in a sentence
    is no table content.
    """
    return max((run_end for _, run_end, own in _content_runs(text, start, end, key) if own), default=None)


def _content_runs(text: str, start: int, end: int, key: str) -> list[tuple[int, int, bool]]:
    """The runs of content tokens between ``start`` and ``end`` (see :func:`_table_content_end`), in order:
    ``(start, end, whether the run is table key's)``."""
    tokens = [(m.start(), m.end(), "cell") for m in _CELL_NUMBER.finditer(text, start, end)
              if not _NARRATIVE_NUMBER.match(text, m.start()) or ends_in_narrative_number(text, m.start())]
    tokens += [(m.start(), m.end(), "placeholder") for m in _PLACEHOLDER_RUN.finditer(text, start, end)]
    if (labels := _row_label_pattern(key)) is not None:
        tokens += [(m.start(), m.end(), "numbered" if m["numbering"] else "label") for m in labels.finditer(text, start, end)]
    runs: list[tuple[int, int, set[str]]] = []
    for token_start, token_end, kind in sorted(tokens):
        if not runs or (token_start > runs[-1][1] and text[runs[-1][1]:token_start].strip()):
            runs.append((token_start, token_end, set()))  # a gap that is not white space: a new run
        run_start, run_end, kinds = runs[-1]
        kinds.add(kind)
        runs[-1] = (run_start, max(run_end, token_end), kinds)
    return [(a, b, bool(kinds & {"cell", "numbered"} or {"label", "placeholder"} <= kinds)) for a, b, kinds in runs]


OWN_ROWS_MAX_CHARS = 600
"""How far past a region's end its own rows are looked for: several glued rows (the longest row label of
the templates has 35 characters, and a 三 row prints seven cells)."""


def _with_own_rows_after(text: str, end: int, key: str) -> int:
    """``end``, or the end of table ``key``'s rows printed right after it: a run of its content that begins
    with one of its row labels at ``end``.

    The line tagger reads a glued copy in pieces cut after digit runs, and may give a piece that
    begins with the table's last row to the next table's heading (``四、结转下年度继续办理————政府
    信息公开行政复议…`` with the heading's numeral lost): the row would come out absent. A number
    there is no row of the table (``3、收到和处理…``: the next heading's numeral).
    """
    at = end + len(text[end:end + OWN_ROWS_MAX_CHARS]) - len(text[end:end + OWN_ROWS_MAX_CHARS].lstrip())
    labels = _row_label_pattern(key)
    if labels is None or not labels.match(text, at):
        return end
    runs = _content_runs(text, at, min(len(text), at + OWN_ROWS_MAX_CHARS), key)
    return runs[0][1] if runs and runs[0][0] == at and runs[0][2] else end
