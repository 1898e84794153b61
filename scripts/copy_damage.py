"""A third, independent generator: reports as scrapers copy them, with gold in the corpus format.

``python scripts/copy_damage.py OUTDIR -n 200 --seed S`` writes ``cd-S-i.txt`` and its gold ``cd-S-i.json``
(keys of the canonical template; ``layout`` and ``variants`` name how the copy was made), scored by
``gxparse bench OUTDIR``.

Written from how real copies look (dev and wild reports), without reading the parser's own generator
or ``scripts/alt_reports.py``: the point is a view of the world the parser was not tuned to. It leans on
what those two do little of:

* copy forms (``LAYOUTS``): a browser copy with every cell on its own line, a browser copy with cells
  joined by tabs (rowspans collapsed, so a row carries 1–3 label cells), ``pdftotext -layout`` text
  with fixed-width columns, wrapped labels and page breaks, and a page flattened to one line;
* damages (``DAMAGES``): agency wordings of row labels and their numbering, a 序号 column, header cells
  in another order, units after values, placeholders, blank rows and tables, rows not printed, notes
  and 单位 lines around a table, numbers in the narrative, tables announced in the preamble.

Gold follows the contract: a printed blank or placeholder is ``null`` with its row present, a row or
table that is not printed is absent. Only zero cells are printed blank or as a placeholder (agencies
leave zeros empty), so the printed identities still hold and ``balanced`` says so.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

Value = Union[int, float, str, None]

LAYOUTS = ("browser_cells", "browser_tabs", "pdftotext", "page_flow")
DAMAGES = ("reworded", "renumbered", "row_numbers", "header_order", "units_after", "placeholders", "blank_rows",
           "blank_table", "row_not_printed", "notes_around", "page_break", "wrapped_labels", "announced",
           "narrative_numbers")
TEMPLATE_WEIGHTS = {"gov2021": 0.6, "gov2019": 0.25, "legacy": 0.15}
DAMAGE_RATE = 0.2  # chance of each damage that fits the layout; every report gets at least one
PLACEHOLDERS = ("—", "／", "/", "-", "无", "——")
APPLICANTS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org")
APPLICANT_HEADS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
MEASURES = ("upheld", "corrected", "other", "pending", "total")
MEASURE_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
CIRCLED = "①②③④⑤⑥⑦⑧⑨"
CN_NUM = "一二三四五六七八九"

# --- template rows: (key, printed label, agency rewordings) -----------------------------------------

ROWS_2021_TAIL = [("other_no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                   ["申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请"]),
                  ("other_unpaid_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                   ["申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请"]),
                  ("other_other", "其他", ["其它"])]
GROUPS_3 = [  # (group label or None, [(key, label, rewordings)])
    (None, [("result_granted", "予以公开", []),
            ("result_partial", "部分公开（区分处理的，只计这一情形，不计其他情形）", ["部分公开"])]),
    ("不予公开", [("denied_state_secret", "属于国家秘密", []),
              ("denied_law_forbidden", "其他法律行政法规禁止公开", ["其他法律、行政法规禁止公开"]),
              ("denied_security_stability", "危及“三安全一稳定”", ["危及三安全一稳定", "危及\"三安全一稳定\""]),
              ("denied_third_party", "保护第三方合法权益", []),
              ("denied_internal_affairs", "属于三类内部事务信息", []),
              ("denied_process_info", "属于四类过程性信息", []),
              ("denied_enforcement_file", "属于行政执法案卷", []),
              ("denied_admin_query", "属于行政查询事项", [])]),
    ("无法提供", [("unable_not_held", "本机关不掌握相关政府信息", ["本机关不掌握相关信息"]),
              ("unable_need_creation", "没有现成信息需要另行制作", []),
              ("unable_unclear", "补正后申请内容仍不明确", [])]),
    ("不予处理", [("not_processed_petition", "信访举报投诉类申请", []),
              ("not_processed_repeat", "重复申请", []),
              ("not_processed_publication", "要求提供公开出版物", []),
              ("not_processed_massive", "无正当理由大量反复申请", []),
              ("not_processed_confirm", "要求行政机关确认或重新出具已获取信息", ["要求行政机关确认或重新出具"])]),
]
TOP_3 = {"new_received": ("本年新收政府信息公开申请数量", ["本年度新收政府信息公开申请数量", "本年新收申请数量"]),
         "carried_over": ("上年结转政府信息公开申请数量", ["上年度结转政府信息公开申请数量", "上年结转申请数量"]),
         "carry_to_next": ("结转下年度继续办理", ["结转下一年度继续办理"])}
LEGACY_ROWS = [("proactive_total", "主动公开文件数", "条", None), ("proactive_website", "政府网站公开数", "条", "proactive_total"),
               ("proactive_gazette", "政府公报公开数", "条", "proactive_total"),
               ("apps_total", "受理政府信息公开申请总数", "条", None), ("apps_in_person", "当面申请数", "条", "apps_total"),
               ("apps_online", "网上申请数", "条", "apps_total"), ("apps_letter_fax", "信函、传真申请数", "条", "apps_total"),
               ("replies_total", "对申请的答复总数", "条", None), ("reply_granted", "同意公开答复数", "条", "replies_total"),
               ("reply_partial", "同意部分公开答复数", "条", "replies_total"),
               ("reply_denied", "不予公开答复数", "条", "replies_total"), ("reply_other", "其他类型答复数", "条", "replies_total"),
               ("admin_review", "行政复议数", "件", None), ("admin_litigation", "行政诉讼数", "件", None)]
LEGACY_HEADS = {"indicator": ["指标名称", "指 标 名 称", "统计指标", "项目"], "unit": ["单位", "计量单位", "计算单位"],
                "current": ["{year}年", "{year}年度", "本年度", "本年"], "cumulative": ["历年累计", "累计", "历年累计数"]}
AGENCIES = ["市自然资源和规划局", "区市场监督管理局", "县交通运输局", "区卫生健康委员会", "市生态环境局", "县教育局",
            "区住房和城乡建设局", "镇人民政府", "街道办事处", "市医疗保障局", "区农业农村局", "县水利局"]
PLACES = ["临川", "东湖", "青山", "南溪", "北仑", "西峡", "安平", "永宁"]


@dataclass
class PrintedRow:
    """One printed row of a table: label cells (group labels included) and value cells as printed."""

    kind: str  # "caption" | "header" | "data"
    labels: list[str]
    values: list[str] = field(default_factory=list)


@dataclass
class Drawn:
    """One report being drawn: its gold and the printed tables."""

    rng: random.Random
    template: str
    year: int
    agency: str
    damages: set[str]
    gold_tables: dict[str, dict[str, dict[str, Value]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    printed: dict[str, list[PrintedRow]] = field(default_factory=dict)
    numbering: tuple[str, str, str] = ("{c}、", "（{c}）", "{n}.")


# --- values -----------------------------------------------------------------------------------------

def count(rng: random.Random, zero_p: float, scale: int = 30) -> int:
    """A count as reports print them: mostly zero, else small with a long tail."""
    if rng.random() < zero_p:
        return 0
    return int(rng.paretovariate(1.3) * scale / 4) if rng.random() < 0.9 else rng.randint(scale, scale * 60)


def print_value(d: Drawn, value: Value, unit: str = "件") -> tuple[str, Value]:
    """The text printed for ``value`` and its gold: a zero may print blank or as a placeholder."""
    if value == 0 and "placeholders" in d.damages and d.rng.random() < 0.3:
        return d.rng.choice(PLACEHOLDERS), None
    if value == 0 and "blank_rows" in d.damages and d.rng.random() < 0.15:
        return "", None
    text = str(value)
    if "units_after" in d.damages and isinstance(value, int) and d.rng.random() < 0.5:
        text += unit
    return text, value


def signed(d: Drawn, value: int) -> str:
    return f"+{value}" if value > 0 and d.rng.random() < 0.6 else str(value)


# --- row labels -------------------------------------------------------------------------------------

NUMBERING_STYLES = [  # (一、 level, （一） level, 1. level) as agencies print them; the first is the template's
    ("{c}、", "（{c}）", "{n}."), ("{c}、", "({c})", "{n}、"), ("{c}.", "（{c}）", "（{n}）"), ("{c}、", "（{c}）", "{o}"),
    ("", "", ""), ("", "（{c}）", "{n}.")]


def numbered(d: Drawn, level: int, n: int, label: str) -> str:
    """``label`` with its numbering at ``level`` (0 一、, 1 （一）, 2 1.) in the report's numbering style."""
    return d.numbering[level].format(c=CN_NUM[n - 1], n=n, o=CIRCLED[n - 1]) + label


