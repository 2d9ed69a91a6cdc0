"""Bytes of a page file → text, as Chinese archives really store it.

Archives come as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK,
with CRLF or CR line endings. Anything else is refused rather than guessed:
a wrong guess would silently turn an article into mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from newsgen.errors import NewsgenError

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    text: str  # line endings normalised to "\n"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030"
    fallback: bool  # True when the bytes were not UTF-8 and a legacy encoding was used


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_text(text: str, legacy: bool) -> bool:
    """Reject binary data that happened to decode: control bytes, or (for a legacy
    encoding, which accepts most byte soup) anything but Chinese prose."""
    if not text:
        return True
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        return False
    if not legacy:
        return True
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return True
    readable = sum(
        1
        for c in non_ascii
        if _HAN.match(c) or unicodedata.category(c)[0] in "PZS" or "\uff00" <= c <= "\uffef" or "\u3000" <= c <= "\u303f"
    )
    return readable / len(non_ascii) >= 0.9


def decode_page(data: bytes, source: str) -> Decoded:
    """Decode a page file or raise NewsgenError naming it."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body, fallback = "utf-8-sig", data[len(codecs.BOM_UTF8) :], False
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _decode_error(data, exc, source, "UTF-8 (it starts with a UTF-8 BOM)") from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, fallback = "utf-16", False
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NewsgenError(f"not valid UTF-16 although it starts with a UTF-16 BOM ({exc.reason})", source) from None
    else:
        if b"\x00" in data:
            raise NewsgenError("binary file (it contains NUL bytes), not a page of text", source)
        try:
            text, encoding, fallback = data.decode("utf-8"), "utf-8", False
        except UnicodeDecodeError as utf8_error:
            try:
                text, encoding, fallback = data.decode("gb18030"), "gb18030", True
            except UnicodeDecodeError:
                raise _decode_error(data, utf8_error, source, "UTF-8, UTF-16 or GB18030") from None
    if not _looks_like_text(text, fallback):
        raise NewsgenError(f"does not look like text in {encoding} (binary data?)", source)
    return Decoded(_normalise_newlines(text), encoding, fallback)


def _decode_error(data: bytes, exc: UnicodeDecodeError, source: str, expected: str) -> NewsgenError:
    line = data.count(b"\n", 0, exc.start) + 1
    return NewsgenError(f"cannot decode as {expected}: bad byte 0x{data[exc.start]:02x}", source, line)
