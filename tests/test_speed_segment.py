"""The fast paths of segmentation give what the plain computations give (speed must not change outputs).

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the joined
breaks of a fixed-width line found once per line against searching up to each row's first value, a full
row read from its first and last line starts against reading it from every start, label pieces scored
together (one ``cdist`` per ratio, scores kept per piece key) against scoring each piece against each row,
the row counter's candidates passed over by kind against asking every item, the scanner's shortcuts for a
pipe cell of one number and a word of label text against its general reading, a table without an empty cell
ending a row left as it is by the padding reader, the anchored cut of the best-scoring row layout against
cutting every layout and keeping the best (the cut at spaces made only when a row went unfound), and the label
pieces before the first value cut from the text items where it stands against asking each text item, and a glued
copy's text items cut at numberings or labels keeping an uncut item against making each piece anew (and searched
for a numbering only where one can begin past their first character).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse import column_grid, labels, row_counter, scan, segments
from gxparse.ir import Item, LayoutRegion, RowProblem
from gxparse.layouts import glued, pipe_grid
from gxparse.layouts.base import region_mode, scanned
from gxparse.normalize import normalize_text
from gxparse.parser import analyze
from gxparse.sources import read_source
from gxparse.template import get_template

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"

_LINE_ALPHABET = "中文 0 1\n件a"


def _plain_line_starts(text: str, first_value: int) -> list[int]:
    """The reference: the line's start, then every joined break found up to the first value."""
    line_start = text.rfind("\n", 0, first_value) + 1
    return [line_start, *(m.end() for m in column_grid._JOINED_BREAK.finditer(text, line_start, first_value))]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_LINE_ALPHABET), max_size=40), st.data())
def test_line_starts_equal_searching_up_to_the_first_value(text: str, data: st.DataObject) -> None:
    widths = column_grid._LineWidths(text)
    digits = [n for n, ch in enumerate(text) if ch.isdigit()]
    for first_value in data.draw(st.lists(st.sampled_from(digits), max_size=4)) if digits else []:
        assert column_grid._line_starts(text, first_value, widths) == _plain_line_starts(text, first_value)


def test_a_row_read_from_its_end_starts_equals_the_ends_of_every_start() -> None:
    text = "一 二 三 四 五 六 七  0   12    3\n"
    first = text.index("0")
    items = [Item("num", m, at, at + len(m), 0) for m, at in (("0", first), ("12", first + 4), ("3", first + 10))]
    every = column_grid._readings(text, items, column_grid._LineWidths(text), every_start=True)
    ends = column_grid._readings(text, items, column_grid._LineWidths(text), every_start=False)
    assert every is not None and len(every) == 7
    assert ends == [every[0], every[-1]]
    one_start = "行政许可  0   12    3\n"
    items = [Item("num", "0", 6, 7, 0)]
    assert column_grid._readings(one_start, items, column_grid._LineWidths(one_start), every_start=False) == \
        column_grid._readings(one_start, items, column_grid._LineWidths(one_start), every_start=True)


def _pieces(limit: int = 6) -> list[str]:
    """Label-ish pieces: the words and line heads of a few dev reports, every template label and alias, numbered
    (agreeing or not with a row's numbering) and cut short (a wrapped fragment)."""
    pieces = []
    for path in sorted(DEV.glob("*.txt"))[:limit]:
        for line in normalize_text(path.read_text(encoding="utf-8")).text.split("\n"):
            pieces += [*line.replace("|", " ").split(), line[:60]]
    rows = _rows()
    pieces += [r.label for r in rows] + [a for r in rows for a in r.aliases]
    pieces += [f"({n}){r.label}" for n, r in zip("一二三四五六七", rows)] + [f"3.{r.label[:5]}" for r in rows]
    return list(dict.fromkeys(pieces))


def _rows() -> list:
    """Every row of every template that has a label (a table of one row, 四, is never aligned)."""
    return [r for t in ("gov2019", "gov2021", "legacy") for table in get_template(t).tables for r in table.rows if r.label]