def worded(d: Drawn, label: str, rewordings: list[str]) -> str:
    if rewordings and "reworded" in d.damages and d.rng.random() < 0.5:
        return d.rng.choice(rewordings)
    return label


# --- tables -----------------------------------------------------------------------------------------

def active_disclosure(d: Drawn) -> None:
    """Table 二 (gov2021 or gov2019 blocks) into gold and printed rows."""
    rng, gold, rows = d.rng, {}, []
    fee_head = rng.choice(["本年收费金额（单位：万元）", "本年收费金额(单位:万元)", "本年收费金额（万元）"])
    if d.template == "gov2021":
        blocks = [("一", ["本年制发件数", "本年废止件数", "现行有效件数"],
                   [("regulations", "规章"), ("normative_documents", worded(d, "行政规范性文件", ["规范性文件"]))],
                   ["issued", "repealed", "in_force"]),
                  ("五", ["本年处理决定数量"], [("admin_licensing", "行政许可")], ["decisions"]),
                  ("六", ["本年处理决定数量"], [("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制")], ["decisions"]),
                  ("八", [fee_head], [("admin_fees", "行政事业性收费")], ["fee_amount"])]
    else:
        three = ["上一年项目数量", "本年增/减", "处理决定数量"]
        blocks = [("一", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                   [("regulations", "规章"), ("normative_documents", "规范性文件")],
                   ["newly_made", "newly_published", "total_published"]),
                  ("五", three, [("admin_licensing", "行政许可"), ("other_admin_services", "其他对外管理服务事项")],
                   ["prev_year_items", "change_this_year", "decisions"]),
                  ("六", three, [("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制")],
                   ["prev_year_items", "change_this_year", "decisions"]),
                  ("八", three[:2], [("admin_fees", "行政事业性收费")], ["prev_year_items", "change_this_year"]),
                  ("九", ["采购项目数量", "采购总金额"], [("centralized_procurement", "政府集中采购")],
                   ["procurement_items", "procurement_amount"])]
    no_rules = rng.random() < 0.6  # most agencies have no rule-making power: 规章 printed 0, blank or —
    for item, heads, block_rows, cols in blocks:
        rows.append(PrintedRow("caption", [f"第二十条第（{item}）项"]))
        rows.append(PrintedRow("header", ["信息内容", *heads]))
        for key, label in block_rows:
            if key == "admin_coercion" and "row_not_printed" in d.damages and rng.random() < 0.5:
                continue  # some agencies drop the 行政强制 row they have nothing for
            texts, values = [], {}
            for col in cols:
                text, value = _active_cell(d, key, col, no_rules)
                texts.append(text)
                values[col] = value
            rows.append(PrintedRow("data", [label], texts))
            gold[key] = values
    d.gold_tables["active_disclosure"], d.printed["active_disclosure"] = gold, rows


