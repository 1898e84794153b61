"""Shared fixtures: the annotated dev corpus copied into training_data/dev."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "training_data" / "dev"


def dev_gold(report_id: str) -> dict:
    """Return the gold annotation of a dev report."""
    return json.loads((DEV / f"{report_id}.json").read_text(encoding="utf-8"))


def flat_cells(tables: dict) -> dict[str, object]:
    """A report's (or a gold file's) ``tables`` as one ``table.row.column`` → value mapping."""
    return {f"{t}.{r}.{c}": v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` (the scripts are no package) as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    return DEV
