"""Tests of gxparse.pdf_chars: pdfium's characters laid out as pdfplumber lays out pdfminer's.

Every test compares with pdfplumber reading the same file, the reading the pdfium path replaces.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gxparse.errors import InputTooLargeError
from gxparse.limits import limits_override
from gxparse.pdf_chars import pdfium_page_texts
from gxparse.sources import source_from_bytes
from tests.hostile import many_pages_pdf
from tests.pdf_builder import PdfStyle, build_pdf

pdfplumber = pytest.importorskip("pdfplumber")
pytest.importorskip("pypdfium2")

DEV_PDF = Path(__file__).parents[1] / "training_data/dev/r002.pdf"
DEV_PDF_TEXT = Path(__file__).parents[1] / "training_data/dev/r002.pdftext.txt"
LINES_PER_PAGE = 40
BOX_TOLERANCE = 1e-3  # pt: pdfium keeps coordinates as float32


def _plumber_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def _pdfium_texts(data: bytes) -> list[str | None] | None:
    """Each page's text laid out through pdfium (a PDF of at most 20 pages is laid out whole), None where unreadable."""
    read = pdfium_page_texts(data, 100, "drawn", 20)
    return None if read is None else read.texts


def _pdfium_own_text(data: bytes, index: int) -> str:
    """pdfium's own text of page ``index``, as pypdfium2 reads it, its line breaks made ``"\\n"``."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data)[index].get_textpage().get_text_range().replace("\r\n", "\n")


def _report_pages() -> list[list[str]]:
    lines = DEV_PDF_TEXT.read_text(encoding="utf-8").splitlines()
    return [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


@pytest.fixture(scope="module")
def font_program() -> bytes:
    """A TrueType font to embed, so that pdfium finds a glyph for every code (any font will do)."""
    matplotlib = pytest.importorskip("matplotlib")
    return (Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf").read_bytes()


@pytest.mark.skipif(not DEV_PDF.exists(), reason="dev corpus not present")
def test_dev_pdf_reads_as_pdfplumber_reads_it() -> None:
    data = DEV_PDF.read_bytes()
    assert _pdfium_texts(data) == _plumber_pages(data)


@pytest.mark.skipif(not DEV_PDF.exists(), reason="dev corpus not present")
def test_dev_pdf_character_boxes_are_pdfminers() -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from gxparse.pdf_chars import _page_chars

    data = DEV_PDF.read_bytes()
    document = pdfium.PdfDocument(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index, plumber_page in enumerate(pdf.pages):
            page = document[index]
            textpage = raw.FPDFText_LoadPage(page.raw)
            chars, _ = _page_chars(raw, page, textpage)
            raw.FPDFText_ClosePage(textpage)
            expected = plumber_page.chars
            assert [c["text"] for c in chars] == [c["text"] for c in expected]
            for got, want in zip(chars, expected):
                for key in ("x0", "x1", "top", "bottom"):
                    assert got[key] == pytest.approx(want[key], abs=BOX_TOLERANCE), (got["text"], key)
    document.close()


READABLE_STYLES = {
    "plain": PdfStyle(),
    "user space scaled 1/20": PdfStyle(user_scale=0.05),
    "horizontal scaling": PdfStyle(horizontal_scaling=80),
    "character and word spacing": PdfStyle(char_spacing=1.5, word_spacing=2),
    "text rise": PdfStyle(rise=2),
    "kerning": PdfStyle(kerning=True),
    "media box off the origin": PdfStyle(media_origin=(20, 30)),
    "vertical label": PdfStyle(vertical_label=True, user_scale=0.05),
    "spacing, rise and vertical label": PdfStyle(char_spacing=0.5, rise=1, vertical_label=True),
    "invisible text": PdfStyle(invisible=True),
    "uneven gaps": PdfStyle(gap_jitter=4),
}


@pytest.mark.skipif(not DEV_PDF_TEXT.exists(), reason="dev corpus not present")
@pytest.mark.parametrize("style", READABLE_STYLES.values(), ids=READABLE_STYLES.keys())
def test_drawn_report_reads_through_pdfium_as_pdfplumber_reads_it(style: PdfStyle, font_program: bytes) -> None:
    data = build_pdf(_report_pages(), style, font_program=font_program)
    texts = _pdfium_texts(data)
    assert texts is not None  # read through pdfium, not handed back
    assert texts == _plumber_pages(data)


FALLBACK_STYLES = {
    "rotated page": PdfStyle(rotate=90),
    "rotated token": PdfStyle(rotated_token=True),
    "fake bold (text drawn twice)": PdfStyle(fake_bold=True),
    "vertical label with horizontal scaling": PdfStyle(vertical_label=True, horizontal_scaling=90),
}


@pytest.mark.skipif(not DEV_PDF_TEXT.exists(), reason="dev corpus not present")
@pytest.mark.parametrize("style", FALLBACK_STYLES.values(), ids=FALLBACK_STYLES.keys())
def test_what_pdfium_cannot_reproduce_is_read_by_pdfplumber(style: PdfStyle, font_program: bytes) -> None:
    data = build_pdf(_report_pages(), style, font_program=font_program)
    n_pages = len(_report_pages())
    assert _pdfium_texts(data) == [None] * n_pages
    with limits_override(max_pdfminer_pages=n_pages):
        source = source_from_bytes(data)
    assert source.text == "\n".join(_plumber_pages(data))
    assert not source.warnings


@pytest.mark.skipif(not DEV_PDF_TEXT.exists(), reason="dev corpus not present")
def test_pages_beyond_the_pdfminer_limit_keep_pdfiums_own_text(font_program: bytes) -> None:
    """pdfminer reads the first max_pdfminer_pages of the pages pdfium cannot lay out; the others keep pdfium's text."""
    data = build_pdf(_report_pages(), PdfStyle(rotate=90), font_program=font_program)
    n_pages = len(_report_pages())
    assert n_pages > 2
    with limits_override(max_pdfminer_pages=2):
        source = source_from_bytes(data)
    pages = _plumber_pages(data)[:2] + [_pdfium_own_text(data, index) for index in range(2, n_pages)]
    assert source.text == "\n".join(pages)
    assert source.warnings == (f"{n_pages - 2} of {n_pages} PDF pages were read as pdfium's own text, not laid out "
                               f"(pages {', '.join(str(page) for page in range(3, n_pages + 1))}; gxparse.limits "
                               "max_pdf_laid_out_pages, max_pdfminer_pages)",)
    assert all(page.strip() for page in pages)


