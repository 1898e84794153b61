"""Synthetic agency series for the cross-year links: several years of one agency with consistent carries.

Each year's gold tables are drawn by :func:`gxparse.synth.random_tables`, then chained: this year's
``carried_over`` is last year's ``carry_to_next`` (the difference is booked to this year's
``carry_to_next``, or to ``new_received`` where that would go negative, so every identity of the
year still holds) and ``normative_documents.in_force`` follows last year's plus issued minus
repealed. The years are rendered in one layout and parsed; the parsed reports get the series'
agency (spelt differently from year to year) and year on ``meta``, as the head of a real report
would give them.

Run ``python tests/linked_series.py [n_series]`` to print the figures reported in BENCHMARKS.md.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

import gxparse
from gxparse.synth import random_tables, render

AGENCY_SPELLINGS = ("平潭综合实验区管理委员会办公室", "平潭综合实验区管委会办公室", "平潭综合實驗區管委會辦公室")
FIRST_YEAR = 2021
LINKED_ROWS = ("carried_over", "carry_to_next", "regulations", "normative_documents")


@dataclass
class SeriesYear:
    """One year of a series: its gold tables and the parsed report."""

    gold: dict[str, Any]
    report: gxparse.Report


def _num(value: Any) -> int:
    return value if isinstance(value, int) else 0


def chain(previous: dict[str, Any], tables: dict[str, Any]) -> dict[str, Any]:
    """Make ``tables`` follow ``previous``: carries and documents in force continue across the years."""
    apps, before = tables["applications"], previous["applications"]
    for col, carried in before["carry_to_next"].items():
        shift = _num(carried) - _num(apps["carried_over"][col])
        apps["carried_over"][col] = carried
        if _num(apps["carry_to_next"][col]) + shift >= 0:
            apps["carry_to_next"][col] = _num(apps["carry_to_next"][col]) + shift
        else:  # more was carried in than can be carried out: this year received correspondingly less
            apps["new_received"][col] = _num(apps["new_received"][col]) + _num(apps["carry_to_next"][col]) + shift
            apps["carry_to_next"][col] = 0
    docs, docs_before = tables["active_disclosure"]["normative_documents"], previous["active_disclosure"]["normative_documents"]
    docs["repealed"] = min(_num(docs["repealed"]), _num(docs_before["in_force"]) + _num(docs["issued"]))
    docs["in_force"] = _num(docs_before["in_force"]) + _num(docs["issued"]) - docs["repealed"]
    return tables


def make_series(seed: int, years: int = 3, layout: str = "glued") -> list[SeriesYear]:
    """Render and parse ``years`` consecutive gov2021 reports of one agency (no links applied yet)."""
    rng = np.random.default_rng([seed, 13])
    out: list[SeriesYear] = []
    previous = None
    for n in range(years):
        tables = random_tables("gov2021", rng)
        if previous is not None:
            tables = chain(previous, tables)
        rendered = render("gov2021", tables, layout, rng)
        report = gxparse.parse(rendered.text, source=f"series-{seed}-{FIRST_YEAR + n}")
        report.meta.update(agency=AGENCY_SPELLINGS[n % len(AGENCY_SPELLINGS)], report_year=FIRST_YEAR + n)
        out.append(SeriesYear(tables, report))
        previous = tables
    return out


def cell_accuracy(series: list[SeriesYear]) -> tuple[int, int]:
    """Correct and total gold cells of the series' reports (a missing cell counts wrong)."""
    right = total = 0
    for year in series:
        for table, rows in year.gold.items():
            for row, cols in rows.items():
                for col, value in cols.items():
                    total += 1
                    cell = year.report.tables.get(table, gxparse.Table(table, {})).rows.get(row, {}).get(col)
                    right += cell is not None and cell.value == value
    return right, total


def gold_row(series: list[SeriesYear], source: str | None, address: str) -> dict[str, Any]:
    """The gold values of ``table.row`` in the series year parsed from ``source``."""
    table, row = address.split(".")
    year = next(y for y in series if y.report.source == source)
    return year.gold[table][row]


def measure(n_series: int, years: int = 3) -> dict[str, int]:
    """Link ``n_series`` glued series; count doubtful rows, decisions, right decisions and cell accuracy."""
    counts = dict.fromkeys(("doubtful_rows", "doubtful_linked_rows", "decided", "decided_right", "changed", "changed_right",
                            "cells_right_before", "cells_right_after", "cells"), 0)
    for seed in range(n_series):
        series = make_series(seed, years)
        right, total = cell_accuracy(series)
        counts["cells_right_before"] += right
        counts["cells"] += total
        counts["doubtful_rows"] += sum(len(t.alternatives) for y in series for t in y.report.tables.values())
        counts["doubtful_linked_rows"] += sum(row in LINKED_ROWS for y in series for t in y.report.tables.values()
                                              for row in t.alternatives)
        links = gxparse.link([y.report for y in series])
        for decision in links.decisions:
            gold = gold_row(series, decision.source, decision.row)
            table, row = decision.row.split(".")
            report = next(y.report for y in series if y.report.source == decision.source)
            ok = all(report.tables[table].rows[row][c].value == v for c, v in gold.items())
            counts["decided"] += 1
            counts["decided_right"] += ok
            counts["changed"] += decision.changed
            counts["changed_right"] += decision.changed and ok
        counts["cells_right_after"] += cell_accuracy(series)[0]
    return counts


if __name__ == "__main__":
    print(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
