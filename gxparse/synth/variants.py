"""Variants of a synthetic report: the ways real copies depart from the clean frame (issue 9 item 2).

Each variant is one named, independently selectable departure, recorded in the gold JSON's
``"variants"`` list so benchmarks can break accuracy down per variant:

* headings — ``heading_typo`` (a wrong, missing or extra character), ``heading_numbering`` (二、 printed
  as 二. / （二） / 2、 / 第二部分 / nothing), ``heading_traditional`` (headings alone in traditional
  script), ``heading_split`` (over several lines or cells), ``heading_repeated``, ``heading_absent``;
* what the copy holds — ``starts_in_table`` (the text begins inside a table; rows before the cut are
  absent from the gold), ``excerpt_one_table`` (one table and nothing else);
* where things are — ``numbering_clash`` (numbered lines 一、…四、 inside section 三 before section 四),
  ``table_order`` (tables in another order), ``appendix_tables`` (tables as 附表 after the narrative),
  ``preamble_toc`` (the sections announced in the preamble);
* what the tables say — ``legacy_header_words`` (legacy column headers in words drawn from a wide
  vocabulary: 本年数, 当年, 累计数, 计量单位 …), ``legacy_column_order`` (the unit / current /
  cumulative columns in another order), ``narrative_numbers`` (prose with numbers right before
  and after tables), ``blank_table`` (a table printed with every cell blank), ``blank_rows`` (rows
  printed with blank cells).

The gold stays exact: a blank cell is ``null``, a row or table that is not printed is absent.
:func:`draw_variants` draws the variants of one report; :class:`Variation` carries out the printing
choices they imply.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from gxparse.synth.model import Span

HEADING_VARIANTS: tuple[str, ...] = ("heading_typo", "heading_numbering", "heading_traditional", "heading_split",
                                     "heading_repeated", "heading_absent")
CUT_VARIANTS: tuple[str, ...] = ("starts_in_table", "excerpt_one_table")
GOV_VARIANTS: tuple[str, ...] = (HEADING_VARIANTS + CUT_VARIANTS
                                 + ("numbering_clash", "table_order", "appendix_tables", "preamble_toc",
                                    "narrative_numbers", "blank_table", "blank_rows"))
LEGACY_VARIANTS: tuple[str, ...] = (HEADING_VARIANTS + CUT_VARIANTS
                                    + ("preamble_toc", "legacy_header_words", "legacy_column_order", "narrative_numbers",
                                       "blank_table", "blank_rows"))
VARIANTS: tuple[str, ...] = tuple(dict.fromkeys(GOV_VARIANTS + LEGACY_VARIANTS))
DEFAULT_VARIANT_RATE = 0.35  # share of make_corpus reports with at least one variant
MAX_VARIANTS = 3  # a report draws 1..MAX_VARIANTS variants when it draws any
# variants that make no sense together: an excerpt has no frame to reorder, cut or announce
_EXCLUSIVE = {"excerpt_one_table": {"starts_in_table", "table_order", "appendix_tables", "preamble_toc",
                                    "numbering_clash", "heading_repeated"},
              "starts_in_table": {"excerpt_one_table", "preamble_toc", "table_order", "appendix_tables"}}
_P_NARRATIVE = 0.7  # chance of a number-bearing paragraph right before (and, again, right after) a table
_P_HEADING = 0.7  # chance that a heading variant touches a given table heading (at least one always is)
_P_OTHER_HEADING = 0.3  # chance that it touches another heading (一、总体情况, 五、…, an appendix caption)

# characters a scrape or a typist confuses (OCR look-alikes and homophones seen in real copies)
_CONFUSIONS = {"公": "功", "开": "幵", "政": "正", "府": "付", "信": "言", "息": "思", "况": "兄", "情": "清",
               "申": "审", "请": "清", "处": "外", "理": "里", "动": "劝", "主": "王", "收": "枚", "到": "倒",
               "复": "夏", "议": "仪", "诉": "拆", "讼": "松", "行": "衍", "年": "午", "报": "极", "表": "衣"}
_EXTRA = ("的", "、", " ", "之", "工作")
_CN_NUMBERS = "一二三四五六七八九十"

LEGACY_COLUMNS: tuple[str, ...] = ("unit", "current", "cumulative")  # the usual printing order
LEGACY_NAME_WORDS = ("指标名称", "指 标 名 称", "统计指标", "项目", "指标", "内容", "类别", "统计项目", "名称")
LEGACY_UNIT_WORDS = ("单位", "计量单位", "单位名称", "计算单位", "统计单位", "量词", "单 位")
LEGACY_CURRENT_WORDS = ("{year}年", "{year}年度", "本年数", "当年", "年度数量", "本年度", "本期数", "本年", "当年数",
                        "本年度数量", "{year}年数据", "今年", "本年度情况")
LEGACY_CUMULATIVE_WORDS = ("历年累计", "累计数", "总计", "累计", "历年总计", "累计总数", "历年累计数", "自2008年以来累计",
                           "合计", "累计数量", "历年合计")


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """``text`` in traditional script (OpenCC ``s2t``; digits unchanged)."""
    return str(_s2t().convert(text))


_NAMED_RATES = {"none": 0.0, "all": 1.0}


def variant_rate(rate: float | str) -> float:
    """The share of reports that carry variants: ``"none"`` → 0, ``"all"`` → 1, or a rate in [0, 1]."""
    if isinstance(rate, str):
        if rate not in _NAMED_RATES:
            raise ValueError(f"variants must be 'none', 'all' or a rate in [0, 1], not {rate!r}")
        return _NAMED_RATES[rate]
    if not 0.0 <= float(rate) <= 1.0:
        raise ValueError(f"a variant rate must lie in [0, 1], not {rate!r}")
    return float(rate)


def draw_variants(template_id: str, rng: np.random.Generator, rate: float | str,
                  script: str = "simplified") -> tuple[str, ...]:
    """Draw the variants of one report.

    ``rate`` is ``"none"``, ``"all"`` (every report gets at least one variant) or the probability that a
    report gets any (:func:`variant_rate`). A report that gets variants draws 1..:data:`MAX_VARIANTS`
    compatible ones; ``heading_traditional`` is not drawn for a report already in traditional script.
    """
    p = variant_rate(rate)
    if p == 0.0 or rng.random() >= p:
        return ()
    pool = [v for v in (LEGACY_VARIANTS if template_id == "legacy" else GOV_VARIANTS)
            if not (v == "heading_traditional" and script == "traditional")]
    chosen: list[str] = []
    for name in rng.permutation(pool)[: int(rng.integers(1, MAX_VARIANTS + 1))]:
        if not any(_clash(str(name), other) for other in chosen):
            chosen.append(str(name))
    return tuple(sorted(chosen, key=VARIANTS.index))


def _clash(a: str, b: str) -> bool:
    return b in _EXCLUSIVE.get(a, ()) or a in _EXCLUSIVE.get(b, ())


def check_variants(names: Sequence[str], template_id: str) -> tuple[str, ...]:
    """Validate explicit variant names for ``template_id`` (unknown or inapplicable names raise)."""
    allowed = LEGACY_VARIANTS if template_id == "legacy" else GOV_VARIANTS
    wrong = [n for n in names if n not in allowed]
    if wrong:
        raise ValueError(f"variants {wrong} do not apply to {template_id!r}; known: {allowed}")
    return tuple(sorted(set(names), key=VARIANTS.index))


def _typo(text: str, rng: np.random.Generator) -> str:
    """One wrong, missing or extra character in the words of a heading (never in its numbering)."""
    start = text.find("、") + 1
    positions = [i for i in range(start, len(text)) if "\u4e00" <= text[i] <= "\u9fff"]
    if not positions:
        return text
    at = positions[int(rng.integers(len(positions)))]
    kind = str(rng.choice(["wrong", "missing", "extra"]))
    if kind == "wrong":
        swap = _CONFUSIONS.get(text[at], text[at - 1] if at > start else "之")
        return text[:at] + swap + text[at + 1:]
    if kind == "missing" and len(positions) > 3:
        return text[:at] + text[at + 1:]
    return text[:at] + str(rng.choice(_EXTRA)) + text[at:]


def _renumber(text: str, rng: np.random.Generator) -> str:
    """The heading's 二、 numbering printed in another form, or dropped."""
    if len(text) < 2 or text[0] not in _CN_NUMBERS or text[1] != "、":
        return text
    number, words = text[0], text[2:]
    forms = [f"{number}.", f"{number}．", f"{number}，", f"{number} 、", f"（{number}）", f"({number})",
             f"{_CN_NUMBERS.index(number) + 1}、", f"{_CN_NUMBERS.index(number) + 1}.", f"第{number}部分 ", f"{number} ", ""]
    return str(rng.choice(forms)) + words


