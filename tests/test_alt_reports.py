"""The independent second generator (scripts/alt_reports.py): its gold is well formed and honest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import load_script

alt_reports = load_script("alt_reports")


@pytest.fixture(scope="module")
def golds(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("alt")
    return [json.loads(p.read_text(encoding="utf-8")) | {"_dir": str(out)} for p in alt_reports.write_corpus(out, 40, 5000)]


def test_every_gold_names_its_input_layout_and_variants(golds: list[dict]) -> None:
    for gold in golds:
        assert (Path(gold["_dir"]) / gold["input"]).is_file()
        assert gold["layout"] in alt_reports.LAYOUTS
        assert set(gold["variants"]) <= set(alt_reports.DAMAGES)


def test_printed_identities_hold_unless_the_report_is_printed_unbalanced(golds: list[dict]) -> None:
    for gold in golds:
        if "unbalanced" not in gold["variants"]:
            assert all(gold["balanced"].values()), gold["id"]


def test_a_lost_table_is_absent_from_the_gold(golds: list[dict]) -> None:
    lost = [g for g in golds if "table_lost" in g["variants"] and g["template"] != "legacy"]
    assert lost and all(len(g["tables"]) == 2 for g in lost)


def test_a_blank_table_is_present_with_every_cell_none(golds: list[dict]) -> None:
    blank = [g for g in golds if "blank_table" in g["variants"]]
    assert blank and all(any(all(v is None for row in t.values() for k, v in row.items() if k != "unit")
                             for t in g["tables"].values()) for g in blank)


def test_the_same_seed_writes_the_same_corpus(tmp_path: Path) -> None:
    a = alt_reports.write_corpus(tmp_path / "a", 3, 5001)
    b = alt_reports.write_corpus(tmp_path / "b", 3, 5001)
    assert [p.read_text(encoding="utf-8") for p in a] == [p.read_text(encoding="utf-8") for p in b]



def test_different_seeds_write_different_corpora(tmp_path: Path) -> None:
    a = alt_reports.write_corpus(tmp_path / "a", 3, 5001)
    b = alt_reports.write_corpus(tmp_path / "b", 3, 5002)
    assert [p.read_text(encoding="utf-8") for p in a] != [p.read_text(encoding="utf-8") for p in b]
