"""``gxparse annotate``: turn a parse into a pre-filled annotation that a person reviews.

The annotation is in the corpus format of ``training_data/README.md`` (``id``, ``input``,
``template``, ``complete``, ``tables``, ``labels``, ``balanced``, ``uncertain``, ``notes``), so
``check-data``, ``train`` and ``bench`` read it unchanged, plus a ``review`` block that says what a
reviewer needs and what training must know:

``review.status``
    ``"unreviewed"`` as written here; ``gxparse review`` sets ``"reviewed"`` on save. Training
    and ``check-data`` refuse unreviewed files unless asked (:func:`is_reviewed`).
``review.doubtful``
    ``{"table.row.col": [reason, ...]}``: the cells to check first (:func:`doubtful_cells`).
``review.placeholders``
    ``{"table.row.col": raw}`` for cells printed as a placeholder (—, /, 无): their value is
    ``null`` like a blank's, and the raw text keeps the two facts apart.
``review.spans`` and ``review.text_sha256``
    Where each cell was read in the parser's normalised text, and a hash of that text, so the
    review page can highlight the source of a cell (and knows when the spans no longer apply).

Every value comes from the parse; nothing is balanced or filled in here.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxparse.errors import GxParseError
from gxparse.legacy import UNIT_CONFLICT
from gxparse.parser import parse_file
from gxparse.realign import RealignModel
from gxparse.report import Report
from gxparse.template import get_template
from gxparse.validate import values_balance

REVIEW_KEY = "review"
REVIEWED = "reviewed"
UNREVIEWED = "unreviewed"

# A cell whose placement confidence is below this is doubtful. On the dev corpus (in-sample) every
# wrong pre-filled cell of the packaged model scored below 0.7, and 25 right cells did too.
LOW_CONFIDENCE = 0.7
# Splitting glued digits (15130000154 -> 151,3,0,...) is the parser's most ambiguous reading, so a
# glued split is doubtful below this higher bar (0.9 adds 11 right cells on dev, no wrong one).
GLUED_SPLIT_CONFIDENCE = 0.9
# Flags that make a cell doubtful whatever its confidence: a blank the parser inferred from a
# missing token, with no source text of its own; a legacy value printed with a unit other than its
# row's unit column (read as printed, so which unit it counts is the reviewer's to say).
ALWAYS_DOUBTFUL_FLAGS = ("blank_inferred", UNIT_CONFLICT)
IDENTITY_FAIL_PREFIX = "identity_fail:"


def doubtful_cells(report: Report) -> dict[str, list[str]]:
    """Return ``{"table.row.col": [reason, ...]}`` for the cells a reviewer should check first.

    Reasons: ``low_confidence`` (below :data:`LOW_CONFIDENCE`), ``glued_split`` (a split of
    glued digits below :data:`GLUED_SPLIT_CONFIDENCE`), the flags of
    :data:`ALWAYS_DOUBTFUL_FLAGS`, and ``identity_fail:<id>`` for every cell of a failing identity.
    Cells are listed in table order.
    """
    doubtful: dict[str, list[str]] = {}
    for key, table in report.tables.items():
        for row, col, cell in table.cells():
            reasons = []
            if cell.confidence < LOW_CONFIDENCE:
                reasons.append("low_confidence")
            elif "glued_split" in cell.flags and cell.confidence < GLUED_SPLIT_CONFIDENCE:
                reasons.append("glued_split")
            reasons.extend(f for f in cell.flags if f in ALWAYS_DOUBTFUL_FLAGS or f.startswith(IDENTITY_FAIL_PREFIX))
            if reasons:
                doubtful[f"{key}.{row}.{col}"] = reasons
    return doubtful


def text_digest(text: str) -> str:
    """The hash of a report's normalised text that annotations record (``review.text_sha256``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def balanced_flags(template_id: str | None, tables: dict[str, dict[str, dict[str, Any]]]) -> dict[str, bool]:
    """The ``balanced`` field of an annotation: per table with identities, whether its values satisfy them."""
    if template_id is None:
        return {}
    template = get_template(template_id)
    out = {}
    for key, rows in tables.items():
        spec = template.table(key)
        if spec.identities:
            out[key] = values_balance(spec, rows)
    return out


