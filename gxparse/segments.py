"""Cut the scanned items of a table region into row segments: which source items sit under which row.

The layout handlers (:mod:`gxparse.layouts`) choose among these cuts:

*anchored* (:func:`segment_anchored`) — each row label found by :mod:`gxparse.labels` owns the
value items that follow it up to the next found label. This is right for one-cell-per-line,
pipe, space and glued layouts. A one-row table (table 四) takes every value line of its region.

*flowed* (:func:`segment_flowed`) — the value lines of the region (lines that carry about a
row's worth of values), in reading order, one per row. PDF text layers and Markdown made from
PDFs print value lines above or below their (wrapped) labels, or in separate mini-tables; their
order is still the row order.

A glued number followed by ``.`` and a label (``30000036.属于四类…``) gives up its last digits to
the label's numbering when the matched row's number says so.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from gxparse.ir import Item, RowConstraint, RowProblem, Segmentation, TableProblem
from gxparse.labels import align_rows
from gxparse.normalize import label_key
from gxparse.template import RowSpec, TableSpec
from gxparse.scan import GROUPED_RUN

__all__ = ["Segmentation", "has_lone_digit_run", "is_label_number", "row_constraints", "segment_anchored",
           "segment_flowed"]


def row_constraints(table: TableSpec, cols: tuple[str, ...]) -> tuple[RowConstraint, ...]:
    """The identities that hold inside one row (a total column, or a bound: ``≤``), as cell indices."""
    out = []
    for ident in table.identities:
        if (ident.per == "row" and ident.relation in ("eq", "le") and len(ident.right) == 1
                and all(c in cols for c in ident.left + ident.right)):
            out.append(RowConstraint(tuple(cols.index(c) for c in ident.left), cols.index(ident.right[0]), ident.relation))
    return tuple(out)


def segment_anchored(table: TableSpec, items: list[Item]) -> Segmentation:
    """Cut the scanned ``items`` of a region of ``table`` at its row labels (the better of its row orders)."""
    if len(table.rows) == 1:
        row = table.rows[0]
        value_lines = {it.line for it in items if it.kind in ("num", "ph")}
        first = _first_value_run(items)
        # a blank cell is an empty cell on a value line, or an extra empty line among (or just before) the values
        values = [it for n, it in enumerate(items) if it.kind in ("num", "ph") or (it.kind == "blank" and (
            it.line in value_lines or ("blank_line" in it.flags and n >= first)))]
        if values and all(n == 1 for n in Counter(it.line for it in values).values()):
            # one cell per line: a blank cell is a line of its own (`` |``, or an extra empty line) from the values on
            values = [it for n, it in enumerate(items) if it.kind in ("num", "ph") or (it.kind == "blank" and n >= first)]
        if not value_lines:  # printed blank: its cells are the empty cells the layout shows, the last ones
            values = [it for it in items if it.kind == "blank"][-len(row.cols):]
        problem = TableProblem(table.key, [RowProblem(row.key, row.cols, values, row_constraints(table, row.cols))],
                               table.identities)
        return Segmentation(problem, {}, {row.key}, "single_row")
    layouts = [table.layout()] + ([table.layout(alternatives=True)] if table.has_alternatives else [])
    # the layouts are judged by their anchorings' scores; only the best one is cut (the cut is most of the work
    # after the alignment, and a table with two row layouts would cut both)
    best: tuple[tuple[RowSpec, ...], list[Item], _Anchoring] | None = None
    for rows in layouts:
        anchoring = _anchoring(table, rows, items)
        if best is None or anchoring.score > best[2].score:
            best = rows, items, anchoring
    assert best is not None
    origin: list[int] | None = None
    # the cut at spaces only where a row of the canonical layout went unfound (asked only then: most tables find
    # every row, and the cut would be made and thrown away)
    split = _split_at_spaces(items) if len(best[2].matched) < len(layouts[0]) else None
    if split is not None:
        pieces, cut_origin = split
        for rows in layouts:  # labels of blank rows printed on one line, a space apart: one piece each
            anchoring = _anchoring(table, rows, pieces)
            if anchoring.score > best[2].score:
                best, origin = (rows, pieces, anchoring), cut_origin
    seg = _cut(table, *best)
    if origin is not None:  # its anchors index the cut pieces: point them at the scanned items
        seg = replace(seg, anchors={k: origin[pos] for k, pos in seg.anchors.items()})
    return seg


def _first_value_run(items: list[Item]) -> int:
    """The index of the first value item, or of the blank items just before it (``len(items)`` when none).

    The blank cells that open a row lie between its last label and its first printed value: an
    extra empty line there sits before the value's line, whatever padding begins that line
    (`` 0`` printed with a leading space), so the run is found by position among the items, not by
    offset. An empty cell on a label's line (a header row's filler pipe) is none of them.
    """
    first = next((n for n, it in enumerate(items) if it.kind in ("num", "ph")), len(items))
    label_lines = {it.line for it in items[:first] if it.kind == "text"}  # an empty cell beside a label fills the header
    while first > 0 and items[first - 1].kind == "blank" and items[first - 1].line not in label_lines:
        first -= 1
    return first


def anchored_layouts(table: TableSpec, items: list[Item]) -> list[Segmentation]:
    """The anchored cut of ``items`` under each of ``table``'s row layouts (canonical first), for a
    layout handler that judges the layouts by more than their label scores."""
    layouts = [table.layout()] + ([table.layout(alternatives=True)] if table.has_alternatives else [])
    return [_cut(table, rows, items, _anchoring(table, rows, items)) for rows in layouts]


_SPACED_PIECE = re.compile(r"(?:[.、:：]+\s+)?\S+")
"""A piece between spaces; a lone ``.`` or ``、`` (``3. 其他``) stays with the label it numbers."""


def _split_at_spaces(items: list[Item]) -> tuple[list[Item], list[int]] | None:
    """``items`` with every text piece cut at its spaces, and the index in ``items`` each piece
    comes from (``None`` when no piece holds a space).

    The scanner keeps ``行政 许可`` one piece (a label broken by a space); rows printed blank in a
    space-separated table put their labels a space apart (``行政处罚 行政强制``) and need the cut.
    """
    if not any(it.kind == "text" and " " in it.text for it in items):
        return None
    out: list[Item] = []
    origin: list[int] = []
    for n, it in enumerate(items):
        if it.kind != "text" or " " not in it.text:
            out.append(it)
            origin.append(n)
            continue
        for m in _SPACED_PIECE.finditer(it.text):
            out.append(Item("text", m.group(0), it.start + m.start(), it.start + m.end(), it.line, it.flags))
            origin.append(n)
    return out, origin


def _with_group_anchors(table: TableSpec, rows: tuple[RowSpec, ...]) -> list[RowSpec]:
    """Interleave the printed group labels (（三）不予公开 …) as cell-less pseudo-rows before their members."""
    keys = {r.key for r in rows}
    groups = {g["key"]: g for g in table.row_groups if g["key"] not in keys}
    out: list[RowSpec] = []
    seen: set[str] = set()
    for row in rows:
        if row.group in groups and row.group not in seen:
            g = groups[row.group]
            out.append(_group_anchor(g["key"], g["label"], g.get("number", "")))
            seen.add(row.group)
        out.append(row)
    return out


@lru_cache(maxsize=None)  # bounded by the templates' row groups
def _group_anchor(key: str, label: str, number: str) -> RowSpec:
    """The cell-less pseudo-row of a printed group label, made once: a row hashes its fields when it is made, and
    one made afresh at every alignment was also compared field by field with the equal row keyed in the score
    caches (the same row is made of the same fields, so an equal one: nothing else changes)."""
    return RowSpec(_GROUP + key, label, number, ())


_GROUP = "group:"
GROUP_ANCHOR_WEIGHT = 0.5
"""A group label counts half a row label when they compete for the order: PDF text layers print a
group label (（四）无法提供) beside the middle of its rows, after its first member's label, and
that member must not be lost to keep the group label in order."""


@dataclass(frozen=True)
class _Anchoring:
    """Which label pieces anchor which rows (and group labels) of one row layout, before the cut."""

    pieces: list[int]
    """The indices of the items that may anchor a row (:func:`_row_label_pieces`)."""
    sequence: list[RowSpec]
    """The rows aligned, group labels among them (:func:`_with_group_anchors`)."""
    matches: dict[str, tuple[int, float]]
    """Each anchored row's (or group's) piece, as an index into :attr:`pieces`, and its score."""

    @property
    def score(self) -> float:
        """The layout's score: the sum of its rows' label scores (group labels not counted)."""
        return sum(s for key, (_, s) in self.matches.items() if not key.startswith(_GROUP))

    @property
    def matched(self) -> set[str]:
        """The rows found (what :attr:`~gxparse.ir.Segmentation.matched` of the cut holds)."""
        return {key for key in self.matches if not key.startswith(_GROUP)}


def _anchoring(table: TableSpec, rows: tuple[RowSpec, ...], items: list[Item]) -> _Anchoring:
    """Align the label pieces of ``items`` with ``rows`` (and the group labels between them)."""
    pieces = _row_label_pieces(table, items)
    monotone = table.key != "active_disclosure"
    sequence = _with_group_anchors(table, rows) if monotone else list(rows)
    weights = [GROUP_ANCHOR_WEIGHT if r.key.startswith(_GROUP) else 1.0 for r in sequence]
    return _Anchoring(pieces, sequence,
                      align_rows([items[i].text for i in pieces], sequence, monotone=monotone, weights=weights))


def _cut(table: TableSpec, rows: tuple[RowSpec, ...], items: list[Item], anchoring: _Anchoring) -> Segmentation:
    """The rows of one layout with the value items after each anchoring label piece."""
    pieces, sequence, matches = anchoring.pieces, anchoring.sequence, anchoring.matches
    items = _peel_numbering(items, pieces, matches, rows)
    anchors = sorted((pieces[j], key) for key, (j, _) in matches.items())
    bounds = [pos for pos, _ in anchors] + [len(items)]
    order = [r.key for r in sequence]
    owned: dict[str, list[Item]] = {}
    for n, (pos, key) in enumerate(anchors):
        owned[key] = _row_values(items[pos + 1:bounds[n + 1]], table)
    groups = {r.key: r.group for r in rows} | {r.key: r.key[len(_GROUP):] for r in sequence if r.key.startswith(_GROUP)}
    row_items = _distribute(order, owned, {r.key: len(r.cols) for r in rows}, groups)
    _pull_stacked_values(rows, row_items, [(key, items[pos].line) for pos, key in anchors])
    constraints = {cols: row_constraints(table, cols) for cols in {r.cols for r in rows}}  # rows share their columns
    problems = [RowProblem(r.key, r.cols, row_items.get(r.key, []), constraints[r.cols]) for r in rows]
    row_anchors = {key: pos for pos, key in anchors if not key.startswith(_GROUP)}
    labels = {key: items[pos].text for key, pos in row_anchors.items()}
    return Segmentation(TableProblem(table.key, problems, table.identities), labels, set(row_anchors), "anchored",
                        anchors=row_anchors)


def _row_label_pieces(table: TableSpec, items: list[Item]) -> list[int]:
    """The indices of the text items that may anchor a row: not a column header printed before the first value.

    A column label that is also a row's (三's ``总计`` and ``其他``) is the header's when more text
    follows it before the region's first value; a row label is followed by its values. Without
    this, a region that prints its header and only its first row (a copy that ends there) reads
    two header words as two rows, which outscore the one real row label after them.
    """
    texts = [i for i, it in enumerate(items) if it.kind == "text"]
    first_value = next((i for i, it in enumerate(items) if it.kind in ("num", "ph")), None)
    # the text items before the first value: a prefix of ``texts`` (in item order), cut where that value stands
    before = texts[:bisect_left(texts, first_value)] if first_value is not None else []
    if len(before) < 2:
        return texts
    column_keys = _column_keys(table)  # once: a table's spec hashes all its fields at every cache lookup
    header = {i for i in before[:-1] if label_key(items[i].text) in column_keys}
    return [i for i in texts if i not in header]


@lru_cache(maxsize=64)
def _column_keys(table: TableSpec) -> frozenset[str]:
    """The label keys of ``table``'s columns and their aliases."""
    return frozenset(key for c in table.cols for key in (label_key(c.label), *map(label_key, c.aliases)) if key)


