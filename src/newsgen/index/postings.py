"""Step 2 of the search stage: the term blocks inverted into encoded posting lists, and the
documents' packs, in worker processes when there are many.

The terms are dealt into partitions by a CRC of the term; each worker walks all documents in
order and appends the postings of its partitions (one packed int each, in an ``array``) and
encodes them (``codec.encode_packed_entry``): no tuple per posting. Every list is built in
document order, so nothing depends on ``jobs`` or on ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import math
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import or_
from typing import NamedTuple

from newsgen.index.codec import TF_BITS, encode_packed_entry, header_width
from newsgen.index.documents import PACK_SIZE, Doc
from newsgen.index.files import pack_files
from newsgen.index.manifest import is_stop
from newsgen.index.termblocks import Block
from newsgen.runtime import fork_map, inherited

PARALLEL_POSTINGS = 400_000  # fewer postings than this: invert and encode in this process
PASS_POSTINGS = 24_000_000  # postings one worker holds at once (8 bytes each)
PACK_SPAN = 64 * PACK_SIZE  # documents a task makes packs of (whole packs)

_EMPTY: tuple = ()


class Inverted(NamedTuple):
    """Step 2's result: term → encoded entry, the number of postings, the stop bigrams, and
    the documents' packs, by number."""

    entries: dict[str, str]
    postings: int
    stop: list[str]
    packs: list[bytes]


def invert(blocks: Sequence[Block], locations: Sequence[tuple[int, int]], docs: Sequence[Doc], jobs: int) -> Inverted:
    """The entries of the documents whose term counts are ``blocks[b].recs[i]`` for their
    (b, i) in ``locations`` (by document number: the first of ``docs``), and the packs of
    ``docs``."""
    total = sum(len(blocks[b].recs[i][0]) + len(blocks[b].recs[i][2]) for b, i in locations)
    workers = jobs if jobs > 1 and total >= PARALLEL_POSTINGS else 1
    passes = max(1, math.ceil(total / workers / PASS_POSTINGS))
    parts = workers * passes
    hashes = [[zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in block.vocab] for block in blocks]
    tasks: list = [("postings", p, parts) for p in range(parts)]
    spans = [("packs", i, min(i + PACK_SPAN, len(docs))) for i in range(0, len(docs), PACK_SPAN)]
    state = dict(blocks=blocks, locations=locations, hashes=hashes, docs=docs, width=header_width(len(docs)))
    results = fork_map(_task, tasks + spans, workers, inherit=state)
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
    title, body = _collect(part, parts)
    width, n = inherited()["width"], len(inherited()["locations"])
    entries = {}
    count = 0
    stop = []
    for term in title.keys() | body.keys():
        t, b = title.get(term, _EMPTY), body.get(term, _EMPTY)
        if not t and not b:
            continue  # routed for a cached article that is no longer in the archive
        count += len(t) + len(b)
        entries[term] = encode_packed_entry(term, b, t, width)
        if is_stop(term, len(t) + len(b), n):
            stop.append(term)
    return entries, count, stop


def _collect(part: int, parts: int) -> tuple[dict[str, array], dict[str, array]]:
    """term → packed title postings, and term → packed body postings, of the terms of
    partition ``part`` (a term's partition: its CRC modulo ``parts``), in document order."""
    blocks, locations, hashes = inherited()["blocks"], inherited()["locations"], inherited()["hashes"]
    title: defaultdict[str, array] = defaultdict(lambda: array("q"))
    body: defaultdict[str, array] = defaultdict(lambda: array("q"))
    junk = array("q")  # where the postings of other partitions' terms go, emptied as it fills
    routes: list[tuple[Callable, Callable, list]] = []
    for block, crcs in zip(blocks, hashes):
        mine = [crc % parts == part for crc in crcs]
        routes.append(
            (
                [title[t] if m else junk for t, m in zip(block.vocab, mine)].__getitem__,
                [body[t] if m else junk for t, m in zip(block.vocab, mine)].__getitem__,
                block.recs,
            )
        )
    append, consume = array.append, deque(maxlen=0).extend
    for number, (b, i) in enumerate(locations):
        to_title, to_body, recs = routes[b]
        ti, tt, bi, bt = recs[i]
        base = number << TF_BITS
        if ti:
            consume(map(append, map(to_title, ti), map(or_, tt, repeat(base))))
        consume(map(append, map(to_body, bi), map(or_, bt, repeat(base))))
        del junk[:]
    return title, body


def _packs(start: int, end: int) -> list[bytes]:
    return list(pack_files(inherited()["docs"][start:end]))
