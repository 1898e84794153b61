"""Prose that restates a report's key figures, with the gold of every figure it states (issue 13).

Real reports say the main numbers again in their narrative (全年主动公开政府信息219条, 共收到政府信息
公开申请15件, 行政复议2件…), in Arabic, full-width or Chinese numerals. :func:`gov_fact_prose` and
:func:`legacy_fact_prose` write such a narrative for one report and return, beside it, the
``facts`` it states — ``{key: number}`` for the keys of :data:`FACT_KEYS` — taken from the gold
tables where the figure is a table cell, so a fact never disagrees with its table. Numbers that are
not facts (shares, sub-counts, 上年结转, 历年累计) stand next to them, as in real reports.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gxparse.synth.frame import TAIL_HEADINGS, Prose, gold_cell
from gxparse.synth.values import heavy

FACT_KEYS: tuple[str, ...] = ("proactive_published", "applications_received", "applications_completed",
                              "review_cases", "litigation_cases", "normative_in_force", "fees_collected",
                              "normative_issued")
_P_STATE = 0.75  # chance that the prose states a fact it can state
_P_FEE = 0.6  # chance that a gov report's prose talks about fees at all
_DIGITS = "〇一二三四五六七八九"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_NUMERAL_STYLES = ("arabic", "full_width", "chinese", "digit_by_digit")
_NUMERAL_P = (0.7, 0.1, 0.17, 0.03)
_P_CIRCLE_ZERO = 0.3  # 〇 written for 零 inside a number (一百〇五)


def _section(n: int, rng: np.random.Generator, zero: str) -> str:
    """Chinese numerals of 1 ≤ n < 10^4, with ``zero`` for inner zeros and 两 sometimes for a leading 2."""
    out = []
    pending_zero = False
    for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, size)
        if digit == 0:
            pending_zero = bool(out)
            continue
        glyph = "两" if digit == 2 and unit in ("千", "百") and not out and rng.random() < 0.5 else _DIGITS[digit]
        out.append((zero if pending_zero else "") + glyph + unit)
        pending_zero = False
    return "".join(out)


def chinese_numeral(n: int, rng: np.random.Generator) -> str:
    """``n`` (0 ≤ n < 10^8) in Chinese numerals: 1205 → 一千二百零五 or 一千二百〇五, 15 → 十五, 20000 → 两万."""
    zero = "〇" if rng.random() < _P_CIRCLE_ZERO else "零"
    if n == 0:
        return zero
    if n == 2:
        return "两" if rng.random() < 0.5 else "二"
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        head = "两" if high == 2 and rng.random() < 0.5 else _section(high, rng, zero)
        head = head[1:] if 10 <= high < 20 else head
        return head + "万" + ((zero if low < 1000 else "") + _section(low, rng, zero) if low else "")
    text = _section(n, rng, zero)
    return text[1:] if 10 <= n < 20 else text


def number_text(value: int, rng: np.random.Generator) -> str:
    """A count as a report prints it: Arabic, full-width, Chinese numerals or digit by digit (二〇五)."""
    style = str(rng.choice(_NUMERAL_STYLES, p=_NUMERAL_P))
    if value == 0:
        return "0"
    if style == "full_width":
        return str(value).translate(_FULL_WIDTH)
    if style == "chinese" and value < 10**8:
        return chinese_numeral(value, rng)
    if style == "digit_by_digit" and 100 <= value < 10**5:
        return "".join(_DIGITS[int(d)] for d in str(value))
    return str(value)


def _legacy(table: dict[str, Any], row: str, col: str = "current") -> Any:
    return table.get(row, {}).get(col)


def _join(parts: list[str | None]) -> str:
    return "，".join(p for p in parts if p)


def _fee(rng: np.random.Generator) -> tuple[str, int | float]:
    """A fee statement's amount text and its value in 元 (``1.2万元`` → 12000)."""
    if rng.random() < 0.3:
        wan = round(float(rng.uniform(0.1, 20)), 1)
        return f"{wan}万元", round(wan * 10**4)
    yuan = heavy(rng, 300, 1.0, 10**5)
    return f"{number_text(yuan, rng)}元", yuan


