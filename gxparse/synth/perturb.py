"""Perturbations: damage a report's text the way scraped and converted copies really do, gold kept valid.

Our generator's variants (:mod:`gxparse.synth.variants`) change *what* a report prints; these change
*how the same values reach us*: PDF page furniture inside a table, a table re-headed after a page
break, thousands separators, full-width digits, a note row after a table, a label broken by a space
or a line, an extra empty column in pipe rows, Windows line ends, tabs and invisible characters,
enumerated prose next to a table. Each is one small function ``(text, gold, rng) -> text`` that
leaves every printed value and every table where it was, so the gold of the undamaged report is
the gold of the damaged one. ``gold`` is the report's gold annotation (corpus format); a
perturbation reads it only to know the template and which numbers are table values.

:data:`PERTURBATIONS` names these; :data:`HTML_PERTURBATIONS` names those of HTML copies (empty
cells, Word's markup, ``<th>`` headers, a table split in two, layout tables, ``<br>`` in labels, omitted end
tags: each leaves a text copy alone); :func:`perturb` applies a list of names from either. They are used by
``scripts/stress.py`` (damage measured per perturbation on the dev corpus and on fresh synthetic
seeds), by the tests, and by :func:`gxparse.synth.corpus.make_corpus` (its ``perturbations`` argument, drawn
by :func:`draw_perturbations` and named in the gold's ``variants``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from gxparse.synth.variants import variant_rate
from gxparse.template import get_template

Perturbation = Callable[[str, dict[str, Any], np.random.Generator], str]

MAX_PERTURBATIONS = 2  # a damaged synthetic report draws 1..MAX_PERTURBATIONS perturbations
PAGE_BREAKS = 3  # page breaks dropped into a report's table zone (a 3-table report spans 2–4 PDF pages)
LABEL_BREAKS = 4  # row labels damaged in one report
SEPARATED_MIN = 1000  # the smallest value a thousands separator is printed in
_NUMBERED = r"(?:(?:表\s*)?[一二三四五六七八九十]{1,2}\s*[、.:：]?\s*)?"
_TAG_OR_SPACE = r"(?:^|(?<=[\s|>]))"
_END_TAG_OR_SPACE = r"(?=[\s|<]|$)"
_HTML = re.compile(r"<t[dhr][\s>]", re.IGNORECASE)


def _is_html(text: str) -> bool:
    return bool(_HTML.search(text))


def _gov_tables(gold: dict[str, Any]) -> Sequence[Any]:
    template = gold.get("template")
    return get_template(template).tables if template in ("gov2021", "gov2019") else ()


def heading_spans(text: str, gold: dict[str, Any]) -> list[tuple[int, int]]:
    """Spans of the table section headings of ``text`` (numbering included), at most one per table.

    A numbered hit (``二、主动公开…``) is preferred over a mention in the preamble's list of sections;
    a legacy report (one table under a caption) has none.
    """
    spans: list[tuple[int, int]] = []
    for table in _gov_tables(gold):
        hits = [m for keyword in table.heading_keywords
                for m in re.finditer(_NUMBERED + r"[\s|]*".join(map(re.escape, keyword)), text)]
        hits = [m for m in hits if not any(s <= m.start() < e for s, e in spans)]
        if hits:
            best = max(hits, key=lambda m: (m.group(0)[0] in "一二三四五六七八九十表", -m.start()))
            spans.append((best.start(), best.end()))
    return sorted(spans)


def _table_zone(lines: list[str], text: str, gold: dict[str, Any]) -> tuple[int, int]:
    """Line indices ``[first, last]`` of the zone the tables print in: the first table heading (or the
    first number-bearing line) to the last line that holds one of the gold's table values."""
    values = _table_values(gold)
    starts = np.cumsum([0] + [len(line) + 1 for line in lines])
    spans = heading_spans(text, gold)
    first = int(np.searchsorted(starts, spans[0][0], side="right")) - 1 if spans else 0
    holding = [i for i, line in enumerate(lines) if i >= first and any(v in line for v in values)]
    if not holding:
        return first, first
    return (first if spans else holding[0]), holding[-1]


