"""Narrative facts: the key figures a report's prose states, read with spaCy's rule-based Matcher.

Most reports restate their key figures in the prose (``全年主动公开政府信息219条``,
``共收到政府信息公开申请154件``, ``行政复议36起``, and table 二's ``制发规范性文件9件``,
``作出行政处罚决定784起``, ``行政事业性收费8988万元``); when a scrape lost the tables, the prose is all
that is left, and where a glued row has several readings the prose's figure chooses among them
(:func:`choose_by_facts`). :func:`extract_facts` reads them: the prose outside the table regions is cut into
sentences, white space inside a sentence (PDF line wraps) is dropped with offsets kept, the
sentence is segmented by spaCy ``zh`` with jieba (:func:`gxparse.labels._nlp`), and a
:class:`spacy.matcher.Matcher` per pattern of :data:`PATTERNS` finds the figures.
Segmentation and matching are most of the cost, so a clause is segmented only when the words of
a pattern that could still state a new fact are all in it (:func:`_screen`), and once per text
(:func:`_segment` is cached: reports repeat their sentences year after year).

A pattern is written as a short string: words (alternatives joined by ``|``, a trailing ``*``
accepts any longer word that starts with it, a leading one any word that ends with it), ``…`` a
gap of a few words that holds no number and no clause punctuation (``……`` a longer one), ``#`` the number, ``0`` a negation word (``未收到政府信息公开申请``
states the figure 0; its raw text is the negation word). The number may be ASCII or full-width
digits (normalised by :mod:`gxparse.normalize`, as is traditional script) or Chinese numerals
(``一百零七``, ``两``, read by ``cn2an``; a numeral jieba cuts in pieces is merged back first); an
amount is given in its key's unit (:data:`_MONEY_UNITS`: the information fee in 元, 行政事业性收费
in 万元). Every value is read from a source token whose span points into :attr:`gxparse.Report.text`;
an approximate figure (``7700余条``), a percentage, an ordinal or a cumulative figure (``历年累计``) is
not a fact of the year. The Matcher patterns are
hand-written rules, not learned.

:func:`text_checks` compares each fact with the table cell that states the same figure
(``N-<key>`` checks, ``soft``: a disagreement is a warning; no value is ever changed).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, NamedTuple

from gxparse.jieba_index import digit_shape
from gxparse.labels import _nlp
from gxparse.report import Cell, Check, Report, Table, Value

FACT_KEYS: tuple[str, ...] = (
    "proactive_published", "applications_received", "applications_completed", "review_cases",
    "litigation_cases", "normative_in_force", "fees_collected",
    "normative_issued", "normative_repealed", "licensing_decisions", "penalty_decisions", "coercion_decisions",
    "admin_fees_amount",
)
"""The fact keys (documented in the README contract section)."""

FACT_LABELS: dict[str, str] = {
    "proactive_published": "主动公开政府信息数（正文）",
    "applications_received": "收到政府信息公开申请数（正文）",
    "applications_completed": "办结政府信息公开申请数（正文）",
    "review_cases": "行政复议案件数（正文）",
    "litigation_cases": "行政诉讼案件数（正文）",
    "normative_in_force": "现行有效行政规范性文件数（正文）",
    "fees_collected": "收取费用（元，正文）",
    "normative_issued": "本年制发行政规范性文件数（正文）",
    "normative_repealed": "本年废止行政规范性文件数（正文）",
    "licensing_decisions": "行政许可处理决定数（正文）",
    "penalty_decisions": "行政处罚处理决定数（正文）",
    "coercion_decisions": "行政强制处理决定数（正文）",
    "admin_fees_amount": "行政事业性收费金额（万元，正文）",
}
"""A Chinese label per fact key, for records and displays (``正文``: stated by the prose, not a table)."""

GAP = 4
"""Words a short gap may span (``主动公开[政府]信息``, ``行政复议[共]2件``)."""
LONG_GAP = 14
"""Words a long gap may span: negations name their object late (``未收到公民、法人或其他组织提出的…申请``)."""

YUAN_PER_WAN = 10_000
"""A fee printed in 万元 is stated in 元 (the unit of ``fees_collected``)."""
_MONEY_UNITS: dict[str, str] = {"fees_collected": "元", "admin_fees_amount": "万元"}
"""The unit each amount fact is stated in, whatever the prose prints (``admin_fees_amount`` in 万元, the unit
of the gov2021 table's 本年收费金额（单位：万元）; the information-processing fee in 元). Only these keys
read a decimal number."""
_IN_YUAN = {"元": 1, "万元": YUAN_PER_WAN}
MONEY_DECIMALS = 6
"""Decimals an amount keeps after a change of unit: 元 to 万元 moves the point four places, and the dev
tables print 万元 amounts to six decimals (4166.241619)."""

_CLAUSE_STOP = r",;:。,;:!?!?%()\[\]"
_SENTENCE = re.compile(r"[^。;;!?!?]+")
_CLAUSE = re.compile(r"[^,:;,:;()（）]+")
MAX_CLAUSE_CHARS = 300
"""A clause longer than this is no prose (a table run together, a scrape without punctuation, noise):
it is not segmented, which bounds the cost on adversarial input. Clauses stating a fact in the dev
and wild corpora are at most 74 characters long."""
MAX_FACT_CLAUSES = 1_000
"""Candidate clauses read for facts, in reading order: the dev and wild corpora have at most 56 per
report, so only a runaway input (a report repeated, a scrape of a whole site) reaches it; it bounds
the cost of facts to well under a second whatever the input's size."""
_TOPIC = re.compile(r"公开|公布|发布|申请|复议|诉讼|办结|现行|现有|费|规范性文件|废止|许可|处罚|强制")
_FIGURE = re.compile(r"[\d〇零一二两三四五六七八九十百千万](?:件|条|个|起|份|次|元|万元|项)|未|无|没有")
"""Only a sentence that names one of the topics and states a counted figure or a negation can hold a
fact: only such sentences are segmented and matched (segmentation is most of the cost)."""
_NUMBER = re.compile(r"^(?P<num>\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千万]+)(?P<unit>件|条|个|起|份|次|元|万元)?$")
_UNIT = re.compile(r"^(件|条|个|起|份|次|元|万元|项|余条|余件|多条|多件)$")
_APPROXIMATE = ("余", "多", "左右", "近", "约")
_CUMULATIVE = ("累计", "历年", "其中", "合计", "其他")  # a running total, or one part of the year's figure
_MANY_YEARS = re.compile(r"累计|历年|近[\d一二两三四五六七八九十]+年")
"""Before a figure in its clause, these make it a figure of several years (近3年共受理申请2件)."""
_YEAR_TOTAL = re.compile(r"(?:全年|本年度?|年内|今年|当年)累计")
"""累计 scoped to the year (全年累计主动公开…) is the year's total, not a running one."""
_NEGATION = "未|无|没有|未曾|尚未"
_NEGATION_GLUED = "无政府"  # jieba's dictionary glues 无 to 政府 (无政府信息公开信息处理费收取情况)
_NO_LEGAL = ("行政复议", "复议", "行政诉讼", "诉讼", "诉讼案", "申诉")
_NO_APPLICATION = ("申请", "依", "解读", "答复", "回复")

PATTERNS: dict[str, tuple[str, ...]] = {
    "proactive_published": (
        "主动 公开|发布|公布 … 信息 … #",
        "信息 主动 公开 … #",
        "公开|发布|公布 … 政府 信息 … #",
    ),
    "applications_received": (
        "收到|受理|接收|接到|新收 …… 申请 … #",
        "收到|受理|接收|接到|新收 # … 申请",
        "0 收到|接到|受理|接收 … 申请",
    ),
    "applications_completed": (
        "办结 … #",
    ),
    "review_cases": (
        "行政复议* … #",
        "收到|发生|产生|有|办理 # …… 行政复议*",
        "0 收到|发生|产生|出现|接到|被 … 行政复议*",
    ),
    "litigation_cases": (
        "行政诉讼*|诉讼案* … #",
        "、|和|及 # … 行政诉讼*|诉讼案*",
        "0 收到|发生|产生|出现|接到|被 … 行政诉讼*|诉讼案*",
    ),
    "normative_in_force": (
        "现行 有效 …… #",
        "现有 … 规范性 文件 … #",
    ),
    "fees_collected": (
        "收取 … *费|费用 … #",
        "0 收取|产生|发生 … *费|收费|费用",
        "0 … 收取 … *费|费用",
        "0 … *费|费用 收取",
        "0 收费",
    ),
    # table 二 (the year's figures of 《条例》第二十条): jieba cuts 制发 as 制发, 共制发 or 制 | 发, and
    # 行政强制措施 as 行政 | 强制措施, 行政事业性收费 as 行政 | 事业性 | 收费
    "normative_issued": (
        "制定|制作|印发|出台|*制发 … 规范性 文件 … #",
        "*制 发 … 规范性 文件 … #",
    ),
    "normative_repealed": (
        "废止 … #",
    ),
    "licensing_decisions": (
        "作出|办理|办结|审批|实施|核发 … 行政许可* … #",
        "行政许可* 决定 … #",
    ),
    "penalty_decisions": (
        "作出|办理|办结|实施|查处 … 行政处罚* … #",
        "行政处罚* … #",
    ),
    "coercion_decisions": (
        "作出|办理|办结|实施|采取 … 行政 强制* … #",
        "行政 强制* … #",
    ),
    "admin_fees_amount": (
        "事业性 收费* … #",
    ),
}
"""The Matcher patterns per fact key, in the notation of the module docstring."""

_LISTS = ("和", "及", "与", "或", "等", "以及")
_NOT_A_DECISION = _LISTS + ("类", "信息", "其他", "申请", "受理")
"""Words a table-二 decision count's gap may not cross: a figure shared by a list (作出行政许可和行政处罚决定
共9件), published information (行政处罚类信息12条), or applications (受理行政许可申请5件)."""

_GAP_DENY: dict[str, tuple[str, ...]] = {
    "proactive_published": _NO_APPLICATION + _CUMULATIVE,
    "applications_received": _NO_LEGAL + ("结转", "上年", "行政许可", "许可"),  # 受理行政许可申请 asks for a licence
    "applications_completed": ("上年",),
    "review_cases": ("诉讼", "行政诉讼", "诉讼案", "纠正", "纠错"),
    "litigation_cases": ("纠正", "纠错"),
    "normative_in_force": (),
    "fees_collected": ("事业性",),  # 收取行政事业性收费 is the agency's fee income, not the information fee
    "normative_issued": ("规章", "清理", "梳理", "废止", "失效", "修改", "修订", "备案", "审查", "解读"),
    "normative_repealed": ("规章", "修改", "修订", "拟"),
    "licensing_decisions": _NOT_A_DECISION + ("行政处罚", "处罚", "强制", "行政强制", "服务"),
    "penalty_decisions": _NOT_A_DECISION + ("行政许可", "许可", "强制", "行政强制"),
    "coercion_decisions": _NOT_A_DECISION + ("行政许可", "许可", "行政处罚", "处罚"),
    "admin_fees_amount": ("项目", "标准", "目录", "清单", "减免", "免征", "免收", "减少", "降低", "减收", "涉企"),
}
"""Words a gap of that key may not cross (``未收到…行政复议申请`` is no statement about applications)."""
_NUMBER_GAP_DENY: dict[str, tuple[str, ...]] = {
    "litigation_cases": ("复议", "行政复议"),
}
"""Words only the gap of a number pattern may not cross: ``行政诉讼的情况本年度行政复议1件`` states no
litigation, while a negation may name both (``未收到…行政复议、提起行政诉讼``)."""

_PUBLISHED = ("信息", "公示", "公开", "发布", "公布")
_CLAUSE_DENY: dict[str, tuple[str, ...]] = {
    "proactive_published": ("申请",),
    "normative_issued": ("清理", "梳理"),
    "licensing_decisions": _PUBLISHED,  # 公示行政许可决定5件 counts what was published, 发布行政处罚23件 too
    "penalty_decisions": _PUBLISHED,
    "coercion_decisions": _PUBLISHED,
    "admin_fees_amount": ("减免", "免征", "免收", "减少", "降低", "减收", "退还"),
}
"""Words whose presence in the clause rules out that key (收到申请公开政府信息的要求6件 is no proactive figure)."""
_OBJECT_DENY: dict[str, tuple[str, ...]] = {
    "applications_received": ("行政复议", "复议", "行政诉讼", "诉讼"),
}
"""Words that, right after a negation's object, make the object something else
(未收到依申请公开行政复议、行政诉讼 denies reviews, not applications)."""
TAIL_WORDS = 3
"""How many words after a negation's object are looked at for :data:`_OBJECT_DENY`."""

_SENTENCE_NEEDS: dict[str, tuple[str, ...]] = {
    "applications_completed": ("申请",),
    "normative_in_force": ("规范性文件",),
    "fees_collected": ("费",),
    "normative_repealed": ("规范性文件",),
}
"""Words the sentence or the one before it must hold for a match of that key to count (``办结`` of
what, ``现行有效`` what: ``（二）依申请公开。全年办结38件``)."""

_KEY_UNITS: dict[str, tuple[str, ...]] = {
    "normative_issued": ("件", "份", "个"),
    "normative_repealed": ("件", "份", "个"),
    "licensing_decisions": ("件", "起", "次"),
    "penalty_decisions": ("件", "起", "次"),
    "coercion_decisions": ("件", "起", "次"),
    "admin_fees_amount": ("元", "万元"),
}
"""The units a figure of that key is printed with: a count of decisions is not one of 条 (information
published) or 项/个 (kinds of licence: 行政许可事项由29项精简为22项), an amount is in 元 or 万元."""
_LISTED: frozenset[str] = frozenset({"licensing_decisions", "penalty_decisions", "coercion_decisions"})
"""Keys whose match may not begin right after a list word (作出行政许可、行政处罚决定共9件 states their sum;
失效或废止文件7件 is still the year's repealed documents)."""


@dataclass(frozen=True)
class Fact:
    """One figure stated by the prose.

    Attributes
    ----------
    key:
        One of :data:`FACT_KEYS`.
    value:
        The number stated (``0`` for an explicit negation such as ``未收到政府信息公开申请``).
    raw:
        The source text of the number (or of the negation word).
    span:
        ``(start, end)`` offsets of ``raw`` in :attr:`gxparse.Report.text`.
    sentence:
        The sentence that states it, as printed.
    unit:
        The unit printed after the number (``件``, ``条``, ``元``…), ``""`` if none.
    flags:
        ``negation`` (the figure is stated as none), ``chinese_numeral``.
    """

    key: str
    value: int | float
    raw: str
    span: tuple[int, int]
    sentence: str
    unit: str = ""
    flags: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """The Chinese label of the fact's key (:data:`FACT_LABELS`)."""
        return FACT_LABELS[self.key]

    def to_dict(self) -> dict[str, Any]:
        """Return the fact as plain data."""
        return {"key": self.key, "value": self.value, "raw": self.raw, "span": list(self.span),
                "sentence": self.sentence, "unit": self.unit, "flags": list(self.flags)}


def _word(spec: str) -> dict[str, Any]:
    alternatives = spec.split("|")
    if "*" not in spec:  # exact words: a set lookup, much cheaper than a regular expression
        return {"TEXT": {"IN": alternatives}}
    parts = [re.escape(a.strip("*")) + (".*" if a.endswith("*") else "") for a in alternatives]
    parts = [(".*" + p if a.startswith("*") else p) for a, p in zip(alternatives, parts)]
    return {"TEXT": {"REGEX": "^(?:" + "|".join(parts) + ")$"}}


_WORD, _LIST, _STOP, _NUM, _UNIT_CLASS = "#word", "#list", "#stop", "#num", "#unit"
"""Token classes written into ``Token.norm_`` before matching, so that the Matcher compares one
string per token instead of running a regular expression for every partial match."""
_STOP_CHARS = re.compile(rf"[\d{_CLAUSE_STOP}〇零一二两三四五六七八九十百千万]")


def _token_class(text: str) -> str:
    if _NUMBER.match(text):
        return _NUM
    if _UNIT.match(text):
        return _UNIT_CLASS
    if text == "、":
        return _LIST
    return _STOP if _STOP_CHARS.search(text) else _WORD


def _gap(deny: Sequence[str], *, lists: bool) -> dict[str, Any]:
    """Words without numbers or clause punctuation; a short gap does not run on into the next item of
    a list (``、``). Its length is bounded after matching, from the match alignment (an ``{0,n}``
    operator is expanded into ``n`` optional states and makes the Matcher many times slower)."""
    return {"NORM": {"IN": [_WORD, _LIST] if lists else [_WORD]}, "TEXT": {"NOT_IN": list(deny)}, "OP": "*"}


def _compile(pattern: str, deny: Sequence[str]) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Return the Matcher pattern and, per gap element, the most words it may span."""
    tokens: list[dict[str, Any]] = []
    bounds: dict[int, int] = {}
    negated = pattern.startswith("0 ")
    for part in pattern.split():
        if part in ("…", "……"):
            long = negated or part == "……"
            bounds[len(tokens)] = LONG_GAP if long else GAP
            tokens.append(_gap(deny, lists=long))
        elif part == "#":
            tokens.append({"NORM": _NUM})
            tokens.append({"NORM": _UNIT_CLASS, "OP": "?"})  # a unit glued to the number is checked in _read_fact
        elif part == "0":
            tokens.append(_word(f"{_NEGATION}|{_NEGATION_GLUED}"))
        else:
            tokens.append(_word(part))
    return tokens, bounds


def _matcher(key: str, tier: int) -> tuple[Any, str, dict[int, int]]:
    """The Matcher of pattern ``tier`` of ``key`` in :data:`PATTERNS`, its match id ``key/tier/kind`` and its gap
    bounds (:func:`_matchers`)."""
    return _matchers()[key, tier]


@cache
def _matchers() -> dict[tuple[str, int], tuple[Any, str, dict[int, int]]]:
    """The Matcher of every pattern of :data:`PATTERNS` (:func:`_new_matcher`), by key and tier.

    All are built at the first segmentation, which loads spaCy (the warm-up parse of a batch), not each at the first
    clause that asks for it: a Matcher takes 0.16 ms to build (its pattern validated by pydantic), and the reports of
    a batch would each pay for the patterns they are the first to need (3.4 ms over the dev corpus, measured).
    """
    return {(key, tier): _new_matcher(key, tier) for key, patterns in PATTERNS.items() for tier in range(len(patterns))}


def _new_matcher(key: str, tier: int) -> tuple[Any, str, dict[int, int]]:
    """A new Matcher of pattern ``tier`` of ``key``, its match id and its gap bounds (see :func:`_matcher`).

    A clause is matched only against the patterns its screen left (:func:`_screen`): a pattern the screen rules
    out states no fact in it, and the Matcher's cost grows with its patterns. One Matcher a pattern (not one a set
    of them, built for every new set a report's clauses ask for: most of the cost of facts on a new report,
    measured) finds what a Matcher holding the set finds: each pattern is matched on its own.
    """
    from spacy.matcher import Matcher

    matcher = Matcher(_nlp().vocab)
    pattern = PATTERNS[key][tier]
    name = f"{key}/{tier}/{'neg' if pattern.startswith('0 ') else 'num'}"
    deny = _GAP_DENY[key] + (() if pattern.startswith("0 ") else _NUMBER_GAP_DENY.get(key, ()))
    tokens, bounds = _compile(pattern, deny)
    matcher.add(name, [tokens])
    return matcher, name, bounds


def _gaps_fit(alignment: Sequence[int], bounds: dict[int, int]) -> bool:
    """Whether every gap of a match spans no more words than its bound."""
    counts = Counter(alignment)
    return all(counts.get(element, 0) <= bound for element, bound in bounds.items())


class _Clause(NamedTuple):
    """A clause that may state a fact: a named tuple, made for every candidate clause of a report (a frozen
    dataclass sets each field through ``object.__setattr__``: three times the cost, measured)."""

    compact: str  # the clause without white space: what is segmented and matched
    sentence: str  # the whole sentence without white space
    printed: str  # the whole sentence as printed
    context: str  # the sentence before it and the sentence, without white space (what a figure is of)
    raw: str  # the whole sentence as in the report text
    raw_start: int  # where ``raw`` begins in the report text
    at: int  # where ``compact`` begins in ``sentence``

    @property
    def offsets(self) -> tuple[int, ...]:
        """The offset in the report text of each compact character (only a clause a match states a fact in asks,
        once a fact: :func:`_read_fact`)."""
        start = self.raw_start  # the visible characters' offsets, run by run (ranges chained in C, not a test per character)
        kept = list(itertools.chain.from_iterable(range(start + m.start(), start + m.end()) for m in _VISIBLE.finditer(self.raw)))
        return tuple(kept[self.at:self.at + len(self.compact)])


def _visible(sentence: str) -> str:
    """What a sentence keeps for matching: no white space (PDF line wraps) and no ``|`` of a flattened table border.

    Dropped by :meth:`str.split` (which cuts at ``str.isspace``, the ``\\s`` of ``re``) and :meth:`str.replace`:
    three times faster than a pattern, measured."""
    return "".join(sentence.split()).replace("|", "")


_VISIBLE = re.compile(r"[^\s|]+")
"""A run of the characters a sentence keeps (what :func:`_visible` keeps)."""


def _clauses(text: str, exclude: Sequence[tuple[int, int]]) -> Iterable[_Clause]:
    """The clauses of the prose of ``text`` outside the ``exclude`` spans (the table regions) that may
    state a figure. No pattern crosses clause punctuation, so a clause is the unit of matching."""
    start = 0
    pieces = []
    for a, b in sorted(exclude):
        if a > start:
            pieces.append((start, a))
        start = max(start, b)
    pieces.append((start, len(text)))
    for a, b in pieces:
        previous = ""
        for m in _SENTENCE.finditer(text, a, b):
            raw = m.group(0)
            sentence = _visible(raw)
            context, previous = previous[-MAX_CLAUSE_CHARS:] + sentence, sentence
            if not (_TOPIC.search(sentence) and _FIGURE.search(sentence)):
                continue
            printed = raw.strip()  # once a sentence, not once a clause
            for c in _CLAUSE.finditer(sentence):
                clause = c.group(0)
                if len(clause) <= MAX_CLAUSE_CHARS and (_TOPIC.search(clause) or _FIGURE.search(clause)):
                    yield _Clause(clause, sentence, printed, context, raw, m.start(), c.start())


SEGMENT_CACHE_SIZE = 8_192
"""Clauses kept segmented (and screened, :func:`_screen`), by their digit shape (:func:`_segmented`), and
numerals kept read: reports of one agency (and of one template) repeat their sentences year after year with
other figures, and segmentation and matching are most of the cost of facts. A clause is at most :data:`MAX_CLAUSE_CHARS` long, so the
caches hold a few megabytes at most."""

_COUNTED = re.compile(r"[\d〇零一二两三四五六七八九十百千万][件条个起份次元万项余多]")
"""A number token (:data:`_NUMBER`) ends with a numeral and a figure needs its unit (:data:`_UNIT`) right
after it, glued or as the next word: a number pattern can state a fact only in a clause holding this."""
_NEGATION_CHAR = re.compile("|".join(sorted(set(_NEGATION.split("|")) | {_NEGATION_GLUED}, key=len)))
"""A negation word holds one of these: a negation pattern needs one in its clause."""


@cache
def _pattern_needs() -> tuple[tuple[str, int, bool, tuple[tuple[str, ...], ...]], ...]:
    """Per pattern of :data:`PATTERNS` (its key and tier), what a clause must contain for the pattern
    to match it: a negation word (``True``) or a counted figure, and one alternative of each of its
    words (a token's text is a part of its clause's text, so these are substrings)."""
    needs = []
    for key, patterns in PATTERNS.items():
        for tier, pattern in enumerate(patterns):
            words = tuple(tuple(a.strip("*") for a in part.split("|")) for part in pattern.split()
                          if part not in ("…", "……", "#", "0"))
            needs.append((key, tier, pattern.startswith("0 "), words))
    return tuple(needs)


@lru_cache(maxsize=SEGMENT_CACHE_SIZE)
def _screen(clause: str) -> tuple[tuple[str, int], ...]:
    """The ``(key, tier)`` of every pattern that may match ``clause`` (:func:`_pattern_needs`): a cheap
    test before segmenting. A clause none of whose patterns could improve on the facts already found
    (none, or only ones a more specific pattern has stated) is not segmented."""
    figure = {True: _NEGATION_CHAR.search(clause) is not None, False: _COUNTED.search(clause) is not None}
    return tuple((key, tier) for key, tier, negated, words in _pattern_needs()
                 if figure[negated] and all(any(w in clause for w in alternatives) for alternatives in words)
                 and not _rules_out(key, clause))


@cache
def _key_figures() -> dict[str, re.Pattern[str]]:
    """Per key of :data:`_KEY_UNITS`, a numeral followed by one of the key's units: its figures need one."""
    return {key: re.compile(r"[\d〇零一二两三四五六七八九十百千万](?:" + "|".join(units) + ")")
            for key, units in _KEY_UNITS.items()}


