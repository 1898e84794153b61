"""The content-first locator: tables are found by what they contain, whatever happens to headings."""

from __future__ import annotations

import re

import pytest

import gxparse
from gxparse.errors import ModelIncompatibleError
from gxparse.locator import (HEADING, LEGACY, OTHER, LineTagger, _runs_at, _with_head_read_as_legacy, _with_row_context,
                             _with_own_label_lines, _wrapped_label_owner, line_tags, split_lines,
                             tagged_regions, train_tagger)
from gxparse.locator_data import locator_sequences
from gxparse.locate import locate_regions
from gxparse.normalize import normalize_text
from gxparse.sources import read_source
from gxparse.train import load_annotated
from tests import perturb
from tests.conftest import DEV, dev_gold
from tests.test_golden_dev import KNOWN_WRONG, wrong_cells

# Dev reports printed line by line (one cell per line, pipe rows, space rows, Markdown), complete.
LINE_REPORTS = ("seed000", "seed002", "seed004", "r207", "r208", "r014")
HEADING_PERTURBATIONS = {
    "typo": perturb.typo_headings,
    "extra_char": perturb.extra_char_headings,
    "split": perturb.split_headings,
    "deleted": perturb.delete_headings,
    "traditional": perturb.traditional,
}


def _parse_text(report_id: str, text: str) -> dict:
    return gxparse.parse(text, source=dev_gold(report_id)["input"]).to_dict()


def _text(report_id: str) -> str:
    return read_source(DEV / dev_gold(report_id)["input"]).text


@pytest.mark.parametrize("name", sorted(HEADING_PERTURBATIONS))
@pytest.mark.parametrize("report_id", LINE_REPORTS)
def test_perturbed_headings_still_parse_to_gold(report_id, name):
    original = _text(report_id)
    text = HEADING_PERTURBATIONS[name](original)
    assert text != original
    gold = dev_gold(report_id)
    result = _parse_text(report_id, text)
    assert wrong_cells(gold, result) == KNOWN_WRONG.get(report_id, set())


def test_deleted_headings_are_found_by_content():
    text = perturb.delete_headings(_text("seed002"))
    assert not locate_regions(normalize_text(text).text)  # no heading anchor left
    report = gxparse.parse(text)
    assert set(report.tables) == {"active_disclosure", "applications", "review_litigation"}
    assert set(report.meta["located_by"].values()) == {"content"}


@pytest.mark.parametrize("report_id", LINE_REPORTS)
def test_tables_printed_in_another_order(report_id):
    text = perturb.swap_first_tables(_text(report_id))
    assert wrong_cells(dev_gold(report_id), _parse_text(report_id, text)) == set()


@pytest.mark.parametrize("headings", [True, False])
@pytest.mark.parametrize("report_id", ["seed000", "seed002", "seed004", "r014"])
def test_tables_printed_as_an_appendix_after_the_narrative(report_id, headings):
    text = perturb.tables_as_appendix(_text(report_id))
    text = text if headings else perturb.delete_headings(text)
    assert wrong_cells(dev_gold(report_id), _parse_text(report_id, text)) == set()


@pytest.mark.parametrize("index,key", [(0, "active_disclosure"), (1, "applications")])
@pytest.mark.parametrize("report_id", ["seed000", "seed002", "seed004", "r014"])
def test_an_excerpt_of_one_table_without_heading(report_id, index, key):
    gold = dev_gold(report_id)
    result = _parse_text(report_id, perturb.only_table(_text(report_id), index))
    assert set(result["tables"]) == {key}
    assert wrong_cells({**gold, "tables": {key: gold["tables"][key]}}, result) == set()


@pytest.mark.parametrize("report_id,keyword", [("seed002", "信息内容"), ("seed004", "信息内容")])
def test_excerpt_beginning_inside_a_table(report_id, keyword):
    text = perturb.excerpt_from_first_table(_text(report_id), keyword)
    gold = dev_gold(report_id)
    assert wrong_cells(gold, _parse_text(report_id, text)) == set()


