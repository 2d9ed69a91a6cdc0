"""The newest documents' postings, kept apart from the shards: the *tail* of the index.

A posting shard holds the terms of one group (their first character), and a new day's ten
articles hold a term of nearly every group: extending the shards with them rewrote 1,390 of
a 100,000-article index's 1,718 shards, about 50 MB deflated again, for ten articles. So the
newest documents, those from ``tail_start(n)`` on, are indexed apart, in small *tail files*
(``s/t<k>.js``: the groups ``g`` with ``g % count == k``), made again whole at every build;
the shards hold the documents before them and are rewritten only when the tail has grown by
``TAIL_SPAN`` documents and its first ``TAIL_SPAN`` move into them.

Where the tail starts is a function of the number of documents alone, so a build from
nothing and a build that extended the last one write the same files. The browser reads a
term's list in its shard, then in its group's tail file (``assets/search.js``), and joins the
two: the tail's documents follow the shards' (``codec``: the tail's lists count their first
gap from the document before the tail).

The cost: a query loads, for each group it looks in, that group's tail file too. There are
``TAIL_FILES`` of them (or one a group, in a small index), so that each holds a few kB (at
most ``TAIL_SPAN`` documents' postings, over 64 files), and a headline that looks in 16
groups loads 16 of them.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping

from newsgen.index.chars import js_sort_key
from newsgen.index.codec import ENTRY_SEP, FIELD_SEP, TERM_SEP, encode_packed
from newsgen.index.shards import group_of

# Documents the tail holds at most, less one (a day or a few of a city daily's articles).
TAIL_SPAN = 512
# Tail files: few enough for the site's budget of files (64 at 10,000 articles is 0.006 an
# article), many enough that each is small (16 of them, one for 8 groups, would add about
# 100 kB to a headline's first query at 10,000 articles).
TAIL_FILES = 64


def tail_start(n: int) -> int:
    """The first document of the tail of an index of ``n`` documents: ``n`` (no tail) for an
    archive under two spans, else the last multiple of ``TAIL_SPAN``."""
    return n if n < 2 * TAIL_SPAN else n - n % TAIL_SPAN


def tail_count(groups: int) -> int:
    """How many tail files an index of ``groups`` groups has."""
    return min(groups, TAIL_FILES)


def tail_name(group: int, count: int) -> str:
    """The tail file a group's terms are in (its shard name: ``s/<name>.js``)."""
    return f"t{group % count}"


def tail_entries(added: Mapping[str, tuple[array, array]], first: int, width: int) -> dict[str, str]:
    """term → its entry (as in a shard) of the (body, title) packed postings of the tail,
    whose lists count from the document before ``first``."""
    entries = {}
    for term, (body, title) in added.items():
        entry = term + TERM_SEP + encode_packed(body, width, first - 1)
        if len(title):
            entry += FIELD_SEP + encode_packed(title, width, first - 1)
        entries[term] = entry
    return entries


def cut_tail(entries: Mapping[str, str], groups: int, count: int) -> list[tuple[str, str]]:
    """(name, text) of every tail file, empty or not: each its groups' entries in
    JavaScript's order."""
    by_file: dict[str, list[str]] = {tail_name(k, count): [] for k in range(count)}
    for term in sorted(entries, key=js_sort_key):
        by_file[tail_name(group_of(term, groups), count)].append(entries[term])
    return [(name, ENTRY_SEP.join(items)) for name, items in by_file.items()]