def test_pieces_scored_together_equal_each_scored_alone() -> None:
    pieces, rows = _pieces(), _rows()
    labels._key_scores.clear()
    for some in (pieces[:1], pieces[:7], pieces):  # one new piece, a few, many; then all again from the kept keys
        together = labels._score_pieces(some, rows)
        alone = [[labels._score_piece(p, row) for p in some] for row in rows]
        assert together == alone
        assert all(type(s) is float for scores in together for s in scores)
    assert labels._score_pieces(pieces, rows[3:20]) == [[labels._score_piece(p, row) for p in pieces] for row in rows[3:20]]
    assert len(labels._key_scores) <= labels.KEYS_KEPT


def test_alignment_from_batch_scores_equals_scoring_afresh() -> None:
    pieces = _pieces(2)[:80]
    for table in [t for t in get_template("gov2021").tables if len(t.rows) > 1]:
        rows = table.layout()
        for monotone in (True, False):
            labels._alignments.clear()
            labels._row_scores.clear()
            labels._key_scores.clear()
            fresh = [[labels._score_piece(p, r) for p in pieces] for r in rows]
            expected = (labels._monotone(fresh, rows, len(pieces), labels.MATCH_CUTOFF, [1.0] * len(rows)) if monotone
                        else labels._greedy(fresh, rows, labels.MATCH_CUTOFF))
            assert labels.align_rows(pieces, rows, monotone=monotone) == expected


_ITEMS = st.lists(st.tuples(st.sampled_from(["num", "text", "ph", "blank"]), st.sampled_from(["1", "2", "3", "05", "12", "件", "属于"]),
                            st.integers(0, 2), st.sampled_from([(), ("numbering_next",)]), st.booleans()), max_size=12)


@settings(max_examples=400, deadline=None)
@given(_ITEMS)
def test_counter_candidates_equal_asking_every_item(specs: list) -> None:
    items, at, line = [], 0, 0
    for kind, text, gap, flags, new_line in specs:
        line += new_line
        items.append(Item(kind, text, at + gap, at + gap + len(text), line, flags))
        at += gap + len(text)
    plain = [(i, v) for i in range(len(items)) if (v := row_counter._counter_value(items, i)) is not None]
    assert row_counter._candidates(items) == plain


def test_line_measures_kept_per_text_equal_fresh_ones() -> None:
    text = "一 二 三  0   12    3\n行政许可  0   1\n"
    kept = column_grid._line_widths(text)
    assert column_grid._line_widths(text) is kept  # every table cut from the text shares them
    for line_start in (0, text.index("行")):
        fresh = column_grid._LineWidths(text)
        assert kept.of_line(line_start) == fresh.of_line(line_start)
        assert kept.joined_breaks(line_start) == fresh.joined_breaks(line_start)


_CELL_ALPHABET = "0123456789 \u3000\t无—/-+,.()其中属于件"


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(_CELL_ALPHABET), min_size=1, max_size=12).filter(str.strip)
       .filter(lambda cell: not scan._MARKDOWN_RULE_ROW.fullmatch(f"|{cell}|")))  # ``|---|`` is a rule row: no cell
def test_pipe_cell_shortcut_equals_reading_the_cell_inline(cell: str) -> None:
    assert scan._scan_pipe_line(f"|{cell}|", 0, 3) == scan._numbered_label_cell(scan._scan_inline(cell, 1, 3))


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from("属于国家秘密无—―/)其他、.:并法"), min_size=1, max_size=10))
def test_label_word_shortcut_equals_the_word_scanner(word: str) -> None:
    assert scan._NUMBER_OR_NOTE_MARK.search(word) is None  # the words the shortcut reads
    assert scan._split_glued_placeholders(word, 5, 2) == scan._scan_word(word, 5, 2)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["num", "ph", "blank", "text"]), st.sampled_from([(), ("pipe",), ("gap",)])),
                max_size=9), st.integers(1, 8))
def test_a_row_without_a_trailing_cell_keeps_its_items(specs: list, width: int) -> None:
    items = [Item(kind, "0" if kind == "num" else "", n, n + 1, 0, flags) for n, (kind, flags) in enumerate(specs)]
    row = RowProblem("r", tuple(f"c{n}" for n in range(width)), items, ())
    assert pipe_grid._blank_last_cells(row) == items  # so blanks_beyond_padding has nothing to read in such a table


