"""Read a PDF's text layer with pdfium, laid out as pdfplumber lays out pdfminer's characters.

pdfplumber reads characters through pdfminer, a pure-Python interpreter of the page's content
stream: about 0.15 s a page for a report whose tables are drawn as thousands of path operators,
0.8 s for the five pages of a typical report. pdfium (C++, through pypdfium2, which pdfplumber
itself depends on) reads the same characters in a few milliseconds. This module rebuilds, from
pdfium's characters, the boxes pdfminer gives them, and hands them to pdfplumber's own text layout
(:func:`pdfplumber.utils.chars_to_textmap`, what ``Page.extract_text()`` calls), so the text is
pdfplumber's, read faster.

The boxes follow pdfminer's ``LTChar``: a horizontal character spans its advance from the pen
position and, vertically, from the font's descent (below the baseline) to one font size above it;
a character of a vertical font (``Identity-V``) spans one font size across and its vertical
advance down. pdfium gives the pen position, the advance (its loose box) and the text matrix; the
descent is the font descriptor's (pdfium's), or pdfminer's built-in metrics for the standard fonts
named in :data:`pdfminer.fontmetrics.FONT_METRICS` (pdfminer uses those whatever the descriptor
says). Where pdfium's reading cannot be made pdfminer's, :func:`pdfium_page_texts` returns None
and the caller reads the file with pdfplumber:

- a rotated page, or a character drawn rotated or mirrored (pdfplumber lays those out apart);
- a character without a Unicode mapping (pdfminer writes ``(cid:N)``, pdfium something else);
- a text object pdfium dropped (it leaves out text drawn twice at about the same place, the
  "fake bold" of some producers, which pdfminer keeps).

Known differences that remain: a font whose descriptor gives no descent (pdfminer takes 0,
pdfium the font program's), and the advance of a few glyphs whose width pdfium reads from the
font program rather than the ``/W`` array, can move a box by a fraction of a point; the text
changes only where that moves two characters across pdfplumber's 3-point tolerances.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

from gxparse.errors import InputTooLargeError

_EMPTY_UTF16_BYTES = 2  # FPDFTextObj_GetText's length of an empty text: the UTF-16 terminator
_FONT_NAME_BYTES = 256
_SURROGATES = (0xD800, 0xDFFF)  # UTF-16 halves: pdfium gives a character beyond the BMP as two
_UPRIGHT_ANGLE_SIN = 1e-6  # |b|, |c| of the text matrix below this: the character is not rotated


class _Unreadable(Exception):
    """pdfium's reading of a page cannot be made the reading pdfplumber would give."""


def pdfium_page_texts(data: bytes, max_pages: int, label: str) -> list[str] | None:
    """Return each page's text as pdfplumber's ``Page.extract_text()`` would, read through pdfium.

    Parameters
    ----------
    data : bytes
        The PDF file.
    max_pages : int
        :attr:`~gxparse.limits.Limits.max_pdf_pages`; a longer PDF raises InputTooLargeError.
    label : str
        The input's name in messages.

    Returns
    -------
    list of str or None
        One text per page; None when pypdfium2 or pdfplumber is missing, pdfium cannot open the
        file, or a page holds something whose pdfminer reading pdfium cannot reproduce (see the
        module docstring): the caller then reads the file with pdfplumber.

    Raises
    ------
    InputTooLargeError
        If the PDF has more than ``max_pages`` pages.
    """
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
        from pdfplumber.utils import chars_to_textmap
    except ImportError:
        return None
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if len(document) > max_pages:
            raise InputTooLargeError(f"{label} is a PDF of {len(document):,} pages, more than the "
                                     f"limit of {max_pages:,} (gxparse.limits max_pdf_pages)")
        texts = []
        for index in range(len(document)):
            page = document[index]
            try:
                chars, bbox = _page_chars(raw, page)
            finally:
                page.close()
            width, height = bbox[2] - bbox[0], bbox[3] - bbox[1]
            texts.append(chars_to_textmap(chars, layout_bbox=bbox, layout_width=width,
                                          layout_height=height).as_string if chars else "")
        return texts
    except (_Unreadable, pdfium.PdfiumError):
        return None
    finally:
        document.close()


def _page_chars(raw: Any, page: Any) -> tuple[list[dict[str, Any]], tuple[float, float, float, float]]:
    """The characters of ``page`` as pdfplumber's char dicts, and the page's bbox in their coordinates."""
    if page.get_rotation() % 360:
        raise _Unreadable("rotated page")
    left, bottom, right, top = page.get_mediabox()
    textpage = raw.FPDFText_LoadPage(page.raw)
    if not textpage:
        raise _Unreadable("no text page")
    try:
        _check_no_text_object_dropped(raw, page.raw, textpage)
        chars = list(_chars(raw, textpage, left, top))
    finally:
        raw.FPDFText_ClosePage(textpage)
    return chars, (0.0, 0.0, right - left, top - bottom)


