"""The typed intermediate representation that flows between location and placement.

One leaf module holds every type the middle of the pipeline passes on, so that no stage owns
another stage's types: location gives a :class:`Region` (and a :class:`TemplateDecision`),
a layout handler (:mod:`gxparse.layouts`) sees it as a :class:`LayoutRegion`, scans it into
:class:`Item` objects and segments them into a :class:`Segmentation`: a :class:`TableProblem` of
:class:`RowProblem` rows, candidate enumeration reads them as :class:`Candidate` tuples of
:class:`Reading` cells, and a placer answers with one :class:`RowPlacement` per row. All are
frozen; this module imports nothing of the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from gxparse.template import Identity, TableSpec
from gxparse.values import parse_value

ItemKind = Literal["text", "num", "ph", "blank"]
ReadingKind = Literal["num", "ph", "blank", "missing"]


@dataclass(frozen=True)
class Region:
    """A located table region: ``text[start:end]``, after its heading."""

    table: str
    heading_start: int
    start: int
    end: int
    truncated: bool


@dataclass(frozen=True)
class LayoutRegion:
    """A located table region as the layout handlers see it.

    ``text`` is the whole normalised report (item spans are offsets into it), ``region`` where the
    table ``spec`` is printed, and ``kind`` the source kind (``html``: every pipe cell is a real
    table cell). ``readings`` caches what the handlers derive from the region (its scans, its
    anchored segmentation), so that handlers which read it the same way share the work; the
    region never changes, so neither do they.
    """

    text: str
    region: Region
    spec: TableSpec
    kind: str = "text"
    readings: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The lines of the region's text, empty ones included."""
        return tuple(self.text[self.region.start:self.region.end].split("\n"))


@dataclass(frozen=True)
class TemplateDecision:
    """The template generation of a report, the labels that decided it, and whether they were clear.

    ``posterior`` is the probability of ``template`` given the evidence, when it was weighed.
    """

    template: str | None
    evidence: tuple[str, ...]
    clear: bool
    posterior: float | None = None


@dataclass(frozen=True)
class Item:
    """One scanned item with its span in the normalised text and its line number."""

    kind: ItemKind
    text: str
    start: int
    end: int
    line: int
    flags: tuple[str, ...] = field(default=())

    @property
    def numbering_next(self) -> bool:
        """True for a ``num`` item glued to a following ``.`` + label (``30000036.属于…``)."""
        return "numbering_next" in self.flags


@dataclass(frozen=True)
class Reading:
    """What one cell of a candidate reads: a source substring, or a blank/missing cell."""

    kind: ReadingKind
    raw: str = ""
    start: int | None = None
    end: int | None = None
    item: int | None = None
    split: bool = False

    @cached_property
    def value(self) -> int | float | None:
        """The number this reading denotes (``None`` for blanks, placeholders and missing cells)."""
        return parse_value(self.raw) if self.kind == "num" else None

    def reads_as(self, other: Reading) -> bool:
        """Whether ``other`` reads this cell alike: the same kind of cell from the same source text."""
        return other is self or (other.kind, other.raw, other.start) == (self.kind, self.raw, self.start)


@dataclass(frozen=True)
class Candidate:
    """One placement of a segment's items into ``k`` cells, plus what it had to assume."""

    readings: tuple[Reading, ...]
    dropped: tuple[int, ...]
    ignored_blanks: tuple[int, ...]

    @cached_property
    def values(self) -> tuple[int | float | None, ...]:
        """The values of the cells in column order."""
        return tuple(r.value for r in self.readings)


@dataclass(frozen=True)
class RowConstraint:
    """An identity inside one row: ``cells[total] = Σ cells[parts]`` (indices into the row), or
    ``Σ cells[parts] ≤ cells[total]`` when ``relation`` is ``le`` (a legacy row's current year
    never exceeds its cumulative count)."""

    parts: tuple[int, ...]
    total: int
    relation: str = "eq"


@dataclass(frozen=True)
class RowProblem:
    """One row to fill: its key, value columns, source items and internal identities."""

    key: str
    cols: tuple[str, ...]
    items: list[Item]
    constraints: tuple[RowConstraint, ...] = ()
    unit: str | None = None
    """The money unit the row's printed label names (``政府集中采购(元)``) for an amount cell that prints
    none (:func:`gxparse.priors.with_label_units`); ``None`` when it names none."""


@dataclass(frozen=True)
class TableProblem:
    """A table to fill: its rows in order and the identities that link rows (per column)."""

    table: str
    rows: list[RowProblem]
    identities: tuple[Identity, ...] = ()


@dataclass(frozen=True)
class OwnerDoubt:
    """A value line ``line`` (as printed) that row ``owner`` or row ``other`` could own, the other row then
    printed blank, with nothing in the source to tell which (a line of zeros between two labels): the
    cut gave it to ``owner``; the report warns and marks both rows' cells doubtful."""

    line: str
    owner: str
    other: str


@dataclass(frozen=True)
class Segmentation:
    """The rows of one table with their items, and how they were cut.

    ``labels`` maps a row to its label as printed, ``matched`` holds the rows whose label was
    found, ``mode`` names the cut (``anchored``, ``flowed``, ``aligned``, ``pinned``, ``single_row``, ``legacy``);
    legacy tables add the ``units`` printed after their labels and the ``unread`` indicators
    that are not in the template.
    """

    problem: TableProblem
    labels: dict[str, str]
    matched: set[str]
    mode: str
    units: dict[str, Item] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)
    """For an anchored cut: the index, among the scanned items, of each found row's label piece."""
    doubts: tuple[OwnerDoubt, ...] = ()
    """Value lines the cut gave to one of two rows the source does not tell apart (see :class:`OwnerDoubt`)."""
    unit_conflicts: dict[str, str] = field(default_factory=dict)
    """For a legacy table: the rows whose values print a unit other than their unit column's (``件`` beside
    ``3万元``), each with the unit(s) its values print. The values are read as printed and flagged."""


@dataclass(frozen=True)
class RowPlacement:
    """The chosen readings of one row, with per-cell confidence and flags.

    ``alternatives`` holds, for a doubtful row (a cell below ``place.DOUBTFUL_CONFIDENCE``), the other
    candidate readings of its source with their posterior, best first, so that an identity across
    reports (:mod:`gxparse.links`) can choose among them later.
    """

    readings: tuple[Reading, ...]
    confidence: tuple[float, ...]
    flags: tuple[tuple[str, ...], ...] = field(default=())
    alternatives: tuple[tuple[tuple[Reading, ...], float], ...] = field(default=())