def _active_cell(d: Drawn, key: str, col: str, no_rules: bool) -> tuple[str, Value]:
    rng = d.rng
    if key == "regulations" and no_rules:
        return rng.choice([("0", 0), ("", None), ("—", None), ("／", None)])
    if col == "fee_amount":
        amount = 0 if rng.random() < 0.6 else round(rng.uniform(0.1, 900), rng.choice([0, 2, 4]))
        amount = int(amount) if float(amount).is_integer() else amount
        return str(amount), amount
    if col == "change_this_year":
        value = 0 if rng.random() < 0.5 else rng.randint(-20, 40)
        return signed(d, value), value
    if col == "procurement_amount":
        value = 0 if rng.random() < 0.5 else rng.randint(1000, 3_000_000)
        return (f"{value}元" if value and rng.random() < 0.4 else str(value)), value
    scale = 3000 if col == "decisions" else 400 if col in ("in_force", "total_published", "prev_year_items") else 20
    return print_value(d, count(rng, 0.35, scale))


def applications(d: Drawn) -> None:
    """Table 三: leaves drawn per applicant column, totals and carry-overs so every identity holds."""
    rng = d.rng
    leaves: list[tuple[int, str | None, int, str, str]] = []  # (group no, group label, n in group, key, label)
    for g, (group, members) in enumerate(GROUPS_3, start=1):
        for n, (key, label, rewordings) in enumerate(members, start=1):
            leaves.append((g, group, n, key, worded(d, label, rewordings)))
    if d.template == "gov2019":
        leaves.append((5, None, 1, "other_handling", "其他处理"))
    else:
        leaves += [(5, "其他处理", n, key, worded(d, label, rw)) for n, (key, label, rw) in enumerate(ROWS_2021_TAIL, 1)]
    all_blank = "blank_table" in d.damages and rng.random() < 0.5
    busy = rng.random() < 0.7
    values = {key: [count(rng, 0.5 if c == 0 else 0.93, 40) if busy and rng.random() < 0.5 else 0
                    for c in range(6)] for _, _, _, key, _ in leaves}
    if "row_not_printed" in d.damages:
        dropped = {rng.choice([k for k, v in values.items() if not any(v) and k.startswith(("denied", "not_processed"))]
                              or [None])}
    else:
        dropped = set()
    results_total = [sum(values[k][c] for k in values) for c in range(6)]
    carry_to_next = [count(rng, 0.7, 5) for _ in range(6)]
    carried_over = [min(count(rng, 0.7, 5), results_total[c] + carry_to_next[c]) for c in range(6)]
    new_received = [results_total[c] + carry_to_next[c] - carried_over[c] for c in range(6)]
    gold: dict[str, dict[str, Value]] = {}
    rows = [*_applications_header(d)]

    def add(key: str, label_cells: list[str], vals: list[int]) -> None:
        full = [*vals, sum(vals)]
        texts, cells = [], {}
        blank_row = all_blank or ("blank_rows" in d.damages and not any(full) and rng.random() < 0.3)
        for col, v in zip([*APPLICANTS, "total"], full):
            text, gv = ("", None) if blank_row else print_value(d, v)
            texts.append(text)
            cells[col] = gv
        rows.append(PrintedRow("data", label_cells, texts))
        gold[key] = cells

    top = {k: numbered(d, 0, n, worded(d, *TOP_3[k])) for n, k in ((1, "new_received"), (2, "carried_over"),
                                                                     (4, "carry_to_next"))}
    add("new_received", [top["new_received"]], new_received)
    add("carried_over", [top["carried_over"]], carried_over)
    results_head = numbered(d, 0, 3, "本年度办理结果")
    last_group = None
    for g, group, n, key, label in leaves:
        if key in dropped:
            continue
        cells = [results_head] if len(gold) == 2 else []  # the rowspanned 三、 cell prints on the first result row
        if group is None:  # a leaf of its own: （一）予以公开, （二）部分公开, gov2019's （六）其他处理
            cells.append(numbered(d, 1, {"result_granted": 1, "result_partial": 2}.get(key, g + 1), label))
        else:
            if group != last_group:
                cells.append(numbered(d, 1, g + 1, group))
            cells.append(numbered(d, 2, n, label))
        last_group = group
        add(key, cells, values[key])
    add("results_total", [numbered(d, 1, 7, "总计")], results_total)
    add("carry_to_next", [top["carry_to_next"]], carry_to_next)
    d.gold_tables["applications"], d.printed["applications"] = gold, rows


