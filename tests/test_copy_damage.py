"""The third generator (scripts/copy_damage.py): it runs, and its gold is well formed and honest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxparse.template import get_template
from tests.conftest import load_script

copy_damage = load_script("copy_damage")


@pytest.fixture(scope="module")
def golds(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("copy_damage")
    paths = copy_damage.write_corpus(out, 60, 5000)
    return [json.loads(p.read_text(encoding="utf-8")) | {"_dir": str(out)} for p in paths]


def test_every_gold_names_its_input_layout_and_damages(golds: list[dict]) -> None:
    for gold in golds:
        assert (Path(gold["_dir"]) / gold["input"]).is_file()
        assert gold["layout"] in copy_damage.LAYOUTS
        assert gold["variants"] and set(gold["variants"]) <= set(copy_damage.DAMAGES)


def test_gold_keys_are_the_template_keys(golds: list[dict]) -> None:
    for gold in golds:
        template = get_template(gold["template"])
        for table_key, rows in gold["tables"].items():
            table = template.table(table_key)
            for row_key, cols in rows.items():
                assert row_key in {r.key for r in table.rows}, (gold["id"], row_key)
                assert set(cols) <= {c.key for c in table.cols}, (gold["id"], row_key)


def test_the_printed_identities_hold(golds: list[dict]) -> None:
    assert all(all(gold["balanced"].values()) for gold in golds)


def test_a_row_not_printed_is_absent_and_a_blank_row_is_present(golds: list[dict]) -> None:
    dropped = [g for g in golds if "row_not_printed" in g["variants"] and g["template"] != "legacy"]
    assert any(len(g["tables"]["applications"]) < (25 if g["template"] == "gov2021" else 23) for g in dropped)
    blank = [g for g in golds if {"blank_rows", "blank_table"} & set(g["variants"])]
    assert any(all(v is None for v in row.values()) for g in blank for t in g["tables"].values() for row in t.values())


def test_every_gold_number_is_printed_in_the_input(golds: list[dict]) -> None:
    for gold in golds:
        text = (Path(gold["_dir"]) / gold["input"]).read_text(encoding="utf-8")
        for rows in gold["tables"].values():
            for cols in rows.values():
                for value in cols.values():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        assert str(value) in text, (gold["id"], value)


def test_the_same_seed_writes_the_same_corpus(tmp_path: Path) -> None:
    a = copy_damage.write_corpus(tmp_path / "a", 3, 5001)
    b = copy_damage.write_corpus(tmp_path / "b", 3, 5001)
    assert [p.read_text(encoding="utf-8") for p in a] == [p.read_text(encoding="utf-8") for p in b]
