"""Train the realigner from annotated reports (and synthetic renderings of gold grids).

Training goes through exactly the inference path — normalise, locate, scan, segment, enumerate
candidates — so the model sees at training time what it will see at parse time. Each row of an
annotated table gives one example per candidate, labelled 1 when the candidate reads the gold
values of that row. Cross-validation groups examples by document, so a report never lands in both
the training and the evaluation fold.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import GroupKFold

from gxparse.annotate import is_reviewed
from gxparse.candidates import enumerate_candidates
from gxparse.check_data import UNREVIEWED_PROBLEM
from gxparse.errors import DataError
from gxparse.locator import LineTagger, train_tagger
from gxparse.locator_data import locator_sequences
from gxparse.features import FEATURE_NAMES, FEATURE_SET_HASH, RowContext, candidate_features
from gxparse.normalize import normalize_text
from gxparse.parser import analyze
from gxparse.priors import AmountPriors, AmountSample, Priors, amount_samples, cut_log_prior, fit_amount_priors, fit_priors
from gxparse.estimator import RealignClassifier
from gxparse.realign import RealignModel
from gxparse.sources import read_source
from gxparse.template import templates_digest

log = logging.getLogger("gxparse")


@dataclass(frozen=True)
class AnnotatedReport:
    """One input with its gold tables (corpus annotation format, see training_data/README.md)."""

    id: str
    text: str
    gold: dict[str, Any]
    kind: str = "text"


def load_annotated(paths: Iterable[str | Path], *, include_unreviewed: bool = False) -> list[AnnotatedReport]:
    """Read annotated reports from gold JSON files or directories of them.

    A pre-filled annotation that nobody has reviewed yet (``gxparse annotate``) holds the
    parser's own guesses; training on it would teach the model its mistakes, so it is refused
    unless ``include_unreviewed``.

    Raises
    ------
    DataError
        A gold file is malformed, its input file is missing, or it is unreviewed.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    reports = []
    for f in files:
        try:
            gold = json.loads(f.read_text(encoding="utf-8"))
            source = read_source(f.parent / gold["input"])
        except (OSError, ValueError, KeyError) as exc:
            raise DataError(f"{f}: cannot load annotation or its input: {exc}") from exc
        if not include_unreviewed and not is_reviewed(gold):
            raise DataError(f"{f}: {UNREVIEWED_PROBLEM}")
        reports.append(AnnotatedReport(gold.get("id", f.stem), source.text, gold, source.kind))
    return reports


RowExample = tuple[str, list[list[float]], list[float], list[int], list[tuple[AmountSample, ...]]]


def _row_examples(report: AnnotatedReport, priors: Priors, locator: LineTagger | None = None) -> Iterable[RowExample]:
    """Yield, per annotated row, its table, the candidates' features, cut priors, 0/1 labels and the
    (count, amount) pairs each reads (:func:`~gxparse.priors.amount_samples`)."""
    analysis = analyze(normalize_text(report.text).text, kind=report.kind, locator=locator)
    gold_tables = report.gold.get("tables", {})
    for key, (_spec, _region, seg) in analysis.tables.items():
        for row in seg.problem.rows:
            gold_row = gold_tables.get(key, {}).get(row.key)
            if not gold_row or any(c not in gold_row for c in row.cols):
                continue
            target = tuple(gold_row.get(c) for c in row.cols)
            cands = enumerate_candidates(row.items, len(row.cols), row.constraints)
            ctx = RowContext(key, row.key, row.cols, row.constraints, priors)
            X = [candidate_features(c, row.items, ctx) for c in cands]
            y = [int(_same(c.values, target)) for c in cands]
            if X:
                yield (key, X, cut_log_prior(cands, key, row.key, row.cols, priors, row.items).tolist(), y,
                       [amount_samples(c, key, row.cols, row.unit) for c in cands])


def _same(got: Sequence[object], want: Sequence[object]) -> bool:
    return all((g is None and w is None) or (g is not None and w is not None and abs(float(g) - float(w)) < 1e-9)  # type: ignore[arg-type]
               for g, w in zip(got, want))


@dataclass
class Dataset:
    """Candidate features ``X``, labels ``y``, and per candidate its report (``groups``), row and
    column length prior (``cut_prior``, :func:`~gxparse.priors.cut_log_prior`); ``tables``: each row's table.

    ``amounts`` holds per candidate the (count, amount) pairs it reads, and ``rendered`` per report
    whether it is a synthetic rendering (:func:`is_rendered`): only real reports' rows fit the amount prior
    (:func:`fit_real_amount_priors`; a dataset built without them fits none).
    """

    X: NDArray[np.float64]
    y: NDArray[np.int_]
    groups: NDArray[np.int_]
    rows: NDArray[np.int_]
    stats: dict[str, int]
    cut_prior: NDArray[np.float64]
    tables: list[str]
    amounts: list[tuple[AmountSample, ...]] = field(default_factory=list)
    rendered: list[bool] = field(default_factory=list)