def _applications_header(d: Drawn) -> list[PrintedRow]:
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    if "header_order" in d.damages:
        order = d.rng.choice(["leaf_first", "flat", "no_note"])
        if order == "leaf_first":
            return [PrintedRow("header", ["申请人情况"]), PrintedRow("header", list(APPLICANT_HEADS) + ["总计"]),
                    PrintedRow("header", ["法人或其他组织"])]
        if order == "flat":
            return [PrintedRow("header", [note, "自然人", *APPLICANT_HEADS[1:], "总计"])]
        return [PrintedRow("header", ["申请人情况"]), PrintedRow("header", ["自然人", "法人或其他组织", "总计"]),
                PrintedRow("header", list(APPLICANT_HEADS[1:]))]
    return [PrintedRow("header", [note, "申请人情况"]), PrintedRow("header", ["自然人", "法人或其他组织", "总计"]),
            PrintedRow("header", list(APPLICANT_HEADS[1:]))]


def review_litigation(d: Drawn) -> None:
    """Table 四: three groups of four measures and their totals, one data row of 15 cells."""
    rng = d.rng
    cells: dict[str, Value] = {}
    texts: list[str] = []
    all_blank = "blank_table" in d.damages and rng.random() < 0.4
    for group in ("review", "litigation_direct", "litigation_after_review"):
        parts = [count(rng, 0.75, 6) for _ in range(4)]
        for measure, v in zip(MEASURES, [*parts, sum(parts)]):
            text, gv = ("", None) if all_blank else print_value(d, v)
            texts.append(text)
            cells[f"{group}_{measure}"] = gv
    if "header_order" in d.damages and rng.random() < 0.5:
        header = [PrintedRow("header", ["行政复议", *MEASURE_HEADS, "行政诉讼"]),
                  PrintedRow("header", ["未经复议直接起诉", *MEASURE_HEADS, "复议后起诉", *MEASURE_HEADS])]
    else:
        header = [PrintedRow("header", ["行政复议", "行政诉讼"]),
                  PrintedRow("header", [*MEASURE_HEADS, "未经复议直接起诉", "复议后起诉"]),
                  PrintedRow("header", [*MEASURE_HEADS, *MEASURE_HEADS])]
    d.gold_tables["review_litigation"] = {"cases": cells}
    d.printed["review_litigation"] = [*header, PrintedRow("data", [], texts)]


