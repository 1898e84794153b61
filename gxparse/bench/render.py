"""Text and Markdown renderings of a :class:`~gxparse.bench.run.BenchResult` (pure: return strings)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gxparse.bench.compare import Comparison, headline
from gxparse.bench.metrics import NO_VARIANT, CellResult, ReportScore
from gxparse.bench.run import BenchResult

LINE_WIDTH = 110
SOURCE_LINE_CHARS = 100
WORST_REPORTS = 8


def pct(value: float | None) -> str:
    """``0.9712`` → ``"97.12%"``; ``None`` → ``"—"``."""
    return "—" if value is None else f"{100 * value:.2f}%"


def _num(value: Any, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}{unit}" if isinstance(value, float) else f"{value}{unit}"


def _wrap(label: str, parts: Sequence[str]) -> list[str]:
    """``label`` then ``parts`` joined by `` | ``, wrapped at :data:`LINE_WIDTH`."""
    lines, current = [], f"{label:<13}"
    for part in parts:
        candidate = current + (" | " if not current.endswith(" ") else "") + part
        if len(candidate) > LINE_WIDTH and current.strip() != label:
            lines.append(current)
            candidate = " " * 13 + part
        current = candidate
    lines.append(current)
    return lines


def _groups(groups: dict[str, dict[str, Any]]) -> list[str]:
    return [f"{k} {pct(v['accuracy'])} ({v['correct']}/{v['cells']})" for k, v in groups.items()]


def _fmt_value(cell: CellResult, which: str) -> str:
    if which == "got" and not cell.present:
        return "<absent>"
    value = cell.gold if which == "gold" else cell.got
    return "null" if value is None else str(value)


def _short(text: str | None, limit: int = SOURCE_LINE_CHARS) -> str:
    text = "" if text is None else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _speed_line(speed: dict[str, Any]) -> str:
    cold = speed.get("cold_start") or {}
    parts = [f"{name} {_num(speed.get(f'parse_ms_{name}'), ' ms')}{_floor_ratio(speed, name)}"
             for name in ("median", "p95", "p99", "max")]
    parts.append(f"{_num(speed.get('reports_per_s'), ' reports/s')}{_floor_ratio(speed, 'reports_per_s')}")
    if speed.get("parse_cpu_ms_median") is not None:
        parts.append("CPU " + "/".join(_num(speed[f"parse_cpu_ms_{name}"]) for name in ("median", "p95", "p99", "max"))
                     + " ms (median/p95/p99/max)")
    if speed.get("floor_ms_median") is not None:
        parts.append(f"floor (read + one regex) median {_num(speed['floor_ms_median'], ' ms', 3)}, "
                     f"max {_num(speed['floor_ms_max'], ' ms', 3)}")
    if cold.get("error"):
        parts.append(f"cold start failed: {cold['error']}")
    elif cold:
        parts.append(f"cold start of gxparse parse {_num(cold.get('wall_s'), ' s', 2)}, median of {cold.get('runs')} runs"
                     f" (import {_num(cold.get('import_s'), ' s', 2)} + CLI {_num(cold.get('cli_import_s'), ' s', 2)}"
                     f" + first parse {_num(cold.get('first_parse_s'), ' s', 2)})")
    parts.append(f"model {_num(speed.get('model_bytes'), ' bytes')}")
    return "speed        " + ", ".join(parts)


def _floor_ratio(speed: dict[str, Any], name: str) -> str:
    """`` (×123 floor)``: how many times the read + regex floor a speed figure is; empty without a floor."""
    ratio = speed.get(f"floor_ratio_{name}")
    return "" if ratio is None else f" (×{ratio:.0f} floor)"


def _worst(reports: Iterable[ReportScore]) -> list[str]:
    bad = sorted((r for r in reports if r.n_correct < r.n_cells or r.error), key=lambda r: (r.accuracy or 0.0, r.id))
    return [f"{r.id} {pct(r.accuracy)} ({r.n_cells - r.n_correct} wrong)" for r in bad[:WORST_REPORTS]] + (
        [f"… {len(bad) - WORST_REPORTS} more"] if len(bad) > WORST_REPORTS else [])


def _header(result: BenchResult) -> str:
    c = result.config
    sets: dict[str, int] = {}
    for r in result.reports:
        sets[r.set] = sets.get(r.set, 0) + 1
    model = f", model {c['model_version']}" if c.get("model_version") else ""
    return (f"gxparse bench: {len(result.reports)} reports ({', '.join(f'{k} {v}' for k, v in sets.items())}), "
            f"placer {c['placer']}{model}")


def format_summary(result: BenchResult, *, show_errors: bool = False) -> str:
    """The one-screen summary printed by ``gxparse bench`` (plus every wrong cell with ``show_errors``)."""
    f = result.figures
    cells, conf, ident = f["cells"], f["confidence"], f["identities"]
    lines = [_header(result),
             f"cells        {pct(cells['accuracy_micro'])} micro ({cells['correct']}/{cells['assessed']} right, "
             f"{cells['wrong']} wrong of which {cells['absent']} absent), per-report mean "
             f"{pct(cells['accuracy_per_report_mean'])}; uncertain excluded {cells['uncertain_excluded']}, "
             f"extra cells {cells['extra_cells']}",
             _misses_line(cells),
             f"tables       exact {pct(f['tables']['exact_match_rate'])} ({f['tables']['exact']}/{f['tables']['gold_tables']})",
             f"template     {pct(f['template']['accuracy'])} ({f['template']['correct']}/{f['template']['reports']}"
             + f"; wrong and warned unclear {f['template'].get('wrong_warned', 0)}/{len(f['template']['wrong'])})"
             + "".join(f"; {w['report']} {w['gold']}→{w['got']}" for w in f["template"]["wrong"][:5])]
    lines += _wrap("identities", [f"gold balanced={k.removeprefix('gold_balanced_')}: {pct(v['pass_rate_of_assessable'])} pass "
                                  f"({v['pass']}/{v['pass'] + v['fail']})" for k, v in ident.items() if v["checks"]])
    lines += _wrap("confidence", [f"≥{k.removeprefix('min_confidence_')}: acc {pct(v['accuracy'])} cov {pct(v['coverage'])}"
                                  for k, v in conf.items() if k.startswith("min_confidence_")]
                   + [f"wrong cells warned {pct(conf['wrong_cells_warned_share'])} "
                      f"({conf['wrong_cells_warned']}/{conf['wrong_cells']})"])
    for name in ("set", "template", "table", "layout"):
        lines += _wrap(f"by {name}", _groups(f[f"accuracy_by_{name}"]))
    if set(f["accuracy_by_variant"]) - {NO_VARIANT}:
        missed = f["missed_tables_by_variant"]
        lines += _wrap("by variant", [f"{g} (missed tables {missed.get(k, {}).get('missed', 0)}/{missed.get(k, {}).get('tables', 0)})"
                                      for k, g in zip(f["accuracy_by_variant"], _groups(f["accuracy_by_variant"]))])
    lines.append(_speed_line(result.speed))
    lines += [f"error        {e['report']}: {_short(e['error'], 90)}" for e in result.errors]
    lines += _wrap("worst", _worst(result.reports) or ["none: every assessed cell is right"])
    if show_errors:
        lines += ["", "wrong cells:"] + [_wrong_cell_line(c) for c in result.wrong_cells]
    elif result.wrong_cells:
        lines.append("(list every wrong cell with -v / --show-errors, or write --json / --markdown)")
    return "\n".join(lines)


def _misses_line(cells: dict[str, Any]) -> str:
    """Wrong cells split into what was never found (tables, rows, cells) and values read wrong."""
    kinds = cells["wrong_by_kind"]
    missed = ", ".join(cells["missed_tables"][:6]) + (" …" if len(cells["missed_tables"]) > 6 else "")
    return (f"wrong        {kinds['value']} values read wrong; not found: {kinds['table']} cells in "
            f"{len(cells['missed_tables'])} missed tables{' (' + missed + ')' if missed else ''}, "
            f"{kinds['row']} in {len(cells['missed_rows'])} missed rows, {kinds['cell']} single cells")


def _wrong_cell_line(cell: CellResult) -> str:
    flags = ",".join(cell.flags) or "-"
    return (f"  {cell.report} {cell.address}: gold {_fmt_value(cell, 'gold')} got {_fmt_value(cell, 'got')} "
            f"raw {cell.raw!r} conf {_num(cell.confidence, digits=3)} flags {flags} | {_short(cell.line)}")


def format_comparison(comp: Comparison) -> str:
    """Both runs' headline figures side by side, and the overlap of their wrong cells."""
    width = max(len(k) for k in comp.figures) + 2
    lines = [f"{'':<{width}}{'A: ' + comp.a_label:<34}B: {comp.b_label}"]
    for key, pair in comp.figures.items():
        lines.append(f"{key:<{width}}{_fig(key, pair['a']):<34}{_fig(key, pair['b'])}")
    lines.append(f"cells: both wrong {comp.both_wrong}, only A wrong {comp.only_a_wrong}, only B wrong "
                 f"{comp.only_b_wrong}, both right {comp.both_right}")
    return "\n".join(lines)


