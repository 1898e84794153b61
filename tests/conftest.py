"""Shared fixtures: the annotated dev corpus copied into training_data/dev."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "training_data" / "dev"


def dev_gold(report_id: str) -> dict:
    """Return the gold annotation of a dev report."""
    return json.loads((DEV / f"{report_id}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    return DEV
