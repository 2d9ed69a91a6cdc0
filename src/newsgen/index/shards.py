"""Which shard holds a term.

Terms are grouped by their first character (a one-character query is a prefix scan over one
group) and each group is cut into as many shards as its size needs, by the hash of the term's
first two characters (a bigram and the words it begins live together, so looking up the
bigrams of a query also finds its words for free). The number of groups is a power of two, so
it changes only when the index doubles in size.

Shards of up to about 80 kB, not 8 kB as before packs: a 100,000-article archive's 81 MB of
postings in 1,718 shards instead of 25,746 (64 kB gave 2,912: a power of two more groups),
so that with its 1,585 document packs search/ keeps under 0.04 files a document. A query's
terms share shards more often: it loads fewer, bigger ones. ``SHARD_TARGET`` counts the
entries' bytes; the files deflate them (``files.shard_file``) to about two thirds.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

from newsgen.index.chars import fnv1a, js_sort_key
from newsgen.index.codec import ENTRY_SEP

SHARD_TARGET = 80_000  # bytes of postings per shard, roughly (see the module docstring)


def group_of(term: str, groups: int) -> int:
    """A term's group, by its first character."""
    return fnv1a(term[0]) % groups


def shard_name(group: int, sub: int) -> str:
    """A shard's name, and its file's (``s/<name>.js``): a group's shards are named apart from
    every other group's, so a group that needs one more shard renames no other file."""
    return f"{group}-{sub}"


def shard_of(term: str, groups: int, subshards: Sequence[int]) -> str:
    """A term's shard: in its group, by its first two characters."""
    g = group_of(term, groups)
    return shard_name(g, fnv1a(term[:2]) % subshards[g])


def group_count(size: int, shard_target: int) -> int:
    """Groups for ``size`` bytes of entries: a power of two, so the layout of the shards (and
    every shard's name) stays as it is until the index doubles or halves."""
    return 1 << (max(1, math.ceil(size / shard_target)) - 1).bit_length()


def entry_size(entry: str) -> int:
    """An encoded entry's bytes in its shard, with its separator."""
    return len(entry.encode("utf-8")) + 1


def layout(entries: Mapping[str, str], shard_target: int) -> tuple[int, list[int]]:
    """How many groups the encoded entries (term → entry) need, and each group's size."""
    sizes = {term: entry_size(entry) for term, entry in entries.items()}
    groups = group_count(sum(sizes.values()), shard_target)
    group_sizes = [0] * groups
    for term, size in sizes.items():
        group_sizes[group_of(term, groups)] += size
    return groups, group_sizes


def subshard_counts(group_sizes: Sequence[int], shard_target: int) -> list[int]:
    """Each group is cut into as many shards as its own size needs."""
    return [max(1, math.ceil(size / shard_target)) for size in group_sizes]


def cut_groups(entries: Mapping[str, str], groups: int, subshards: Sequence[int]) -> dict[str, str]:
    """Shard name → its entries, for the groups the entries are in: a term's group by its first
    character, its shard in the group by its first two; entries in JavaScript's sort order."""
    return dict(iter_groups(entries, groups, subshards))


def iter_groups(
    entries: Mapping[str, str] | dict[str, str], groups: int, subshards: Sequence[int], *, consume: bool = False
) -> Iterator[tuple[str, str]]:
    """(shard name, its entries) one shard at a time, as ``cut_groups`` gives them. ``consume``:
    take each shard's entries out of ``entries`` (a dict the caller is done with) as the shard
    is joined, so that a big index's entries and shards are never both held whole."""
    by_shard: dict[str, list[str]] = {}
    for term in sorted(entries, key=js_sort_key):
        by_shard.setdefault(shard_of(term, groups, subshards), []).append(term)
    take = entries.pop if consume else entries.__getitem__  # type: ignore[union-attr]
    for name, terms in by_shard.items():
        yield name, ENTRY_SEP.join([take(term) for term in terms])


def shard_names(subshards: Sequence[int]) -> list[str]:
    """Every shard of the layout, empty or not (so no query meets a missing file)."""
    return [shard_name(group, sub) for group, count in enumerate(subshards) for sub in range(count)]
