"""Glued rows: the cells of a row printed with no separator (``15130000154``), on one or a few lines.

Fits a region the scanner reads inline (:func:`gxparse.scan.detect_mode`) whose multi-cell rows,
anchored at their labels, hold far fewer value items than they have cells: each digit run holds
several cells. The rows stay anchored; splitting each run into cells is the realigner's work
(:mod:`gxparse.candidates`).

In a glued copy nothing but the digits separates one row label from the next, so labels of rows
printed blank (and group labels) run together into one text piece
(``二、上年结转…数量三、本年度办理结果(一)予以公开``, ``规章行政规范性文件第二十条第(五)项…``).
Before anchoring (:func:`anchored_apart`), text pieces are cut where one of the template's row or
group numberings begins (:func:`split_at_numbering`) and, in a table without numbered rows, at each
of its row labels and block captions (:func:`split_at_labels`); a placeholder glued after a number
becomes a placeholder cell (:func:`split_leading_placeholders`), and so does a dash between a label and
the number glued after it (:func:`split_trailing_dashes`) and a slash or dash mark touching a number
(:func:`split_glued_marks`); a number printed with thousands separators is a glued run they rule
(:func:`with_grouped_runs`). Each printed label then anchors its
own row, and a blank row comes out with ``None`` cells, not absent. The inline reading
(:mod:`gxparse.layouts.inline`) uses the same cut.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from gxparse.candidates import NARRATIVE_TAIL
from gxparse.ir import Item, LayoutRegion, Segmentation
from gxparse.layouts.base import anchored, region_mode, scanned, with_empty_line_blanks
from gxparse.locate import ends_in_narrative_number
from gxparse.scan import GROUPED_RUN
from gxparse.segments import segment_anchored
from gxparse.template import TableSpec

GLUED_FIT = 0.6
"""Above the plain inline reading (same cut, more specific evidence), below a grid or separated cells."""
GLUED_ITEM_SHARE = 0.5
"""At most this many value items per cell of the found multi-cell rows. Measured on the dev and wild
corpora and synthetic renderings: glued 三/四 tables hold 0.07–0.25 items per cell, space-separated
and one-per-line ones 0.75–1.1 (blanks printed as nothing lower it; a grid or PDF layer is ≈ 1)."""


class Glued:
    """Digit runs that hold several cells of a row."""

    name = "glued"
    ceiling = GLUED_FIT

    def fit(self, region: LayoutRegion) -> float:
        """:data:`GLUED_FIT` when the region's rows hold far fewer value items than cells, else 0."""
        if region_mode(region) != "inline":
            return 0.0
        seg = self.segment(region)
        width = {row.key: len(row.cols) for row in region.spec.rows}
        rows = [row for row in seg.problem.rows if row.key in seg.matched and width[row.key] > 1]
        cells = sum(width[row.key] for row in rows)
        # an empty line that stands for a blank cell is a printed cell (one cell per line), not a glued one
        values = sum(1 for row in rows for item in with_empty_line_blanks(region.text, row).items
                      if item.kind in ("num", "ph") or "blank_line" in item.flags)
        return GLUED_FIT if cells and values <= GLUED_ITEM_SHARE * cells else 0.0

    def segment(self, region: LayoutRegion) -> Segmentation:
        """Anchor the rows at their labels, cut apart (:func:`anchored_apart`); each glued run stays whole under its row."""
        return anchored_apart(region)


def anchored_apart(region: LayoutRegion) -> Segmentation:
    """The anchored cut of the inline scan after labels run together are cut apart (cached on the region).

    The numbers of captions glued to a row (``行政事业性收费附表2``) are left out
    (:func:`without_caption_numbers`), placeholders glued after a number are split off
    (:func:`split_leading_placeholders`), then text
    pieces are cut at row numberings (:func:`split_at_numbering`) and at un-numbered row labels
    (:func:`split_at_labels`). Any inline reading of cells can run blank rows' labels together.
    """
    key = "anchored:apart"
    if key not in region.readings:
        items = apart_items(region)
        # nothing cut apart (most regions): the plain anchored cut, which the value-line fit has already made
        same = items is scanned(region, "inline")
        region.readings[key] = anchored(region, "inline") if same else segment_anchored(region.spec, items)
    seg: Segmentation = region.readings[key]  # type: ignore[assignment]
    return seg


