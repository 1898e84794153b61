"""Tests of the synthetic report generator :mod:`gxparse.synth`."""

from __future__ import annotations

import json
import re
import statistics
import time
from typing import Any

import numpy as np
import pytest

from gxparse.synth import LAYOUTS, make_corpus, random_legacy_tables, random_tables, render
from gxparse.template import get_template

GOV_LAYOUTS = tuple(name for name in LAYOUTS if not name.startswith("legacy_"))
LEGACY_LAYOUTS = tuple(name for name in LAYOUTS if name.startswith("legacy_"))
PLACEHOLDER_RE = re.compile(r"^(————|—|/|无|&nbsp;)+$")  # glued placeholders run together


def parse_token(text: str, gold: Any) -> Any:
    """Read a printed value token back (signed forms, money units) for comparison with the gold."""
    if isinstance(gold, str):
        return text
    if text.startswith(("减", "減")):
        return -parse_token(text[1:], gold)
    text = text.removesuffix("万元").removesuffix("萬元").removesuffix("元").removeprefix("+")
    return float(text) if "." in text else int(text)


def identity_rows(keys: tuple[str, ...], template_id: str, table_key: str, table: dict[str, Any]) -> list[str]:
    """Rows of an identity as present in the table (other_handling stands in for the other_* rows)."""
    spec = get_template(template_id).table(table_key)
    rows = []
    for key in keys:
        for row in [key] if key in table else [r.key for r in spec.rows if key in r.replaces and r.key in table]:
            if row not in rows:
                rows.append(row)
    return rows


def total(values: Any) -> int | float:
    """Sum of cells, a blank cell counting as 0."""
    return sum(v or 0 for v in values)


def assert_identities(template_id: str, tables: dict[str, Any]) -> None:
    """Every identity of the template holds, a blank cell counting as 0."""
    for spec in get_template(template_id).tables:
        table: dict[str, Any] = tables.get(spec.key) or {}
        for identity in [i for i in spec.identities if i.relation == "eq"] if table else ():
            if identity.per == "row":
                for row, cells in table.items():
                    assert total(cells[c] for c in identity.left) == total(cells[c] for c in identity.right), (identity.id, row)
                continue
            left_rows = identity_rows(identity.left, template_id, spec.key, table)
            right_rows = identity_rows(identity.right, template_id, spec.key, table)
            if not right_rows:
                continue
            for col in ("current", "cumulative") if spec.key == "legacy_indicators" else [c.key for c in spec.cols]:
                left = total(table[r][col] for r in left_rows)
                assert left == total(table[r][col] for r in right_rows), (identity.id, col)


def draw(template_id: str, seed: int, **kwargs: Any) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    return random_legacy_tables(rng) if template_id == "legacy" else random_tables(template_id, rng, **kwargs)


def assert_spans(tables: dict[str, Any], report: Any) -> None:
    """Every gold cell has an entry; value cells point at text that reads back as the gold value."""
    for table, rows in tables.items():
        for row, cols in rows.items():
            for col, gold in cols.items():
                key = f"{table}.{row}.{col}"
                assert key in report.cells, key
                span = report.cells[key]
                if gold is None:
                    assert span is None, key
                    continue
                assert span is not None, key
                assert parse_token(report.text[span[0]:span[1]], gold) == gold, (key, report.text[span[0]:span[1]])


@pytest.mark.parametrize("template_id", ["gov2021", "gov2019"])
@pytest.mark.parametrize("seed", range(40))
def test_random_tables_satisfy_identities(template_id: str, seed: int) -> None:
    assert_identities(template_id, draw(template_id, seed))


@pytest.mark.parametrize("seed", range(40))
def test_other_handling_row_tables(seed: int) -> None:
    tables = draw("gov2021", seed, other_handling_row=True)
    rows = list(tables["applications"])
    assert "other_handling" in rows and "other_no_correction" not in rows
    assert rows == [r.key for r in get_template("gov2021").table("applications").layout(alternatives=True)]
    assert_identities("gov2021", tables)


