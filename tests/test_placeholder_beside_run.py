"""A placeholder printed beside a number is one of the row's cells: the number is not cut to fill its place.

An indicator list (附表) printed with spaces between cells, whose 政府公报公开数 row prints ``— 123``: a
placeholder this year, 123 in all. As printed, 123 breaks the bound 其中 ≤ 主动公开文件数 (59); cutting
``123`` into 1 | 23 and dropping the dash would keep the bound, but the copy shows two cells, so the row
reads — | 123 and the failed bound is left to say the table does not add up.
"""

from __future__ import annotations

import gxparse

_LIST = """某县交通运输局2011年政府信息公开工作年度报告
附表：政府信息公开情况统计表
指标名称 计量单位 本年 累计
主动公开文件数 条 9 59
其中:1.政府网站公开数 条 — —
2.政府公报公开数 条 — 123
受理政府信息公开申请总数 条 149 297
其中:1.当面申请数 条 9 9
2.网上申请数 条 129 237
3.信函、传真申请数 条 11 51
对申请的答复总数 条 34 155
其中:1.同意公开答复数 条 — 42
2.同意部分公开答复数 条 — 41
3.不予公开答复数 条 26 64
4.其他类型答复数 条 8 8
行政复议数 件 11 11
行政诉讼数 件 — 224
"""


def test_a_placeholder_beside_a_number_keeps_the_number_whole() -> None:
    table = gxparse.parse(_LIST).to_dict()["tables"]["legacy_indicators"]
    assert (table["proactive_gazette"]["current"], table["proactive_gazette"]["cumulative"]) == (None, 123)
    assert (table["proactive_total"]["current"], table["proactive_total"]["cumulative"]) == (9, 59)
