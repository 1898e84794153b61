"""Read a report from a file, from bytes or from a string, whatever its format.

Every reader returns a :class:`SourceText`: plain text in which tables are linearised one row
per line (``"规章 | 13 | 13 | 524 |"`` for HTML and DOCX tables; a PDF's text layer as
pdfplumber lays it out, its characters read through pdfium where that reads as pdfminer
would: :mod:`gxparse.pdf_chars`), so the text parser downstream sees one kind of input. Files are
dispatched by suffix, bytes and strings by sniffing their content.

pdfplumber and python-docx are optional extras, imported only when a PDF or DOCX is read.
Every reader checks the :mod:`gxparse.limits` that apply to it before the expensive work
(input bytes, DOCX uncompressed size, PDF pages, HTML grid cells, text length).
"""

from __future__ import annotations

import importlib
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from gxparse import decode
from gxparse.errors import EmptyInputError, InputError, InputTooLargeError, UnsupportedFormatError
from gxparse.limits import check_input_bytes, get_limits
from gxparse.html_text import clean_cell_text, format_table_row, html_to_text
from gxparse.pdf_chars import pdfium_page_texts

SourceKind = Literal["text", "markdown", "html", "pdf", "docx"]

_SUFFIX_KINDS: dict[str, SourceKind] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_UNSUPPORTED_SUFFIXES = {
    ".doc": "legacy Word files are not supported; save the report as .docx",
    ".wps": "WPS files are not supported; save the report as .docx",
    ".xls": "spreadsheets are not supported; save the report as .html or .txt",
    ".xlsx": "spreadsheets are not supported; save the report as .html or .txt",
    ".ofd": "OFD files are not supported; export the report as PDF",
    ".json": "JSON files are data (gold annotations, API responses), not reports",
    ".png": "images are not supported (no OCR)",
    ".jpg": "images are not supported (no OCR)",
    ".jpeg": "images are not supported (no OCR)",
    ".gif": "images are not supported (no OCR)",
    ".zip": "archives are not read; unpack them and parse the directory",
    ".rar": "archives are not read; unpack them and parse the directory",
    ".7z": "archives are not read; unpack them and parse the directory",
}
_HTML_SNIFF_CHARS = 65_536
_HTML_TAG = re.compile(r"<(?:table|html|div)\b|<p[\s>]", re.IGNORECASE)
_PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WINDOW = 1024
_ZIP_MAGIC = b"PK\x03\x04"
_DOCX_PART = "word/document.xml"
_DOCX_PARAGRAPH = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"  # w:p, in a table cell too
_MAX_UTF8_BYTES_PER_CHAR = 4


@dataclass(frozen=True, slots=True)
class SourceText:
    """The text of a report and where it came from.

    Attributes
    ----------
    text : str
        Plain text, line endings ``"\\n"``; tables linearised one row per line.
    kind : {"text", "markdown", "html", "pdf", "docx"}
        The format the text was read from.
    encoding : str or None
        The encoding that decoded the bytes; None for PDF, DOCX and text given as a string.
    source : str or None
        The file path, or the name the caller gave.
    markup : str or None
        For HTML, the decoded HTML that ``text`` was extracted from (cells are traced back to it).
    warnings : tuple of str
        Repairs and cuts made while reading: damaged bytes replaced, a cut character dropped,
        text beyond :attr:`~gxparse.limits.Limits.max_text_chars` left out.
    """

    text: str
    kind: SourceKind
    encoding: str | None
    source: str | None
    markup: str | None = field(default=None, compare=False, repr=False)
    warnings: tuple[str, ...] = ()