def _split(text: str, rng: np.random.Generator) -> list[str]:
    """The heading cut into 2–3 pieces, printed as separate lines or cells."""
    if len(text) < 4:
        return [text]
    cuts = sorted(set(int(c) for c in rng.integers(1, len(text), size=int(rng.integers(1, 3)))))
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if a < b]


@dataclass(frozen=True)
class PrintedHeading:
    """How one heading is printed: its pieces (one per line/cell; empty when absent) and a repeat flag."""

    pieces: tuple[str, ...]
    repeat: bool = False


class Variation:
    """The printing decisions implied by a report's variants, drawn from the report's generator."""

    def __init__(self, names: Sequence[str], rng: np.random.Generator) -> None:
        self.names = frozenset(names)
        self.rng = rng

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def headings(self, texts: Sequence[str]) -> list[PrintedHeading]:
        """Print decisions for a run of section headings that introduce tables.

        Each heading variant of the report touches each heading with probability :data:`_P_HEADING`,
        and always at least one of them.
        """
        chosen = [n for n in HEADING_VARIANTS if n in self.names]
        touched = {n: [bool(self.rng.random() < _P_HEADING) for _ in texts] for n in chosen}
        for flags in touched.values():
            if texts and not any(flags):
                flags[int(self.rng.integers(len(texts)))] = True
        return [self._heading(text, {n for n in chosen if touched[n][i]}) for i, text in enumerate(texts)]

    def heading(self, text: str) -> PrintedHeading:
        """Print decision for a heading that does not introduce a table (each heading variant of the
        report applies with probability :data:`_P_OTHER_HEADING`)."""
        applied = {n for n in HEADING_VARIANTS if n in self.names and self.rng.random() < _P_OTHER_HEADING}
        return self._heading(text, applied)

    def _heading(self, text: str, applied: set[str]) -> PrintedHeading:
        if "heading_absent" in applied:
            return PrintedHeading(())
        if "heading_numbering" in applied:
            text = _renumber(text, self.rng)
        if "heading_typo" in applied:
            text = _typo(text, self.rng)
        if "heading_traditional" in applied:
            text = traditional(text)
        pieces = _split(text, self.rng) if "heading_split" in applied else [text]
        return PrintedHeading(tuple(pieces), "heading_repeated" in applied)

    def order(self, n: int) -> list[int]:
        """The printing order of ``n`` tables: a different permutation under ``table_order``."""
        if "table_order" not in self.names or n < 2:
            return list(range(n))
        while True:
            order = [int(i) for i in self.rng.permutation(n)]
            if order != list(range(n)):
                return order

    def numbered_lines(self) -> list[str]:
        """Numbered work items (一、…四、) printed inside section 三, before the real section 四."""
        items = ["规范受理流程", "严格答复时限", "加强答复审核", "完善档案管理", "畅通申请渠道", "健全会商机制"]
        count = int(self.rng.integers(4, 6))
        picked = [items[int(i)] for i in self.rng.permutation(len(items))[:count]]
        return [f"{_CN_NUMBERS[i]}、{item}。" for i, item in enumerate(picked)]

    def narrative(self, year: int, where: str) -> str | None:
        """Under ``narrative_numbers``, sometimes a paragraph with numbers to print ``where`` ("before" /
        "after") a table; it is not part of any table. ``None``: print nothing there."""
        if "narrative_numbers" not in self.names or self.rng.random() >= _P_NARRATIVE:
            return None
        n = int(self.rng.integers(1, 5000))
        pct = f"{self.rng.uniform(0.5, 60):.1f}"
        if where == "before":
            options = [f"{year}年，本机关共办理各类事项{n}件，同比增长{pct}%。",
                       f"截至{year}年12月31日，累计公开信息{n}条，较上年增加{int(self.rng.integers(1, 99))}条。",
                       f"具体数据如下（单位：件），共{int(self.rng.integers(2, 30))}项："]
        else:
            options = [f"注：以上数据统计截至{year}年12月31日，其中网上办理{n}件，占比{pct}%。",
                       f"另有{int(self.rng.integers(1, 50))}件咨询类来信已转有关部门办理，不计入上表。",
                       f"与{year - 1}年相比，总量上升{pct}%，共{n}件次。"]
        return str(self.rng.choice(options))

    def toc(self, sections: Sequence[str]) -> tuple[str, list[str]]:
        """The preamble's announcement of the sections: one sentence or a list of heading lines."""
        if self.rng.random() < 0.5:
            names = "、".join(s.split("、", 1)[-1] for s in sections)
            return "sentence", [f"本报告由{names}等{_CN_NUMBERS[len(sections) - 1]}个部分组成。"]
        return "list", ["目录", *sections]

    def legacy_columns(self) -> tuple[str, ...]:
        """The printing order of the legacy value columns: another order under ``legacy_column_order``."""
        if "legacy_column_order" not in self.names:
            return LEGACY_COLUMNS
        others = [order for order in itertools.permutations(LEGACY_COLUMNS) if order != LEGACY_COLUMNS]
        return others[int(self.rng.integers(len(others)))]

    def legacy_header(self, year: int) -> list[str]:
        """Legacy table column headers drawn from the wide vocabulary of :data:`LEGACY_CURRENT_WORDS` etc."""
        words = (LEGACY_NAME_WORDS, LEGACY_UNIT_WORDS, LEGACY_CURRENT_WORDS, LEGACY_CUMULATIVE_WORDS)
        return [str(w[int(self.rng.integers(len(w)))]).format(year=year) for w in words]


