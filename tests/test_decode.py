"""Tests of gxparse.decode: encodings tried in order, and refusal of unusable input."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxparse import decode
from gxparse.decode import DecodedText, decode_bytes, normalize_newlines
from gxparse.limits import get_limits, limits_override
from gxparse.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    InputTooLargeError,
)

SNIPPET = "三、收到和处理政府信息公开申请情况"
REPORT = "二、主动公开政府信息情况\n规章\xa0 | １３ | 13 | 524 |\n"


def test_utf8() -> None:
    assert decode_bytes(REPORT.encode("utf-8")) == DecodedText(REPORT, "utf-8")


def test_utf8_bom_is_removed() -> None:
    assert decode_bytes(b"\xef\xbb\xbf" + REPORT.encode("utf-8")) == DecodedText(
        REPORT, "utf-8-sig"
    )


@pytest.mark.parametrize(
    ("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
)
def test_utf16_with_bom_is_not_binary(bom: bytes, codec: str) -> None:
    data = bom + REPORT.encode(codec)
    assert b"\x00" in data
    assert decode_bytes(data) == DecodedText(REPORT, codec)


def test_utf16_bom_with_odd_length_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError, match="utf-16-le"):
        decode_bytes(b"\xff\xfe" + SNIPPET.encode("utf-16-le") + b"\x41")


@pytest.mark.parametrize("codec", ["gbk", "gb2312", "gb18030"])
def test_gbk_family(codec: str) -> None:
    assert decode_bytes(SNIPPET.encode(codec)) == DecodedText(SNIPPET, "gb18030")


def test_gb18030_beyond_gbk() -> None:
    text = "报告𠮷 2024年 第（一）项"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert decode_bytes(text.encode("gb18030")) == DecodedText(text, "gb18030")


def test_gb18030_keeps_nbsp_and_full_width() -> None:
    assert decode_bytes(REPORT.encode("gb18030")) == DecodedText(REPORT, "gb18030")


def test_big5_found_by_detector_not_misread_as_gb18030() -> None:
    text = "三、收到和處理政府信息公開申請情況\n（一）予以公開 12 件；規章 13 13 524\n"
    data = text.encode("big5")
    data.decode("gb18030")  # decodes strictly, to mojibake that must be refused
    assert decode_bytes(data) == DecodedText(text, "big5")


def test_line_endings_are_normalised() -> None:
    assert decode_bytes(b"a\r\nb\rc\n\r\n").text == "a\nb\nc\n\n"


def test_normalize_newlines() -> None:
    assert normalize_newlines("a\r\n\r\rb\n") == "a\n\n\nb\n"


@pytest.mark.parametrize(
    "data", [b"", b" \r\n\t ", "\u3000\xa0\n".encode(), b"\xef\xbb\xbf", b"\xff\xfe \x00"]
)
def test_empty_or_whitespace(data: bytes) -> None:
    with pytest.raises(EmptyInputError):
        decode_bytes(data)


def test_random_bytes_with_nul_are_binary() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096)) + b"\x00"
    with pytest.raises(BinaryInputError, match=r"looks like binary data \(NUL byte at offset"):
        decode_bytes(b"abc\x00" + data)


def test_png_header_is_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    with pytest.raises(BinaryInputError, match="not a text report"):
        decode_bytes(png)


def test_many_control_characters_are_binary() -> None:
    with pytest.raises(BinaryInputError, match=r"\(20 control characters in the first 50\)"):
        decode_bytes(b"\x01\x02abc" * 10)


def test_few_control_characters_are_text() -> None:
    data = "规章 13\f\x1b 524\n".encode() * 3
    assert decode_bytes(data).text == "规章 13\f\x1b 524\n" * 3


def test_too_large() -> None:
    with limits_override(max_input_bytes=10):
        assert decode_bytes(b"x" * 10).text == "x" * 10
        with pytest.raises(InputTooLargeError, match="11 bytes, more than the limit of 10 bytes"):
            decode_bytes(b"x" * 11)


def test_default_limit() -> None:
    assert get_limits().max_input_bytes == 20_000_000


def test_latin1_garbage_is_an_encoding_error() -> None:
    data = "àéîõü ÿ çñ ".encode("latin-1") * 20
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    with pytest.raises(EncodingError, match="UTF-8.*GB18030.*charset-normalizer"):
        decode_bytes(data)


def test_errors_are_input_errors_and_value_errors() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(b"")
    assert isinstance(info.value, ValueError)


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\r\n\t")
)


@given(_TEXT)
def test_any_utf8_text_round_trips(text: str) -> None:
    if text.strip():
        assert decode_bytes(text.encode("utf-8")).text == normalize_newlines(text)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_or_raise_input_error(data: bytes) -> None:
    try:
        result = decode_bytes(data)
    except InputError:
        return
    assert result.text.strip()
    assert "\r" not in result.text
