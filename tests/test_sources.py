"""Tests of gxparse.sources: dispatch by suffix or content, and the PDF and DOCX readers."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from gxparse import decode
from gxparse.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from gxparse.limits import limits_override
from gxparse.sources import SourceText, read_source, source_from_bytes, source_from_text
from tests.hostile import pdf_bytes

DEV = Path(__file__).parents[1] / "training_data/dev"
TABLE_HTML = "<p>二、主动公开</p><table><tr><td>规章</td><td>13</td><td>&nbsp;</td></tr></table>"
TABLE_TEXT = "二、主动公开\n规章 | 13 |  |"


def _minimal_pdf_without_text() -> bytes:
    """Build a valid one-page PDF that has no text layer, like a scan without OCR."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    return pdf_bytes(objects)


def _docx_with_merged_cells() -> bytes:
    """Build a DOCX: a paragraph, a table with horizontal and vertical merges, a paragraph."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "第二十条第（一）项"
    for col, text in enumerate(["信息内容", "本年新\n制作数量", "本年新公开数量", "对外公开总数量"]):
        table.cell(1, col).text = text
    table.cell(2, 0).merge(table.cell(3, 0)).text = "规章"
    for col, text in enumerate(["13", "", "524"], start=1):
        table.cell(2, col).text = text
    for col, text in enumerate(["1", "2", "3"], start=1):
        table.cell(3, col).text = text
    document.add_paragraph("")
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_TEXT = (
    "二、主动公开政府信息情况\n"
    "第二十条第（一）项 |\n"
    "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
    "规章 | 13 |  | 524 |\n"
    "1 | 2 | 3 |\n"
    "三、收到和处理政府信息公开申请情况"
)


def test_read_text_file(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("规章 13 13 524\r\n".encode("gbk"))
    assert read_source(path) == SourceText("规章 13 13 524\n", "text", "gb18030", str(path))


def test_txt_suffix_is_text_whatever_the_content(tmp_path: Path) -> None:
    path = tmp_path / "report.TXT"
    path.write_text(TABLE_HTML, encoding="utf-8")
    assert read_source(str(path)) == SourceText(TABLE_HTML, "text", "utf-8", str(path))


@pytest.mark.parametrize("file_name", ["report", "report.dat"])
def test_unknown_or_missing_suffix_is_sniffed(tmp_path: Path, file_name: str) -> None:
    path = tmp_path / file_name
    path.write_text(TABLE_HTML, encoding="utf-8")
    assert read_source(str(path)).kind == "html"
    path.write_text("规章 13 13 524\n", encoding="utf-8")
    assert read_source(str(path)).kind == "text"


def test_read_markdown_as_is(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    text = "| 规章 | 13 |\n|---|---|\n<div>x</div>\n"
    path.write_text(text, encoding="utf-8")
    assert read_source(path) == SourceText(text, "markdown", "utf-8", str(path))


@pytest.mark.parametrize("suffix", [".html", ".HTM", ".shtml", ".xhtml"])
def test_read_html_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"r{suffix}"
    path.write_bytes(('<meta charset="gbk">' + TABLE_HTML).encode("gbk"))
    assert read_source(path) == SourceText(TABLE_TEXT, "html", "gb18030", str(path))


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read .*missing.txt"):
        read_source(tmp_path / "missing.txt")


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_source(tmp_path)


def test_too_large_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.txt"
    path.write_text("x" * 11, encoding="utf-8")
    with limits_override(max_input_bytes=10), pytest.raises(InputTooLargeError, match="11 bytes"):
        read_source(path)


def test_binary_file_with_text_suffix(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BinaryInputError):
        read_source(path)


def test_legacy_word_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "r.DOC"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormatError, match=r"save the report as \.docx"):
        read_source(path)


def test_empty_html_file(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text("<html><body><p>&nbsp;</p></body></html>", encoding="utf-8")
    with pytest.raises(EmptyInputError, match="HTML without any text"):
        read_source(path)


@pytest.mark.skipif(not (DEV / "r025.html").exists(), reason="dev corpus not present")
def test_read_real_html_r025() -> None:
    source = read_source(DEV / "r025.html")
    assert (source.kind, source.encoding) == ("html", "utf-8")
    assert "规章 | 13 | 13 | 524 |" in source.text.splitlines()


@pytest.mark.skipif(not (DEV / "r002.pdf").exists(), reason="dev corpus not present")
def test_read_real_pdf_r002() -> None:
    pytest.importorskip("pdfplumber")
    source = read_source(DEV / "r002.pdf")
    assert (source.kind, source.encoding, source.source) == ("pdf", None, str(DEV / "r002.pdf"))
    lines = source.text.splitlines()
    assert "行政许可 9487" in lines
    assert lines[:2] == ["淮安市洪泽区人民政府", "2024 年政府信息公开工作年度报告"]


def test_pdf_without_text_layer() -> None:
    pytest.importorskip("pdfplumber")
    with pytest.raises(UnsupportedFormatError, match="no text layer.*OCR is not supported"):
        source_from_bytes(_minimal_pdf_without_text(), name="scan.pdf")


def test_damaged_pdf(tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf")
    with pytest.raises(InputError, match="cannot open .*r.pdf as a PDF"):
        read_source(path)


def test_missing_pdf_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(UnsupportedFormatError, match=r"pip install 'gxparse\[pdf\]'"):
        source_from_bytes(b"%PDF-1.4\n")


def test_missing_docx_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(_docx_with_merged_cells())
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(UnsupportedFormatError, match=r"pip install 'gxparse\[docx\]'"):
        read_source(path)


def test_read_docx_with_merged_cells(tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(_docx_with_merged_cells())
    assert read_source(path) == SourceText(DOCX_TEXT, "docx", None, str(path))


def test_docx_nested_table_rows_follow_their_row() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "外"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "内1", "内2"
    buffer = io.BytesIO()
    document.save(buffer)
    assert source_from_bytes(buffer.getvalue()).text == "外 |  |\n内1 | 内2 |"


def test_docx_without_text() -> None:
    docx = pytest.importorskip("docx")
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(EmptyInputError, match="DOCX without any text"):
        source_from_bytes(buffer.getvalue())


def test_bytes_sniff_docx() -> None:
    source = source_from_bytes(_docx_with_merged_cells(), name="upload")
    assert source == SourceText(DOCX_TEXT, "docx", None, "upload")


@pytest.mark.skipif(not (DEV / "r002.pdf").exists(), reason="dev corpus not present")
def test_bytes_sniff_pdf() -> None:
    pytest.importorskip("pdfplumber")
    source = source_from_bytes((DEV / "r002.pdf").read_bytes(), name="r002")
    assert (source.kind, source.source) == ("pdf", "r002")
    assert "行政许可 9487" in source.text.splitlines()


def test_bytes_sniff_zip_that_is_not_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    with pytest.raises(UnsupportedFormatError, match="ZIP archive but not a DOCX"):
        source_from_bytes(buffer.getvalue())


@pytest.mark.parametrize("tag", ["<TABLE>", "<html>", "<p>", '<p class="x">', "<Div>"])
def test_bytes_sniff_html(tag: str) -> None:
    data = f"{tag}规章<br>13".encode("gb18030")
    source = source_from_bytes(data, name="page")
    assert source == SourceText("规章\n13", "html", "gb18030", "page")


@pytest.mark.parametrize("text", ["规章 <pre> 13", "a <param> b", "<tables> x"])
def test_bytes_without_html_tags_are_text(text: str) -> None:
    assert source_from_bytes(text.encode()) == SourceText(text, "text", "utf-8", None)


def test_html_tag_after_64k_characters_is_not_sniffed() -> None:
    assert source_from_text("x" * 65_000 + "<table>").kind == "html"
    assert source_from_text("x" * 65_536 + "<table>").kind == "text"


def test_bytes_errors_propagate() -> None:
    with pytest.raises(EmptyInputError):
        source_from_bytes(b"")
    with pytest.raises(BinaryInputError):
        source_from_bytes(b"\x00\x01\x02")


def test_text_sniff_html() -> None:
    assert source_from_text(TABLE_HTML, name="n") == SourceText(TABLE_TEXT, "html", None, "n")


def test_text_plain_normalises_line_endings() -> None:
    assert source_from_text("规章\r\n13\r") == SourceText("规章\n13\n", "text", None, None)


@pytest.mark.parametrize("text", ["", " \n\u3000\xa0"])
def test_text_empty(text: str) -> None:
    with pytest.raises(EmptyInputError):
        source_from_text(text)


def test_text_html_without_text() -> None:
    with pytest.raises(EmptyInputError, match="HTML without any text"):
        source_from_text("<div><script>x()</script></div>")


@pytest.mark.skipif(not (DEV / "r002.pdftext.txt").exists(), reason="dev corpus not present")
def test_docx_body_alone_reads_as_the_whole_package() -> None:
    """Reading word/document.xml alone gives the text python-docx gives from the whole package."""
    docx = pytest.importorskip("docx")
    from gxparse.sources import _docx_lines

    document = docx.Document()
    for line in (DEV / "r002.pdftext.txt").read_text(encoding="utf-8").splitlines()[:60]:
        document.add_paragraph(line)
    table = document.add_table(rows=6, cols=5)
    table.cell(0, 0).merge(table.cell(0, 4)).text = "第二十条第（一）项"
    table.cell(1, 0).merge(table.cell(3, 0)).text = "规章"
    for row in range(1, 6):
        for col in range(1, 5):
            table.cell(row, col).text = str(row * col)
    table.cell(4, 1).add_table(rows=1, cols=2).cell(0, 1).text = "嵌套"
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    whole = "\n".join(_docx_lines(docx.Document(io.BytesIO(data))))
    assert source_from_bytes(data).text == whole
    assert "规章 | 1 | 2 | 3 | 4 |" in whole.splitlines()
