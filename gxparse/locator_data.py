"""Training sequences for the line locator, derived from gold annotations (never hand-labelled).

Each annotated report is located with exact heading anchors alone (an exact numbering before the
heading: ``analyze(exact_anchors=True)``, without the looser numberings and header runs inference
also tries); when every gold table is found that way, the lines of each region take the table's
tag (:func:`gxparse.locator.line_tags`). A report whose gold tables the anchors do not all find is
skipped: its tags would be wrong.

Real copies lose, break and misspell headings, so each tagged report is also given in perturbed
forms whose tags follow from the original's: headings removed, misspelt, split over two lines,
excerpts that begin inside any table, a table printed all blank and rows printed blank. The
perturbations draw from a ``random.Random`` seeded per report: training stays deterministic.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from gxparse.locator import HEADING, LEGACY_TABLE, OTHER, TABLE_TAGS, line_tags, table_tag
from gxparse.normalize import normalize_text
from gxparse.sources import SourceText

if TYPE_CHECKING:
    from gxparse.train import AnnotatedReport

Sequence_ = tuple[list[str], list[str]]


def tagged_report(report: AnnotatedReport) -> Sequence_ | None:
    """The lines of ``report`` and their tags, or ``None`` when anchors miss one of its gold tables."""
    from gxparse.parser import analyze

    text = normalize_text(report.text).text
    gold = {key for key, rows in report.gold.get("tables", {}).items() if rows}
    analysis = analyze(text, kind=report.kind, locator=None, exact_anchors=True)
    if gold - set(analysis.tables):
        return None
    regions = {key: region for key, (_, region, _) in analysis.tables.items() if key in gold and key in TABLE_TAGS}
    legacy = analysis.tables.get("legacy_indicators")
    return line_tags(text, regions, legacy[1] if legacy and "legacy_indicators" in gold else None)


def _without_headings(lines: list[str], tags: list[str], rng: random.Random) -> Sequence_:
    keep = [i for i, t in enumerate(tags) if t != HEADING]
    return [lines[i] for i in keep], [tags[i] for i in keep]


def _misspelt_headings(lines: list[str], tags: list[str], rng: random.Random) -> Sequence_:
    out = list(lines)
    for i, tag in enumerate(tags):
        cjk = [j for j, ch in enumerate(out[i]) if "\u4e00" <= ch <= "\u9fff"]
        if tag == HEADING and len(cjk) > 2:
            j = rng.choice(cjk)
            out[i] = out[i][:j] + (rng.choice("的和政府公开情况信息") if rng.random() < 0.5 else "") + out[i][j + 1:]
    return out, list(tags)


def _relined(lines: list[str], tags: list[str], rewrite: Callable[[int, str, str], list[str]]) -> Sequence_:
    """Each line replaced by the lines ``rewrite(index, line, tag)`` gives (none: not printed), with its tag."""
    out_lines: list[str] = []
    out_tags: list[str] = []
    for i, (line, tag) in enumerate(zip(lines, tags)):
        new = rewrite(i, line, tag)
        out_lines += new
        out_tags += [tag] * len(new)
    return out_lines, out_tags


def _split_headings(lines: list[str], tags: list[str], rng: random.Random) -> Sequence_:
    def split(_: int, line: str, tag: str) -> list[str]:
        text = line.strip()
        if tag == HEADING and len(text) > 4:
            cut = rng.randrange(2, len(text) - 1)
            return [text[:cut], text[cut:]]
        return [line]

    return _relined(lines, tags, split)


def _one_table(tags: list[str], rng: random.Random) -> list[int]:
    """The lines of one table drawn at random (none when the report has no table)."""
    tables = sorted({table_tag(t) for t in tags if t not in (OTHER, HEADING)})
    if not tables:
        return []
    chosen = rng.choice(tables)
    return [i for i, t in enumerate(tags) if table_tag(t) == chosen]


def _excerpt(lines: list[str], tags: list[str], rng: random.Random) -> Sequence_:
    """The copy begins on a line inside one of the tables (any table, before its last lines)."""
    inside = _one_table(tags, rng)
    if not inside:
        return lines, tags
    start = rng.choice(inside[: max(1, len(inside) - MIN_EXCERPT_TAIL_LINES)])
    return lines[start:], tags[start:]


# An excerpt keeps at least this many lines of the table it begins in (a table's last rows alone are a test of their own).
MIN_EXCERPT_TAIL_LINES = 3
# A printed value: a number that is not a row's numbering (1. / 2、), an article (第二十条第(五)项) or a year, or a dash run.
_VALUE = re.compile(r"(?<![第(（\d])[-+]?\d+(?:\.\d+)?(?![\d、)）项年]|\.\D)|[—―─━]{2,}")
# Share of a table's row lines printed blank by :func:`_blank_rows`.
BLANK_ROW_SHARE = 0.3


def _blanked(lines: list[str], tags: list[str], blank: set[int]) -> Sequence_:
    """The lines with every value of the lines ``blank`` removed; a line left empty is not printed."""
    def without_values(i: int, line: str, _: str) -> list[str]:
        text = _VALUE.sub("", line) if i in blank else line
        return [text] if text.replace("|", "").strip() else []

    return _relined(lines, tags, without_values)


def _blank_table(lines: list[str], tags: list[str], rng: random.Random) -> Sequence_:
    """One table printed with every cell blank: its labels stay, its values are gone."""
    return _blanked(lines, tags, set(_one_table(tags, rng)))


def _blank_rows(lines: list[str], tags: list[str], rng: random.Random) -> Sequence_:
    """Some rows of the tables printed with blank cells."""
    rows = [i for i, t in enumerate(tags) if t not in (OTHER, HEADING) and table_tag(t) == t]
    return _blanked(lines, tags, {i for i in rows if rng.random() < BLANK_ROW_SHARE})


PERTURBATIONS = (_without_headings, _misspelt_headings, _split_headings, _excerpt, _blank_table, _blank_rows)


def locator_sequences(reports: Sequence[AnnotatedReport], *, seed: int = 0) -> Iterator[Sequence_]:
    """Yield the tagged line sequences of ``reports``: each as printed and in every perturbed form.

    Each report draws its perturbations from a generator seeded by ``seed`` and its own id, so one
    report more or less (a gold file added, a report the anchors now find) leaves every other
    report's perturbations as they were: the trained tagger changes with the data, not with a
    reshuffled draw.
    """
    for report in reports:
        tagged = tagged_report(report)
        if tagged is not None:
            yield from _with_perturbations(tagged, random.Random(f"{seed}:{report.id}"))


def _with_perturbations(tagged: Sequence_, rng: random.Random) -> Iterator[Sequence_]:
    lines, tags = tagged
    yield lines, tags
    if any(t != OTHER for t in tags):
        for perturb in PERTURBATIONS:
            yield perturb(lines, tags, rng)


def pseudo_tagged_report(src: SourceText) -> Sequence_ | None:
    """The lines of an unlabelled report and their tags from a confident parse, or ``None``.

    Confident means: the tables the report prints (estimated from its template labels alone,
    :func:`gxparse.bench.coverage.printed_tables`, independent of any locator) are exactly the
    tables the heading anchors find and the tables the packaged parse returns, and each of them
    balances (at least one identity check passes, none fails). Its lines then take their tags from
    the anchored regions, as a gold report's do (:func:`tagged_report`). A report that prints no
    table and from which none is parsed is a negative: every line ``O``.
    """
    from gxparse.bench.coverage import printed_tables
    from gxparse.parser import analyze, parse_source

    report = parse_source(src)
    text = report.text
    printed = set(printed_tables(text))
    if not printed and not report.tables:
        return line_tags(text, {})
    anchored = analyze(text, kind=src.kind, locator=None, exact_anchors=True)
    if not printed or printed != set(report.tables) or printed != set(anchored.tables):
        return None
    statuses = {key: {c.status for c in report.checks if c.table == key} for key in printed}
    if any("fail" in s or "pass" not in s for s in statuses.values()):
        return None
    regions = {key: region for key, (_, region, _) in anchored.tables.items() if key in TABLE_TAGS}
    legacy = anchored.tables.get(LEGACY_TABLE)
    return line_tags(text, regions, legacy[1] if legacy else None)


def unlabelled_sequences(sources: Iterable[SourceText], *, seed: int = 0) -> Iterator[Sequence_]:
    """Yield the pseudo-tagged line sequences of unlabelled reports (:func:`pseudo_tagged_report`):
    each confident one as printed and in every perturbed form; the others are left out."""
    rng = random.Random(seed)
    for src in sources:
        tagged = pseudo_tagged_report(src)
        if tagged is not None:
            yield from _with_perturbations(tagged, rng)
