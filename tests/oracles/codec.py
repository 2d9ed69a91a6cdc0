"""The shards' posting format written plainly, one posting at a time: the definition the
package's fast codec (``newsgen.index.codec``) is tested against, and the decoder the tests
read shards with. The format is described in ``newsgen.index.codec``."""

from __future__ import annotations

from collections.abc import Sequence

from newsgen.index.codec import (
    BLOCK,
    BLOCK_SEP,
    DIGIT_VALUE,
    DIGITS,
    ENTRY_SEP,
    FIELD_SEP,
    MAX_K,
    TERM_SEP,
    TF_BITS,
    TF_MASK,
    block_header,
    read_block_header,
)


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
            out.append(BLOCK_SEP + block_header(previous, width))
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


def decode_postings(text: str, width: int, first: int = 0) -> list[tuple[int, int]]:
    """The postings of a list whose first block counts from the document before ``first``."""
    out: list[tuple[int, int]] = []
    for number, block in enumerate(text.split(BLOCK_SEP) if text else []):
        previous = read_block_header(block[:width]) if number else first - 1
        out += _decode_block(block[width:] if number else block, previous)
    return out


def _decode_block(text: str, previous: int) -> list[tuple[int, int]]:
    k = DIGIT_VALUE[text[0]]
    stream = "".join(format(DIGIT_VALUE[c], "06b") for c in text[1:])
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


def decode_shard(text: str, width: int, first: int = 0) -> dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    out = {}
    for entry in text.split(ENTRY_SEP) if text else []:
        term, _, lists = entry.partition(TERM_SEP)
        body, _, title = lists.partition(FIELD_SEP)
        out[term] = (decode_postings(body, width, first), decode_postings(title, width, first))
    return out


def pack(document: int, tf: int) -> int:
    """A posting as the fast codec takes it."""
    if not 0 < tf <= TF_MASK:
        raise ValueError(f"term frequency {tf} out of range")
    return document << TF_BITS | tf
