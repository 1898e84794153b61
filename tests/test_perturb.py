"""Damage real copies show (gxparse.synth.perturb) leaves every table value where it was: the parse still equals gold."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import gxparse
from gxparse.normalize import normalize_text, unwrap_labels
from gxparse.scan import scan_region
from gxparse.sources import read_source
from gxparse.synth.corpus import make_corpus
from gxparse.synth.perturb import CELL_PERTURBATIONS, PERTURBATIONS, perturb
from tests.conftest import DEV, dev_gold
from tests.test_golden_dev import KNOWN_WRONG, wrong_cells

# dev reports of several layouts: glued, space rows, legacy glued, legacy one cell per line, pipe rows, Markdown
DAMAGED_REPORTS = ("r201", "r207", "r210", "r213", "seed001", "r035", "r014", "r021")
FIXED_CLASSES = ("label_line_break", "running_header", "pipe_extra_column", "invisible_characters",
                 "windows_whitespace", "fullwidth_digits", "note_after_tables", "reheaded_page_break")
PROSE_DRAWS = 4


def _text(report_id: str) -> str:
    return read_source(DEV / dev_gold(report_id)["input"]).text


def _damaged(report_id: str, name: str, seed: int = 0) -> str:
    return perturb(_text(report_id), dev_gold(report_id), [name], np.random.default_rng(seed))


@pytest.mark.parametrize("name", FIXED_CLASSES)
@pytest.mark.parametrize("report_id", DAMAGED_REPORTS)
def test_damaged_dev_report_still_parses_to_gold(report_id, name):
    text = _damaged(report_id, name)
    result = gxparse.parse(text, source=dev_gold(report_id)["input"]).to_dict()
    assert wrong_cells(dev_gold(report_id), result) == KNOWN_WRONG.get(report_id, set())


@pytest.mark.parametrize("name", sorted({**PERTURBATIONS, **CELL_PERTURBATIONS}))
def test_perturbations_are_deterministic_and_keep_the_values(name):
    gold = dev_gold("r207")
    a = perturb(_text("r207"), gold, [name], np.random.default_rng(3))
    b = perturb(_text("r207"), gold, [name], np.random.default_rng(3))
    assert a == b
    digits = normalize_text(a).text
    for rows in gold["tables"].values():  # every printed value is still printed (separators aside)
        for cells in rows.values():
            for value in cells.values():
                if isinstance(value, int) and value >= 10:
                    assert str(value) in re.sub(r"(?<=\d)[,，](?=\d{3})", "", digits)


def test_a_label_wrapped_over_two_lines_is_one_label_again():
    assert unwrap_labels("行政处\n罚 6\n行政规范\n性文件 1 2 3") == "行政处 罚 6\n行政规范 性文件 1 2 3"
    # a break between two cells or rows stays a break
    assert unwrap_labels("规章\n行政规范性文件\n商业企业\n科研机构") == "规章\n行政规范性文件\n商业企业\n科研机构"


def test_wrapped_labels_keep_offsets_and_length():
    raw = "行政处\r\n罚 6"
    norm = normalize_text(raw)
    assert norm.text == "行政处 罚 6"
    assert norm.raw_span(norm.text.index("6"), len(norm.text)) == (raw.index("6"), len(raw))


def test_running_title_line_is_no_table_content():
    text = "规章 0 1 2\n某某区人民政府2024年政府信息公开工作年度报告\n- 3 -\n行政规范性文件 4 5 6"
    assert [it.text for it in scan_region(text, 0, len(text)) if it.kind == "num"] == list("012456")


def test_glued_table_followed_by_numbered_prose_keeps_its_values(tmp_path):
    # a gov2019 glued report that prints each table on its heading's line (seed 5101, report 27): the prose goes
    # right after the table, and its numbers must not become the table's value lines
    path = make_corpus(tmp_path, 28, seed=5101, templates=("gov2021", "gov2019", "legacy"), variants="none")[-1]
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    raw = path.read_text(encoding="utf-8")
    undamaged = wrong_cells(gold, gxparse.parse(raw).to_dict())
    for seed in range(PROSE_DRAWS):  # each draw puts other enumerations with other counts after the tables
        text = perturb(raw, gold, ["enumerated_prose"], np.random.default_rng(seed))
        assert re.search(r"第二十条[^\n]*\n(?:[（(]1[)）]|1\.|一是)", text)
        assert wrong_cells(gold, gxparse.parse(text).to_dict()) == undamaged, seed


def test_make_corpus_names_its_perturbations_and_leaves_undamaged_reports_alone(tmp_path):
    plain = make_corpus(tmp_path / "plain", 4, seed=5104, templates=("gov2021", "legacy"))
    damaged = make_corpus(tmp_path / "damaged", 4, seed=5104, templates=("gov2021", "legacy"), perturbations="all")
    for a, b in zip(plain, damaged):
        gold_a = json.loads(a.with_suffix(".json").read_text(encoding="utf-8"))
        gold_b = json.loads(b.with_suffix(".json").read_text(encoding="utf-8"))
        added = gold_b["variants"][len(gold_a["variants"]):]
        assert gold_b["variants"][: len(gold_a["variants"])] == gold_a["variants"]
        assert added and set(added) <= set(PERTURBATIONS)
        assert gold_b["tables"] == gold_a["tables"]
    again = make_corpus(tmp_path / "again", 4, seed=5104, templates=("gov2021", "legacy"), perturbations="none")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in plain]


LEGACY_REPORTS = ("r011", "r019", "r210", "r213", "seed001")


@pytest.mark.parametrize("report_id", LEGACY_REPORTS)
def test_legacy_list_with_a_space_in_every_label_is_still_found(report_id):
    """A PDF text layer prints a space inside each label (``主动 公开信息数``): no label is printed as the
    template spells it, and the list is still found and read."""
    from gxparse.legacy import _printed_labels

    text = normalize_text(_text(report_id)).text
    for label in sorted(set(_printed_labels().findall(text)), key=len, reverse=True):
        text = text.replace(label, label[:2] + " " + label[2:])
    result = gxparse.parse(text, source=dev_gold(report_id)["input"]).to_dict()
    assert "legacy_indicators" in result["tables"]
    assert wrong_cells(dev_gold(report_id), result) == KNOWN_WRONG.get(report_id, set())


@pytest.mark.parametrize("report_id", DAMAGED_REPORTS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_zeros_typed_as_letters_or_numerals_read_zero(report_id, seed):
    text = _damaged(report_id, "letter_zeros", seed)
    result = gxparse.parse(text, source=dev_gold(report_id)["input"]).to_dict()
    assert wrong_cells(dev_gold(report_id), result) == KNOWN_WRONG.get(report_id, set())


def test_a_lone_zero_shape_is_a_zero_but_a_date_keeps_its_numeral():
    text = "二〇二三年 行政许可 〇 O | ○ |\n零\n"
    assert normalize_text(text).text == "二〇二三年 行政许可 0 0 | 0 |\n0\n"


def test_legacy_value_glued_to_the_next_labels_numbering_is_split_by_the_lists_count():
    """``条 92.政府公报公开`` after ``1.网站公开``: 9 is the value, 2 the numbering (the list counts 1, 2, 3 …);
    ``件 03.电子邮件`` after ``2.传真``: 0 and 3."""
    text = ("附表：政府信息公开情况统计表 指标名称 计量单位 本年 主动公开信息数 条 12 其中：1．网站公开 条 92．政府公报公开 条 3 "
            "受理依申请公开信息总数 件 5 其中：1．当面申请数 件 22．传真申请数 件 03．电子邮件申请数 件 1 4．网上申请数 件 2 "
            "对申请的答复总数 件 5 行政复议数 件 0 行政诉讼数 件 0")
    rows = gxparse.parse(text).to_dict()["tables"]["legacy_indicators"]
    assert [rows[key]["current"] for key in ("proactive_website", "proactive_gazette", "apps_in_person", "apps_fax",
                                             "apps_email")] == [9, 3, 2, 0, 1]


@pytest.mark.parametrize("extra", ["", " |", " | |"])
def test_stacked_markdown_row_keeps_its_values_with_an_extra_empty_column(extra):
    """A label printed above a Markdown grid whose first row is the next row's (``| 规章 | 0 | 3 | 0 |``) and whose
    second row holds the stacked label's values alone; a converter's extra empty column does not change that."""
    rule = "|---|---|---|---|" + "---|" * extra.count("|")
    text = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容本年制发件数本年废止件数现行有效件数\n行政规范性文件\n"
            f"| 规章 | 0 | 3 | 0 |{extra}\n{rule}\n| 53 | 14 | 456 |{extra}\n\n")
    rows = gxparse.parse(text, source="report.md").to_dict()["tables"]["active_disclosure"]
    assert rows["normative_documents"] == {"issued": 53, "repealed": 14, "in_force": 456}
    assert rows["regulations"] == {"issued": 0, "repealed": 3, "in_force": 0}