def legacy_indicators(d: Drawn) -> None:
    """A legacy 附表: indicator, unit, this year, cumulative, with the column headers reworded."""
    rng = d.rng
    heads = [rng.choice(LEGACY_HEADS[k]).format(year=d.year) for k in ("indicator", "unit", "current", "cumulative")]
    rows = [PrintedRow("header", heads)]
    gold: dict[str, dict[str, Value]] = {}
    current: dict[str, int] = {}
    for key, _, _, parent in LEGACY_ROWS:
        current[key] = count(rng, 0.4, 30) if parent is None else 0
    for key, _, _, parent in LEGACY_ROWS:  # children share their parent's count
        if parent and current[parent]:
            current[key] = rng.randint(0, current[parent])
    for parent in ("apps_total", "replies_total"):
        kids = [k for k, _, _, p in LEGACY_ROWS if p == parent]
        current[kids[-1]] = 0
        current[parent] = sum(current[k] for k in kids)
    n_child = 0
    for key, label, unit, parent in LEGACY_ROWS:
        if parent is None:
            n_child = 0
        else:
            n_child += 1
        text_label = label if parent is None else f"{n_child}.{label}"
        if parent and n_child == 1:
            text_label = "其中：" + text_label
        cumulative = current[key] + count(rng, 0.3, 200)
        cur_text, cur_gold = print_value(d, current[key], unit)
        cum_text, cum_gold = print_value(d, cumulative, unit)
        rows.append(PrintedRow("data", [text_label], [unit, cur_text, cum_text]))
        gold[key] = {"unit": unit, "current": cur_gold, "cumulative": cum_gold}
        d.labels[f"legacy_indicators.{key}"] = text_label
    d.gold_tables["legacy_indicators"], d.printed["legacy_indicators"] = gold, rows