@pytest.mark.parametrize("report_id", ["seed000", "seed002", "seed004"])
def test_blank_table_comes_out_with_rows_and_none_cells(report_id):
    text = _text(report_id)
    start = text.index("信息内容")
    end = text.index("三、收到和处理政府信息公开申请情况")
    blanked = text[:start] + re.sub(r"\d+(?:\.\d+)?|————", "", text[start:end]) + text[end:]
    report = gxparse.parse(blanked)
    table = report.tables["active_disclosure"]
    assert len(table.rows) >= 5
    assert all(cell.value is None and "blank" in cell.flags for cells in table.rows.values() for cell in cells.values())
    assert report.meta["blank_tables"] == ["active_disclosure"]
    assert report.tables["applications"].cell("new_received", "total").value is not None


def test_template_evidence_is_recorded():
    report = gxparse.parse_file(DEV / "seed002.txt")
    assert report.template == "gov2021"
    assert any("本年制发件数" in e or "现行有效件" in e for e in report.meta["template_evidence"])


def test_unclear_template_gives_a_warning():
    text = _text("seed002")
    only_review = text[text.index("四、政府信息公开行政复议"):]
    only_review = "2020年政府信息公开工作年度报告\n" + only_review
    report = gxparse.parse(only_review)
    assert "review_litigation" in report.tables
    assert any("is a guess" in w for w in report.warnings)


def test_line_tags_come_from_located_regions():
    text = normalize_text(_text("seed002")).text
    regions = locate_regions(text)
    lines, tags = line_tags(text, regions)
    assert len(lines) == len(split_lines(text)) == len(tags)
    assert tags.count(HEADING) == 3
    assert tags[0] == OTHER
    assert {"AD", "APP", "RL"} <= set(tags)


def test_locator_training_is_deterministic_and_round_trips(tmp_path):
    reports = load_annotated([DEV / "seed002.json", DEV / "seed004.json", DEV / "r207.json"])
    a = train_tagger(locator_sequences(reports, seed=1))
    b = train_tagger(locator_sequences(reports, seed=1))
    assert a.model_bytes == b.model_bytes
    loaded = LineTagger.load(a.save(tmp_path / "locator.crfsuite"))
    lines = [ln.text for ln in split_lines(normalize_text(_text("seed000")).text)]
    assert loaded.tag(lines) == a.tag(lines)
    assert {"AD", "APP"} <= set(a.tag(lines))


def test_parse_uses_the_locator_of_the_model_it_is_given():
    from gxparse.train import train_model

    model = train_model(load_annotated([DEV / "seed002.json", DEV / "seed004.json", DEV / "r207.json"]), seed=0)
    assert model.locator is not None
    text = perturb.delete_headings(_text("seed000"))
    report = gxparse.parse(text, model=model)
    assert set(report.meta["located_by"].values()) == {"content"}
    untrained = gxparse.RealignModel(model.weights, model.meta, LineTagger(b"not a crfsuite model"))
    with pytest.raises(ModelIncompatibleError):
        gxparse.parse(text, model=untrained)


def _gold_from(gold: dict, key: str, first_row: str) -> dict:
    """``gold`` with table ``key`` cut to its rows from ``first_row`` on (a copy beginning inside it)."""
    rows = list(gold["tables"][key])
    kept = {row: gold["tables"][key][row] for row in rows[rows.index(first_row):]}
    later = {k: v for k, v in gold["tables"].items() if list(gold["tables"]).index(k) > list(gold["tables"]).index(key)}
    return {**gold, "tables": {key: kept, **later}}


@pytest.mark.parametrize("report_id", ["seed000", "seed002", "seed004", "r207"])
def test_a_copy_beginning_inside_table_three_is_found_by_its_rows(report_id):
    text = _text(report_id)
    text = text[text.index("(四)无法提供") if "(四)无法提供" in text else text.index("（四）无法提供"):]
    result = _parse_text(report_id, text)
    assert result["tables"]["applications"]
    assert wrong_cells(_gold_from(dev_gold(report_id), "applications", "unable_not_held"), result) == set()


