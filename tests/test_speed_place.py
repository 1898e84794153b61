"""The placer's fast paths give what the plain computations give (speed must not change outputs).

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the features
every candidate of a row shares, made once a row (:func:`gxparse.features._row_base`), against their
definitions written out for each candidate, with bounds and sums read from the row's constraints as given.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse import features, place
from gxparse.candidates import enumerate_candidates
from gxparse.features import FEATURE_NAMES, RowContext, row_features
from gxparse.ir import Candidate, Item, RowConstraint
from gxparse.template import get_template


def _plain_row_features(cand: Candidate, items: list[Item], ctx: RowContext) -> dict[str, float]:
    """The reference for the features the row base and the row's hoisted constraints and columns give: each
    written out from its definition for one candidate (as the feature writers computed them per candidate)."""
    k = len(cand.readings)
    trailing = sum(1 for it in items if it.kind == "blank" and "trailing" in it.flags)
    visible = len(items) - trailing
    digits = sum(sum(ch.isdigit() for ch in it.text) for it in items if it.kind == "num")
    values, cols = cand.values, ctx.cols
    f = {"single_glued_item": float(visible == 1 and k > 1), "digits_eq_k": float(digits == k),
         "seg_items_eq_k": float(visible == k), "seg_surplus": float(max(-3, min(3, visible - k))),
         "visible_plus_trailing_eq_k": float(visible < k <= visible + trailing), "one_col_row": float(k == 1)}
    failed = sum(1 for c in ctx.constraints if c.relation == "le" and values[c.total] is not None
                 and sum(values[p] or 0 for p in c.parts) > values[c.total])
    totals = [c for c in ctx.constraints if c.relation == "eq"]
    ok = na = 0
    for c in totals:
        total = values[c.total]
        if total is None:
            na += 1
        elif sum(v or 0 for v in (values[p] for p in c.parts)) == total:
            ok += 1
        else:
            failed += 1
    f["row_id_ok"] = float(ok)
    f["row_id_na"] = float(na) if totals else 1.0
    f["row_id_fail_without_signs"] = float(failed)
    if "current" in cols and "cumulative" in cols:
        current, cumulative = values[cols.index("current")], values[cols.index("cumulative")]
        both = isinstance(current, (int, float)) and isinstance(cumulative, (int, float))
        f["prior_cumulative_lt_current"] = float(both and cumulative < current)  # type: ignore[operator]
    return f


_TOKENS = st.sampled_from(["0", "5", "12", "05", "100", "3007", "7.5", "—", "", "trailing"])
_TABLES = st.sampled_from([
    ("applications", tuple(c.key for c in get_template("gov2021").table("applications").cols)),
    ("active_disclosure", ("issued", "repealed", "in_force")),
    ("legacy_indicators", ("current", "cumulative")),
    ("legacy_indicators", ("cumulative", "current")),
    ("review_litigation", ("one",)),
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, min_size=1, max_size=6), _TABLES, st.sampled_from(["none", "eq", "le", "both"]))
def test_row_base_and_hoisted_constraints_equal_the_features_written_per_candidate(
        tokens: list[str], table: tuple[str, tuple[str, ...]], relations: str) -> None:
    key, cols = table
    items = []
    for n, token in enumerate(tokens):
        flags = (token,) if token == "trailing" else ()
        text = "" if flags else token
        kind = "num" if text[:1].isdigit() else "ph" if text else "blank"
        items.append(Item(kind, text, 10 * n, 10 * n + len(text), 0, flags))
    parts = tuple(range(len(cols) - 1))
    constraints: tuple[RowConstraint, ...] = ()
    if len(cols) > 1 and relations != "none":
        constraints = tuple(RowConstraint(parts, len(cols) - 1, relation)
                            for relation in (("eq", "le") if relations == "both" else (relations,)))
    cands = enumerate_candidates(items, len(cols), constraints)
    ctx = RowContext(key, "x", cols, constraints, place.load_model().meta.get("priors", {}))
    matrix = row_features(cands, items, ctx)
    fail = FEATURE_NAMES.index("row_id_fail")
    for cand, got in zip(cands, matrix):
        plain = _plain_row_features(cand, items, ctx)
        for name, value in plain.items():
            if name != "row_id_fail_without_signs":
                assert got[FEATURE_NAMES.index(name)] == value, name
        # (the plus signs and changes below zero that add to the failures: none among these tokens and columns)
        assert got[fail] == plain["row_id_fail_without_signs"]
        # a row's base is copied, never written through: each candidate's features are its own
        assert list(got) == features.candidate_features(cand, items, ctx)
