"""The printed markers that locate a table come from the template data, not from code."""

from __future__ import annotations

import pytest

from gxparse import locate
from gxparse.locate import NATIONAL_GENERATIONS, has_required_content, locate_by_header_run
from gxparse.template import get_template


@pytest.mark.parametrize("template_id", NATIONAL_GENERATIONS)
def test_every_national_table_names_where_it_begins_and_what_it_must_hold(template_id):
    for table in get_template(template_id).tables:
        assert table.content_start and table.content_required, table.key
    assert get_template(template_id).closing_sections


def test_the_locator_reads_its_markers_from_the_template_data():
    review = get_template("gov2021").table("review_litigation")
    assert set(locate.HEADER_RUNS) == {t.key for g in NATIONAL_GENERATIONS for t in get_template(g).tables if t.header_run}
    assert locate.HEADER_RUNS["review_litigation"].search(" ".join(review.header_run))  # spaces between characters too
    for word in get_template("gov2019").closing_sections:
        assert locate._STOP.search(f"今年{word}如下")


def test_a_header_run_finds_the_review_table_without_its_heading():
    text = "四、政府信息公开行政复、议情况\n行政复议\n行政诉讼\n结果维持\n结果纠正\n0\n0\n"
    region = locate_by_header_run(text, "review_litigation", {})
    assert region is not None and text[region.start:].startswith("行政复议")
    assert has_required_content(text, region)


def test_a_table_without_a_header_run_has_none():
    applications = get_template("gov2021").table("applications")
    assert applications.header_run == "" and "applications" not in locate.HEADER_RUNS
    assert locate_by_header_run("申请人情况\n本年新收\n", "applications", {}) is None
