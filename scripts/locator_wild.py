"""Does self-training on unlabelled reports help the locator? Table and row misses with vs without them.

The unlabelled reports (e.g. ``/work/shared/corpus/wild``) become pseudo-labelled line sequences
(:func:`gxparse.locator_data.unlabelled_sequences`: confident parses only, negatives included).
Two line taggers are trained the way ``gxparse train`` trains the locator — the annotated
reports plus the same synthetic reports — one of them with the unlabelled sequences added; each
is then run on gold sets (only location and segmentation: no placement), counting gold tables
absent from the analysis and gold rows with neither a matched label nor an item. With
``--folds K`` the annotated reports are also split by agency (as ``gxparse bench --cv``) and
each fold is located by taggers trained without it: the out-of-fold figure. Features are
computed once per sequence and shared by every training.

Usage::

    python scripts/locator_wild.py --unlabelled /work/shared/corpus/wild --annotated training_data/dev \\
        --gold /work/s4/var777 --gold /work/s4/var12345 --folds 5 --json /tmp/locator_wild.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pycrfsuite

from gxparse.bench.coverage import input_files
from gxparse.bench.crossval import agency_group, assign_folds
from gxparse.bench.run import GoldEntry, load_golds
from gxparse.locator import CRF_PARAMS, LOCATOR_FILE, LineTagger, line_features
from gxparse.locator_data import locator_sequences, unlabelled_sequences
from gxparse.normalize import normalize_text
from gxparse.parser import analyze
from gxparse.sources import read_source
from gxparse.synth import make_corpus
from gxparse.train import DEFAULT_SYNTHETIC, SYNTHETIC_SEED_OFFSET, SYNTHETIC_TEMPLATES, load_annotated

Featurised = list[tuple[list[Any], list[str]]]


def _featurise(sequences: Any) -> Featurised:
    return [(line_features(lines), list(tags)) for lines, tags in sequences if lines]


def _train(sequences: Featurised) -> LineTagger:
    """:func:`gxparse.locator.train_tagger` on sequences whose features are already computed."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, tags in sequences:
        trainer.append(xseq, tags)
    trainer.set_params(CRF_PARAMS)
    with tempfile.TemporaryDirectory(prefix="gxparse-crf-") as tmp:
        path = Path(tmp) / LOCATOR_FILE
        trainer.train(str(path))
        return LineTagger(path.read_bytes())


def misses(tagger: LineTagger, entries: list[GoldEntry]) -> dict[str, Any]:
    """Gold tables absent from the analysis, and gold rows with neither a matched label nor an item."""
    out: dict[str, Any] = {"tables_missed": 0, "tables": 0, "rows_missed": 0, "rows": 0, "missed": []}
    for entry in entries:
        src = read_source(entry.input_path)
        analysis = analyze(normalize_text(src.text).text, kind=src.kind, locator=tagger)
        for key, rows in entry.gold.get("tables", {}).items():
            if not rows:
                continue
            out["tables"] += 1
            out["rows"] += len(rows)
            if key not in analysis.tables:
                out["tables_missed"] += 1
                out["rows_missed"] += len(rows)
                out["missed"].append(f"{entry.gold['id']}:{key}")
                continue
            seg = analysis.tables[key][2]
            found = {r.key for r in seg.problem.rows if r.items or r.key in seg.matched}
            lost = [row for row in rows if row not in found]
            out["rows_missed"] += len(lost)
            out["missed"] += [f"{entry.gold['id']}:{key}.{row}" for row in lost]
    return out


def _add(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, type(value)()) + value


def main(argv: list[str] | None = None) -> int:
    """Train the two taggers, measure them, print (and optionally write) the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unlabelled", action="append", required=True, help="directory of reports without gold")
    ap.add_argument("--annotated", default="training_data/dev", help="annotated reports the locator trains on")
    ap.add_argument("--gold", action="append", default=[], help="gold set to locate with both taggers")
    ap.add_argument("--folds", type=int, default=0, help="also measure the annotated reports out-of-fold")
    ap.add_argument("--synthetic", type=int, default=DEFAULT_SYNTHETIC)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    started = time.time()

    def log(*parts: object) -> None:
        print(f"[{time.time() - started:7.1f}s]", *parts, flush=True)

    unlabelled = _featurise(unlabelled_sequences([read_source(p) for p in input_files(args.unlabelled)]))
    with tempfile.TemporaryDirectory(prefix="gxparse-synth-") as tmp:
        make_corpus(tmp, args.synthetic, seed=SYNTHETIC_SEED_OFFSET, templates=SYNTHETIC_TEMPLATES)
        synthetic = _featurise(locator_sequences(load_annotated([tmp])))
    annotated = load_annotated([args.annotated])
    log(f"{len(unlabelled)} unlabelled sequences, {len(synthetic)} synthetic")
    figures: dict[str, Any] = {}
    if args.gold:
        own = _featurise(locator_sequences(annotated))
        taggers = {"without": _train(own + synthetic), "with": _train(own + synthetic + unlabelled)}
        for gold in args.gold:
            entries = load_golds([gold])
            for name, tagger in taggers.items():
                figures[f"{Path(gold).name}/{name}"] = result = misses(tagger, entries)
                log(Path(gold).name, name, {k: v for k, v in result.items() if k != "missed"})
    if args.folds:
        entries = load_golds([args.annotated])
        fold_of = assign_folds([agency_group(e) for e in entries], args.folds)
        for k in range(args.folds):
            train = _featurise(locator_sequences([r for r, f in zip(annotated, fold_of) if f != k]))
            held_out = [e for e, f in zip(entries, fold_of) if f == k]
            for name, extra in (("without", []), ("with", unlabelled)):
                result = misses(_train(train + synthetic + extra), held_out)
                _add(figures.setdefault(f"cv{args.folds}/{name}", {}), result)
                log(f"fold {k + 1}/{args.folds}", name, {k: v for k, v in result.items() if k != "missed"})
    print(json.dumps({k: {f: v for f, v in r.items() if f != "missed"} for k, r in figures.items()}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
