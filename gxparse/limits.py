"""The resource limits every input is held to, in one place.

A batch over tens of thousands of downloaded reports meets files no person would write: a
20 MB "text" file, a DOCX whose XML expands a thousandfold, an HTML table with ``rowspan=1000``
on every cell, a 500-page PDF, a table row of thousands of numbers. Each reader checks the
matching limit *before* doing the expensive work and raises
:class:`~gxparse.errors.InputTooLargeError` (or drops the excess with a warning on the report,
where the rest of the input is still worth reading), so that one such file costs seconds and
megabytes, not minutes and gigabytes.

The defaults are generous for real reports (the largest dev and wild reports use well under a
tenth of each) and tight enough that the hostile inputs of the reliability suite each finish in
under a second.

**Worst case** (``scripts/worst_case.py``, CPU of one warm parse). Each table row costs at most a
constant: the candidate search's node budgets and kept candidates (:mod:`gxparse.candidates`; at most
``max_row_items`` items, a number of at most 64 digits), so time grows linearly with the rows and the
value tokens. A row whose numbers hold more than 8 digits per cell (every number of a report a long digit
run, a table of IDs) is no printed row and is searched under a tenth or less of the budgets
(:data:`~gxparse.candidates.LONG_DIGIT_BUDGETS`, with a warning where they may cut its readings short): the
dev report ``seed004.txt`` with every number 8 / 20 / 64 digits takes 57–90 ms, ``r004.txt`` 78 / 200 / 84 ms
(its 20-digit form: 22 rows of one 20-digit run under 7 cells, no long-digit row, 3 digits a cell being a printed
glued row's: each row keeps its 400 candidates, featurised and scored), the legacy indicator list ``r011.txt``
24–53 ms, and ``seed004.txt`` with every number 24 numbers of 64 digits (412 kB, cut to ``max_text_chars``) 0.2 s.
A PDF at ``max_pdf_pages`` of the dev PDF's pages takes ~0.3 s as they are and turned (pages pdfium cannot lay
out; see ``max_pdf_laid_out_pages``, ``max_pdfminer_pages``). A DOCX
body is parsed by lxml at ~6 ms a MB, so it is held to ``max_docx_body_bytes`` (a 64 MB body took 0.48 s).
Measured on 2026-12-02 (session 15) on a 2-core machine whose timings swing by ±30 % with the host's load
(a busier day measured two to three times these figures): every input above stays under 0.5 s.

Change them for the whole process with :func:`set_limits`, or for a block with
:func:`limits_override`::

    >>> from gxparse.limits import limits_override
    >>> with limits_override(max_pdf_pages=500):      # doctest: +SKIP
    ...     report = gxparse.parse_file("long.pdf")

Limits belong to a process: batch workers started by ``fork`` (the default on Linux) inherit
the parent's, workers started otherwise (``spawn``, a Dask cluster) have the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from gxparse.errors import InputTooLargeError


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds on what one input may cost.

    Attributes
    ----------
    max_input_bytes : int
        Bytes of a file, of ``bytes`` given to :func:`gxparse.parse`, or UTF-8 bytes of a ``str``.
        Annual reports are at most a few MB (PDFs with images included).
    max_docx_uncompressed_bytes : int
        Sum of the declared uncompressed sizes of a DOCX archive's members, checked before
        anything is decompressed (a "ZIP bomb" declares gigabytes in a few KB).
    max_docx_body_bytes : int
        Declared uncompressed size of a DOCX's body (``word/document.xml``), checked before it is parsed:
        lxml parses ~6 ms a MB of it (measured: a body of 16 / 64 / 190 MB in under 4,000 paragraphs took
        0.2 / 0.48 / 1.2 s to parse and read), and a report's body is at most a few MB (its images are
        other members); 32 MB keeps a parse under ~0.3 s.
    max_docx_paragraphs : int
        Paragraphs of a DOCX body, each table cell's included, counted before they are read:
        python-docx reads ~40 µs a paragraph and ~100 µs a table cell (a 40 KB DOCX of 100,000
        short paragraphs took 7.5 s), and a report's body holds a few hundred (its table 三 ~200
        cells); 4,000 cost at most ~0.4 s.
    max_pdf_pages : int
        Pages of a PDF. Annual reports have 3–40; a longer PDF is a compilation or not a report.
        Loading a page in pdfium costs ~2.5 ms of CPU warm (the dev PDF's pages, tables drawn as
        paths), laying out its text as pdfplumber does ~5 ms more (its characters ~3.5 ms, one text
        object each, pdfplumber's layout ~1.3 ms), reading it through pdfminer 20–130 ms: the layout
        limits below keep a PDF at this limit under 0.5 s. Pages of scanned images cost less.
    max_pdf_laid_out_pages : int
        Pages of a PDF whose text is laid out as pdfplumber lays it out. A PDF of at most this many
        pages is laid out whole; a longer one lays out the first this many pages whose own pdfium
        text shows table rows (two lines or more ending in a number) and keeps pdfium's own text of
        the others, with a warning. 20: four times the pages of the dev PDF, and three times the
        ~6,200 characters of the longest real report of the dev and wild corpora at the dev PDF's
        ~560 characters a page; the dev PDF's pages repeated to the 100 pages of ``max_pdf_pages``
        then cost ~0.45 s instead of ~0.9 s.
    max_pdfminer_pages : int
        Pages laid out that pdfium cannot read as pdfminer would (a rotated page, text drawn twice as
        "fake bold", see :mod:`gxparse.pdf_chars`), read through pdfminer (20–130 ms a page of the dev
        PDF: the dev pages turned, repeated to 100 pages, cost 9 s). The others keep pdfium's own
        text, with a warning; on such PDFs it reads the tables as well as pdfminer or better: of the
        dev PDF's 186 cells, the dev pages turned and repeated read 0 otherwise (pdfminer's reading
        loses all 186), ``tests/pdf_builder.py``'s copy of the dev text drawn in fake bold 0 (109),
        and turned 4 (177).
    max_html_grid_cells : int
        Slots of all HTML tables once ``rowspan``/``colspan`` are expanded. A report's tables
        have a few hundred slots (at most 410 in the HTML reports of the dev corpus and the
        diagnosis sets); expanding and reading costs 3–5 µs a slot (0.5–0.75 s at the former
        200,000), so 50,000 (120 times the most seen) costs at most ~0.25 s.
    max_text_chars : int
        Characters of the text handed to the parser after reading and extraction; longer text is
        cut, with a warning (the statistical tables of a report come in its first pages). The
        longest real report of the dev and wild corpora (84) has ~6,200 characters, a PDF of the
        dev PDF's pages at the ``max_pdf_pages`` limit ~53,000; the parser reads ~0.5–1.2 µs a
        character (a text of dev reports or of rows of long digit runs: ~1 s at the former
        2,000,000), so 200,000 (30 times the longest report) costs at most ~0.3 s.
    max_row_items : int
        Value items one table row may hold before placement; a printed row has at most a few
        dozen (7 columns of table 3, some glued), so the rest are dropped with a warning.
    """

    max_input_bytes: int = 20_000_000
    max_docx_uncompressed_bytes: int = 200_000_000
    max_docx_body_bytes: int = 32_000_000
    max_docx_paragraphs: int = 4_000
    max_pdf_pages: int = 100
    max_pdf_laid_out_pages: int = 20
    max_pdfminer_pages: int = 1
    max_html_grid_cells: int = 50_000
    max_text_chars: int = 200_000
    max_row_items: int = 64


_current = Limits()


def get_limits() -> Limits:
    """Return the limits in force in this process."""
    return _current


def set_limits(**changes: int) -> Limits:
    """Change some limits for the whole process; return the previous limits.

    Raises
    ------
    TypeError
        For a name that is not a field of :class:`Limits`.
    ValueError
        For a limit that is not a positive integer.
    """
    global _current
    for name, value in changes.items():
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"limit {name} must be a positive integer, not {value!r}")
    previous, _current = _current, replace(_current, **changes)
    return previous


@contextmanager
def limits_override(**changes: int) -> Iterator[Limits]:
    """Apply :func:`set_limits` inside a ``with`` block and restore the previous limits after it."""
    previous = set_limits(**changes)
    try:
        yield _current
    finally:
        set_limits(**{name: getattr(previous, name) for name in changes})


def check_input_bytes(n_bytes: int, what: str = "the input") -> None:
    """Raise InputTooLargeError if ``n_bytes`` exceeds :attr:`Limits.max_input_bytes`."""
    limit = _current.max_input_bytes
    if n_bytes > limit:
        raise InputTooLargeError(f"{what} is {n_bytes:,} bytes, more than the limit of {limit:,} bytes "
                                 "(gxparse.limits.set_limits(max_input_bytes=...))")
