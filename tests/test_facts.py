"""Narrative facts: what the prose states, read from source tokens, checked against the tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gxparse
from gxparse.check_data import check_facts
import gxparse.facts as facts_module
from gxparse.facts import FACT_KEYS, extract_facts
from gxparse.normalize import normalize_text

DEV = Path(__file__).resolve().parent.parent / "training_data" / "dev"


def _facts(text: str) -> dict[str, int | float]:
    return {f.key: f.value for f in extract_facts(normalize_text(text).text)}


def test_every_fact_points_at_its_source_token() -> None:
    text = normalize_text("一、总体情况\n2023年，全年主动公开政府信息219条。共收到政府信息公开申请15件，共办结14件。").text
    facts = extract_facts(text)
    assert {f.key: f.value for f in facts} == {"proactive_published": 219, "applications_received": 15,
                                              "applications_completed": 14}
    for fact in facts:
        assert text[slice(*fact.span)] == fact.raw
        assert fact.raw in fact.sentence


def test_traditional_script_full_width_digits_and_chinese_numerals() -> None:
    assert _facts("全年主動公開政府信息１０７條。") == {"proactive_published": 107}
    facts = extract_facts(normalize_text("全年主动公开信息一百零七件，收到政府信息公开申请两件。").text)
    assert [(f.key, f.value, f.raw, f.flags) for f in facts] == [
        ("proactive_published", 107, "一百零七", ("chinese_numeral",)),
        ("applications_received", 2, "两", ("chinese_numeral",))]


def test_negations_state_zero_and_point_at_the_negation() -> None:
    text = normalize_text("2022年未收到政府信息公开申请。本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。").text
    facts = {f.key: f for f in extract_facts(text)}
    assert {k: f.value for k, f in facts.items()} == {"applications_received": 0, "review_cases": 0, "litigation_cases": 0}
    assert all(f.raw == "未" and "negation" in f.flags and text[slice(*f.span)] == "未" for f in facts.values())


def test_wordings_real_reports_use() -> None:
    # a Chinese numeral jieba cuts in pieces (九百 | 九十五条) is read whole
    assert _facts("通过门户网站主动公开政府信息九百九十五条。") == {"proactive_published": 995}
    # 累计 scoped to the year is the year's total; 历年累计 is not
    assert _facts("全年累计主动公开政府信息955条，历年累计主动公开3120条。") == {"proactive_published": 955}
    assert _facts("新收政府信息公开申请两件。") == {"applications_received": 2}
    # a fee in 万元 is stated in 元; 费用 is a fee
    assert _facts("本年度收取信息处理费3.5万元。") == {"fees_collected": 35000}
    assert _facts("本年度收取费用0元。") == {"fees_collected": 0}
    assert _facts("我局没有被申请行政复议、被提起行政诉讼。") == {"review_cases": 0, "litigation_cases": 0}
    # what 办结 counts may be named by the sentence before (a run-in heading)
    assert _facts("（二）依申请公开。2020年，上年结转0件，办结38件。") == {"applications_completed": 38}
    assert _facts("2020年，信访事项办结38件。") == {}


def test_a_heading_run_into_the_next_sentence_states_no_litigation() -> None:
    facts = _facts("三、因政府信息公开申请行政复议、提起行政诉讼的情况本年度行政复议1件。")
    assert facts == {"review_cases": 1}


@pytest.mark.parametrize("text", [
    "历年累计主动公开政府信息2979条。",               # cumulative, not this year's figure
    "累计主动公开政府信息7700余条。",                 # approximate
    "其他应主动公开政府信息1053条。",                 # one part of the year's figure
    "二、主动公开政府信息情况2019年度，开展培训3次。",  # a year is not a count
    "行政复议纠错率为5%。",                          # a percentage
    "未收到有关政府信息公开行政复议申请。",            # about a review, not about applications
])
def test_what_is_not_a_fact_of_the_year(text: str) -> None:
    facts = _facts(text)
    assert "proactive_published" not in facts
    assert "applications_received" not in facts
    assert facts.get("review_cases") in (None, 0)


def test_a_clause_seen_before_points_at_its_own_place() -> None:
    # segmentation is cached by clause text: the same clause in another report (or wrapped
    # differently) must still point at its own source token
    first = normalize_text("全年主动公开政府信息219条。").text
    second = normalize_text("一、总体情况\n2023年，全年主动\n公开政府信息219条。").text
    spans = []
    for text in (first, second, first):
        (fact,) = extract_facts(text)
        assert (fact.key, fact.value, text[slice(*fact.span)]) == ("proactive_published", 219, "219")
        spans.append(fact.span)
    assert spans[0] == spans[2] != spans[1]


def test_clauses_skipped_before_segmenting_hold_no_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clauses no pattern could state a new fact in are not segmented; matching every clause finds the same facts."""
    texts = [gxparse.parse_file(DEV / json.loads(p.read_text(encoding="utf-8"))["input"]).text
             for p in sorted(DEV.glob("*.json"))]
    texts += ["收到申请1件，办结率100%，办结1件。", "本年度未收取任何费用，无行政复议。", "主动公开政府信息一百二十条。"]
    screened = [[f.to_dict() for f in extract_facts(t)] for t in texts]
    every_pattern = tuple((key, tier) for key, patterns in facts_module.PATTERNS.items()
                          for tier in range(len(patterns)))
    monkeypatch.setattr(facts_module, "_screen", lambda clause: every_pattern)
    assert [[f.to_dict() for f in extract_facts(t)] for t in texts] == screened
    assert sum(map(len, screened)) >= 50  # the comparison covers many facts