@pytest.mark.parametrize("seed", range(40))
def test_legacy_tables(seed: int) -> None:
    tables = draw("legacy", seed)
    rows = tables["legacy_indicators"]
    order = [r.key for r in get_template("legacy").table("legacy_indicators").rows]
    assert list(rows) == sorted(rows, key=order.index)
    assert 12 <= len(rows) <= 18
    for cells in rows.values():
        assert isinstance(cells["unit"], str) and cells["cumulative"] >= cells["current"] >= 0
    assert_identities("legacy", tables)


def test_value_distributions_are_realistic() -> None:
    leaves, natural, orgs, regs_none = [], 0, 0, 0
    for seed in range(400):
        tables = draw("gov2021", seed)
        for row in tables["applications"].values():
            leaves += [v for k, v in row.items() if k != "total" and v is not None]
        new = tables["applications"]["new_received"]
        natural += new["natural_person"] or 0
        orgs += sum(new[k] or 0 for k in list(new)[1:6])
        regs_none += tables["active_disclosure"]["regulations"]["issued"] is None
    values = np.array(leaves)
    assert all(isinstance(v, int) and v >= 0 for v in leaves)
    assert (values == 0).mean() > 0.8 and values.max() >= 100
    assert natural > 2 * orgs
    assert 10 <= regs_none <= 80


def test_gov2019_signed_and_decimal_values() -> None:
    changes, amounts = [], []
    for seed in range(200):
        active = draw("gov2019", seed)["active_disclosure"]
        changes += [row["change_this_year"] for row in active.values() if row.get("change_this_year") is not None]
        amounts.append(active["centralized_procurement"]["procurement_amount"])
    assert min(changes) < 0 < max(changes)
    assert any(isinstance(a, float) for a in amounts)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("layout", GOV_LAYOUTS)
@pytest.mark.parametrize("template_id", ["gov2021", "gov2019"])
def test_every_gov_layout_renders_with_exact_spans(template_id: str, layout: str, script: str) -> None:
    for seed in range(6):
        tables = draw(template_id, seed, other_handling_row=template_id == "gov2021" and seed % 3 == 0)
        report = render(template_id, tables, layout, np.random.default_rng(seed), script=script)
        assert report.layout == layout and report.script == script
        assert_spans(tables, report)
        heading = "主動公開政府信息情況" if script == "traditional" else "主动公开政府信息情况"
        assert heading in report.text and "第二十" in report.text and "五、" in report.text


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("layout", LEGACY_LAYOUTS)
def test_every_legacy_layout_renders_with_exact_spans(layout: str, script: str) -> None:
    for seed in range(6):
        tables = draw("legacy", seed)
        report = render("legacy", tables, layout, np.random.default_rng(seed), script=script)
        assert_spans(tables, report)
        assert set(report.labels) == {f"legacy_indicators.{row}" for row in tables["legacy_indicators"]}
        for key, label in report.labels.items():
            assert label in report.text, key


def test_traditional_script_keeps_values() -> None:
    tables = draw("gov2021", 3)
    simplified = render("gov2021", tables, "cell_per_line", np.random.default_rng(1))
    traditional = render("gov2021", tables, "cell_per_line", np.random.default_rng(1), script="traditional")
    assert "收到和處理政府信息公開申請情況" in traditional.text
    assert re.findall(r"\d+", simplified.text) == re.findall(r"\d+", traditional.text)


def test_other_handling_row_is_printed_as_one_row() -> None:
    tables = draw("gov2021", 5, other_handling_row=True)
    text = render("gov2021", tables, "pipe_rows", np.random.default_rng(0)).text
    assert "其他处理" in text or "其他處理" in text
    assert "逾期不补正" not in text


@pytest.mark.parametrize("layout", GOV_LAYOUTS)
def test_blank_cells_render_blank_or_as_placeholders(layout: str) -> None:
    for seed in range(10):
        tables = draw("gov2021", seed)
        tables["active_disclosure"]["regulations"] = {"issued": None, "repealed": None, "in_force": None}
        report = render("gov2021", tables, layout, np.random.default_rng(seed))
        assert all(report.cells[f"active_disclosure.regulations.{c}"] is None for c in ("issued", "repealed", "in_force"))
        start = report.text.index("规章") + 2
        if layout == "markdown":  # the 规章 row is one line; its neighbours may have lost their labels
            end = report.text.index("\n", start)
        else:
            end = min(report.text.index(label, start) for label in ("行政规范性文件", "规范性文件"))
        gap = re.sub(r"<[^>]*>|\|(---\|)+", " ", report.text[start:end])  # html tags, markdown rules
        assert not re.search(r"\d", gap), gap
        for token in re.split(r"[\s|\u00a0]+", gap):
            assert token == "" or PLACEHOLDER_RE.match(token), (layout, token)


