"""Read a report from a file, from bytes or from a string, whatever its format.

Every reader returns a :class:`SourceText`: plain text in which tables are linearised one row
per line (``"规章 | 13 | 13 | 524 |"`` for HTML and DOCX tables; a PDF's text layer as
pdfplumber lays it out), so the text parser downstream sees one kind of input. Files are
dispatched by suffix, bytes and strings by sniffing their content.

pdfplumber and python-docx are optional extras, imported only when a PDF or DOCX is read.
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
from gxparse.errors import EmptyInputError, InputError, UnsupportedFormatError
from gxparse.html_text import clean_cell_text, format_table_row, html_to_text

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
}
_HTML_SNIFF_CHARS = 65_536
_HTML_TAG = re.compile(r"<(?:table|html|div)\b|<p[\s>]", re.IGNORECASE)
_PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WINDOW = 1024
_ZIP_MAGIC = b"PK\x03\x04"
_DOCX_PART = "word/document.xml"


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
    """

    text: str
    kind: SourceKind
    encoding: str | None
    source: str | None
    markup: str | None = field(default=None, compare=False, repr=False)


def read_source(path: str | os.PathLike[str]) -> SourceText:
    """Read a report file, choosing the reader by the file's suffix.

    ``.txt`` and unknown or missing suffixes are read as text, ``.md`` as Markdown (kept as
    is), ``.html``/``.htm``/``.shtml``/``.xhtml`` as HTML, ``.pdf`` through its text layer and
    ``.docx`` through python-docx. Suffixes are matched case-insensitively.

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
    kind = _SUFFIX_KINDS.get(suffix, "text")
    return _source_of_kind(_read_file(file, kind), kind, str(file))


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
    if _PDF_MAGIC in data[:_PDF_MAGIC_WINDOW]:
        return _source_of_kind(data, "pdf", name)
    if data.startswith(_ZIP_MAGIC):
        _require_docx(data, name)
        return _source_of_kind(data, "docx", name)
    decoded = decode.decode_bytes(data)
    if _looks_like_html(decoded.text):
        return SourceText(_html_text(decoded.text, name), "html", decoded.encoding, name, decoded.text)
    return SourceText(decoded.text, "text", decoded.encoding, name)


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
    """
    if not text.strip():
        raise EmptyInputError(f"{_label(name)} is empty or holds only white space")
    if _looks_like_html(text):
        return SourceText(_html_text(text, name), "html", None, name, text)
    return SourceText(decode.normalize_newlines(text), "text", None, name)


def _read_file(file: Path, kind: SourceKind) -> bytes:
    """Return the bytes of ``file``; check the size limit first for decoded kinds."""
    try:
        if kind not in ("pdf", "docx"):
            decode.check_size(file.stat().st_size)
        return file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc}") from exc


def _source_of_kind(data: bytes, kind: SourceKind, name: str | None) -> SourceText:
    """Convert ``data`` known to be of ``kind`` into a SourceText."""
    if kind == "pdf":
        return SourceText(_pdf_text(data, name), "pdf", None, name)
    if kind == "docx":
        return SourceText(_docx_text(data, name), "docx", None, name)
    decoded = decode.decode_bytes(data)
    if kind == "html":
        return SourceText(_html_text(decoded.text, name), kind, decoded.encoding, name, decoded.text)
    return SourceText(decoded.text, kind, decoded.encoding, name)


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


def _pdf_text(data: bytes, name: str | None) -> str:
    """Return the text layer of a PDF, pages joined by ``"\\n"``.

    Raises InputError if the PDF cannot be opened and UnsupportedFormatError if it has no text
    layer (a scan).
    """
    pdfplumber = _import_extra("pdfplumber", "pdf")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    # pdfminer raises many unrelated exception types on damaged or encrypted files.
    except Exception as exc:
        raise InputError(f"cannot open {_label(name)} as a PDF: {exc!r}") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnsupportedFormatError(
            f"{_label(name)} is a PDF with no text layer (a scan?); OCR is not supported"
        )
    return text


def _require_docx(data: bytes, name: str | None) -> None:
    """Raise UnsupportedFormatError unless ``data`` is a ZIP archive holding a DOCX body."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_docx = _DOCX_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFormatError(f"{_label(name)} is a damaged ZIP archive: {exc}") from exc
    if not is_docx:
        raise UnsupportedFormatError(f"{_label(name)} is a ZIP archive but not a DOCX document")


def _docx_text(data: bytes, name: str | None) -> str:
    """Return the paragraphs and linearised tables of a DOCX body, in document order."""
    docx = _import_extra("docx", "docx")
    try:
        document = docx.Document(io.BytesIO(data))
    # python-docx surfaces zipfile, lxml and KeyError failures on damaged files.
    except Exception as exc:
        raise InputError(f"cannot open {_label(name)} as a DOCX: {exc!r}") from exc
    text = "\n".join(_docx_lines(document))
    if not text.strip():
        raise EmptyInputError(f"{_label(name)} is a DOCX without any text")
    return text


def _docx_lines(document: Any) -> Iterator[str]:
    """Yield the lines of a python-docx document body: non-blank paragraph lines, table rows."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _docx_table_lines(block)
        elif block.text.strip():
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
