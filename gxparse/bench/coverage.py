"""Table coverage on reports without gold: which tables a report prints, which were found, which balance.

There is no gold for unlabelled reports, so accuracy cannot be measured on them; coverage can. A
report *prints* a table when at least :data:`MIN_PRINTED_LABELS` distinct printed labels of that
table (its row and column labels and aliases from the template data, :data:`MIN_LABEL_CHARS`
characters or longer) occur in its text with spacing and pipes removed. This evidence is
deliberately independent of the parser's locator — no headings, no positions, no model — so that a
table the locator misses still counts as printed. A table is *found* when the parse returns it, and
it *balances* when none of its identity checks fails.

The printed test is an estimate: a report quoting many row labels in prose would count as printing
the table, and a table printed with labels the template does not know would not. The per-report rows
of the result make every verdict inspectable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gxparse.normalize import normalize_text
from gxparse.parser import parse_file
from gxparse.sources import read_source
from gxparse.template import TEMPLATE_IDS, get_template

MIN_LABEL_CHARS = 4  # shorter labels (规章, 总计, 其他) occur in any prose
MIN_PRINTED_LABELS = 4  # distinct long labels of one table; on dev and wild, printed tables show ≥ 4 (四 has
# only 5 long labels), and prose quoting labels (section titles, 附表 notes) shows ≤ 3
TABLE_KEYS = ("active_disclosure", "applications", "review_litigation", "legacy_indicators")
INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
_NO_SPACE = re.compile(r"[\s|]+")


@cache
def printed_labels() -> dict[str, frozenset[str]]:
    """Per table key, the long printed labels of every template generation that has it."""
    labels: dict[str, set[str]] = {}
    for template_id in TEMPLATE_IDS:
        for table in get_template(template_id).tables:
            found = labels.setdefault(table.key, set())
            for spec in (*table.rows, *table.cols):
                for label in (spec.label, *spec.aliases):
                    key = _NO_SPACE.sub("", label)
                    if len(key) >= MIN_LABEL_CHARS:
                        found.add(key)
    return {k: frozenset(v) for k, v in labels.items()}


def printed_tables(text: str) -> dict[str, int]:
    """Tables ``text`` (normalised) prints, with how many of their distinct labels it shows."""
    flat = _NO_SPACE.sub("", text)
    hits = {key: sum(label in flat for label in labels) for key, labels in printed_labels().items()}
    return {key: n for key, n in hits.items() if n >= MIN_PRINTED_LABELS}


@dataclass
class ReportCoverage:
    """One report: tables printed (with label hits), found, balancing; or the parse error."""

    id: str
    printed: dict[str, int] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)
    balanced: list[str] = field(default_factory=list)
    template: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"id": self.id, "printed": self.printed, "found": self.found, "balanced": self.balanced,
                "template": self.template, "error": self.error}


def cover_report(path: Path) -> ReportCoverage:
    """Parse one report and compare the tables it prints with those found."""
    out = ReportCoverage(path.stem)
    try:
        out.printed = printed_tables(normalize_text(read_source(path).text).text)
        report = parse_file(path)
    except Exception as exc:  # noqa: BLE001 - a failing report is a finding, not a crash
        out.error = f"{type(exc).__name__}: {exc}"
        return out
    out.template = report.template
    out.found = sorted(report.tables)
    failed = {c.table for c in report.checks if c.status == "fail"}
    out.balanced = [t for t in out.found if t not in failed]
    return out


def summarize_coverage(reports: Sequence[ReportCoverage]) -> dict[str, Any]:
    """Per table: reports printing it, found among those, found and balancing, and the misses."""
    tables = {}
    for key in TABLE_KEYS:
        printing = [r for r in reports if key in r.printed]
        found = [r for r in printing if key in r.found]
        tables[key] = {"printed": len(printing), "found": len(found),
                       "found_balanced": sum(key in r.balanced for r in found),
                       "missed": [r.id for r in printing if key not in r.found],
                       "found_not_printed": [r.id for r in reports if key in r.found and key not in r.printed]}
    return {"reports": len(reports), "errors": [r.id for r in reports if r.error], "tables": tables}


def input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The report inputs under ``paths``: files, or the report files of directories (not their README)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir()
                                if f.suffix.lower() in INPUT_SUFFIXES and not f.name.upper().startswith("README")))
        else:
            files.append(p)
    return files


def run_coverage(paths: Iterable[str | os.PathLike[str]]) -> dict[str, Any]:
    """Coverage of every report input under ``paths``: the summary and one row per report."""
    reports = [cover_report(f) for f in input_files(paths)]
    return {**summarize_coverage(reports), "per_report": [r.to_dict() for r in reports]}


def format_coverage(result: dict[str, Any]) -> str:
    """The text summary printed by ``gxparse bench --unlabelled``."""
    lines = [f"gxparse bench --unlabelled: {result['reports']} reports without gold "
             f"(printed = ≥{MIN_PRINTED_LABELS} distinct template labels in the text; no accuracy is implied)"]
    for key, t in result["tables"].items():
        lines.append(f"{key:<19} printed {t['printed']:>3}  found {t['found']:>3}  found & balanced {t['found_balanced']:>3}"
                     + (f"  missed: {', '.join(t['missed'])}" if t["missed"] else "")
                     + (f"  found, not printed: {', '.join(t['found_not_printed'])}" if t["found_not_printed"] else ""))
    if result["errors"]:
        lines.append(f"errors: {', '.join(result['errors'])}")
    return "\n".join(lines)