def _table_values(gold: dict[str, Any]) -> set[str]:
    """The gold's table values as printed (integers and decimals, no sign)."""
    out = set()
    for rows in (gold.get("tables") or {}).values():
        for cells in rows.values():
            for value in cells.values():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    out.add(str(abs(value)) if isinstance(value, int) or not float(value).is_integer() else str(int(abs(value))))
    return out


def _text_zone(text: str, gold: dict[str, Any]) -> tuple[list[str], int, int] | None:
    """A plain-text copy's lines and its table zone (:func:`_table_zone`); ``None`` for HTML or no zone."""
    if _is_html(text):
        return None
    lines = text.split("\n")
    first, last = _table_zone(lines, text, gold)
    return None if last <= first else (lines, first, last)


def _insert_lines(text: str, gold: dict[str, Any], rng: np.random.Generator, count: int,
                  make: Callable[[int], list[str]]) -> str:
    """Insert ``make(k)`` (a few lines) after ``count`` random lines of the table zone (k = 1, 2 …)."""
    zone = _text_zone(text, gold)
    if zone is None:
        return text
    lines, first, last = zone
    picks = sorted(rng.choice(np.arange(first + 1, last + 1), size=min(count, last - first), replace=False).tolist())
    for k, at in enumerate(reversed(picks)):
        lines[at:at] = make(len(picks) - k)
    return "\n".join(lines)


TITLE_MAX = 50  # a running header longer than this is no title line
_TITLE = re.compile(r"^\s*(?:标题\s*[:：]\s*)?(\S[^\n]*(?:年度报告|年报))\s*$", re.MULTILINE)


def _title(text: str) -> str:
    """The report's title line (the first short line that ends in 年度报告), else a generic one."""
    titles = [m.group(1) for m in _TITLE.finditer(text) if len(m.group(1)) <= TITLE_MAX]
    return titles[0] if titles else "政府信息公开工作年度报告"


PAGE_FOOTER_STYLES = ("— {n} —", "- {n} -", "第 {n} 页 共 {t} 页", "{n}", "第{n}页")
MIN_PAGE_CHARS = 200  # a page holds at least this many characters (a sparse table page); a page of prose holds ~800


