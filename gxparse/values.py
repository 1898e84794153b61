"""Read one cell's source text as a value: numbers, decimals, signed changes, units, placeholders.

Blank, placeholder and zero are different facts: a blank cell and a placeholder (``—``, ``/``,
``无`` …) read as ``None`` while the raw text is kept by the caller; only a printed ``0`` is 0.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NUMBER = re.compile(r"^(?P<sign>[减減]少?|增加?|[+-])?(?P<int>\d+)(?:\.(?P<frac>\d+))?(?P<unit>万元|元)?$")


PARSE_CACHE_SIZE = 1 << 14
"""Distinct cell texts whose values are kept: the candidates of a row read the same few substrings
again and again (one of its cells, cut a few ways), and rows printed alike recur across reports."""


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_value(raw: str) -> int | float | None:
    """Return the number printed in ``raw``, or ``None`` for a blank or a placeholder.

    Examples
    --------
    >>> parse_value("52.29"), parse_value("-18"), parse_value("减4"), parse_value("251000元")
    (52.29, -18, -4, 251000)
    >>> parse_value("————") is None, parse_value("") is None, parse_value("0")
    (True, True, 0)
    >>> parse_value("１，２４７"), parse_value("減4")   # as printed: full-width, traditional
    (1247, -4)
    """
    m = _NUMBER.match(unicodedata.normalize("NFKC", raw).strip().replace(",", ""))
    if not m:
        return None
    negative = (m.group("sign") or "").startswith(("-", "减", "減"))
    if m.group("frac") is not None:
        number: int | float = float(f"{m.group('int')}.{m.group('frac')}")
    else:
        number = int(m.group("int"))
    return -number if negative else number
