"""Many posting lists encoded at once, with numpy: the text ``codec.encode_packed`` gives
each of them, in a few passes of array arithmetic over all their postings.

``codec`` encodes one list at a time, a few ``map`` passes and a big integer per block: most
of a big index's lists are short, and the per-list overhead was most of the encoding. Here
the postings of every list of a batch sit in two arrays (documents, term frequencies), and
every step is one operation over all of them:

1. each posting's gap, its block (``BLOCK`` postings of a list) and each block's Rice
   parameter, chosen as ``codec`` chooses it (log2 of the mean gap, and the shortest of the
   three around it);
2. each posting's code: its unary quotient's length, and the rest (the zero, the low bits,
   the term-frequency bits) as one 64-bit word;
3. the codes, each block's header and parameter digit, OR-ed (inverted: the one-bits of the
   quotients and the padding are then nothing to write) into one bit stream at bit offsets
   summed up front (every block starts on a six-bit boundary), which base64 turns into
   characters (``codec``'s alphabet, translated);
4. the ``.`` between a list's blocks inserted, and each list's slice of the text.

A list with a code whose bits after the unary quotient pass 64 (a term frequency above
2**19) is encoded by ``codec`` instead. The tests check both give the same text
(``tests/test_search_listcodec.py``).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

from newsgen.index.codec import BLOCK, BLOCK_SEP, FROM_BASE64, MAX_K, TF_BITS, encode_packed

_U64 = np.uint64
BATCH = 1 << 18  # postings encoded at once: bounds the temporaries (about 100 bytes a posting)


def encode_lists(docs: np.ndarray, tfs: np.ndarray, starts: np.ndarray, width: int) -> list[str]:
    """The encoded text of each list: list ``j`` is the postings ``starts[j]`` up to
    ``starts[j + 1]`` (or the end, never none) of ``docs`` (ascending within a list, none twice) and
    ``tfs`` (each at least 1), encoded as ``encode_packed`` encodes them from the start."""
    ends = np.append(starts[1:], len(docs)).astype(np.int64)
    out: list[str] = []
    first = 0
    while first < len(starts):
        # as many whole lists as fit BATCH postings (at least one)
        last = int(np.searchsorted(ends, starts[first] + BATCH, side="right"))
        last = max(last, first + 1)
        a, b = int(starts[first]), int(ends[last - 1])
        out += _encode_batch(docs[a:b], tfs[a:b], np.asarray(starts[first:last], dtype=np.int64) - a, width)
        first = last
    return out


def _bit_length(values: np.ndarray) -> np.ndarray:
    """``int.bit_length`` of each (non-negative, below 2**53) value."""
    return np.frexp(values.astype(np.float64))[1].astype(np.int64)


def _encode_batch(docs: np.ndarray, tfs: np.ndarray, starts: np.ndarray, width: int) -> list[str]:
    n = len(docs)
    docs = docs.astype(np.int64)
    tfs = tfs.astype(np.int64)
    lens = np.diff(np.append(starts, n))
    list_of = np.repeat(np.arange(len(starts)), lens)
    rank = np.arange(n) - starts[list_of]
    prev = np.empty(n, np.int64)
    prev[0] = -1
    prev[1:] = docs[:-1]
    prev[rank == 0] = -1
    gaps = docs - prev - 1
    if n and (gaps.min() < 0 or tfs.min() < 1 or tfs.max() >> TF_BITS):
        raise ValueError("postings out of order")
    bstarts = np.flatnonzero(rank % BLOCK == 0)
    sizes = np.diff(np.append(bstarts, n))
    ks = _rice_parameters(gaps, bstarts, sizes)
    ones, rest, rest_len = _codes(gaps, tfs, np.repeat(ks, sizes))
    if len(rest_len) and rest_len.max() > 64:
        return _with_slow_lists(docs, tfs, starts, lens, list_of, rest_len > 64, width)
    return _assemble(ones, rest, rest_len, bstarts, sizes, ks, prev[bstarts], rank[bstarts] > 0, starts, width)


def _rice_parameters(gaps: np.ndarray, bstarts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each block's ``k``: of the (up to) three around log2 of its mean gap, the first of the
    fewest bits (``codec._encode_packed_block``)."""
    total = np.add.reduceat(gaps, bstarts) if len(gaps) else np.zeros(0, np.int64)
    guess = np.maximum(_bit_length(total // sizes) - 1, 0)
    best_k = np.zeros(len(sizes), np.int64)
    best_bits = np.full(len(sizes), np.iinfo(np.int64).max)
    for step in (-1, 0, 1):
        k = guess + step
        valid = (k >= 0) & (k <= MAX_K)
        kc = np.clip(k, 0, MAX_K)
        bits = np.add.reduceat(gaps >> np.repeat(kc, sizes), bstarts) + (1 + kc) * sizes
        better = valid & (bits < best_bits)
        best_k[better], best_bits[better] = kc[better], bits[better]
    return best_k


def _codes(gaps: np.ndarray, tfs: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each posting's code in two parts: ``gap >> k`` one-bits, then the rest (a zero, the
    ``k`` low bits, the frequency's bits) right-aligned in a 64-bit word, and its length."""
    low = gaps & ((1 << k) - 1)
    more = tfs > 1
    value_bits = _bit_length(tfs - 1)  # of tf - 1, when tf > 1
    tail_len = np.where(more, 2 * value_bits, 1)
    tail = np.where(more, (1 << np.maximum(2 * value_bits - 1, 0)) | (tfs - 1), 0)
    rest = (low << tail_len) | tail
    return gaps >> k, rest.astype(_U64), 1 + k + tail_len


def _assemble(
    ones: np.ndarray,
    rest: np.ndarray,
    rest_len: np.ndarray,
    bstarts: np.ndarray,
    sizes: np.ndarray,
    ks: np.ndarray,
    headers: np.ndarray,
    continued: np.ndarray,
    starts: np.ndarray,
    width: int,
) -> list[str]:
    """The lists' texts: each block is [header] k-digit codes… padding, six-bit aligned.

    The stream is made inverted (``flipped``, then every bit turned): a run of one-bits, the
    unary quotients and the padding, is then nothing to write, however long."""
    length = ones + rest_len
    content = np.add.reduceat(length, bstarts)
    head_bits = np.where(continued, 6 * width, 0)
    pad = -content % 6
    block_bits = head_bits + 6 + content + pad
    block_at = np.cumsum(block_bits) - block_bits
    total_bits = int(block_at[-1] + block_bits[-1])
    within = np.cumsum(length) - length
    within -= np.repeat(within[bstarts], sizes)
    at = np.repeat(block_at + head_bits + 6, sizes) + within + ones
    flipped = np.zeros(total_bits // 64 + 2, _U64)
    _scatter(flipped, at, ~rest, rest_len)
    _scatter(flipped, block_at + head_bits, ~ks.astype(_U64), np.full(len(ks), 6))
    if continued.any():
        _scatter(flipped, block_at[continued], ~headers[continued].astype(_U64), head_bits[continued])
    raw = (~flipped).astype(">u8").tobytes()[: -(-total_bits // 8)]
    chars = np.frombuffer(base64.b64encode(raw).translate(FROM_BASE64), np.uint8)[: total_bits // 6]
    block_char = block_at // 6
    dots = np.flatnonzero(continued)
    chars = np.insert(chars, block_char[dots], ord(BLOCK_SEP))
    text = chars.tobytes().decode("ascii")
    # each list's first block, and where it starts once the dots before it are in
    first_block = np.flatnonzero(~continued)
    list_at = block_char[first_block] + np.cumsum(continued)[first_block] - continued[first_block]
    list_end = np.append(list_at[1:], len(text))
    return [text[a:b] for a, b in zip(list_at.tolist(), list_end.tolist())]


def _scatter(words: np.ndarray, at: np.ndarray, code: np.ndarray, length: np.ndarray) -> None:
    """OR the low ``length`` bits (at most 64) of each code into the big-endian bit stream
    ``words`` at bit offset ``at`` (no two codes overlap)."""
    at = np.asarray(at, np.int64)
    length = np.asarray(length, np.int64)
    code = code & (_U64(0xFFFFFFFFFFFFFFFF) >> (64 - length).astype(_U64))
    word = at >> 6
    end = (at & 63) + length
    fits = end <= 64
    left = np.clip(64 - end, 0, 63).astype(_U64)
    right = np.clip(end - 64, 0, 63).astype(_U64)
    np.bitwise_or.at(words, word, np.where(fits, code << left, code >> right))
    spill = ~fits
    if spill.any():
        np.bitwise_or.at(words, word[spill] + 1, code[spill] << (_U64(128) - end[spill].astype(_U64)))


def _with_slow_lists(
    docs: np.ndarray,
    tfs: np.ndarray,
    starts: np.ndarray,
    lens: np.ndarray,
    list_of: np.ndarray,
    too_long: np.ndarray,
    width: int,
) -> list[str]:
    """The lists with a code whose bits after the quotient pass 64 (a term frequency
    above 2**19) by ``codec``, the others here."""
    slow = np.zeros(len(starts), bool)
    slow[list_of[too_long]] = True
    keep = ~slow[list_of]
    fast_lens = lens[~slow]
    fast_starts = np.cumsum(fast_lens) - fast_lens
    fast = iter(_encode_batch(docs[keep], tfs[keep], fast_starts, width) if len(fast_starts) else [])
    packed = (docs << TF_BITS) | tfs
    out = []
    for j, (a, size) in enumerate(zip(starts.tolist(), lens.tolist())):
        out.append(encode_packed(packed[a : a + size].tolist(), width) if slow[j] else next(fast))
    return out


def encode_many(lists: Sequence[Sequence[int]], width: int) -> list[str]:
    """``encode_packed(keys, width)`` of each list of packed postings (for tests and small
    callers)."""
    flat = np.fromiter((key for keys in lists for key in keys), np.int64)
    lens = np.fromiter(map(len, lists), np.int64, len(lists))
    nonempty = lens > 0
    starts = (np.cumsum(lens) - lens)[nonempty]
    got = iter(encode_lists(flat >> TF_BITS, flat & ((1 << TF_BITS) - 1), starts, width) if len(starts) else [])
    return [next(got) if full else "" for full in nonempty.tolist()]
