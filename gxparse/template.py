"""The canonical templates: tables, rows, columns, labels, aliases and identities.

The templates are data (``gxparse/templates/*.json``, transcribed from the project's
``spec/TEMPLATE.md``); this module is the only place that reads them. Their keys are the public
contract of :meth:`gxparse.Report.to_dict`. The module describes the target grid and never looks
at report text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Literal

from gxparse.errors import TemplateError

TEMPLATE_IDS: tuple[str, ...] = ("gov2021", "gov2019", "legacy")
ColumnKind = Literal["count", "decimal", "signed", "amount", "unit"]


@dataclass(frozen=True)
class ColumnSpec:
    """One value column: stable key, printed header, aliases, value kind and header path.

    ``header_words`` are short cue words that name the column inside a longer header word
    (``累计`` in ``自2008年以来累计``); unlike aliases they are not labels of their own.
    ``vocabulary`` holds the words a ``unit`` column prints in its cells (``条``, ``件``, ``人次``…).
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: ColumnKind = "count"
    path: tuple[str, ...] = ()
    header_words: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowSpec:
    """One data row: stable key, printed label, numbering, aliases and its value columns.

    ``replaces`` is set on an alternative row that some reports print instead of several
    canonical rows (``other_handling`` instead of the three ``other_*`` rows of gov2021).
    """

    key: str
    label: str
    number: str
    cols: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    group: str | None = None
    block: str | None = None
    leaf: bool = False
    replaces: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # rows key the label-score caches (a report looks up ~1,500 (piece, row) pairs): hash the fields once
        object.__setattr__(self, "_hash", hash(self._fields()))

    def _fields(self) -> tuple[object, ...]:
        """The field values in order: what equality compares, so what the hash covers."""
        return tuple(getattr(self, f.name) for f in fields(self))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]

    def __reduce__(self) -> tuple[type[RowSpec], tuple[object, ...]]:
        """Rebuilt from its fields, so a copy in another process hashes with that process's string hashes."""
        return RowSpec, self._fields()


@dataclass(frozen=True)
class Identity:
    """An accounting identity ``Σ left = Σ right`` (or ``≤`` for soft plausibility checks), per column or row."""

    id: str
    per: Literal["col", "row"]
    left: tuple[str, ...]
    right: tuple[str, ...]
    cls: str
    text: str = ""
    relation: Literal["eq", "le"] = "eq"

    @property
    def formula(self) -> str:
        """The identity as a formula over row keys (``per == "col"``) or column keys (``per == "row"``)."""
        sign = "≤" if self.relation == "le" else "="
        each = "in every column" if self.per == "col" else "in every row"
        return f"{' + '.join(self.left)} {sign} {' + '.join(self.right)} ({each})"


@dataclass(frozen=True)
class BlockSpec:
    """A caption-delimited block of the 二 table (第二十条第（一）项 …)."""

    key: str
    caption: str
    cols: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """One canonical table of one template generation.

    Its printed markers, which locating the table reads (:mod:`gxparse.locate`): ``content_start``,
    words where the table itself begins inside its section (narrative between a heading and its
    table is skipped); ``content_required``, landmark words a region must hold to be the table (a
    heading whose table was lost holds none); ``header_run``, a header run specific enough to find
    the table when no heading does (the 四 table's two header rows, read in order), or ``""``.
    """

    key: str
    heading: str
    heading_keywords: tuple[str, ...]
    rows: tuple[RowSpec, ...]
    cols: tuple[ColumnSpec, ...]
    identities: tuple[Identity, ...]
    blocks: tuple[BlockSpec, ...] = ()
    row_groups: tuple[dict[str, str], ...] = field(default=(), compare=False)
    col_groups: tuple[dict[str, object], ...] = field(default=(), compare=False)
    content_start: tuple[str, ...] = ()
    content_required: tuple[str, ...] = ()
    header_run: str = ""

    def row(self, key: str) -> RowSpec:
        """Return the row spec for ``key`` or raise :class:`TemplateError` listing valid keys."""
        for row in self.rows:
            if row.key == key:
                return row
        raise TemplateError(f"table {self.key!r} has no row {key!r}; rows: {[r.key for r in self.rows]}")

    def col(self, key: str) -> ColumnSpec:
        """Return the column spec for ``key`` or raise :class:`TemplateError`."""
        for col in self.cols:
            if col.key == key:
                return col
        raise TemplateError(f"table {self.key!r} has no column {key!r}; columns: {[c.key for c in self.cols]}")

    def layout(self, *, alternatives: bool = False) -> tuple[RowSpec, ...]:
        """Rows in printed order, either canonical (default) or with alternative rows in place."""
        if not alternatives:
            return tuple(r for r in self.rows if not r.replaces)
        replaced = {k for r in self.rows for k in r.replaces}
        return tuple(r for r in self.rows if r.key not in replaced)

    @property
    def has_alternatives(self) -> bool:
        """True when the table has an alternative row layout (see :meth:`layout`)."""
        return any(r.replaces for r in self.rows)