def build_dataset(reports: Sequence[AnnotatedReport], priors: Priors, locator: LineTagger | None = None) -> Dataset:
    """Build the candidate dataset of ``reports`` through the inference path (with ``locator``)."""
    X: list[list[float]] = []
    y: list[int] = []
    groups: list[int] = []
    rows: list[int] = []
    cut_prior: list[float] = []
    tables: list[str] = []
    amounts: list[tuple[AmountSample, ...]] = []
    stats = {"reports": len(reports), "rows": 0, "rows_reachable": 0, "candidates": 0}
    for g, report in enumerate(reports):
        for table, feats, prior, labels, pairs in _row_examples(report, priors, locator):
            amounts.extend(pairs)
            X.extend(feats)
            y.extend(labels)
            cut_prior.extend(prior)
            tables.append(table)
            groups.extend([g] * len(labels))
            rows.extend([stats["rows"]] * len(labels))
            stats["rows"] += 1
            stats["rows_reachable"] += any(labels)
    stats["candidates"] = len(y)
    return Dataset(np.asarray(X, dtype=float).reshape(-1, len(FEATURE_NAMES)), np.asarray(y, dtype=int),
                   np.asarray(groups, dtype=int), np.asarray(rows, dtype=int), stats,
                   np.asarray(cut_prior, dtype=float), tables, amounts, [is_rendered(r) for r in reports])


def is_rendered(report: AnnotatedReport) -> bool:
    """True for a synthetic rendering: its gold names the variants it was rendered with (:mod:`gxparse.synth.corpus`;
    a real report's annotation may name its layout, never variants)."""
    return "variants" in report.gold


def row_top1(scores: NDArray[np.float64], data: Dataset, index: NDArray[np.int_]) -> tuple[int, int]:
    """Count rows (among candidates ``index``) whose best-scored candidate is correct; and rows."""
    best: dict[int, tuple[float, int]] = {}
    for s, i in zip(scores, index):
        r = int(data.rows[i])
        if r not in best or s > best[r][0]:
            best[r] = (float(s), int(data.y[i]))
    return sum(hit for _, hit in best.values()), len(best)


def out_of_fold_scores(data: Dataset, *, folds: int = 5, seed: int = 0, C: float = 1.0) -> tuple[NDArray[np.float64], int] | None:
    """Each candidate's log-odds from a classifier fitted without its report (grouped K-fold), and the
    number of folds; ``None`` when there are fewer than two reports."""
    folds = min(folds, len(set(data.groups.tolist())))
    if folds < 2:
        return None
    scores = np.zeros(len(data.y))
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(data.X, data.y, data.groups):
        clf = RealignClassifier(C=C, random_state=seed).fit(data.X[train_idx], data.y[train_idx])
        scores[test_idx] = clf.decision_function(data.X[test_idx])
    return scores, folds


CUT_PRIOR_WEIGHT_GRID = tuple(n / 10 for n in range(21))
"""The weights tried for the column length prior: 0 (off) to 2 per nat of log-odds. Trained on the
dev corpus and 450 synthetic reports, the released model's weights are 1.1 (二), 0.9 (三), 1.6 (四) and 2.0
(legacy)."""


def fit_cut_prior_weights(scores: NDArray[np.float64], data: Dataset) -> dict[str, float]:
    """Per table, the weight of the column length prior beside the classifier's log-odds ``scores``.

    Chosen on the grid :data:`CUT_PRIOR_WEIGHT_GRID` to maximise the summed log-probability of the
    correct candidate among its row's (softmax of ``scores + weight × cut_prior``), over the rows
    where some candidate cuts a glued run and one candidate is correct. Fitted on out-of-fold
    scores, so the classifier's fit to its own training rows does not set the weight; a table with
    no such row keeps weight 0.
    """
    order = np.argsort(data.rows, kind="stable")
    bounds = np.flatnonzero(np.diff(data.rows[order])) + 1
    by_table: dict[str, list[NDArray[np.int_]]] = {}
    for idx in np.split(order, bounds):
        if len(idx) and data.cut_prior[idx].any() and data.y[idx].any():
            by_table.setdefault(data.tables[int(data.rows[idx[0]])], []).append(idx)
    weights = {}
    for table, groups in sorted(by_table.items()):
        def log_likelihood(weight: float) -> float:
            total = 0.0
            for idx in groups:
                logits = scores[idx] + weight * data.cut_prior[idx]
                top = logits.max()
                total += float(logits[data.y[idx] == 1].max() - top - np.log(np.exp(logits - top).sum()))
            return total
        weights[table] = max(CUT_PRIOR_WEIGHT_GRID, key=log_likelihood)
    return weights


