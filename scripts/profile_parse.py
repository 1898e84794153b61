"""Print the functions that cost the most time when parsing a set of files (cProfile).

The first file is parsed once untimed (imports, model, dictionaries: the warm state of a batch,
as ``gxparse bench`` warms up), then every file is parsed once under the profiler; the top
functions are printed by cumulative and by own time (the name is not ``profile.py``: a script of
that name in ``scripts/`` would shadow the standard library's ``profile`` for every script here)::

    python scripts/profile_parse.py training_data/dev/*.txt
    python scripts/profile_parse.py --top 40 --sort tottime report1.txt report2.html
    python scripts/profile_parse.py --warm 60 syn/*.txt     # the first 60 untimed: caches as in a long batch
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

from gxparse import parse_file
from gxparse.errors import GxParseError

DEFAULT_TOP = 25


def _parse_all(paths: list[str]) -> int:
    """Parse every path; return how many raised a :class:`GxParseError` (reported, not fatal)."""
    failed = 0
    for path in paths:
        try:
            parse_file(path)
        except GxParseError as exc:
            failed += 1
            print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return failed


def main(argv: list[str] | None = None) -> int:
    """Warm up, profile one parse of each file, print the top functions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help="report files to parse")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, help="functions to list (default %(default)s)")
    parser.add_argument("--sort", choices=("cumulative", "tottime", "both"), default="both",
                        help="order of the listing (default %(default)s)")
    parser.add_argument("--warm", type=int, default=0, metavar="N",
                        help="parse the first N files untimed and profile the rest, so that content caches are "
                             "as full as in a long batch (default: profile every file after one warm-up parse)")
    args = parser.parse_args(argv)
    if args.warm and args.warm >= len(args.files):
        parser.error("--warm must leave files to profile")
    # warm-up: the profile is of the warm path (imports, model); with --warm also of the content caches
    _parse_all(args.files[:args.warm] if args.warm else args.files[:1])
    files = args.files[args.warm:]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    failed = _parse_all(files)
    profiler.disable()
    wall = time.perf_counter() - start
    print(f"{len(files)} files, {failed} failed, {wall * 1000:.0f} ms under the profiler "
          f"({wall * 1000 / len(files):.1f} ms a file)")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    for order in (("cumulative", "tottime") if args.sort == "both" else (args.sort,)):
        stats.sort_stats(order).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
