"""Bytes of a page file → text, as Chinese archives really store it.

Archives come as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK,
with CRLF or CR line endings, and sometimes as a mix of UTF-8 and GB18030 lines (pages
pasted together from two systems). Anything else is refused rather than guessed:
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
_LINE_END = re.compile(rb"(\r\n|\r|\n)")
MIXED = "utf-8+gb18030"
_PUNCTUATION = frozenset("·—…‘’“”–")


@dataclass(frozen=True)
class Decoded:
    text: str  # line endings normalised to "\n"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030", or MIXED
    fallback: bool  # True when the bytes were not UTF-8 and a legacy encoding was used
    # For MIXED: the 1-based line numbers decoded as UTF-8 and as GB18030 (ASCII-only lines,
    # the same in both, go with the line before them).
    utf8_lines: tuple[int, ...] = ()
    legacy_lines: tuple[int, ...] = ()


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
        except UnicodeDecodeError:
            decoded = _decode_by_line(data, source)
            if not _looks_like_text(decoded.text, True):
                raise NewsgenError(f"does not look like text in {decoded.encoding} (binary data?)", source) from None
            return decoded
    if not _looks_like_text(text, fallback):
        raise NewsgenError(f"does not look like text in {encoding} (binary data?)", source)
    return Decoded(_normalise_newlines(text), encoding, fallback)


def _decode_by_line(data: bytes, source: str) -> Decoded:
    """A file that is not UTF-8 as a whole, decoded line by line: GB18030 for a legacy file,
    and for a file pasted together from both, each line in its own encoding (decoding it all
    as GB18030 would turn its UTF-8 lines into mojibake). A line that is neither is refused."""
    pieces = _LINE_END.split(data)  # line, ending, line, ending, ..., line
    readings: list[dict[str, str]] = []  # per line, its text in each encoding that can read it
    for number, raw in enumerate(pieces[::2], 1):
        reading = _readings(raw)
        if not reading:
            raise _line_error(raw, number, source)
        readings.append(reading)
    labels = _choose(readings)
    texts = [reading[label or "ascii"] for reading, label in zip(readings, labels)]
    endings = [ending.decode("ascii") for ending in pieces[1::2]] + [""]
    text = _normalise_newlines("".join(line + ending for line, ending in zip(texts, endings)))
    if "utf-8" not in labels:  # a plain legacy file: the same as decoding it whole
        return Decoded(text, "gb18030", True)
    utf8, legacy = _line_numbers(labels)
    return Decoded(text, MIXED, True, utf8, legacy)


def _readings(raw: bytes) -> dict[str, str]:
    """A line's text by encoding: {"ascii": …} for a line both read alike, else "utf-8" and
    "gb18030" for those that can read it (none for a line neither can)."""
    found: dict[str, str] = {}
    for encoding in ("utf-8", "gb18030"):
        try:
            found[encoding] = raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    if "utf-8" in found and found["utf-8"].isascii():
        return {"ascii": found["utf-8"]}
    return found


def _choose(readings: list[dict[str, str]]) -> list[str]:
    """Per line: "utf-8", "gb18030", or "" for ASCII. A line both encodings read goes to the
    reading with more of the characters Chinese prose is made of (valid UTF-8 is rarely an
    accident, but a short GB18030 line can be: 小 is Cyrillic С in UTF-8); when they tie
    (路 is · in UTF-8), to the encoding of the nearest line before it, else after it."""
    labels: list[str | None] = []
    for reading in readings:
        if "ascii" in reading:
            labels.append("")
        elif len(reading) == 1:
            labels.append(next(iter(reading)))
        else:
            utf8, legacy = _common_share(reading["utf-8"]), _common_share(reading["gb18030"])
            labels.append(None if utf8 == legacy else "utf-8" if utf8 > legacy else "gb18030")
    # Some line UTF-8 cannot read exists (the file is not UTF-8), so something is decided.
    previous = next((label for label in labels if label), "gb18030")
    chosen: list[str] = []
    for label in labels:
        if label is None:
            label = previous
        elif label:
            previous = label
        chosen.append(label)
    return chosen


def _common_share(text: str) -> float:
    """The share of `text` that Chinese prose is made of: GB2312's Han characters, ASCII and
    Chinese punctuation. GB18030 bytes read as UTF-8 come out as rarer Han characters or as
    Greek and Cyrillic letters; UTF-8 bytes read as GB18030, as box drawing and rare Han."""
    return sum(1 for char in text if _is_common(char)) / len(text)


def _is_common(char: str) -> bool:
    if char.isascii() or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef" or char in _PUNCTUATION:
        return True
    if not _HAN.match(char):
        return False
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _line_numbers(labels: list[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The 1-based numbers of the lines read as UTF-8 and as GB18030; an ASCII line goes with
    the line before it (with the first non-ASCII line, at the top), so runs stay whole."""
    current = next(label for label in labels if label)
    utf8: list[int] = []
    legacy: list[int] = []
    for number, label in enumerate(labels, 1):
        current = label or current
        (utf8 if current == "utf-8" else legacy).append(number)
    return tuple(utf8), tuple(legacy)


def _line_error(raw: bytes, number: int, source: str) -> NewsgenError:
    """The error for line `number`, neither UTF-8 nor GB18030, naming the byte GB18030 stops at."""
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        return _decode_error(raw, exc, source, "UTF-8, UTF-16 or GB18030", first_line=number)
    raise AssertionError("only lines GB18030 refuses come here")


def _decode_error(
    data: bytes, exc: UnicodeDecodeError, source: str, expected: str, first_line: int = 1
) -> NewsgenError:
    """`data` starts on line `first_line` of the file."""
    line = data.count(b"\n", 0, exc.start) + first_line
    return NewsgenError(f"cannot decode as {expected}: bad byte 0x{data[exc.start]:02x}", source, line)
