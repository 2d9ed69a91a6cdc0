"""``SearchIndex``: the search stage as the build calls it, fast, in parallel and cached.

It makes the files of ``search/`` in three steps:

1. *Terms.* Every article's term counts, from the term cache or cut now (``termblocks``).
2. *Postings.* The counts inverted into encoded posting lists, and the documents' packs
   (``postings``).
3. *Files.* The entries sorted into shards (``shards``), the manifest and filter table
   (``manifest``), and every file as (path, bytes) (``files``).

The newest documents (from ``tail.tail_start``) are indexed apart, in the tail files
(``tail``), made again whole at every build. Given the site the last build left, an index that
only gained documents at its end is instead *extended* (``SearchIndex._extend``): the new
documents are cut, the tail made again, and only when the tail has grown by a span are the
lists of the span's terms extended and the shards of those terms' groups written; then the
last pack and the new ones, and the manifest.

Nothing here depends on the order of the articles given, on ``PYTHONHASHSEED``, on ``jobs``
or on what the cache holds: documents are numbered by ``doc_order_key`` and every list is
built in document order.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from newsgen.index.codec import (
    BLOCK,
    BLOCK_SEP,
    ENTRY_SEP,
    FIELD_SEP,
    TERM_SEP,
    append_packed,
    header_width,
    list_length,
)
from newsgen.index.documents import PACK_SIZE, doc_key, number_documents, pack_of, text_digest
from newsgen.index.files import (
    MANIFEST,
    SearchFile,
    all_files,
    code_files,
    counted,
    head_files,
    layout_files,
    pack_files,
    pack_path,
    shard_file,
    shard_path,
    shard_text,
    size_stats,
    tail_file,
)
from newsgen.index.manifest import filter_table, index_id, is_stop, make_manifest, stop_rule_changes
from newsgen.index.postings import invert, new_postings
from newsgen.index.shards import (
    SHARD_TARGET,
    cut_groups,
    entry_size,
    group_count,
    group_of,
    iter_groups,
    layout,
    shard_name,
    subshard_counts,
)
from newsgen.index.tail import cut_tail, tail_count, tail_entries, tail_start
from newsgen.index.termblocks import Block, TermCache, cache_config, cut_blocks
from newsgen.index.tokens import Segmenter, archive_names, default_backend
from newsgen.model import Article


class PreviousOutput(Protocol):
    """The site as the last build left it (the build's side of an incremental update)."""

    def read(self, path: str) -> bytes | None:
        """A file's bytes, if it is on disk as the last build wrote it (else None)."""

    def has(self, path: str) -> bool:
        """Whether the file is on disk as the last build wrote it."""


class SearchIndex:
    """The search index of ``articles``: ``files()`` gives the files of the site's ``search/``
    folder that this build writes, ``kept`` the paths of those it keeps from the last build,
    ``stats`` the figures the search stage reports.

    ``urls`` maps article id → page URL relative to the site root. ``jobs`` > 1 cuts and
    encodes in that many forked worker processes (Linux; elsewhere, and for small archives,
    in this process). ``cache_dir`` keeps every article's term counts between builds (see
    ``TermCache``): a rebuild cuts only articles whose title or body text is new, unless the
    archive's user dictionary of names changed, when it cuts them all.

    With ``previous`` (the site the last build left) and a ``cache_dir``, an archive that only
    gained documents at its end (a page file whose name sorts last) is *extended*: only the new
    documents are cut, only the lists of their terms are extended (``codec.append_packed``),
    only the shards of those terms' groups, the last pack and the new ones are written; the rest
    is kept.
    Whatever the path, ``jobs``, the cache or the order of ``articles``, the files are those a
    build from nothing gives.
    """

    def __init__(
        self,
        articles: Sequence[Article],
        urls: Mapping[str, str],
        *,
        jobs: int = 1,
        cache_dir: Path | None = None,
        shard_target: int = SHARD_TARGET,
        previous: PreviousOutput | None = None,
    ):
        self.docs = number_documents(articles, urls)
        self.jobs = max(1, int(jobs or 1))
        self.shard_target = shard_target
        self.names = archive_names(d.article for d in self.docs)
        self.backend = default_backend()
        self.cache = TermCache(Path(cache_dir), cache_config(self.backend, self.names)) if cache_dir is not None else None
        self.digests = [text_digest(d.article) for d in self.docs]
        self.doc_keys = [doc_key(d.article, d.url, t) for d, t in zip(self.docs, self.digests)]
        self.kept: list[str] = []  # paths of search/ kept from the last build as they are
        self.first = tail_start(len(self.docs))  # the tail's first document
        self._tail: Block | None = None  # the tail's term counts
        self._tail_texts: list[tuple[str, str]] = []  # (name, text) of the tail files
        self.tail_terms = self.tail_postings = 0
        self._sizes: dict[str, int] | None = None  # bytes of each kind, once files() has run
        self._extended: list[SearchFile] | None = None  # the files an extended index writes
        self._old_sizes: dict[str, int] = {}  # bytes of the kept files, by kind
        if not (previous is not None and self.cache is not None and self._extend(previous, self.cache)):
            self._build()

    # --- from nothing (but the term cache) ---

    def _build(self) -> None:
        blocks, locations = self._term_blocks()
        first = self.first  # the shards' documents are those before the tail's
        self._tail = Block.merge([(blocks[b], i) for b, i in locations[first:]])
        # The peak of a big build's memory is here: ``invert`` takes the term counts over
        # (and lets them go while its workers run), and each shard's entries go as the shard
        # is joined (``consume``).
        inverted = invert(blocks, locations[:first], self.docs, self.jobs)
        del blocks, locations
        self.stop, self._packs, entries = inverted.stop, inverted.packs, inverted.entries
        self.terms, self.postings = len(entries), inverted.postings
        del inverted
        self._set_layout(*layout(entries, self.shard_target))
        self._shards = layout_files(self.subshards, iter_groups(entries, self.groups, self.subshards, consume=True))
        self._make_tail()

    def _term_blocks(self) -> tuple[list[Block], list[tuple[int, int]]]:
        """Every document's term counts, from the cache or cut now: the blocks, and each
        document's (block, record) in them."""
        cache = self.cache
        blocks = cache.load() if cache else []
        where: dict[bytes, tuple[int, int]] = {}
        for b, block in enumerate(blocks):
            for i, digest in enumerate(block.digests):
                where.setdefault(digest, (b, i))
        missing = sorted({d: n for n, d in reversed(list(enumerate(self.digests))) if d not in where}.values())
        self.cut_articles = len(missing)
        new_blocks = self._cut(missing) if missing else []
        for block in new_blocks:
            for i, digest in enumerate(block.digests):
                where.setdefault(digest, (len(blocks), i))
            blocks.append(block)
        locations = [where[d] for d in self.digests]
        if cache:
            cache.tidy(blocks, locations, len(new_blocks))
        return blocks, locations

    def _cut(self, indices: Sequence[int]) -> list[Block]:
        """The term counts of the documents numbered ``indices``, cut now (and cached)."""
        cache, backend = self.cache, self.backend
        freqs = cache.load_freqs() if cache and backend == "rjieba" else None
        made: list[Segmenter] = []

        def segmenter() -> Segmenter:
            if not made:
                made.append(Segmenter(self.names, backend, freqs=freqs))
            return made[0]

        blocks = cut_blocks([d.article for d in self.docs], indices, self.digests, segmenter, self.jobs)
        if cache:
            for block in blocks:
                cache.add(block)
            if freqs is None and made and backend == "rjieba":
                cache.save_freqs(made[0].freqs)
        return blocks

    def _set_layout(self, groups: int, group_sizes: list[int]) -> None:
        """The shard layout for groups of these sizes, and the manifest and filter table
        (``self.stop`` set)."""
        self.groups, self.group_sizes = groups, group_sizes
        self.subshards = subshard_counts(group_sizes, self.shard_target)
        ident = index_id(self.doc_keys, self.names, self.backend)
        tail = (self.first, tail_count(groups)) if self.first < len(self.docs) else None
        self.manifest = make_manifest(self.docs, groups, self.subshards, self.stop, ident, tail)
        self.filters = filter_table(self.docs, self.manifest)

    # --- extending the last build's index ---

    def _extend(self, previous: PreviousOutput, cache: TermCache) -> bool:
        """Add the documents after the last build's to its files; False (nothing done) when
        the last build's index is not a beginning of this one or its layout must change."""
        state = self._last_index(previous, cache)
        recent = self._recent(state) if state is not None else None
        if state is None or recent is None:
            return False
        n_old, groups, n = state["n"], state["groups"], len(self.docs)
        first_old, first = state["first"], self.first
        # The span that leaves the tail for the shards, and the tail that stays.
        moved = range(first - first_old)
        added = new_postings(range(first_old, first), Block.merge([(recent, i) for i in moved])) if moved else {}
        self._tail = Block.merge([(recent, i) for i in range(len(moved), len(recent.digests))])
        touched = {group_of(term, groups) for term in added}
        if moved and not touched:
            return False  # termless documents moved: the stop bigrams may change, no group read
        # The groups of the last build's stop bigrams are read too: their documents must be
        # counted again against the new total (which changes only with the shards').
        wanted = touched | {group_of(term, groups) for term in state["stop"]} if touched else set()
        read = _read_groups(previous, state["sub"], wanted, touched)
        if read is None:
            return False
        entries, old_bytes = read
        new_terms = _append_postings(entries, added, groups, header_width(n))
        group_sizes = list(state["group_sizes"])
        for g in touched:
            group_sizes[g] = sum(map(entry_size, entries[g].values()))
        if group_count(sum(group_sizes), self.shard_target) != groups:
            return False  # the index doubled: every shard moves
        # Only a term with new documents can become a stop bigram (the total only grows).
        candidates = {term for term in added if len(term) == 2} | set(state["stop"])
        self.stop = _stop_bigrams(entries, candidates, groups, first) if touched else list(state["stop"])
        self._set_layout(groups, group_sizes)  # the same subshards, but where touched
        self._make_tail()
        first_pack = pack_of(n_old)  # the last build's last pack, if it was not full, and the new ones
        files = self._extended_files(entries, touched, first_pack)
        # The manifest names the documents its files were made from (``index_id``), so the
        # files the last build left beside it are those of ``state``.
        kept = [pack_path(k) for k in range(first_pack)]
        kept += [shard_path(name) for g, count in enumerate(state["sub"]) if g not in touched for name in _names(g, count)]
        if not all(map(previous.has, kept)):
            return False
        rewritten = previous.read(pack_path(first_pack)) if n_old % PACK_SIZE else b""
        if rewritten is None:
            return False
        self.terms = state["terms"] + new_terms
        self.postings = state["postings"] + sum(len(b) + len(t) for b, t in added.values())
        self._old_sizes = {"shards": state["sizes"]["shards"] - old_bytes, "packs": state["sizes"]["packs"] - len(rewritten)}
        self._extended, self.kept = files, kept
        return True

    def _recent(self, state: dict[str, Any]) -> Block | None:
        """The term counts of the documents from the last build's tail on: its tail's, as it
        remembered them, then the new documents', cut now. None if the remembered ones are
        not this archive's."""
        n_old, first_old = state["n"], state["first"]
        old = Block.loads(state["tail"]) if state["tail"] else None
        if (old.digests if old else []) != self.digests[first_old:n_old]:
            return None
        new = list(range(n_old, len(self.docs)))
        self.cut_articles = len(new)
        parts = [(old, i) for i in range(len(old.digests))] if old else []
        return Block.merge(parts + [(b, i) for b in self._cut(new) for i in range(len(b.digests))])

    def _last_index(self, previous: PreviousOutput, cache: TermCache) -> dict[str, Any] | None:
        """What the cache remembers of the last build's index, if this index begins with its
        documents, needs block headers of the same width and lists stop bigrams as it did."""
        old_manifest = previous.read(MANIFEST)
        state = cache.load_state(_state_name(old_manifest)) if old_manifest is not None else None
        if state is None or "first" not in state:
            return None
        n_old, n = state["n"], len(self.docs)
        if (
            0 < n_old < n
            and header_width(n) == state["width"]
            and not stop_rule_changes(state["first"], self.first)
            and b"".join(self.doc_keys[:n_old]) == state["keys"]
        ):
            return state
        return None

    def _extended_files(self, entries: dict[int, dict[str, str]], touched: set[int], first: int) -> list[SearchFile]:
        """The files an extended index writes: the manifest and filter table, the shards of
        the ``touched`` groups, the packs from ``first`` on, lunr.js and search.js."""
        files = list(head_files(self.manifest, self.filters))
        for g in sorted(touched):
            shards = cut_groups(entries[g], self.groups, self.subshards)
            files += [shard_file(name, shards.get(name, "")) for name in _names(g, self.subshards[g])]
        files += self._tail_files()
        packs = pack_files(self.docs[first * PACK_SIZE :])
        files += [SearchFile(pack_path(k), data, "packs") for k, data in enumerate(packs, first)]
        files += code_files()
        return files

    def _make_tail(self) -> None:
        """The tail files' texts (none when the index has no tail), and the tail's terms and
        postings (the shards' are ``terms`` and ``postings``)."""
        n = len(self.docs)
        self._tail_texts, self.tail_terms, self.tail_postings = [], 0, 0
        if self.first == n or self._tail is None:
            return
        added = new_postings(range(self.first, n), self._tail)
        entries = tail_entries(added, self.first, header_width(n))
        self._tail_texts = cut_tail(entries, self.groups, tail_count(self.groups))
        self.tail_terms = len(entries)
        self.tail_postings = sum(len(b) + len(t) for b, t in added.values())

    def _tail_files(self) -> list[SearchFile]:
        return [tail_file(name, text) for name, text in self._tail_texts]

    # --- the files ---

    def files(self) -> Iterator[tuple[str, bytes]]:
        """(site-relative POSIX path, bytes) of every file of ``search/`` this build writes,
        always in one order: the manifest, the filter table, the shards by group and place,
        the packs by number, lunr.js, search.js. (An extended index leaves out the files
        in ``kept``.) The term cache then remembers this index, to extend it next time."""
        sizes = dict(self._old_sizes)
        manifest = b""
        files = (
            self._extended
            if self._extended is not None
            else all_files(self.manifest, self.filters, self._shards, self._packs, self._tail_files())
        )
        for path, data in counted(files, sizes):
            if path == MANIFEST:
                manifest = data
            yield path, data
        self._sizes = sizes
        if self.cache is not None:
            self._save_state(self.cache, manifest, sizes)

    def _save_state(self, cache: TermCache, manifest: bytes, sizes: dict[str, int]) -> None:
        """What extending this index needs, under the name of its manifest."""
        n = len(self.docs)
        cache.save_state(
            _state_name(manifest),
            {
                "n": n,
                "first": self.first,
                "tail": self._tail.dumps() if self._tail is not None and self.first < n else b"",
                "width": header_width(n),
                "groups": self.groups,
                "sub": list(self.subshards),
                "group_sizes": list(self.group_sizes),
                "keys": b"".join(self.doc_keys),
                "stop": sorted(self.stop),
                "terms": self.terms,
                "postings": self.postings,
                "sizes": {"shards": sizes.get("shards", 0), "packs": sizes.get("packs", 0)},
            },
        )

    @property
    def stats(self) -> dict:
        """Article, term, posting and shard counts and the bytes of each kind of file (from
        the sizes ``files()`` counted; files are made, not written, when it has not run)."""
        if self._sizes is None:
            deque(self.files(), maxlen=0)
        assert self._sizes is not None
        terms, postings = self.terms + self.tail_terms, self.postings + self.tail_postings
        return size_stats(len(self.docs), terms, postings, self.manifest["shards"], self._sizes, self.backend)


def _state_name(manifest: bytes) -> str:
    return hashlib.blake2b(manifest, digest_size=16).hexdigest()


def _names(group: int, count: int) -> list[str]:
    return [shard_name(group, sub) for sub in range(count)]


def _read_groups(
    previous: PreviousOutput, subshards: Sequence[int], wanted: Iterable[int], touched: set[int]
) -> tuple[dict[int, dict[str, str]], int] | None:
    """group → (term → entry) of the ``wanted`` groups of the last build's shards, and the
    bytes of the ``touched`` groups' shard files; None if a shard is not as it was written."""
    entries: dict[int, dict[str, str]] = {}
    old_bytes = 0
    for g in sorted(wanted):
        entries[g] = {}
        for name in _names(g, subshards[g]):
            data = previous.read(shard_path(name))
            if data is None:
                return None
            if g in touched:
                old_bytes += len(data)
            text = shard_text(data)
            for entry in text.split(ENTRY_SEP) if text else ():
                entries[g][entry[: entry.index(TERM_SEP)]] = entry
    return entries, old_bytes


def _append_postings(
    entries: dict[int, dict[str, str]], added: Mapping[str, tuple[array, array]], groups: int, width: int
) -> int:
    """Extend the entries (by group) with the ``added`` (body, title) postings of each term;
    returns how many terms are new."""
    new_terms = 0
    for term, (body, title) in added.items():
        group = entries[group_of(term, groups)]
        old = group.get(term)
        new_terms += old is None
        old_body, _, old_title = old.partition(TERM_SEP)[2].partition(FIELD_SEP) if old else ("", "", "")
        entry = term + TERM_SEP + append_packed(old_body, body, width)
        if old_title or title:
            entry += FIELD_SEP + append_packed(old_title, title, width)
        group[term] = entry
    return new_terms


def _stop_bigrams(entries: dict[int, dict[str, str]], candidates: Iterable[str], groups: int, n: int) -> list[str]:
    """Which of the ``candidates`` are stop bigrams in ``n`` documents, by their entries."""
    width = header_width(n)

    def stop(term: str) -> bool:
        lists = entries[group_of(term, groups)][term].partition(TERM_SEP)[2]
        # Every block but a list's last holds BLOCK postings: most lists are too short to
        # count without reading their last blocks.
        if not is_stop(term, (lists.count(BLOCK_SEP) + 2) * BLOCK, n):
            return False
        body, _, title = lists.partition(FIELD_SEP)
        return is_stop(term, list_length(body, width) + list_length(title, width), n)

    return [term for term in candidates if stop(term)]
