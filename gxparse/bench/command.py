"""The ``gxparse bench`` subcommand: arguments, printing, output files and the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gxparse.bench.compare import Comparison, compare
from gxparse.bench.render import format_comparison, format_summary, to_markdown
from gxparse.bench.run import DEFAULT_SEED, DEFAULT_TEMPLATES, BenchResult, load_golds, run_bench
from gxparse.errors import GxParseError

PLACERS = ("model", "rules", "baseline")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``gxparse bench`` to ``parser``."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="gold JSON files or directories of them (inputs are resolved relative to each gold file)")
    parser.add_argument("--model", help="realigner model file or directory (default: the packaged model)")
    parser.add_argument("--placer", choices=PLACERS, default="model", help="placer to measure (default %(default)s)")
    parser.add_argument("--compare", metavar="M2|baseline|rules|model",
                        help="also run another model path, the packaged model, or another placer, and compare")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="add N synthetic reports made with gxparse.synth.make_corpus (default none)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="seed of the synthetic set (default %(default)s, reserved for benchmarking)")
    parser.add_argument("--templates", default=",".join(DEFAULT_TEMPLATES), metavar="T1,T2",
                        help="template generations of the synthetic set (default %(default)s)")
    parser.add_argument("--variants", type=_variants_arg, metavar="RATE|all|none",
                        help="report variants of the synthetic set (mangled/missing headings, cuts, reordered tables…): "
                             "a rate in [0, 1], all, or none (default: the generator's rate)")
    parser.add_argument("--json", metavar="OUT", help="write every figure, report and wrong cell as JSON")
    parser.add_argument("--markdown", metavar="OUT", help="write a Markdown report")
    parser.add_argument("-v", "--show-errors", action="store_true", help="print every wrong cell")
    parser.add_argument("--min-accuracy", type=float, metavar="X",
                        help="exit 1 when the micro cell accuracy (a fraction, e.g. 0.95) is below X")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the cold-start timing subprocess")
    parser.add_argument("--cv", type=int, metavar="K",
                        help="out-of-fold accuracy: retrain K times with the reports' agencies held out (GroupKFold) "
                             "and score each report with the model that never saw its agency")
    parser.add_argument("--unlabelled", action="append", metavar="DIR",
                        help="reports without gold (repeatable): count the tables each prints, finds and balances")
    parser.add_argument("--cv-synthetic", type=int, metavar="N",
                        help="with --cv: synthetic reports added to each fold's training set (default: as gxparse train)")


def _variants_arg(text: str) -> float | str:
    """``--variants``: ``all``, ``none`` or a rate between 0 and 1."""
    if text in ("all", "none"):
        return text
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError(f"expected all, none or a rate in [0, 1], got {text!r}")
    return rate


def _other_run(args: argparse.Namespace) -> dict[str, Any]:
    """``run_bench`` keyword arguments of the ``--compare`` run."""
    target = args.compare
    if target in ("rules", "baseline"):
        return {"placer": target, "model": None}
    return {"placer": "model", "model": None if target == "model" else target}


def _write_outputs(args: argparse.Namespace, a: BenchResult, b: BenchResult | None, comp: Comparison | None) -> None:
    if args.json:
        data = a.to_dict()
        if b is not None and comp is not None:
            data["compare"] = {"result": b.to_dict(), "comparison": comp.to_dict()}
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(to_markdown(a, comp) + "\n", encoding="utf-8")


def _run_cv(args: argparse.Namespace) -> int:
    """``gxparse bench --cv K``: out-of-fold figures of the gold PATHs."""
    from gxparse.bench.crossval import run_cv

    clashes = [flag for flag, given in (("--synthetic", args.synthetic), ("--compare", args.compare),
                                        ("--model", args.model), ("--placer", args.placer != "model")) if given]
    if clashes or not args.paths or args.cv < 2 or (args.cv_synthetic or 0) < 0:
        print("gxparse bench: --cv K (K ≥ 2) takes gold PATHs and trains its own models; "
              f"it does not combine with {', '.join(clashes) or 'no PATH'}", file=sys.stderr)
        return 2
    try:
        result = run_cv(args.paths, folds=args.cv, synthetic=args.cv_synthetic,
                        progress=lambda line: print(line, file=sys.stderr))
    except GxParseError as exc:
        print(f"gxparse bench: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print(format_summary(result, show_errors=args.show_errors))
    _write_outputs(args, result, None, None)
    return _accuracy_exit(args, result)


def _run_unlabelled(args: argparse.Namespace) -> int:
    """``gxparse bench --unlabelled DIR``: table coverage of reports without gold."""
    from gxparse.bench.coverage import format_coverage, input_files, run_coverage

    if args.paths or args.synthetic or args.cv is not None or args.compare:
        print("gxparse bench: --unlabelled runs on its own (no gold PATHs, --synthetic, --cv or --compare)",
              file=sys.stderr)
        return 2
    if not input_files(args.unlabelled):
        print(f"gxparse bench: no report inputs under {', '.join(args.unlabelled)}", file=sys.stderr)
        return 2
    result = run_coverage(args.unlabelled)
    print(format_coverage(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def _accuracy_exit(args: argparse.Namespace, result: BenchResult) -> int:
    accuracy = result.figures["cells"]["accuracy_micro"] or 0.0
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"gxparse bench: cell accuracy {accuracy:.4f} < --min-accuracy {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


def run_cli(args: argparse.Namespace) -> int:
    """Run the benchmark as asked; print the summary; return 0, 1 (below ``--min-accuracy``) or 2 (usage)."""
    if args.unlabelled:
        return _run_unlabelled(args)
    if not args.paths and not args.synthetic:
        print("gxparse bench: give gold PATHs and/or --synthetic N (or --unlabelled DIR)", file=sys.stderr)
        return 2
    try:
        no_golds = bool(args.paths) and not load_golds(args.paths)
    except GxParseError as exc:
        print(f"gxparse bench: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if no_golds and not args.synthetic:
        print(f"gxparse bench: no gold annotation (*.json) under {', '.join(args.paths)}: nothing to measure",
              file=sys.stderr)
        return 2
    if args.cv is not None:
        return _run_cv(args)
    if args.synthetic < 0:
        print(f"gxparse bench: --synthetic takes a count ≥ 0, got {args.synthetic}", file=sys.stderr)
        return 2
    common = {"synthetic": args.synthetic, "seed": args.seed, "templates": tuple(args.templates.split(",")),
              "variants": args.variants, "cold_start": not args.no_cold_start}
    try:
        a = run_bench(args.paths, placer=args.placer, model=args.model, **common)
        b = run_bench(args.paths, **_other_run(args), **common) if args.compare else None
    except GxParseError as exc:
        print(f"gxparse bench: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    comp = compare(a, b) if b is not None else None
    print(format_summary(a, show_errors=args.show_errors))
    if comp is not None:
        print()
        print(format_comparison(comp))
    _write_outputs(args, a, b, comp)
    return _accuracy_exit(args, a)