def apart_items(region: LayoutRegion) -> list[Item]:
    """The inline scan of ``region`` with labels run together cut apart, as :func:`anchored_apart` anchors it
    (cached on the region; the scan itself when nothing was cut)."""
    key = "scan:apart"
    if key not in region.readings:
        scan = scanned(region, "inline")
        items = split_trailing_dashes(split_leading_placeholders(split_glued_marks(without_caption_numbers(scan))))
        items = split_at_labels(split_at_numbering(items, region.spec), region.spec)
        items = with_narrative_tail(with_grouped_runs(items, region.text), region.text)
        region.readings[key] = scan if items == scan else items
    cut: list[Item] = region.readings[key]  # type: ignore[assignment]
    return cut


def with_grouped_runs(items: list[Item], text: str) -> list[Item]:
    """Read each number printed with thousands separators as a glued run (:data:`~gxparse.scan.GROUPED_RUN`).

    In a glued copy the digits before a number's first separator may end the cell before it
    (``采购162,085`` = 16 | 2,085): the separators rule the cuts, the candidate reader and the row's
    identities choose among them, the number whole among them.
    """
    return [Item("num", text[it.start:it.end], it.start, it.end, it.line, (*it.flags, GROUPED_RUN))
            if it.kind == "num" and "thousands" in it.flags and "," in text[it.start:it.end] else it for it in items]


def with_narrative_tail(items: list[Item], text: str) -> list[Item]:
    """Flag a digit run that ends in the number of a sentence glued after it (:data:`NARRATIVE_TAIL`).

    With no break between a table and the narrative after it, the last cells run on into the
    sentence's first number (``…总计00 00020002000002020年,我单位…``). The region keeps the run
    (:func:`gxparse.locate.ends_in_narrative_number`); the flag lets the candidate reader end the
    row before the sentence's digits, wherever the cells' identities and priors put the cut.
    """
    return [Item(it.kind, it.text, it.start, it.end, it.line, (*it.flags, NARRATIVE_TAIL))
            if it.kind == "num" and it.text.isdigit() and ends_in_narrative_number(text, it.start) else it
            for it in items]


_CAPTION_END = re.compile(r"(?:附\s*表|附\s*件)\s*$")
"""A text piece that ends in a caption word: the number glued after it numbers the caption (附表2)."""
MAX_CAPTION_DIGITS = 2
"""A caption counts tables or attachments (附表1 … 附表12), never more."""


def without_caption_numbers(items: list[Item]) -> list[Item]:
    """Leave out a number glued right after ``附表`` / ``附件``: a caption's number, not a cell.

    In a glued copy the caption of the next table runs on from the last row of this one
    (``行政事业性收费附表2收到和处理…``); its ``2`` would fill the blank fee cell.
    """
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (item.kind == "num" and item.text.isdigit() and len(item.text) <= MAX_CAPTION_DIGITS and prev is not None
                and prev.kind == "text" and prev.end == item.start and _CAPTION_END.search(prev.text)):
            continue
        out.append(item)
    return out


_LEADING_PLACEHOLDER = re.compile(r"无{1,4}(?![法正关])|[—―─━]{2,}|[—―─━]$|/{1,4}")
"""A placeholder run at the start of a text piece: the scanner's glued placeholders (``无``, dashes,
slashes), without the words that begin with 无 (无法, 无正当, 无关). A single dash counts only as a
whole piece (``000000—6.属于…``: a total printed as ``—`` between the row's zeros and the next
numbering); before a label it may be punctuation."""


def split_leading_placeholders(items: list[Item]) -> list[Item]:
    """Read a placeholder run glued right after a number (``1无174``, ``5无行政许可``, ``0—6.``) as placeholder cells.

    The scanner recognises a glued placeholder after a label character; after a digit it is left
    at the start of a text piece, and the row loses a cell. One item per ``无`` or ``/``, one per dash run.
    """
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        m = _LEADING_PLACEHOLDER.match(item.text) if item.kind == "text" else None
        if m is None or prev is None or prev.kind != "num" or prev.end != item.start or item.end - item.start != len(item.text):
            out.append(item)
            continue
        run = m.group(0)
        if run[0] in "无/":
            out.extend(Item("ph", ch, item.start + n, item.start + n + 1, item.line) for n, ch in enumerate(run))
        else:
            out.append(Item("ph", run, item.start, item.start + len(run), item.line))
        if len(run) < len(item.text):
            out.append(Item("text", item.text[len(run):], item.start + len(run), item.end, item.line, item.flags))
    return out


_TRAILING_DASH = re.compile(r"(?<=[\u4e00-\u9fff)）”’」』])[—―─━]$")
"""A single dash that ends a label piece (``其他对外管理服务事项—``): the placeholder of the row's first cell
when a number is glued right after it; a run of two or more is the scanner's already."""