def _pull_stacked_values(rows: tuple[RowSpec, ...], row_items: dict[str, list[Item]],
                         anchor_order: list[tuple[str, int]]) -> None:
    """Labels printed one above the other, then their value lines (PDF/Markdown): give each its line.

    When a labelled row has no values and the next labelled row holds several value lines, the
    first line goes to the empty row if it has exactly that row's width. Values printed beside the
    next row's label (``| 规章 | 0 | 0 | 12 |``) are that row's own: then the one other value line,
    when it has exactly the empty row's width, is the empty row's (its label was printed above).
    ``anchor_order`` holds each anchored row's key and the line of its label, in reading order.
    """
    width = {r.key: len(r.cols) for r in rows}
    labelled = [(k, line) for k, line in anchor_order if k in width]
    for (this, _), (nxt, nxt_line) in zip(labelled, labelled[1:]):
        if row_items.get(this) or not row_items.get(nxt):
            continue
        items = row_items[nxt]
        if items[0].line == nxt_line:
            own = [it for it in items if it.line == nxt_line]
            other = items[len(own):]
            if _fits(own, width[nxt]) and _fits(other, width[this]) and len({it.line for it in other}) == 1:
                row_items[this], row_items[nxt] = other, own
            continue
        first_line = [it for it in items if it.line == items[0].line]
        rest = items[len(first_line):]
        if _fits(first_line, width[this]) and rest and rest[0].line != items[0].line and len(rest) >= width[nxt]:
            row_items[this], row_items[nxt] = first_line, rest