def read_source(path: str | os.PathLike[str]) -> SourceText:
    """Read a report file, choosing the reader by the file's suffix.

    ``.txt`` is read as text, ``.md`` as Markdown (kept as is), ``.html``/``.htm``/``.shtml``/``.xhtml`` as HTML, ``.pdf`` through its text layer and
    ``.docx`` through python-docx. Suffixes are matched case-insensitively; a file with no or
    an unknown suffix is recognised by its content, as :func:`source_from_bytes` does.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.

    Returns
    -------
    SourceText
        The report's text, with ``source`` set to ``str(path)``.

    Raises
    ------
    InputError
        If the file cannot be read, or through its subclasses if it is empty, binary,
        undecodable, too large, a scanned PDF, or of an unsupported type.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(f"cannot read {file}: {_UNSUPPORTED_SUFFIXES[suffix]}")
    kind = _SUFFIX_KINDS.get(suffix)
    data = _read_file(file)
    if kind is None:  # no or an unknown suffix: recognise the content
        return source_from_bytes(data, name=str(file))
    return _source_of_kind(data, kind, str(file))


def source_from_bytes(data: bytes, *, name: str | None = None) -> SourceText:
    """Read a report from bytes, recognising PDF, DOCX, HTML and plain text by content.

    Parameters
    ----------
    data : bytes
        The report's raw content.
    name : str, optional
        A name for the source (file name, URL), kept in :attr:`SourceText.source`.

    Returns
    -------
    SourceText
        The report's text.

    Raises
    ------
    InputError
        Through its subclasses if ``data`` is empty, binary, undecodable, too large, a
        scanned PDF, or a ZIP archive that is not a DOCX.
    """
    check_input_bytes(len(data), _label(name))
    if _PDF_MAGIC in data[:_PDF_MAGIC_WINDOW]:
        return _source_of_kind(data, "pdf", name)
    if data.startswith(_ZIP_MAGIC):
        _require_docx(data, name)
        return _source_of_kind(data, "docx", name)
    decoded = decode.decode_bytes(data)
    kind: SourceKind = "html" if _looks_like_html(decoded.text) else "text"
    text = _html_text(decoded.text, name) if kind == "html" else decoded.text
    return _bounded(text, kind, decoded.encoding, name, decoded.warnings, decoded.text if kind == "html" else None)


def source_from_text(text: str, *, name: str | None = None) -> SourceText:
    """Wrap a report already held as a string, converting it if it is HTML.

    Parameters
    ----------
    text : str
        The report's text or HTML.
    name : str, optional
        A name for the source, kept in :attr:`SourceText.source`.

    Returns
    -------
    SourceText
        Kind ``"html"`` (converted by :func:`~gxparse.html_text.html_to_text`) when ``text``
        has a ``<table``, ``<html``, ``<p>`` or ``<div`` tag in its first 64 K characters,
        otherwise kind ``"text"`` with line endings normalised. ``encoding`` is None.

    Raises
    ------
    EmptyInputError
        If ``text`` is empty or white space only, or is HTML without any text.
    InputTooLargeError
        If ``text`` is longer, in UTF-8 bytes, than :attr:`~gxparse.limits.Limits.max_input_bytes`.
    """
    _check_text_size(text, name)
    if not text.strip():
        raise EmptyInputError(f"{_label(name)} is empty or holds only white space")
    if _looks_like_html(text):
        return _bounded(_html_text(text, name), "html", None, name, markup=text)
    return _bounded(decode.normalize_newlines(text), "text", None, name)


def _check_text_size(text: str, name: str | None) -> None:
    """Apply the input byte limit to a string (as UTF-8), encoding it only when the length is in doubt."""
    limit = get_limits().max_input_bytes
    if len(text) > limit:
        check_input_bytes(len(text), _label(name))
    elif len(text) * _MAX_UTF8_BYTES_PER_CHAR > limit:
        check_input_bytes(len(text.encode("utf-8", "surrogatepass")), _label(name))


def _bounded(text: str, kind: SourceKind, encoding: str | None, name: str | None,
             warnings: tuple[str, ...] = (), markup: str | None = None) -> SourceText:
    """Return a SourceText of ``text`` cut to :attr:`~gxparse.limits.Limits.max_text_chars`, with a warning if cut.

    ``markup`` is the decoded HTML that ``text`` was extracted from (spans are traced back into it)."""
    limit = get_limits().max_text_chars
    if len(text) > limit:
        warnings += (f"only the first {limit:,} of {len(text):,} characters of the text were read "
                     "(gxparse.limits max_text_chars)",)
        text = text[:limit]
    return SourceText(text, kind, encoding, name, markup, warnings)


def _read_file(file: Path) -> bytes:
    """Return the bytes of ``file``; check the size limit before reading it."""
    try:
        check_input_bytes(file.stat().st_size, str(file))
        return file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc}") from exc


def _source_of_kind(data: bytes, kind: SourceKind, name: str | None) -> SourceText:
    """Convert ``data`` known to be of ``kind`` into a SourceText."""
    if kind == "pdf":
        text, warnings = _pdf_text(data, name)
        return _bounded(text, "pdf", None, name, warnings)
    if kind == "docx":
        return _bounded(_docx_text(data, name), "docx", None, name)
    decoded = decode.decode_bytes(data)
    text = _html_text(decoded.text, name) if kind == "html" else decoded.text
    return _bounded(text, kind, decoded.encoding, name, decoded.warnings, decoded.text if kind == "html" else None)


def _looks_like_html(text: str) -> bool:
    """Tell whether ``text`` has an HTML table, html, p or div tag near its start."""
    return _HTML_TAG.search(text, 0, _HTML_SNIFF_CHARS) is not None


def _html_text(html: str, name: str | None) -> str:
    """Convert HTML to text; raise EmptyInputError if it holds no text."""
    text = html_to_text(html)
    if not text:
        raise EmptyInputError(f"{_label(name)} is HTML without any text")
    return text


def _label(name: str | None) -> str:
    """Name a source in a message."""
    return name if name else "the input"


def _import_extra(module: str, extra: str) -> ModuleType:
    """Import an optional dependency, or explain which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UnsupportedFormatError(
            f"reading {extra.upper()} files needs {module}: pip install 'gxparse[{extra}]'"
        ) from exc


