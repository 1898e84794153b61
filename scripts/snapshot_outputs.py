"""(Re)write the output snapshot that ``tests/test_output_identity.py`` compares against.

Run it deliberately, after a change that is *meant* to change outputs (accuracy work, a new
model, a new output key), and commit the new ``tests/data/output_snapshot.jsonl.gz`` with that
change; speed work must pass the identity test without it::

    python scripts/snapshot_outputs.py

What is stored and why: ``tests/output_snapshot.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import output_snapshot  # noqa: E402  (a test helper, shared with tests/test_output_identity.py)


def main() -> int:
    """Write the snapshot and say where."""
    n = output_snapshot.write_snapshot()
    print(f"wrote {n} report outputs to {output_snapshot.SNAPSHOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
