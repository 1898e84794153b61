"""Pipe grids that print their blank cells empty and pad rows after them.

The independent generator (``scripts/alt_reports.py``, seed 6102) prints an HTML grid with rowspans and
colspans as pipe rows: every blank cell is an empty one, and a row is padded after its cells by its
label's colspan (``一、本年新收…`` by two empty cells, ``（六）其他处理`` by one, ``8.属于行政查询事项`` by none).
Full rows of one shape then end with 0, 1 or 2 empty cells, so their padding shows nothing; but a
grid that prints blanks empty drops none from within a row, so a row short of cells ends with them.
"""

from __future__ import annotations

import gxparse

TABLE_THREE = (
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |  |  |  |  |  |  |  |  |\n"
    "自然人 | 法人或其他组织 | 总计 |  |  |  |  |\n"
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
    "一、本年新收政府信息公开申请数量 | 25 | 6 | 5 | 2 | 2 | 0 | 40 |  |  |\n"
    "二、上年结转政府信息公开申请数量 |  | 0 | 0 | 1 | 0 | 1 | 2 |  |  |\n"
    "三、本年度办理结果 | （一）予以公开 | 2 | 0 |  |  |  | 0 | 2 |  |\n"
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形） |  |  | 0 |  | 1 | 0 | 1 |  |\n"
    "（三）不予公开 | 1.属于国家秘密 | 0 |  |  | 0 |  | 0 |  |\n"
    "2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 |  |  |\n"
    "3.危及“三安全一稳定” | 3 | 1 | 1 |  | 0 |  | 5 |\n"
    "4.保护第三方合法权益 | 0 |  |  | 2 |  | 0 | 2 |\n"
    "5.属于三类内部事务信息 |  |  | 1 | 0 | 0 | 0 | 1 |\n"
    "6.属于四类过程性信息 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
    "7.属于行政执法案卷 | 1 |  | 0 |  | 0 |  | 1 |\n"
    "8.属于行政查询事项 | 0 | 0 |  | 0 |  |  |  |\n"
    "（四）无法提供 | 1.本机关不掌握相关政府信息 | 10 |  | 0 | 0 | 0 | 0 | 10 |\n"
    "2.没有现成信息需要另行制作 | 0 | 0 |  | 0 | 0 |  |  |\n"
    "3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 |  |  |\n"
    "（五）不予处理 | 1.信访举报投诉类申请 | 0 | 1 | 0 |  | 0 | 0 | 1 |\n"
    "2.重复申请 | 1 | 0 | 1 |  | 0 | 0 | 2 |\n"
    "3.要求提供公开出版物 | 1 |  | 1 |  | 0 | 0 | 2 |\n"
    "4.无正当理由大量反复申请 |  | 1 | 0 |  | 0 | 0 | 1 |\n"
    "5.要求行政机关确认或重新出具已获取信息 |  | 1 | 0 | 0 | 0 | 0 | 1 |\n"
    "（六）其他处理 | 5 | 1 |  |  | 1 | 0 | 7 |  |\n"
    "（七）总计 | 25 | 5 | 4 | 2 | 2 | 0 | 38 |  |\n"
    "四、结转下年度继续办理 |  | 1 | 1 | 1 | 0 | 1 | 4 |  |  |\n"
    "四、政府信息公开行政复议行政诉讼情况\n"
)


def test_a_row_short_of_cells_in_a_grid_printing_its_blanks_ends_with_them() -> None:
    rows = gxparse.parse(TABLE_THREE).to_dict()["tables"]["applications"]
    assert list(rows["denied_admin_query"].values()) == [0, 0, None, 0, None, None, None]
    assert list(rows["unable_need_creation"].values()) == [0, 0, None, 0, 0, None, None]
    assert list(rows["denied_state_secret"].values()) == [0, None, None, 0, None, 0, None]
    # padded rows keep their fillers: every value where it is printed
    assert list(rows["new_received"].values()) == [25, 6, 5, 2, 2, 0, 40]
    assert list(rows["other_handling"].values()) == [5, 1, None, None, 1, 0, 7]