# the wordings of each fact ({n}: the number as printed, with its unit for fees); they vary as real
# reports do (本年度/全年/共, 主动公开…信息 or 公开政府信息, 收到/受理/接到/新收, 件/起)
_PHRASES: dict[str, tuple[str, ...]] = {
    "proactive_published": ("全年主动公开政府信息{n}条", "共主动公开政府信息{n}条", "主动公开各类政府信息{n}条",
                            "通过门户网站等渠道主动公开政府信息{n}条", "本年度主动公开政府信息{n}条",
                            "全年累计主动公开政府信息{n}条", "我局共公开政府信息{n}条", "本局共主动公开信息{n}条",
                            "新增主动公开政府信息{n}条", "主动公开信息总数为{n}条"),
    "applications_received": ("共收到政府信息公开申请{n}件", "全年共受理政府信息公开申请{n}件", "新收政府信息公开申请{n}件",
                              "收到依申请公开申请{n}件", "本年度共接到政府信息公开申请{n}件", "共受理依申请公开{n}件",
                              "全年新收到政府信息公开申请{n}件", "收到信息公开申请{n}件",
                              "共收到公民、法人和其他组织提出的政府信息公开申请{n}件"),
    "applications_completed": ("办结{n}件", "已办结{n}件", "按时办结{n}件", "全部办结{n}件", "共办结政府信息公开申请{n}件"),
    "review_cases": ("行政复议{n}件", "被申请行政复议{n}起", "行政复议案件{n}件", "发生政府信息公开行政复议案件{n}起",
                     "收到行政复议申请{n}件"),
    "litigation_cases": ("行政诉讼{n}件", "被提起行政诉讼{n}起", "行政诉讼案件{n}件", "发生政府信息公开行政诉讼案件{n}起"),
    "normative_in_force": ("现行有效行政规范性文件{n}件", "现行有效的行政规范性文件共{n}件", "现行有效规范性文件{n}件",
                           "截至年底现行有效的规范性文件{n}件"),
    "fees_collected": ("收取费用{n}", "收取信息处理费{n}", "共收取信息公开处理费{n}", "收取政府信息公开信息处理费{n}"),
}
# the wordings of a figure of none (value 0), stated without a number
_NONE_PHRASES: dict[str, tuple[str, ...]] = {
    "applications_received": ("未收到政府信息公开申请", "全年未收到政府信息公开申请", "本年度未接到政府信息公开申请"),
    "review_cases": ("未发生政府信息公开行政复议案件", "未收到行政复议申请"),
    "litigation_cases": ("未发生政府信息公开行政诉讼案件", "未被提起行政诉讼"),
    "fees_collected": ("未收取信息处理费", "未收取任何费用", "没有收取信息处理费", "无收取信息公开处理费情况"),
}
_P_NONE_WORDS = 0.5  # a figure of none is stated in words (未收到…) rather than as 0


