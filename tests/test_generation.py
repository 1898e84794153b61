"""The template generation is weighed from every cue a copy still shows, recorded, and warned when unclear."""

from __future__ import annotations

import re

import numpy as np
import pytest

import gxparse
from gxparse.generation import CLEAR_POSTERIOR, GENERATIONS, NOTHING_PRINTED_TELLS, decide_template, year_cue
from gxparse.locate import locate_regions
from gxparse.normalize import normalize_text
from gxparse.sources import read_source
from gxparse.synth import render
from gxparse.synth.render import GOV_LAYOUTS
from tests import perturb
from tests.conftest import DEV, dev_gold

REVIEW_TABLE = 2  # index of the 四 table among the dev reports' table headings (二, 三, 四)
APPLICATIONS_TABLE = 1


def _text(report_id: str) -> str:
    return read_source(DEV / dev_gold(report_id)["input"]).text


def _review_table(report_id: str) -> str:
    """The 四 table of a dev report alone: no heading, no narrative before or after it (no year)."""
    excerpt = perturb.only_table(_text(report_id), REVIEW_TABLE)
    start = excerpt.index("行政复议\n")
    end = re.compile(r"\n\s*[(（][一二三四五六][)）]|五\s*、").search(excerpt, start)
    return excerpt[start:end.start() if end else len(excerpt)]


def _guessed(report: gxparse.Report) -> bool:
    return any("is a guess" in w for w in report.warnings)


@pytest.mark.parametrize("report_id", ["seed002", "r004", "r009", "r208"])
def test_a_full_report_is_decided_clearly_from_its_labels(report_id):
    report = gxparse.parse(_text(report_id))
    assert report.template == dev_gold(report_id)["template"]
    assert report.meta["template_posterior"] >= CLEAR_POSTERIOR
    assert report.meta["template_clear"] is True
    assert any("label" in cue for cue in report.meta["template_evidence"])
    assert not any(NOTHING_PRINTED_TELLS in cue for cue in report.meta["template_evidence"])
    assert not _guessed(report)


def test_a_legacy_report_is_not_weighed_as_a_national_format():
    report = gxparse.parse(_text("r011"))
    assert report.template == "legacy"
    assert "template_posterior" not in report.meta
    assert not _guessed(report)


def test_an_excerpt_of_the_review_table_alone_is_a_warned_guess():
    # 四 is printed alike in both national formats: nothing in it tells them apart
    report = gxparse.parse(_review_table("seed002"))
    assert set(report.tables) == {"review_litigation"}
    assert report.meta["template_posterior"] < CLEAR_POSTERIOR
    assert report.meta["template_clear"] is False
    assert any(NOTHING_PRINTED_TELLS in cue for cue in report.meta["template_evidence"])
    assert _guessed(report)


@pytest.mark.parametrize("title_year,expected", [(2023, "gov2021"), (2020, "gov2019")])
def test_the_stated_year_weighs_an_excerpt_that_has_no_distinguishing_label(title_year, expected):
    excerpt = _review_table("seed002")
    report = gxparse.parse(f"{title_year}年政府信息公开工作年度报告\n{excerpt}")
    assert report.template == expected
    assert any(f"report year {title_year}" in cue for cue in report.meta["template_evidence"])


def test_the_input_name_states_the_year_when_the_text_does_not():
    report = gxparse.parse(_review_table("seed002"), source="2023年政府信息公开工作年度报告.txt")
    assert report.template == "gov2021"
    assert any("report year 2023 (stated)" in cue for cue in report.meta["template_evidence"])
    assert not _guessed(report)


def test_the_publication_date_stands_for_the_year_before():
    excerpt = _review_table("seed002")
    report = gxparse.parse(f"{excerpt}\n某某市某某局\n2021年1月20日\n")
    assert report.template == "gov2019"
    assert any("report year 2020 (published 2021-01-20)" in cue for cue in report.meta["template_evidence"])


def test_a_copy_beginning_inside_a_table_is_decided_by_the_year_its_prose_names():
    # r002 is a 2024 report on the 2021 format that prints （六）其他处理 as one row (the 2019 form);
    # cut where its 三 table begins, the 二 labels are gone and only the years it names tell.
    report = gxparse.parse(perturb.excerpt_from_first_table(_text("r002t"), "申请人情况"))
    assert report.template == "gov2021"
    evidence = report.meta["template_evidence"]
    assert any("report year 2024" in cue for cue in evidence)
    assert any("printed form" in cue and "gov2019" in cue for cue in evidence)
    assert _guessed(report)  # the cues disagree: decided, but not clear


def test_the_single_row_form_alone_is_a_warned_guess():
    report = gxparse.parse(perturb.only_table(_text("r002t"), APPLICATIONS_TABLE))
    assert set(report.tables) == {"applications"}
    assert report.template == "gov2019"  # the likelier reading of that form, without any year
    assert _guessed(report)


def test_a_label_of_one_generation_is_read_in_traditional_script():
    report = gxparse.parse(perturb.traditional(perturb.only_table(_text("seed002"), APPLICATIONS_TABLE)))
    assert report.template == "gov2021"
    assert any("逾期不补正" in cue for cue in report.meta["template_evidence"])
    assert not _guessed(report)


def test_a_printed_label_outweighs_a_contradicting_year():
    text = normalize_text("2022年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项\n"
                          "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 0 0 0\n").text
    decision = decide_template(text, locate_regions(text))
    assert decision.template == "gov2019"
    assert not decision.clear  # a 2022 report on the 2019 layout is possible, but worth a warning
    assert decision.evidence[0].startswith("active_disclosure label")


@pytest.mark.parametrize("year,expected", [(2015, "gov2019"), (2020, "gov2019"), (2021, "gov2021"), (2025, "gov2021")])
def test_a_year_favours_the_generation_prescribed_for_it(year, expected):
    cue = year_cue(f"{year}年政府信息公开工作年度报告\n")
    assert cue is not None and cue.favours == expected and cue.favours in GENERATIONS


def test_a_text_without_any_year_gives_no_year_cue():
    assert year_cue("行政复议 行政诉讼\n结果维持 0\n") is None


@pytest.mark.parametrize("layout", [layout for layout in GOV_LAYOUTS if layout != "html"])
def test_a_rendering_of_dev_gold_that_starts_inside_a_table_keeps_its_generation(layout):
    # r002's gold (a 2024 report on the 2021 format printing （六）其他处理 as one row), printed from a
    # cut inside a table: the labels that would decide are gone, the single-row form speaks for 2019
    rendered = render("gov2021", dev_gold("r002")["tables"], layout, np.random.default_rng(0),
                      variants=("starts_in_table",), year=2024)
    report = gxparse.parse(rendered.text)
    assert report.template == "gov2021"
    assert any("report year 2024" in cue for cue in report.meta["template_evidence"])
