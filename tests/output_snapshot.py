"""The full outputs of the parser on a fixed set of inputs, stored so that a change can be compared.

Shared by ``scripts/snapshot_outputs.py`` (which writes the snapshot) and
``tests/test_output_identity.py`` (which re-parses and compares). The set is the dev corpus
(``training_data/dev``, every input a gold file names) and :data:`SYNTHETIC_COUNT` synthetic reports
of :func:`gxparse.synth.make_corpus` with a fixed seed, all three template generations and a share
of variants. Each report's ``Report.to_dict()`` is stored as one JSON line of a gzip file, with its
``source`` path reduced to the file name (the synthetic set lives in a temporary directory).
``to_dict()`` carries no timings, so two parses of one input give equal outputs.

The snapshot is a record of what the parser *does*, not of what is right: speed work must leave
it unchanged, while accuracy work changes it on purpose and then regenerates it deliberately
(``python scripts/snapshot_outputs.py``), saying so in its commit.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "training_data" / "dev"
SNAPSHOT = ROOT / "tests" / "data" / "output_snapshot.jsonl.gz"
SYNTHETIC_COUNT = 60
SYNTHETIC_SEED = 4242  # not a training seed (training renders with 1000+) nor the benchmark's 12345
SYNTHETIC_TEMPLATES = ("gov2021", "gov2019", "legacy")
SYNTHETIC_VARIANTS = 0.35
MAX_DIFFS_SHOWN = 12


def dev_inputs() -> list[Path]:
    """The input files named by the dev corpus's gold annotations, in gold-file order."""
    return [DEV / json.loads(p.read_text(encoding="utf-8"))["input"] for p in sorted(DEV.glob("*.json"))]


def _output(path: Path, name: str) -> dict[str, Any]:
    """Parse ``path`` and return its comparable output (a parse error is recorded as an output)."""
    import gxparse
    from gxparse.errors import GxParseError

    try:
        data = gxparse.parse_file(path).to_dict()
    except GxParseError as exc:
        return {"name": name, "error": f"{type(exc).__name__}: {exc}"}
    data["source"] = Path(str(data.get("source"))).name
    return {"name": name, "output": json.loads(json.dumps(data, ensure_ascii=False))}


def current_outputs() -> Iterator[dict[str, Any]]:
    """Parse the dev corpus and the synthetic set; yield ``{"name", "output" | "error"}`` per input."""
    from gxparse.synth import make_corpus

    for path in dev_inputs():
        yield _output(path, f"dev/{path.name}")
    with tempfile.TemporaryDirectory(prefix="gxparse-snapshot-") as tmp:
        written = make_corpus(tmp, SYNTHETIC_COUNT, seed=SYNTHETIC_SEED, templates=SYNTHETIC_TEMPLATES,
                              variants=SYNTHETIC_VARIANTS)
        for path in map(Path, written):
            yield _output(path, f"synthetic/{path.name}")


def write_snapshot(path: Path = SNAPSHOT) -> int:
    """(Re)write the snapshot file; return the number of reports stored."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        for record in current_outputs():
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def read_snapshot(path: Path = SNAPSHOT) -> list[dict[str, Any]]:
    """The stored records, in the order they were written."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def differences(old: Any, new: Any, where: str = "") -> Iterator[str]:
    """Yield ``path: old → new`` for every leaf where two JSON values differ, in document order."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{where}.{key}" if where else str(key)
            if key not in new:
                yield f"{sub}: {_short(old[key])} → <absent>"
            elif key not in old:
                yield f"{sub}: <absent> → {_short(new[key])}"
            else:
                yield from differences(old[key], new[key], sub)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from differences(a, b, f"{where}[{i}]")
    elif old != new:
        yield f"{where}: {_short(old)} → {_short(new)}"


def _short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(name: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """A readable account of the first differing cells of one report (empty when equal)."""
    diffs = list(differences(old, new))
    if not diffs:
        return ""
    shown = "\n".join(f"    {d}" for d in diffs[:MAX_DIFFS_SHOWN])
    more = f"\n    … {len(diffs) - MAX_DIFFS_SHOWN} more" if len(diffs) > MAX_DIFFS_SHOWN else ""
    return f"  {name}: {len(diffs)} difference(s)\n{shown}{more}"