def annotation_from_report(report: Report, *, report_id: str, input_name: str) -> dict[str, Any]:
    """Return the pre-filled, unreviewed annotation of ``report`` (corpus format + ``review`` block)."""
    data = report.to_dict()
    tables = data["tables"]
    cells = data["cells"]
    annotation: dict[str, Any] = {
        "id": report_id,
        "input": input_name,
        "template": report.template,
        "complete": not report.meta.get("truncated_tables"),
        "tables": tables,
    }
    if data.get("labels"):
        annotation["labels"] = data["labels"]
    annotation.update({
        "balanced": balanced_flags(report.template, tables),
        "uncertain": [],
        "notes": "pre-filled by gxparse annotate; check the doubtful cells, then every other cell",
        REVIEW_KEY: {
            "status": UNREVIEWED,
            "doubtful": doubtful_cells(report),
            "placeholders": {a: c["raw"] for a, c in cells.items()
                             if _is_placeholder(_value_at(tables, a), c["raw"])},
            "spans": {a: c["span"] for a, c in cells.items() if c["span"]},
            "text_sha256": text_digest(report.text),
            "model": report.meta.get("placer"),
        },
    })
    return annotation


def _value_at(tables: dict[str, Any], address: str) -> Any:
    table, row, col = address.split(".", 2)
    return tables[table][row][col]


def _is_placeholder(value: Any, raw: str) -> bool:
    return value is None and bool(raw.strip())


def is_reviewed(annotation: dict[str, Any]) -> bool:
    """Whether an annotation may be trained on: hand-written ones (no ``review`` block) and reviewed ones."""
    review = annotation.get(REVIEW_KEY)
    return not isinstance(review, dict) or review.get("status") == REVIEWED


@dataclass(frozen=True)
class AnnotateOutcome:
    """What ``annotate`` did with one input: the annotation written, or why none was."""

    input: str
    annotation: Path | None = None
    doubtful: int = 0
    cells: int = 0
    error: str | None = None


def annotate_file(input_path: str | Path, out_dir: str | Path, *, model: RealignModel | None = None,
                  force: bool = False) -> AnnotateOutcome:
    """Parse ``input_path``, copy it into ``out_dir`` and write its pre-filled annotation beside it.

    An input that cannot be parsed gets an outcome with its typed error's message; a reviewed
    annotation already in ``out_dir`` is never overwritten unless ``force``.
    """
    src = Path(input_path)
    out = Path(out_dir)
    report_id = src.name.split(".", 1)[0] or src.stem
    target = out / f"{report_id}.json"
    if target.exists() and not force and _reviewed_file(target):
        return AnnotateOutcome(str(src), error=f"{target} is already reviewed (use --force to overwrite)")
    try:
        report = parse_file(src, model=model)
    except GxParseError as exc:
        return AnnotateOutcome(str(src), error=f"{type(exc).__name__}: {exc}")
    out.mkdir(parents=True, exist_ok=True)
    if src.resolve() != (out / src.name).resolve():
        shutil.copy2(src, out / src.name)
    annotation = annotation_from_report(report, report_id=report_id, input_name=src.name)
    write_annotation(target, annotation)
    n_cells = sum(1 for t in report.tables.values() for _ in t.cells())
    return AnnotateOutcome(str(src), target, len(annotation[REVIEW_KEY]["doubtful"]), n_cells)


def _reviewed_file(path: Path) -> bool:
    try:
        return is_reviewed(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return False


def write_annotation(path: Path, annotation: dict[str, Any]) -> None:
    """Write an annotation as indented UTF-8 JSON, atomically (a crash never leaves half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(annotation, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def annotate_paths(inputs: Iterable[str | Path], out_dir: str | Path, *, model: RealignModel | None = None,
                   force: bool = False) -> list[AnnotateOutcome]:
    """Annotate every input into ``out_dir`` (one outcome each; a bad input never stops the others).

    Two inputs with the same id (file name up to its first dot) would share one annotation: the
    second gets an error outcome instead of overwriting the first.
    """
    outcomes = []
    seen: set[str] = set()
    for path in map(Path, inputs):
        report_id = path.name.split(".", 1)[0]
        if report_id in seen:
            outcomes.append(AnnotateOutcome(str(path), error=f"another input already has the id {report_id!r}"))
            continue
        seen.add(report_id)
        outcomes.append(annotate_file(path, out_dir, model=model, force=force))
    return outcomes