# --- rendering the tables as a copy -----------------------------------------------------------------

def width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns, as pdftotext lays them out."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def with_row_numbers(rows: list[PrintedRow]) -> list[PrintedRow]:
    """A 序号 column before the labels: 1, 2, 3 on data rows, 序号 on the first header row."""
    out, n, headed = [], 0, False
    for row in rows:
        if row.kind == "data" and row.labels:
            n += 1
            out.append(PrintedRow("data", [str(n), *row.labels], row.values))
        elif row.kind == "header" and not headed:
            headed = True
            out.append(PrintedRow("header", ["序号", *row.labels], row.values))
        else:
            out.append(row)
    return out


def render_cells(d: Drawn, rows: list[PrintedRow]) -> list[str]:
    """Browser copy of a grid of divs: one cell a line; a blank cell is an empty line."""
    lines: list[str] = []
    for row in rows:
        lines += row.labels + row.values
    return lines


def render_tabs(d: Drawn, rows: list[PrintedRow]) -> list[str]:
    """Browser copy of an HTML table: one row a line, cells joined by tabs, rowspans collapsed."""
    return ["\t".join(row.labels + row.values) for row in rows]


def render_flow(d: Drawn, rows: list[PrintedRow]) -> list[str]:
    """A page flattened to text: every non-blank cell joined by one space, the table on one line."""
    return [" ".join(c for row in rows for c in row.labels + row.values if c.strip())]


