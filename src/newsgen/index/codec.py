"""The compact posting format of the shards (decoded by assets/search.js, ``decodeList``).

A shard holds entries ``term SP body-postings [, title-postings]`` joined by ``|``.

A posting list is a bit stream written six bits to a character with the 64 ASCII digits below
(most significant bit first). Its first character is the Rice parameter ``k`` of the list;
then, for each document in ascending number:

* the gap to the previous document minus one (the first document counts from -1) as a Rice
  code: ``gap >> k`` one-bits, a zero-bit, then the ``k`` low bits of the gap;
* one bit: is the term frequency above 1? If so, ``tf - 2`` as an order-0 exp-Golomb code
  (``v + 1`` in binary, preceded by as many zero-bits as it has bits after the first).

The stream is padded with one-bits (an unfinished unary code: the reader stops there). ``k`` is
chosen per block to make it shortest.

A list longer than ``BLOCK`` postings is cut into blocks of ``BLOCK`` (the last one shorter),
joined by ``.``; a block after the first opens with the number of the previous block's last
document, in ``width`` digits (``header_width``: the same for every list of an archive), and
its gaps count from there. So the last block of a list can be read, and the list extended by
new documents, without reading the blocks before it (``append_packed``): adding articles to an
archive re-encodes only the tails of the lists their terms are in, and the result is what
encoding the whole list gives. A term in most documents costs about a third of a byte a
document; lunr's weights are *not* stored: the browser recomputes them (BM25 with b = 0 needs
only the term frequency and the number of documents holding the term).
"""

from __future__ import annotations

from collections.abc import Sequence

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_VALUE = {c: i for i, c in enumerate(DIGITS)}
ENTRY_SEP = "|"
TERM_SEP = " "
FIELD_SEP = ","
BLOCK_SEP = "."
MAX_K = 24
BLOCK = 128  # postings a block: at most this many are decoded to extend a list


def header_width(n: int) -> int:
    """Digits of a block header in an archive of ``n`` documents (numbered from 0)."""
    width = 1
    while 64**width < n:
        width += 1
    return width


def _header(previous: int, width: int) -> str:
    if not 0 <= previous < 64**width:
        raise ValueError(f"document {previous} does not fit a block header of {width} digits")
    return "".join(DIGITS[(previous >> (6 * i)) & 63] for i in reversed(range(width)))


def _read_header(text: str) -> int:
    value = 0
    for c in text:
        value = value << 6 | _VALUE[c]
    return value


def _gaps(postings: Sequence[tuple[int, int]], previous: int) -> list[int]:
    out = []
    for doc, tf in postings:
        if doc <= previous or tf < 1:
            raise ValueError(f"postings out of order at document {doc}")
        out.append(doc - previous - 1)
        previous = doc
    return out


def _best_k(gaps: list[int]) -> int:
    """The shortest Rice parameter: near log2 of the mean gap, so only three are tried."""
    mean = sum(gaps) / len(gaps)
    guess = max(0, int(mean).bit_length() - 1)
    best, best_bits = 0, None
    for k in range(max(0, guess - 1), min(MAX_K, guess + 1) + 1):
        bits = sum(g >> k for g in gaps) + (1 + k) * len(gaps)
        if best_bits is None or bits < best_bits:
            best, best_bits = k, bits
    return best


_SIX_BITS = {format(i, "06b"): DIGITS[i] for i in range(64)}


def _low_bits(k: int) -> list[str]:
    return [format(i, f"0{k}b") for i in range(1 << k)] if k else [""]


_LOW_BITS = [_low_bits(k) for k in range(13)]


def encode_postings(postings: Sequence[tuple[int, int]], width: int) -> str:
    """(document number, term frequency) pairs in ascending document order, in blocks."""
    out = []
    previous = -1
    for start in range(0, len(postings), BLOCK):
        block = postings[start : start + BLOCK]
        if start:
            out.append(BLOCK_SEP + _header(previous, width))
        out.append(_encode_block(block, previous))
        previous = block[-1][0]
    return "".join(out)


