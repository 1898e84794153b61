"""Evaluate the template's accounting identities (勾稽关系) on parsed tables.

Each identity instance (one column, one row, or one group) yields one :class:`~gxparse.Check`
(``level`` ``printed`` or ``structural``: the table must satisfy it; ``soft``: a plausibility check):
``pass``, ``fail``, or ``not_assessable`` when its total cell is blank or missing, or when every
addend is blank. A blank addend counts as 0, as in the corpus annotations. Checks read values;
they never change one.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Literal

from gxparse.report import Cell, Check, Table
from gxparse.template import Identity, TableSpec

# Absolute tolerance of every identity: values are counts and amounts printed with at most four
# decimals (万元), so sums that differ by less than a millionth are float noise, not a failure.
IDENTITY_TOLERANCE = 1e-6
Status = Literal["pass", "fail", "not_assessable"]


def identity_status(left: Sequence[float | None], right: Sequence[float | None],
                    relation: str = "eq") -> tuple[Status, float | None, float | None]:
    """Evaluate ``Σ left = Σ right`` (or ``≤``): the one place where identity arithmetic is done.

    A blank (``None``) addend counts as 0; the identity is not assessable when a total is blank
    or every addend is. Returns the status and both sums (``None`` when not assessable).
    """
    if not left or not right or None in right or left.count(None) == len(left):
        return "not_assessable", None, None
    lsum = float(sum([v or 0 for v in left]))  # lists, not generators: a report checks hundreds of instances
    rsum = float(sum([v or 0 for v in right]))
    holds = lsum <= rsum + IDENTITY_TOLERANCE if relation == "le" else math.isclose(lsum, rsum, abs_tol=IDENTITY_TOLERANCE)
    return ("pass" if holds else "fail"), lsum, rsum


def identity_sign(left: Sequence[float | None], right: Sequence[float | None]) -> int:
    """``+1`` when ``Σ left = Σ right`` passes, ``-1`` when it fails, ``0`` when it is not assessable: what
    :func:`identity_status` says of an equality, without its sums (the placer's decoding counts these in
    its inner loop). The sums skip blank and zero addends, which add nothing (``v or 0`` in that function)."""
    if not left or not right or None in right or all(v is None for v in left):
        return 0
    return 1 if math.isclose(float(sum([v for v in left if v])), float(sum([v for v in right if v])),
                             abs_tol=IDENTITY_TOLERANCE) else -1


_Address = tuple[str, str]
"""A cell of a table: its row and column keys (printed ``row.col`` in a check)."""


def _instances(ident: Identity, table: Table, cols: list[str]) -> list[tuple[str, list[_Address], list[_Address]]]:
    """Expand an identity into ``(scope, left cells, right cells)`` instances (``cols``: the table's
    columns in order of first appearance, the scopes of a per-column identity)."""
    if ident.per == "col":
        return [(col, [(r, col) for r in ident.left if r in table.rows], [(r, col) for r in ident.right if r in table.rows])
                for col in cols]
    return [(row, [(row, c) for c in ident.left if c in cells], [(row, c) for c in ident.right if c in cells])
            for row, cells in table.rows.items()]


def _new_check(ident: Identity, table: str, scope: str, status: Status, lsum: float | None, rsum: float | None,
               cells: tuple[str, ...], formula: str) -> Check:
    """``Check(ident.id, table, scope, status, lsum, rsum, cells, ident.cls, formula=…, description=…)``, made
    without the frozen dataclass's ``__init__`` (one guarded ``object.__setattr__`` per field; a report
    has hundreds of checks). The fields are stored one by one in their order into the new instance's ``__dict__``:
    a fifth faster than one ``update`` from keyword arguments, which builds a dict of them first (measured)."""
    check = object.__new__(Check)
    fields = check.__dict__
    fields["id"] = ident.id
    fields["table"] = table
    fields["scope"] = scope
    fields["status"] = status
    fields["left"] = lsum
    fields["right"] = rsum
    fields["cells"] = cells
    fields["level"] = ident.cls
    fields["formula"] = formula
    fields["description"] = ident.text
    return check


_Instance = tuple[Identity, str, list[_Address] | None, int, tuple[str, ...], str]
"""An identity instance to evaluate: its identity, scope, its left cells then its right ones (``None`` when one
of them is absent from the table's shape: the instance is not assessable), how many are left cells, the cells'
names (``table.row.col``) and the identity's formula."""
PLANS_KEPT = 256
"""Instance lists kept, by table spec and the shape of the table's rows (oldest out first): the tables of one
template print the same rows and columns in almost every report, so their identities expand to the same
instances, names and formulas again (a plan holds a few hundred short strings)."""
_plans: OrderedDict[tuple[object, ...], tuple[TableSpec, list[_Instance]]] = OrderedDict()
_plans_lock = threading.Lock()  # parses may run in threads (dask's threaded scheduler)


def _instance_plan(spec: TableSpec, table: Table) -> list[_Instance]:
    """The identity instances of ``spec`` on a table of ``table``'s key and shape (its rows and each row's columns,
    in order), without the columns of text (unit) and the instances missing a side: what :func:`check_table`
    evaluates. A function of the spec and that shape alone, so kept (:data:`PLANS_KEPT`; the spec is held with its
    plan, so its ``id`` names no other spec while the entry lives)."""
    shape = (id(spec), table.key, tuple(table.rows), *map(tuple, table.rows.values()))
    kept = _plans.get(shape)
    if kept is not None and kept[0] is spec:
        return kept[1]
    text_cols = {c.key for c in spec.cols if c.kind == "unit"}
    cols = list(dict.fromkeys(c for row in table.rows.values() for c in row))
    key = table.key
    plan: list[_Instance] = []
    for ident in spec.identities:
        formula = ident.formula
        for scope, left, right in _instances(ident, table, cols):
            if (ident.per == "col" and scope in text_cols) or not left or not right:
                continue
            cells = left + right
            present = all(c in table.rows[r] for r, c in cells)
            plan.append((ident, scope, cells if present else None, len(left), tuple([f"{key}.{r}.{c}" for r, c in cells]),
                         formula))
    with _plans_lock:
        _plans[shape] = (spec, plan)
        while len(_plans) > PLANS_KEPT:  # oldest first
            _plans.popitem(last=False)
    return plan


def check_table(spec: TableSpec, table: Table) -> list[Check]:
    """Return one :class:`Check` per identity instance of ``spec`` on ``table``.

    An instance with a cell absent is not assessable; the others read their cells' values (``None`` for a cell that
    holds no number) in one comprehension, left and right together (a report checks thousands of cells: the loop's
    own time was most of checking, profiled). Which cells are absent is a matter of the table's shape, so its plan
    (:func:`_instance_plan`) tells, not a ``KeyError`` per instance."""
    checks = []
    rows, key = table.rows, table.key
    for ident, scope, cells, n_left, names, formula in _instance_plan(spec, table):
        if cells is None:
            status, lsum, rsum = "not_assessable", None, None
        else:
            values = [v if isinstance(v := rows[row][col].value, (int, float)) else None for row, col in cells]
            status, lsum, rsum = identity_status(values[:n_left], values[n_left:], ident.relation)
        checks.append(_new_check(ident, key, scope, status, lsum, rsum, names, formula))
    return checks


def values_balance(spec: TableSpec, rows: dict[str, dict[str, object]]) -> bool:
    """Whether plain ``{row: {col: value}}`` values satisfy every non-soft identity of ``spec``.

    This is the ``balanced`` field of the annotation format: a blank addend counts as 0 and an
    identity whose total is blank is skipped.
    """
    table = Table(spec.key, {r: {c: Cell(v, "", None) for c, v in cols.items()} for r, cols in rows.items()})  # type: ignore[arg-type]
    return all(c.status != "fail" for c in check_table(spec, table) if c.level != "soft")
