"""The regular-expression reading of an HTML document's text gives what :class:`html.parser.HTMLParser` gives.

:class:`~gxparse.html_text.HtmlTextMap` aligns the extracted text with the decoded text of the HTML and the
chunks that say where each text run and character reference starts. ``html_text._scanned_chunks`` reads
them with one regular expression (``_SCAN``) and hands a document holding markup outside what it reads to
the parser (``_parser_decoded_chunks``): wherever it reads a document, the text and chunks must be the
parser's, on the corpora's HTML, on HTML damaged as scraped copies are, on odd markup, on random tags and
on random fragments. The one-loop reader of a flat cell's text, which finds out itself that a cell is not
flat, gives the general walk's text for the cells it hands back.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from gxparse import html_text
from gxparse.synth.corpus import make_corpus
from gxparse.synth.perturb import HTML_PERTURBATIONS, perturb

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"
SYNTHETIC_SEED = 5315  # the 5xxx seeds are free for tests (9xxx are held for measurement)
SYNTHETIC_REPORTS = 6
FUZZ_SEED = 15
FUZZ_DOCUMENTS = 10000
FUZZ_MAX_PIECES = 25  # long enough to hold a tag with attributes, a comment and text around them


pytestmark = pytest.mark.skipif(
    not html_text._scanner_reads_as_parser(),
    reason="this Python's html.parser reads the probes otherwise than the scanner: every document goes to the parser")


def _parsed(html: str) -> object:
    """The parser's text and chunks, or the exception it raises (``<![foo]>`` raises AssertionError)."""
    try:
        return html_text._parser_decoded_chunks(html)
    except Exception as exc:  # noqa: BLE001 - any exception: the scanner must not read such a document
        return type(exc)


