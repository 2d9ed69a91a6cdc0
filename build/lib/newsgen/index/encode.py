"""The compact posting format of the shards (decoded by assets/search.js).

A shard holds entries ``term SP body-postings [, title-postings]`` joined by ``|``.
A posting list is a sequence of variable-length numbers written with 64 ASCII digits:
a digit below 48 ends a number (base 48), digits 48-63 carry 4 more significant bits each,
most significant first: 0-47 take one character, up to 815 two, up to 13103 three. For each document, in ascending document number: ``(gap - 1) * 2 + (tf > 1)``,
followed by ``tf - 2`` when tf > 1. So a term in most documents costs about one byte a
document, and lunr's weights are *not* stored: the browser recomputes them (BM25 with
b = 0 needs only the term frequency and the number of documents holding the term).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_VALUE = {c: i for i, c in enumerate(DIGITS)}
ENTRY_SEP = "|"
TERM_SEP = " "
FIELD_SEP = ","


TERMINAL = 48  # digits below end a number
HIGH = 64 - TERMINAL  # values of a continuation digit


def write_number(value: int, out: list[str]) -> None:
    """Bijective: each length covers the values the shorter ones cannot (no wasted codes)."""
    if value < 0:
        raise ValueError(value)
    span, length = TERMINAL, 1
    while value >= span:  # find how many digits: TERMINAL * HIGH**(length-1) values each
        value -= span
        span *= HIGH
        length += 1
    last = value % TERMINAL
    value //= TERMINAL
    high = []
    for _ in range(length - 1):
        high.append(value % HIGH)
        value //= HIGH
    for digit in reversed(high):
        out.append(DIGITS[TERMINAL + digit])
    out.append(DIGITS[last])


def read_numbers(text: str) -> Iterator[int]:
    value = 0
    offset = 0  # values covered by shorter codes
    span = TERMINAL
    for ch in text:
        digit = _VALUE[ch]
        if digit >= TERMINAL:
            value = value * HIGH + digit - TERMINAL
            offset += span
            span *= HIGH
        else:
            yield offset + value * TERMINAL + digit
            value = 0
            offset = 0
            span = TERMINAL


def encode_postings(postings: Iterable[tuple[int, int]]) -> str:
    """(document number, term frequency) pairs in ascending document order."""
    out: list[str] = []
    previous = -1
    for doc, tf in postings:
        if doc <= previous or tf < 1:
            raise ValueError(f"postings out of order at document {doc}")
        write_number((doc - previous - 1) * 2 + (tf > 1), out)
        if tf > 1:
            write_number(tf - 2, out)
        previous = doc
    return "".join(out)


def decode_postings(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    numbers = read_numbers(text)
    previous = -1
    for value in numbers:
        doc = previous + 1 + (value >> 1)
        tf = next(numbers) + 2 if value & 1 else 1
        out.append((doc, tf))
        previous = doc
    return out


def encode_entry(term: str, body: list[tuple[int, int]], title: list[tuple[int, int]]) -> str:
    entry = term + TERM_SEP + encode_postings(body)
    if title:
        entry += FIELD_SEP + encode_postings(title)
    return entry


def decode_shard(text: str) -> dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    out = {}
    for entry in text.split(ENTRY_SEP) if text else []:
        term, _, lists = entry.partition(TERM_SEP)
        body, _, title = lists.partition(FIELD_SEP)
        out[term] = (decode_postings(body), decode_postings(title))
    return out
