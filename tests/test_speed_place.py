"""The placer's fast paths give what the plain computations give (speed must not change outputs).

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the features
every candidate of a row shares, made once a row (:func:`gxparse.features._row_base`), against their
definitions written out for each candidate, with bounds and sums read from the row's constraints as given; the
readings and candidates made without ``__init__`` against the dataclasses'; :func:`gxparse.candidates.may_cut` and
the row signature's item shapes against their definitions written as one expression.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse import candidates, features, place
from gxparse.candidates import enumerate_candidates, may_cut
from gxparse.features import FEATURE_NAMES, RowContext, row_features
from gxparse.ir import Candidate, Item, Reading, RowConstraint, RowProblem, TableProblem
from gxparse.scan import GROUPED_RUN
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


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["num", "ph", "blank", "missing"]), st.sampled_from(["", "0", "12", "-3", "7.5", "3.5万元", "—"]),
       st.integers(0, 99), st.integers(0, 9), st.one_of(st.none(), st.integers(0, 5)), st.booleans())
def test_readings_and_candidates_made_without_init_equal_the_dataclasses(kind: str, raw: str, start: int, width: int,
                                                                          item: int | None, split: bool) -> None:
    made = candidates._new_reading(kind, raw, start, start + width, item, split)  # type: ignore[arg-type]
    plain = Reading(kind, raw, start, start + width, item, split)  # type: ignore[arg-type]
    assert made == plain and made.value == plain.value and vars(made) == vars(plain)
    cand = candidates._candidate((made, made), (made.value, made.value), (1,), (2,))
    plain_cand = Candidate((plain, plain), (1,), (2,))
    assert cand == plain_cand and cand.values == plain_cand.values and vars(cand) == vars(plain_cand)


_ITEM_TEXTS = st.sampled_from(["0", "5", "12", "05", "1,234", "+12", "-3", "3.5万元", "7.5", "—", "——", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ITEM_TEXTS, st.integers(-2, 3), st.integers(0, 1), st.sampled_from([(), ("thousands",),
                                                                                             (GROUPED_RUN,)])),
                max_size=6))
def test_may_cut_and_row_shapes_equal_their_definitions(specs: list[tuple[str, int, int, tuple[str, ...]]]) -> None:
    items, at = [], 0
    for text, gap, line, flags in specs:  # a gap below 0 overlaps the item before (a shape the copy can make)
        kind = "num" if text[-1:].isdigit() or text.endswith("元") else "ph" if text else "blank"
        items.append(Item(kind, text, at + gap, at + gap + len(text), line, flags))
        at += gap + len(text)
    plain_cut = any(it.kind == "num" and len(it.text) > 1 and (m := candidates._splittable(it)) is not None
                    and len(m.group("digits")) - m.group("digits").count(",") > 1 for it in items)
    assert may_cut(items) == plain_cut
    row = RowProblem("x", ("a", "b"), items)
    line = items[0].line if items else 0
    plain_shape = tuple((it.kind, it.text, it.end - it.start, (it.start > b.end) - (it.start < b.end),
                         (b.start > it.end) - (b.start < it.end), it.line - line, it.flags)
                        for it, b in zip(items, [items[0], *items[:-1]] if items else []))
    assert place._row_signature(TableProblem("applications", [row]), row, 6)[-1] == plain_shape
