"""Pseudo-labelled unlabelled reports for the locator: tags only from a confident parse."""

from __future__ import annotations

import gxparse
from gxparse.locator import OTHER
from gxparse.locator_data import pseudo_tagged_report, tagged_report
from gxparse.sources import read_source, source_from_text
from gxparse.train import load_annotated
from tests.conftest import DEV

CONFIDENT = "r035"  # a gov2019 report whose parse finds the tables it prints, each with a passing check


def test_a_confident_parse_gives_the_tags_gold_gives() -> None:
    report = load_annotated([DEV / f"{CONFIDENT}.json"])[0]
    pseudo = pseudo_tagged_report(read_source(DEV / f"{CONFIDENT}.txt"))
    assert pseudo is not None and pseudo == tagged_report(report)
    assert {"AD", "APP"} <= set(pseudo[1])


def test_a_report_without_tables_is_a_negative() -> None:
    text = "2015年政府信息公开工作年度报告\n一、概述\n本机关认真贯彻落实条例。\n二、存在的问题\n公开力度有待加强。\n"
    lines, tags = pseudo_tagged_report(source_from_text(text))
    assert lines and set(tags) == {OTHER}


def test_a_parse_with_a_failing_check_gives_no_tags() -> None:
    text = (DEV / f"{CONFIDENT}.txt").read_text(encoding="utf-8")
    assert "未接到提出公开政府信息的申请" in text
    text = text.replace("未接到提出公开政府信息的申请", "共收到政府信息公开申请3件")  # the prose now disagrees with the table
    assert any(c.status == "fail" for c in gxparse.parse(text).checks)
    assert pseudo_tagged_report(source_from_text(text)) is None
