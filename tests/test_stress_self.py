"""``scripts/stress.py --self``: the metamorphic stress of reports without gold (their own balancing parse is the reference)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from tests.conftest import DEV, dev_gold

ROOT = Path(__file__).resolve().parents[1]


def _stress():
    spec = importlib.util.spec_from_file_location("stress", ROOT / "scripts" / "stress.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_report_without_gold_is_its_own_reference_and_damage_is_counted_against_it(tmp_path):
    stress = _stress()
    source = DEV / dev_gold("r207")["input"]
    shutil.copy(source, tmp_path / source.name)  # the text alone: no gold beside it
    (reference, path), = stress._self_references([tmp_path])
    gold_tables = dev_gold("r207")["tables"]
    assert path.name == source.name and reference["template"] == dev_gold("r207")["template"]
    assert set(reference["tables"]) <= set(gold_tables)  # only tables found, and only those that balance
    assert all(reference["tables"][key] == gold_tables[key] for key in reference["tables"])
    work = tmp_path / "work"
    work.mkdir()
    for name in ("none", "letter_zeros", "label_space"):
        totals = stress.measure(name, [(reference, path)], work, verbose=False)
        assert totals["cells"] > 0 and totals["wrong"] == 0 and totals["tables_missed"] == 0
