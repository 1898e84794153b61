"""``gxparse annotate --pick N``: which unannotated reports would teach the model most.

Active learning by uncertainty and diversity: each candidate report is parsed once and scored by
how unsure the parse is (share of doubtful cells, mean doubt ``1 - confidence``), how badly it
fails its identities, and how rare its layout is among the reports already annotated *and* those
already picked (so one run does not pick ten reports of one layout). Picking is greedy: the best
report is taken, its layout is counted as seen, and the others are re-scored. Reports that fail to
parse or hold no table teach the placement model nothing and are not picked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gxparse.annotate import doubtful_cells
from gxparse.bench.layouts import infer_layout
from gxparse.errors import GxParseError
from gxparse.parser import parse_file
from gxparse.realign import RealignModel

# Weights of the score's four parts, each part in [0, 1]. Equal: no part has been shown to matter
# more, and the reason line prints every part so a user can judge.
WEIGHT_DOUBTFUL = 1.0
WEIGHT_UNCERTAINTY = 1.0
WEIGHT_IDENTITIES = 1.0
WEIGHT_RARITY = 1.0
# Failing identities counted up to this many (a report failing 4 checks is already a clear case).
FAILED_IDENTITIES_CAP = 4


@dataclass(frozen=True)
class Candidate:
    """What the parse of one unannotated report says about its teaching value."""

    path: str
    layout: str
    cells: int
    doubtful: int
    mean_doubt: float
    failed_identities: int

    def base_score(self) -> float:
        """The part of the score that does not depend on what was picked before."""
        doubtful_share = self.doubtful / self.cells if self.cells else 0.0
        failed = min(self.failed_identities, FAILED_IDENTITIES_CAP) / FAILED_IDENTITIES_CAP
        return WEIGHT_DOUBTFUL * doubtful_share + WEIGHT_UNCERTAINTY * self.mean_doubt + WEIGHT_IDENTITIES * failed


@dataclass(frozen=True)
class Pick:
    """One chosen report, its score and a one-line reason."""

    path: str
    score: float
    reason: str


def assess(path: str | Path, *, model: RealignModel | None = None) -> Candidate | str:
    """Parse one report and describe it as a :class:`Candidate`; or say why it cannot be one."""
    try:
        report = parse_file(path, model=model)
    except GxParseError as exc:
        return f"{type(exc).__name__}: {exc}"
    confidences = [cell.confidence for t in report.tables.values() for _, _, cell in t.cells()]
    if not confidences:
        return "no table found"
    failed = sum(1 for c in report.checks if c.status == "fail" and c.level != "soft")
    return Candidate(str(path), infer_layout(path), len(confidences), len(doubtful_cells(report)),
                     1.0 - sum(confidences) / len(confidences), failed)


def known_layouts(annotation_paths: Iterable[str | Path]) -> Counter[str]:
    """Count the layouts of annotated reports (gold JSON files or directories of them).

    A ``layout`` key in the annotation wins; otherwise the layout is inferred from the input.
    """
    counts: Counter[str] = Counter()
    for path in map(Path, annotation_paths):
        for gold_path in sorted(path.glob("*.json")) if path.is_dir() else [path]:
            try:
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
                counts[gold.get("layout") or infer_layout(gold_path.parent / gold["input"])] += 1
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
    return counts


def rarity(layout: str, seen: Counter[str]) -> float:
    """1 for a layout never seen, 1/2 seen once, 1/3 twice…"""
    return 1.0 / (1 + seen[layout])


def pick(candidates: Sequence[Candidate], n: int, seen: Counter[str] | None = None) -> list[Pick]:
    """Greedily choose the ``n`` candidates of highest score (see the module docstring)."""
    seen = Counter(seen or {})
    left = list(candidates)
    picks = []
    while left and len(picks) < n:
        best = max(left, key=lambda c: (c.base_score() + WEIGHT_RARITY * rarity(c.layout, seen), c.path))
        score = best.base_score() + WEIGHT_RARITY * rarity(best.layout, seen)
        picks.append(Pick(best.path, round(score, 4), _reason(best, seen)))
        seen[best.layout] += 1
        left.remove(best)
    return picks


def _reason(c: Candidate, seen: Counter[str]) -> str:
    return (f"{c.doubtful}/{c.cells} cells doubtful, mean doubt {c.mean_doubt:.3f}, "
            f"{c.failed_identities} identities fail, layout {c.layout} ({seen[c.layout]} annotated or picked)")


def pick_reports(inputs: Sequence[str | Path], n: int, *, known: Iterable[str | Path] = (),
                 model: RealignModel | None = None) -> tuple[list[Pick], dict[str, str]]:
    """Assess ``inputs`` and pick ``n``; also return ``{path: why not a candidate}`` for the rest."""
    candidates, skipped = [], {}
    for path in inputs:
        assessed = assess(path, model=model)
        if isinstance(assessed, Candidate):
            candidates.append(assessed)
        else:
            skipped[str(path)] = assessed
    return pick(candidates, n, known_layouts(known)), skipped
