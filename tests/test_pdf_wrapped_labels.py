"""A fixed-width PDF text layer (``pdftotext -layout``) whose labels wrap, the row's values on one of the label's lines.

Built from dev renderings: a table 三 printed with a narrow label column, its group labels before their
first row (``三、本年度办理结果 （一）予以公开``), each row's values on the first, a middle or the last line of its
wrapped label (some zero cells printed blank, a page break inside), must read as its gold; a row printed
with values never comes out blank. A blank table numbered ``(1)``, ``(2)`` … reads blank: a numbering in
parentheses is no value.
"""

from __future__ import annotations

import pytest

import gxparse
from gxparse.display import display_width
from gxparse.template import get_template
from tests.conftest import dev_gold, load_script

CELL_WIDTH = 8
BLANK_EVERY = 4  # every fourth zero cell of a rendering printed blank
GAP = 2  # columns between the label column and the first value column
_wrap = load_script("copy_damage")._wrap  # a label cut into chunks of at most a display width, as pdftotext wraps it


def _layer(rows: dict[str, dict[str, object]], label_width: int, value_line: str, numbering: str = "",
           template: str = "gov2021", page_break_after: str | None = None) -> str:
    """seed002's 三 as a fixed-width layer: each label (its group's before the first row of the group) wrapped at
    ``label_width`` columns, the values on its ``first``, ``middle`` or ``last`` line (blank rows: no values);
    ``numbering`` ``paren`` prints the rows' ``1.`` as ``(1)``; ``page_break_after`` a row's key, after which
    a page ends (its number on a line of its own, the running header on the next page)."""
    spec = get_template(template).table("applications")
    groups = {g["key"]: g["number"] + g["label"] for g in spec.row_groups}
    lines = ["三、收到和处理政府信息公开申请情况", " " * (label_width + GAP) + "自然人 商业企业 科研机构 社会公益 法律服务 其他 总计"]
    printed_groups: set[str] = set()
    layout = spec.layout(alternatives=spec.has_alternatives and not set(rows) <= {r.key for r in spec.layout()})
    for row in layout:
        if row.key not in rows:
            continue
        number = f"({row.number.rstrip('.')})" if numbering == "paren" and row.number.endswith(".") else row.number
        label = number + row.label
        if row.group is not None and row.group not in printed_groups:
            label = groups[row.group] + " " + label
            printed_groups.add(row.group)
        chunks = _wrap(label, label_width)
        cells = ["" if v is None else str(v) for v in rows[row.key].values()]
        values = "".join(" " * (CELL_WIDTH - len(c)) + c for c in cells).rstrip()
        at = {"first": 0, "middle": len(chunks) // 2, "last": len(chunks) - 1}[value_line]
        for n, chunk in enumerate(chunks):
            pad = " " * (label_width - display_width(chunk) + GAP)
            lines.append((chunk + pad + values).rstrip() if n == at and values.strip() else chunk)
        if row.key == page_break_after:
            lines.extend(["8", "", "某某市人民政府2022年政府信息公开工作年度报告"])
    return "\n".join(lines + ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "无。"])


def _applications(text: str) -> dict[str, dict[str, object]]:
    return gxparse.parse(text).to_dict()["tables"]["applications"]


@pytest.mark.parametrize("value_line", ["first", "middle", "last"])
@pytest.mark.parametrize("label_width", [24, 30])
def test_seed002_wrapped_labels_read_as_gold(label_width: int, value_line: str) -> None:
    rows = dev_gold("seed002")["tables"]["applications"]
    assert _applications(_layer(rows, label_width, value_line)) == rows


@pytest.mark.parametrize(("report_id", "label_width"), [("r002", 18), ("r002", 23), ("r009", 29), ("r225", 18)])
def test_values_on_a_wrapped_labels_first_line_read_as_gold(report_id: str, label_width: int) -> None:
    """The values on the first line of a label wrapped after its group label and numbering: ``三、本年度办理结果
    （一）予以   6  0 …`` / ``公开``, ``（三）不予公开 1.   0  0 …`` / ``属于国家秘密`` (the ``1.`` is the label's, not
    a value), ``（三）不予公开 1.属于国   0  0 …`` / ``家秘密`` (neither piece names the row alone). Every row
    printed with values keeps them."""
    gold = dev_gold(report_id)
    rows = gold["tables"]["applications"]
    report = gxparse.parse(_layer(rows, label_width, "first", template=gold["template"]))
    assert report.to_dict()["tables"]["applications"] == rows


@pytest.mark.parametrize(("report_id", "page_break_after"), [("r004", None), ("r002", "denied_admin_query")])
def test_rows_with_blank_cells_and_values_on_a_wrapped_labels_first_line_keep_their_values(
        report_id: str, page_break_after: str | None) -> None:
    """Every fourth zero cell printed blank (a short value line), labels wrapped at 23 columns with their values
    on the first line, a page break with its page number inside the table: a row printed with values never
    comes out blank, and every cell reads as printed (the blank ones placed by the columns)."""
    gold = dev_gold(report_id)
    rows = gold["tables"]["applications"]
    zeros = [(r, c) for r, cols in rows.items() for c, v in cols.items() if v == 0]
    blank = set(zeros[::BLANK_EVERY])
    printed = {r: {c: None if (r, c) in blank else v for c, v in cols.items()} for r, cols in rows.items()}
    text = _layer(printed, 23, "first", template=gold["template"], page_break_after=page_break_after)
    report = gxparse.parse(text)
    table = report.tables["applications"]
    for key, cols in printed.items():
        if any(v is not None for v in cols.values()):
            assert any(cell.value is not None for cell in table.rows[key].values()), key
    assert report.to_dict()["tables"]["applications"] == printed


def test_a_blank_table_numbered_in_parentheses_reads_blank() -> None:
    rows = dev_gold("seed002")["tables"]["applications"]
    blank = {key: dict.fromkeys(cols) for key, cols in rows.items()}
    text = _layer(blank, 90, "first", numbering="paren")
    assert "(1)属于国家秘密" in text
    got = gxparse.parse(text).to_dict()["tables"]["applications"]
    assert all(v is None for cols in got.values() for v in cols.values())
