"""Measure the damage of each perturbation (:mod:`gxparse.synth.perturb`) on reports with or without gold.

Each annotated report of the given sets (default: ``training_data/dev``) is damaged by one
perturbation at a time, written beside its gold in a temporary directory, parsed and scored; the
undamaged reports are scored too (``none``). Per perturbation: reports it changed, wrong cells
(of all gold cells), gold tables absent from the output and gold rows absent from it. Reports
whose input is a PDF are skipped (the perturbations damage text).

``--self`` is the metamorphic mode, for real reports without gold (the wild corpus): each report's
undamaged copy is parsed, and the tables it finds that pass all their identities are the reference
(a pseudo-gold: the parser's own reading, trusted only where the printed numbers balance; reports
with no such table are skipped). Every perturbation keeps the values where they were, so a damaged
copy must parse to the same cells: cells that differ from the reference, reference tables and rows
lost, are the damage. It measures robustness on real text whose layouts our generator never made.

Usage::

    python scripts/stress.py                          # dev corpus, every perturbation
    python scripts/stress.py training_data/dev /tmp/me/syn5001 --only page_footer -v
    python scripts/stress.py --json /tmp/me/stress.json
    python scripts/stress.py /tmp/me/html5301 --only html_split_table html_word_export   # HTML copies
    python scripts/stress.py --self ../shared/corpus/wild                        # real reports, no gold
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from gxparse.bench.coverage import input_files
from gxparse.bench.metrics import score_report
from gxparse.errors import GxParseError
from gxparse.parser import parse_file
from gxparse.synth.perturb import CELL_PERTURBATIONS, HTML_PERTURBATIONS, PERTURBATIONS, perturb

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "training_data" / "dev"
SKIPPED_SUFFIXES = (".pdf", ".docx")


def _reports(dirs: list[Path]) -> list[tuple[dict[str, Any], Path]]:
    out = []
    for d in dirs:
        for gold_path in sorted(d.glob("*.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            source = d / gold.get("input", "")
            if "tables" in gold and source.is_file() and source.suffix not in SKIPPED_SUFFIXES:
                out.append((gold, source))
    return out


def _self_references(dirs: list[Path]) -> list[tuple[dict[str, Any], Path]]:
    """Pseudo-gold of reports without gold: each undamaged copy's parse, kept to its balancing tables."""
    out = []
    for source in input_files(dirs):
        if source.suffix.lower() in SKIPPED_SUFFIXES:
            continue
        try:
            report = parse_file(source)
        except GxParseError:
            continue
        failed = {c.table for c in report.checks if c.status == "fail"}
        result = report.to_dict(provenance=False)
        tables = {key: rows for key, rows in result["tables"].items() if key not in failed}
        labels = {key: label for key, label in (result.get("labels") or {}).items() if key.split(".")[0] in tables}
        if tables and report.template:
            out.append(({"id": source.stem, "input": source.name, "template": report.template,
                         "year": report.meta.get("report_year"), "tables": tables, "labels": labels}, source))
    return out


def _missing(gold: dict[str, Any], result: dict[str, Any]) -> tuple[int, int]:
    """Gold tables (with any value) and gold rows absent from the output."""
    got = result.get("tables") or {}
    tables = rows = 0
    for key, gold_rows in (gold.get("tables") or {}).items():
        if key not in got:
            tables += 1
            continue
        rows += sum(row not in got[key] for row in gold_rows)
    return tables, rows


def measure(name: str, reports: list[tuple[dict[str, Any], Path]], tmp: Path, verbose: bool) -> dict[str, Any]:
    """Damage every report with ``name`` (``"none"``: leave it) and score the parses."""
    totals = {"perturbation": name, "changed": 0, "reports": 0, "cells": 0, "wrong": 0, "tables_missed": 0,
              "rows_missed": 0, "errors": 0, "worst": []}
    for gold, source in reports:
        raw = source.read_text(encoding="utf-8")
        rng = np.random.default_rng([zlib.crc32(name.encode()), zlib.crc32(str(gold["id"]).encode())])
        text = raw if name == "none" else perturb(raw, gold, [name], rng)
        totals["reports"] += 1
        totals["changed"] += text != raw
        path = tmp / (source.stem + source.suffix)
        path.write_text(text, encoding="utf-8", newline="")
        try:
            report = parse_file(path)
            score = score_report(gold, report.to_dict(), text=report.text)
            tables, rows = _missing(gold, report.to_dict())
        except GxParseError as exc:
            totals["errors"] += 1
            score, tables, rows = score_report(gold, None, error=str(exc)), len(gold["tables"]), 0
        wrong = score.n_cells - score.n_correct
        totals["cells"] += score.n_cells
        totals["wrong"] += wrong
        totals["tables_missed"] += tables
        totals["rows_missed"] += rows
        if wrong or tables or rows:
            totals["worst"].append((gold["id"], wrong, tables, rows))
            if verbose:
                for cell in score.cells:
                    if not cell.correct:
                        print(f"  {name} {gold['id']} {cell.table}.{cell.row}.{cell.col} gold={cell.gold} got={cell.got}")
    totals["worst"].sort(key=lambda w: -w[1])
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[DEV])
    parser.add_argument("--only", nargs="*", default=None, help="perturbation names (default: all)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--self", dest="self_reference", action="store_true",
                        help="no gold: each undamaged copy's balancing tables are the reference (metamorphic)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every wrong cell")
    args = parser.parse_args(argv)
    reports = _self_references(args.dirs) if args.self_reference else _reports(args.dirs)
    if args.self_reference:
        print(f"{len(reports)} reports with a balancing table (the reference) of {len(input_files(args.dirs))}")
    names = ["none"] + (args.only if args.only is not None else [*PERTURBATIONS, *HTML_PERTURBATIONS, *CELL_PERTURBATIONS])
    rows = []
    print(f"{'perturbation':22} {'changed':>8} {'wrong/cells':>14} {'tables':>7} {'rows':>5}  worst")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            r = measure(name, reports, Path(tmp), args.verbose)
            rows.append(r)
            worst = ", ".join(f"{i}:{w}/{t}/{rr}" for i, w, t, rr in r["worst"][:4])
            print(f"{name:22} {r['changed']:>3}/{r['reports']:<4} {r['wrong']:>6}/{r['cells']:<7} "
                  f"{r['tables_missed']:>7} {r['rows_missed']:>5}  {worst}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