def _fits(items: list[Item], width: int) -> bool:
    """Whether a value line has ``width`` cells: all its items (a row of blank pipe cells ``|  |  |  |``), or
    those before the empty cells that end it (:func:`_cells`: a converter's extra empty column)."""
    return width in (len(items), _cells(items))


def _cells(items: list[Item]) -> int:
    """How many cells ``items`` hold, the empty pipe cells that end a line (``trailing``: filler, or an
    extra empty column a converter added) not counted."""
    return sum(1 for it in items if not (it.kind == "blank" and "trailing" in it.flags))


def _row_values(segment: list[Item], table: TableSpec) -> list[Item]:
    """The value items of a segment, up to the first header or caption text (a new block starts)."""
    values = []
    for it in segment:
        if it.kind == "text":
            if _is_header(it.text, table):
                break
            continue
        values.append(it)
    return values


_CAPTION = re.compile(r"附?表[一二三四五六七八九十\d]*")
"""A table caption (``附表2``, ``表三``): the next table begins, its number is no cell of this one."""


def _is_header(text: str, table: TableSpec) -> bool:
    key = label_key(text)
    if not key:
        return False
    if "信息内容" in key or "第二十条" in key or _CAPTION.fullmatch(key):
        return True
    return any(label_key(c.label) == key for c in table.cols if len(c.label) >= 4)