def _encode_block(postings: Sequence[tuple[int, int]], previous: int) -> str:
    gaps = _gaps(postings, previous)
    k = _best_k(gaps)
    mask = (1 << k) - 1
    lows = _LOW_BITS[k] if k < len(_LOW_BITS) else None
    bits: list[str] = []
    for gap, (_, tf) in zip(gaps, postings):
        low = lows[gap & mask] if lows is not None else format(gap & mask, f"0{k}b")
        if tf > 1:
            value = format(tf - 1, "b")  # (tf - 2) + 1, as exp-Golomb
            bits.append("1" * (gap >> k) + "0" + low + "1" + "0" * (len(value) - 1) + value)
        else:
            bits.append("1" * (gap >> k) + "0" + low + "0")
    stream = "".join(bits)
    stream += "1" * (-len(stream) % 6)
    return DIGITS[k] + "".join([_SIX_BITS[stream[i : i + 6]] for i in range(0, len(stream), 6)])


def decode_postings(text: str, width: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for number, block in enumerate(text.split(BLOCK_SEP) if text else []):
        previous = _read_header(block[:width]) if number else -1
        out += _decode_block(block[width:] if number else block, previous)
    return out


def _decode_block(text: str, previous: int) -> list[tuple[int, int]]:
    k = _VALUE[text[0]]
    stream = "".join(format(_VALUE[c], "06b") for c in text[1:])
    out: list[tuple[int, int]] = []
    at, end = 0, len(stream)
    while True:
        quotient = 0
        while at < end and stream[at] == "1":
            quotient += 1
            at += 1
        if at >= end:
            return out  # padding: an unfinished unary code
        at += 1
        low = int(stream[at : at + k], 2) if k else 0
        at += k
        doc = previous + 1 + (quotient << k) + low
        flag = stream[at]
        at += 1
        tf = 1
        if flag == "1":
            zeros = 0
            while stream[at] == "0":
                zeros += 1
                at += 1
            tf = int(stream[at : at + zeros + 1], 2) + 1
            at += zeros + 1
        out.append((doc, tf))
        previous = doc


def encode_entry(term: str, body: list[tuple[int, int]], title: list[tuple[int, int]], width: int) -> str:
    entry = term + TERM_SEP + encode_postings(body, width)
    if title:
        entry += FIELD_SEP + encode_postings(title, width)
    return entry


def decode_shard(text: str, width: int) -> dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    out = {}
    for entry in text.split(ENTRY_SEP) if text else []:
        term, _, lists = entry.partition(TERM_SEP)
        body, _, title = lists.partition(FIELD_SEP)
        out[term] = (decode_postings(body, width), decode_postings(title, width))
    return out


# --- the same encoding, fast -----------------------------------------------------------------
#
# The index builder keeps a posting as one int, ``document << TF_BITS | tf``, in an
# ``array("q")`` per term and field, and encodes a whole list with a few passes of ``map`` over
# it (C loops, no tuple per posting): the codes of (gap, tf) pairs come from a table per Rice
# parameter, and the bit string becomes characters through ``int(bits, 2)`` and base64 (whose
# six-bit groups are ours, in another alphabet). ``encode_postings`` stays the readable
# definition; the tests check the two agree.

import base64 as _base64  # noqa: E402
from itertools import repeat as _repeat  # noqa: E402
from operator import add as _add, and_ as _and, rshift as _rshift, sub as _sub  # noqa: E402

TF_BITS = 24
TF_MASK = (1 << TF_BITS) - 1
_ONE = 1 << TF_BITS
_HIGH = ~TF_MASK
_FROM_BASE64 = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", DIGITS.encode("ascii")
)


class _Codes(dict):
    """(gap << TF_BITS | tf) → the bits of one posting, for one Rice parameter ``k``."""

    def __init__(self, k: int):
        super().__init__()
        self.k = k

    def __missing__(self, key: int) -> str:
        k = self.k
        gap, tf = key >> TF_BITS, key & TF_MASK
        low = format(gap & ((1 << k) - 1), f"0{k}b") if k else ""
        if tf > 1:
            value = format(tf - 1, "b")
            code = "1" * (gap >> k) + "0" + low + "1" + "0" * (len(value) - 1) + value
        else:
            code = "1" * (gap >> k) + "0" + low + "0"
        if gap >> k < 64:  # keep the table small: long unary codes are rare and unshared
            self[key] = code
        return code


_CODES = [_Codes(k) for k in range(MAX_K + 1)]


def pack(document: int, tf: int) -> int:
    if not 0 < tf <= TF_MASK:
        raise ValueError(f"term frequency {tf} out of range")
    return document << TF_BITS | tf


