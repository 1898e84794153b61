"""The exact shortcuts of the legacy indicator list's finder and reader give what the plain computations give.

Each test pins one mechanism against the computation it replaced: the content share of a piece and a
label from kept character sets and weights against summing the weights afresh (the same floats, summed
in the same order), and the gate of printed labels read until enough are seen against counting them all.
"""

from __future__ import annotations

from pathlib import Path

from gxparse import labels, legacy, legacy_labels
from gxparse.labels import label_keys
from gxparse.normalize import label_key, normalize_text

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"
LEGACY_DEV = ("r011.txt", "r019.txt", "r210.txt", "r213.txt", "seed001.txt")


def _legacy_pieces() -> list[str]:
    """The keys of the white-space separated words of the dev corpus's legacy reports: labels, headers, prose."""
    words = []
    for name in LEGACY_DEV:
        words += normalize_text((DEV / name).read_text(encoding="utf-8")).text.split()
    return [k for k in dict.fromkeys(label_key(w) for w in words) if k]


def test_kept_content_shares_equal_summing_the_weights_afresh() -> None:
    weight = legacy_labels._character_weights()
    unseen = legacy_labels._unseen_weight()

    def plain(key: str, label: str) -> float:
        piece_chars, label_chars = set(key), set(label)
        shared = sum(weight.get(ch, unseen) for ch in piece_chars & label_chars)
        label_total = sum(weight.get(ch, unseen) for ch in label_chars)
        piece_total = sum(weight.get(ch, unseen) for ch in piece_chars)
        return max(shared / label_total if label_total else 0.0, shared / piece_total if piece_total else 0.0)

    labels = [k for row in legacy.legacy_spec().rows for k in label_keys(row)]
    keys = _legacy_pieces()[:600] + labels + ["条", "数数数", "政府信息公开"]
    for key in keys:
        for label in labels:
            assert legacy_labels._content_share(key, label) == plain(key, label)


def test_the_printed_label_gate_equals_counting_every_printed_label() -> None:
    texts = [normalize_text(p.read_text(encoding="utf-8")).text for p in sorted(DEV.glob("*.txt"))]
    labels = sorted({x for row in legacy.legacy_spec().rows for x in (row.label, *row.aliases)})
    texts += ["", labels[0], labels[0] * 3, labels[0] + labels[1], "主动公开文件数政府网站公开数"]
    for text in texts:
        squashed = legacy._WHITESPACE.sub("", text)
        plain = len(set(legacy._printed_labels().findall(squashed))) >= legacy.MIN_PRINTED_LABELS
        assert legacy._prints_labels(squashed) == plain


def test_a_piece_scored_against_all_rows_at_once_equals_each_row_alone() -> None:
    rows = legacy.legacy_spec().rows
    pieces = _legacy_pieces()[:150] + ["（三）政府信息公开申请数", "3.其他", "", "条", "主动公开文件数条其中:"]
    for piece in pieces:
        kept_before = {row: labels._scores_of(row).get(piece) for row in rows}
        together = labels.score_piece_rows(piece, rows)
        alone = [labels._score_piece(piece, row) if kept_before[row] is None else kept_before[row] for row in rows]
        assert together == alone, piece
        assert [labels.score_piece(piece, row) for row in rows] == together  # and kept as score_piece reads them
