"""Report metadata read from the head of a report: issuing agency, report year, publication date.

Batch outputs are keyed by report, and a table of numbers is only useful when one knows whose
report and which year it is. The first lines of a report nearly always carry a title such as
``绵阳市安州区人力资源和社会保障局2023年政府信息公开工作年度报告`` (sometimes behind a
``标题:`` field, sometimes split over two lines) and often a ``发布时间:2024-01-24`` field or a
bare date line. :func:`extract_metadata` reads them with a few conservative patterns and returns
``None`` for whatever it cannot find rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

HEAD_LINES = 40
"""Only this many non-blank lines from the top are searched: titles and dates live there."""
HEAD_CHARS = 20_000
"""…and only within this many characters (some reports are one huge line)."""
_MAX_TITLE_CHARS = 80

_SPACES = re.compile(r"\s+")
_TITLE_FIELD = re.compile(r"^(?:标题|题目|名称)\s*[:：]\s*(?P<title>.+)$")
_TITLE = re.compile(
    r"(?P<pre>.*?)(?:(?P<year>(?:19|20)\d{2})年度?)?(?P<mid>[^年]*?)"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)[)）]?"
)
_YEAR_ONLY = re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?:政府信息公开|政务公开|信息公开)")
_SOURCE_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})年度?(?:政府|政务|信息|工作|报告|年报)")
_PERIOD_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})年1月1日(?:起)?至(?P=year)年12月31日")
_DATE = r"(?P<y>(?:19|20)\d{2})\s*(?:[-./]|年)\s*(?P<m>\d{1,2})\s*(?:[-./]|月)\s*(?P<d>\d{1,2})\s*日?"
_DATE_FIELD = re.compile(r"(?:发布|发文|成文|公开|印发)?(?:时间|日期)\s*[:：]\s*" + _DATE)
_DATE_LINE = re.compile(r"^[(（\[]?" + _DATE + r"[)）\]]?$")
_AGENCY_NOISE = re.compile(r"^(?:关于|[《“\"']+)|[》”\"']+$")
_AGENCY = re.compile(r"[\u4e00-\u9fff0-9A-Za-z()·]{2,40}")


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
        ``agency`` (str), ``report_year`` (int) and ``published`` (ISO ``YYYY-MM-DD``); each is
        ``None`` when the head of the report does not state it.
    """
    lines = _head_lines(text)
    agency, year = _title_metadata(lines)
    if year is None:
        year = _fallback_year(lines, source)
    return {"agency": agency, "report_year": year, "published": _find_published(lines)}


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
    return _SPACES.sub("", line)


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
    for i, line in enumerate(lines):
        candidates = [_compact(line)]
        if i + 1 < len(lines):
            candidates.append(_compact(line + lines[i + 1]))
        for candidate in candidates:
            match = _title_match(candidate)
            if match:
                agency = _agency(match)
                if agency is None and i:
                    above = _compact(lines[i - 1])
                    agency = above if _AGENCY.fullmatch(above) else None
                return agency, _year(match)
    return None, None


def _title_match(line: str) -> re.Match[str] | None:
    """Match a whole title line whose agency part, if any, looks like an agency name."""
    if len(line) > _MAX_TITLE_CHARS:
        return None
    match = _TITLE.fullmatch(line)
    if match is None or not (match["year"] or "报告" in line):
        return None
    named = _clean(match["pre"] + match["mid"])
    return match if not named or _AGENCY.fullmatch(named) else None


def _agency(match: re.Match[str]) -> str | None:
    """Return the agency named before or after the year of a title match."""
    agency = _clean(match["pre"]) or _clean(match["mid"])
    if not agency or len(agency) < 2:
        return None
    # "XX市人民政府信息公开年度报告": the pattern took 政府 as part of 政府信息公开.
    return agency + "政府" if agency.endswith("人民") else agency


def _year(match: re.Match[str]) -> int | None:
    return int(match["year"]) if match["year"] else None


def _clean(text: str) -> str:
    """Strip title noise (``关于``, quotes, a trailing ``的``) from an agency name."""
    return _AGENCY_NOISE.sub("", text).removesuffix("的")


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
