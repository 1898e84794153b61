"""Out-of-fold accuracy on annotated reports: retrain without a report's agency, then parse it.

The packaged model is trained on every annotated report, so ``gxparse bench`` on those reports
measures training accuracy. :func:`run_cv` measures what a user sees on a report the model never
saw: the reports are split into ``folds`` groups by agency (scikit-learn's ``GroupKFold``, as
Formasaurus groups pages by domain), and for each fold a model is trained with
:func:`gxparse.train.train_model` on the other folds' reports plus the same synthetic reports
``gxparse train`` adds, then the fold's reports are parsed with it and scored as ``run_bench``
scores them. Reports of one agency (and two renderings of one report, such as a PDF and its text
layer) never sit on both sides of a split.

The agency of a report is its gold ``agency`` when annotated, else the agency that
:func:`gxparse.metadata.extract_metadata` reads from its text (with the script and spacing
folded); a report whose agency cannot be read is a group of its own.
"""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Callable, Sequence

from gxparse import __version__
from gxparse.bench.metrics import ReportScore
from gxparse.bench.run import BenchResult, GoldEntry, _bench_entries, load_golds, speed_figures
from gxparse.errors import DataError
from gxparse.metadata import extract_metadata
from gxparse.normalize import label_key, normalize_text
from gxparse.sources import read_source

DEFAULT_FOLDS = 5
MIN_FOLDS = 2


def agency_group(entry: GoldEntry) -> str:
    """The grouping key of a report: its agency (folded), or ``report:<id>`` when unknown."""
    agency = entry.gold.get("agency")
    if not agency:
        try:
            text = normalize_text(read_source(entry.input_path).text).text
        except (OSError, ValueError):
            text = ""
        agency = extract_metadata(text, str(entry.input_path)).get("agency") if text else None
    key = label_key(str(agency)) if agency else ""
    return f"agency:{key}" if key else f"report:{entry.gold['id']}"


def assign_folds(groups: Sequence[str], folds: int) -> list[int]:
    """Fold index of each report, balanced by size with whole groups kept together (GroupKFold)."""
    from sklearn.model_selection import GroupKFold

    fold_of = [0] * len(groups)
    for k, (_, test) in enumerate(GroupKFold(n_splits=folds).split(list(range(len(groups))), groups=list(groups))):
        for i in test:
            fold_of[i] = k
    return fold_of


def run_cv(paths: Sequence[str | os.PathLike[str]], *, folds: int = DEFAULT_FOLDS, seed: int = 0,
           synthetic: int | None = None, progress: Callable[[str], None] | None = None) -> BenchResult:
    """Score every annotated report under ``paths`` with a model trained without its agency.

    Parameters
    ----------
    paths:
        Gold JSON files or directories of them (as for :func:`~gxparse.bench.run.run_bench`).
    folds:
        Number of folds (at most the number of agency groups; at least 2).
    seed:
        Training seed, as ``gxparse train --seed``.
    synthetic:
        Synthetic reports added to every fold's training set (default: as many as ``gxparse
        train`` adds); they are generated once, with the seed ``gxparse train`` uses.
    progress:
        Called with one line per fold.

    Returns
    -------
    BenchResult
        Scores of every report (each from the fold that held it out); ``config["cv"]`` names the
        groups and the fold of every report.

    Raises
    ------
    DataError
        A gold path is missing or malformed, or there are fewer than two agency groups.
    """
    from gxparse.synth import make_corpus
    from gxparse.train import DEFAULT_SYNTHETIC, SYNTHETIC_SEED_OFFSET, SYNTHETIC_TEMPLATES, load_annotated, train_model

    entries = load_golds(paths)
    groups = [agency_group(e) for e in entries]
    n_groups = len(set(groups))
    if n_groups < MIN_FOLDS or folds < MIN_FOLDS:
        raise DataError(f"cross-validation needs at least {MIN_FOLDS} folds and agency groups; "
                        f"asked for {folds} folds, found {n_groups} groups in {len(entries)} reports")
    folds = min(folds, n_groups)
    fold_of = assign_folds(groups, folds)
    annotated = {r.id: r for r in load_annotated(paths)}
    n_synthetic = DEFAULT_SYNTHETIC if synthetic is None else synthetic
    scores: dict[int, ReportScore] = {}
    with tempfile.TemporaryDirectory(prefix="gxparse-cv-") as tmp:
        extra = []
        if n_synthetic:
            make_corpus(tmp, n_synthetic, seed=seed + SYNTHETIC_SEED_OFFSET, templates=SYNTHETIC_TEMPLATES)
            extra = load_annotated([tmp])
        for k in range(folds):
            held = [i for i, f in enumerate(fold_of) if f == k]
            train = [annotated[str(e.gold["id"])] for i, e in enumerate(entries) if fold_of[i] != k]
            if progress:
                progress(f"fold {k + 1}/{folds}: training on {len(train)} reports + {len(extra)} synthetic, "
                         f"holding out {len(held)} ({', '.join(str(entries[i].gold['id']) for i in held)})")
            model = train_model(train + extra, seed=seed, name=f"cv-fold-{k + 1}")
            for i, score in zip(held, _bench_entries([entries[i] for i in held], "model", model)):
                scores[i] = score
    reports = [scores[i] for i in range(len(entries))]
    config = {"paths": [str(p) for p in paths], "placer": "model", "synthetic": 0, "seed": None, "templates": None,
              "model": "<out-of-fold>", "model_version": f"{folds}-fold cross-validation", "model_bytes": None,
              "python": platform.python_version(), "gxparse_version": __version__,
              "cv": {"folds": folds, "seed": seed, "synthetic_train": n_synthetic,
                     "groups": {g: sorted(str(e.gold["id"]) for e, gg in zip(entries, groups) if gg == g)
                                for g in sorted(set(groups))},
                     "fold_of": {str(e.gold["id"]): f + 1 for e, f in zip(entries, fold_of)}}}
    speed = speed_figures(reports)
    speed["cold_start"] = None
    return BenchResult(config, reports, speed)
