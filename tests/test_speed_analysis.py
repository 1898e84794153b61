"""The analysis stage's shortcuts give what the plain computations give (speed must not change outputs).

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the
label score's bound (:func:`gxparse.labels.score_bound`) is never below the score, the best score
found through it is the plain maximum, and the value-line cuts keep the anchored cut's found rows
(which lets :mod:`gxparse.layouts.value_lines` skip them where the cut-apart reading finds more).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse.labels import best_score, label_keys, score_bound, score_piece
from gxparse.template import get_template

_ROWS = tuple(row for template in ("legacy", "gov2021", "gov2019") for table in get_template(template).tables
              for row in table.rows if label_keys(row))  # a one-row table (四) is found by its header
_LABELS = sorted({text for row in _ROWS for text in (row.label, *row.aliases)})
_CHARS = "".join(sorted({ch for label in _LABELS for ch in label})) + "0123456789,。、()(一)1. 条件"


def _pieces() -> st.SearchStrategy[str]:
    """Label-like pieces: a label or alias, cut, wrapped in other text or numbered; or any text of label characters."""
    label = st.sampled_from(_LABELS)
    noise = st.text(alphabet=_CHARS, max_size=60)
    return st.one_of(
        label,
        st.tuples(noise, label, noise).map("".join),
        st.tuples(st.sampled_from(["", "(一)", "1.", "二、", "(三)"]), label).map("".join),
        st.tuples(label, st.integers(0, 6), st.integers(0, 6)).map(lambda t: t[0][t[1]:len(t[0]) - t[2]]),
        noise,
    )


@settings(max_examples=300, deadline=None)
@given(_pieces(), st.sampled_from(_ROWS))
def test_score_bound_is_never_below_the_score(piece: str, row) -> None:
    bound = score_bound(piece, [(key, bool(row.number)) for key in label_keys(row)])
    assert score_piece(piece, row) <= bound


@settings(max_examples=100, deadline=None)
@given(_pieces(), st.sampled_from(["legacy", "gov2021"]))
def test_best_score_is_the_plain_maximum(piece: str, template: str) -> None:
    rows = [row for table in get_template(template).tables for row in table.rows if label_keys(row)]
    assert best_score(piece, rows) == max(score_piece(piece, row) for row in rows)


def test_a_long_prose_piece_is_bounded_below_a_label_match() -> None:
    # the bound's purpose: a sentence is far too long to name a row well, whatever its words
    prose = "2020年,本机关主动公开政府信息共计125条,其中通过政府网站公开98条,通过政务微博公开20件,其他方式公开7"
    rows = get_template("legacy").table("legacy_indicators").rows
    assert score_bound(prose, [(key, bool(row.number)) for row in rows for key in label_keys(row)]) < 88.0
