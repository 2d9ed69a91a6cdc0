"""Step 2 of the search stage: the term blocks inverted into encoded posting lists, and the
documents' packs, in worker processes when there are many.

The terms are dealt into partitions by a CRC of the term; for each of its partitions a worker
counts every list's postings (block by block, from the term counts), then walks all documents
in order and puts each posting straight in its list's place in two numpy arrays (document,
term frequency), and encodes every list at once (``listcodec.encode_lists``): no object per
posting. Every list is built in document order, so nothing depends on ``jobs`` or on
``PYTHONHASHSEED``.
"""

from __future__ import annotations

import math
import zlib
from array import array
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from newsgen.index.blockcut import DTYPES
from newsgen.index.codec import FIELD_SEP, TERM_SEP, TF_BITS, header_width
from newsgen.index.documents import PACK_SIZE, Doc
from newsgen.index.files import pack_files
from newsgen.index.listcodec import encode_lists
from newsgen.index.manifest import is_stop
from newsgen.index.termblocks import Block
from newsgen.runtime import fork_map, inherited

PARALLEL_POSTINGS = 400_000  # fewer postings than this: invert and encode in this process
PASS_POSTINGS = 24_000_000  # postings one worker holds at once (6 bytes each, 8 with tf > 65535)
PACK_SPAN = 64 * PACK_SIZE  # documents a task makes packs of (whole packs)


class Inverted(NamedTuple):
    """Step 2's result: term → encoded entry, the number of postings, the stop bigrams, and
    the documents' packs, by number."""

    entries: dict[str, str]
    postings: int
    stop: list[str]
    packs: list[bytes]


def invert(blocks: list[Block], locations: Sequence[tuple[int, int]], docs: Sequence[Doc], jobs: int) -> Inverted:
    """The entries of the documents whose term counts are ``blocks[b].recs[i]`` for their
    (b, i) in ``locations`` (by document number: the first of ``docs``), and the packs of
    ``docs``.

    ``blocks`` is taken over (the list is emptied): once the workers are forked with their
    copy, this process lets the blocks go, and the entries coming back take their room: with
    both held at once, this process was a big build's largest."""
    total = sum(len(blocks[b].recs[i][0]) + len(blocks[b].recs[i][2]) for b, i in locations)
    workers = jobs if jobs > 1 and total >= PARALLEL_POSTINGS else 1
    passes = max(1, math.ceil(total / workers / PASS_POSTINGS))
    parts = workers * passes
    hashes = [[zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in block.vocab] for block in blocks]
    tasks: list = [("postings", p, parts) for p in range(parts)]
    spans = [("packs", i, min(i + PACK_SPAN, len(docs))) for i in range(0, len(docs), PACK_SPAN)]
    state = dict(blocks=list(blocks), locations=locations, hashes=hashes, docs=docs, width=header_width(len(docs)))
    blocks.clear()
    results = fork_map(_task, tasks + spans, workers, inherit=state, release=state.clear)
    entries: dict[str, str] = {}
    postings = 0
    stop: list[str] = []
    for got, count, common in results[: len(tasks)]:
        entries.update(got)
        postings += count
        stop += common
    packs = [f for chunk in results[len(tasks) :] for f in chunk]
    return Inverted(entries, postings, stop, packs)


def new_postings(numbers: Sequence[int], block: Block) -> dict[str, tuple[array, array]]:
    """term → (body, title) packed postings of the documents ``numbers``, whose term counts
    are ``block.recs`` in the same order."""
    added: dict[str, tuple[array, array]] = defaultdict(lambda: (array("q"), array("q")))
    for number, (ti, tt, bi, bt) in zip(numbers, block.recs):
        base = number << TF_BITS
        for t, tf in zip(ti, tt):
            added[block.vocab[t]][1].append(base | tf)
        for t, tf in zip(bi, bt):
            added[block.vocab[t]][0].append(base | tf)
    return added


# --- work done in worker processes (forked: they read the state `invert` gives them) ----------


def _task(task: tuple[str, int, int]):  # noqa: ANN202
    """Step 2's two kinds of task, run in one pool."""
    kind, a, b = task
    return _postings(a, b) if kind == "postings" else _packs(a, b)


