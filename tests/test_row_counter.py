"""A row-counter column (序号 1, 2, 3 … before each row label) is no value.

Built from dev renderings: seed002 (one cell per line), seed004 (pipe rows) and r020 (a pipe
excerpt) with a counter printed before every data row must read as their gold says; a run of small
row totals that is not a counter keeps its values. A legacy indicator list with a 序号 column (as the copy-damage
generator prints one) drops its counters also when located from its first label and with units glued after values.
"""

from __future__ import annotations

import re

import pytest

import gxparse
from gxparse.ir import Item
from gxparse.parser import analyze
from gxparse.row_counter import MIN_COUNTER_RUN, row_counter_items
from gxparse.template import get_template
from tests.conftest import DEV, dev_gold, flat_cells

_VALUE = re.compile(r"^\s*(?:[\d—/-]|$)")
_ROW_LABELS = tuple(sorted({row.label for t in ("gov2021", "gov2019") for table in get_template(t).tables
                            for row in table.rows if len(row.label) >= 2}, key=len, reverse=True))


def _table_span(lines: list[str]) -> tuple[int, int]:
    start = next(i for i, ln in enumerate(lines) if "主动公开政府信息情况" in ln)
    end = next((i for i, ln in enumerate(lines) if i > start and re.match(r"\s*(?:五|四[、.]\s*政府)", ln)), len(lines))
    return start + 1, end


def with_row_counter(text: str, sep: str) -> str:
    """``text`` with a counter before every data row of its tables 二 and 三 (四 has no row labels): a line
    holding a row label of the template, with values after it on the line or on the next non-empty line."""
    lines = text.split("\n")
    start, end = _table_span(lines)
    out, n = lines[:start], 0
    for i in range(start, end):
        line = lines[i]
        following = next((ln for ln in lines[i + 1:end] if ln.strip()), "")
        label = next((lb for lb in _ROW_LABELS if lb in line), None)
        if label and (re.search(r"[\s|][\d—/-]", line[line.index(label):]) or _VALUE.match(following)):
            n += 1
            out.append(f"{n}{sep}{line}")
        else:
            out.append(line)
    assert n >= MIN_COUNTER_RUN
    return "\n".join(out + lines[end:])


def _cells(report: gxparse.Report) -> dict[str, object]:
    return flat_cells(report.to_dict()["tables"])


def _gold_cells(report_id: str) -> dict[str, object]:
    return flat_cells(dev_gold(report_id)["tables"])


def _reads_as_gold(report_id: str, sep: str) -> None:
    text = with_row_counter((DEV / dev_gold(report_id)["input"]).read_text(encoding="utf-8"), sep)
    got, gold = _cells(gxparse.parse(text)), _gold_cells(report_id)
    assert {k: got.get(k) for k in gold} == gold


def test_seed002_one_cell_per_line_with_a_counter_line_before_each_label() -> None:
    _reads_as_gold("seed002", "\n\n")


def test_r020_pipe_excerpt_with_a_counter_cell() -> None:
    _reads_as_gold("r020", " | ")


def test_seed004_pipe_rows_with_a_counter_cell() -> None:
    _reads_as_gold("seed004", " | ")


def _items(*pieces: tuple[str, str, int]) -> list[Item]:
    return [Item(kind, text, i, i + 1, line) for i, (kind, text, line) in enumerate(pieces)]  # type: ignore[arg-type]


def test_a_counting_run_before_labels_is_a_counter() -> None:
    items = _items(*[p for n in range(1, 6) for p in (("num", str(n), n), ("text", "行", n), ("num", "7", n))])
    assert row_counter_items(items) == {0, 3, 6, 9, 12}


def test_small_totals_that_count_up_with_gaps_are_values() -> None:
    """Row totals 1, 0, 2, 3, 4 at the ends of one-line rows: the 0 breaks the count, nothing is a counter."""
    items = _items(*[p for n, total in enumerate((1, 0, 2, 3, 4)) for p in (("text", "行", n), ("num", str(total), n))],
                   ("text", "五、", 9))
    assert row_counter_items(items) == set()


