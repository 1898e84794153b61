"""Honest confidence for a glued cut that nothing in the copy decides.

A glued run (``0-228396`` under 上一年项目数量 | 本年增/减 | 处理决定数量) can often be cut in several
ways that read the same items into the same cells, pass every check the chosen cut passes (the row's
own sums, the table's column identities, no sign in a column that prints none; a row's soft bound is none) and differ only in
how many digits each cell gets: 0 | -22 | 8396 and 0 | -228 | 396. The classifier then chooses by
the magnitudes and cross-column habits it learned from its training reports, and its posterior can
put 0.9999 on one cut that the copy does not support any better than the other. Such a cell must
not leave the parser at confidence ≈ 1 without a flag.

**The rule.** The *rival cuts* of a row's chosen reading are its other scored candidates that are
not negligible (:data:`gxparse.place.NEGLIGIBLE_LOGP`), drop and infer exactly what it does, cut
some glued run differently, and fail no check it passes (:func:`rival_cuts`) — the table's column identities
included, with the other rows as read or with one row that shares an identity with it read as one of its own
such cuts: two rows cut alike the other way (``6335255`` = 33 | 5 | 255 or 3 | 35 | 255 in both a row and its
total row) keep the identities between them as well as the chosen pair does. Each cell's
confidence is at most the share of the chosen reading and its rivals that read that cell alike,
each counted once (:func:`with_rival_cuts`): what the copy and the checks leave open is not
narrowed by a learned preference, and a cell that two rivals read otherwise carries
:data:`RIVAL_CUT_FLAG`. A cell that every rival reads alike keeps its confidence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gxparse.features import SIGNED_COLUMNS
from gxparse.ir import Candidate, RowProblem

__all__ = ["RIVAL_CUT_FLAG", "cut_alike", "rival_cuts", "with_rival_cuts"]

RIVAL_CUT_FLAG = "cut_ambiguous"
"""Flag of a cell that a rival cut of its row's glued run reads otherwise (:func:`with_rival_cuts`)."""


def rival_cuts(choice: int, cands: Sequence[Candidate], kept: Sequence[bool], row: RowProblem,
               identity_score: Callable[[int], int], joint_score: Callable[[int], int] | None = None) -> list[int]:
    """The indices of the rival cuts of candidate ``choice`` among ``cands`` (see the module docstring).

    ``kept[c]``: candidate ``c`` is not negligible; ``identity_score(c)``: the table's column identity
    score with the row read as ``c`` (higher is better); ``joint_score(c)``: the best such score with the
    row read as ``c`` and one row sharing an identity with it read as one of its own rival cuts, or the first
    as good as the chosen reading's (asked only for a cut that loses identities alone).
    """
    chosen = cands[choice]
    if not any(reading.split for reading in chosen.readings):
        return []
    held = _checks(chosen, row)
    chosen_score: int | None = None
    out = []
    for c, cand in enumerate(cands):
        if c == choice or not kept[c] or not cut_alike(chosen, cand, row, held):
            continue
        if chosen_score is None:
            chosen_score = identity_score(choice)
        if identity_score(c) < chosen_score and (joint_score is None or joint_score(c) < chosen_score):
            continue
        out.append(c)
    return out


def cut_alike(chosen: Candidate, cand: Candidate, row: RowProblem, held: Sequence[bool] | None = None) -> bool:
    """Whether ``cand`` reads ``row`` as ``chosen`` does but for where it cuts a glued run: it drops, ignores
    and infers the same, reads some cell otherwise and fails no row check ``chosen`` passes (``held``:
    ``chosen``'s checks, when known)."""
    if _shape(cand) != _shape(chosen) or cand.readings == chosen.readings:
        return False
    held = _checks(chosen, row) if held is None else held
    return not any(was and not now for was, now in zip(held, _checks(cand, row)))


def _shape(cand: Candidate) -> tuple[object, ...]:
    """What a rival cut shares with the chosen reading: the items it drops, the blanks it ignores, the cells it infers."""
    return cand.dropped, cand.ignored_blanks, sum(1 for r in cand.readings if r.kind == "missing")


def _checks(cand: Candidate, row: RowProblem) -> list[bool]:
    """Whether ``cand`` passes each check of its row: each row sum identity (blanks 0), and for each column
    that prints no sign, that its value is not negative.

    A row's bound (``le``: 本年新公开数量 ≤ 对外公开总数量, a legacy row's current ≤ cumulative) is no check
    here: the templates class them soft, and a copy can print past one (``规章0150`` for 0 | 15 | 0), so a
    cut that breaks it stays a rival and the cells it reads otherwise are not left at 0.9999 by it; the
    classifier and the decoding still weigh it."""
    values = cand.values
    out = []
    for constraint in row.constraints:
        if constraint.relation != "eq":
            continue  # a row's bound is a soft plausibility (I-B2-1, I-C1-3): the copy may print past it
        parts = sum(values[p] or 0 for p in constraint.parts)
        total = values[constraint.total] or 0
        out.append(abs(parts - total) < 1e-6 if constraint.relation == "eq" else parts <= total + 1e-6)
    out += [col in SIGNED_COLUMNS or not (isinstance(v, (int, float)) and v < 0) for col, v in zip(row.cols, values)]
    return out


def with_rival_cuts(chosen: Candidate, rivals: Sequence[Candidate], confidence: Sequence[float],
                    flags: Sequence[tuple[str, ...]]) -> tuple[tuple[float, ...], tuple[tuple[str, ...], ...]]:
    """``confidence`` capped at each cell's share of the readings (``chosen`` and its ``rivals``, once each) that
    read it alike, and ``flags`` with :data:`RIVAL_CUT_FLAG` on each cell a rival reads otherwise."""
    readings = [chosen.readings, *(rival.readings for rival in rivals)]
    conf, out_flags = [], []
    for j, (mine, p, f) in enumerate(zip(chosen.readings, confidence, flags)):
        agree = sum(1 for other in readings if mine.reads_as(other[j]))
        share = agree / len(readings)
        conf.append(min(p, share))
        out_flags.append(f + (RIVAL_CUT_FLAG,) if agree < len(readings) else f)
    return tuple(conf), tuple(out_flags)

