"""Build text PDFs the way report generators draw them, to test the PDF readers against each other.

A page is drawn from lines of text: each line is cut into tokens at white space, and each token is
drawn as its own text object at a column position, CJK tokens in a Type0 font (``Identity-H``
codes with a ``ToUnicode`` map and ``/W`` widths, as WPS and Word write their font subsets; the
font program is left out) and ASCII tokens in Helvetica. A
:class:`PdfStyle` varies what real producers vary: a scaled user space (WPS draws at 1/20),
horizontal scaling, character and word spacing, text rise, kerning in ``TJ`` arrays, a rotated
page, a media box off the origin, vertical CJK writing, invisible text (an OCR layer), text drawn
twice for a fake bold, and rotated text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.hostile import pdf_bytes

PAGE_WIDTH = 595
PAGE_HEIGHT = 842
_LINE_PITCH = 18.0
_TOP_MARGIN = 60.0
_LEFT_MARGIN = 50.0
_FIRST_CID = 36  # codes from here draw the letters of an embedded Latin font, not its empty glyphs (space, .notdef)


@dataclass(frozen=True)
class PdfStyle:
    """How a page's text is drawn (see the module docstring); the defaults draw plain text."""

    font_size: float = 10.5
    user_scale: float = 1.0  # cm scale of user space; the font size is divided by it
    horizontal_scaling: float = 100.0  # Tz
    char_spacing: float = 0.0  # Tc
    word_spacing: float = 0.0  # Tw
    rise: float = 0.0  # Ts
    kerning: bool = False  # TJ arrays with adjustments between characters
    rotate: int = 0  # the page's /Rotate
    media_origin: tuple[float, float] = (0.0, 0.0)
    vertical_label: bool = False  # a column label drawn top to bottom in a vertical CJK font
    invisible: bool = False  # text render mode 3 for every token
    fake_bold: bool = False  # every CJK token drawn twice, the second 0.3 pt to the right
    rotated_token: bool = False  # one token drawn at 90 degrees
    gap_jitter: float = 0.0  # random extra space (pt) between tokens, from 0 up to this


class _CidCodes:
    """Two-byte codes (CIDs) given to the CJK characters of a document, in order of first use."""

    def __init__(self) -> None:
        self.cids: dict[str, int] = {}

    def encode(self, text: str) -> bytes:
        codes = [self.cids.setdefault(ch, _FIRST_CID + len(self.cids)) for ch in text]
        return b"<" + b"".join(b"%04X" % code for code in codes) + b">"

    def to_unicode(self) -> bytes:
        """A ToUnicode CMap stream body mapping every code given to its character."""
        pairs = b"\n".join(b"<%04X> <%s>" % (cid, ch.encode("utf-16-be").hex().upper().encode())
                           for ch, cid in self.cids.items())
        return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test-UCS def "
                b"/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n%d beginbfchar\n%s\n"
                b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end" % (len(self.cids), pairs))

    def widths(self) -> bytes:
        """The ``/W`` array: half an em for ASCII, one em for the rest."""
        return b"[%d [%s]]" % (_FIRST_CID, b" ".join(b"500" if ord(ch) < 128 else b"1000" for ch in self.cids))