def _assert_scanned_as_parsed(html: str) -> bool:
    """Assert the scanner reads ``html`` as the parser does, or not at all; tell whether it read it."""
    scanned = html_text._scanned_chunks(html)
    if scanned is not None:
        assert scanned == _parsed(html), html[:200]
    return scanned is not None


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[tuple[str, dict]]:
    """The dev HTML reports and freshly rendered synthetic HTML reports, as (html, gold)."""
    out = []
    for gold_path in sorted(DEV.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if gold["input"].endswith(".html"):
            out.append(((DEV / gold["input"]).read_text(encoding="utf-8"), gold))
    d = tmp_path_factory.mktemp("html")
    make_corpus(d, SYNTHETIC_REPORTS, seed=SYNTHETIC_SEED, variants="all", layouts=("html",))
    for gold_path in sorted(d.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append(((d / gold["input"]).read_text(encoding="utf-8"), gold))
    return out


def test_the_corpora_html_is_scanned_as_the_parser_reads_it(reports) -> None:
    assert len(reports) > SYNTHETIC_REPORTS  # the dev report is among them
    for html, gold in reports:
        assert _assert_scanned_as_parsed(html), gold["input"]  # read by the scanner, not handed on


@pytest.mark.parametrize("name", sorted(HTML_PERTURBATIONS))
def test_damaged_html_is_scanned_as_the_parser_reads_it(reports, name) -> None:
    for html, gold in reports:
        _assert_scanned_as_parsed(perturb(html, gold, [name], np.random.default_rng(3)))


ODD_HTML_READ = [
    "<p>a<!-- <td>9</td> -->b<!---->c<!-- x -- >d</p>",
    "<head><title>12</title><style>td {}</style></head><body><p>3</p></body>",
    "<script>if (a < b && c > d) { x = '</td>'; }</script><p>4</p><SCRIPT type=x>5</Script >6",
    "<style>p{}</style\t><p>7</p><script>x</ſcript>y</script>z",  # a non-ASCII letter closes no script
    "<script src=a.js/>inside</script>after<script src='b'/>shown",  # "src=a.js/" is the value: not self-closing
    "<head/>shown<head>hidden<body>shown again",
    "<![CDATA[ <td>1</td> ]]>2<![if !supportLists]>3<![endif]>4<?xml version='1.0'?>5<!DOCTYPE html>6",
    "&nbsp;&nbsp &amp;x &lt&gt; &#49;&#x32;&#X33 &#0; &#x1; &unknown; &a.b; &copy3 1 & 2 && 3 &",
    "1 < 2 <3 <中 a<<b> c <",
    "<TABLE BORDER=1><TR><TD ALIGN=center>1</TD><Td>2</tD></TR></TABLE>",
    "<td title=\"a>b\" data-x='c>d' width=100% nowrap>9</td><br/><br clear=all/><p\nclass=x\n>10</p >",
    "</ div>11</>12</ 13>14</p foo='>'>15</head>16",
    "<p>unclosed <td>cells <tr>rows</table> and </td> strays</p>",
    "<o:p></o:p><st1:chsdate year=\"2020\">2020</st1:chsdate><p\u3000class=x>1</p>",  # U+3000 is in the name
]
ODD_HTML_HANDED_ON = [
    "<p>a<!-- never closed",
    "<p>a<td class=\"x\"y>1</td>",  # a quote glued to the next attribute
    "<p>&#12a; &#; x</p>",
    "<p>text &amp",  # a reference cut off at the end
    "<p>a</p><![foo]>b",  # the parser raises AssertionError
    "<p>a<td",
    "<p class=x\u3000>1</p>",  # white space a tag may not hold between its attributes here
]


@pytest.mark.parametrize("html", ODD_HTML_READ)
def test_odd_html_is_scanned_as_the_parser_reads_it(html) -> None:
    assert _assert_scanned_as_parsed(html)


@pytest.mark.parametrize("html", ODD_HTML_HANDED_ON)
def test_markup_outside_the_scanner_goes_to_the_parser(html) -> None:
    assert html_text._scanned_chunks(html) is None
    parsed = _parsed(html)
    if isinstance(parsed, type):
        with pytest.raises(parsed):
            html_text._decoded_chunks(html)
    else:
        assert html_text._decoded_chunks(html) == parsed


_FRAGMENTS = [
    "<", ">", "&", "#", ";", "/", "!", "-", "--", "?", "[", "]", '"', "'", "=", " ", "\n", "\t", "\x0b", "\u3000",
    "\x00", "a", "x", "1", "9", "F", "K", "\u017f", "\u0130", "中", "td", "p", "br", "SCRIPT", "script", "style",
    "head", "HEAD", "body", "BoDy", "amp", "nbsp", "#x41", "#65", "CDATA", "if", "endif", "doctype", ' class="c"',
    " v='x>y'", " w=1", "<!--", "-->", "<![CDATA[", "]]>", "<![if !x]>", "<![endif]>", "<?xml", "<!DOCTYPE html>",
    "</", "/>", "<script>", "</script>", "<style>", "</style >", "<head>", "</head>", "<body>", "<p>", "</p>",
    "<td>", "&nbsp;", "&#12;", "&#x4e2d;", "&amp", "&#", "&a.b", "&1",
]  # the characters and pieces the parser's patterns turn on


def test_random_fragments_are_scanned_as_the_parser_reads_them() -> None:
    rng = random.Random(FUZZ_SEED)
    read = sum(
        _assert_scanned_as_parsed("".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, FUZZ_MAX_PIECES))))
        for _ in range(FUZZ_DOCUMENTS)
    )
    assert FUZZ_DOCUMENTS // 4 < read < FUZZ_DOCUMENTS  # both ways were taken, often


_TAG_NAMES = ["td", "TD", "p", "br", "o:p", "script", "Script", "STYLE", "head", "Body", "scripts", "headx", "\u017fcript"]
_SEPARATORS = [" ", "  ", "\n", "\t", "\r\n", "\f", "\x0b", "\u3000", ""]
_VALUES = ['"a"', "'b'", "c", '"a>b"', "'x\"y'", "100%", "a/", "", '"', "'", "=x", 'a"b', ">"]
_OTHER_MARKUP = ["<!-- c -->", "<!---->", "<!-->", "<!DOCTYPE html>", "<![CDATA[a<b]]>", "<![if !x]>", "<![endif]>",
                 "<?xml ?>", "<!x>", "</>", "<!-- -- >", "<!--", "<![foo]>"]
