"""Every annotated dev report parses to its gold, cell by cell (uncertain cells excluded).

Known failures are listed in ``KNOWN_WRONG`` with the reason; the test checks that exactly those
cells are wrong, so a fix shows up as a failure of this test until the list is updated.
"""

from __future__ import annotations

import json

import pytest

import gxparse
from tests.conftest import DEV

GOLD_FILES = sorted(DEV.glob("*.json"))

# report id -> cells that are knowingly wrong (reason in the comment)
KNOWN_WRONG: dict[str, set[str]] = {}


def _same(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is None and want is None
    if isinstance(want, str) or isinstance(got, str):
        return got == want
    return abs(float(got) - float(want)) < 1e-9  # type: ignore[arg-type]


def wrong_cells(gold: dict, result: dict) -> set[str]:
    """Addresses of gold cells that the result misses or gets wrong."""
    uncertain = set(gold.get("uncertain", []))
    wrong = set()
    for table, rows in gold["tables"].items():
        for row, cols in rows.items():
            for col, value in cols.items():
                address = f"{table}.{row}.{col}"
                got = result["tables"].get(table, {}).get(row, {}).get(col, "<absent>")
                if address not in uncertain and (got == "<absent>" or not _same(got, value)):
                    wrong.add(address)
    return wrong


def extra_cells(gold: dict, result: dict) -> set[str]:
    """Addresses the result reports that the gold does not have (e.g. rows cut off by truncation)."""
    return {f"{t}.{r}.{c}" for t, rows in result["tables"].items() for r, cols in rows.items() for c in cols
            if c not in gold["tables"].get(t, {}).get(r, {})}


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_dev_report_matches_gold(gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    report = gxparse.parse_file(DEV / gold["input"])
    result = report.to_dict()
    assert result["template"] == gold["template"]
    assert wrong_cells(gold, result) == KNOWN_WRONG.get(gold["id"], set())
    assert extra_cells(gold, result) == set()
