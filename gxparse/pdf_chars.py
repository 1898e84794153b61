"""Read a PDF's text layer with pdfium, laid out as pdfplumber lays out pdfminer's characters.

pdfplumber reads characters through pdfminer, a pure-Python interpreter of the page's content
stream: about 0.15 s a page for a report whose tables are drawn as thousands of path operators,
0.8 s for the five pages of a typical report. pdfium (C++, through pypdfium2, which pdfplumber
itself depends on) reads the same characters in a few milliseconds. This module rebuilds, from
pdfium's characters, the boxes pdfminer gives them, and hands them to pdfplumber's own text layout
(:func:`pdfplumber.utils.chars_to_textmap`, what ``Page.extract_text()`` calls), so the text is
pdfplumber's, read faster.

The boxes are pdfminer's ``LTChar`` boxes: a horizontal character spans its advance from the pen
position and, vertically, from the font's descent below the baseline to one font size above it; a
character of a vertical font (``Identity-V``) spans one font size across and its vertical advance
down. pdfium gives the pen position, the text matrix and font size, and the advances from the
font's widths (``/W``, ``/Widths``); the descent is the font descriptor's as pdfium reads it, or,
for the standard fonts named in :data:`pdfminer.fontmetrics.FONT_METRICS`, pdfminer's built-in
one (pdfminer uses those whatever the descriptor says). On the dev report and on the PDFs of
``tests/pdf_builder.py`` every box is pdfminer's to 1e-4 pt. Where pdfium's reading cannot be
made pdfminer's, :func:`pdfium_page_texts` names the page unreadable and the caller reads it with
pdfplumber (or takes pdfium's own text of it, beyond :attr:`~gxparse.limits.Limits.max_pdfminer_pages`):

- a rotated page, or a character drawn rotated or mirrored (pdfplumber lays those out apart);
- vertical text scaled unevenly (horizontal scaling ``Tz``: pdfium's matrix folds it in);
- a character without a Unicode mapping (pdfminer writes ``(cid:N)``, pdfium something else) or
  beyond the Basic Multilingual Plane;
- a text object that gave pdfium no character: pdfium leaves out text drawn twice at about the
  same place (the "fake bold" of some producers) and a one-glyph object of a font it cannot load
  (a CJK font not embedded, on a system without one), which pdfminer both reads.

Known differences that remain: a font whose descriptor gives no descent (pdfminer takes 0,
pdfium the font program's), a font named like a standard font whose ``/Widths`` differ from the
standard metrics (pdfminer takes the standard widths), and a code whose Unicode value two codes of
one font share with different widths, can move a box; the text changes only where that moves
two characters across pdfplumber's 3-point tolerances.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any, NamedTuple

from gxparse.errors import InputTooLargeError

_FONT_NAME_BYTES = 256
_PDFIUM_LOCK = threading.Lock()  # pdfium is not thread-safe: one document at a time per process
_PDFIUM_FUNCTIONS = ("FPDFText_GetTextObject", "FPDFTextObj_GetFont", "FPDFFont_GetGlyphWidth",
                     "FPDFFont_GetDescent", "FPDFFont_GetBaseFontName", "FPDFText_GetMatrix")
_SURROGATES = (0xD800, 0xDFFF)  # UTF-16 halves: pdfium gives a character beyond the BMP as two
_EM = 1000.0  # glyph space units per text space unit (PDF 32000-1, 9.2.4)
_UPRIGHT_ANGLE_SIN = 1e-6  # |b|, |c| of the text matrix below this: the character is not rotated
_SAME_SCALE = 1e-4  # relative: the text matrix scales x and y alike (float32 precision)


_TABLE_ROW_END = re.compile(r"\d[ \t\u3000]*$", re.MULTILINE)  # a line whose last cell is a number
_TABLE_ROWS_SHOWN = 2  # lines ending in a number that show a table's rows: a page number is one such line


class PdfiumPages(NamedTuple):
    """A PDF's pages as read through pdfium (see :func:`pdfium_page_texts`).

    ``texts`` holds each page's text as pdfplumber lays it out, None for a page not laid out; ``plain``
    pdfium's own text (its reading order and line breaks) of every page not laid out; ``unreadable``
    the pages chosen for layout whose pdfminer reading pdfium cannot reproduce (the caller reads them
    through pdfminer, or takes their plain text).
    """

    texts: list[str | None]
    plain: dict[int, str]
    unreadable: tuple[int, ...]


class _Unreadable(Exception):
    """pdfium's reading of a page cannot be made the reading pdfplumber would give."""


