"""Builders of hostile inputs: the files of issue 10 that once cost minutes, gigabytes or a crash.

Shared by ``tests/test_reliability.py`` (small sizes, lowered limits) and ``scripts/soak.py``
(the sizes of the issue). Each builder returns the bytes of one input, except where noted.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "gxparse" / "examples" / "jingan-hrss-2023.txt"
_EXAMPLE_ROW = "行政规范性文件 | 2 | 0 | 2 |"
_CHUNK = 1 << 20


def example_text() -> str:
    """The bundled example report (a real 2023 report)."""
    return EXAMPLE.read_text(encoding="utf-8")


def long_row_text(n_values: int = 3000) -> bytes:
    """A real report with one table row of ``n_values`` numbers (~13 KB of extra text at 3,000)."""
    text = example_text()
    return text.replace(_EXAMPLE_ROW, "行政规范性文件 " + " ".join(str(i % 10) for i in range(n_values))).encode()


def span_bomb_html(n_rows: int = 2000) -> bytes:
    """An HTML table whose every cell spans 1000 x 1000 slots: ~50 KB that expands to billions of slots."""
    rows = "".join(f'<tr><td rowspan="1000" colspan="1000">{i}</td><td>1</td></tr>' for i in range(n_rows))
    return f"<html><body><p>二、主动公开政府信息情况</p><table>{rows}</table></body></html>".encode()


def docx_bomb(uncompressed_bytes: int = 1 << 30) -> bytes:
    """A DOCX whose ``word/document.xml`` expands to ``uncompressed_bytes`` (1 GB from ~1 MB by default)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                                'package/2006/content-types"/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                       b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            left = uncompressed_bytes
            block = b" " * _CHUNK
            while left > 0:
                part.write(block[: min(left, _CHUNK)])
                left -= _CHUNK
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def many_pages_pdf(n_pages: int = 500, lines_per_page: int = 40) -> bytes:
    """A valid PDF of ``n_pages`` pages, each with a text layer of ``lines_per_page`` lines."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for page in range(n_pages):
        lines = b"".join(b"(page %d line %d 12 345) Tj 0 -14 Td " % (page, line) for line in range(lines_per_page))
        stream = b"BT /F1 10 Tf 40 780 Td " + lines + b"ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % content)
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), n_pages)
    return pdf_bytes(objects)


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1; object 1 is the catalog) with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def cut_multibyte(encoding: str) -> bytes:
    """A real report in ``encoding`` whose download stopped inside its last (multi-byte) character."""
    data = (example_text().rstrip() + "结束").encode(encoding)
    return data[:-1]


def stray_bytes(encoding: str, n_stray: int = 3) -> bytes:
    """A real report in ``encoding`` with ``n_stray`` stray 0xFF bytes between lines."""
    lines = example_text().encode(encoding).split(b"\n")
    step = max(1, len(lines) // (n_stray + 1))
    for k in range(1, n_stray + 1):
        lines[k * step] = b"\xff" + lines[k * step]
    return b"\n".join(lines)


def hostile_files() -> dict[str, bytes]:
    """Every hostile input of the issue at its full size, by file name (the soak's set)."""
    return {
        "long_row.txt": long_row_text(),
        "span_bomb.html": span_bomb_html(),
        "zip_bomb.docx": docx_bomb(),
        "pages_500.pdf": many_pages_pdf(),
        "cut_utf8.txt": cut_multibyte("utf-8"),
        "cut_gbk.txt": cut_multibyte("gbk"),
        "stray_utf8.txt": stray_bytes("utf-8"),
        "stray_gbk.txt": stray_bytes("gbk"),
        "binary.txt": bytes(range(256)) * 64,
        "empty.txt": b"",
        "huge.txt": b"1 " * 11_000_000,
        "image_no_suffix": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 256,
        "report_no_suffix": example_text().encode("gb18030"),
        "not_a_docx.docx": b"PK\x03\x04 this is not a zip",
        "deep_nesting.html": b"<div>" * 100_000 + "二、主动公开 规章 13".encode() + b"</div>" * 100_000,
    }