@pytest.mark.parametrize("report_id", ["seed000", "seed002", "seed004"])
def test_blank_review_table_comes_out_with_none_cells(report_id):
    text = _text(report_id)
    start = text.index("四、政府信息公开行政复议")
    end = text.index("五、", start)
    blanked = text[:start] + re.sub(r"\d+", "", text[start:end]) + text[end:]
    report = gxparse.parse(blanked)
    cells = report.tables["review_litigation"].rows["cases"]
    assert len(cells) == 15
    assert all(cell.value is None and "blank" in cell.flags for cell in cells.values())
    assert "review_litigation" in report.meta["blank_tables"]


@pytest.mark.parametrize("report_id", ["seed000", "seed002"])
def test_a_row_printed_blank_comes_out_with_none_cells(report_id):
    text = _text(report_id)
    label = text.index("行政处罚")
    line_end = text.index("行政强制", label)
    blanked = text[:label] + re.sub(r"\d+", "", text[label:line_end]) + text[line_end:]
    cells = gxparse.parse(blanked).tables["active_disclosure"].rows["admin_penalty"]
    assert cells and all(cell.value is None for cell in cells.values())


@pytest.mark.parametrize("separator", ["\n", " "])
@pytest.mark.parametrize("report_id", ["seed004", "r207", "r208"])
def test_a_sentence_after_a_table_does_not_leak_into_its_last_row(report_id, separator):
    text = _text(report_id)
    end = re.search(r"三、收到和处理政府信息公开申请情况|三、政府信息依申请公开", text).start()
    with_note = text[:end].rstrip() + separator + "另有5件咨询类来信已转有关部门办理,不计入上表。\n" + text[end:]
    gold = dev_gold(report_id)
    assert wrong_cells(gold, _parse_text(report_id, with_note)) == KNOWN_WRONG.get(report_id, set())


def test_a_legacy_list_without_its_header_is_found_by_content():
    text = _text("seed001")
    cut = text[text.index("其中:2.网上申请数") if "其中:2.网上申请数" in text else text.index("2.网上申请数"):]
    report = gxparse.parse(cut)
    assert report.template == "legacy"
    assert report.meta["located_by"] == {"legacy_indicators": "content"}
    gold = dev_gold("seed001")["tables"]["legacy_indicators"]
    rows = report.tables["legacy_indicators"].rows
    assert rows and all(rows[key]["current"].value == gold[key]["current"] for key in rows if key in gold)


@pytest.mark.parametrize("report_id", ["seed000", "seed002", "seed004", "r207"])
def test_a_heading_the_tagger_does_not_support_gives_way_to_the_table_found_by_content(report_id):
    # a list of sections that names each table's landmark words: its lines anchor like headings
    toc = ("本报告目录如下:\n二、主动公开政府信息情况(第二十条规定的信息内容)\n三、收到和处理政府信息公开申请情况(含本年新收申请)\n"
           "四、政府信息公开行政复议、行政诉讼情况(结果维持、尚未审结)\n")
    text = toc + perturb.delete_headings(_text(report_id))
    anchored = locate_regions(normalize_text(text).text)
    assert anchored["active_disclosure"].end < len(toc)  # the list's line is taken for the heading
    report = gxparse.parse(text)
    assert report.meta["located_by"]["active_disclosure"] == "content"
    assert wrong_cells(dev_gold(report_id), report.to_dict()) == KNOWN_WRONG.get(report_id, set())


def test_a_blank_legacy_list_keeps_its_printed_units():
    text = _text("seed001")
    start = text.index("主动公开文件数")
    blanked = text[:start] + re.sub(r"(?<=\| )\d+(?= \|)|(?<=\n)\d+(?= \|)", "", text[start:])
    report = gxparse.parse(blanked)
    rows = report.tables["legacy_indicators"].rows
    assert report.meta["blank_tables"] == ["legacy_indicators"]
    assert rows["proactive_total"]["unit"].value == "条"
    assert all(cell.value is None and "blank" in cell.flags
               for cells in rows.values() for col, cell in cells.items() if col != "unit")


