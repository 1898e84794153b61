"""Give each value line of a PDF text layer to the row whose wrapped label it sits in or next to.

A PDF text layer prints a row as its label wrapped over one to three lines, with the row's values
on one line: on the first, a middle or the last label line, or on a line of its own just above or
below the label. Rows printed blank leave the label alone, page numbers and the letters of a
vertical group label interrupt, and prose with numbers can sit next to the table. Neither of the
other cuts fits: anchoring (:func:`gxparse.segments.segment_anchored`) gives a row what follows
its label, so a value line printed above the next label goes to the wrong row; the flowed cut
(:func:`gxparse.segments.segment_flowed`) needs exactly one value line per row.

This cut reads the geometry instead:

1. each found row label is grown into a *label block*: the lines around its matched piece whose
   text continues the template label (:func:`_label_block`); a row the anchoring gave the
   continuation of the label before it is first re-anchored at its own label
   (:func:`_without_continuations`), and a row the anchoring did not find because its values split
   its label in two (``1.属于国   0  0`` / ``家秘密``) is found from the two pieces joined
   (:func:`_across_value_lines`);
2. a *value line* is a line whose items are mostly values, or a line of a label block that carries
   values; prose lines with a number or two are not;
3. value lines and rows are matched in reading order by dynamic programming (each row at most one
   line, each line at most one row), a pair costing more the farther the line is from the block
   and the more cells it lacks, and never across a block caption (:func:`_block_parts`: the 二
   table's ``第二十条第（八）项`` starts a sub-table of its own); a line apart from a label printed on
   one line costs more (such a label shares its line with its values), and a line between two
   labels otherwise goes to the side this report's unambiguous lines take (:func:`_likely_side`);
4. a line printed apart from its row's label could be the row's on its other side when that row is
   left without values (the line's row then printed blank), or, when that row's own line is printed
   on the same far side of its label, the next one's, and so on to a blank row (:func:`_shifted`):
   the table's identities choose when they tell the readings apart (:func:`_settle_by_identities`),
   and otherwise the cut keeps its choice and says so (:attr:`~gxparse.ir.Segmentation.doubts`),
   since a line of zeros between two labels has no side the text can show (real PDF layers print a
   one-line label's values above it as well as on it). Only a line nearer one label decides
   (:data:`OWNER_MARGIN`);
5. whichever handler cuts the region in the end (the anchoring keeps its cut when this one gives no
   more rows their width), its reading of such lines is doubted the same way (:func:`owner_doubts`,
   over the region's :class:`ValueLineGeometry`).

A row left without a line is printed blank (its label is there); a row whose label was not found
stays absent.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from gxparse.ir import Item, OwnerDoubt, RowProblem, Segmentation, TableProblem
from gxparse.labels import MATCH_CUTOFF, score_piece
from gxparse.normalize import label_key
from gxparse.segments import has_lone_digit_run, is_label_number
from gxparse.template import RowSpec, TableSpec
from gxparse.validate import identity_status
from gxparse.values import parse_value

__all__ = ["ValueLineGeometry", "labels_on_own_lines", "owner_doubts", "segment_aligned", "value_line_geometry"]

Side = Literal["before", "after"]
"""Where a value line printed apart from its label sits: on the line above it or below it."""

MAX_DISTANCE = 2
"""A value line is at most this many content lines from its row's label block. The PDF renderings
(gxparse.synth.documents.PdfText) and the real layer of dev r002 put it on the block or on the line
just above or below; one more line allows for a vertical group letter printed between them."""
MATCH_GAIN = 10.0
"""What giving a value line to a row earns; above every cost below, so a line that fits is never dropped."""
DISTANCE_COST = {0: 0.0, 1: 1.0, 2: 3.0}
"""Cost of a line 0, 1 or 2 content lines away from the block."""
SIDE_COST = 0.2
"""Extra cost of a line on the less likely side of its block, so that a line between two blocks
(the row above or the row below printed blank) goes to the likely one. The likely side is the one
the report's unambiguous lines take (:func:`_likely_side`); when they do not say, the label below:
in the real PDF layer of dev r002 every value line printed apart from its label sits just above it."""
APART_FROM_ONE_LINE_COST = 0.5
"""Extra cost of a value line apart from a label printed on one line. A PDF text layer prints a row's
values on the baseline of its label's line when the label fits one line; only a wrapped label, whose
cell is taller than one line, leaves its values on a line of their own (above, between or below its
lines). So a value line between a one-line label and a wrapped one is the wrapped one's; above
:data:`SIDE_COST`, so this outweighs the side the report's other lines favour."""
MISSING_CELL_COST = 1.5
"""Cost per cell a value line lacks (blank cells printed as nothing shorten a line)."""
VALUE_SHARE = 0.5
"""A line outside every label block is a value line only when more than this share of its items
are values: ``0 0 0 0 0 0 0`` is; ``本年度共收到申请93件,上年结转0件。`` (prose) and ``附表3`` are not."""
IDENTITY_VOTE = {"pass": 1, "fail": -1, "not_assessable": 0}
"""What one identity instance (an identity in one column) says for a reading of the value lines."""
OWNER_MARGIN = SIDE_COST + APART_FROM_ONE_LINE_COST
"""A value line's owner decides it against the row on its other side, left blank, only when it is
cheaper (:func:`_pair_cost`) by more than this, that is only when the line is nearer its label
block (:data:`DISTANCE_COST`). Neither the side the report's other lines favour (:data:`SIDE_COST`)
nor a one-line label on the other side (:data:`APART_FROM_ONE_LINE_COST`) is a real margin: the
real layer of dev r002 prints ``1.属于国家秘密``'s values on a line of their own above it, and
renderings of PDF tables print one-line labels' values above or below them (their row's cell is
as tall as its neighbour's wrapped label), so either row could own such a line."""
COST_DIGITS = 6
"""Costs are sums of the constants above: compared to this many decimals, so float sums of equal costs tie."""
CAPTION_MIN = 80.0
"""How closely (rapidfuzz ratio, 0–100) the start of a text line must match a block caption of the
template (``第二十条第（八）项``, its parentheses normalised away) to be that caption: the printed forms
differ only in brackets and spacing, and another block's caption (one numeral apart) is a caption too."""
CONTINUATION_MIN = 60.0
"""How closely (rapidfuzz ratio, 0–100) a text line must match the label's next characters to be
its continuation. A wrapped fragment with a vertical group letter glued on (``果 补正、行政机关…``)
scores 92 against the label's next characters; a page header sharing words with the label
(``某某市人民政府2022年政府信息公开工作年度报告`` before ``其政府信息公开申请``) scores 41."""