def test_seed004_as_space_separated_rows_with_a_counter_cell() -> None:
    """seed004's pipe rows printed with spaces between cells (as a page copy flattens them), a counter first."""
    text = (DEV / "seed004.txt").read_text(encoding="utf-8")
    spaced = "\n".join(re.sub(r"\s*\|+\s*", " ", line).strip() for line in text.split("\n"))
    assert _cells(gxparse.parse(spaced)) == _gold_cells("seed004")  # the rendering reads right without counters
    got = _cells(gxparse.parse(with_row_counter(spaced, " ")))
    assert got == _gold_cells("seed004")


def test_sparse_row_totals_that_count_up_are_values() -> None:
    """One cell per line, zero cells printed blank: the only printed totals are 1, 2, 3, 4, each alone on its
    line before the next label, with rows printed blank between them. Other rows stand between: no counter."""
    pieces: list[tuple[str, str, int]] = []
    line = 0
    for total in (1, None, 2, None, 3, None, 4):
        pieces.append(("text", "行", line))
        pieces.extend(("blank", "", line + 1 + j) for j in range(6))
        if total is not None:
            pieces.append(("num", str(total), line + 7))
        line += 8
    pieces.append(("text", "五、", line))
    assert row_counter_items(_items(*pieces)) == set()



_LEGACY_HEADER = "序号 指标名称 计量单位 本年 累计"
LEGACY_DEV = ("r210", "seed001")  # dev legacy lists of one current and one cumulative column


def _legacy_rows(report_id: str, glued_units: bool) -> list[list[str]]:
    """A dev legacy list as cells, a 序号 first on every row (``15条``: the count unit printed on a value)."""
    spec = get_template("legacy").table("legacy_indicators")
    gold = dev_gold(report_id)["tables"]["legacy_indicators"]
    rows = []
    for n, (key, cells) in enumerate(gold.items(), start=1):
        unit = cells["unit"] if glued_units else ""
        rows.append([str(n), spec.row(key).label, cells["unit"], f"{cells['current']}{unit}", f"{cells['cumulative']}{unit}"])
    return rows


def _legacy_report(rows: list[list[str]], cell_sep: str, row_sep: str) -> str:
    table = row_sep.join(cell_sep.join(row) for row in rows)
    return (f"某局2012年政府信息公开工作年度报告\n附表:2012年政府信息公开情况统计表\n"
            f"{cell_sep.join(_LEGACY_HEADER.split())}{row_sep}{table}\n某局\n2013年1月16日\n")


def _legacy_reads_as_gold(report_id: str, text: str) -> None:
    """The list reads as its gold, and no counter is left among a row's items (a placer may drop one extra item
    at a row's end, but the counter must not be there to choose)."""
    result = gxparse.parse(text).to_dict()
    assert result["template"] == "legacy"
    gold = dev_gold(report_id)["tables"]["legacy_indicators"]
    assert {k: result["tables"]["legacy_indicators"].get(k) for k in gold} == gold
    _, _, seg = analyze(text).tables["legacy_indicators"]
    printed = {key: [str(cells["current"]), str(cells["cumulative"])] for key, cells in gold.items()}
    assert {row.key: [it.text for it in row.items] for row in seg.problem.rows} == printed


@pytest.mark.parametrize("report_id", LEGACY_DEV)
def test_legacy_list_flattened_onto_one_line_with_a_counter_column(report_id: str) -> None:
    """A page copy that flattens the list: the first counter ``1`` follows the header on the line, before the
    first label (the list is located from that label, so the ``1`` must be found before it)."""
    _legacy_reads_as_gold(report_id, _legacy_report(_legacy_rows(report_id, False), " ", " "))