def fit_real_amount_priors(data: Dataset) -> AmountPriors:
    """The amount-per-item prior (:func:`~gxparse.priors.fit_amount_priors`) of the (count, amount) pairs the
    correct candidates of real reports' rows read. Synthetic renderings draw their amounts apart from their
    counts (:mod:`gxparse.synth.values`), so they do not fit it."""
    if not data.amounts:
        return {}
    return fit_amount_priors(sample for i in np.flatnonzero(data.y == 1) if not data.rendered[int(data.groups[i])]
                             for sample in data.amounts[i])


def train_model(reports: Sequence[AnnotatedReport], *, seed: int = 0, name: str = "realign",
                C: float = 1.0, progress: Callable[[str], None] | None = None) -> RealignModel:
    """Fit the locator and the realigner on ``reports``; return them as one :class:`RealignModel`.

    The locator is trained first, so the realigner learns from the regions the locator finds.
    """
    locator = train_tagger(locator_sequences(reports, seed=seed))
    priors = fit_priors(r.gold.get("tables", {}) for r in reports)
    data = build_dataset(reports, priors, locator)
    stats = data.stats
    if not len(data.y) or data.y.min() == data.y.max():
        raise DataError("training needs rows with both correct and incorrect candidates; got none")
    if progress:
        progress(f"{stats['rows']} rows, {stats['candidates']} candidates from {stats['reports']} reports")
    clf = RealignClassifier(C=C, random_state=seed).fit(data.X, data.y)
    in_sample = clf.decision_function(data.X)
    h, t = row_top1(in_sample, data, np.arange(len(data.y)))
    metrics: dict[str, float] = {"train_row_top1": round(h / t, 5) if t else 0.0}
    oof = out_of_fold_scores(data, seed=seed, C=C)
    if oof is not None:
        h, t = row_top1(oof[0], data, np.arange(len(data.y)))
        metrics |= {"cv_row_top1": round(h / t, 5) if t else 0.0, "cv_folds": oof[1]}
    cut_prior_weights = fit_cut_prior_weights(oof[0] if oof is not None else in_sample, data)
    digest = hashlib.sha256("".join(sorted(r.id + hashlib.sha256(r.text.encode()).hexdigest() for r in reports)).encode()).hexdigest()[:16]
    meta = {"name": name, "created": _dt.date.today().isoformat(), "feature_set": FEATURE_SET_HASH,
            "features": list(FEATURE_NAMES), "templates": templates_digest(), "training_data": digest,
            "seed": seed, "stats": stats, "metrics": metrics, "gxparse_version": _version(), "priors": priors,
            "cut_prior_weights": cut_prior_weights, "amount_priors": fit_real_amount_priors(data)}
    return RealignModel.from_classifier(clf, meta, locator)


def _version() -> str:
    from gxparse import __version__

    return __version__


DEFAULT_SYNTHETIC = 450
SYNTHETIC_TEMPLATES = ("gov2021", "gov2019", "legacy")
SYNTHETIC_SEED_OFFSET = 1000  # synthetic training seeds: seed + offset (benchmarks use other seeds)


def train_from_paths(paths: Sequence[str | Path], *, synthetic: int = DEFAULT_SYNTHETIC, seed: int = 0,
                     name: str = "realign", progress: Callable[[str], None] | None = None,
                     include_unreviewed: bool = False) -> RealignModel:
    """Train on the annotated reports under ``paths`` plus ``synthetic`` generated reports.

    Unreviewed annotations are refused unless ``include_unreviewed`` (see :func:`load_annotated`).

    The synthetic reports are rendered from random gold grids (:mod:`gxparse.synth`) with seed
    ``seed + SYNTHETIC_SEED_OFFSET``; the whole run is deterministic for a given seed.
    """
    import tempfile

    from gxparse.synth import make_corpus

    reports = load_annotated(paths, include_unreviewed=include_unreviewed)
    if synthetic:
        with tempfile.TemporaryDirectory(prefix="gxparse-synth-") as tmp:
            make_corpus(tmp, synthetic, seed=seed + SYNTHETIC_SEED_OFFSET, templates=SYNTHETIC_TEMPLATES)
            reports += load_annotated([tmp])
    if progress:
        progress(f"training on {len(reports)} annotated reports ({synthetic} synthetic)")
    return train_model(reports, seed=seed, name=name, progress=progress)
