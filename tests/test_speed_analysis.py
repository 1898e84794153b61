"""The analysis stage's shortcuts give what the plain computations give (speed must not change outputs).

The full-output comparison is ``tests/test_output_identity.py``; these tests pin the mechanisms: the
label score's bound (:func:`gxparse.labels.score_bound`) is never below the score, and the value-line
cuts keep the anchored cut's found rows (which lets :mod:`gxparse.layouts.value_lines` skip them
where the cut-apart reading finds more).
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gxparse.ir import LayoutRegion
from gxparse.labels import label_keys, score_bound, score_piece
from gxparse.layouts.base import anchored, region_mode, scanned
from gxparse.normalize import normalize_text
from gxparse.parser import analyze
from gxparse.segments import segment_flowed
from gxparse.sources import read_source
from gxparse.template import get_template
from gxparse.value_line_align import segment_aligned

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


def test_a_long_prose_piece_is_bounded_below_a_label_match() -> None:
    # the bound's purpose: a sentence is far too long to name a row well, whatever its words
    prose = "2020年,本机关主动公开政府信息共计125条,其中通过政府网站公开98条,通过政务微博公开20件,其他方式公开7"
    rows = get_template("legacy").table("legacy_indicators").rows
    assert score_bound(prose, [(key, bool(row.number)) for row in rows for key in label_keys(row)]) < 88.0


def test_value_line_cuts_keep_the_anchored_cuts_found_rows(dev_dir: Path) -> None:
    cuts = 0
    for gold in sorted(dev_dir.glob("*.json")):
        path = dev_dir / json.loads(gold.read_text(encoding="utf-8"))["input"]
        src = read_source(path)
        analysis = analyze(normalize_text(src.text).text, kind=src.kind)
        for spec, region, _ in analysis.tables.values():
            layout = LayoutRegion(analysis.text, region, spec, src.kind)
            mode = region_mode(layout)
            exact = src.kind == "html"
            base, items = anchored(layout, mode, exact_cells=exact), scanned(layout, mode, exact_cells=exact)
            for cut in (segment_flowed(spec, base, items), segment_aligned(spec, base, items)):
                if cut is not None:
                    cuts += 1
                    assert cut.matched == base.matched
    assert cuts  # the dev corpus prints value lines (PDF text layers)
