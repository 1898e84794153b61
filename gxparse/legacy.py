"""Legacy indicator tables (附表 / 统计表, 2008–2018) → table ``legacy_indicators``.

Before the 2019 national format, reports carried a vertical indicator list: ``指标名称 | 单位 |
<year> | 历年累计`` (or ``本年累计``). Rows are matched by label against the legacy template (never
by position or code); the unit is the text printed right after the label (``条``, ``件``, ``元``),
also when glued to it (``主动公开文件数条206912106``); the value columns are recognised by their
headers, and their cells are placed by the same realigner as the modern tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from gxparse.labels import MATCH_CUTOFF, align_rows, score_piece
from gxparse.ir import Item, Region, RowProblem, TableProblem
from gxparse.scan import scan_region
from gxparse.segments import Segmentation, row_constraints
from gxparse.template import TableSpec, get_template

# "其中:1.政府网站公开数" scans as "其中:", "1", ".政府网站公开数": the matched label keeps the "." of its number.
_STRAY_NUMBERING = re.compile(r"^[\s.、:：]+")

CODE = "code"  # the row code column of coded 统计报表 (01…35): read to keep cells aligned, not reported
_HEADER = re.compile(r"指\s*标\s*名\s*称|统\s*计\s*指\s*标")
_UNIT_HEADER = re.compile(r"计量单位|计算单位|单\s*位")
_VALUE_HEADERS = (
    (re.compile(r"代\s*码"), CODE),
    (re.compile(r"历年累计"), "cumulative"),
    (re.compile(r"本年累计"), "ytd"),
    (re.compile(r"(?:19|20)\d{2}\s*年度?|本年度?|本期实际|统计数|本月累计"), "current"),
)
_END = re.compile(r"附件下载|扫一扫|。|二[○〇零]\S{2,6}年")
UNITS = ("人次", "万元", "条", "件", "次", "篇", "个", "人", "元", "项", "份")
_UNIT_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff])\s*(" + "|".join(UNITS) + r")$")


@dataclass(frozen=True)
class LegacyHeader:
    """Where the indicator list starts and which value columns it prints, in order."""

    start: int
    cols: tuple[str, ...]


def find_header(text: str) -> LegacyHeader | None:
    """Find the 指标名称 header of a legacy indicator table and its value columns."""
    m = _HEADER.search(text)
    if not m:
        return None
    window = text[m.end():m.end() + 80]
    unit = _UNIT_HEADER.search(window)
    if not unit:
        return None
    found: list[tuple[int, int, str]] = []
    for pattern, key in _VALUE_HEADERS:
        for hit in pattern.finditer(window, unit.end()):
            if not any(s <= hit.start() < e for s, e, _ in found):
                found.append((hit.start(), hit.end(), key))
    found.sort()
    if not [key for _, _, key in found if key != CODE]:
        found = _unfamiliar_value_headers(window, unit.end())
    cols = tuple(dict.fromkeys(key for _, _, key in found))
    if not [c for c in cols if c != CODE]:
        return None
    return LegacyHeader(m.end() + max(e for _, e, _ in found), cols)


# Header words of the value columns are short; a longer run is already the first indicator.
MAX_HEADER_CHARS = 8
MAX_VALUE_HEADERS = 3
# A header word this close (rapidfuzz ratio) to a column's label or alias takes that column's role.
COLUMN_ROLE_CUTOFF = 70.0


def _unfamiliar_value_headers(window: str, after: int) -> list[tuple[int, int, str]]:
    """Value-column headers printed with words no known pattern names (``年末统计``, ``全年合计``).

    The header words after the unit header, up to the first indicator label, take the role of the
    column whose label or aliases they resemble most (rapidfuzz, vocabulary from the template);
    a word like none takes the next unused role in the legacy column order (current, cumulative),
    since every legacy form prints the current-year column first.
    """
    spec = get_template("legacy").table("legacy_indicators")
    vocabulary = {col.key: (col.label, *col.aliases) for col in spec.cols if col.kind != "unit"}
    found: list[tuple[int, int, str]] = []
    for token in re.finditer(r"[^\s|]+", window[after:]):
        word = _header_word(token.group(0), spec)
        if not word or len(found) == MAX_VALUE_HEADERS:
            break
        scores = {key: max(fuzz.ratio(word, name) for name in names) for key, names in vocabulary.items()}
        role = max(scores, key=scores.__getitem__)
        used = {key for _, _, key in found}
        if scores[role] < COLUMN_ROLE_CUTOFF or role in used:
            role = next((key for key in POSITIONAL_ROLES if key not in used), "")
        if not role:
            break
        found.append((after + token.start(), after + token.start() + len(word), role))
        if len(word) < len(token.group(0)):
            break  # the first indicator is glued to this header word
    return found


def _label_score(text: str, spec: TableSpec) -> float:
    return max(score_piece(text, row) for row in spec.rows)


def _header_word(token: str, spec: TableSpec) -> str:
    """The header word at the start of ``token``: all of it, or the part before a glued first indicator."""
    head = re.split(r"\d", token, maxsplit=1)[0]
    whole = _label_score(head, spec) if head else 100.0
    if whole < MATCH_CUTOFF and len(head) == len(token) and len(head) <= MAX_HEADER_CHARS:
        return head
    cuts = {cut: _label_score(head[cut:], spec) for cut in range(2, min(len(head) - 1, MAX_HEADER_CHARS) + 1)}
    best = max(cuts, key=lambda cut: (cuts[cut], -cut), default=None)
    # a glued "header + first indicator": the indicator alone matches a label better than the whole run
    return head[:best] if best is not None and cuts[best] >= max(MATCH_CUTOFF, whole) else ""


POSITIONAL_ROLES = ("current", "cumulative")


def analyze_legacy(text: str, *, kind: str = "text",
                   tagged: Region | None = None) -> dict[str, tuple[TableSpec, Region, Segmentation]]:
    """Locate and segment the legacy indicator table of ``text``; empty when there is none.

    Without a 指标名称 header, ``tagged`` (the region the line tagger found by content: a copy that
    begins inside the table) is read with the usual column order.
    """
    header = find_header(text)
    if header is None:
        if tagged is None:
            return {}
        header = LegacyHeader(tagged.start, POSITIONAL_ROLES)
    spec = get_template("legacy").table("legacy_indicators")
    stop = _END.search(text, header.start)
    end = stop.start() if stop else len(text)
    if tagged is not None and header.start == tagged.start:
        end = min(end, tagged.end)
    region = Region(spec.key, header.start, header.start, end, truncated=False)  # an indicator list often ends the page
    items = _split_units(scan_region(text, region.start, region.end, exact_cells=kind == "html"))
    seg = _segment(spec, header.cols, items)
    return {spec.key: (spec, region, seg)} if seg.matched else {}


def _split_units(items: list[Item]) -> list[Item]:
    """Cut a unit glued to the end of a label (``主动公开文件数条``) into its own text item."""
    out: list[Item] = []
    for it in items:
        m = _UNIT_SUFFIX.search(it.text) if it.kind == "text" and len(it.text.strip()) > 2 else None
        if m:
            out.append(Item("text", it.text[:m.start()], it.start, it.start + m.start(), it.line))
            out.append(Item("text", m.group(1), it.start + m.start(1), it.end, it.line, ("unit",)))
        elif it.kind == "text" and it.text.strip() in UNITS:
            out.append(Item("text", it.text.strip(), it.start, it.end, it.line, ("unit",)))
        else:
            out.append(it)
    return out


def _segment(spec: TableSpec, cols: tuple[str, ...], items: list[Item]) -> Segmentation:
    pieces = [i for i, it in enumerate(items) if it.kind == "text" and "unit" not in it.flags]
    matches = align_rows([items[i].text for i in pieces], spec.rows, monotone=False)
    items = _peel_legacy_numbering(items, pieces, matches)
    anchors = sorted((pieces[j], key) for key, (j, _) in matches.items())
    anchored = {pos for pos, _ in anchors}
    # a label followed by a unit starts a row even when it is not in the template: it ends the row before
    row_starts = [i for i in pieces if i + 1 < len(items) and "unit" in items[i + 1].flags]
    unread = [items[i].text for i in row_starts if i not in anchored]
    bounds = sorted(anchored | set(row_starts)) + [len(items)]
    value_cols = tuple(c for c in cols if c != CODE)
    problems: list[RowProblem] = []
    units: dict[str, Item] = {}
    labels: dict[str, str] = {}
    for pos, key in anchors:
        segment = items[pos + 1:next(b for b in bounds if b > pos)]
        unit = next((it for it in segment if "unit" in it.flags), None)
        if unit is not None:
            units[key] = unit
        values = [it for it in segment if it.kind != "text"]
        if CODE in cols and values and re.fullmatch(r"\d{1,3}", values[0].text):
            values = values[1:]  # the row code (01…35) is printed before the values
        problems.append(RowProblem(key, value_cols, values, row_constraints(spec, value_cols)))
        labels[key] = _STRAY_NUMBERING.sub("", items[pos].text)
    return Segmentation(TableProblem(spec.key, problems, spec.identities), labels, {p.key for p in problems},
                        "legacy", units, unread)


def _peel_legacy_numbering(items: list[Item], pieces: list[int], matches: dict[str, tuple[int, float]]) -> list[Item]:
    """Give a glued value run's last digit back to the next label's numbering (``…121062.政府公报…``)."""
    out = list(items)
    for j, _ in matches.values():
        pos = pieces[j]
        prev = out[pos - 1] if pos else None
        if prev is None or not prev.numbering_next:
            continue
        glued = pos >= 2 and out[pos - 2].kind == "num" and out[pos - 2].end == prev.start
        if len(prev.text) <= 2 and not glued:  # "1" of "其中：1.政府网站公开数": numbering only
            out[pos - 1] = Item("text", prev.text, prev.start, prev.end, prev.line, ("numbering",))
        elif len(prev.text) > 1:  # "2069121062" + ".政府公报…": the last digit numbers the label
            out[pos - 1] = Item("num", prev.text[:-1], prev.start, prev.end - 1, prev.line, ("numbering_peeled",))
    return out