_SLASHES = re.compile(r"^/+|/+$")
"""A run of slashes at either end of a text piece: where it touches a cell, one blank cell's mark per slash."""
_LEADING_DASHES = re.compile(r"^[—―─━]+")
"""A dash run that begins a text piece: right after a cell, the row's last blank cell run into the next label
(``179—第二十条…``)."""
_DASH_PIECE = re.compile(r"[—―─━]+")
"""A text piece of dashes only: between or beside cells, a placeholder run (:func:`gxparse.candidates.glued_dash_runs`
reads it as one cell or one per mark)."""


def split_glued_marks(items: list[Item]) -> list[Item]:
    """Read a run of slashes glued to a cell (``10//6164///4/////``, ``总计/////2``) as one placeholder cell per
    slash, and a piece of dashes glued to a cell (``0—7168410—1557``), or beginning the label after one
    (``179—第二十条…``), as a placeholder run.

    A copy that marks blank cells with ``/`` or ``—`` and prints no separator runs them together; the scanner
    keeps such a mark between numbers, or a slash run too long to be a label's trailing marks, as text, and the
    row would lose those cells (and cut its numbers to fill them). Only the marks touching a number or a
    placeholder become cells: a slash inside a label (``咨询/投诉``) stays text.
    """
    out: list[Item] = []
    for n, item in enumerate(items):
        if item.kind != "text":  # asked first: most items are values, kept without looking at their neighbours
            out.append(item)
            continue
        before = items[n - 1] if n else None
        after = items[n + 1] if n + 1 < len(items) else None
        touches_before = before is not None and before.kind in ("num", "ph") and before.end == item.start
        touches_after = after is not None and after.kind in ("num", "ph") and after.start == item.end
        if item.end - item.start != len(item.text) or not (touches_before or touches_after):
            out.append(item)
            continue
        if _DASH_PIECE.fullmatch(item.text):
            out.append(Item("ph", item.text, item.start, item.end, item.line))
            continue
        pieces = [(m.start(), m.end()) for m in _SLASHES.finditer(item.text)
                  if m.start() == 0 and touches_before or m.end() == len(item.text) and touches_after]
        dashes = _LEADING_DASHES.match(item.text) if touches_before else None
        if dashes is not None:
            pieces.insert(0, (0, dashes.end()))
        if not pieces:
            out.append(item)
            continue
        pos = 0
        for start, end in pieces:
            if start > pos:
                out.append(Item("text", item.text[pos:start], item.start + pos, item.start + start, item.line, item.flags))
            if item.text[start] == "/":
                out.extend(Item("ph", "/", item.start + at, item.start + at + 1, item.line) for at in range(start, end))
            else:  # a dash run: one cell or one per mark, as the row's cells call for (glued_dash_runs)
                out.append(Item("ph", item.text[start:end], item.start + start, item.start + end, item.line))
            pos = end
        if pos < len(item.text):
            out.append(Item("text", item.text[pos:], item.start + pos, item.end, item.line, item.flags))
    return out


def split_trailing_dashes(items: list[Item]) -> list[Item]:
    """Read a dash between a label and the number glued after it (``事项—0109``) as a placeholder cell.

    The scanner keeps a lone dash after a label character with the label (a dash inside a label is
    punctuation); with a number glued right after it, it is the first cell's placeholder, and the
    row would otherwise lose that cell and cut the number to fill it (``0 | 10 | 9`` for — | 0 | 109).
    A label piece is searched for its dash only when a number is glued right after it (that is asked first).
    """
    out: list[Item] = []
    for n, item in enumerate(items):
        after = items[n + 1] if n + 1 < len(items) else None
        if (item.kind != "text" or after is None or after.kind != "num" or after.start != item.end
                or item.end - item.start != len(item.text) or not after.text.lstrip("+-")[:1].isdigit()
                or (m := _TRAILING_DASH.search(item.text)) is None):
            out.append(item)
            continue
        out.append(Item("text", item.text[:m.start()], item.start, item.start + m.start(), item.line, item.flags))
        out.append(Item("ph", m.group(0), item.start + m.start(), item.end, item.line))
    return out


