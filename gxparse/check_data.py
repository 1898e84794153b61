"""``gxparse check-data``: validate annotated reports before training or benchmarking on them.

Checks, per gold file: it parses as JSON with the required keys; its input file exists; the
template is known; every table, row and column key exists in that template (legacy rows may add
snake_case keys, as the spec allows); values are numbers or null (strings only in the legacy
``unit`` column); ``uncertain`` addresses exist; the ``balanced`` flags agree with the
identities evaluated on the gold values; and ``facts`` (optional) maps known fact keys
(:data:`gxparse.facts.FACT_KEYS`) to numbers.

Annotations written by ``gxparse annotate`` carry a ``review`` block (see :mod:`gxparse.annotate`):
its status must be ``reviewed`` or ``unreviewed`` and its cell addresses must exist. An
unreviewed file is a problem (it must not be trained on) unless ``include_unreviewed`` is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gxparse.annotate import REVIEW_KEY, REVIEWED, UNREVIEWED, is_reviewed
from gxparse.facts import FACT_KEYS
from gxparse.template import TEMPLATE_IDS, get_template
from gxparse.validate import values_balance

_REQUIRED = ("id", "input", "template", "tables")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


UNREVIEWED_PROBLEM = "not reviewed yet (open it with gxparse review, or pass --include-unreviewed)"


def check_paths(paths: Iterable[str | Path], *, include_unreviewed: bool = False) -> list[str]:
    """Return one message per problem found in the gold files under ``paths`` (empty = all good).

    With ``include_unreviewed``, an annotation still marked unreviewed is not a problem.
    """
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
        problems.extend(f"{f.name}: {msg}" for msg in check_file(f, include_unreviewed=include_unreviewed))
    return problems


def check_file(path: Path, *, include_unreviewed: bool = False) -> list[str]:
    """Return the problems of one gold annotation file."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"unreadable JSON: {exc}"]
    return check_annotation(gold, path.parent, include_unreviewed=include_unreviewed)


def check_annotation(gold: dict[str, Any], base_dir: Path, *, include_unreviewed: bool = False) -> list[str]:
    """Return the problems of one annotation whose input is resolved relative to ``base_dir``."""
    if not isinstance(gold, dict):
        return ["not a JSON object"]
    missing = [k for k in _REQUIRED if k not in gold]
    if missing:
        return [f"missing keys {missing}"]
    problems = _check_review(gold, include_unreviewed) + check_facts(gold.get("facts", {}))
    if not (base_dir / gold["input"]).exists():
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


def _check_review(gold: dict[str, Any], include_unreviewed: bool) -> list[str]:
    review = gold.get(REVIEW_KEY)
    if review is None:
        return []
    if not isinstance(review, dict) or review.get("status") not in (REVIEWED, UNREVIEWED):
        return [f"{REVIEW_KEY}.status must be {REVIEWED!r} or {UNREVIEWED!r}"]
    problems = [] if include_unreviewed or is_reviewed(gold) else [UNREVIEWED_PROBLEM]
    tables = gold.get("tables") or {}
    for field in ("doubtful", "placeholders", "spans"):
        for address in review.get(field) or {}:
            t, r, c = (str(address).split(".") + ["", "", ""])[:3]
            if c not in tables.get(t, {}).get(r, {}):
                problems.append(f"{REVIEW_KEY}.{field} address {address} is not an annotated cell")
    return problems


def check_facts(facts: object) -> list[str]:
    """Return the problems of a gold ``facts`` annotation: a dict of known fact keys to numbers."""
    if not isinstance(facts, dict):
        return [f"facts must be a dict of fact key to number, not {type(facts).__name__}"]
    problems = [f"unknown fact key {key!r} (known: {', '.join(FACT_KEYS)})" for key in facts if key not in FACT_KEYS]
    problems += [f"bad fact value {key} = {value!r}" for key, value in facts.items()
                 if not isinstance(value, (int, float)) or isinstance(value, bool)]
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
