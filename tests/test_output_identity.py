"""Outputs are unchanged: re-parse the snapshot's inputs and compare full outputs report by report.

The snapshot (``tests/data/output_snapshot.jsonl.gz``, see ``tests/output_snapshot.py``) holds the
``Report.to_dict()`` of the dev corpus and of 60 synthetic reports. Speed and refactoring work must
pass this test unchanged. Work that changes outputs on purpose (accuracy, a retrained model, a new
output key) regenerates it deliberately with ``python scripts/snapshot_outputs.py`` and commits the
new snapshot with the change.
"""

from __future__ import annotations

import pytest

from output_snapshot import SNAPSHOT, current_outputs, describe, differences, read_snapshot


def test_differences_name_the_changed_cell() -> None:
    old = {"tables": {"applications": {"total": {"natural_person": 3}}}, "warnings": []}
    new = {"tables": {"applications": {"total": {"natural_person": None}}}, "warnings": ["x"]}
    assert list(differences(old, new)) == [
        "tables.applications.total.natural_person: 3 → null", "warnings: [] → [\"x\"]"]
    assert describe("r", old, old) == ""


@pytest.mark.skipif(not SNAPSHOT.exists(), reason="no snapshot: run python scripts/snapshot_outputs.py")
def test_outputs_match_the_snapshot() -> None:
    stored = read_snapshot()
    current = list(current_outputs())
    assert [r["name"] for r in current] == [r["name"] for r in stored], "the snapshot's input set changed"
    reports = [describe(old["name"], old, new) for old, new in zip(stored, current)]
    changed = [r for r in reports if r]
    assert not changed, (f"{len(changed)} of {len(stored)} reports differ from the snapshot "
                         "(regenerate it only for a deliberate output change):\n" + "\n".join(changed[:5]))
