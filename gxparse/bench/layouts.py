"""Tag a real report with the shape of its tables, so accuracy can be broken down by layout.

A ``layout`` key in the gold annotation wins (synthetic reports always have one, some dev
annotations too, e.g. ``spaced`` for r207/r208). Otherwise the tag comes from this heuristic on
the input file, using the names of :data:`gxparse.synth.LAYOUTS` where one fits:

1. by file name: ``.html``/``.htm`` → ``html``; ``.md`` → ``markdown``; ``.pdf`` or a name with
   ``.pdftext.`` → ``pdf_text``;
2. otherwise the *table zone* is read: 1500 characters from the first table header
   (申请人情况, 信息内容 or 指标名称, spaces allowed between the characters); no header →
   ``no_table``;
3. if the zone has at most 3 non-empty lines the cells run inline: ``space_rows`` when at least
   a quarter of its digit runs are followed by white space and another digit, else ``glued``
   (r207, which glues most cells and spaces a few, would be ``glued`` here; its gold says ``spaced``);
4. else each line votes: ≥ 2 ``|`` with a digit → ``pipe_rows``; a single value (number or
   placeholder, optional trailing ``|``) → ``cell_per_line``; ≥ 2 numbers separated by white
   space → ``space_rows``; the most voted wins (``unknown`` when no line votes).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ZONE_CHARS = 1500
SPACED_SHARE = 0.25
_ANCHORS = ("申请人情况", "申請人情況", "信息内容", "信息內容", "指标名称", "指標名稱")
_ANCHOR_RE = re.compile("|".join(r"\s*".join(map(re.escape, a)) for a in _ANCHORS))
_SPACED_DIGITS = re.compile(r"\d[ \t\u3000\xa0]+\d")
_VALUE = r"(?:[-+]?\d[\d,]*(?:\.\d+)?|—+|-+|/|无|無)"
_SINGLE_VALUE = re.compile(rf"^{_VALUE}?\s*\|?$")
_DIGIT_RUN = re.compile(r"\d+")
_NUMBER_TOKEN = re.compile(r"(?<![\d.])[-+]?\d[\d,]*(?:\.\d+)?(?![\d.])")


def layout_of_name(path: Path) -> str | None:
    """The layout implied by the file name alone, or ``None``."""
    name = path.name.lower()
    if path.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    if path.suffix.lower() in (".md", ".markdown"):
        return "markdown"
    if path.suffix.lower() == ".pdf" or ".pdftext." in name:
        return "pdf_text"
    return None


def _line_vote(line: str) -> str | None:
    if line.count("|") >= 2 and any(ch.isdigit() for ch in line):
        return "pipe_rows"
    if _SINGLE_VALUE.match(line) and line.strip("| "):
        return "cell_per_line"
    if line.count("|") < 2 and len(_NUMBER_TOKEN.findall(line)) >= 2 and _SPACED_DIGITS.search(line):
        return "space_rows"
    return None


def layout_of_text(text: str) -> str:
    """The layout of a report's text, by the rules 2–4 of this module's docstring."""
    anchor = _ANCHOR_RE.search(text)
    if anchor is None:
        return "no_table"
    zone = text[anchor.start(): anchor.start() + ZONE_CHARS]
    lines = [line.strip() for line in zone.splitlines() if line.strip()]
    if len(lines) <= 3:
        runs = len(_DIGIT_RUN.findall(zone))
        return "space_rows" if runs and len(_SPACED_DIGITS.findall(zone)) >= SPACED_SHARE * runs else "glued"
    votes = Counter(v for v in map(_line_vote, lines) if v)
    return votes.most_common(1)[0][0] if votes else "unknown"


def infer_layout(path: str | Path) -> str:
    """Return the layout tag of the report file ``path`` (``"unreadable"`` if it cannot be read)."""
    path = Path(path)
    by_name = layout_of_name(path)
    if by_name:
        return by_name
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return "unreadable"
    return layout_of_text(text)