def page_footer(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """PDF text layers print each page's footer where the page ends, often mid-table: ``— 3 —``,
    ``- 3 -``, ``第 3 页 共 12 页`` or a bare page number on its own line."""
    return page_footers(text, gold, rng, PAGE_FOOTER_STYLES[int(rng.integers(len(PAGE_FOOTER_STYLES)))])


def bare_page_numbers(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """:func:`page_footer` in its hardest style: each page's number alone on a line (``3``), which taken
    alone looks like a cell of a table printed one cell per line."""
    return page_footers(text, gold, rng, "{n}")


def page_footers(text: str, gold: dict[str, Any], rng: np.random.Generator, style: str) -> str:
    """Cut ``text`` into pages of equal length and print ``style`` (``{n}`` the page, ``{t}`` the page
    count) on its own line at the end of each page, through the whole report as a PDF does (prose
    pages too). The page length puts about :data:`PAGE_BREAKS` page ends into the table zone."""
    zone = _text_zone(text, gold)
    if zone is None:
        return text
    lines, first, last = zone
    starts = np.cumsum([0] + [len(line) + 1 for line in lines])
    zone_chars = int(starts[last + 1] - starts[first])
    page = max(MIN_PAGE_CHARS, int(zone_chars / (PAGE_BREAKS + rng.random())))
    ends = range(int(rng.integers(page)) + page // 2, len(text), page)
    picks = sorted({int(np.searchsorted(starts, end, side="left")) for end in ends} - {0, len(lines)})
    total = len(picks) + 1
    for k, at in enumerate(reversed(picks)):
        lines[at:at] = [style.format(n=len(picks) - k, t=total)]
    return "\n".join(lines)


def running_header(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A PDF page begins with a running header: the report's title (with its year), then the page
    number, printed into the middle of whatever table spans the page break."""
    title = _title(text)
    return _insert_lines(text, gold, rng, PAGE_BREAKS, lambda k: ["", title, f"- {k + 1} -", ""])


def _header_block(text: str, start: int, gold: dict[str, Any]) -> list[str]:
    """The lines a table prints between its heading (ending at ``start``) and its first value line."""
    values = _table_values(gold)
    block = []
    for line in text[start:].split("\n")[1:]:
        if re.search(r"\d", line) and (any(v in line for v in values) or re.search(r"\d\s*$", line)):
            break
        block.append(line)
    labels = {row.label for table in _gov_tables(gold) for row in table.rows if row.label}
    while block and (not block[-1].strip() or any(label[:4] in block[-1] for label in labels)):
        block.pop()
    return block


def reheaded_page_break(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A table split by a page break, its second half re-headed: the column header printed again
    (sometimes after 续表) in the middle of the rows of the table that spans the page."""
    if _is_html(text):
        return text
    spans = heading_spans(text, gold)
    if not spans:
        return text
    start, end = spans[int(rng.integers(len(spans)))]
    header = _header_block(text, end, gold)
    next_start = min((s for s, _ in spans if s > start), default=len(text))
    body = text[end:next_start].split("\n")
    values = _table_values(gold)
    first_value = next((i for i, line in enumerate(body) if any(v in line for v in values)), len(body))
    labels = [row.label[:3] for table in _gov_tables(gold) for row in table.rows if len(row.label) >= 3]
    # a page breaks between two rows: before a later line that begins with a row label or a row numbering
    starts = [i for i, line in enumerate(body) if i > first_value
              and (re.match(r"\s*[|]?\s*(?:[(（]?[一二三四五六七八九十]+[、.)）]|\d[.、])", line)
                   or any(line.lstrip(" |").startswith(label) for label in labels))]
    if not header or len(starts) < 2:
        return text
    at = starts[int(rng.integers(len(starts)))]
    body[at:at] = (["续表"] if rng.random() < 0.5 else []) + header
    return text[:end] + "\n".join(body) + text[next_start:]


def _number_tokens(text: str, gold: dict[str, Any], minimum: int) -> Iterator[re.Match[str]]:
    """Standalone integer tokens (between spaces, pipes, tags or line ends) that are table values ≥ ``minimum``."""
    values = {v for v in _table_values(gold) if v.isdigit() and int(v) >= minimum}
    for m in re.finditer(_TAG_OR_SPACE + r"\d+" + _END_TAG_OR_SPACE, text, re.MULTILINE):
        if m.group(0) in values:
            yield m


def thousands_separators(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Numbers from a spreadsheet keep its display format: ``1,234`` (or ``1，234`` after a full-width
    conversion) for every separated table value of four digits or more."""
    comma = "," if rng.random() < 0.6 else "，"
    out, done = [], 0
    for m in _number_tokens(text, gold, SEPARATED_MIN):
        out += [text[done:m.start()], f"{int(m.group(0)):,}".replace(",", comma)]
        done = m.end()
    return "".join(out) + text[done:]


def fullwidth_digits(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Word processors and some CMSs print digits full-width (``１２３``), the whole text or its tables."""
    return text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))


def note_after_tables(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Tables are followed by a note row: ``注：`` plus a sentence with dates and numbers, printed
    between the table and the next section's heading."""
    notes = ("注：本表数据统计时间为{y}年1月1日至{y}年12月31日。",
             "注：1.表中数据均为本机关数据；2.收费金额单位为万元。",
             "说明：本表中“0”表示无此项，空白表示不适用。",
             "注：上年结转申请{n}件已于{y}年3月前办结。")
    spans = heading_spans(text, gold)
    if _is_html(text) or len(spans) < 2:
        return text
    year = str(gold.get("year") or 2023)
    out = text
    for start, _ in reversed(spans[1:]):
        note = notes[int(rng.integers(len(notes)))].format(y=year, n=int(rng.integers(1, 30)))
        cut = out.rfind("\n", 0, start)
        cut = start if cut < 0 else cut
        out = out[:cut] + "\n" + note + out[cut:]
    return out


def _label_hits(text: str, gold: dict[str, Any]) -> list[tuple[int, int]]:
    """Where the template's row labels (four characters or more) are printed in the table zone."""
    labels = {label for table in get_template(gold["template"]).tables for row in table.rows
              for label in (row.label, *row.aliases) if len(label) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", label)}
    lines = text.split("\n")
    first, last = _table_zone(lines, text, gold)
    lo = sum(len(line) + 1 for line in lines[:first])
    hi = sum(len(line) + 1 for line in lines[: last + 1])
    hits = [(m.start(), m.end()) for label in labels for m in re.finditer(re.escape(label), text[lo:hi])]
    return sorted({(s + lo, e + lo) for s, e in hits})


def _break_labels(text: str, gold: dict[str, Any], rng: np.random.Generator, gap: str) -> str:
    if not gold.get("template") or _is_html(text):
        return text
    hits = _label_hits(text, gold)
    if not hits:
        return text
    picks = sorted(rng.choice(len(hits), size=min(LABEL_BREAKS, len(hits)), replace=False).tolist())
    out = text
    for i in reversed(picks):
        start, end = hits[i]
        at = int(rng.integers(start + 1, end))
        out = out[:at] + gap + out[at:]
    return out


def label_space(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """PDF text extraction and justified Word tables print a space inside a row label: ``行政处 罚 6``."""
    return _break_labels(text, gold, rng, " ")


def label_line_break(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A narrow label column wraps a long row label over two lines in the text layer: ``行政规范\\n性文件``."""
    return _break_labels(text, gold, rng, "\n")


def pipe_extra_column(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A table converted to pipe rows carries an extra empty column: a trailing ``|`` or ``| |``
    on every row (merged cells or a ruled border the converter read as a column)."""
    extra = 1 if rng.random() < 0.5 else 2

    def widen(m: re.Match[str]) -> str:
        row = m.group(1)
        rule = re.fullmatch(r"[\s|:-]+", row) is not None  # a Markdown rule row (|---|---|) gains rule cells
        return row + ("---|" if rule else " |") * extra

    return re.sub(r"^([^\n]*\|[^\n]*\|)[ \t]*$", widen, text, flags=re.MULTILINE)


def windows_whitespace(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A Windows copy: CRLF line ends, tabs where the columns were aligned with spaces, NBSP padding."""
    text = re.sub(r"(?<=\S) {2,}(?=\S)", "\t", text)
    text = re.sub(r"(?<=\S) (?=\d)", "\u00a0", text)
    return text.replace("\n", "\r\n")


def invisible_characters(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Copies from web editors carry zero-width spaces, BOMs and soft hyphens between the characters
    of their text (never inside an HTML tag or entity, which the editor writes itself)."""
    marks = ("\u200b", "\ufeff", "\u00ad", "\u200c")
    markup = [(m.start(), m.end()) for m in re.finditer(r"<[^>]*>|&#?\w+;", text)]
    inside = np.zeros(len(text) + 1, dtype=bool)
    for start, end in markup:
        inside[start + 1 : end] = True
    places = np.flatnonzero(~inside[: len(text)])
    if not len(places):
        return text
    chars = list(text)
    for at in sorted(rng.choice(places, size=min(len(places) // 40, 400), replace=False).tolist(), reverse=True):
        chars.insert(at, marks[int(rng.integers(len(marks)))])
    return "".join(chars)


def enumerated_prose(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Prose right under a table heading enumerated like the table's rows (``1.`` ``（1）`` ``一是``),
    with counts in it, before the table itself begins."""
    paragraphs = ("（1）全年共办理依申请公开{a}件，较上年增长{b}%；（2）按时办结率100%。",
                  "1.主动公开文件{a}件；2.通过政府网站发布信息{b}条。",
                  "一是共收到申请{a}件，二是答复{b}件，均在法定期限内办结。")
    spans = heading_spans(text, gold)
    if _is_html(text) or not spans:
        return text
    out = text
    for _, end in reversed(spans):
        line_end = out.find("\n", end)
        line_end = len(out) if line_end < 0 else line_end
        para = paragraphs[int(rng.integers(len(paragraphs)))].format(a=int(rng.integers(2, 400)), b=int(rng.integers(2, 60)))
        out = out[:line_end] + "\n" + para + out[line_end:]
    return out


# How a cell's content is written. Real copies print the same values in other scripts and marks: a Hong
# Kong/Taiwan-style or converted copy in traditional script, full-width marks from a Chinese input method,
# units typed into the cells, zeros typed as letters or Chinese numerals, a hyphen for a placeholder, and
# cells that lost some of the spaces between them.
_PLACEHOLDER_TOKEN = re.compile(_TAG_OR_SPACE + r"(?:[—―─━－]{1,4}|/|／|无)" + _END_TAG_OR_SPACE, re.MULTILINE)
_PIPE_ROW = re.compile(r"^[^\n]*\|[^\n]*\|[^\n]*$", re.MULTILINE)
ZERO_SHAPES = ("〇", "O", "○")  # a zero typed as the Chinese numeral, the capital letter, or a circle
UNIT_SUFFIXES = ("件", "条")  # the units of counts the table-二/三 cells print after their numbers


def _zone_span(text: str, gold: dict[str, Any]) -> tuple[int, int]:
    """Character span of the table zone (:func:`_table_zone`; the whole text when it is one line or HTML)."""
    lines = text.split("\n")
    first, last = _table_zone(lines, text, gold)
    if last <= first:
        return 0, len(text)
    starts = np.cumsum([0] + [len(line) + 1 for line in lines])
    return int(starts[first]), int(starts[last + 1])


def traditional_script(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A copy in traditional script (a converted page, or a report typed with a traditional input method):
    headings, row labels and column headers in 繁體 (``行政復議``, ``申請``), the digits unchanged."""
    import opencc

    if _is_html(text):
        return re.sub(r"(?<=>)[^<]+", lambda m: opencc.OpenCC("s2t").convert(m.group(0)), text)
    return opencc.OpenCC("s2t").convert(text)


def fullwidth_marks(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A Chinese input method's full-width marks in the tables: ``｜`` for the pipes of pipe rows, ``：``
    ``（）`` for the colons and brackets of the zone's labels."""
    lo, hi = _zone_span(text, gold)
    zone = text[lo:hi]
    if not _is_html(text):
        zone = _PIPE_ROW.sub(lambda m: m.group(0).replace("|", "｜"), zone)
    zone = re.sub(r"(?<=[\u4e00-\u9fff]):", "：", zone)
    zone = re.sub(r"\(([^()\n]{1,12})\)", r"（\1）", zone)
    return text[:lo] + zone + text[hi:]


def unit_in_cells(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Cells that print their unit after the number (``3件``, ``12条``): every standalone integer table value
    of the zone gets the report's count unit."""
    unit = UNIT_SUFFIXES[int(rng.integers(len(UNIT_SUFFIXES)))]
    lo, hi = _zone_span(text, gold)
    out, done = [], 0
    for m in _number_tokens(text, gold, 0):
        if lo <= m.start() < hi:
            out += [text[done:m.end()], unit]
            done = m.end()
    return "".join(out) + text[done:]


def letter_zeros(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Zeros typed as ``〇`` (the Chinese numeral), ``O`` (the letter) or ``○``: every standalone ``0`` cell
    of the zone, in one shape per report."""
    shape = ZERO_SHAPES[int(rng.integers(len(ZERO_SHAPES)))]
    lo, hi = _zone_span(text, gold)
    if "0" not in _table_values(gold):
        return text
    pattern = re.compile(_TAG_OR_SPACE + r"0" + _END_TAG_OR_SPACE, re.MULTILINE)
    return text[:lo] + pattern.sub(shape, text[lo:hi]) + text[hi:]


GLUED_GAP_SHARE = 0.5  # the share of the gaps between two numbers a partly glued copy loses


def partly_glued_cells(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A scraped page that kept the spaces between some cells and lost the others (``00 00000``, as the
    wild corpus's copies print rows): about :data:`GLUED_GAP_SHARE` of the gaps between two numbers
    of the table zone are closed, in plain-text copies."""
    if _is_html(text):
        return text
    lo, hi = _zone_span(text, gold)
    zone = re.sub(r"(?<=\d)[ \t]+(?=\d)", lambda m: "" if rng.random() < GLUED_GAP_SHARE else m.group(0), text[lo:hi])
    return text[:lo] + zone + text[hi:]


def dash_placeholders(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A placeholder typed as one ASCII hyphen: every standalone ``—``, ``/`` or ``无`` cell of the zone becomes ``-``."""
    lo, hi = _zone_span(text, gold)
    return text[:lo] + _PLACEHOLDER_TOKEN.sub("-", text[lo:hi]) + text[hi:]


# HTML copies. A report scraped from a government site is an HTML page; these damage the markup the way
# CMS editors, Word's "save as web page" and page templates do, every value left in its cell.
_CELL = re.compile(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]\s*>)", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr\s*>", re.IGNORECASE | re.DOTALL)
_TABLE = re.compile(r"<table\b[^>]*>.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_ROWSPAN = re.compile(r"""rowspan\s*=\s*["']?(\d+)""", re.IGNORECASE)
_BLANK_CONTENT = re.compile(r"(?:\s|&nbsp;|\u00a0|\u3000|[—/－-]|无)*")
_NUMBER_CONTENT = re.compile(r"\s*[\d.,，]+\s*")
_CELL_WRAPPER = re.compile(r"^\s*<p\b[^>]*>(.*)</p>\s*$", re.IGNORECASE | re.DOTALL)
_EMPTY_CELLS = ("", "&nbsp;", "<p>&nbsp;</p>", "\u3000", " ")
_WORD_HEAD = ("<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
              "xmlns:w=\"urn:schemas-microsoft-com:office:word\"><head><meta http-equiv=Content-Type "
              "content=\"text/html; charset=utf-8\"><meta name=Generator content=\"Microsoft Word 15\">"
              "<style><!-- p.MsoNormal {mso-style-parent:\"\"; margin:0cm; font-size:10.5pt; "
              "font-family:等线;} @page WordSection1 {size:595.3pt 841.9pt;} --></style></head>"
              "<body lang=ZH-CN style='text-justify-trim:punctuation'><div class=WordSection1>")
_LAYOUT_OPEN = ("<table width=\"100%\" border=\"0\"><tr><td class=\"nav\">首页 &gt; 政府信息公开 &gt; 年度报告</td></tr>"
                "<tr><td><div class=\"article\"><table width=\"100%\"><tr><td>")
_LAYOUT_CLOSE = "</td></tr></table></div></td></tr><tr><td>主办单位：本机关办公室 联系电话：0000-1234567</td></tr></table>"


def _cell_content(inner: str) -> str:
    """A cell's content without the ``<p>`` the generator may wrap it in."""
    m = _CELL_WRAPPER.match(inner)
    return m.group(1) if m else inner


def html_empty_cells(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A CMS table leaves a blank cell empty (``<td></td>``), or fills it with ``&nbsp;``, a ``<p>&nbsp;</p>``
    or a full-width space, where the report printed a placeholder (—, /, 无)."""
    if not _is_html(text):
        return text

    def empty(m: re.Match[str]) -> str:
        content = _cell_content(m.group(2))
        if not content.strip() or not _BLANK_CONTENT.fullmatch(content):
            return m.group(0)
        return m.group(1) + _EMPTY_CELLS[int(rng.integers(len(_EMPTY_CELLS)))] + m.group(3)

    return _CELL.sub(empty, text)


def _styled(content: str, word: bool) -> str:
    """``content`` wrapped the way a rich-text editor (or Word, with ``<o:p>``) wraps a cell's text."""
    font = "font-size:10.5pt;font-family:宋体;mso-ascii-font-family:\"Times New Roman\"" if word else "font-family:仿宋;font-size:14px"
    if _NUMBER_CONTENT.fullmatch(content):
        content = f"<span lang=EN-US>{content}</span>" if word else f"<strong>{content}</strong>"
    tail = "<o:p></o:p>" if word else ""
    cls = " class=MsoNormal" if word else ""
    return f"<p{cls} align=center style='text-align:center'><span style='{font}'>{content}{tail}</span></p>"


def html_styled_cells(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A rich-text editor wraps every cell's text in ``<p><span style=…>`` (numbers in ``<strong>``)."""
    if not _is_html(text):
        return text
    return _CELL.sub(lambda m: m.group(1) + _styled(_cell_content(m.group(2)), word=False) + m.group(3), text)


def html_word_export(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Word's "save as web page": an ``xmlns:o`` page with mso styles in its head, a ``WordSection1`` div,
    cells styled with mso borders, each cell's text in ``<p class=MsoNormal><span …>…<o:p></o:p>``, and
    ``<o:p>&nbsp;</o:p>`` paragraphs between blocks."""
    if not _is_html(text):
        return text
    cell_style = " valign=top style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt'"

    def word_cell(m: re.Match[str]) -> str:
        opener = m.group(1)[:-1] + cell_style + ">"
        return opener + _styled(_cell_content(m.group(2)), word=True) + m.group(3)

    body = _CELL.sub(word_cell, text)
    body = re.sub(r"<table\b", "<table class=MsoTableGrid style='border-collapse:collapse;mso-yfti-tbllook:1184'", body)
    body = re.sub(r"</table>", "</table><p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>", body)
    return _WORD_HEAD + body + "</div></body></html>"


def html_th_headers(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Header rows written with ``<th>`` (and put in a ``<thead>`` when they open the table): every row
    that holds no number."""
    if not _is_html(text):
        return text

    def header_row(m: re.Match[str]) -> str:
        row = m.group(0)
        if any(_NUMBER_CONTENT.fullmatch(re.sub(r"<[^>]*>", "", c.group(2))) for c in _CELL.finditer(row)):
            return row
        return re.sub(r"<(/?)td\b", r"<\1th", row, flags=re.IGNORECASE)

    return _ROW.sub(header_row, text)


def _split_points(table: str) -> list[int]:
    """Offsets in ``table`` between two rows (past the first two) that no ``rowspan`` crosses."""
    points, pending = [], 0
    rows = list(_ROW.finditer(table))
    for i, row in enumerate(rows):
        if i >= 2 and pending == 0:
            points.append(row.start())
        pending = max(pending - 1, 0)
        spans = [int(s) for s in _ROWSPAN.findall(row.group(0))]
        pending = max([pending] + [s - 1 for s in spans])
    return points


def html_split_table(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A table split in two ``<table>`` elements between two rows (a page break in the Word original, or
    a CMS that closes the table at a paste boundary), sometimes with an empty paragraph between."""
    if not _is_html(text):
        return text
    tables = [(m, _split_points(m.group(0))) for m in _TABLE.finditer(text)]
    tables = [(m, points) for m, points in tables if points and "<table" not in m.group(0)[6:]]
    if not tables:
        return text
    m, points = tables[int(rng.integers(len(tables)))]
    at = m.start() + points[int(rng.integers(len(points)))]
    gap = "<p>&nbsp;</p>" if rng.random() < 0.5 else ""
    return text[:at] + "</tbody></table>" + gap + '<table border="1" cellspacing="0"><tbody>' + text[at:]


def html_layout_table(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A site template puts the article in layout tables: a navigation row, the report inside a cell of
    a nested ``<table width=100%>``, a footer row with the site's contacts."""
    if not _is_html(text):
        return text
    return _LAYOUT_OPEN + text + _LAYOUT_CLOSE


def html_label_breaks(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """A narrow label column: the editor breaks long row labels with ``<br>`` (``行政规范<br>性文件``)."""
    if not _is_html(text) or not gold.get("template"):
        return text
    labels = {label for table in get_template(gold["template"]).tables for row in table.rows
              for label in (row.label, *row.aliases) if len(label) >= 4}

    def wrap(m: re.Match[str]) -> str:
        content = _cell_content(m.group(2))
        if content not in labels or rng.random() < 0.5:
            return m.group(0)
        at = int(rng.integers(2, len(content) - 1))
        return m.group(1) + content[:at] + ("<br>" if rng.random() < 0.5 else "<br />\n") + content[at:] + m.group(3)

    return _CELL.sub(wrap, text)


def html_optional_end_tags(text: str, gold: dict[str, Any], rng: np.random.Generator) -> str:
    """Hand-written or old CMS markup omits the end tags HTML allows to omit: ``</td>``, ``</th>``,
    ``</tr>``, ``</p>`` and ``</tbody>``."""
    if not _is_html(text):
        return text
    return re.sub(r"</(?:td|th|tr|p|tbody)\s*>", "", text, flags=re.IGNORECASE)


HTML_PERTURBATIONS: dict[str, Perturbation] = {
    "html_empty_cells": html_empty_cells,
    "html_styled_cells": html_styled_cells,
    "html_word_export": html_word_export,
    "html_th_headers": html_th_headers,
    "html_split_table": html_split_table,
    "html_layout_table": html_layout_table,
    "html_label_breaks": html_label_breaks,
    "html_optional_end_tags": html_optional_end_tags,
}
"""Damage to HTML copies; kept out of :data:`PERTURBATIONS` so the draws of
:func:`draw_perturbations` (and the synthetic sets rendered with them) do not change."""

PERTURBATIONS: dict[str, Perturbation] = {
    "page_footer": page_footer,
    "bare_page_numbers": bare_page_numbers,
    "running_header": running_header,
    "reheaded_page_break": reheaded_page_break,
    "thousands_separators": thousands_separators,
    "fullwidth_digits": fullwidth_digits,
    "note_after_tables": note_after_tables,
    "label_space": label_space,
    "label_line_break": label_line_break,
    "pipe_extra_column": pipe_extra_column,
    "windows_whitespace": windows_whitespace,
    "invisible_characters": invisible_characters,
    "enumerated_prose": enumerated_prose,
}


CELL_PERTURBATIONS: dict[str, Perturbation] = {
    "traditional_script": traditional_script,
    "fullwidth_marks": fullwidth_marks,
    "unit_in_cells": unit_in_cells,
    "letter_zeros": letter_zeros,
    "dash_placeholders": dash_placeholders,
    "partly_glued_cells": partly_glued_cells,
}
"""How a cell's content is written (script, marks, units, zeros, placeholders); kept out of
:data:`PERTURBATIONS`, like :data:`HTML_PERTURBATIONS`, so the synthetic sets' draws do not change."""


def perturb(text: str, gold: dict[str, Any], names: Sequence[str], rng: np.random.Generator) -> str:
    """Apply the named perturbations to ``text`` in order (unknown names raise ``KeyError``)."""
    for name in names:
        text = {**PERTURBATIONS, **HTML_PERTURBATIONS, **CELL_PERTURBATIONS}[name](text, gold, rng)
    return text


def draw_perturbations(rng: np.random.Generator, rate: float | str) -> tuple[str, ...]:
    """Draw the perturbations of one synthetic report (in :data:`PERTURBATIONS` order).

    ``rate`` is ``"none"``, ``"all"`` or the probability that a report is damaged at all
    (:func:`~gxparse.synth.variants.variant_rate`); a damaged one draws 1..:data:`MAX_PERTURBATIONS`.
    """
    p = variant_rate(rate)
    if p == 0.0 or rng.random() >= p:
        return ()
    names = list(PERTURBATIONS)
    chosen = set(rng.permutation(names)[: int(rng.integers(1, MAX_PERTURBATIONS + 1))].tolist())
    return tuple(name for name in names if name in chosen)