def encode_packed(keys: Sequence[int], width: int, previous: int = -1) -> str:
    """``encode_postings`` of packed postings (``pack(document, tf)``, ascending, no repeats);
    with ``previous``, the tail of a list whose block before ``keys`` ends at that document
    (``keys`` then begin a block)."""
    if len(keys) <= BLOCK:
        return _encode_packed_block(keys, previous)
    out = []
    for start in range(0, len(keys), BLOCK):
        block = keys[start : start + BLOCK]
        if start:
            out.append(BLOCK_SEP + _header(previous, width))
        out.append(_encode_packed_block(block, previous))
        previous = block[-1] >> TF_BITS
    return "".join(out)


def _encode_packed_block(keys: Sequence[int], previous: int) -> str:
    n = len(keys)
    if not n:
        return ""
    # (previous document + 1) << TF_BITS, for each posting.
    starts = [(previous + 1) << TF_BITS]
    starts += map(_add, map(_and, keys, _repeat(_HIGH)), _repeat(_ONE))
    del starts[-1]
    gap_keys = list(map(_sub, keys, starts))  # gap << TF_BITS | tf
    total = (keys[-1] >> TF_BITS) - previous - n  # the sum of the gaps
    if total < 0 or min(gap_keys) < 1:
        raise ValueError("postings out of order")
    guess = max(0, int(total / n).bit_length() - 1)
    best, best_bits = 0, None
    for k in range(max(0, guess - 1), min(MAX_K, guess + 1) + 1):
        if k:
            bits = sum(map(_rshift, gap_keys, _repeat(TF_BITS + k))) + (1 + k) * n
        else:
            bits = total + n
        if best_bits is None or bits < best_bits:
            best, best_bits = k, bits
    stream = "".join(map(_CODES[best].__getitem__, gap_keys))
    chars = (len(stream) + 5) // 6
    stream += "1" * (-len(stream) % 24)
    raw = int(stream, 2).to_bytes(len(stream) // 8, "big")
    return DIGITS[best] + _base64.b64encode(raw).translate(_FROM_BASE64)[:chars].decode("ascii")


def encode_packed_entry(term: str, body: Sequence[int], title: Sequence[int], width: int) -> str:
    entry = term + TERM_SEP + encode_packed(body, width)
    if title:
        entry += FIELD_SEP + encode_packed(title, width)
    return entry


# --- extending a list -------------------------------------------------------------------------

_BITS = {c: format(i, "06b") for i, c in enumerate(DIGITS)}


def _tail(text: str, width: int) -> tuple[str, int, list[int]]:
    """A list's text up to its last block, the document that block counts from, and the
    block's postings (packed)."""
    cut = text.rfind(BLOCK_SEP)
    if cut < 0:
        return "", -1, _decode_packed_block(text, -1)
    head = cut + 1 + width
    previous = _read_header(text[cut + 1 : head])
    return text[:head], previous, _decode_packed_block(text[head:], previous)


def _decode_packed_block(text: str, previous: int) -> list[int]:
    """One block's postings, packed (what ``_encode_packed_block`` was given)."""
    if not text:
        return []
    k = _VALUE[text[0]]
    stream = "".join([_BITS[c] for c in text[1:]])
    out = []
    at, find = 0, stream.find
    while True:
        zero = find("0", at)
        if zero < 0:
            return out  # padding: an unfinished unary code
        low = int(stream[zero + 1 : zero + 1 + k], 2) if k else 0
        previous += 1 + ((zero - at) << k) + low
        at = zero + 1 + k
        tf = 1
        if stream[at] == "1":
            one = find("1", at + 1)
            zeros = one - at - 1
            tf = int(stream[one : one + zeros + 1], 2) + 1
            at = one + zeros + 1
        else:
            at += 1
        out.append(previous << TF_BITS | tf)


def list_length(text: str, width: int) -> int:
    """How many postings a list holds (every block but the last is full)."""
    return text.count(BLOCK_SEP) * BLOCK + len(_tail(text, width)[2])


def append_packed(text: str, keys: Sequence[int], width: int) -> str:
    """The list ``text`` with the postings ``keys`` (of documents after all of its own)
    added: only its last block is decoded and encoded again."""
    if not keys:
        return text
    if not text:
        return encode_packed(keys, width)
    head, previous, last = _tail(text, width)
    if keys[0] >> TF_BITS <= (last[-1] >> TF_BITS if last else previous):
        raise ValueError("appended postings must follow the list's own")
    return head + encode_packed(last + list(keys), width, previous)