def _fig(key: str, value: Any) -> str:
    is_rate = any(word in key for word in ("accuracy", "rate", "coverage", "share"))
    return pct(value) if is_rate and isinstance(value, float) else _num(value, digits=2)


# ---------------------------------------------------------------------------------------------
# Markdown


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md(x) for x in row) + " |" for row in rows]
    return out + [""]


def _md_figures(result: BenchResult) -> list[str]:
    return _md_table(["figure", "value"], [(k, _fig(k, v)) for k, v in headline(result).items()])


def _md_breakdowns(result: BenchResult) -> list[str]:
    f = result.figures
    out = []
    for name in ("set", "template", "table", "layout", "variant"):
        out += [f"### Accuracy by {name}", ""]
        out += _md_table([name, "cells", "correct", "accuracy"],
                         [(k, v["cells"], v["correct"], pct(v["accuracy"])) for k, v in f[f"accuracy_by_{name}"].items()])
    out += ["### Identity checks of the output, by the gold `balanced` of their table", ""]
    out += _md_table(["gold balanced", "checks", "pass", "fail", "not assessable", "pass rate (assessable)"],
                     [(k.removeprefix("gold_balanced_"), v["checks"], v["pass"], v["fail"], v["not_assessable"],
                       pct(v["pass_rate_of_assessable"])) for k, v in f["identities"].items()])
    return out


