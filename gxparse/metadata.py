"""Report metadata read from the head of a report: issuing agency, report year, publication date.

Batch outputs are keyed by report, and a table of numbers is only useful when one knows whose
report and which year it is. The first lines of a report nearly always carry a title such as
``绵阳市安州区人力资源和社会保障局2023年政府信息公开工作年度报告`` (sometimes behind a
``标题:`` field, sometimes split over two lines) and often a ``发布时间:2024-01-24`` field or a
bare date line. Reports without a title line name themselves in the body
(``特向社会公布洛江区人力资源和社会保障局2018年度政府信息公开年度报告``) or sign off with the agency
and a date on two lines, and the year of the statistics is then the year the text keeps naming. The
administrative level follows from the most specific administrative unit in the agency's name.
:func:`extract_metadata` reads all this with a few conservative patterns and returns ``None`` for
whatever it cannot find rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

HEAD_LINES = 40
"""Only this many non-blank lines from the top are searched: titles and dates live there."""
HEAD_CHARS = 20_000
"""…and only within this many characters (some reports are one huge line)."""
_MAX_TITLE_CHARS = 80

_TITLE_FIELD = re.compile(r"^(?:标题|题目|名称)\s*[:：]\s*(?P<title>.+)$")
_TITLE = re.compile(
    r"(?P<pre>.*?)(?:(?P<year>(?:19|20)\d{2})年度?)?(?P<mid>[^年]*?)"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)[)）]?"
)
_TITLE_END = re.compile(r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)[)）]?")
_TITLE_ENDINGS = tuple(word + close for word in ("报告", "年报") for close in ("", ")", "）"))
"""How a line :data:`_TITLE` matches in full ends (its last group, then an optional bracket): a line ending
otherwise is no title, told without running the pattern's backtracking over it."""
_YEAR_ONLY = re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?:政府信息公开|政务公开|信息公开)")
_SOURCE_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})年度?(?:政府|政务|信息|工作|报告|年报)")
_PERIOD_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})年1月1日(?:起)?至(?P=year)年12月31日")
_DATE = r"(?P<y>(?:19|20)\d{2})\s*(?:[-./]|年)\s*(?P<m>\d{1,2})\s*(?:[-./]|月)\s*(?P<d>\d{1,2})\s*日?"
_DATE_FIELD = re.compile(r"(?:发布|发文|成文|公开|印发)?(?:时间|日期)\s*[:：]\s*" + _DATE)
_DATE_LINE = re.compile(r"^[(（\[]?" + _DATE + r"[)）\]]?$")
_AGENCY_NOISE = re.compile(r"^(?:关于|[《“\"']+)|[》”\"']+$")
_AGENCY = re.compile(r"[\u4e00-\u9fff0-9A-Za-z()·]{2,40}")
# an agency name ends with the kind of body it is (局, 厅, 委员会, 人民政府, 街道办事处 …)
_AGENCY_LINE = re.compile(r"[\u4e00-\u9fff()·]{2,40}(?:局|厅|委|委员会|办|办公室|办事处|政府|中心|管委会|管理局|"
                          r"院|部|署|所|站|队|街道|镇|乡|公司)")
_PUBLISHER_FIELD = re.compile(r"^(?:发布机构|发文机关|发布单位|公开主体)\s*[:：]\s*(?P<agency>\S+)$")
_BODY_TITLE = re.compile(r"(?:公布|发布|编制|印发)(?P<agency>[\u4e00-\u9fff()·]{2,40}?)(?P<year>(?:19|20)\d{2})年度?"
                         r"(?:政府信息公开|政务公开|信息公开)")