@dataclass(frozen=True)
class Template:
    """One template generation (``gov2021``, ``gov2019`` or ``legacy``).

    ``detect`` holds, per table, labels only this generation prints; ``detect_patterns`` holds
    regular expressions for printed forms that tell it apart (a row followed by a value).
    """

    id: str
    name: str
    tables: tuple[TableSpec, ...]
    detect: dict[str, tuple[str, ...]] = field(compare=False, default_factory=dict)
    digest: str = ""
    detect_patterns: dict[str, tuple[str, ...]] = field(compare=False, default_factory=dict)
    report_years: tuple[int | None, int | None] = (None, None)
    """The first and last report year this generation was prescribed for (``None``: open)."""
    closing_sections: tuple[str, ...] = ()
    """Title words of the narrative sections printed after the tables (五、存在的主要问题…): a table ends there."""

    def table(self, key: str) -> TableSpec:
        """Return the table spec for ``key`` or raise :class:`TemplateError` listing valid keys."""
        for table in self.tables:
            if table.key == key:
                return table
        raise TemplateError(f"template {self.id!r} has no table {key!r}; tables: {[t.key for t in self.tables]}")


def _parse_table(raw: dict[str, object]) -> TableSpec:
    cols = tuple(
        ColumnSpec(c["key"], c["label"], tuple(c.get("aliases", ())), c.get("kind", "count"), tuple(c.get("path", ())),
                   tuple(c.get("header_words", ())), tuple(c.get("vocabulary", ())))
        for c in raw["cols"]  # type: ignore[union-attr]
    )
    all_cols = tuple(c.key for c in cols)
    rows = tuple(
        RowSpec(
            key=r["key"], label=r["label"], number=r.get("number", ""), cols=tuple(r.get("cols", all_cols)),
            aliases=tuple(r.get("aliases", ())), path=tuple(r.get("path", ())), group=r.get("group"),
            block=r.get("block"), leaf=bool(r.get("leaf", False)), replaces=tuple(r.get("replaces", ())),
        )
        for r in raw["rows"]  # type: ignore[union-attr]
    )
    identities = tuple(
        Identity(i["id"], i["per"], tuple(i["left"]), tuple(i["right"]), i.get("class", "structural"), i.get("text", ""),
                 i.get("relation", "eq"))
        for i in raw.get("identities", ())  # type: ignore[union-attr]
    )
    blocks = tuple(BlockSpec(b["key"], b["caption"], tuple(b["cols"])) for b in raw.get("blocks", ()))  # type: ignore[union-attr]
    return TableSpec(
        key=raw["key"], heading=raw.get("heading", ""), heading_keywords=tuple(raw.get("heading_keywords", ())),  # type: ignore[arg-type]
        rows=rows, cols=cols, identities=identities, blocks=blocks,
        row_groups=tuple(raw.get("row_groups", ())), col_groups=tuple(raw.get("col_groups", ())),  # type: ignore[arg-type]
        content_start=tuple(raw.get("content_start", ())), content_required=tuple(raw.get("content_required", ())),  # type: ignore[arg-type]
        header_run=str(raw.get("header_run", "")),
    )


@cache
def get_template(template_id: str) -> Template:
    """Load one template from the package data (cached).

    Raises
    ------
    TemplateError
        ``template_id`` is unknown or its data file is malformed.
    """
    if template_id not in TEMPLATE_IDS:
        raise TemplateError(f"unknown template {template_id!r}; known: {list(TEMPLATE_IDS)}")
    path = resources.files("gxparse") / "templates" / f"{template_id}.json"
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
        tables = tuple(_parse_table(t) for t in raw["tables"])
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise TemplateError(f"malformed template data {path}: {exc}") from exc
    detect = {k: tuple(v) for k, v in raw.get("detect", {}).items()}
    patterns = {k: tuple(v) for k, v in raw.get("detect_patterns", {}).items()}
    return Template(raw["id"], raw.get("name", ""), tables, detect, hashlib.sha256(text.encode()).hexdigest()[:16], patterns,
                    _year_span(raw.get("report_years", "")), tuple(raw.get("closing_sections", ())))


@cache
def unit_words() -> tuple[str, ...]:
    """The words the templates' unit columns print (``条``, ``件``, ``人次``, ``元``…), in template order, each once.

    A count cell of a real copy may print one after its number (``12件``), so the scanner reads them as the
    boundary of a value (:mod:`gxparse.scan`); the legacy list reads them as its unit cells (:mod:`gxparse.legacy`).
    """
    words = (w for t in TEMPLATE_IDS for table in get_template(t).tables for col in table.cols
             if col.kind == "unit" for w in col.vocabulary)
    return tuple(dict.fromkeys(words))


def _year_span(text: str) -> tuple[int | None, int | None]:
    """``"2019-2020"`` → (2019, 2020); ``"2021-"`` → (2021, None); ``""`` → (None, None)."""
    first, _, last = text.partition("-")
    return (int(first) if first.strip() else None, int(last) if last.strip() else None)


def templates_digest() -> str:
    """A short hash of all template files: models record it to detect template drift."""
    joined = "".join(get_template(t).digest for t in TEMPLATE_IDS)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