def _md_reports(reports: Sequence[ReportScore]) -> list[str]:
    return _md_table(["report", "set", "layout", "template (gold → got)", "cells", "wrong", "accuracy",
                      "extra", "parse ms", "error"],
                     [(r.id, r.set, r.layout, f"{r.template_gold} → {r.template_got}", r.n_cells,
                       r.n_cells - r.n_correct, pct(r.accuracy), len(r.extra_cells), _num(r.parse_ms), r.error or "")
                      for r in reports])


def _md_wrong(cells: Sequence[CellResult]) -> list[str]:
    if not cells:
        return ["No wrong cell.", ""]
    return _md_table(["report", "cell", "gold", "got", "raw", "confidence", "flags", "source line"],
                     [(c.report, f"`{c.address}`", _fmt_value(c, "gold"), _fmt_value(c, "got"), repr(c.raw),
                       _num(c.confidence, digits=3), ", ".join(c.flags) or "-", _short(c.line))
                      for c in cells])


def to_markdown(result: BenchResult, comparison: Comparison | None = None) -> str:
    """A Markdown report: figures, breakdowns, per-report table, wrong cells (and the comparison)."""
    lines = ["# gxparse benchmark", "", _header(result), "", "## Figures", ""] + _md_figures(result)
    lines += _md_breakdowns(result)
    if comparison is not None:
        lines += ["## Comparison", ""]
        lines += _md_table(["figure", f"A: {comparison.a_label}", f"B: {comparison.b_label}"],
                           [(k, _fig(k, p["a"]), _fig(k, p["b"])) for k, p in comparison.figures.items()])
        lines += [f"Cells both wrong {comparison.both_wrong}, only A wrong {comparison.only_a_wrong}, "
                  f"only B wrong {comparison.only_b_wrong}, both right {comparison.both_right}.", ""]
    lines += ["## Reports", ""] + _md_reports(result.reports)
    lines += ["## Wrong cells", ""] + _md_wrong(result.wrong_cells)
    return "\n".join(lines)
