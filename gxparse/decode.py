"""Turn the bytes of a report into text.

Reports reach gxparse as UTF-8, UTF-16 with a BOM, GBK/GB2312/GB18030, or occasionally some
other legacy encoding. :func:`decode_bytes` tries them from the most to the least certain, and
refuses input that is empty, binary or too large with the matching
:class:`~gxparse.errors.InputError` subclass, so a caller never gets mojibake silently.

Downloads are damaged in small ways: cut inside the last multi-byte character, or a stray byte
in the middle. Such a file is still the report: the cut character is dropped and damaged bytes
become U+FFFD, each with a warning on :attr:`DecodedText.warnings` that says how many bytes and
where. Only input whose damage exceeds :data:`MAX_DAMAGED_RATIO` is refused.

The only change made to the decoded text is line-ending normalisation (CRLF and CR become LF):
NBSP, full-width characters and the like are kept, because a later stage normalises them while
keeping character offsets into this text.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from gxparse.errors import BinaryInputError, EmptyInputError, EncodingError
from gxparse.limits import check_input_bytes

MAX_DAMAGED_RATIO = 0.02
"""Largest share of undecodable bytes that is replaced (with a warning) instead of refused.

A stray byte or a few damaged sectors are well under 1 %; the wrong encoding (GBK read as
UTF-8) leaves more than half of the bytes undecodable.
"""
_MAX_CUT_BYTES = 3  # a character cut at the end leaves at most 3 bytes (UTF-8 4-byte, GB18030 4-byte)
_MAX_WARNED_OFFSETS = 5

_SNIFF_BYTES = 8192
_MAX_CONTROL_RATIO = 0.10
_MIN_TEXTLIKE_RATIO = 0.90
_MAX_DETECTOR_CHAOS = 0.20
_ALLOWED_CONTROLS = frozenset(map(ord, "\t\n\r\f"))
_CONTROL_CLASS = "[" + "".join(f"\\x{code:02x}" for code in (*range(0x20), 0x7F) if code not in _ALLOWED_CONTROLS) + "]"
_CONTROL_CHARS = re.compile(_CONTROL_CLASS)
"""C0 controls and DEL other than tab, LF, CR and form feed (what binary data is full of), in text."""
_CONTROL_BYTES = re.compile(_CONTROL_CLASS.encode("ascii"))
"""The same controls in raw bytes."""
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
    warnings : tuple of str
        Repairs made while decoding: bytes replaced (how many, at which offsets) or a
        multi-byte character cut at the end dropped.
    """

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes) -> DecodedText:
    """Decode the bytes of a text report.

    Encodings are tried from the most to the least certain: a BOM (UTF-8, UTF-16 LE/BE), strict
    UTF-8, strict GB18030 (a superset of GBK and GB2312) when the result is mostly CJK/ASCII
    text, the same two with damaged bytes replaced (at most :data:`MAX_DAMAGED_RATIO` of them,
    with a warning), and finally charset-normalizer's guess when it is confident and text-like.

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
        If ``data`` is longer than :attr:`gxparse.limits.Limits.max_input_bytes`.
    EmptyInputError
        If ``data`` is empty or decodes to white space only.
    BinaryInputError
        If ``data`` has NUL bytes or more than 10 % control characters.
    EncodingError
        If no supported encoding decodes ``data`` to plausible text, even with replacements.
    """
    check_input_bytes(len(data))
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
    return DecodedText(normalize_newlines(decoded.text), decoded.encoding, decoded.warnings)


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
    """Try UTF-8, GB18030 (strict, then repaired), then charset-normalizer; raise EncodingError.

    UTF-8 with a few damaged bytes is preferred to strict GB18030, which decodes most UTF-8
    byte sequences into plausible-looking but wrong ideographs.
    """
    utf8 = _decode_tolerant(data, "utf-8")
    if utf8 is not None and not utf8.warnings:
        return utf8
    strict_gb = _decode_tolerant(data, "gb18030", max_damaged=0)
    if strict_gb is not None and not strict_gb.warnings and _is_textlike(strict_gb.text):
        return strict_gb
    if utf8 is not None:
        return utf8
    repaired_gb = _decode_tolerant(data, "gb18030")
    if repaired_gb is not None and _is_textlike(repaired_gb.text):
        return repaired_gb
    detected = _detect(data)
    if detected is None:
        raise EncodingError(
            "cannot decode the input: tried UTF-8, UTF-16 (byte-order mark), GB18030/GBK/GB2312 "
            f"(each with up to {MAX_DAMAGED_RATIO:.0%} damaged bytes replaced) and charset-normalizer "
            "detection; none gave plausible text"
        )
    return detected


_damage = threading.local()


def _record_damage(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note the damaged byte range, replace it with U+FFFD."""
    assert isinstance(exc, UnicodeDecodeError)
    _damage.ranges.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("gxparse-record", _record_damage)


def _decode_tolerant(data: bytes, encoding: str, max_damaged: float = MAX_DAMAGED_RATIO) -> DecodedText | None:
    """Decode ``data`` as ``encoding``, dropping a character cut at the end and replacing damaged bytes.

    Returns None when more than ``max_damaged`` of the bytes (cut end aside) are damaged.
    """
    try:
        return DecodedText(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        body = _without_cut_end(data, encoding)
    warnings = []
    if len(body) < len(data):
        warnings.append(f"dropped {len(data) - len(body)} byte(s) at the end of the input: a multi-byte "
                        f"{encoding} character cut short (an incomplete download?)")
    _damage.ranges = []
    text = body.decode(encoding, errors="gxparse-record")
    ranges, _damage.ranges = _damage.ranges, []
    damaged = sum(end - start for start, end in ranges)
    if damaged > max_damaged * len(data):
        return None
    if damaged:
        offsets = ", ".join(str(start) for start, _ in ranges[:_MAX_WARNED_OFFSETS])
        more = ", ..." if len(ranges) > _MAX_WARNED_OFFSETS else ""
        warnings.append(f"replaced {damaged} undecodable byte(s) with U+FFFD while decoding as {encoding}, "
                        f"at byte offset(s) {offsets}{more}")
    return DecodedText(text, encoding, tuple(warnings))


def _without_cut_end(data: bytes, encoding: str) -> bytes:
    """Return ``data`` without the incomplete character at its end, if dropping it makes the end decodable."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return data
    pending = len(decoder.getstate()[0])
    return data[: len(data) - pending] if 0 < pending <= _MAX_CUT_BYTES else data


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
    controls = _CONTROL_BYTES if isinstance(sample, bytes) else _CONTROL_CHARS
    n_controls = len(controls.findall(sample))  # one regex pass, not a Python call per character
    if sample and n_controls / len(sample) > _MAX_CONTROL_RATIO:
        raise BinaryInputError(
            f"the input looks like binary data ({n_controls} control characters in the first "
            f"{len(sample)}), not a text report"
        )