def blank_table(tables: dict[str, Any], rng: np.random.Generator) -> None:
    """Blank every value cell of one table in place (legacy units stay: they label the row)."""
    key = sorted(tables)[int(rng.integers(len(tables)))]
    for cols in tables[key].values():
        for col, value in cols.items():
            if not isinstance(value, str):
                cols[col] = None


def blank_rows(tables: dict[str, Any], rng: np.random.Generator) -> None:
    """Blank 1–3 rows in place (rows that were all zero where identities tie the table, else any row)."""
    candidates = []
    for table, rows in tables.items():
        for row, cols in rows.items():
            numbers = [v for v in cols.values() if not isinstance(v, str)]
            if table in ("active_disclosure", "legacy_indicators") or not any(numbers):
                candidates.append((table, row))
    for i in rng.permutation(len(candidates))[: int(rng.integers(1, 4))]:
        table, row = candidates[int(i)]
        cols = tables[table][row]
        for col, value in cols.items():
            if not isinstance(value, str):
                cols[col] = None


def _row_of(key: str) -> str:
    return key.rsplit(".", 1)[0]


def cut_inside_table(text: str, cells: dict[str, Span | None], labels: dict[str, Span], rng: np.random.Generator,
                     html: bool) -> tuple[str, dict[str, Span | None], dict[str, Span]] | None:
    """Drop the start of ``text`` up to a row boundary inside a table (``starts_in_table``).

    Rows are taken in printing order (the order of ``cells``). A cut after row ``k - 1`` is possible
    when every printed value and label of rows ``k…`` lies after the last printed value of rows
    ``…k - 1``; one such cut in the first two thirds of the rows is drawn. Rows before the cut leave
    ``cells`` and ``labels`` (so they leave the gold); the spans of the rest are shifted. HTML cuts
    at the next ``<tr``. Returns ``None`` when no row boundary qualifies. A row printed blank whose
    label span is unknown (the gov writers record none) has no known place: a writer may register its
    blank cells before it prints the rows around them (the PDF writer). No cut lands in a table holding
    such a row, since its label, printed after the cut, would be a printed row missing from the gold.
    """
    rows = list(dict.fromkeys(_row_of(k) for k in cells))
    spans_of = {row: [s for k, s in cells.items() if _row_of(k) == row and s] for row in rows}
    label_of = dict(labels)  # legacy labels are keyed by row ("legacy_indicators.apps_total")
    options = []
    end = 0
    unplaced_tables = {_row_of(row) for row in rows if not spans_of[row] and row not in label_of}
    for k in range(1, len(rows)):
        end = max([end, *(s[1] for s in spans_of[rows[k - 1]])])
        if {_row_of(rows[k - 1]), _row_of(rows[k])} & unplaced_tables:
            continue
        later = [s[0] for row in rows[k:] for s in spans_of[row] + ([label_of[row]] if row in label_of else [])]
        if end and later and min(later) >= end:
            options.append((k, end, min(later)))
    options = options[: max(1, 2 * len(options) // 3)]
    if not options:
        return None
    k, cut, first = options[int(rng.integers(len(options)))]
    if html:
        cut = text.find("<tr", cut, first)
        if cut < 0:
            return None
    kept = set(rows[k:])
    new_cells = {key: (s[0] - cut, s[1] - cut) if s else None for key, s in cells.items() if _row_of(key) in kept}
    new_labels = {key: (s[0] - cut, s[1] - cut) for key, s in labels.items() if key in kept}
    return text[cut:], new_cells, new_labels


NO_VARIATION = Variation((), np.random.default_rng(0))  # no variants: draws nothing, changes nothing