def _cut_every_layout(table, items: list[Item]):
    """The reference: every row layout anchored and cut, the best score kept (the first of equal ones), then the
    same over the pieces cut at spaces when the best misses rows."""
    layouts = [table.layout()] + ([table.layout(alternatives=True)] if table.has_alternatives else [])
    best, best_score = None, -1.0
    for rows in layouts:
        anchoring = segments._anchoring(table, rows, items)
        if anchoring.score > best_score:
            best, best_score = segments._cut(table, rows, items, anchoring), anchoring.score
    split = segments._split_at_spaces(items)
    if len(best.matched) < len(layouts[0]) and split is not None:
        pieces, origin = split
        for rows in layouts:
            anchoring = segments._anchoring(table, rows, pieces)
            if anchoring.score > best_score:
                seg = segments._cut(table, rows, pieces, anchoring)
                best = replace(seg, anchors={k: origin[pos] for k, pos in seg.anchors.items()})
                best_score = anchoring.score
    return best


def test_only_the_best_layout_is_cut(dev_dir: Path) -> None:
    compared = 0
    for gold in sorted(dev_dir.glob("*.json")):
        src = read_source(dev_dir / json.loads(gold.read_text(encoding="utf-8"))["input"])
        analysis = analyze(normalize_text(src.text).text, kind=src.kind)
        for spec, region, _ in analysis.tables.values():
            if len(spec.rows) == 1:
                continue
            layout = LayoutRegion(analysis.text, region, spec, src.kind)
            for mode in {region_mode(layout), "inline"}:
                items = scanned(layout, mode)
                assert segments.segment_anchored(spec, items) == _cut_every_layout(spec, items)
                compared += spec.has_alternatives
    assert compared  # tables with two row layouts were among them


def _plain_row_label_pieces(table, items: list[Item]) -> list[int]:
    """The reference: the text items before the first value found by asking every text item."""
    texts = [i for i, it in enumerate(items) if it.kind == "text"]
    first_value = next((i for i, it in enumerate(items) if it.kind in ("num", "ph")), None)
    before = [i for i in texts if first_value is not None and i < first_value]
    if len(before) < 2:
        return texts
    keys = segments._column_keys(table)
    header = {i for i in before[:-1] if segments.label_key(items[i].text) in keys}
    return [i for i in texts if i not in header]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["num", "ph", "blank", "text"]),
                          st.sampled_from(["总计", "其他", "自然人", "行政许可", "0"])), max_size=12))
def test_label_pieces_before_the_first_value_cut_at_it(specs: list) -> None:
    table = get_template("gov2021").table("applications")  # its columns 其他 and 总计 are also row labels
    items = [Item(kind, text, n, n + 1, n) for n, (kind, text) in enumerate(specs)]
    assert segments._row_label_pieces(table, items) == _plain_row_label_pieces(table, items)


def _plain_cut(items: list[Item], cuts_of) -> list[Item]:
    """The reference: every text item of exact span made anew, piece by piece."""
    out: list[Item] = []
    for item in items:
        if item.kind != "text" or item.end - item.start != len(item.text):
            out.append(item)
            continue
        cuts = sorted({c for c in cuts_of(item.text) if c > 0})
        for begin, end in zip([0, *cuts], [*cuts, len(item.text)]):
            piece = item.text[begin:end].rstrip()
            if piece.strip():
                out.append(Item("text", piece, item.start + begin, item.start + begin + len(piece), item.line, item.flags))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["text", "num"]),
                          st.sampled_from(["行政许可", "(二)行政处罚 ", "  ", "", "其他(三)不予公开", "一、收到", "0",
                                           "第二十条第(一)项", "收到 二、 申请", "总计(（ 四 )无法提供"]),
                          st.booleans()), max_size=8))
def test_an_uncut_label_piece_is_kept_as_scanned(specs: list) -> None:
    spec = get_template("gov2021").table("applications")
    items = [Item(kind, text, 10 * n, 10 * n + len(text) + (0 if exact else 1), n) for n, (kind, text, exact) in enumerate(specs)]
    numbering, _ = glued._numbering_pattern(spec)
    cuts_of = lambda text: [m.start() for m in numbering.finditer(text)]  # noqa: E731
    assert glued._cut(items, cuts_of) == _plain_cut(items, cuts_of)
    assert glued.split_at_numbering(items, spec) == _plain_cut(items, cuts_of)  # pieces searched only past their start