def _rules_out(key: str, clause: str) -> bool:
    """Whether no match of ``key`` in ``clause`` can state a fact (what :func:`_read_fact` would reject,
    tested on the text): a word of the key's :data:`_CLAUSE_DENY` in the clause, or no figure in one of
    its :data:`_KEY_UNITS` (行政处罚类信息12条 is not segmented for decisions)."""
    if any(w in clause for w in _CLAUSE_DENY.get(key, ())):
        return True
    figure = _key_figures().get(key)
    return figure is not None and figure.search(clause) is None


@dataclass(frozen=True)
class _Segmented:
    """A clause as the Matcher saw it: its words (after :func:`_merge_numerals`), the character offset
    of each word in the clause, and the matches whose gaps fit their bounds, as ``(name, start, end)``
    in reading order."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    matches: tuple[tuple[str, int, int], ...]

    def text(self, start: int, end: int) -> str:
        """The text of words ``start`` to ``end`` (a clause holds no white space)."""
        return "".join(self.words[max(0, start):end])


@lru_cache(maxsize=SEGMENT_CACHE_SIZE)
def _segment(clause: str, wanted: tuple[tuple[str, int], ...]) -> _Segmented:
    """Segment ``clause`` (spaCy ``zh`` with jieba) and run the Matcher of each ``wanted`` pattern over it.

    Two patterns' matches of the same words may come in either order: :func:`extract_facts` keeps the fact of the
    lowest tier that reads one, whichever it reads first."""
    nlp = _nlp()
    doc = nlp.make_doc(clause)
    _merge_numerals(doc)
    words, starts = [], []
    for token in doc:  # one pass: a Token object is made anew at every access
        token.norm_ = _token_class(token.text)
        words.append(token.text)
        starts.append(token.idx)
    found = []
    for key, tier in wanted:
        matcher, name, bounds = _matcher(key, tier)
        found += [(name, start, end) for _, start, end, alignment in matcher(doc, with_alignments=True)
                  if _gaps_fit(alignment, bounds)]
    return _Segmented(tuple(words), tuple(starts), tuple(sorted(found, key=lambda m: (m[1], m[2]))))


def _segmented(clause: str, shape: str, wanted: tuple[tuple[str, int], ...]) -> _Segmented:
    """The segmentation of ``clause`` from that of its digit shape (:func:`gxparse.jieba_index.digit_shape`).

    Reports print the same clauses with other figures (``全年共收到政府信息公开申请9903件``).
    Screening, segmenting and matching read a clause's digits only as digits, never their values:
    jieba cuts a clause and its shape at the same places, and the token classes (``\\d``), the
    screens and the Matcher's words (none holds a digit: ``tests/test_facts.py``) read any digit
    alike. So a clause and its shape get the same screen, word boundaries and matches; only the
    words' text differs, and it is cut from ``clause`` here.
    """
    segmented = _segment(shape, wanted)
    if shape == clause:
        return segmented
    words = tuple(clause[start:start + len(word)] for word, start in zip(segmented.words, segmented.starts))
    return _Segmented(words, segmented.starts, segmented.matches)


@lru_cache(maxsize=SEGMENT_CACHE_SIZE)
def _number_value(raw: str) -> int | float | None:
    """The value of a number token's digits or Chinese numeral (``None`` when cn2an cannot read it)."""
    if raw[0].isdigit():
        return float(raw) if "." in raw else int(raw)
    import cn2an

    try:
        value = cn2an.cn2an(raw, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else float(value)


def extract_facts(text: str, exclude: Sequence[tuple[int, int]] = ()) -> list[Fact]:
    """Return the facts the prose of ``text`` states: at most one per key.

    A key's patterns are tried in the order of :data:`PATTERNS` (the most specific first, e.g.
    ``主动公开…信息`` before a bare ``公开…政府信息``); the first match in reading order of the
    first pattern that matches is the fact. ``exclude`` holds the ``(start, end)`` spans of the
    table regions, whose numbers are cells, not prose.
    """
    found: dict[str, tuple[int, Fact]] = {}
    for sent in itertools.islice(_clauses(text, exclude), MAX_FACT_CLAUSES):
        shape = digit_shape(sent.compact)
        wanted = _screen(shape)
        if not any(key not in found or tier < found[key][0] for key, tier in wanted):
            continue
        segmented = _segmented(sent.compact, shape, wanted)
        for name, start, end in segmented.matches:
            key, tier, kind = name.split("/")
            if key in found and found[key][0] <= int(tier):
                continue
            if not all(w in sent.context for w in _SENTENCE_NEEDS.get(key, ())):
                continue
            fact = _read_fact(key, kind == "neg", segmented, start, end, sent)
            if fact is not None:
                found[key] = (int(tier), fact)
    return sorted((f for _, f in found.values()), key=lambda f: f.span)


_NUMERAL_PIECE = re.compile(r"^[〇零一二两三四五六七八九十百千万]+$")
_NUMERAL_END = re.compile(r"^[〇零一二两三四五六七八九十百千万]+(?:件|条|个|起|份|次|元|万元)?$")


def _merge_numerals(doc: Any) -> None:
    """Merge a Chinese numeral that jieba cut in pieces (``九百`` ``九十五条``) back into one token."""
    words = [token.text for token in doc]
    runs, i = [], 0
    while i < len(words):
        j = i
        while j < len(words) and _NUMERAL_PIECE.match(words[j]):
            j += 1
        if j > i and j < len(words) and _NUMERAL_END.match(words[j]):  # the last piece carries the unit
            j += 1
        if j - i > 1:
            runs.append(doc[i:j])
        i = max(j, i + 1)
    if not runs:
        return
    with doc.retokenize() as retokenizer:
        for span in runs:
            retokenizer.merge(span)


def _read_fact(key: str, negated: bool, seg: _Segmented, start: int, end: int, sent: _Clause) -> Fact | None:
    """The fact a match states, or ``None`` when its context makes it no figure of the year."""
    before = _YEAR_TOTAL.sub("", seg.text(start - 3, start))
    if not negated and (any(w in before for w in _CUMULATIVE) or before.endswith("第")
                        or _MANY_YEARS.search(_YEAR_TOTAL.sub("", seg.text(0, start)))):
        return None
    if any(w in sent.compact for w in _CLAUSE_DENY.get(key, ())):
        return None
    if negated and any(w in _OBJECT_DENY.get(key, ()) for w in seg.words[end:end + TAIL_WORDS]):
        return None
    if key in _LISTED and start > 0 and seg.words[start - 1] in ("、", *_LISTS):
        return None
    if negated:
        token = start
        value: int | float | None = 0
        raw = max((w for w in _NEGATION.split("|") if seg.words[token].startswith(w)), key=len)
        unit, flags = "", ("negation",)
    else:
        token = next((i for i in range(start, end) if _NUMBER.match(seg.words[i])), -1)
        if token < 0:
            return None
        m = _NUMBER.match(seg.words[token])
        assert m is not None
        following = seg.text(token + 1, token + 2)
        if following.startswith(_APPROXIMATE) or following.startswith("%") or ("." in m.group("num") and key not in _MONEY_UNITS):
            return None
        raw = m.group("num")
        unit = m.group("unit") or (following if _UNIT.match(following) else "")
        if not unit or unit not in _KEY_UNITS.get(key, (unit,)):  # a count without its unit is a year, a heading
            return None  # number or a table cell; a count in another unit counts something else (条: information)
        value = _number_value(raw)
        if value is not None and key in _MONEY_UNITS and unit in _IN_YUAN:  # an amount is stated in its key's unit
            value = round(value * _IN_YUAN[unit] / _IN_YUAN[_MONEY_UNITS[key]], MONEY_DECIMALS)
            value = int(value) if float(value).is_integer() else value
        flags = () if raw[0].isdigit() else ("chinese_numeral",)
    if value is None:
        return None
    offsets = sent.offsets
    lo = offsets[seg.starts[token]]
    hi = offsets[seg.starts[token] + len(raw) - 1] + 1
    return Fact(key, value, raw, (lo, hi), sent.printed, unit, flags)


FACT_CELLS: dict[str, dict[str, tuple[str, ...]]] = {
    "gov2021": {
        "applications_received": ("applications.new_received.total",),
        "applications_completed": ("applications.results_total.total",),
        "review_cases": ("review_litigation.cases.review_total",),
        "litigation_cases": ("review_litigation.cases.litigation_direct_total",
                             "review_litigation.cases.litigation_after_review_total"),
        "normative_in_force": ("active_disclosure.normative_documents.in_force",),
        "normative_issued": ("active_disclosure.normative_documents.issued",),
        "normative_repealed": ("active_disclosure.normative_documents.repealed",),
        "licensing_decisions": ("active_disclosure.admin_licensing.decisions",),
        "penalty_decisions": ("active_disclosure.admin_penalty.decisions",),
        "coercion_decisions": ("active_disclosure.admin_coercion.decisions",),
        "admin_fees_amount": ("active_disclosure.admin_fees.fee_amount",),
    },
    "gov2019": {
        "applications_received": ("applications.new_received.total",),
        "applications_completed": ("applications.results_total.total",),
        "review_cases": ("review_litigation.cases.review_total",),
        "litigation_cases": ("review_litigation.cases.litigation_direct_total",
                             "review_litigation.cases.litigation_after_review_total"),
        "normative_issued": ("active_disclosure.normative_documents.newly_made",),
        "licensing_decisions": ("active_disclosure.admin_licensing.decisions",),
        "penalty_decisions": ("active_disclosure.admin_penalty.decisions",),
        "coercion_decisions": ("active_disclosure.admin_coercion.decisions",),
    },
    "legacy": {
        "proactive_published": ("legacy_indicators.proactive_total.current",),
        "applications_received": ("legacy_indicators.apps_total.current",),
        "applications_completed": ("legacy_indicators.replies_total.current",),
        "review_cases": ("legacy_indicators.admin_review.current",),
        "litigation_cases": ("legacy_indicators.admin_litigation.current",),
        "fees_collected": ("legacy_indicators.fees_collected.current",),
    },
}
"""Per template, the table cells whose sum states the same figure as a fact (from spec/TEMPLATE.md)."""


def text_checks(template: str | None, tables: dict[str, Table], facts: Sequence[Fact]) -> list[Check]:
    """Compare each fact with the cells stating the same figure: one ``N-<key>`` check per fact.

    ``not_assessable`` when a cell is absent, blank or a placeholder. The checks are ``soft``: a
    report whose prose and table disagree is worth a warning, and neither value is changed.
    """
    checks = []
    for fact in facts:
        addresses = FACT_CELLS.get(template or "", {}).get(fact.key)
        if not addresses or not any(a.split(".", 1)[0] in tables for a in addresses):
            continue
        values = [_cell_value(tables, a) for a in addresses]
        if any(not isinstance(v, (int, float)) for v in values):
            status, right = "not_assessable", None
        else:
            right = float(sum(values))  # type: ignore[arg-type]
            status = "pass" if abs(right - fact.value) < 1e-6 else "fail"
        table = addresses[0].split(".", 1)[0]
        checks.append(Check(f"N-{fact.key}", table, "text", status, float(fact.value), right, addresses, "soft"))
    return checks


def _cell_value(tables: dict[str, Table], address: str) -> Value:
    table, row, col = address.split(".", 2)
    cell = tables.get(table, Table(table, {})).rows.get(row, {}).get(col)
    return cell.value if cell is not None else None


def check_warnings(checks: Iterable[Check], facts: Sequence[Fact]) -> list[str]:
    """One warning per failed ``N-`` check, naming both figures."""
    by_key = {f.key: f for f in facts}
    out = []
    for check in checks:
        if check.id.startswith("N-") and check.status == "fail":
            fact = by_key[check.id[2:]]
            out.append(f"{check.id}: the prose states {fact.raw}{fact.unit} ({fact.sentence[:60]}) "
                       f"but the table has {check.right:g} ({' + '.join(check.cells)})")
    return out


FACT_CHOSEN_FLAG = "fact_chosen"
"""The flag of the cells of a row whose reading the prose chose among the placer's (:func:`choose_by_facts`)."""


def choose_by_facts(report: Report, facts: Sequence[Fact]) -> list[dict[str, Any]]:
    """Choose, for each fact, among the readings of the doubtful row that states its figure; return the choices.

    A row whose reading the placer doubts keeps its other readings of the same source, best first
    (:attr:`gxparse.report.Table.alternatives`: a doubtful row, or a legacy row's glued cut that no
    identity checks). Where the cells of :data:`FACT_CELLS` that state a fact all lie in one such row
    and its current reading disagrees with the fact, the best-ranked other reading that agrees is
    chosen (a glued ``1121784784`` under 上一年项目数量 | 本年增/减 | 处理决定数量 read 112 | 178 | 4784,
    and the prose's 行政处罚决定784起 is stated by 1121 | 784 | 784 and by the less likely 112 | 1784 | 784).
    When the best agreeing readings are equally likely and differ, the prose cannot tell them apart and
    nothing is chosen. Where the prose states several figures of one row (制发规范性文件126件 and 现行有效
    125件), a reading must state all of them (the choice names the first in ``fact``). A chosen reading's
    cells are flagged :data:`FACT_CHOSEN_FLAG` and the table's identities re-evaluated. As with the
    cross-year links (:mod:`gxparse.links`), the prose only chooses among readings of the row's own
    source; no value is taken from it.
    """
    cells_of = FACT_CELLS.get(report.template or "", {})
    row_facts: dict[str, list[Fact]] = {}  # the facts stated by the cells of one row, by row
    for fact in facts:
        places = {a.rsplit(".", 1)[0] for a in cells_of.get(fact.key, ())}
        if len(places) == 1:
            row_facts.setdefault(places.pop(), []).append(fact)
    chosen = []
    for place, stated in row_facts.items():
        table_key, row = place.split(".", 1)
        table = report.tables.get(table_key)
        if table is None or not table.alternatives.get(row):
            continue
        fact = stated[0]
        readings = [table.rows[row], *table.alternatives[row]]
        agree = [n for n, cells in enumerate(readings)
                 if all(_states(cells, [a.rsplit(".", 1)[1] for a in cells_of[f.key]], f.value) for f in stated)]
        if not agree or agree[0] == 0 or _tied(readings[agree[0]], readings[agree[1]] if len(agree) > 1 else None):
            continue  # no reading states it, the reading agrees already, or the prose cannot tell the best apart
        previous = _choose_reading(report, table_key, row, readings[agree[0]])
        chosen.append({"fact": fact.key, "row": f"{table_key}.{row}",
                       "previous": {c: previous[c].raw for c in previous}, "chosen": {c: table.rows[row][c].raw for c in previous}})
        chosen.extend({"fact": fact.key, **choice} for choice in follow_identities(report, table_key, row))
    return chosen


def _choose_reading(report: Report, table_key: str, row: str, winner: dict[str, Cell]) -> dict[str, Cell]:
    """Put ``winner`` (one of the row's alternative readings) in place of the row's reading, its cells flagged
    :data:`FACT_CHOSEN_FLAG`, and re-evaluate the table's identities; return the cells it replaced."""
    from gxparse.links import recheck_identities

    table = report.tables[table_key]
    previous = table.rows[row]
    table.rows[row] = {**previous, **{c: Cell(cell.value, cell.raw, cell.span, cell.confidence, tuple(
        f for f in cell.flags if not f.startswith("identity_fail:")) + (FACT_CHOSEN_FLAG,)) for c, cell in winner.items()}}
    del table.alternatives[row]
    recheck_identities(report, table_key)
    return {c: previous[c] for c in winner}


def follow_identities(report: Report, table_key: str, row: str) -> list[dict[str, Any]]:
    """After the prose chose ``row``'s reading, the readings of the rows that a column identity naming ``row``
    now fails with, where such a row keeps alternatives; return the choices (``row``, ``previous``, ``chosen``,
    ``identity``: the ids of the identities it mends).

    The placer weighed the identities against the reading the row had then: a legacy 主动公开文件数 ``5470``
    read 54 | 70 let its sub-row 政府网站公开数, printed alike, read 54 | 70 too; once the prose's
    主动公开政府信息5条 chose 5 | 470, the sub-row's 54 exceeds its total (I-C1-4). Such a row takes its
    best-ranked other reading under which none of those identities fails and no other check of the table that
    holds comes to fail; a reading of its own source, never a value from the prose or the identity. A row whose
    readings all leave one failing keeps its own.
    """
    table = report.tables[table_key]
    failing = [c for c in report.checks if c.table == table_key and c.status == "fail" and _across_rows(report, c.id)
               and any(a.split(".")[1] == row for a in c.cells)]
    out = []
    for other in dict.fromkeys(a.split(".")[1] for c in failing for a in c.cells):
        if other == row or not table.alternatives.get(other):
            continue
        mended = {c.id for c in failing if any(a.split(".")[1] == other for a in c.cells)}
        for reading in table.alternatives[other]:
            if _mends(report, table_key, other, reading, mended):
                previous = _choose_reading(report, table_key, other, reading)
                out.append({"row": f"{table_key}.{other}", "previous": {c: previous[c].raw for c in previous},
                            "chosen": {c: table.rows[other][c].raw for c in previous}, "identity": sorted(mended)})
                break
    return out


def _across_rows(report: Report, check_id: str) -> bool:
    """Whether ``check_id`` names a column identity (one relating rows) of the report's template."""
    from gxparse.template import get_template

    return report.template is not None and any(i.id == check_id and i.per == "col"
                                               for t in get_template(report.template).tables for i in t.identities)


def _mends(report: Report, table_key: str, row: str, reading: dict[str, Cell], ids: set[str]) -> bool:
    """Whether, with ``row`` read as ``reading`` (the table left as it is), none of the identities ``ids`` fails
    and every instance failing then failed already."""
    from gxparse.template import get_template
    from gxparse.validate import check_table

    table = report.tables[table_key]
    spec = get_template(report.template or "").table(table_key)
    failing_now = {(c.id, c.scope) for c in check_table(spec, table) if c.status == "fail"}
    trial = Table(table.key, {**table.rows, row: {**table.rows[row], **reading}})
    failing = {(c.id, c.scope) for c in check_table(spec, trial) if c.status == "fail"}
    return not any(ident in ids for ident, _ in failing) and failing <= failing_now


def _tied(best: dict[str, Cell], runner_up: dict[str, Cell] | None) -> bool:
    """Whether two alternative readings (each cell's confidence is the reading's posterior) are equally
    likely but read the source differently: then a fact both state cannot rank them."""
    if runner_up is None:
        return False
    same = all(runner_up.get(c) is not None and (cell.raw, cell.span) == (runner_up[c].raw, runner_up[c].span)
               for c, cell in best.items())
    return not same and abs(_posterior(best) - _posterior(runner_up)) < POSTERIOR_TIE


def _posterior(reading: dict[str, Cell]) -> float:
    """The posterior of an alternative reading (the confidence its cells carry)."""
    return min((cell.confidence for cell in reading.values()), default=0.0)


POSTERIOR_TIE = 1e-9
"""Posteriors closer than this are equal (readings the placer scores alike, e.g. the same cut of two equal runs)."""


def _states(cells: dict[str, Cell], cols: Sequence[str], value: int | float) -> bool:
    """Whether the numbers of ``cells`` in ``cols`` add up to ``value`` (every cell a number)."""
    numbers = [cells[c].value if c in cells else None for c in cols]
    return all(isinstance(v, (int, float)) for v in numbers) and abs(sum(numbers) - value) < 1e-6  # type: ignore[arg-type]


def add_facts(report: Report, exclude: Sequence[tuple[int, int]]) -> None:
    """Read the facts of ``report.text`` onto ``report`` with their ``N-`` checks and warnings.

    ``exclude`` holds the spans of the table regions. A fact may choose among the readings of a doubtful
    row (:func:`choose_by_facts`, recorded in ``meta["fact_choices"]``); no value is taken from the prose.
    """
    report.facts = extract_facts(report.text, exclude)
    if choices := choose_by_facts(report, report.facts):
        report.meta["fact_choices"] = choices
    checks = text_checks(report.template, report.tables, report.facts)
    report.checks.extend(checks)
    report.warnings.extend(check_warnings(checks, report.facts))