def pdfium_page_texts(data: bytes, max_pages: int, label: str, max_laid_out: int) -> PdfiumPages | None:
    """Return each page's text as pdfplumber's ``Page.extract_text()`` would, read through pdfium.

    Laying out a page costs ~5 ms of Python beyond pdfium's ~3 ms of loading it (the dev PDF's pages,
    one text object per character), so a long PDF lays out only the pages that may hold its tables: a
    PDF of at most ``max_laid_out`` pages is laid out whole; a longer one lays out the first
    ``max_laid_out`` pages whose own pdfium text shows table rows (two lines or more ending in a
    number), and keeps pdfium's own text of the others (the prose, read for facts and metadata).

    Parameters
    ----------
    data : bytes
        The PDF file.
    max_pages : int
        :attr:`~gxparse.limits.Limits.max_pdf_pages`; a longer PDF raises InputTooLargeError.
    label : str
        The input's name in messages.
    max_laid_out : int
        :attr:`~gxparse.limits.Limits.max_pdf_laid_out_pages`.

    Returns
    -------
    PdfiumPages or None
        The pages; a page chosen for layout holding something whose pdfminer reading pdfium cannot
        reproduce (see the module docstring) is in ``unreadable``. None when pypdfium2 or pdfplumber
        is missing or pdfium cannot open the file: the caller reads it with pdfplumber.

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
    if not all(hasattr(raw, function) for function in _PDFIUM_FUNCTIONS):
        return None  # an older pdfium than the one this module was written against
    with _PDFIUM_LOCK:
        return _read_pages(pdfium, raw, chars_to_textmap, data, max_pages, max_laid_out, label)


def _read_pages(pdfium: ModuleType, raw: Any, chars_to_textmap: Any, data: bytes, max_pages: int,
                max_laid_out: int, label: str) -> PdfiumPages | None:
    """The body of :func:`pdfium_page_texts`, under the lock."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        n_pages = len(document)
        if n_pages > max_pages:
            raise InputTooLargeError(f"{label} is a PDF of {n_pages:,} pages, more than the "
                                     f"limit of {max_pages:,} (gxparse.limits max_pdf_pages)")
        whole = n_pages <= max_laid_out
        laid_out = 0  # pages chosen for layout so far
        texts: list[str | None] = []
        plain: dict[int, str] = {}
        unreadable: list[int] = []
        for index in range(n_pages):
            page = document[index]
            textpage = raw.FPDFText_LoadPage(page.raw)
            try:
                if not whole:
                    page_plain = _plain_text(raw, textpage)
                    if laid_out == max_laid_out or not _shows_table_rows(page_plain):
                        plain[index] = page_plain
                        texts.append(None)
                        continue
                laid_out += 1
                try:
                    chars, bbox = _page_chars(raw, page, textpage)
                except _Unreadable:
                    unreadable.append(index)
                    plain[index] = _plain_text(raw, textpage)
                    texts.append(None)
                    continue
            finally:
                if textpage:
                    raw.FPDFText_ClosePage(textpage)
                page.close()
            texts.append(chars_to_textmap(chars, layout_bbox=bbox, layout_width=bbox[2] - bbox[0],
                                          layout_height=bbox[3] - bbox[1]).as_string if chars else "")
        return PdfiumPages(texts, plain, tuple(unreadable))
    except pdfium.PdfiumError:
        return None
    finally:
        document.close()