def test_pipe_rows_print_group_labels_once() -> None:
    report = render("gov2021", draw("gov2021", 1), "pipe_rows", np.random.default_rng(2))
    assert report.text.count("本年度办理结果") == 1
    assert re.search(r"\n（一）予以公开|\n\(一\)予以公开", report.text) is None


def test_glued_layout_has_no_separators_in_value_runs() -> None:
    tables = draw("gov2021", 4)
    for seed in range(20):
        report = render("gov2021", tables, "glued", np.random.default_rng(seed))
        cols = get_template("gov2021").table("review_litigation").cols
        first, last = report.cells[f"review_litigation.cases.{cols[0].key}"], report.cells[f"review_litigation.cases.{cols[-1].key}"]
        assert first is not None and last is not None
        run = report.text[first[0]:last[1]]
        assert re.fullmatch(r"[\d ]+", run), run
        if " " not in run:
            assert run == "".join(str(v) for v in tables["review_litigation"]["cases"].values())


def test_render_is_deterministic() -> None:
    tables = draw("gov2019", 9)
    for layout in GOV_LAYOUTS:
        first = render("gov2019", tables, layout, np.random.default_rng(42), script="traditional")
        second = render("gov2019", tables, layout, np.random.default_rng(42), script="traditional")
        assert first == second


def test_render_rejects_mismatched_layouts() -> None:
    with pytest.raises(ValueError):
        render("gov2021", draw("gov2021", 0), "legacy_glued", np.random.default_rng(0))
    with pytest.raises(ValueError):
        render("legacy", draw("legacy", 0), "pipe_rows", np.random.default_rng(0))
    with pytest.raises(ValueError):
        render("gov2021", draw("gov2021", 0), "pipe_rows", np.random.default_rng(0), script="klingon")


def test_make_corpus_is_deterministic_and_gold_formatted(tmp_path: Any) -> None:
    templates = ("gov2021", "gov2019", "legacy")
    first = make_corpus(tmp_path / "a", 30, seed=7, templates=templates)
    second = make_corpus(tmp_path / "b", 30, seed=7, templates=templates)
    assert [p.name for p in first] == [p.name for p in second]
    for path in first:
        gold_path = path.with_suffix(".json")
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
        assert gold_path.read_bytes() == (tmp_path / "b" / gold_path.name).read_bytes()
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        assert gold["id"] == path.stem and gold["input"] == path.name and gold["complete"] is True
        assert gold["layout"] in LAYOUTS and gold["script"] in ("simplified", "traditional")
        assert gold["uncertain"] == [] and all(gold["balanced"].values())
        assert path.suffix == {"html": ".html", "markdown": ".md"}.get(gold["layout"], ".txt")
        assert_identities(gold["template"], gold["tables"])
        if gold["template"] == "legacy":
            assert set(gold["labels"]) == {f"legacy_indicators.{r}" for r in gold["tables"]["legacy_indicators"]}


def test_make_corpus_layout_selection(tmp_path: Any) -> None:
    paths = make_corpus(tmp_path, 6, seed=1, layouts=["html"])
    assert all(p.suffix == ".html" for p in paths)
    with pytest.raises(ValueError):
        make_corpus(tmp_path, 1, seed=1, layouts=["legacy_glued"])
    with pytest.raises(ValueError):
        make_corpus(tmp_path, 1, seed=1, layouts=["nonsense"])


def test_render_is_fast() -> None:
    """One report renders in under 5 ms (best of 3 runs per report, to ignore a busy machine)."""
    tables = [draw("gov2021", seed) for seed in range(5)]
    render("gov2021", tables[0], "html", np.random.default_rng(0), script="traditional")  # load OpenCC once
    for layout in GOV_LAYOUTS:
        times = []
        for seed, table in enumerate(tables):
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                render("gov2021", table, layout, np.random.default_rng(seed), script="traditional")
                runs.append(time.perf_counter() - start)
            times.append(min(runs))
        assert statistics.median(times) < 0.005, layout