@pytest.mark.skipif(not DEV_PDF.exists(), reason="dev corpus not present")
def test_long_pdf_lays_out_only_its_first_pages_showing_table_rows() -> None:
    """Beyond max_pdf_laid_out_pages, a page is laid out only if its own text shows table rows, up to the limit."""
    import pypdfium2 as pdfium

    dev = pdfium.PdfDocument(DEV_PDF.read_bytes())
    long = pdfium.PdfDocument.new()
    long.import_pages(dev, [0, 4, 2, 4, 3, 1, 2])  # page 4 (0-based) is prose, 1–3 hold tables, 0 wraps numbers
    buffer = io.BytesIO()
    long.save(buffer)
    data = buffer.getvalue()
    read = pdfium_page_texts(data, 100, "long", 4)
    assert read is not None and not read.unreadable
    laid_out = [index for index, text in enumerate(read.texts) if text is not None]
    assert laid_out == [0, 2, 4, 5]  # the prose page left out twice, the last table page beyond the limit
    plumber = _plumber_pages(data)
    assert all(read.texts[index] == plumber[index] for index in laid_out)
    assert sorted(read.plain) == [1, 3, 6]
    assert all(read.plain[index] == _pdfium_own_text(data, index) for index in read.plain)
    assert pdfium_page_texts(data, 100, "long", 7).texts == plumber  # at most the limit: laid out whole


@pytest.mark.skipif(not DEV_PDF_TEXT.exists(), reason="dev corpus not present")
def test_only_the_page_pdfium_cannot_reproduce_is_read_by_pdfplumber(font_program: bytes) -> None:
    lines = DEV_PDF_TEXT.read_text(encoding="utf-8").splitlines()
    pages = [lines[:10], lines[10:13], lines[13:16]]  # the rotated token is drawn on a page's fourth line
    data = build_pdf(pages, PdfStyle(rotated_token=True), font_program=font_program)
    texts = _pdfium_texts(data)
    assert texts is not None and texts[0] is None
    assert texts[1:] == _plumber_pages(data)[1:]
    assert source_from_bytes(data).text == "\n".join(_plumber_pages(data))


def test_glyph_pdfium_cannot_find_is_read_by_pdfplumber() -> None:
    """A one-character object of a CJK font that is not embedded: pdfium drops it when it has no such font."""
    data = build_pdf([["2024 年 1 月", "规章 13 0 524"]])
    assert _pdfium_texts(data) in ([None], _plumber_pages(data))
    assert source_from_bytes(data).text == "\n".join(_plumber_pages(data))


def test_page_limit_is_checked_before_reading() -> None:
    with pytest.raises(InputTooLargeError, match="5 pages"):
        pdfium_page_texts(many_pages_pdf(5, lines_per_page=2), 3, "long.pdf", 20)


def test_damaged_pdf_is_handed_back() -> None:
    assert pdfium_page_texts(b"%PDF-1.4\nnot really a pdf", 100, "bad.pdf", 20) is None