def _distribute(order: list[str], owned: dict[str, list[Item]], width: dict[str, int],
                groups: dict[str, str | None]) -> dict[str, list[Item]]:
    """Share an anchor's items with the unlabelled rows of its group that follow it, ``width`` items each.

    Only separated items are shared (a glued run stays with its anchor for the realigner to split);
    items beyond the covered rows are left unassigned.
    """
    out: dict[str, list[Item]] = {}
    for n, key in enumerate(order):
        if key not in owned:
            continue
        covered = [key] if key in width else []
        for nxt in order[n + 1:]:
            if nxt in owned:
                break
            if nxt in width and groups.get(nxt) == groups.get(key):
                covered.append(nxt)
        items = owned[key]
        if not covered:
            continue
        if len(covered) == 1 or _has_glued(items) or len(items) <= width[covered[0]] + 1:
            out[covered[0]] = items
            continue
        pos = 0
        for row in covered:
            out[row] = items[pos:pos + width[row]]
            pos += width[row]
    return out


def _has_glued(items: list[Item]) -> bool:
    return any(it.kind == "num" and len(it.text) > 1 and it.text.isdigit() and it.text[0] != "-" and len(it.text) > 4
               for it in items)


def _peel_numbering(items: list[Item], pieces: list[int], matches: dict[str, tuple[int, float]],
                    rows: tuple[RowSpec, ...]) -> list[Item]:
    numbers = {r.key: r.number for r in rows}
    out = list(items)
    for key, (j, _) in matches.items():
        pos = pieces[j]
        digits = _numbering_digits(numbers.get(key, ""))
        if not digits or pos == 0:
            continue
        prev = out[pos - 1]
        if _numbers_label(prev, out[pos]) and prev.text.endswith(digits):
            kept = prev.text[: -len(digits)]
            grouped = (GROUPED_RUN,) if GROUPED_RUN in prev.flags else ()  # its separators still rule its cuts
            out[pos - 1] = Item("num" if kept else "text", kept, prev.start, prev.end - len(digits), prev.line,
                                ("numbering_peeled", *grouped))
    return out