@dataclass(frozen=True)
class _Block:
    """The lines ``first..last`` of one row's label, and its row."""

    row: RowSpec
    first: int
    last: int


@dataclass(frozen=True)
class ValueLineGeometry:
    """Where a region's row labels and value lines are printed: the label ``blocks`` in order, the
    value items of each value ``lines`` line, their ``rank``, and the ``side`` of its label this
    report prints a value line apart from it on. Made once per region (:func:`value_line_geometry`)
    and shared by the aligned cut and by the owner doubts of whichever cut a handler chooses."""

    table: TableSpec
    anchors: dict[str, int]
    """Each found row's label piece (:func:`_without_continuations`)."""
    blocks: tuple[_Block, ...]
    lines: dict[int, list[Item]]
    rank: _Rank
    side: Side
    assigned: tuple[tuple[_Block, int], ...]
    """The order-keeping matching of value lines to blocks (before the identities settle a line)."""


def value_line_geometry(table: TableSpec, anchored: Segmentation, items: list[Item]) -> ValueLineGeometry | None:
    """The label blocks and value lines of ``items`` around the rows ``anchored`` found; ``None`` for a
    glued table (a digit run alone on a value line where every row prints several cells; a year in a
    page header is no value line) or a cut that is not anchored."""
    if anchored.mode != "anchored" or not anchored.anchors:
        return None
    spec = {r.key: r for r in table.rows}
    anchors = _across_value_lines(items, _without_continuations(items, anchored.anchors, spec), table)
    blocks = _blocks(items, [(anchors[key], spec[key]) for key in sorted(anchors, key=anchors.get)])
    lines = _value_lines(items, blocks)
    narrowest = min(len(r.cols) for r in anchored.problem.rows)
    if has_lone_digit_run([it for line in lines.values() for it in line], narrowest):
        return None
    rank = _content_lines(blocks, lines, _block_parts(items, table))
    assigned = _match(blocks, lines, rank, "before")
    side = _likely_side(assigned)
    if side == "after":
        assigned = _match(blocks, lines, rank, side)
    return ValueLineGeometry(table, anchors, tuple(blocks), lines, rank, side, tuple(assigned))