_TEXTS = ["12", "规章", "&nbsp;", "&nbsp", "&amp", "&#49;", "&#", "&", "<", " < ", "中&文", ";", ">", "--", "]]>"]
TAG_FUZZ_SEED = 16
TAG_FUZZ_DOCUMENTS = 5000
TAG_FUZZ_MAX_PIECES = 12  # tags and texts a document holds: few enough that most documents are scanned


def _random_tag(rng: random.Random) -> str:
    """A start tag (attributes quoted, bare or broken, separators of every kind), an end tag or other markup."""
    name, kind = rng.choice(_TAG_NAMES), rng.random()
    if kind < 0.45:
        attributes = "".join(
            rng.choice(_SEPARATORS) + rng.choice(["class", "nowrap", "x", '"q', "=q", "a<b", "/"])
            + (rng.choice(["=", " = ", "= "]) + rng.choice(_VALUES) if rng.random() < 0.7 else "")
            for _ in range(rng.randint(0, 3))
        )
        return f"<{name}{attributes}{rng.choice(['', ' ', chr(10)])}{rng.choice(['>', '/>', ' />', ''])}"
    if kind < 0.8:
        return f"</{rng.choice(['', ' ', chr(0x3000)])}{name}{rng.choice(['', ' ', ' x=y', chr(11)])}{rng.choice(['>', ''])}"
    return rng.choice(_OTHER_MARKUP)


def test_random_tags_are_scanned_as_the_parser_reads_them() -> None:
    rng = random.Random(TAG_FUZZ_SEED)
    read = sum(
        _assert_scanned_as_parsed("".join(_random_tag(rng) if rng.random() < 0.55 else rng.choice(_TEXTS)
                                          for _ in range(rng.randint(1, TAG_FUZZ_MAX_PIECES))))
        for _ in range(TAG_FUZZ_DOCUMENTS)
    )
    assert TAG_FUZZ_DOCUMENTS // 5 < read < TAG_FUZZ_DOCUMENTS


def test_reference_text_is_the_unescaped_reference() -> None:
    import html as html_lib

    for reference in ["&nbsp;", "&#49;", "&#x4e2d;", "&#0;", "&#x1;", "&unknown;", "&copy;", "&a.b;"]:
        assert html_text._reference_text(reference) == html_lib.unescape(reference)


@pytest.mark.parametrize("cell_html", [
    "<td><p>1</p>2<span>a<b>b</b></span>tail</td>",  # flat children, then one with children
    "<td>x<br/><!-- c --><div><p>one</p></div></td>",
    "<td><p>1</p><p>2<br/>3</p></td>",
    "<td><p>flat</p><br/>only</td>",
])
def test_a_cell_found_not_flat_midway_reads_as_the_walk(cell_html: str) -> None:
    import lxml.html

    cell = lxml.html.fragment_fromstring(f"<table><tr>{cell_html}</tr></table>").find(".//td")
    nested = any(len(child) for child in cell)
    assert (html_text._flat_cell_raw_text(cell) is None) == nested
    pieces = html_text._pieces(cell, read_tables=False)
    assert html_text._cell_raw_text(cell) == "".join("\n" if p is html_text._BREAK else p for p in pieces)


def test_the_scanner_is_used_only_where_the_parser_reads_the_probes_alike(monkeypatch) -> None:
    html = "<p>1</p>"
    assert html_text._scanned_chunks(html) is not None  # a document the scanner reads
    assert all(html_text._scanned_chunks(doc) is not None for doc in html_text.SCANNER_PROBES)  # each probe tests
    monkeypatch.setattr(html_text, "_parser_decoded_chunks", lambda doc: ("another reading", []))  # a Python reading otherwise
    html_text._scanner_reads_as_parser.cache_clear()
    try:
        assert not html_text._scanner_reads_as_parser()
        assert html_text._decoded_chunks(html) == ("another reading", [])
    finally:
        html_text._scanner_reads_as_parser.cache_clear()
