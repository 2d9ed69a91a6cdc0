"""Related articles for the whole archive at once, as array operations.

`newsgen.render.taxonomy.neighbours` says what is related: an article scores, for each key it
shares with another (a person, a column, a district), that key's weight when the two stand
within `window` places of each other among the articles of that key in reading order; the
best have the highest score, then are the nearest in reading order, then come first. Per
article in Python that is a counter over its keys' windows, 100,000 of them at every build;
here it is a few sorts over every (article, candidate) pair, which numpy makes in C.

The articles are ranked a block at a time (`BLOCK` places in reading order): all pairs at
once would be 12 a key an article, 8 bytes each several times over, a peak of ~80 MiB at
30,000 articles in the build's own process.
"""

from __future__ import annotations

import numpy as np

# Every (key, article) entry as three parallel arrays: the key's number, the article's place
# in reading order, the key's weight (below 8). Made by the caller, which knows the keys.
Entries = tuple[np.ndarray, np.ndarray, np.ndarray]
BLOCK = 2048


def rank_related(entries: Entries, span: int, *, related: int, window: int) -> tuple[list[int], list[int]]:
    """For the `span` places in reading order, the places of their related articles, best
    first (at most `related` each), one after another; and where each place's start in them
    (`span` + 1 bounds)."""
    keys, places, weights = (np.asarray(part, np.int64) for part in entries)
    # A key's articles side by side in reading order (places are ascending within a key).
    by_key = np.argsort(keys, kind="stable")
    keys, places, weights = keys[by_key], places[by_key], weights[by_key]
    # Each entry's slot in that order, taken place by place so that a block is a slice.
    slots = np.argsort(places, kind="stable")
    starts = np.searchsorted(places[slots], np.arange(0, span + BLOCK, BLOCK))
    others: list[int] = []
    counts = np.zeros(span, np.int64)
    for block, low in enumerate(range(0, span, BLOCK)):
        owner, other = _best(keys, places, weights, slots[starts[block] : starts[block + 1]], low, span, related, window)
        others += other.tolist()
        counts[low : low + BLOCK] = np.bincount(owner, minlength=min(BLOCK, span - low))
    return others, [0, *np.cumsum(counts).tolist()]


def _best(
    keys: np.ndarray,
    places: np.ndarray,
    weights: np.ndarray,
    slots: np.ndarray,
    low: int,
    span: int,
    related: int,
    window: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The related articles of the places from `low` on whose entries sit at `slots` of the
    key order: (owner - low, other) pairs, owner by owner, best first."""
    steps = np.array([*range(-window, 0), *range(1, window + 1)])
    there = slots[:, None] + steps
    inside = np.clip(there, 0, len(keys) - 1)
    same = (keys[inside] == keys[slots, None]) & (there >= 0) & (there < len(keys))
    # Owner by owner (slots come in reading order), so the sorts below find runs in order.
    # The weight rides in the low bits, so one sort brings a pair's shared keys together.
    found = (((places[slots] - low) * span)[:, None] + places[inside]) << 3
    found |= weights[slots, None]
    pairs = np.sort(found[same], kind="stable")
    if not len(pairs):
        return pairs, pairs
    firsts = np.flatnonzero(np.diff(pairs >> 3, prepend=-1))
    scores = np.add.reduceat(pairs & 7, firsts)
    owner, other = np.divmod(pairs[firsts] >> 3, span)
    # Higher score, then nearer, then earlier (of two as near, the one before), in one int.
    near = 2 * np.abs(other - owner - low) + (other > owner + low)
    unit = (int(scores.max()) + 1) * 2 * span
    ranked = np.sort(owner * unit + (scores.max() - scores) * (2 * span) + near, kind="stable")
    owner, rest = np.divmod(ranked, unit)
    firsts = np.flatnonzero(np.diff(owner, prepend=-1))
    rank = np.arange(len(ranked)) - np.repeat(firsts, np.diff(np.append(firsts, len(ranked))))
    keep = rank < related
    owner, near = owner[keep], rest[keep] % (2 * span)
    return owner, np.where(near & 1, owner + low + (near >> 1), owner + low - (near >> 1))