def test_report_without_tables_still_has_its_facts() -> None:
    report = gxparse.parse_file(DEV / "seed003.txt")
    assert report.template is None and report.tables == {}
    assert any("no statistical table" in w for w in report.warnings)
    data = report.to_dict()
    assert data["tables"] == {}
    assert data["facts"] == {"proactive_published": 107, "applications_received": 0, "fees_collected": 0}
    assert [r["table"] for r in report.to_records()] == ["facts"] * 3


def test_text_versus_table_checks_warn_and_never_change_values() -> None:
    agree = gxparse.parse_file(DEV / "r004.txt")
    checks = {c.id: c for c in agree.checks if c.id.startswith("N-")}
    assert checks["N-applications_received"].status == "pass"
    assert checks["N-review_cases"].left == checks["N-review_cases"].right == 36
    disagree = gxparse.parse_file(DEV / "r002.pdftext.txt")  # the prose counts one office, the table the district
    check = next(c for c in disagree.checks if c.id == "N-applications_received")
    assert (check.status, check.left, check.right, check.level) == ("fail", 17, 95, "soft")
    assert any(w.startswith("N-applications_received") for w in disagree.warnings)
    assert disagree.tables["applications"].cell("new_received", "total").value == 95


def test_dev_gold_facts_are_valid() -> None:
    for path in sorted(DEV.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert "facts" in gold, path.name
        assert check_facts(gold["facts"]) == [], path.name
    assert check_facts({"proactive": 3}) and check_facts({"review_cases": "3"}) and check_facts([1])


def test_dev_fact_precision_and_recall() -> None:
    """The Matcher patterns are hand-written rules (read off this corpus, so this is in-sample). The gold
    annotates the keys of the first fact rules; the table-二 keys are compared with the gold cells instead
    (test_table_two_facts_agree_with_the_dev_gold_tables)."""
    golds = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(DEV.glob("*.json"))]
    annotated = {key for gold in golds for key in gold["facts"]}
    found = right = expected = 0
    for gold in golds:
        report = gxparse.parse_file(DEV / gold["input"])
        assert {f.key for f in report.facts} <= set(FACT_KEYS)
        got = {f.key: f.value for f in report.facts if f.key in annotated}
        found += len(got)
        expected += len(gold["facts"])
        right += sum(1 for k, v in got.items() if gold["facts"].get(k) == v)
    assert right / found >= 0.99 and right / expected >= 0.95


def test_table_two_figures_of_the_prose() -> None:
    """The year's figures of table 二 as real reports restate them (dev seed002, r220; wild prose)."""
    assert _facts("二、主动公开政府信息情况全年制作规范性文件9件，废止1件，现行有效493件。作出行政许可决定3件。"
                  "行政事业性收费8988万元。") == {
        "normative_issued": 9, "normative_repealed": 1, "normative_in_force": 493, "licensing_decisions": 3,
        "admin_fees_amount": 8988}
    # jieba cuts 制发 as 制 | 发; 失效或废止 still counts the repealed documents
    assert _facts("制发行政规范性文件9件，按程序确认失效或废止文件7件。") == {"normative_issued": 9, "normative_repealed": 7}
    assert _facts("立案查处各类违法行为并作出行政处罚决定784起，全部予以公开挂网。") == {"penalty_decisions": 784}
    assert _facts("办理行政许可事项1121件，实施行政强制措施12起。") == {"licensing_decisions": 1121, "coercion_decisions": 12}
    # the amount of 行政事业性收费 is stated in 万元 (the table's unit), the information fee in 元
    assert _facts("本年度收取行政事业性收费246900元。") == {"admin_fees_amount": 24.69}


