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

A posting is one int here, ``document << TF_BITS | tf`` (*packed*). A build from nothing
encodes all its lists at once with numpy (``listcodec``, tested against this module); this
module encodes one list at a time, where an index is extended (``append_packed``), with a
few passes of ``map`` over it (C loops, no tuple per posting): the codes of (gap, tf) pairs
come from a table per Rice parameter, and the bit string becomes characters through
``int(bits, 2)`` and base64 (whose six-bit groups are ours, in another alphabet). The same
format written plainly, one posting at a time, is the tests' oracle
(``tests/oracles/codec.py``); the tests check the two agree.

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

import base64
from collections.abc import Sequence
from itertools import repeat
from operator import add, and_, rshift, sub

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)}
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


def block_header(previous: int, width: int) -> str:
    """A block's header: the number of the document the block's gaps count from."""
    if not 0 <= previous < 64**width:
        raise ValueError(f"document {previous} does not fit a block header of {width} digits")
    return "".join(DIGITS[(previous >> (6 * i)) & 63] for i in reversed(range(width)))


def read_block_header(text: str) -> int:
    """The document number a ``block_header`` holds."""
    value = 0
    for c in text:
        value = value << 6 | DIGIT_VALUE[c]
    return value


TF_BITS = 24
TF_MASK = (1 << TF_BITS) - 1
_ONE = 1 << TF_BITS
_HIGH = ~TF_MASK
FROM_BASE64 = bytes.maketrans(
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


def encode_packed(keys: Sequence[int], width: int, previous: int = -1) -> str:
    """The list of packed postings ``keys`` (ascending documents, none twice), in blocks;
    with ``previous``, the tail of a list whose block before ``keys`` ends at that document
    (``keys`` then begin a block)."""
    if len(keys) <= BLOCK:
        return _encode_packed_block(keys, previous)
    out = []
    for start in range(0, len(keys), BLOCK):
        block = keys[start : start + BLOCK]
        if start:
            out.append(BLOCK_SEP + block_header(previous, width))
        out.append(_encode_packed_block(block, previous))
        previous = block[-1] >> TF_BITS
    return "".join(out)


def _encode_packed_block(keys: Sequence[int], previous: int) -> str:
    n = len(keys)
    if not n:
        return ""
    # (previous document + 1) << TF_BITS, for each posting.
    starts = [(previous + 1) << TF_BITS]
    starts += map(add, map(and_, keys, repeat(_HIGH)), repeat(_ONE))
    del starts[-1]
    gap_keys = list(map(sub, keys, starts))  # gap << TF_BITS | tf
    total = (keys[-1] >> TF_BITS) - previous - n  # the sum of the gaps
    if total < 0 or min(gap_keys) < 1:
        raise ValueError("postings out of order")
    guess = max(0, int(total / n).bit_length() - 1)
    best, best_bits = 0, None
    for k in range(max(0, guess - 1), min(MAX_K, guess + 1) + 1):
        if k:
            bits = sum(map(rshift, gap_keys, repeat(TF_BITS + k))) + (1 + k) * n
        else:
            bits = total + n
        if best_bits is None or bits < best_bits:
            best, best_bits = k, bits
    stream = "".join(map(_CODES[best].__getitem__, gap_keys))
    chars = (len(stream) + 5) // 6
    stream += "1" * (-len(stream) % 24)
    raw = int(stream, 2).to_bytes(len(stream) // 8, "big")
    return DIGITS[best] + base64.b64encode(raw).translate(FROM_BASE64)[:chars].decode("ascii")


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
    previous = read_block_header(text[cut + 1 : head])
    return text[:head], previous, _decode_packed_block(text[head:], previous)


def _decode_packed_block(text: str, previous: int) -> list[int]:
    """One block's postings, packed (what ``_encode_packed_block`` was given)."""
    if not text:
        return []
    k = DIGIT_VALUE[text[0]]
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