def _pdf_text(data: bytes, name: str | None) -> tuple[str, tuple[str, ...]]:
    """Return the text layer of a PDF, pages joined by ``"\\n"``, as pdfplumber lays it out, and warnings.

    The characters are read through pdfium (:mod:`gxparse.pdf_chars`, some 10x faster than
    pdfminer) and laid out by pdfplumber; a page that pdfium cannot read as pdfminer would, or a
    file pdfium cannot open, is read by pdfplumber itself. Pages beyond the layout limits
    (:attr:`~gxparse.limits.Limits.max_pdf_laid_out_pages`, :attr:`~gxparse.limits.Limits.max_pdfminer_pages`)
    keep pdfium's own text, and a warning names them. Raises InputTooLargeError for more than
    :attr:`~gxparse.limits.Limits.max_pdf_pages` pages, InputError if the PDF cannot be opened
    and UnsupportedFormatError if it has no text layer (a scan).
    """
    pdfplumber = _import_extra("pdfplumber", "pdf")
    limits = get_limits()
    read = pdfium_page_texts(data, limits.max_pdf_pages, _label(name), limits.max_pdf_laid_out_pages)
    warnings: tuple[str, ...] = ()
    if read is None:
        pages = _pdfplumber_page_texts(pdfplumber, data, limits.max_pdf_pages, name)
    else:
        texts = list(read.texts)
        by_pdfminer = set(read.unreadable[:limits.max_pdfminer_pages])
        plain_pages = sorted(index for index in read.plain if index not in by_pdfminer)
        for index in plain_pages:
            texts[index] = read.plain[index]
        if plain_pages:
            warnings = (f"{len(plain_pages)} of {len(texts)} PDF pages were read as pdfium's own text, not laid out "
                        f"(pages {', '.join(str(index + 1) for index in plain_pages)}; gxparse.limits "
                        "max_pdf_laid_out_pages, max_pdfminer_pages)",)
        if None in texts:
            pages = _pdfplumber_page_texts(pdfplumber, data, limits.max_pdf_pages, name, texts)
        else:
            pages = [text for text in texts if text is not None]  # every page
    text = "\n".join(pages)
    if not text.strip():
        raise UnsupportedFormatError(
            f"{_label(name)} is a PDF with no text layer (a scan?); OCR is not supported"
        )
    return text, warnings


def _pdfplumber_page_texts(pdfplumber: ModuleType, data: bytes, max_pages: int, name: str | None,
                           read: list[str | None] | None = None) -> list[str]:
    """Return each page's text as pdfplumber's ``Page.extract_text()`` reads it (through pdfminer).

    ``read`` holds the pages already read (None for those not): when pdfplumber counts the same
    pages, only the others are read (pdfminer interprets a page only when its text is asked for).
    Each page's layout objects are released as soon as its text is read (pdfplumber keeps every
    parsed page otherwise: gigabytes for a long PDF).
    """
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > max_pages:
                raise InputTooLargeError(f"{_label(name)} is a PDF of {len(pdf.pages):,} pages, more than the "
                                         f"limit of {max_pages:,} (gxparse.limits max_pdf_pages)")
            if read is None or len(read) != len(pdf.pages):
                read = [None] * len(pdf.pages)
            pages = []
            for page, text in zip(pdf.pages, read):
                if text is None:
                    text = page.extract_text() or ""
                    page.close()
                pages.append(text)
    except InputTooLargeError:
        raise
    # pdfminer raises many unrelated exception types on damaged or encrypted files.
    except Exception as exc:
        raise InputError(f"cannot open {_label(name)} as a PDF: {exc!r}") from exc
    return pages