def labels_on_own_lines(geometry: ValueLineGeometry) -> bool:
    """Whether no two found row labels share a line, as in a PDF layer (a glued copy runs them together)."""
    lines = [n for block in geometry.blocks for n in range(block.first, block.last + 1)]
    return len(set(lines)) == len(lines)


def owner_doubts(cut: Segmentation, geometry: ValueLineGeometry) -> tuple[OwnerDoubt, ...]:
    """The value lines that ``cut`` (any cut of the region ``geometry`` describes) gives to a row
    when the row next to it, left without values, could own them as well (:func:`_other_claimant`)
    and the table's identities do not say the cut is right.

    Whichever handler cuts the region, a line of values printed apart from two labels, one of whose
    rows is printed blank, belongs to either for all the text shows; the anchoring gives it to the
    label before it, the aligned cut to the likelier side, and both need the doubt said. A row's
    values are its line's when they all come from one value line; a row with values from elsewhere
    counts as holding values (it is no claimant), its cells unknown to the identities.
    """
    holders: dict[str, int] = {}
    claimed: set[str] = set()
    for row in cut.problem.rows:
        on = {it.line for it in row.items if it.kind in ("num", "ph")}
        if on:
            claimed.add(row.key)
        if len(on) == 1 and (line := next(iter(on))) in geometry.lines:
            holders[row.key] = line
    assigned = [(block, holders[block.row.key]) for block in geometry.blocks if block.row.key in holders]
    return _settle_by_identities(geometry, assigned, claimed, settle=False)[1]


def segment_aligned(table: TableSpec, anchored: Segmentation, items: list[Item],
                    geometry: ValueLineGeometry | None = None) -> Segmentation | None:
    """Cut ``items`` by matching value lines to label blocks; ``None`` when it does not apply.

    ``anchored`` is the anchored cut of the same ``items`` (its found rows and their label pieces
    are the blocks' anchors); ``geometry`` their :func:`value_line_geometry` when already made. The
    cut applies where the geometry does, and only when it gives more found rows exactly their width
    than ``anchored`` does (so a region that anchoring already reads right keeps its cut).
    """
    geometry = geometry or value_line_geometry(table, anchored, items)
    if geometry is None:
        return None
    claimed = {block.row.key for block, _ in geometry.assigned}
    assigned, doubts = _settle_by_identities(geometry, list(geometry.assigned), claimed, settle=True)
    by_key = {block.row.key: geometry.lines[at] for block, at in assigned}
    problems = [RowProblem(r.key, r.cols, by_key.get(r.key, []), r.constraints) for r in anchored.problem.rows]
    matched = anchored.matched | geometry.anchors.keys()
    rows_are_lines = _rows_are_lines(geometry.lines)
    if _fit(problems, matched, rows_are_lines) <= _fit(anchored.problem.rows, anchored.matched, rows_are_lines):
        return None
    labels = {key: anchored.labels.get(key, items[pos].text) for key, pos in geometry.anchors.items()}
    return Segmentation(TableProblem(table.key, problems, table.identities), labels, matched,
                        "aligned", anchors=geometry.anchors, doubts=doubts)


def _without_continuations(items: list[Item], anchors: dict[str, int], spec: dict[str, RowSpec]) -> dict[str, int]:
    """``anchors`` with every row anchored at the continuation of the label before it re-anchored at its own label.

    A wrapped label's second line can name another row better than its own first line does
    (``行政机关不再处理其政府信息公开申`` ends both （六）1. and 2.), and the anchoring, which scores
    pieces one by one, may give it to that row: then the wrapped label's block stops at its first
    line and the row's own label, printed further on, anchors nothing. A piece on the line after
    the previous anchor's that continues that anchor's label (:func:`_continues`) joins that label;
    its row moves to the best piece for it between there and the next anchor (at least
    :data:`~gxparse.labels.MATCH_CUTOFF`), or keeps the piece when there is none.
    """
    order = sorted(anchors, key=anchors.__getitem__)
    moved = dict(anchors)
    for n, key in enumerate(order[1:], start=1):
        before, pos = order[n - 1], anchors[key]
        if items[pos].line != items[anchors[before]].line + 1:
            continue
        joined = label_key(items[anchors[before]].text)
        target = max((label_key(v) for v in (spec[before].label, *spec[before].aliases)),
                     key=lambda v: fuzz.partial_ratio(joined, v))
        if not _continues(joined, label_key(items[pos].text), target, forward=True):
            continue
        end = anchors[order[n + 1]] if n + 1 < len(order) else len(items)
        scored = [(score_piece(items[j].text, spec[key]), j) for j in range(pos + 1, end) if items[j].kind == "text"]
        best = max(scored, default=(0.0, pos))
        if best[0] >= MATCH_CUTOFF:
            moved[key] = best[1]
    return moved


