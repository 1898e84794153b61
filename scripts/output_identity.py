"""Check that a refactor leaves the parser's outputs unchanged.

``write OUT`` parses a fixed input set and stores ``Report.to_dict()`` of every input (or its
error) as JSON; ``compare OUT`` parses the same set again and prints every report whose output
differs, ignoring the meta keys named with ``--ignore-meta`` (a key the refactor adds on purpose).
The input set: every report of ``training_data/dev``, the real reports of the wild corpus, and
synthetic reports of every layout (``make_corpus`` with fixed seeds, variants included).

Usage::

    python scripts/output_identity.py write /tmp/before.json
    python scripts/output_identity.py compare /tmp/before.json --ignore-meta layouts
    python scripts/output_identity.py write /tmp/before.json --also /tmp/fresh-set   # and a folder of more inputs
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import gxparse
from gxparse.errors import GxParseError
from gxparse.synth import make_corpus

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "training_data" / "dev"
WILD = Path("/work/shared/corpus/wild")
# (count, seed, templates, variant rate): the synthetic set of the task brief, and legacy layouts
SYNTHETIC = ((120, 4242, ("gov2021", "gov2019"), 0.35), (30, 4243, ("legacy",), 0.35))


def _inputs(tmp: Path, extra: list[Path]) -> list[Path]:
    paths = [DEV / json.loads(p.read_text(encoding="utf-8"))["input"] for p in sorted(DEV.glob("*.json"))]
    paths += sorted(p for p in WILD.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf", ".docx"))
    for n, seed, templates, rate in SYNTHETIC:
        paths += make_corpus(tmp / str(seed), n, seed, templates=templates, variants=rate)
    for folder in extra:
        paths += sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf", ".docx"))
    return paths


def _outputs(ignore_meta: tuple[str, ...], extra: list[Path]) -> dict[str, object]:
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in _inputs(Path(tmp), extra):
            name = f"{path.parent.name}/{path.name}"
            try:
                data = gxparse.parse_file(path).to_dict()
            except GxParseError as exc:
                data = {"error": type(exc).__name__, "message": str(exc).replace(tmp, "<tmp>")}
            else:
                data["source"] = name
                for key in ignore_meta:
                    data.get("meta", {}).pop(key, None)
            out[name] = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    return out


def main(argv: list[str] | None = None) -> int:
    """Write or compare the outputs; exit 1 when ``compare`` finds a difference."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("write", "compare"))
    ap.add_argument("path", type=Path)
    ap.add_argument("--ignore-meta", action="append", default=[], help="meta key left out of the comparison")
    ap.add_argument("--also", action="append", default=[], type=Path,
                    help="a folder of more inputs (a fresh synthetic set, say) to write or compare too")
    args = ap.parse_args(argv)
    outputs = _outputs(tuple(args.ignore_meta), args.also)
    if args.action == "write":
        args.path.write_text(json.dumps(outputs, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        print(f"{len(outputs)} outputs written to {args.path}")
        return 0
    before = json.loads(args.path.read_text(encoding="utf-8"))
    differ = sorted(name for name in before.keys() | outputs.keys() if before.get(name) != outputs.get(name))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(outputs)} outputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