def test_a_training_excerpt_begins_inside_one_table_and_keeps_its_last_lines():
    """The perturbation that starts a copy inside a table picks one table, then a line of it
    before its last MIN_EXCERPT_TAIL_LINES (not a line of whichever table each line draws)."""
    import random

    from gxparse.locator_data import MIN_EXCERPT_TAIL_LINES, _excerpt

    tags = [tag for table in ("AD", "APP", "RL") for tag in [f"{table}_H"] + [table] * 5]
    lines = [f"line {n}" for n in range(len(tags))]
    for seed in range(200):
        out_lines, out_tags = _excerpt(lines, tags, random.Random(seed))
        assert out_lines == lines[len(lines) - len(out_lines):]
        table = out_tags[0].removesuffix("_H")
        assert sum(t.removesuffix("_H") == table for t in out_tags) >= MIN_EXCERPT_TAIL_LINES


def test_a_sentence_wrapped_past_a_table_is_not_part_of_it() -> None:
    """A PDF sentence after a blank 四 begins with a counted number and wraps past a page number: its lines stay out."""
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
            "结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计\n"
            "维持 纠正 结果 审结 维持 纠正 结果 审结 维持 纠正 结果 审结\n"
            "2020年,我单位政府信息公开工作取得一定成效,但仍存在政\n- 2 -\n公开质量。\n")
    region = locate_regions(text)["review_litigation"]
    assert "2020" not in text[region.start:region.end]
    assert text[region.start:region.end].rstrip().endswith("审结")


def test_rows_tagged_legacy_between_a_tables_header_and_its_rows_stay_in_its_region():
    # 二's rows, 三's header run, two wrapped rows numbered 一、 二、 read as a legacy list, 三's rows
    tables = ["AD", "AD", "APP", "APP", "APP", LEGACY, LEGACY, LEGACY, LEGACY, "APP", "APP", "APP", "APP", "APP"]
    runs = _runs_at([i for i, t in enumerate(tables) if t == "APP"])
    first = max(runs, key=lambda r: r[1] - r[0])[0]
    assert first == 9 and _with_head_read_as_legacy(tables, runs, "APP", first) == 2
    # a legacy list printed before the table, after other lines, is no part of it
    tables = ["O", LEGACY, LEGACY, "APP", "APP"]
    assert _with_head_read_as_legacy(tables, _runs_at([i for i, t in enumerate(tables) if t == "APP"]), "APP", 3) == 3