def _across_value_lines(items: list[Item], anchors: dict[str, int], table: TableSpec) -> dict[str, int]:
    """``anchors`` with the rows found whose label is printed in two pieces with the row's values between them.

    A PDF layer prints a wrapped label's values on one of its lines, so the label's first piece is followed by
    the values and the rest of it stands alone on the next line (``1.属于国   0  0  0`` / ``家秘密``): neither
    piece may name the row, and the anchoring, which reads pieces one by one, leaves it unfound. Such a row
    (between the anchors of its neighbours in the template's order) is anchored at the first piece when the
    two pieces joined name it (at least :data:`~gxparse.labels.MATCH_CUTOFF`) better than the first alone.
    """
    order = [r.key for r in table.rows]
    missing = [k for k, key in enumerate(order) if key not in anchors]
    if not missing:
        return anchors
    line_kinds: dict[int, set[str]] = {}
    for it in items:
        line_kinds.setdefault(it.line, set()).add(it.kind)
    found = dict(anchors)
    for k in missing:
        lo = max((found[key] for key in order[:k] if key in found), default=-1)
        hi = min((found[key] for key in order[k + 1:] if key in found), default=len(items))
        row = table.rows[k]
        for i in range(lo + 1, hi):
            head, tail = items[i], _piece_after_values(items, i, line_kinds)
            if tail is None:
                continue
            joined = score_piece(head.text + tail.text, row)
            if joined >= MATCH_CUTOFF and joined > score_piece(head.text, row):
                found[row.key] = i
                break
    return found


def _piece_after_values(items: list[Item], i: int, line_kinds: dict[int, set[str]]) -> Item | None:
    """The text alone on the line after ``items[i]``'s when ``items[i]`` is a text piece followed by values to its
    line's end (a wrapped label's first piece with the row's values), else ``None``."""
    head = items[i]
    if head.kind != "text":
        return None
    at = i + 1
    while at < len(items) and items[at].line == head.line and items[at].kind in ("num", "ph", "blank"):
        at += 1
    if at == i + 1 or at >= len(items) or items[at].line != head.line + 1 or line_kinds[items[at].line] != {"text"}:
        return None
    return items[at] if items[at].kind == "text" else None


def _fit(rows: list[RowProblem], matched: set[str], rows_are_lines: bool) -> tuple[int, int]:
    """Found rows given exactly their width, less those given more, and found rows given values at all: the
    latter first when ``rows_are_lines``.

    A PDF layer prints each row's values on one line and its blank cells as nothing, so few of its rows are
    given exactly their width, and a stray number (a label's numbering, a page number) can fill a row the
    anchoring reads short: there a cut that leaves printed rows without their values (a wrapped label's
    values on its first line go to no row) is the worse whatever widths it matches. A copy that prints each
    value on a line of its own (a blank cell an empty line) gives every value line to some row in either
    cut, and only the widths tell the cuts apart."""
    sizes = [(len(r.items), len(r.cols)) for r in rows if r.key in matched]
    widths = sum(n == k for n, k in sizes) - sum(n > k for n, k in sizes)
    filled = sum(n > 0 for n, _ in sizes)
    return (filled, widths) if rows_are_lines else (widths, filled)


def _rows_are_lines(lines: dict[int, list[Item]]) -> bool:
    """Whether most value lines hold several values (a row per line), not one each (a cell per line)."""
    return sum(len(values) > 1 for values in lines.values()) * 2 > len(lines)


