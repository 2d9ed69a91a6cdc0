"""The batch encoder (newsgen.index.listcodec) against the list-at-a-time codec and the plain
oracle: the same text for every list, whatever the batch holds."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.index import listcodec
from newsgen.index.codec import BLOCK, TF_BITS, encode_packed, header_width
from oracles import decode_postings, encode_postings, pack
from test_search_support import postings_from_gaps

# (gap minus one, tf) pairs: gaps from dense to far apart, frequencies up to 2**24 - 1
_PAIRS = st.tuples(
    st.one_of(st.integers(0, 3), st.integers(0, 3000), st.integers(0, 2_000_000)),
    st.one_of(st.integers(1, 3), st.integers(1, 70_000), st.integers(1, (1 << TF_BITS) - 1)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PAIRS, min_size=0, max_size=3 * BLOCK + 5), min_size=0, max_size=8))
def test_batch_is_the_codec_and_the_oracle(raw_lists: list[list[tuple[int, int]]]) -> None:
    lists = [postings_from_gaps(raw) for raw in raw_lists]
    top = max((p[-1][0] for p in lists if p), default=0)
    width = header_width(top + 1)
    got = listcodec.encode_many([[pack(d, tf) for d, tf in p] for p in lists], width)
    assert got == [encode_packed([pack(d, tf) for d, tf in p], width) for p in lists]
    assert got == [encode_postings(p, width) for p in lists]


@pytest.mark.parametrize("batch", [1, 7, 1000, 1 << 18])
def test_any_batch_size(monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    """Lists cut into batches (a list never split) give the same texts."""
    rng = random.Random(batch)
    lists = []
    for _ in range(60):
        docs = sorted(rng.sample(range(50_000), rng.choice([1, 2, BLOCK - 1, BLOCK, BLOCK + 1, 700])))
        lists.append([pack(d, rng.choice([1, 1, 2, 9, 300])) for d in docs])
    width = header_width(50_000)
    want = [encode_packed(keys, width) for keys in lists]
    monkeypatch.setattr(listcodec, "BATCH", batch)
    assert listcodec.encode_many(lists, width) == want


def test_long_codes() -> None:
    """A gap far above its block's mean (a unary quotient of thousands of bits) and a huge
    term frequency in a block of large gaps (bits after the quotient past 64: the codec's
    path) come out as the codec writes them, beside ordinary lists."""
    dense_then_far = [pack(d, 1) for d in range(200)] + [pack(3_000_000, 2)]
    huge_tf = [pack(d, (1 << TF_BITS) - 1) for d in range(0, 40_000_000, 5_000_000)]
    plain = [pack(d, 1 + d % 5) for d in range(5, 900, 3)]
    width = header_width(40_000_000)
    lists = [plain, dense_then_far, huge_tf, plain]
    got = listcodec.encode_many(lists, width)
    assert got == [encode_packed(keys, width) for keys in lists]
    assert decode_postings(got[2], width) == [(k >> TF_BITS, (1 << TF_BITS) - 1) for k in huge_tf]


def test_out_of_order_is_refused() -> None:
    with pytest.raises(ValueError):
        listcodec.encode_lists(np.array([5, 5]), np.array([1, 1]), np.array([0]), 1)
    with pytest.raises(ValueError):
        listcodec.encode_lists(np.array([5]), np.array([0]), np.array([0]), 1)