def _require_docx(data: bytes, name: str | None) -> None:
    """Raise UnsupportedFormatError unless ``data`` is a ZIP archive holding a DOCX body."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_docx = _DOCX_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFormatError(f"{_label(name)} is a damaged ZIP archive: {exc}") from exc
    if not is_docx:
        raise UnsupportedFormatError(f"{_label(name)} is a ZIP archive but not a DOCX document")


def _check_docx_size(data: bytes, name: str | None) -> None:
    """Refuse a DOCX whose members declare more than the uncompressed size limit, or whose body does.

    zipfile never inflates a member past its declared size, so the sum of the declared sizes
    bounds what python-docx can decompress.
    """
    limits = get_limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"cannot open {_label(name)} as a DOCX: {exc!r}") from exc
    declared = sum(info.file_size for info in members)
    if declared > limits.max_docx_uncompressed_bytes:
        raise InputTooLargeError(f"{_label(name)} is a DOCX that expands to {declared:,} bytes, more than the "
                                 f"limit of {limits.max_docx_uncompressed_bytes:,} (gxparse.limits max_docx_uncompressed_bytes)")
    body = max((info.file_size for info in members if info.filename == _DOCX_PART), default=0)
    if body > limits.max_docx_body_bytes:
        raise InputTooLargeError(f"{_label(name)} is a DOCX whose body expands to {body:,} bytes, more than the "
                                 f"limit of {limits.max_docx_body_bytes:,} (gxparse.limits max_docx_body_bytes)")


def _check_docx_paragraphs(body: Any, name: str | None) -> None:
    """Refuse a DOCX body of more paragraphs (table cells' included) than :attr:`Limits.max_docx_paragraphs`,
    counted before python-docx reads them (~40 µs a paragraph, ~100 µs a table cell)."""
    limit = get_limits().max_docx_paragraphs
    paragraphs = sum(1 for _ in body.iter(_DOCX_PARAGRAPH))
    if paragraphs > limit:
        raise InputTooLargeError(f"{_label(name)} is a DOCX of {paragraphs:,} paragraphs, more than the "
                                 f"limit of {limit:,} (gxparse.limits max_docx_paragraphs)")


def _docx_text(data: bytes, name: str | None) -> str:
    """Return the paragraphs and linearised tables of a DOCX body, in document order."""
    docx = _import_extra("docx", "docx")
    _check_docx_size(data, name)
    try:
        document = _docx_body_document(docx, data)
    # python-docx surfaces zipfile, lxml and KeyError failures on damaged files.
    except Exception as exc:
        raise InputError(f"cannot open {_label(name)} as a DOCX: {exc!r}") from exc
    _check_docx_paragraphs(document.element, name)
    text = "\n".join(_docx_lines(document))
    if not text.strip():
        raise EmptyInputError(f"{_label(name)} is a DOCX without any text")
    return text


def _docx_body_document(docx: ModuleType, data: bytes) -> Any:
    """A python-docx Document of the DOCX body alone, or of the whole package if the body is not at its usual name.

    ``docx.Document`` parses every XML part of the package (styles, numbering, theme, settings):
    three quarters of a DOCX read; the body's text and tables need only ``word/document.xml``.
    """
    from docx.document import Document
    from docx.oxml.parser import parse_xml

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if _DOCX_PART not in archive.namelist():
            return docx.Document(io.BytesIO(data))
        body = archive.read(_DOCX_PART)
    return Document(parse_xml(body), None)


def _docx_lines(document: Any) -> Iterator[str]:
    """Yield the lines of a python-docx document body: non-blank paragraph lines, table rows."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _docx_table_lines(block)
        else:  # a paragraph's text is worked out anew (two XPath queries a run) each time it is asked for
            yield from (line for line in block.text.splitlines() if line.strip())


def _docx_table_lines(table: Any) -> Iterator[str]:
    """Yield one line per row of a DOCX table, each merged cell once, then nested tables.

    python-docx repeats a merged cell in every grid slot it covers; a slot whose ``_tc`` is the
    previous slot's in the row (horizontal merge) or the slot's above (vertical merge) is a copy.
    """
    above: dict[int, object] = {}
    for row in table.rows:
        origins: list[Any] = []
        current: dict[int, object] = {}
        for col, cell in enumerate(row.cells, start=row.grid_cols_before):
            current[col] = cell._tc
            if cell._tc is not current.get(col - 1) and cell._tc is not above.get(col):
                origins.append(cell)
        above = current
        texts = [clean_cell_text(cell.text) for cell in origins]
        if any(texts):
            yield format_table_row(texts)
        for cell in origins:
            yield from (line for nested in cell.tables for line in _docx_table_lines(nested))