def _latin(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def _is_latin(token: str) -> bool:
    return all(ord(ch) < 128 for ch in token)


def _token_width(token: str, size: float) -> float:
    """A rough advance of ``token``: half an em for ASCII (Helvetica digits are 556/1000), one em otherwise."""
    return sum(0.556 if ord(ch) < 128 else 1.0 for ch in token) * size


def _show(token: str, style: PdfStyle, codes: _CidCodes) -> bytes:
    """The text-showing operator for ``token``: Tj, or TJ with kerning between characters."""
    encode = _latin if _is_latin(token) else codes.encode
    if not style.kerning or len(token) < 2:
        return encode(token) + b" Tj"
    parts = [encode(ch) + (b" -40" if k % 2 else b" 25") for k, ch in enumerate(token)]
    return b"[" + b" ".join(parts) + b"] TJ"


def _page_stream(lines: list[str], style: PdfStyle, rng: random.Random, codes: _CidCodes) -> bytes:
    scale = style.user_scale
    size = style.font_size / scale
    out = [b"q %.4f 0 0 %.4f %.3f %.3f cm" % (scale, scale, *style.media_origin)]
    y = PAGE_HEIGHT - _TOP_MARGIN
    for line_no, line in enumerate(lines):
        x = _LEFT_MARGIN
        for token_no, token in enumerate(line.split()):
            font = b"/F1" if _is_latin(token) else b"/F2"
            rotated = style.rotated_token and line_no == 3 and token_no == 0
            matrix = (0, 1, -1, 0) if rotated else (1, 0, 0, 1)
            head = b"BT %s %.3f Tf %.1f Tz %.3f Tc %.3f Tw %.3f Ts %d Tr " % (
                font, size, style.horizontal_scaling, style.char_spacing / scale, style.word_spacing / scale,
                style.rise / scale, 3 if style.invisible else 0)
            tm = b"%d %d %d %d %.3f %.3f Tm " % (*matrix, x / scale, y / scale)
            out.append(head + tm + _show(token, style, codes) + b" ET")
            if style.fake_bold and font == b"/F2":
                tm = b"%d %d %d %d %.3f %.3f Tm " % (*matrix, (x + 0.3) / scale, y / scale)
                out.append(head + tm + _show(token, style, codes) + b" ET")
            x += _token_width(token, style.font_size) * style.horizontal_scaling / 100
            x += style.font_size * 0.6 + rng.uniform(0, style.gap_jitter)
        y -= _LINE_PITCH
    if style.vertical_label:
        label = "三、本年度办理结果"
        out.append(b"BT /F3 %.3f Tf 1 0 0 1 %.3f %.3f Tm %s Tj ET"
                   % (size, (_LEFT_MARGIN - 30) / scale, (PAGE_HEIGHT - _TOP_MARGIN - 40) / scale, codes.encode(label)))
    out.append(b"Q")
    return b"\n".join(out)


def build_pdf(pages: list[list[str]], style: PdfStyle = PdfStyle(), seed: int = 0,
              font_program: bytes | None = None) -> bytes:
    """A PDF with one page per list of lines, drawn in ``style``; ``seed`` draws the gap jitter.

    ``font_program`` is a TrueType font embedded as the CJK font's glyphs (any font: its glyphs are
    drawn for the codes, the text comes from the ToUnicode map). pdfium leaves out a one-character
    text object whose glyph it cannot find (a CJK font not embedded, on a system without one).
    """
    rng = random.Random(seed)
    codes = _CidCodes()
    streams = [_page_stream(lines, style, rng, codes) for lines in pages]
    to_unicode = codes.to_unicode()
    objects: list[bytes] = [
        b"",  # catalog, written last
        b"",  # page tree, written last
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] /ToUnicode 8 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 6 0 R /DW 1000 /W %s >>" % codes.widths(),
        b"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 6 /FontBBox [-8 -145 1000 859] "
        b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 93%s >>"
        % (b" /FontFile2 9 0 R" if font_program else b""),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-V "
        b"/DescendantFonts [5 0 R] /ToUnicode 8 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(to_unicode), to_unicode),
    ]
    if font_program:
        objects.append(b"<< /Length %d /Length1 %d >>\nstream\n%s\nendstream"
                       % (len(font_program), len(font_program), font_program))
    x0, y0 = style.media_origin
    kids = []
    for stream in streams:
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [%.3f %.3f %.3f %.3f] /Rotate %d /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 7 0 R >> >> >>"
                       % (x0, y0, x0 + PAGE_WIDTH, y0 + PAGE_HEIGHT, style.rotate, len(objects)))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return pdf_bytes(objects)