def render_pdftotext(d: Drawn, rows: list[PrintedRow]) -> list[str]:
    """``pdftotext -layout``: fixed-width columns; a long label wraps and its values sit on one of its lines."""
    rng = d.rng
    label_width = rng.choice([24, 30, 36]) if "wrapped_labels" in d.damages else 90
    cell_width = rng.choice([6, 8, 10])
    value_line = rng.choice(["first", "middle", "last"])
    lines: list[str] = []
    for row in rows:
        label = " ".join(row.labels)
        if row.kind == "header" or not row.values:
            lines.append(label)
            continue
        chunks = _wrap(label, label_width)
        at = {"first": 0, "middle": len(chunks) // 2, "last": len(chunks) - 1}[value_line]
        values = "".join(" " * max(1, cell_width - width(v)) + v for v in row.values)  # right-aligned by display width
        for i, chunk in enumerate(chunks):
            pad = " " * (label_width - width(chunk) + 2)
            lines.append((chunk + pad + values).rstrip() if i == at else chunk)
    return lines


def _wrap(label: str, limit: int) -> list[str]:
    chunks, current = [], ""
    for ch in label:
        if width(current + ch) > limit:
            chunks.append(current)
            current = ""
        current += ch
    return [*chunks, current] if current or not chunks else chunks


RENDERERS = {"browser_cells": render_cells, "browser_tabs": render_tabs, "pdftotext": render_pdftotext,
             "page_flow": render_flow}


def table_lines(d: Drawn, layout: str, key: str) -> list[str]:
    """The printed lines of one table, with the page break, notes and 序号 damages applied."""
    rows = d.printed[key]
    if "row_numbers" in d.damages and key != "review_litigation":
        rows = with_row_numbers(rows)
    render = RENDERERS[layout]
    if "page_break" in d.damages and key == "applications":
        data_at = [i for i, r in enumerate(rows) if r.kind == "data"]
        cut = data_at[len(data_at) // 2]
        header = [r for r in rows[:data_at[0]] if r.kind == "header"]
        page = d.rng.randint(2, 9)
        running = [d.rng.choice([f"— {page} —", f"第{page}页 共{page + d.rng.randint(1, 6)}页", f"-{page}-", str(page)]),
                   "", f"{d.agency}{d.year}年政府信息公开工作年度报告"]
        repeat = header if d.rng.random() < 0.5 else []
        return render(d, rows[:cut]) + running + render(d, repeat) + render(d, rows[cut:])
    lines = render(d, rows)
    if "notes_around" in d.damages and d.rng.random() < 0.6:
        lines = [d.rng.choice(["单位：件", "（单位：件）", "计量单位：件"])] + lines
        lines.append(d.rng.choice(["注：本表数据统计时间为1月1日至12月31日。", "说明：以上数据由本机关统计。",
                                   f"注：表中“0”表示无此类情况，统计截止{d.year}年12月31日。"]))
    return lines


# --- the report around the tables -------------------------------------------------------------------

HEADINGS_NEW = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
HEADINGS_LEGACY = ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、收费及减免情况",
                   "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "六、存在的主要问题及改进措施",
                   "七、需要说明的事项与附表"]


def prose(d: Drawn, topic: str) -> str:
    """A paragraph of narrative with numbers in it (never table cells)."""
    rng = d.rng
    n = [rng.randint(1, 400) for _ in range(4)]
    sentences = [f"{d.year}年，{d.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，全年召开专题会议{n[0] % 9 + 1}次。",
                 f"通过门户网站发布各类信息{n[1]}条，政务新媒体发布{n[2]}条，组织培训{n[3] % 12 + 1}场次、参训{n[3]}人次。",
                 f"本报告所列数据的统计期限自{d.year}年1月1日起至{d.year}年12月31日止，联系电话0591-{rng.randint(20000000, 89999999)}。"]
    if topic == "problems":
        sentences = [f"{d.year + 1}年，我局将重点做好以下{rng.randint(2, 5)}方面工作：一是加强培训；二是规范答复。",
                     f"全年办理人大建议{n[0] % 30}件、政协提案{n[1] % 30}件，均按时办结。"]
    if topic == "other":
        sentences = [f"本年度未收取信息处理费。{d.year}年共发布政策解读{n[2] % 40}篇。"]
    if "narrative_numbers" in d.damages and topic == "overview":
        apps = d.gold_tables.get("applications", {}).get("new_received", {}).get("total")
        if isinstance(apps, int):
            sentences.append(f"全年共收到政府信息公开申请{apps}件，同比增长{rng.randint(1, 60)}%。")
    return "".join(sentences)


def report_text(d: Drawn, layout: str) -> str:
    lines = [f"{d.agency}{d.year}年政府信息公开工作年度报告", f"发布时间：{d.year + 1}-0{d.rng.randint(1, 3)}-{d.rng.randint(10, 28)}"]
    intro = "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、" \
            "存在的主要问题及改进情况、其他需要报告的事项组成。"
    if "announced" in d.damages:
        intro += "统计表见第二、三、四部分（二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况）。"
    if d.template == "legacy":
        lines += ["根据《中华人民共和国政府信息公开条例》，特向社会公布本年度报告。本报告由概述、主动公开政府信息情况等七部分组成，附表见文末。",
                  HEADINGS_LEGACY[0], prose(d, "overview")]
        for heading in HEADINGS_LEGACY[1:6]:
            lines += [heading, prose(d, "body")]
        lines += [HEADINGS_LEGACY[6], prose(d, "other"), f"附表：{d.year}年政府信息公开情况统计表",
                  *table_lines(d, layout, "legacy_indicators")]
    else:
        lines += [intro, HEADINGS_NEW[0], prose(d, "overview")]
        for heading, key in zip(HEADINGS_NEW[1:4], ("active_disclosure", "applications", "review_litigation")):
            lines.append(heading)
            if key in d.printed:
                lines += table_lines(d, layout, key)
        lines += [HEADINGS_NEW[4], prose(d, "problems"), HEADINGS_NEW[5], prose(d, "other")]
    lines.append(f"{d.agency}")
    lines.append(f"{d.year + 1}年1月{d.rng.randint(10, 31)}日")
    if layout == "page_flow":
        return " ".join(line for line in lines if line) + "\n"
    return "\n".join(lines) + "\n"


# --- gold ---------------------------------------------------------------------------------------------

def _num(v: Value) -> float:
    return v if isinstance(v, (int, float)) else 0


def balanced(tables: dict[str, dict[str, dict[str, Value]]]) -> dict[str, bool]:
    """The printed identities of 三 and 四 (a blank addend counts 0; a blank total skips its identity)."""
    out: dict[str, bool] = {}
    apps = tables.get("applications")
    if apps:
        ok = True
        leaves = [r for r in apps if r not in ("new_received", "carried_over", "results_total", "carry_to_next")]
        for col in [*APPLICANTS, "total"]:
            total = apps["results_total"][col]
            if total is not None:
                ok &= sum(_num(apps[r][col]) for r in leaves) == total
                if apps["carry_to_next"][col] is not None:
                    received = _num(apps["new_received"][col]) + _num(apps["carried_over"][col])
                    ok &= received == total + apps["carry_to_next"][col]
        for row in apps.values():
            if row["total"] is not None:
                ok &= sum(_num(row[c]) for c in APPLICANTS) == row["total"]
        out["applications"] = bool(ok)
    review = tables.get("review_litigation")
    if review:
        cases = review["cases"]
        out["review_litigation"] = all(
            cases[f"{g}_total"] is None or sum(_num(cases[f"{g}_{m}"]) for m in MEASURES[:4]) == cases[f"{g}_total"]
            for g in ("review", "litigation_direct", "litigation_after_review"))
    return out


def draw_report(seed: int, index: int) -> tuple[str, dict]:
    """One report: its text and its gold annotation."""
    rng = random.Random(f"copy-damage-{seed}-{index}")
    template = rng.choices(list(TEMPLATE_WEIGHTS), weights=list(TEMPLATE_WEIGHTS.values()))[0]
    year = {"gov2021": rng.randint(2021, 2025), "gov2019": rng.choice([2019, 2020]),
            "legacy": rng.randint(2010, 2018)}[template]
    layout = rng.choice(LAYOUTS)
    fits = [dmg for dmg in DAMAGES if not (dmg == "wrapped_labels" and layout != "pdftotext")
            and not (template == "legacy" and dmg in ("header_order", "page_break", "row_not_printed", "announced"))]
    damages = {dmg for dmg in fits if rng.random() < DAMAGE_RATE} or {rng.choice(fits)}
    if layout == "page_flow":  # a flattened page loses blank cells: only placeholders survive as blanks
        damages -= {"blank_rows", "blank_table", "page_break"}
        damages = damages or {"reworded"}
    d = Drawn(rng, template, year, rng.choice(PLACES) + rng.choice(AGENCIES), damages)
    if "renumbered" in damages:
        d.numbering = rng.choice(NUMBERING_STYLES[1:])
    if template == "legacy":
        legacy_indicators(d)
    else:
        active_disclosure(d)
        applications(d)
        review_litigation(d)
    text = report_text(d, layout)
    report_id = f"cd-{seed}-{index}"
    gold = {"id": report_id, "input": f"{report_id}.txt", "template": template, "complete": True,
            "tables": d.gold_tables, "labels": d.labels, "balanced": balanced(d.gold_tables), "uncertain": [],
            "layout": layout, "variants": sorted(damages),
            "notes": f"scripts/copy_damage.py seed {seed}: {layout} copy with {', '.join(sorted(damages))}"}
    return text, gold


def write_corpus(out: Path, n: int, seed: int) -> list[Path]:
    """Write ``n`` reports and their gold into ``out``; return the gold paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text, gold = draw_report(seed, i)
        (out / gold["input"]).write_text(text, encoding="utf-8")
        path = out / f"{gold['id']}.json"
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5000)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.n, args.seed)
    print(f"wrote {len(paths)} reports to {args.out}")


if __name__ == "__main__":
    main()