# A year's digits with no digit before them, that one looked at from behind its first two digits (a pattern that
# begins with a look-behind is tried at every position, one that begins with a character is searched for by it:
# four times faster over a report, measured).
_ANY_YEAR = re.compile(r"(?P<year>(?:19|20)(?<!\d..)\d{2})年度?(?![\d月])")
_SPACED_YEAR = re.compile(r"(?P<year>(?:19|20)(?<!\d..)\d{2})\s*年度?(?!\s*[\d月])")  # PDF text layers print "2024 年"
MIN_YEAR_MENTIONS = 2
"""The body's most named year stands for the report year only when it is named at least this often."""
_SIGNATURE_SEARCH_CHARS = 200_000
"""The sign-off (agency line, date line) is searched for in this many characters from the top."""
_PLACE_UNITS = ("自治区", "自治州", "自治县", "省", "市", "州", "盟", "区", "县", "旗", "街道", "镇", "乡")
_LEVELS = (
    ("township", re.compile(r"(?:街道|镇|乡|苏木)(?:人民政府|办事处|党工委|$)|街道办事处|街道办")),
    ("county", re.compile(r"(?<!自治)(?:县|旗|(?<![发新验园片税范作])区)")),
    ("prefecture", re.compile(r"(?:自治州|地区|盟|(?<!北京)(?<!上海)(?<!天津)(?<!重庆)市(?![场民容]|政(?!府)))")),
    ("national", re.compile(r"^(?:国务院|国家|中华人民共和国|中国)")),
    ("provincial", re.compile(r"(?:省|自治区|北京市|上海市|天津市|重庆市|厅$)")),
)
"""Administrative levels, most specific first: the first that names a unit in the agency wins (a
national body has no place name, so 国务院办公厅 is national although 厅 is otherwise provincial).
Development and pilot zones (开发区, 新区, 实验区, 片区 …) name no level of their own, and the four
municipalities (北京市 …) are provincial."""


def extract_metadata(text: str, source: str | None = None) -> dict[str, Any]:
    """Return the agency, report year and publication date found at the top of a report.

    Parameters
    ----------
    text:
        The report text. Pass the parser's normalised text (:attr:`Report.text`) when there is
        one: it is already in simplified script, which the title patterns expect; full-width
        forms are folded here either way.
    source:
        The input's path or name, used only when the text names no year: a file name such as
        ``2023年政府信息公开工作年度报告.txt`` then gives ``report_year``.

    Returns
    -------
    dict
        ``agency`` (str), ``level`` (``national``, ``provincial``, ``prefecture``, ``county``,
        ``township``), ``report_year`` (int) and ``published`` (ISO ``YYYY-MM-DD``); each is
        ``None`` when the report does not state it.
    """
    return dict(_metadata(text, source))


_RECENT_REPORTS = 2
"""Texts whose metadata are kept: a parse reads them twice from one text (the template generation's
year cue, then the report's meta), and reading them is a pass over up to 200,000 characters."""


@lru_cache(maxsize=_RECENT_REPORTS)
def _metadata(text: str, source: str | None) -> tuple[tuple[str, Any], ...]:
    """:func:`extract_metadata` computed afresh, as items (immutable: the cache hands each caller a new dict)."""
    lines = _head_lines(text)
    agency, year = _title_metadata(lines)
    signed_by, signed_on = _signature(text)
    if agency is None:
        agency = _publisher_field(lines) or signed_by or _body_title_agency(lines)
    if year is None:
        year = _fallback_year(lines, source) or _most_named_year(text)
    published = _find_published(lines) or signed_on
    return ("agency", agency), ("level", admin_level(agency)), ("report_year", year), ("published", published)


def admin_level(agency: str | None) -> str | None:
    """The administrative level of ``agency`` from the units its name carries, or None.

    Examples
    --------
    >>> admin_level("上海市静安区人力资源和社会保障局"), admin_level("湖北省人力资源和社会保障厅")
    ('county', 'provincial')
    >>> admin_level("驼峰路街道办事处"), admin_level("平潭综合实验区管委会办公室")
    ('township', None)
    """
    if not agency:
        return None
    for level, pattern in _LEVELS:
        if pattern.search(agency):
            return level
    return None


LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""The characters :meth:`str.splitlines` splits at. NFKC neither makes nor composes any of them (each is its own
form and no character's form holds one: tests/test_speed_post.py checks every code point), so NFKC of a text is
NFKC of each of its lines joined by the same breaks."""
_DATE_LINE_START = re.compile(r"\n[(（\[]?(?:19|20)")
"""How every line :data:`_DATE_LINE` matches begins (its optional bracket, then the year's first digits), after the
break that ends the line above it: a line that begins otherwise is no date line. Searched in the lines joined by
``\n`` (a line holds no line break); written break first, not as ``^`` in multi-line mode, which is tried at every
position (ten times slower, measured)."""
_SPACES_IN_LINE = re.compile(f"[^\\S{LINE_BREAKS}]+")
"""White space other than a line break: removed from a whole text, it compacts each line as :func:`_compact` would."""


def _signature(text: str) -> tuple[str | None, str | None]:
    """The last sign-off in the text: an agency line directly followed by a date line.

    Lines are read NFKC-folded and compacted (:func:`_compact`); both are done on the whole searched text at once,
    not line by line (see :data:`LINE_BREAKS`), the plain spaces (most of its white space) by :meth:`str.replace`,
    which is several times faster than the pattern; the pattern runs only when the lines still hold a character
    that is not printable, as all other white space is (tests/test_speed_post.py). Only the lines after the first
    that begin as a date line begins (:data:`_DATE_LINE_START`, found in one pass over the lines joined) are
    matched as a date line, and the line above each as an agency line; not every line.
    """
    folded = unicodedata.normalize("NFKC", text[:_SIGNATURE_SEARCH_CHARS]).replace(" ", "")
    lines = folded.splitlines()
    if not "".join(lines).isprintable():  # white space other than a space is not printable: some may be left
        lines = _SPACES_IN_LINE.sub("", folded).splitlines()
    lines = [line for line in lines if line]
    joined = "\n".join(lines)
    found: tuple[str | None, str | None] = (None, None)
    for start in _DATE_LINE_START.finditer(joined):
        n = joined.count("\n", 0, start.end())  # the candidate is line ``n``, the one after the ``n``-th break
        date = _DATE_LINE.match(lines[n])
        if date and _AGENCY_LINE.fullmatch(lines[n - 1]) and _iso_date(date):
            found = (lines[n - 1], _iso_date(date))
    return found


def _publisher_field(lines: list[str]) -> str | None:
    """The agency of a ``发布机构:`` field (pages scraped from a government CMS), when it names one."""
    for line in lines:
        match = _PUBLISHER_FIELD.match(line)
        if match and _AGENCY_LINE.fullmatch(match["agency"]):
            return match["agency"]
    return None


def _body_title_agency(lines: list[str]) -> str | None:
    """The agency a head sentence names its report after (``公布XX局2018年度政府信息公开年度报告``)."""
    for line in lines:
        match = _BODY_TITLE.search(_compact(line))
        if match and _AGENCY_LINE.fullmatch(match["agency"]):
            return match["agency"]
    return None


def _most_named_year(text: str, pattern: re.Pattern[str] = _ANY_YEAR, min_mentions: int = MIN_YEAR_MENTIONS) -> int | None:
    """The year the body names most often (at least ``min_mentions`` times), else None."""
    counts: dict[int, int] = {}
    for match in pattern.finditer(text):
        year = int(match["year"])
        counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    year, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return year if n >= min_mentions else None


def most_named_year(text: str) -> int | None:
    """The year the text names most often, spaced or not (``2024 年``), the latest on a tie; else None.

    Unlike ``report_year`` it needs a single mention: a cut copy that lost its title, period and
    date still names its report year in its prose, which weighs the template generation.
    """
    return _most_named_year(text, _SPACED_YEAR, 1)


def _head_lines(text: str) -> list[str]:
    """Return the first non-blank lines of the head of ``text``, NFKC-folded and stripped."""
    lines: list[str] = []
    for line in text[:HEAD_CHARS].splitlines():
        folded = unicodedata.normalize("NFKC", line).strip()
        if folded:
            lines.append(folded)
            if len(lines) == HEAD_LINES:
                break
    return lines


def _compact(line: str) -> str:
    """Drop all white space (PDF text layers space out ``2024 年``)."""
    return "".join(line.split())  # str.split cuts at what \s matches (str.isspace: tests/test_speed_post.py), faster than a pattern


def _title_metadata(lines: list[str]) -> tuple[str | None, int | None]:
    """Return (agency, year) from the report title, or (None, None) without a title.

    A ``标题:`` field wins; otherwise the first short line, or pair of short lines joined, that
    reads like ``…政府信息公开工作年度报告``. A title that starts with the year and names no
    agency (``2024年政府信息公开工作年度报告``) takes the agency from the line above it.
    """
    for line in lines:
        field = _TITLE_FIELD.match(line)
        if field:
            match = _title_match(_compact(field["title"]))
            if match:
                return _agency(match), _year(match)
    compact = [_compact(line) for line in lines]
    for i, line in enumerate(compact):
        candidates = [line]
        if i + 1 < len(lines):
            candidates.append(line + compact[i + 1])  # compacting two lines joined joins them compacted
        for candidate in candidates:
            match = _title_match(candidate)
            if match:
                agency = _agency(match)
                if agency is None and i:
                    above = compact[i - 1]
                    agency = above if _AGENCY.fullmatch(above) else None
                return agency, _year(match)
    return _glued_title_metadata(lines)


def _glued_title_metadata(lines: list[str]) -> tuple[str | None, int | None]:
    """(agency, year) of a title glued to the text after it, at the start of the first line.

    Flattened copies run the title into the body (``XX局2023年政府信息公开工作年度报告本报告所列…``),
    so no line is a title; the shortest head of the first line that ends like a title and reads as
    one (:func:`_title_match`) is taken.
    """
    if not lines:
        return None, None
    head = _compact(lines[0])[:_MAX_TITLE_CHARS]
    for end in _TITLE_END.finditer(head):
        match = _title_match(head[: end.end()])
        if match:
            return _agency(match), _year(match)
    return None, None


def _title_match(line: str) -> re.Match[str] | None:
    """Match a whole title line whose agency part, if any, looks like an agency name."""
    if len(line) > _MAX_TITLE_CHARS or not line.endswith(_TITLE_ENDINGS):
        return None
    match = _TITLE.fullmatch(line)
    if match is None or not (match["year"] or "报告" in line):
        return None
    named = _clean(match["pre"] + match["mid"])
    return match if not named or _AGENCY.fullmatch(named) else None


def _agency(match: re.Match[str]) -> str | None:
    """Return the agency a title match names: the one after the year, else the one before it.

    ``定海区人民政府 / 2022年区人力社保局政府信息公开工作年度报告`` is the 区人力社保局's report on
    the 定海区 government's site: a name after the year wins, and one that starts with a bare unit
    (``区人力社保局``) takes its place name from the name before the year (``定海区人力社保局``).
    """
    pre, mid = _clean(match["pre"]), _clean(match["mid"])
    agency = pre
    if len(mid) >= 2 and mid != "人民" and match["year"]:
        agency = _complete_place(mid, pre)
    agency = agency or mid
    if not agency or len(agency) < 2:
        return None
    # "XX市人民政府信息公开年度报告": the pattern took 政府 as part of 政府信息公开.
    return agency + "政府" if agency.endswith("人民") else agency


def _complete_place(name: str, context: str) -> str:
    """Prefix ``name`` (``区人力社保局``) with the place ``context`` names (``定海区人民政府`` → 定海)."""
    for unit in _PLACE_UNITS:
        if name.startswith(unit) and unit in context:
            place = context[: context.index(unit)]
            return place + name if place else name
    return name


def _year(match: re.Match[str]) -> int | None:
    return int(match["year"]) if match["year"] else None


def _clean(text: str) -> str:
    """Strip title noise (``关于``, quotes, a trailing ``的``) from an agency name."""
    return _AGENCY_NOISE.sub("", text).removesuffix("的").removesuffix("关于")


def _fallback_year(lines: list[str], source: str | None) -> int | None:
    """Year from ``2020年政府信息公开…`` in the head, the statistics period, or the file name."""
    texts = [_compact(line) for line in lines]
    for pattern in (_YEAR_ONLY, _PERIOD_YEAR):
        for text in texts:
            match = pattern.search(text)
            if match:
                return int(match["year"])
    match = _SOURCE_YEAR.search(unicodedata.normalize("NFKC", source)) if source else None
    return int(match["year"]) if match else None


def _find_published(lines: list[str]) -> str | None:
    """Return the ISO date of a ``发布时间:`` / ``发布日期:`` field or of a bare date line."""
    for pattern, search in ((_DATE_FIELD, True), (_DATE_LINE, False)):
        for line in lines:
            match = pattern.search(line) if search else pattern.match(line)
            if match:
                date = _iso_date(match)
                if date:
                    return date
    return None


def _iso_date(match: re.Match[str]) -> str | None:
    """Return ``YYYY-MM-DD`` for a matched date, or None if it is not a calendar date."""
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    except ValueError:
        return None
