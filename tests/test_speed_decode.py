"""The placer's decoding, the parser's cells and kept label scores give what the plain computations give.

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the
identity term's headroom never falls below what changing its rows gains (so the ascents may skip
changes it rules out), the decoding with that skip equals the decoding without it, the failing
identities kept from the signs are the ones :func:`~gxparse.validate.identity_status` finds, a
cell made without the dataclass's ``__init__`` equals the dataclass's cell, and a label score kept
by its two keys is the score computed afresh.
"""

from __future__ import annotations

from dataclasses import replace
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse import place
from gxparse.ir import Candidate, Reading, RowProblem, TableProblem
from gxparse.parser import _new_cell
from gxparse.report import Cell
from gxparse.template import Identity
from gxparse.validate import identity_status

_COLS = ("a", "b", "c")
_KEYS = ("total", "x", "y", "z")
_IDENTITIES = (Identity("T1", "col", ("x", "y"), ("total",), "structural"),
               Identity("T2", "col", ("z", "absent_row"), ("x",), "structural"),
               Identity("B1", "col", ("z",), ("y",), "structural", relation="le"),
               Identity("R1", "row", ("a",), ("b",), "structural"))
_VALUE = st.sampled_from([None, 0, 1, 2, 3, 5])


def _problem(keys: tuple[str, ...] = _KEYS) -> TableProblem:
    return TableProblem("t", [RowProblem(key, _COLS, [], ()) for key in keys], _IDENTITIES)


def _candidate(cells: list[int | None]) -> Candidate:
    return Candidate(tuple(Reading("missing") if v is None else Reading("num", str(v)) for v in cells), (), ())


@st.composite
def _scored_rows(draw: st.DrawFn) -> list[place._Scored]:
    """Four rows of one to five candidates each, with log-probabilities in decreasing order (as the placer ranks them)."""
    rows = []
    for _ in _KEYS:
        cands = draw(st.lists(st.lists(_VALUE, min_size=3, max_size=3), min_size=1, max_size=5))
        logp = sorted(draw(st.lists(st.floats(-15.0, 0.0), min_size=len(cands), max_size=len(cands))), reverse=True)
        rows.append(place._Scored([_candidate(c) for c in cands], logp))
    return rows


def _decode_without_skips(problem: TableProblem, scored: list[place._Scored], weight: float) -> tuple[list[int], int]:
    """The decoding with no change ruled out: every headroom large enough never to skip one."""
    with mock.patch.object(place._IdentityTerm, "headroom", lambda self, rows: 10**9):
        term = place._decode(problem, scored, weight)
    return term.choice, term.total


@settings(max_examples=300, deadline=None)
@given(_scored_rows(), st.sampled_from([0.5, place.IDENTITY_WEIGHT, 10.0]), st.booleans())
def test_decoding_with_skips_equals_decoding_without(scored: list[place._Scored], weight: float,
                                                     repeated_key: bool) -> None:
    problem = _problem(("total", "x", "x", "z") if repeated_key else _KEYS)  # a repeated key: the full-count path
    term = place._decode(problem, scored, weight)
    assert (term.choice, term.total) == _decode_without_skips(problem, scored, weight)


def _term_at_a_drawn_choice(problem: TableProblem, scored: list[place._Scored],
                            data: st.DataObject) -> place._IdentityTerm:
    """The identity term of ``problem`` at a choice of one candidate per row drawn by ``data``."""
    return place._IdentityTerm(problem, scored, [data.draw(st.integers(0, len(row.candidates) - 1)) for row in scored])


@settings(max_examples=300, deadline=None)
@given(_scored_rows(), st.data())
def test_headroom_bounds_what_changing_its_rows_gains(scored: list[place._Scored], data: st.DataObject) -> None:
    term = _term_at_a_drawn_choice(_problem(), scored, data)
    r1, r2 = data.draw(st.integers(0, 3)), data.draw(st.integers(0, 3))
    c1 = data.draw(st.integers(0, len(scored[r1].candidates) - 1))
    c2 = data.draw(st.integers(0, len(scored[r2].candidates) - 1))
    assert term.with_row(r1, c1) <= term.total + term.headroom((r1,))
    assert term.with_rows({r1: c1, r2: c2}) <= term.total + term.headroom((r1, r2))


@settings(max_examples=300, deadline=None)
@given(_scored_rows(), st.data())
def test_failing_identities_are_those_identity_status_finds(scored: list[place._Scored], data: st.DataObject) -> None:
    problem = _problem()
    term = _term_at_a_drawn_choice(problem, scored, data)
    grid = place._grid(problem, scored, term.choice)
    failed = [any(identity_status([grid[r][col] for r in left], [grid[r][col] for r in right], ident.relation)[0] == "fail"
                  for col in _COLS)
              for ident, (left, right) in zip(term.identities, term.sides)]
    assert term.failed == failed
    assert term.failing() == any(failed)


@given(st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(-1e6, 1e6)), st.text(max_size=6),
       st.one_of(st.none(), st.tuples(st.integers(0, 99), st.integers(0, 99))), st.floats(0.0, 1.0),
       st.lists(st.sampled_from(["glued_split", "blank_inferred", "placeholder"]), max_size=2))
def test_cells_made_fast_equal_the_dataclass_cells(value: int | float | None, raw: str, span: tuple[int, int] | None,
                                                   confidence: float, flags: list[str]) -> None:
    made = _new_cell(value, raw, span, confidence, tuple(flags))
    plain = Cell(value, raw, span, confidence, tuple(flags))
    assert made == plain and repr(made) == repr(plain) and vars(made) == vars(plain)
    assert made.to_dict() == plain.to_dict()
    assert replace(made, source_span=(1, 2)) == replace(plain, source_span=(1, 2))


def test_a_label_score_kept_for_one_row_is_the_fresh_score_for_another() -> None:
    """Rows sharing a label key (the 2019 and 2021 wordings, 其他 in many rows) share its kept scores."""
    from gxparse import labels
    from gxparse.template import get_template

    rows = [row for template in ("gov2021", "gov2019") for table in get_template(template).tables for row in table.rows
            if labels.label_keys(row)]
    pieces = ["其他", "(七)其他", "其他法律行政法规禁止公开", "本年新收政府信息公开申请数量", "总计", "不予公开"]
    fresh = [[labels._score_piece(p, row) for row in rows] for p in pieces]
    labels._score_variant.cache_clear()
    assert fresh == [[labels._score_piece(p, row) for row in rows] for p in pieces]
    kept = [[labels._score_piece(p, row) for row in rows] for p in pieces]
    assert kept == fresh and labels._score_variant.cache_info().hits > 0
