"""Metadata (agency, level, report year, publication date) on every dev report that prints them."""

from __future__ import annotations

import json

import pytest

import gxparse
from gxparse.metadata import admin_level
from tests.conftest import DEV

# What each dev report prints (checked by reading the inputs): None where the report does not say.
EXPECTED = {
    "r002.pdf": ("淮安市洪泽区人民政府", "county", 2024, None),
    "r004.txt": ("平潭综合实验区", None, 2025, "2026-03-10"),
    "r009.txt": ("平潭综合实验区", None, 2020, "2021-03-05"),
    "r011.txt": ("平潭综合实验区", None, 2018, "2019-01-10"),
    "r014.md": ("上海市科委", "provincial", 2024, None),
    "r019.txt": ("平潭综合实验区", None, 2012, "2013-02-25"),
    "r020.txt": (None, None, 2024, None),  # a bare body: only the statistics period names the year
    "r021.txt": (None, None, None, None),  # "本年度，我局…": names neither
    "r025.html": (None, None, None, None),  # the tables only
    "r035.txt": ("驼峰路街道办事处", "township", 2020, None),  # year named in the body twice
    "r201.txt": ("平潭综合实验区自然资源与生态环境局", None, 2023, "2024-01-05"),
    "r204.txt": ("平潭综合实验区管委会办公室", None, 2023, "2024-01-31"),
    "r207.txt": ("平潭综合实验区交通与建设局", None, 2023, "2024-01-30"),
    "r208.txt": ("平潭综合实验区自然资源与生态环境局", None, 2019, "2020-01-17"),
    "r210.txt": ("平潭综合实验区环境与国土资源局", None, 2017, "2018-03-01"),
    "r213.txt": ("平潭综合实验区社会事业局", None, 2017, "2018-01-12"),
    "r220.txt": ("平潭综合实验区管委会办公室", None, 2025, "2026-01-30"),
    "r225.txt": ("平潭综合实验区海坛片区管理局", None, 2024, "2025-01-23"),
    "seed000.txt": ("绵阳市安州区人力资源和社会保障局", "county", 2023, "2024-01-24"),
    # a legacy 附表 report without a title line: the sign-off names agency and date
    "seed001.txt": ("泉州市洛江区人力资源和社会保障局", "county", 2018, "2018-12-29"),
    "seed002.txt": ("湖北省人力资源和社会保障厅", "provincial", 2021, None),
    # the 区人力社保局's report on the 定海区 government's site, in traditional script
    "seed003.txt": ("定海区人力社保局", "county", 2022, None),
    "seed004.txt": ("上海市静安区人力资源和社会保障局", "county", 2023, None),
}


def _dev_inputs() -> list[str]:
    return sorted(json.loads(p.read_text(encoding="utf-8"))["input"] for p in DEV.glob("*.json")
                  if json.loads(p.read_text(encoding="utf-8")).get("input"))


def test_every_dev_input_has_an_expectation():
    assert set(_dev_inputs()) - {"r002.pdftext.txt"} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_of_dev_report(name):
    if name.endswith(".pdf"):
        pytest.importorskip("pdfplumber")
    meta = gxparse.parse_file(DEV / name).meta
    assert (meta["agency"], meta["level"], meta["report_year"], meta["published"]) == EXPECTED[name]


@pytest.mark.parametrize(("agency", "level"), [
    ("国务院办公厅", "national"), ("北京市人民政府", "provincial"), ("广西壮族自治区民政厅", "provincial"),
    ("杭州市人民政府", "prefecture"), ("延边朝鲜族自治州财政局", "prefecture"), ("平潭县公安局", "county"),
    ("某某市市场监督管理局", "prefecture"), ("驼峰路街道办事处", "township"), ("某某镇人民政府", "township"),
    ("苏州工业园区管委会", None), (None, None),
])
def test_admin_level(agency, level):
    assert admin_level(agency) == level


def test_legacy_labels_keep_no_stray_numbering_punctuation():
    report = gxparse.parse_file(DEV / "seed001.txt")
    labels = report.tables["legacy_indicators"].labels
    assert labels["proactive_website"] == "政府网站公开数"
    assert not any(label.startswith((".", "、", ":")) for label in labels.values())


@pytest.mark.parametrize("text, agency, year", [
    ("成都市武侯区交通运输局2023年政府信息公开工作年度报告本报告所列数据的统计期限为2023年1月1日至2023年12月31日。一、总体情况",
     "成都市武侯区交通运输局", 2023),
    ("定西市安定區交通局2021年政府信息公開工作年度報告本報告所列數據的統計期限爲2021年1月1日至2021年12月31日。",
     "定西市安定区交通局", 2021),
])
def test_title_glued_to_the_body_still_names_agency_and_year(text, agency, year):
    meta = gxparse.parse(text).meta
    assert (meta["agency"], meta["report_year"]) == (agency, year)


def test_a_sentence_about_reports_is_not_a_glued_title():
    text = "根据《中华人民共和国政府信息公开条例》要求，现公布本单位2023年政府信息公开工作年度报告。"
    assert gxparse.parse(text).meta["agency"] is None
