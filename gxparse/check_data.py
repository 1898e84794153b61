"""``gxparse check-data``: validate annotated reports before training or benchmarking on them.

Checks, per gold file: it parses as JSON with the required keys; its input file exists; the
template is known; every table, row and column key exists in that template (legacy rows may add
snake_case keys, as the spec allows); values are numbers or null (strings only in the legacy
``unit`` column); ``uncertain`` addresses exist; and the ``balanced`` flags agree with the
identities evaluated on the gold values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gxparse.template import TEMPLATE_IDS, get_template
from gxparse.validate import values_balance

_REQUIRED = ("id", "input", "template", "tables")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def check_paths(paths: Iterable[str | Path]) -> list[str]:
    """Return one message per problem found in the gold files under ``paths`` (empty = all good)."""
    problems: list[str] = []
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(p.glob("*.json")))
        elif p.exists():
            files.append(p)
        else:
            problems.append(f"{p}: no such file or directory")
    if not files and not problems:
        problems.append(f"no annotation files (*.json) found in {', '.join(map(str, paths))}: nothing to check")
    for f in files:
        problems.extend(f"{f.name}: {msg}" for msg in check_file(f))
    return problems


def check_file(path: Path) -> list[str]:
    """Return the problems of one gold annotation file."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"unreadable JSON: {exc}"]
    missing = [k for k in _REQUIRED if k not in gold]
    if missing:
        return [f"missing keys {missing}"]
    problems = []
    if not (path.parent / gold["input"]).exists():
        problems.append(f"input file {gold['input']} not found")
    template_id = gold["template"]
    if template_id is None:
        return problems + ([f"template is null but tables are given: {list(gold['tables'])}"] if gold["tables"] else [])
    if template_id not in TEMPLATE_IDS:
        return problems + [f"unknown template {template_id!r}"]
    return problems + _check_tables(gold, template_id)


def _check_tables(gold: dict[str, Any], template_id: str) -> list[str]:
    template = get_template(template_id)
    problems = []
    for table_key, rows in gold["tables"].items():
        try:
            spec = template.table(table_key)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        row_keys = {r.key for r in spec.rows}
        col_keys = {c.key for c in spec.cols}
        for row, cols in rows.items():
            if row not in row_keys and not (template_id == "legacy" and _SNAKE.match(row)):
                problems.append(f"unknown row {table_key}.{row}")
            for col, value in cols.items():
                if col not in col_keys:
                    problems.append(f"unknown column {table_key}.{row}.{col}")
                elif not _value_ok(col, value):
                    problems.append(f"bad value {table_key}.{row}.{col} = {value!r}")
        problems.extend(_check_balance(gold, spec, table_key, rows))
    for address in gold.get("uncertain", []):
        t, r, c = (address.split(".") + ["", "", ""])[:3]
        if c not in gold["tables"].get(t, {}).get(r, {}):
            problems.append(f"uncertain address {address} is not an annotated cell")
    return problems


def _value_ok(col: str, value: object) -> bool:
    if value is None:
        return True
    if col == "unit":
        return isinstance(value, str)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_balance(gold: dict[str, Any], spec: Any, table_key: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    claimed = gold.get("balanced", {}).get(table_key)
    if claimed is None or not spec.identities:
        return []
    actual = values_balance(spec, rows)
    if actual != claimed:
        return [f"balanced.{table_key} is {claimed} but the identities {'hold' if actual else 'fail'} on the gold values"]
    return []