class _Statements:
    """Collects the phrases that state facts, and the facts they state."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.facts: dict[str, int | float] = {}

    def say(self, key: str, value: Any, printed: str | None = None) -> str | None:
        """A phrase stating ``value`` for ``key`` when the prose states it this time (and record it), else None.

        ``printed`` is the number as printed when it is not a plain count (a fee with its unit).
        """
        if value is None or isinstance(value, str) or self.rng.random() >= _P_STATE:
            return None
        return self.state(key, value, printed)

    def state(self, key: str, value: int | float, printed: str | None = None) -> str:
        """A phrase stating ``value`` for ``key`` (recorded as a fact): a figure of none is often said in words."""
        self.facts[key] = value
        if value == 0 and key in _NONE_PHRASES and self.rng.random() < _P_NONE_WORDS:
            return self._pick(_NONE_PHRASES[key])
        return self._pick(_PHRASES[key]).format(n=printed or number_text(int(value), self.rng))

    def _pick(self, wordings: tuple[str, ...]) -> str:
        return wordings[int(self.rng.integers(len(wordings)))]


def gov_fact_prose(tables: dict[str, Any], year: int, org: str,
                   rng: np.random.Generator) -> tuple[Prose, dict[str, int | float]]:
    """The narrative of a gov2021/gov2019 report that restates its figures, and the facts it states."""
    say = _Statements(rng)
    published = heavy(rng, 200, 1.2, 50000)
    kinds = rng.multinomial(published, [0.3, 0.7])
    head: list[tuple[str, str]] = [
        ("para", f"{org}{year}年政府信息公开工作年度报告"),
        ("para", f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"),
        ("heading", "一、总体情况"),
    ]
    text = say.say("proactive_published", published)
    if text:
        head.append(("para", f"（一）主动公开。{year}年，{text}，其中政策文件{kinds[0]}条，"
                             f"同比增长{int(rng.integers(1, 40))}%。"))
    carried = gold_cell(tables, "applications", "carried_over", "total")
    parts = [say.say("applications_received", gold_cell(tables, "applications", "new_received", "total")),
             None if carried is None else f"上年结转{carried}件",
             say.say("applications_completed", gold_cell(tables, "applications", "results_total", "total"))]
    if any(parts):
        head.append(("para", f"（二）依申请公开。{year}年，{_join(parts)}，均在法定期限内答复。"))
    docs = tables.get("active_disclosure", {}).get("normative_documents", {})
    in_force = say.say("normative_in_force", docs.get("in_force"))
    if in_force:
        say.facts["normative_issued"] = docs.get("issued") or 0  # stated beside it (no draw: the stream stays as it was)
        head.append(("para", f"（三）规范性文件管理。全年制发行政规范性文件{say.facts['normative_issued']}件，{in_force}。"))
    notes = {}
    direct = gold_cell(tables, "review_litigation", "cases", "litigation_direct_total")
    after = gold_cell(tables, "review_litigation", "cases", "litigation_after_review_total")
    cases = [say.say("review_cases", gold_cell(tables, "review_litigation", "cases", "review_total")),
             say.say("litigation_cases", None if direct is None or after is None else direct + after)]
    if any(cases):
        notes["review_litigation"] = f"本年度因政府信息公开工作，{_join(cases)}。"
    tail: list[tuple[str, str]] = [("heading", TAIL_HEADINGS[0]),
                                   ("para", f"下一步将组织培训{int(rng.integers(1, 9))}次，进一步提升公开质量。"),
                                   ("heading", TAIL_HEADINGS[1])]
    fee_text, fee = _fee(rng)
    fees = say.state("fees_collected", fee, fee_text) if rng.random() < _P_FEE else say.state("fees_collected", 0, "0元")
    tail.append(("para", f"本年度{fees}。"))
    tail += [("para", org), ("para", f"{year + 1}年1月{int(rng.integers(5, 31))}日")]
    return Prose(tuple(head), notes, tuple(tail)), say.facts


def legacy_fact_prose(table: dict[str, Any], year: int, org: str,
                      rng: np.random.Generator) -> tuple[list[tuple[str, str]], dict[str, int | float]]:
    """The narrative of a legacy report that restates figures of its 附表, and the facts it states."""
    say = _Statements(rng)
    prose: list[tuple[str, str]] = [
        ("para", f"{org}{year}年政府信息公开工作年度报告"),
        ("para", f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"),
        ("heading", "一、主动公开政府信息情况"),
    ]
    published = say.say("proactive_published", _legacy(table, "proactive_total"))
    if published:
        cumulative = _legacy(table, "proactive_total", "cumulative")
        prose.append(("para", f"{year}年，{published}，历年累计主动公开{cumulative}条。"))
    prose.append(("heading", "二、依申请公开政府信息办理情况"))
    parts = [say.say("applications_received", _legacy(table, "apps_total")),
             say.say("applications_completed", _legacy(table, "replies_total"))]
    if any(parts):
        prose.append(("para", f"{year}年度，{_join(parts)}。"))
    prose.append(("heading", "三、因政府信息公开申请行政复议、提起行政诉讼的情况"))
    cases = [say.say("review_cases", _legacy(table, "admin_review")),
             say.say("litigation_cases", _legacy(table, "admin_litigation"))]
    if any(cases):
        prose.append(("para", f"本年度{_join(cases)}。"))
    fee = _legacy(table, "fees_collected")
    fees = say.say("fees_collected", fee, None if fee is None else f"{number_text(int(fee), rng)}元")
    prose.append(("heading", "四、政府信息公开的收费及减免情况"))
    if fees is None and not fee:  # a report without a fee row, or with 0, says it took none
        fees = say.state("fees_collected", 0, "0元")
    prose.append(("para", f"本年度{fees}。" if fees else "本年度收费及减免情况详见附表。"))
    prose += [("heading", "五、存在的主要问题和改进措施"), ("para", "一是公开范围有待扩大；二是培训有待加强。"),
              ("heading", "六、需要说明的事项与附表")]
    return prose, say.facts