def _postings(part: int, parts: int) -> tuple[dict[str, str], int, list[str]]:
    """For the terms of partition ``part`` of ``parts``: their encoded entries, the number of
    postings, and which of the terms are stop bigrams."""
    terms, sizes, docs, tfs = _collect(part, parts)
    width, n = inherited()["width"], len(inherited()["locations"])
    lists = np.flatnonzero(sizes)
    lengths = sizes[lists]
    texts = encode_lists(docs, tfs, np.cumsum(lengths) - lengths, width)
    del docs, tfs
    lists, lengths = lists.tolist(), lengths.tolist()
    entries = {}
    stop = []
    at = 0
    # A term's lists are side by side: its body list (key 2t), then its title list (2t + 1).
    while at < len(lists):
        t = lists[at] >> 1
        body = title = ""
        df = 0
        # (each text let go once in its entry: the lists' texts are held once)
        if not lists[at] & 1:
            body, df, texts[at] = texts[at], lengths[at], ""
            at += 1
        if at < len(lists) and lists[at] == 2 * t + 1:
            title, df, texts[at] = texts[at], df + lengths[at], ""
            at += 1
        term = terms[t]
        entries[term] = term + TERM_SEP + body + (FIELD_SEP + title if title else "")
        if is_stop(term, df, n):
            stop.append(term)
    return entries, sum(lengths), stop


def _collect(part: int, parts: int) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The terms of partition ``part`` (a term's partition: its CRC modulo ``parts``), and
    their postings by list (key ``2 * term`` for a term's body, ``2 * term + 1`` for its
    title), each in document order: each list's size, then every list's documents and term
    frequencies, list after list.

    The lists' sizes are counted first, block by block, so each posting is put straight in
    its place (a counting sort: a document has one posting a list at most), and nothing but
    the postings themselves is held: 6 bytes a posting, mostly."""
    blocks, locations, hashes = inherited()["blocks"], inherited()["locations"], inherited()["hashes"]
    terms: dict[str, int] = {}
    remaps = []
    for block, crcs in zip(blocks, hashes):
        mine = (np.array(crcs, np.int64) % parts == part).tolist()
        ids = np.array([terms.setdefault(t, len(terms)) if m else -1 for t, m in zip(block.vocab, mine)], np.int64)
        remaps.append(np.where(ids >= 0, 2 * ids, -1))
    fill = _list_sizes(blocks, locations, remaps, 2 * len(terms))
    sizes = fill.copy()
    fill = np.cumsum(fill) - fill  # where each list's next posting goes
    wide = any(rec[1].typecode == "I" or rec[3].typecode == "I" for block in blocks for rec in block.recs)
    docs = np.empty(int(sizes.sum()), np.int32)
    tfs = np.empty(len(docs), np.uint32 if wide else np.uint16)
    for number, (b, i) in enumerate(locations):
        remap = remaps[b]
        ti, tt, bi, bt = blocks[b].recs[i]
        for ids, freqs, field in ((bi, bt, 0), (ti, tt, 1)):
            if not ids:
                continue
            k = remap[np.frombuffer(ids, DTYPES[ids.typecode])]
            f = np.frombuffer(freqs, DTYPES[freqs.typecode])
            if parts > 1:
                m = k >= 0
                k, f = k[m], f[m]
            if field:
                k += 1
            at = fill[k]
            fill[k] += 1
            docs[at] = number
            tfs[at] = f
    return list(terms), sizes, docs, tfs


def _list_sizes(blocks: Sequence[Block], locations: Sequence[tuple[int, int]], remaps: list, lists: int) -> np.ndarray:
    """How many postings each list (key) of the partition gets: each block's term counts,
    weighted by how many documents use each of its records."""
    uses = [np.zeros(len(block.recs), np.int64) for block in blocks]
    for b, i in locations:
        uses[b][i] += 1
    sizes = np.zeros(lists + 1, np.int64)  # the last: other partitions' terms (key -1)
    for block, used, remap in zip(blocks, uses, remaps):
        for ids_at, plus in ((2, 0), (0, 1)):
            arrays = [rec[ids_at] for rec in block.recs]
            if not arrays:
                continue
            codes = {a.typecode for a in arrays}
            code = codes.pop() if len(codes) == 1 else "I"
            ids = np.frombuffer(b"".join(a if a.typecode == code else array(code, a) for a in arrays), DTYPES[code])
            weights = np.repeat(used, [len(a) for a in arrays])
            counts = np.bincount(ids, weights=weights, minlength=len(remap)).astype(np.int64)
            keys = np.where(remap >= 0, remap + plus, lists)
            np.add.at(sizes, keys, counts)
    return sizes[:lists]


def _packs(start: int, end: int) -> list[bytes]:
    return list(pack_files(inherited()["docs"][start:end]))
