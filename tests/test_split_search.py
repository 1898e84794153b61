"""The decision of consistent splits (gxparse.split_search): exactly the readings the identity-enforced
search finds when its budget does not run out, found beyond that budget, and the search skipped when
there are none."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from gxparse import candidates
from gxparse.candidates import ENFORCED_BUDGET, MAX_CANDIDATES, _Search, enumerate_candidates
from gxparse.ir import Item, RowConstraint
from gxparse.split_search import STATE_CAP, consistent_candidates, readings_bound

UNBOUNDED = 10**9


def _total_of_the_rest(k: int) -> tuple[RowConstraint, ...]:
    return (RowConstraint(tuple(range(k - 1)), k - 1),)


def _items(tokens: list[str]) -> list[Item]:
    """Items of a row as the scanner gives them: numbers and placeholders apart, blanks as empty cells."""
    out, at = [], 0
    for token in tokens:
        kind = "blank" if token == "" else "ph" if token == "—" else "num"
        out.append(Item(kind, token, at, at + len(token), 0))
        at += len(token) + 1
    return out


def _random_row(rng: random.Random, k: int) -> list[str]:
    """A row whose total usually adds up (sometimes not), glued into runs at random, with blanks,
    placeholders and stray numbers among them."""
    parts = [rng.choice([0, 0, rng.randint(0, 9), rng.randint(0, 99), rng.randint(0, 999)]) for _ in range(k - 1)]
    cells = [str(p) for p in parts] + [str(sum(parts))]
    if rng.random() < 0.3:
        cells[rng.randrange(k)] = str(rng.randint(0, 99))
    tokens, at = [], 0
    while at < k:
        glued = rng.choice([1, 1, 2, 3, k])
        if rng.random() < 0.1:
            tokens.append(rng.choice(["", "—", str(rng.randint(1, 30))]))
        tokens.append("".join(cells[at:at + glued]))
        at += glued
    return tokens


def _decide(items: list[Item], k: int, search: _Search):
    runs = [d if m and not (m["sign"] or m["tail"] or m["unit"]) else None for d, m in zip(search.digits, search.parsed)]
    return consistent_candidates(items, k, search.constraints, runs, search._reading, search._whole_readings,
                                 limit=UNBOUNDED)


@pytest.mark.parametrize("seed", range(4))
def test_the_decision_finds_exactly_the_readings_of_the_unbounded_enforced_search(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        k = rng.choice([2, 3, 4, 5, 7])
        items = _items(_random_row(rng, k))
        search = _Search(items, k, _total_of_the_rest(k))
        search.run(enforce=True, allow_missing=False, budget=UNBOUNDED)
        decided = _decide(items, k, _Search(items, k, _total_of_the_rest(k)))
        assert decided is not None
        assert {c.readings: c for c in decided} == {c.readings: c for c in search.found.values()}, [it.text for it in items]


def test_a_consistent_split_beyond_the_enforced_budget_is_found() -> None:
    # a stray number on the line before the row (a page number), and the row's last cells glued into one run
    items = [Item("num", "3453", 0, 4, 0)] + [replace(it, line=1) for it in _items(["", "2911", "57", "9353", "1908689311915"])[1:]]
    wanted = (2911, 57, 93, 53, 1908, 6893, 11915)
    search = _Search(items, 7, _total_of_the_rest(7))
    search.run(enforce=True, allow_missing=False, budget=ENFORCED_BUDGET)
    assert search.nodes >= ENFORCED_BUDGET and not search.found  # the enumeration alone runs out
    assert wanted in {c.values for c in _decide(items, 7, _Search(items, 7, _total_of_the_rest(7)))}
    assert wanted in {c.values for c in enumerate_candidates(items, 7, _total_of_the_rest(7))}


def test_rows_without_a_consistent_split_skip_the_enforced_searches_and_read_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    for _ in range(20):
        items = _items(["".join(str(rng.randint(1, 9)) for _ in range(16))])
        search = _Search(items, 7, _total_of_the_rest(7))
        if _decide(items, 7, search) != []:
            continue
        decided = enumerate_candidates(items, 7, _total_of_the_rest(7))
        monkeypatch.setattr(candidates._Search, "decide_consistent", lambda self, always=False, state_cap=None: None)
        enumerated = enumerate_candidates(items, 7, _total_of_the_rest(7))
        monkeypatch.undo()
        assert decided == enumerated


def test_the_decision_declines_what_it_does_not_cover() -> None:
    items = _items(["1234", "5678"])
    search = _Search(items, 3, (RowConstraint((0,), 2),))  # an identity over some of the cells only
    assert _decide(items, 3, search) is None
    signed = [Item("num", "-12", 0, 3, 0), Item("num", "3", 4, 5, 0)]
    assert _decide(signed, 2, _Search(signed, 2, _total_of_the_rest(2))) is None  # a sign
    long_run = _items(["".join(str(1 + i % 9) for i in range(64))])
    assert _decide(long_run, 7, _Search(long_run, 7, _total_of_the_rest(7))) is None  # > STATE_CAP partial sums
    assert readings_bound(["9" * 64], 7) > STATE_CAP


def test_readings_bound_is_an_upper_bound_on_the_readings() -> None:
    rng = random.Random(3)
    for _ in range(40):
        k = rng.choice([2, 3, 5, 7])
        tokens = [str(rng.randint(1, 10**rng.randint(1, 6))) for _ in range(rng.randint(1, 4))]
        search = _Search(_items(tokens), k, ())
        search.run(enforce=False, allow_missing=False, budget=UNBOUNDED)
        assert len(search.found) <= readings_bound(tokens, k) or len(search.found) >= MAX_CANDIDATES