def _check_no_text_object_dropped(raw: Any, page: Any, textpage: Any) -> None:
    """Raise _Unreadable if a text object of the page gave pdfium's text page no character.

    pdfium leaves out an object it takes for a copy of one just drawn (and one whose codes it
    cannot decode, extent zero); pdfminer reads both. An object holding only white space is
    left to pdfplumber too, though it would read the same: the test cannot tell them apart.
    """
    for obj in _page_objects(raw, page):
        if (raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_TEXT
                and raw.FPDFTextObj_GetText(obj, textpage, None, 0) <= _EMPTY_UTF16_BYTES):
            raise _Unreadable("text object without characters in pdfium's text page")


def _page_objects(raw: Any, page: Any) -> Iterator[Any]:
    """Every object of ``page``, those inside form XObjects included (iteratively)."""
    pending = [raw.FPDFPage_GetObject(page, i) for i in reversed(range(raw.FPDFPage_CountObjects(page)))]
    while pending:
        obj = pending.pop()
        yield obj
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_FORM:
            pending.extend(raw.FPDFFormObj_GetObject(obj, i)
                           for i in reversed(range(raw.FPDFFormObj_CountObjects(obj))))


class _FontMetrics:
    """Per font (by pdfium handle): pdfminer's descent, as a fraction of the font size, and whether it writes vertically."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._known: dict[int | None, tuple[float, bool]] = {}

    def of(self, text_object: Any, unicode: int) -> tuple[float, bool]:
        font = self._raw.FPDFTextObj_GetFont(text_object)
        key = ctypes.cast(font, ctypes.c_void_p).value
        if key not in self._known:
            self._known[key] = (self._descent(font), self._is_vertical(font, unicode))
        return self._known[key]

    def _descent(self, font: Any) -> float:
        from pdfminer.fontmetrics import FONT_METRICS

        name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        self._raw.FPDFFont_GetBaseFontName(font, name, _FONT_NAME_BYTES)
        standard = FONT_METRICS.get(name.value.decode("latin-1"))
        if standard is not None:
            return float(standard[0]["Descent"]) / 1000
        descent = ctypes.c_float()
        if not self._raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent):
            raise _Unreadable("font without metrics")
        return -abs(descent.value)  # pdfminer makes a positive /Descent negative

    def _is_vertical(self, font: Any, unicode: int) -> bool:
        """pdfium gives a vertical font's glyph its vertical advance, which is negative (``/W2``, ``/DW2``)."""
        advance = ctypes.c_float()
        return bool(self._raw.FPDFFont_GetGlyphWidth(font, unicode, ctypes.c_float(1.0), advance)) and advance.value < 0


def _chars(raw: Any, textpage: Any, page_left: float, page_top: float) -> Iterator[dict[str, Any]]:
    """Yield pdfplumber char dicts (pdfminer's boxes) for the characters pdfium read from ``textpage``."""
    fonts = _FontMetrics(raw)
    loose = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    for index in range(raw.FPDFText_CountChars(textpage)):
        if raw.FPDFText_IsGenerated(textpage, index):
            continue  # a space or line break pdfium inferred, not in the content stream
        unicode = raw.FPDFText_GetUnicode(textpage, index)
        if not unicode or _SURROGATES[0] <= unicode <= _SURROGATES[1] or raw.FPDFText_HasUnicodeMapError(textpage, index):
            raise _Unreadable("character without a Unicode mapping, or beyond the BMP (pdfium splits it in two)")
        raw.FPDFText_GetMatrix(textpage, index, matrix)
        if (abs(matrix.b) > _UPRIGHT_ANGLE_SIN or abs(matrix.c) > _UPRIGHT_ANGLE_SIN
                or matrix.a <= 0 or matrix.d <= 0):
            raise _Unreadable("rotated or mirrored character")
        font_size = raw.FPDFText_GetFontSize(textpage, index)
        text_object = raw.FPDFText_GetTextObject(textpage, index)
        if not text_object:
            raise _Unreadable("character without a text object")
        descent, vertical = fonts.of(text_object, unicode)
        raw.FPDFText_GetCharOrigin(textpage, index, origin_x, origin_y)
        raw.FPDFText_GetLooseCharBox(textpage, index, loose)
        if vertical:  # pdfium's origin is the box's lower left corner; its loose box is not scaled
            x0, x1 = origin_x.value, origin_x.value + font_size * matrix.a
            y0 = origin_y.value
            y1 = y0 + abs(loose.top - loose.bottom) * matrix.d
            size = x1 - x0
        else:
            x0, x1 = loose.left, loose.right
            y0 = origin_y.value + descent * font_size * matrix.d
            y1 = y0 + font_size * matrix.d
            size = y1 - y0
        char_top, char_bottom = page_top - y1, page_top - y0
        yield {"text": chr(unicode), "x0": x0 - page_left, "x1": x1 - page_left, "top": char_top,
               "bottom": char_bottom, "doctop": char_top, "upright": True, "width": x1 - x0,
               "height": char_bottom - char_top, "size": size}