@pytest.mark.parametrize("text", [
    "区环境与国土资源局在环境保护栏目共计发布行政处罚23件。",    # information published, not decisions
    "公示行政处罚信息236条。",                                  # the same, counted in 条
    "行政处罚类信息12条。",                                     # a category of published information
    "作出行政许可、行政处罚决定共9件。",                         # the sum of a list
    "行政许可事项由原来的29项精简合并为22项。",                   # kinds of licence, not decisions
    "受理行政许可申请15件。",                                    # applications, not decisions
    "梳理历年印发的行政规范性文件228份。",                        # cumulative
    "共发布规范性文件500余份。",                                 # approximate, and published, not issued
    "政策、规范性文件类信息80条。",                               # a category of published information
    "制定规章和规范性文件10件。",                                # two rows' sum
    "减免行政事业性收费2万元。",                                  # a reduction, not an amount collected
])
def test_what_is_not_a_table_two_figure(text: str) -> None:
    table_two = {"normative_issued", "normative_repealed", "licensing_decisions", "penalty_decisions",
                 "coercion_decisions", "admin_fees_amount", "applications_received", "fees_collected"}
    assert not set(_facts(text)) & table_two, text


def test_table_two_facts_agree_with_the_dev_gold_tables() -> None:
    """Every table-二 fact of a dev report states its gold cell where the template has one (in-sample)."""
    compared = 0
    for path in sorted(DEV.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        report = gxparse.parse_file(DEV / gold["input"])
        for fact in report.facts:
            for address in facts_module.FACT_CELLS.get(gold["template"] or "", {}).get(fact.key, ()):
                table, row, col = address.split(".")
                if table == "active_disclosure" and isinstance(value := gold["tables"][table][row][col], (int, float)):
                    assert value == fact.value, (path.name, fact)
                    compared += 1
    assert compared >= 5


def test_no_pattern_word_holds_a_digit() -> None:
    import re

    words = [w.strip("*") for patterns in facts_module.PATTERNS.values() for p in patterns
             for part in p.split() if part not in ("…", "……", "#", "0") for w in part.split("|")]  # not markers
    words += [w for table in (facts_module._GAP_DENY, facts_module._NUMBER_GAP_DENY, facts_module._CLAUSE_DENY,
                              facts_module._OBJECT_DENY) for ws in table.values() for w in ws]
    words += [*facts_module._NEGATION.split("|"), facts_module._NEGATION_GLUED]
    assert len(words) > 100 and not any(re.search(r"[0-9]", w) for w in words)


def _drawn_digits(clause: str, rng) -> str:  # noqa: ANN001 (random.Random)
    """``clause`` with each ASCII digit redrawn (so the digit runs keep their lengths)."""
    return "".join(rng.choice("0123456789") if ch.isascii() and ch.isdigit() else ch for ch in clause)


def test_a_clause_is_screened_and_segmented_like_its_digit_shape() -> None:
    """Segmenting and matching a clause by its digit shape gives its own words, boundaries and matches."""
    import random

    from gxparse.facts import _clauses, _screen, _segment, _segmented
    from gxparse.jieba_index import digit_shape

    rng = random.Random(5011)
    texts = [normalize_text(p.read_text(encoding="utf-8")).text for p in sorted(DEV.glob("*.txt"))]
    texts += ["全年共收到政府信息公开申请9903件，办结120件。", "本年度1号店受理申请12件，4S店办结3件。",
              "主动公开政府信息1.5万条，收取费用0.35万元。"]
    clauses = {c.compact for text in texts for c in _clauses(text, ())}
    clauses |= {_drawn_digits(c, rng) for c in list(clauses) for _ in range(3)}
    checked = 0
    for clause in sorted(clauses):
        wanted = _screen.__wrapped__(clause)
        shape = digit_shape(clause)
        assert _screen.__wrapped__(shape) == wanted, clause
        if not wanted:
            continue
        assert _segmented(clause, shape, wanted) == _segment.__wrapped__(clause, wanted), clause
        checked += shape != clause
    assert checked > 200