@pytest.mark.parametrize("report_id", LEGACY_DEV)
def test_legacy_list_one_cell_per_line_with_a_counter_column(report_id: str) -> None:
    _legacy_reads_as_gold(report_id, _legacy_report(_legacy_rows(report_id, False), "\n", "\n"))


@pytest.mark.parametrize("report_id", LEGACY_DEV)
@pytest.mark.parametrize("cell_sep", ["\n", "   "])
def test_legacy_list_with_units_on_its_values_and_a_counter_column(report_id: str, cell_sep: str) -> None:
    """``15条``: a value printed with its unit is no counter, and its unit is no label text between two counters."""
    _legacy_reads_as_gold(report_id, _legacy_report(_legacy_rows(report_id, True), cell_sep, "\n"))


_LEGACY_ROWS = (("主动公开文件数", "条", 0, 74), ("其中：1.政府网站公开数", "条", 0, 103), ("2.政府公报公开数", "条", 0, 0),
                ("受理政府信息公开申请总数", "条", 806, 867), ("其中：1.当面申请数", "条", 121, 246),
                ("2.网上申请数", "条", 685, 685), ("3.信函、传真申请数", "条", 0, 148), ("对申请的答复总数", "条", 3, 55),
                ("其中：1.同意公开答复数", "条", 0, 52), ("2.同意部分公开答复数", "条", 3, 3),
                ("3.不予公开答复数", "条", 0, 75), ("4.其他类型答复数", "条", 0, 51), ("行政复议数", "件", 0, 103),
                ("行政诉讼数", "件", 11, 11))
_LEGACY_KEYS = ("proactive_total", "proactive_website", "proactive_gazette", "apps_total", "apps_in_person",
                "apps_online", "apps_letter_fax", "replies_total", "reply_granted", "reply_partial", "reply_denied",
                "reply_other", "admin_review", "admin_litigation")


def _legacy_list(row: str) -> str:
    """An indicator list (附表) with a 序号 column, each row printed by ``row(n, label, unit, current, cumulative)``;
    its values break the bound 政府网站公开数 ≤ 主动公开文件数 as printed (103 > 74), so the next row's counter
    (``3``) is a reading the identities would prefer."""
    lines = ["附表：2011年政府信息公开情况统计表", "序号\t统计指标\t计量单位\t本年\t累计"]
    lines += [row.format(n=n, label=label, unit=unit, current=cur, cumulative=cum)
              for n, (label, unit, cur, cum) in enumerate(_LEGACY_ROWS, 1)]
    return "\n".join(["某县交通运输局2011年政府信息公开工作年度报告", *lines, "某县交通运输局", "2012年1月24日", ""])


def _legacy_cumulative(text: str) -> dict[str, object]:
    table = gxparse.parse(text).to_dict()["tables"]["legacy_indicators"]
    return {key: table[key]["cumulative"] for key in _LEGACY_KEYS}


def test_legacy_list_located_from_its_first_label_drops_its_counters() -> None:
    """The list is located from its first row label, after the counter ``1``: the counters 2, 3 … 14 that stand
    before the other labels are still a counter column, never a row's cumulative value."""
    text = _legacy_list("{n}\t{label}\t{unit}\t{current}\t{cumulative}")
    assert _legacy_cumulative(text) == dict(zip(_LEGACY_KEYS, (row[3] for row in _LEGACY_ROWS)))


def test_legacy_list_one_cell_per_line_with_units_glued_after_values() -> None:
    """One cell per line with the unit printed after some values (``15条``): a unit glued to its number is part
    of that value, so a value ``1条`` before a label is no counter and the rows between counters stay one row."""
    text = _legacy_list("{n}\n{label}\n{unit}\n{current}条\n{cumulative}")
    assert _legacy_cumulative(text) == dict(zip(_LEGACY_KEYS, (row[3] for row in _LEGACY_ROWS)))