def split_at_numbering(items: list[Item], spec: TableSpec) -> list[Item]:
    """Cut every text item where a row or group numbering of ``spec`` (``二、``, ``(三)``) begins a label.

    Arabic numberings (``1.``) are not looked for: the scanner already reads their digits as a
    number item, which the anchored cut peels off the label. A numbering right after ``第`` is part
    of a caption (``第二十条第(一)项``), not a row's.
    """
    pattern, start = _numbering_pattern(spec)
    if pattern is None or start is None:
        return items
    # a numbering at a piece's first character cuts nothing (:func:`_cut` cuts after it): a piece with no character
    # that begins one further on (most labels: ``(一)予以公开``) is not searched, where the pattern's lookbehind is
    # tried at every character
    return _cut(items, lambda text: [m.start() for m in pattern.finditer(text)] if start.search(text, 1) else [])


def split_at_labels(items: list[Item], spec: TableSpec) -> list[Item]:
    """Cut a text item that holds two or more un-numbered row labels of ``spec`` before each of them.

    Rows printed blank in a glued copy of a table without numbered rows (the 二 table:
    ``规章行政规范性文件第二十条第(五)项信息内容…行政许可``) leave their labels in one piece; the
    table's block captions (``第二十条第(五)项``) are cut off too, so each label anchors its row.
    """
    labels, captions = _label_patterns(spec)
    if labels is None:
        return items

    def cuts(text: str) -> list[int]:
        found = list(labels.finditer(text))
        if len({m.group(0) for m in found}) < MIN_GLUED_LABELS:
            return []
        return [m.start() for m in found] + ([m.start() for m in captions.finditer(text)] if captions else [])

    return _cut(items, cuts)


MIN_GLUED_LABELS = 2
"""A text piece is cut at row labels only when it holds at least this many different ones: one label
after a header or caption is a row as printed, not several rows run together."""


def _cut(items: list[Item], cuts_of: Callable[[str], list[int]]) -> list[Item]:
    """Split each text item at the offsets ``cuts_of`` finds in its text (spans kept exact).

    A text item not cut whose text ends in no space is its own one piece, kept as it is: the piece made of it
    would hold its kind, text, span, line and flags (an equal item, made anew for most text items of every
    region: most of this pass)."""
    out: list[Item] = []
    for item in items:
        if item.kind != "text" or item.end - item.start != len(item.text):
            out.append(item)
            continue
        cuts = sorted({c for c in cuts_of(item.text) if c > 0})
        if not cuts and item.text[-1:].strip():
            out.append(item)
            continue
        for begin, end in zip([0, *cuts], [*cuts, len(item.text)]):
            piece = item.text[begin:end].rstrip()
            if piece.strip():
                out.append(Item("text", piece, item.start + begin, item.start + begin + len(piece), item.line, item.flags))
    return out


def _spaced(word: str) -> str:
    """A pattern for ``word`` (NFKC) that tolerates spaces between its characters (a wrapped cell)."""
    return r"\s*".join(re.escape(ch) for ch in unicodedata.normalize("NFKC", word) if not ch.isspace())


@lru_cache(maxsize=None)
def _label_patterns(spec: TableSpec) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The labels (and aliases) of the un-numbered rows of ``spec``, longest first; its block captions."""
    names = {name for row in spec.rows if not row.number and len(spec.rows) > 1
             for name in (row.label, *row.aliases) if len(name) >= MIN_LABEL_CHARS}
    if len(names) < MIN_GLUED_LABELS:
        return None, None
    labels = re.compile("|".join(_spaced(n) for n in sorted(names, key=len, reverse=True)))
    captions = [b.caption for b in spec.blocks if b.caption]
    return labels, re.compile("|".join(_spaced(c) for c in captions)) if captions else None


MIN_LABEL_CHARS = 2
"""Shorter names (a lone character) occur inside any text."""


@lru_cache(maxsize=None)
def _numbering_pattern(spec: TableSpec) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The printed forms of the non-Arabic row and group numberings of ``spec``, each before a CJK label, and the
    characters each of them begins with (an opening bracket, or the first character of a ``、`` numbering)."""
    numbers = {row.number for row in spec.rows} | {group.get("number", "") for group in spec.row_groups}
    forms = set()
    first = set()
    for number in numbers:
        core = re.sub(r"[()（）、.\s]", "", number)
        if not core or core.isdigit():
            continue
        if number.strip().endswith("、"):
            forms.add(re.escape(core) + r"\s*、")
            first.add(core[0])
        else:
            forms.add(r"[(（]\s*" + re.escape(core) + r"\s*[)）]")
            first.update("(（")
    if not forms:
        return None, None
    return (re.compile(r"(?<!第)(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?=\s*[\u4e00-\u9fff])"),
            re.compile("[" + "".join(map(re.escape, sorted(first))) + "]"))
