"""What ``import gxparse`` and ``gxparse parse`` load: nothing a one-report parse does not need.

Each check runs in a fresh interpreter and reads ``sys.modules``: the batch layer and its writers,
the CLI, bench, annotation, training, pandas and scikit-learn stay out of ``import gxparse``;
spaCy, jieba and the CRF load on the first parse; ``gxparse parse`` imports the parse command only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "gxparse" / "examples" / "jingan-hrss-2023.txt"

NOT_ON_IMPORT = (
    "pandas", "sklearn", "pyarrow", "duckdb", "spacy", "jieba", "pycrfsuite", "lxml",
    "gxparse.cli", "gxparse.batch_cli", "gxparse.batch_run", "gxparse.outputs", "gxparse.links",
    "gxparse.train", "gxparse.estimator", "gxparse.bench", "gxparse.annotate", "gxparse.annotate_cli",
    "gxparse.check_data", "gxparse.synth",
)
"""Modules ``import gxparse`` must not load (prefixes: ``gxparse.bench`` covers its submodules)."""

NOT_ON_PARSE = (
    "pandas", "sklearn", "pyarrow", "duckdb", "lxml", "gxparse.train", "gxparse.estimator",
    "gxparse.bench", "gxparse.annotate", "gxparse.annotate_cli", "gxparse.check_data", "gxparse.synth",
)
"""Modules ``gxparse parse FILE`` (one text report to standard output) must not load (it does load
``gxparse.links``: every batch, even of one input, is linked across years by ``parse_many``)."""


def _modules_after(code: str) -> set[str]:
    """The names in ``sys.modules`` after running ``code`` in a fresh interpreter (this source tree first)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    proc = subprocess.run([sys.executable, "-c", script], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=True, timeout=300)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_import_gxparse_loads_only_the_parser() -> None:
    modules = _modules_after("import gxparse")
    assert "gxparse.parser" in modules
    assert _loaded(modules, NOT_ON_IMPORT) == []


def test_lazy_public_names_resolve_on_first_use() -> None:
    modules = _modules_after(
        "import gxparse\n"
        "assert gxparse.parse_many.__module__ == 'gxparse.batch_run'\n"
        "assert gxparse.BatchResult.__name__ == 'BatchResult'\n"
        "assert callable(gxparse.link) and gxparse.Links.__name__ == 'Links'\n"
        "try:\n    gxparse.no_such_name\nexcept AttributeError:\n    pass\nelse:\n    raise SystemExit(1)"
    )
    assert {"gxparse.batch_run", "gxparse.links"} <= modules
    assert _loaded(modules, ("pandas", "sklearn", "gxparse.cli", "gxparse.train")) == []


def test_parse_command_loads_only_what_it_uses() -> None:
    modules = _modules_after(
        "import sys\nfrom gxparse.cli import main\n"
        f"status = main(['parse', '--max-memory', '0', {str(EXAMPLE)!r}])\nassert status == 0, status"
    )
    assert {"gxparse.batch_cli", "gxparse.outputs", "spacy", "jieba"} <= modules  # the parse really ran here
    assert _loaded(modules, NOT_ON_PARSE) == []


def test_every_subcommand_still_has_its_arguments() -> None:
    from gxparse.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["bench", "x.json", "--no-cold-start"]).no_cold_start
    assert parser.parse_args(["parse", "a.txt", "--format", "jsonl"]).format == "jsonl"
    assert parser.parse_args(["train", "d", "-o", "m"]).output == "m"
    assert parser.parse_args(["review", "d", "--no-browser"]).no_browser
    only_parse = build_parser(only="parse")
    assert only_parse.parse_args(["-v", "parse", "a.txt"]).inputs == ["a.txt"]