@lru_cache(maxsize=None)  # bounded by the templates' row numbers
def _numbering_digits(number: str) -> str:
    """The digits of a row's numbering (``（三）1.`` → ``1``), looked up only for the rows matched."""
    return re.sub(r"\D", "", number)


_MAX_NUMBERING_DIGITS = 2
"""A row's item number inside a table has one or two digits (不予公开 runs to 8)."""


def is_label_number(items: list[Item], n: int) -> bool:
    """True when ``items[n]`` is the numbering of a label (``2`` in ``三 2.其他…``), not a value: it
    is glued to the label text, has at most :data:`_MAX_NUMBERING_DIGITS` digits, and starts its
    line or follows text."""
    item = items[n]
    return (item.numbering_next and len(item.text) <= _MAX_NUMBERING_DIGITS
            and (n == 0 or items[n - 1].line != item.line or items[n - 1].kind == "text"))


def _numbers_label(prev: Item, label: Item) -> bool:
    """True when the digits of ``prev`` may end in the numbering of ``label``: glued to its ``.``
    (``30000036.属于…``), or apart from it by a wrapped line or a space (``00000004 .保护…``) when
    the label itself begins with the numbering's ``.``/``、``."""
    return prev.numbering_next or (prev.kind == "num" and prev.text.isdigit() and label.text[:1] in ".、")


def _value_lines(items: list[Item], k: int) -> list[list[Item]]:
    """The lines holding about a row's worth of values; a line's leading ``4.`` numbers its label, no value."""
    by_line: dict[int, list[Item]] = {}
    for n, it in enumerate(items):
        if it.kind != "text" and not (it.kind == "blank" and "trailing" in it.flags) and not is_label_number(items, n):
            by_line.setdefault(it.line, []).append(it)
    return [line for _, line in sorted(by_line.items()) if len(line) >= max(2, k - 1)]


def has_lone_digit_run(items: list[Item], k: int) -> bool:
    """True when a digit run stands alone on its line where a row prints ``k`` > 1 cells: glued cells."""
    if k <= 1:
        return False
    values_on = Counter(it.line for it in items if it.kind != "text")  # counted once: a region holds hundreds of items
    return any(it.kind == "num" and len(it.text) > 1 and all(ch.isdigit() for ch in it.text) and values_on[it.line] == 1
               for it in items)


def segment_flowed(table: TableSpec, anchored: Segmentation, items: list[Item]) -> Segmentation | None:
    """Use value lines in order when anchoring leaves rows with the wrong number of items.

    ``None`` when the flowed cut does not apply: a one-row or mixed-width table, anchoring that
    already gives every row its width, glued cells (anchored; the realigner splits them) or a
    count of value lines that is not the count of rows.
    """
    if anchored.mode != "anchored":
        return None
    rows = anchored.problem.rows
    widths = Counter(len(r.cols) for r in rows)
    if len(widths) != 1 or table.key == "active_disclosure":
        return None
    k = len(rows[0].cols)
    if all(_cells(r.items) == k for r in rows):
        return None
    if has_lone_digit_run(items, k):
        return None  # glued layouts are anchored; their rows are split by the realigner
    lines = _value_lines(items, k)
    if len(lines) != len(rows):
        return None
    trailing = {it.line: it for it in items if it.kind == "blank" and "trailing" in it.flags}
    problems = []
    for row, line in zip(rows, lines):
        extra = [trailing[line[0].line]] if len(line) < k and line[0].line in trailing else []
        problems.append(RowProblem(row.key, row.cols, line + extra, row.constraints))
    return Segmentation(TableProblem(table.key, problems, table.identities), anchored.labels, anchored.matched, "flowed")