def _plain_text(raw: Any, textpage: Any) -> str:
    """pdfium's own text of a page (``textpage``, NULL if pdfium made none): its characters in its reading
    order, its line breaks made ``"\\n"``."""
    if not textpage:
        return ""
    n_chars = raw.FPDFText_CountChars(textpage)
    units = (ctypes.c_ushort * (n_chars + 1))()
    raw.FPDFText_GetText(textpage, 0, n_chars, units)
    text = bytes(units)[:2 * n_chars].decode("utf-16-le", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _shows_table_rows(text: str) -> bool:
    """Whether a page's plain ``text`` may hold table rows: lines ending in a number."""
    return len(_TABLE_ROW_END.findall(text)) >= _TABLE_ROWS_SHOWN


def _page_chars(raw: Any, page: Any, textpage: Any) -> tuple[list[dict[str, Any]], tuple[float, float, float, float]]:
    """The characters of ``page`` (its text page ``textpage``, NULL if pdfium made none) as pdfplumber's char
    dicts, and the page's bbox, in pdfplumber's coordinates.

    pdfplumber keeps x as the PDF's and measures ``top`` down from the media box's height (not its top).
    """
    if page.get_rotation() % 360:
        raise _Unreadable("rotated page")
    left, bottom, right, top = page.get_mediabox()
    height = top - bottom
    if not textpage:
        raise _Unreadable("no text page")
    geometries = _Geometries(raw, textpage)
    chars = list(_chars(raw, textpage, geometries, height))
    # pdfium leaves out an object it takes for a copy of one just drawn, and one whose codes it
    # cannot decode (a single glyph of a font it cannot load has no extent); pdfminer reads both.
    # An object of white space only is left to pdfplumber too, though it would read the same.
    if geometries.n_objects < _text_object_count(raw, page.raw):
        raise _Unreadable("a text object gave pdfium's text page no character")
    return chars, (left, height - top, right, height - bottom)


def _text_object_count(raw: Any, page: Any) -> int:
    """The number of text objects of ``page``, those inside form XObjects included (iteratively)."""
    type_of, object_of = _by_address(raw.FPDFPageObj_GetType), _by_address(raw.FPDFPage_GetObject)
    form_object_of, form_objects = _by_address(raw.FPDFFormObj_GetObject), _by_address(raw.FPDFFormObj_CountObjects)
    page_at = _address(page)
    pending = [object_of(page_at, i) for i in range(raw.FPDFPage_CountObjects(page))]
    count = 0
    while pending:
        kind = type_of(obj := pending.pop())
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            count += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            pending.extend(form_object_of(obj, i) for i in range(form_objects(obj)))
    return count


class _ObjectGeometry(NamedTuple):
    """What every character of one text object shares: scale, font size and the font.

    ``scale_x``/``scale_y`` are the text matrix's diagonal (pdfium gives the object's matrix to each of
    its characters; ``scale_x`` includes the horizontal scaling ``Tz``), ``font`` the font's metrics.
    A named tuple: some producers draw one object per character (the dev PDF does), and a tuple is
    made several times faster than a frozen dataclass (which sets each field through ``object.__setattr__``).
    """

    scale_x: float
    scale_y: float
    font_size: float
    font: _FontMetrics


class _FontMetrics:
    """One font's metrics as pdfminer takes them: descent, writing direction and advances.

    ``descent`` is a fraction of the font size; :meth:`advance` is a character's advance in
    thousandths of an em, vertical (negative) for a vertical font, from the font's widths
    (``/W``, ``/Widths``) as pdfium reads them, cached by character.
    """

    def __init__(self, raw: Any, font: Any) -> None:
        self._raw = raw
        self._font = font
        self.advances: dict[int, float] = {}
        self.descent = self._descent()
        self.vertical: bool | None = None

    def advance(self, unicode: int) -> float:
        advance = self.advances.get(unicode)
        if advance is None:
            width = ctypes.c_float()
            if not self._raw.FPDFFont_GetGlyphWidth(self._font, unicode, ctypes.c_float(_EM), width):
                raise _Unreadable("character without a width")
            advance = self.advances[unicode] = width.value
            if self.vertical is None:  # pdfium gives a vertical font's glyphs their vertical advance, negative
                self.vertical = advance < 0
        return advance

    def _descent(self) -> float:
        from pdfminer.fontmetrics import FONT_METRICS

        name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        self._raw.FPDFFont_GetBaseFontName(self._font, name, _FONT_NAME_BYTES)
        standard = FONT_METRICS.get(name.value.decode("latin-1"))
        if standard is not None:
            return float(standard[0]["Descent"]) / _EM
        descent = ctypes.c_float()
        if not self._raw.FPDFFont_GetDescent(self._font, ctypes.c_float(1.0), descent):
            raise _Unreadable("font without metrics")
        return -abs(descent.value)  # pdfminer makes a positive /Descent negative


class _Geometries:
    """:class:`_ObjectGeometry` per text object and :class:`_FontMetrics` per font, read from pdfium once each."""

    def __init__(self, raw: Any, textpage: Any) -> None:
        self._raw = raw
        self._textpage = _address(textpage)
        self.objects: dict[int, _ObjectGeometry] = {}
        """The geometries read so far, by text object address (the character loop reads it first)."""
        self._fonts: dict[int, _FontMetrics] = {}
        self._matrix = raw.FS_MATRIX()
        self._matrix_at = ctypes.addressof(self._matrix)
        # called once per text object, and some producers make one object per character
        self._get_matrix, self._font_size = _by_address(raw.FPDFText_GetMatrix), _by_address(raw.FPDFText_GetFontSize)
        self._font_of = _by_address(raw.FPDFTextObj_GetFont)

    @property
    def n_objects(self) -> int:
        """How many text objects the characters asked for so far came from."""
        return len(self.objects)

    def of(self, key: int, index: int) -> _ObjectGeometry:
        """The geometry of the text object at address ``key``, that character ``index`` belongs to."""
        geometry = self.objects.get(key)
        if geometry is None:
            matrix = self._matrix
            self._get_matrix(self._textpage, index, self._matrix_at)
            if (abs(matrix.b) > _UPRIGHT_ANGLE_SIN or abs(matrix.c) > _UPRIGHT_ANGLE_SIN
                    or matrix.a <= 0 or matrix.d <= 0):
                raise _Unreadable("rotated or mirrored text")
            geometry = _ObjectGeometry(matrix.a, matrix.d, self._font_size(self._textpage, index),
                                       self._font(self._font_of(key)))
            self.objects[key] = geometry
        return geometry

    def _font(self, key: int | None) -> _FontMetrics:
        if key is None:
            raise _Unreadable("text without a font")
        metrics = self._fonts.get(key)
        if metrics is None:  # pdfium's font functions take the typed pointer
            metrics = self._fonts[key] = _FontMetrics(self._raw, ctypes.cast(key, self._raw.FPDFTextObj_GetFont.restype))
        return metrics


def _by_address(function: Any) -> Any:
    """A private copy of the pdfium ctypes ``function`` that takes and returns its pointers as plain ``int``
    addresses (``None`` for NULL).

    pypdfium2 declares pointer arguments as typed ctypes pointers, and converting one costs ~4 µs a
    call, ten times the call itself: the loops over every character and every page object call
    pdfium through these copies instead (the functions themselves are left as they are).
    """
    def plain(kind: Any) -> Any:
        return ctypes.c_void_p if kind is not None and issubclass(kind, ctypes._Pointer) else kind

    copy = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    copy.argtypes, copy.restype = [plain(kind) for kind in function.argtypes], plain(function.restype)
    return copy


def _address(pointer: Any) -> int:
    """The address a ctypes pointer holds."""
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


def _chars(raw: Any, textpage: Any, geometries: _Geometries, page_height: float) -> Iterator[dict[str, Any]]:
    """Yield pdfplumber char dicts (pdfminer's boxes) for the characters pdfium read from ``textpage``."""
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    origin_x_at, origin_y_at = ctypes.addressof(origin_x), ctypes.addressof(origin_y)
    n_chars = raw.FPDFText_CountChars(textpage)
    units = (ctypes.c_ushort * (n_chars + 1))()
    raw.FPDFText_GetText(textpage, 0, n_chars, units)  # one UTF-16 unit per character index
    text_object_at, origin_of = _by_address(raw.FPDFText_GetTextObject), _by_address(raw.FPDFText_GetCharOrigin)
    unmapped = _by_address(raw.FPDFText_HasUnicodeMapError)
    page_at = _address(textpage)
    geometry_of, objects = geometries.of, geometries.objects  # the loop runs once per character: names bound once
    for index in range(n_chars):
        text_object = text_object_at(page_at, index)
        if not text_object:
            if raw.FPDFText_IsGenerated(textpage, index):
                continue  # a space or line break pdfium inferred, not in the content stream
            raise _Unreadable("character without a text object")
        unicode = units[index]
        if not unicode or _SURROGATES[0] <= unicode <= _SURROGATES[1] or unmapped(page_at, index):
            raise _Unreadable("character without a Unicode mapping, or beyond the BMP (pdfium splits it in two)")
        scale_x, scale_y, font_size, font = objects.get(text_object) or geometry_of(text_object, index)
        width = font.advances.get(unicode)
        advance = (font.advance(unicode) if width is None else width) * font_size / _EM
        origin_of(page_at, index, origin_x_at, origin_y_at)
        x0, y0 = origin_x.value, origin_y.value
        if font.vertical:  # pdfium's origin is then pdfminer's lower left corner
            if abs(scale_x - scale_y) > _SAME_SCALE * scale_y:
                # pdfium scales the vertical origin by Tz, pdfminer the vertical advance: unknown apart
                raise _Unreadable("vertical text scaled unevenly")
            x1 = x0 + font_size * scale_x
            y1 = y0 - advance * scale_y
            size = x1 - x0
        else:  # pdfium's origin is the pen position, raised by the text rise
            x1 = x0 + advance * scale_x
            y0 += font.descent * font_size * scale_y
            y1 = y0 + font_size * scale_y
            size = y1 - y0
        char_top, char_bottom = page_height - y1, page_height - y0
        yield {"text": chr(unicode), "x0": x0, "x1": x1, "top": char_top,
               "bottom": char_bottom, "doctop": char_top, "upright": True, "width": x1 - x0,
               "height": char_bottom - char_top, "size": size}