class _FixedTagger(LineTagger):
    """A tagger that gives fixed tags: the region code is tested apart from what the CRF learns."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(b"")
        self.tags = tags

    def tag(self, lines):
        assert len(lines) == len(self.tags)
        return list(self.tags)


# A glued 二 whose first block follows a caption tagged legacy and whose last block runs into the
# next table's heading (the tagger's tags as in glued renderings where the region cut them off).
GLUED_ACTIVE = (
    "附表1主动公开政府信息情况\n"
    "第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000\n"
    "行政规范性文件717\n"
    "第二十条第(五)项信息内容本年处理决定数量行政许可0\n"
    "第二十条第(六)项信息内容本年处理决定数量行政处罚32行政强制3\n"
    "第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购00三 收到和处理政府信息公开申请情况\n"
    "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\n"
    "一、本年新收政府信息公开申请数量220000022\n"
)
GLUED_ACTIVE_TAGS = [LEGACY, LEGACY, "AD", "AD", "AD", HEADING, "APP_H", "APP"]


def test_a_glued_tables_first_and_last_blocks_tagged_otherwise_stay_in_its_region():
    regions, _ = tagged_regions(GLUED_ACTIVE, _FixedTagger(GLUED_ACTIVE_TAGS))
    active, applications = regions["active_disclosure"], regions["applications"]
    assert GLUED_ACTIVE[active.start:].startswith("第二十条第(一)项")  # not the caption: it prints no row label
    assert "政府集中采购00" in GLUED_ACTIVE[active.start:active.end]
    # the line the last block runs into is 二's, so it is not 三's heading line either
    assert applications.heading_start == applications.start == GLUED_ACTIVE.index("申请人情况")


def test_a_sentence_naming_a_label_does_not_join_the_table_next_to_it():
    last_block = "第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购00三 收到和处理政府信息公开申请情况"
    text = GLUED_ACTIVE.replace(last_block, "全年行政处罚12件,行政强制3件。")
    text = text.replace("附表1主动公开政府信息情况", "全年制发行政规范性文件3件,现行有效175件。")
    regions, _ = tagged_regions(text, _FixedTagger(GLUED_ACTIVE_TAGS))
    active = text[regions["active_disclosure"].start:regions["active_disclosure"].end]
    assert active.startswith("第二十条第(一)项") and active.endswith("行政强制3")


def test_wrapped_label_lines_after_a_page_break_stay_with_their_table() -> None:
    """PDF text wraps 三's long labels over lines; after a page break the tagger may give a few of those pieces to
    no table (or to a legacy header): each piece of 三's labels only, within two lines of a 三 line, is 三's, so the
    table is not cut in two runs (the shorter one, its last rows, lost). A piece too short to tell (``果``, the
    letter of a vertical label) bridges as a gap line; a piece other tables share, or a sentence, is not taken."""
    lines = ["5.要求行政机关确认或重 0 0 0 0 0 0 0", "新出具已获取信息", "1.申请人无正当理由逾期", "果",
             "不补正、行政机关不再处理 0 0 0 0 0 0 0", "其政府信息公开申请", "(六)其他处理 2.申请人逾期未按收费通知",
             "3.其他 0 0 0 0 0 0 0"]
    tables = ["APP", OTHER, OTHER, OTHER, OTHER, LEGACY, "APP", "APP"]
    assert _with_row_context(lines, tables) == ["APP", "APP", "APP", OTHER, "APP", "APP", "APP", "APP"]
    assert _runs_at([i for i, t in enumerate(_with_row_context(lines, tables)) if t == "APP"]) == [(0, 7)]
    assert _wrapped_label_owner("行政机关不再处理") == "APP"
    assert _wrapped_label_owner("果") is None  # too short to tell
    assert _wrapped_label_owner("总计 0 0") is None  # short, and every table's
    assert _wrapped_label_owner("本年度共收到政府信息公开申请5件。") is None  # narrative
    far = ["3.其他 0 0 0 0 0 0 0", "五、存在的主要问题", "无。", "今年没有。", "新出具已获取信息"]
    assert _with_row_context(far, ["APP", HEADING, OTHER, OTHER, OTHER])[-1] == OTHER  # three lines after: no bridge


def test_a_glued_blocks_caption_cut_in_two_joins_the_table_run() -> None:
    """A glued copy is cut at bracketed numbering, so 二's last caption splits (``第二十条第`` | ``(八)项信息内容…行政事业性
    收费0本年度因…0件。``). The tagger may read the first piece as a heading: alone it names too few labels to
    join the table, and the block after it, run into the next sentence, would be lost with its row."""
    text = ("四、结转下年度继续办理0000000第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章51 31行政规范性文件 000"
            "第二十条第(六)项信息内容本年处理决定数量行政处罚 0行政强制286第二十条第(八)项信息内容 本年收费金额(单位:万元)"
            "行政事业性收费0本年度因政府信息公开工作被申请行政复议0件。\n行政复议 行政诉讼")
    lines = split_lines(text)
    caption = max(i for i, ln in enumerate(lines) if ln.text == "第二十条第")
    assert lines[caption + 1].text.startswith("(八)项信息内容")
    assert _with_own_label_lines(lines, "AD", 1, caption - 1) == (1, caption + 1)
    assert _with_own_label_lines(lines, "APP", 0, 0) == (0, 0)  # another table's labels join no run
