"""Turn the bytes of a report into text.

Reports reach gxparse as UTF-8, UTF-16 with a BOM, GBK/GB2312/GB18030, or occasionally some
other legacy encoding. :func:`decode_bytes` tries them from the most to the least certain, and
refuses input that is empty, binary or too large with the matching
:class:`~gxparse.errors.InputError` subclass, so a caller never gets mojibake silently.

The only change made to the decoded text is line-ending normalisation (CRLF and CR become LF):
NBSP, full-width characters and the like are kept, because a later stage normalises them while
keeping character offsets into this text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from gxparse.errors import BinaryInputError, EmptyInputError, EncodingError, InputTooLargeError

MAX_INPUT_BYTES = 20_000_000
"""Largest input, in bytes, that :func:`decode_bytes` accepts."""

_SNIFF_BYTES = 8192
_MAX_CONTROL_RATIO = 0.10
_MIN_TEXTLIKE_RATIO = 0.90
_MAX_DETECTOR_CHAOS = 0.20
_ALLOWED_CONTROLS = frozenset(map(ord, "\t\n\r\f"))
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Characters expected in a Chinese report: ASCII, Latin-1 punctuation (NBSP, ·, °, ×, ÷),
# general punctuation, letterlike symbols and number forms (Ⅰ, №), enclosed numbers (①),
# box drawing and shapes, CJK punctuation, ideographs, compatibility and full-width forms.
_NOT_TEXTLIKE = re.compile(
    "[^\x00-\x7f\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2100-\u218f\u2460-\u24ff"
    "\u2500-\u25ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff]"
)
_LINE_BREAK = re.compile(r"\r\n?")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, with the name of the encoding that decoded it.

    Attributes
    ----------
    text : str
        The decoded text, BOM removed, line endings normalised to ``"\\n"``.
    encoding : str
        Python codec name: ``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``utf-16-be``,
        ``gb18030``, or the name charset-normalizer detected.
    """

    text: str
    encoding: str


def decode_bytes(data: bytes) -> DecodedText:
    """Decode the bytes of a text report.

    Encodings are tried from the most to the least certain: a BOM (UTF-8, UTF-16 LE/BE), strict
    UTF-8, strict GB18030 (a superset of GBK and GB2312) when the result is mostly CJK/ASCII
    text, and finally charset-normalizer's guess when it is confident and text-like.

    Parameters
    ----------
    data : bytes
        The raw content of a file or HTTP response.

    Returns
    -------
    DecodedText
        The text, with line endings normalised to ``"\\n"`` and nothing else changed.

    Raises
    ------
    InputTooLargeError
        If ``data`` is longer than :data:`MAX_INPUT_BYTES`.
    EmptyInputError
        If ``data`` is empty or decodes to white space only.
    BinaryInputError
        If ``data`` has NUL bytes or more than 10 % control characters.
    EncodingError
        If no supported encoding decodes ``data`` to plausible text.
    """
    check_size(len(data))
    if not data:
        raise EmptyInputError("the input is empty (0 bytes)")
    decoded = _decode_with_bom(data)
    if decoded is None:
        _reject_binary(data[:_SNIFF_BYTES])
        decoded = _decode_without_bom(data)
    else:
        _reject_control_chars(decoded.text[:_SNIFF_BYTES])
    if not decoded.text.strip():
        raise EmptyInputError("the input holds only white space")
    return DecodedText(normalize_newlines(decoded.text), decoded.encoding)


def check_size(n_bytes: int) -> None:
    """Refuse an input larger than :data:`MAX_INPUT_BYTES`.

    Exposed so that file readers can check a file's size before reading it into memory.

    Parameters
    ----------
    n_bytes : int
        Size of the input in bytes.

    Raises
    ------
    InputTooLargeError
        If ``n_bytes`` exceeds the limit (read at call time, so it can be changed).
    """
    if n_bytes > MAX_INPUT_BYTES:
        raise InputTooLargeError(
            f"the input is {n_bytes:,} bytes, more than the limit of {MAX_INPUT_BYTES:,} bytes"
        )


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into LF.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``text`` with every ``"\\r\\n"`` and ``"\\r"`` replaced by ``"\\n"``.
    """
    return _LINE_BREAK.sub("\n", text)


def _decode_with_bom(data: bytes) -> DecodedText | None:
    """Decode ``data`` by its byte-order mark, or return None when it has none."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"the input starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding}: {exc.reason} at byte {exc.start + len(bom)}"
                ) from exc
    return None


def _decode_without_bom(data: bytes) -> DecodedText:
    """Try strict UTF-8, strict GB18030, then charset-normalizer; raise EncodingError."""
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _is_textlike(text):
            return DecodedText(text, "gb18030")
    detected = _detect(data)
    if detected is None:
        raise EncodingError(
            "cannot decode the input: tried UTF-8, UTF-16 (byte-order mark), GB18030/GBK/GB2312 "
            "and charset-normalizer detection; none gave plausible text"
        )
    return detected


def _detect(data: bytes) -> DecodedText | None:
    """Return charset-normalizer's best guess if it is confident and text-like, else None.

    Imported here: it is the last resort, and slower to import than the rest of the module.
    """
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > _MAX_DETECTOR_CHAOS:
        return None
    text = str(best)
    return DecodedText(text, best.encoding) if _is_textlike(text) else None


def _is_textlike(text: str) -> bool:
    """Tell whether at least 90 % of ``text`` is ASCII, CJK or common report symbols.

    A wrong legacy decoding (Big5 read as GB18030, Latin-1 guessed for garbage) yields kana,
    Cyrillic, accented letters or private-use characters instead.
    """
    if not text:
        return False
    foreign = len(text) - len(_NOT_TEXTLIKE.sub("", text))
    return 1 - foreign / len(text) >= _MIN_TEXTLIKE_RATIO


def _reject_binary(sample: bytes) -> None:
    """Raise BinaryInputError if ``sample`` (the first bytes) holds NULs or many controls."""
    if b"\x00" in sample:
        raise BinaryInputError(
            f"the input looks like binary data (NUL byte at offset {sample.index(0)}), "
            "not a text report"
        )
    _reject_control_chars(sample)


def _reject_control_chars(sample: bytes | str) -> None:
    """Raise BinaryInputError if more than 10 % of ``sample`` are control characters.

    ``sample`` is raw bytes or decoded text; tab, LF, CR and form feed are not counted.
    """
    codes = sample if isinstance(sample, bytes) else map(ord, sample)
    n_controls = sum(1 for code in codes if _is_control(code))
    if sample and n_controls / len(sample) > _MAX_CONTROL_RATIO:
        raise BinaryInputError(
            f"the input looks like binary data ({n_controls} control characters in the first "
            f"{len(sample)}), not a text report"
        )


def _is_control(code: int) -> bool:
    """Tell whether ``code`` is a C0 control or DEL other than tab, LF, CR and form feed."""
    return (code < 0x20 or code == 0x7F) and code not in _ALLOWED_CONTROLS