def _line_texts(items: list[Item]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for it in items:
        if it.kind == "text":
            texts[it.line] = texts.get(it.line, "") + it.text
    return texts


def _blocks(items: list[Item], anchors: list[tuple[int, RowSpec]]) -> list[_Block]:
    """Each anchored row's label block, grown over the text lines that continue its label."""
    texts = _line_texts(items)
    blocks: list[_Block] = []
    for n, (pos, row) in enumerate(anchors):
        line = items[pos].line
        floor = blocks[-1].last + 1 if blocks else min(texts, default=line)
        ceiling = items[anchors[n + 1][0]].line - 1 if n + 1 < len(anchors) else max(texts, default=line)
        first, last = _label_block(items[pos].text, row, line, texts, floor, ceiling)
        blocks.append(_Block(row, first, last))
    return blocks


def _label_block(piece: str, row: RowSpec, line: int, texts: dict[int, str], floor: int,
                 ceiling: int) -> tuple[int, int]:
    """The lines of a wrapped label: from the matched ``piece`` on ``line``, add the text lines
    below (then above), within ``floor..ceiling``, while each continues the label (:func:`_continues`)."""
    joined = label_key(piece)
    target = max((label_key(v) for v in (row.label, *row.aliases)), key=lambda v: fuzz.partial_ratio(joined, v))
    first = last = line
    for step in (1, -1):
        at = line + step
        while floor <= at <= ceiling:
            if at in texts:
                key = label_key(texts[at])
                if not _continues(joined, key, target, forward=step > 0):
                    break
                joined = joined + key if step > 0 else key + joined
                first, last = min(first, at), max(last, at)
            at += step
    return first, last


def _continues(joined: str, key: str, target: str, *, forward: bool) -> bool:
    """True when ``key`` is the part of ``target`` just after (``forward``) or before what ``joined`` covers.

    ``joined`` is placed in the label by rapidfuzz's partial alignment; ``key`` must then resemble
    the label's next (or previous) characters, so a page header or a note between the lines of a
    wrapped label is not taken for its continuation, however many words they share.
    """
    if not key or len(joined) >= len(target):
        return False
    where = fuzz.partial_ratio_alignment(joined, target)
    rest = target[where.dest_end:][:len(key)] if forward else target[:where.dest_start][-len(key):]
    return bool(rest) and fuzz.ratio(key, rest) >= CONTINUATION_MIN


def _value_lines(items: list[Item], blocks: list[_Block]) -> dict[int, list[Item]]:
    """The value items of each value line (a block line with values, or a line mostly of values)."""
    in_block = {n for b in blocks for n in range(b.first, b.last + 1)}
    by_line: dict[int, list[Item]] = {}
    for it in items:
        by_line.setdefault(it.line, []).append(it)
    out: dict[int, list[Item]] = {}
    for line, its in by_line.items():
        its = [it for n, it in enumerate(its) if not is_label_number(its, n)]
        values = [it for it in its if it.kind in ("num", "ph")]
        if values and (line in in_block or len(values) > VALUE_SHARE * len(its)):
            out[line] = [it for it in its if it.kind != "text" and not (it.kind == "blank" and "trailing" in it.flags)]
    return out


@dataclass(frozen=True)
class _Rank:
    """Where each block or value line stands: ``order`` its rank among them (distances count these,
    not page numbers or stray letters), ``part`` the block of the table it is printed in."""

    order: dict[int, int]
    part: dict[int, int]


def _content_lines(blocks: list[_Block], lines: dict[int, list[Item]], starts: list[int]) -> _Rank:
    """The rank of every block or value line, and its part of the table between the block ``starts``."""
    content = sorted(set(lines) | {n for b in blocks for n in range(b.first, b.last + 1)})
    return _Rank({line: rank for rank, line in enumerate(content)},
                 {line: bisect_left(starts, line) for line in content})


def _block_parts(items: list[Item], table: TableSpec) -> list[int]:
    """The lines, in order, that print one of ``table``'s block captions (``第二十条第（五）项``): each
    starts a sub-table with its own header, and no row's values are printed across it (empty for a
    table without blocks)."""
    captions = [label_key(block.caption) for block in table.blocks if block.caption]
    return sorted(line for line, text in _line_texts(items).items()
                  if any(fuzz.ratio(label_key(text)[:len(caption)], caption) >= CAPTION_MIN
                         for caption in captions))


def _pair_cost(block: _Block, line: int, cells: int, rank: _Rank, side: Side) -> float | None:
    """The cost of giving the value line ``line`` (``cells`` items) to ``block``'s row (``None`` if it
    cannot: more cells than the row has, too far, or in another block of the table); a line on the
    other ``side`` than the likely one costs :data:`SIDE_COST` more."""
    width = len(block.row.cols)
    if cells > width or rank.part[line] != rank.part[block.first]:
        return None
    if block.first <= line <= block.last:
        distance, extra = 0, 0.0
    elif line < block.first:
        distance, extra = rank.order[block.first] - rank.order[line], 0.0 if side == "before" else SIDE_COST
    else:
        distance, extra = rank.order[line] - rank.order[block.last], 0.0 if side == "after" else SIDE_COST
    if distance > MAX_DISTANCE:
        return None
    if distance and block.first == block.last:
        extra += APART_FROM_ONE_LINE_COST
    return DISTANCE_COST[distance] + extra + MISSING_CELL_COST * (width - cells)


def _likely_side(assigned: list[tuple[_Block, int]]) -> Side:
    """The side of their labels that this report prints value lines on, from the lines that had no choice.

    A line just above a label whose row above holds a line of its own could only be the lower row's
    (evidence for ``before``), and a line just below a label whose row below holds its own could only
    be the upper row's (``after``). Ties keep ``before``.
    """
    inside = {id(block) for block, line in assigned if block.first <= line <= block.last}
    votes = {"before": 0, "after": 0}
    for n, (block, line) in enumerate(assigned):
        if line < block.first and n > 0 and id(assigned[n - 1][0]) in inside:
            votes["before"] += 1
        elif line > block.last and n + 1 < len(assigned) and id(assigned[n + 1][0]) in inside:
            votes["after"] += 1
    return "after" if votes["after"] > votes["before"] else "before"


def _match(blocks: list[_Block], lines: dict[int, list[Item]], rank: _Rank,
           side: Side) -> list[tuple[_Block, int]]:
    """The best order-keeping matching of value lines to blocks (each at most once)."""
    order = sorted(lines)
    n_lines, n_blocks = len(order), len(blocks)
    best = [[0.0] * (n_blocks + 1) for _ in range(n_lines + 1)]
    move = [[0] * (n_blocks + 1) for _ in range(n_lines + 1)]
    for i in range(1, n_lines + 1):
        for j in range(1, n_blocks + 1):
            options = [(best[i - 1][j], 1), (best[i][j - 1], 2)]
            cost = _pair_cost(blocks[j - 1], order[i - 1], len(lines[order[i - 1]]), rank, side)
            if cost is not None:
                options.append((best[i - 1][j - 1] + MATCH_GAIN - cost, 3))
            best[i][j], move[i][j] = max(options)
    out: list[tuple[_Block, int]] = []
    i, j = n_lines, n_blocks
    while i > 0 and j > 0:
        if move[i][j] == 3:
            out.append((blocks[j - 1], order[i - 1]))
            i, j = i - 1, j - 1
        elif move[i][j] == 1:
            i -= 1
        else:
            j -= 1
    return out[::-1]


def _shifted(geometry: ValueLineGeometry, assigned: list[tuple[_Block, int]], n: int,
             claimed: set[str]) -> list[tuple[_Block, int]] | None:
    """The other reading of ``assigned``'s ``n``-th pair's line, if the text leaves it open: the line
    given to the nearest block on its other side, and, when that block's row holds a line of its own
    printed on the same far side, that line passed on to the next block the same way, until a block
    whose row is left without values (``claimed`` holds the rows that have some) takes the last one.
    The pair's own row is then printed blank.

    A line inside its block is its label's (the values of a wrapped label sit between or on its
    lines): no other reading. Every moved line must fit its new row (:func:`_pair_cost`), and the
    moved pairs together must not cost more than :data:`OWNER_MARGIN` beyond the pairs they replace
    (a line nearer its label decides). The blocks are the nearest in reading order whatever prints
    between them (page numbers, group letters, a sub-heading), since distances count only content lines.
    """
    block, line = assigned[n]
    if block.first <= line <= block.last:
        return None
    blocks, holder = geometry.blocks, {id(b): (m, at) for m, (b, at) in enumerate(assigned)}
    step = -1 if line < block.first else 1
    at, replaced, moved = blocks.index(block), [n], []
    while True:
        at += step
        if not 0 <= at < len(blocks):
            return None
        nearest = blocks[at]
        if not (nearest.last < line if step < 0 else line < nearest.first):
            return None
        moved.append((nearest, line))
        if nearest.row.key not in claimed:
            break
        if id(nearest) not in holder:
            return None  # its values come from elsewhere than one value line
        m, line = holder[id(nearest)]
        if not (line < nearest.first if step < 0 else line > nearest.last):
            return None
        replaced.append(m)
    cells, rank, side = geometry.lines, geometry.rank, geometry.side
    new_costs = [_pair_cost(b, at_line, len(cells[at_line]), rank, side) for b, at_line in moved]
    old_costs = [_pair_cost(*assigned[m], len(cells[assigned[m][1]]), rank, side) for m in replaced]
    if any(cost is None for cost in new_costs):
        return None
    if None not in old_costs and round(sum(new_costs) - sum(old_costs), COST_DIGITS) > OWNER_MARGIN:  # type: ignore[arg-type]
        return None
    kept = [pair for m, pair in enumerate(assigned) if m not in replaced]
    order = {id(b): k for k, b in enumerate(blocks)}
    return sorted([*kept, *moved], key=lambda pair: order[id(pair[0])])


def _settle_by_identities(geometry: ValueLineGeometry, assigned: list[tuple[_Block, int]], claimed: set[str], *,
                          settle: bool) -> tuple[list[tuple[_Block, int]], tuple[OwnerDoubt, ...]]:
    """``assigned`` with each line the text leaves open (:func:`_shifted`) read as the table's
    identities prefer (only when ``settle``: otherwise the cut that gave it stays as it is, and its
    reading is doubtful), and a note for every line whose owner they leave undecided (every line of
    zeros: both readings sum alike), read as the matching chose. ``claimed`` holds the rows that
    have values (rows in ``assigned`` and any read from elsewhere)."""
    doubts: list[OwnerDoubt] = []
    lines = geometry.lines
    unread = claimed - {b.row.key for b, _ in assigned}
    n = 0
    while n < len(assigned):
        other = _shifted(geometry, assigned, n, claimed)
        if other is None:
            n += 1
            continue
        kept_score = _identity_score(geometry.table, assigned, lines, unread)
        other_score = _identity_score(geometry.table, other, lines, unread)
        if other_score > kept_score and settle:
            assigned = other
            claimed = unread | {b.row.key for b, _ in assigned}
        elif other_score >= kept_score:
            owners = {at: b.row.key for b, at in assigned}
            doubts.extend(OwnerDoubt(" ".join(it.text for it in lines[at]), owners[at], b.row.key)
                          for b, at in other if owners.get(at) not in (None, b.row.key))
        n += 1
    return assigned, tuple(dict.fromkeys(doubts))


def _identity_score(table: TableSpec, assigned: list[tuple[_Block, int]], lines: dict[int, list[Item]],
                    unread: set[str]) -> int:
    """Column identities of ``table`` that hold, less those that fail, when each block's row holds its
    line's values (a row without a line is blank). Identities over a row whose line does not give
    exactly its width, or whose values are ``unread`` here (not on one value line), are skipped:
    which cell each value fills is then not known here."""
    values: dict[str, list[float | None] | None] = dict.fromkeys(unread)
    for block, line in assigned:
        items = lines[line]
        exact = len(items) == len(block.row.cols)
        values[block.row.key] = ([parse_value(it.text) if it.kind in ("num", "ph") else None for it in items]
                                 if exact else None)
    score = 0
    for ident in table.identities:
        if ident.per != "col" or any(key in values and values[key] is None for key in (*ident.left, *ident.right)):
            continue
        width = len(next(r.cols for r in table.rows if r.key == ident.right[0]))
        for col in range(width):
            left = [_cell(values, key, col) for key in ident.left]
            right = [_cell(values, key, col) for key in ident.right]
            score += IDENTITY_VOTE[identity_status(left, right, ident.relation)[0]]
    return score


def _cell(values: dict[str, list[float | None] | None], key: str, col: int) -> float | None:
    """Column ``col`` of row ``key`` (``None`` for a row printed blank)."""
    row = values.get(key)
    return row[col] if row is not None and col < len(row) else None
