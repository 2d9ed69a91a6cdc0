"""``SearchIndex``: the search stage as the build calls it, fast, in parallel and cached.

It builds the same files as ``build_index`` + ``write_files`` (byte for byte; the tests compare
them) in three steps:

1. *Terms.* Each article's two bags of terms (``tokens.field_terms``) are kept as a
   ``Block``: a vocabulary and, per article, arrays of vocabulary numbers and term
   frequencies. Articles are cut in worker processes when ``jobs > 1``; with a ``cache_dir``
   the blocks are stored there (``TermCache``) and only articles whose text is new are cut.
2. *Postings.* The terms are dealt into partitions by a CRC of the term; each worker walks all
   documents in order and appends the postings of its partitions (one packed int each, in an
   ``array``) and encodes them (``encode.encode_packed``): no tuple per posting.
3. *Files.* The parent sorts the encoded entries into shards exactly as ``build_index`` does.

Given the site the last build left, an index that only gained documents at its end is instead
*extended* (``SearchIndex._extend``): the new documents are cut, their terms' lists extended,
and only the shards of those terms' groups, the new fragments and the manifest are written.

Nothing here depends on the order of the articles given, on ``PYTHONHASHSEED``, on ``jobs``
or on what the cache holds: documents are numbered by ``doc_order_key`` and every list is
built in document order.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import shutil
import zlib
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import or_
from pathlib import Path
from typing import Any, Protocol

from newsgen.errors import NewsgenError
from newsgen.index.build import (
    SHARD_TARGET,
    Doc,
    cut_groups,
    doc_key,
    doc_order_key,
    entry_size,
    filter_table,
    group_count,
    group_of,
    index_id,
    is_stop,
    layout,
    make_manifest,
    shard_name,
    stop_rule_changes,
    subshard_counts,
    text_digest,
)
from newsgen.index.codec import (
    BLOCK,
    BLOCK_SEP,
    ENTRY_SEP,
    FIELD_SEP,
    TERM_SEP,
    TF_BITS,
    append_packed,
    encode_packed_entry,
    header_width,
    list_length,
)
from newsgen.index.tokens import (
    Segmenter,
    _has_rjieba,
    archive_names,
    body_text,
    field_terms,
    segmenter_versions,
    title_text,
)
from newsgen.index.files import (
    MANIFEST,
    SearchFile,
    code_files,
    counted,
    fragment_file,
    fragment_path,
    head_files,
    search_files,
    shard_file,
    shard_path,
    shard_text,
    size_stats,
)
from newsgen.model import Article
from newsgen.workers import fork_map

# Bump when field_terms' rules change: the cached term counts are then void.
TERMS_VERSION = 1
CACHE_FORMAT = 1
BLOCK_SIZE = 2048  # articles per block (and per cache file) when many are cut at once
PARALLEL_ARTICLES = 300  # fewer articles to cut than this: cut them in this process
PARALLEL_POSTINGS = 400_000  # fewer postings than this: invert and encode in this process
PASS_POSTINGS = 24_000_000  # postings one worker holds at once (8 bytes each)

_EMPTY: tuple = ()
# A Doc's bags of terms, which this module keeps in blocks instead (never filled: one for all).
_NO_TERMS: Counter[str] = Counter()


# --- blocks of term counts -------------------------------------------------------------------


class _Vocabulary(dict):
    """term → its number in a block, numbered on first sight."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


@dataclass
class Block:
    """The term counts of some articles: ``recs[i]`` is (title term numbers, title tfs, body
    term numbers, body tfs) of the article whose text digest is ``digests[i]``."""

    digests: list[bytes]
    vocab: list[str]
    recs: list[tuple[array, array, array, array]]

    @classmethod
    def from_counts(cls, digests: list[bytes], counts: Sequence[tuple[Counter, Counter]]) -> Block:
        vocab = _Vocabulary()
        number = vocab.__getitem__
        lists = [
            (list(map(number, title)), list(title.values()), list(map(number, body)), list(body.values()))
            for title, body in counts
        ]
        # Each array made once, in its smallest type (what ``compact`` would make of it).
        code = "H" if len(vocab) <= 0xFFFF else "I"
        recs = [
            (array(code, ti), array(_tf_code(tt), tt), array(code, bi), array(_tf_code(bt), bt))
            for ti, tt, bi, bt in lists
        ]
        return cls(list(digests), list(vocab), recs)

    def compact(self) -> Block:
        """The arrays in their smallest types (two bytes a term number, one a frequency, mostly)."""
        code = "H" if len(self.vocab) <= 0xFFFF else "I"
        self.recs = [
            tuple(a if a.typecode == c else array(c, a) for a, c in zip(rec, (code, _tf_code(rec[1]), code, _tf_code(rec[3]))))
            for rec in self.recs
        ]
        return self

    @classmethod
    def merge(cls, parts: Sequence[tuple[Block, int]]) -> Block:
        """One block of the given (block, record) pairs, renumbered into one vocabulary."""
        vocab = _Vocabulary()
        remaps: dict[int, list[int]] = {}
        digests, recs = [], []
        for block, i in parts:
            remap = remaps.get(id(block))
            if remap is None:
                remap = remaps[id(block)] = list(map(vocab.__getitem__, block.vocab))
            ti, tt, bi, bt = block.recs[i]
            recs.append((array("I", map(remap.__getitem__, ti)), tt, array("I", map(remap.__getitem__, bi)), bt))
            digests.append(block.digests[i])
        return cls(digests, list(vocab), recs).compact()

    def dumps(self) -> bytes:
        code = "H" if len(self.vocab) <= 0xFFFF else "I"
        recs = [
            tuple(_pack(a, code if j % 2 == 0 else _tf_code(a)) for j, a in enumerate(rec)) for rec in self.recs
        ]
        payload = marshal.dumps((CACHE_FORMAT, self.digests, self.vocab, recs), 4)
        return _MAGIC + hashlib.blake2b(payload, digest_size=16).digest() + payload

    @classmethod
    def loads(cls, data: bytes) -> Block:
        """The block ``dumps`` wrote; ValueError for anything else (a damaged file)."""
        if data[: len(_MAGIC)] != _MAGIC:
            raise ValueError("not a term block")
        check, payload = data[len(_MAGIC) : len(_MAGIC) + 16], data[len(_MAGIC) + 16 :]
        if hashlib.blake2b(payload, digest_size=16).digest() != check:
            raise ValueError("damaged term block")
        version, digests, vocab, packed = marshal.loads(payload)
        if version != CACHE_FORMAT or len(digests) != len(packed):
            raise ValueError("term block of another format")
        recs = []
        limit = len(vocab)
        for rec in packed:
            arrays = tuple(_unpack(code, raw) for code, raw in rec)
            ti, tt, bi, bt = arrays
            if len(ti) != len(tt) or len(bi) != len(bt) or (ti and max(ti) >= limit) or (bi and max(bi) >= limit):
                raise ValueError("damaged term block")
            recs.append(arrays)
        return cls(list(digests), list(vocab), recs)


_MAGIC = b"newsgen-terms\x00"


def _tf_code(values: Sequence[int]) -> str:
    top = max(values) if values else 0
    return "B" if top <= 0xFF else "H" if top <= 0xFFFF else "I"


def _pack(values: array, code: str) -> tuple[str, bytes]:
    if values.typecode != code:
        values = array(code, values)
    return code, values.tobytes()


def _unpack(code: str, raw: bytes) -> array:
    if code not in ("B", "H", "I"):
        raise ValueError("damaged term block")
    values = array(code)
    values.frombytes(raw)
    return values


# --- the cache --------------------------------------------------------------------------------


class TermCache:
    """Term blocks on disk under ``<cache_dir>/search/<config>/``, one file per block.

    ``<config>`` is a digest of what the terms depend on besides an article's own text: the
    archive's user dictionary (every reporter, correspondent and district name, plus the
    gazetteer), the segmenter backend and versions, and ``TERMS_VERSION``. A new name anywhere
    in the archive changes the dictionary, and so possibly every article's cut: then nothing is
    reused and everything is cut again (which is correct, and the only safe choice).

    Files are written to a temporary name and renamed, so a reader sees whole files or none; a
    file that cannot be read or fails its checksum is ignored (and removed). Blocks holding many
    articles no longer in the archive are compacted away.
    """

    MAX_FILES = 48

    def __init__(self, cache_dir: Path, config: str):
        self.root = Path(cache_dir) / "search"
        self.folder = self.root / config

    def load(self) -> list[Block]:
        blocks = []
        try:
            names = sorted(p.name for p in self.folder.iterdir() if p.suffix == ".blk")
        except OSError:
            return []
        for name in names:
            path = self.folder / name
            try:
                blocks.append(Block.loads(path.read_bytes()))
            except FileNotFoundError:
                continue  # compacted away by another build meanwhile
            except Exception:  # noqa: BLE001 - a damaged cache is never an error
                _remove(path)
        return blocks

    def load_freqs(self) -> list[tuple[str, int]] | None:
        freqs = self._load("names.freq")
        try:
            return [(str(n), int(f)) for n, f in freqs] if freqs is not None else None
        except Exception:  # noqa: BLE001 - a damaged cache is never an error
            return None

    def save_freqs(self, freqs: Sequence[tuple[str, int]]) -> None:
        self._save("names.freq", [tuple(x) for x in freqs])

    STATES = 4  # indexes remembered (one per site built with this cache, mostly)

    def load_state(self, name: str) -> dict[str, Any] | None:
        """What ``save_state`` stored under ``name``, or None."""
        state = self._load(f"{name}.state")
        return state if isinstance(state, dict) and state.get("format") == CACHE_FORMAT else None

    def save_state(self, name: str, state: dict[str, Any]) -> None:
        """Store an index's state; only the newest ``STATES`` are kept."""
        self._save(f"{name}.state", {**state, "format": CACHE_FORMAT})
        try:
            states = sorted(self.folder.glob("*.state"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        except OSError:
            return
        for path in states[: -self.STATES]:
            _remove(path)

    def add(self, block: Block) -> None:
        data = block.dumps()
        self._write(hashlib.blake2b(data, digest_size=12).hexdigest() + ".blk", data)

    def replace_all(self, blocks: Sequence[Block]) -> None:
        """Write ``blocks`` and remove every other block file (after, so readers never lack)."""
        keep = set()
        for block in blocks:
            data = block.dumps()
            name = hashlib.blake2b(data, digest_size=12).hexdigest() + ".blk"
            self._write(name, data)
            keep.add(name)
        try:
            for path in self.folder.iterdir():
                if path.suffix == ".blk" and path.name not in keep:
                    _remove(path)
        except OSError:
            pass

    def forget_other_configs(self) -> None:
        try:
            for path in self.root.iterdir():
                if path.is_dir() and path.name != self.folder.name and path.name.startswith("v"):
                    shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass

    def _load(self, name: str) -> Any:
        """What ``_save`` stored under ``name``; None when it is missing or damaged."""
        try:
            data = (self.folder / name).read_bytes()
            check, payload = data[:16], data[16:]
            if hashlib.blake2b(payload, digest_size=16).digest() != check:
                return None
            return marshal.loads(payload)
        except Exception:  # noqa: BLE001 - a damaged cache is never an error
            return None

    def _save(self, name: str, value: Any) -> None:
        """``value`` (marshal's types) under ``name``, behind a checksum of its bytes."""
        payload = marshal.dumps(value, 4)
        self._write(name, hashlib.blake2b(payload, digest_size=16).digest() + payload)

    def _write(self, name: str, data: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, self.folder / name)
        except OSError:
            pass  # a cache that cannot be written is only slower


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


# --- work done in worker processes (forked: they read _STATE, set before the fork) -------------

_STATE: dict = {}


def _cut(indices: Sequence[int]) -> Block:
    """Step 1 for some documents: their term counts as a block."""
    articles, segmenter, digests = _STATE["articles"], _STATE["segmenter"](), _STATE["digests"]
    counts = [
        (field_terms(title_text(articles[i]), segmenter), field_terms(body_text(articles[i]), segmenter))
        for i in indices
    ]
    return Block.from_counts([digests[i] for i in indices], counts)


def _postings(task: tuple[int, int]) -> tuple[dict[str, str], int, list[str]]:
    """Step 2 for the terms of partition ``part`` of ``parts``: their encoded entries, the
    number of postings, and which of the terms are stop bigrams."""
    part, parts = task
    blocks, locations, hashes, width = _STATE["blocks"], _STATE["locations"], _STATE["hashes"], _STATE["width"]
    title: defaultdict[str, array] = defaultdict(lambda: array("q"))
    body: defaultdict[str, array] = defaultdict(lambda: array("q"))
    junk = array("q")
    routes = []
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
    entries = {}
    count = 0
    stop = []
    n = len(locations)
    for term in title.keys() | body.keys():
        t, b = title.get(term, _EMPTY), body.get(term, _EMPTY)
        if not t and not b:
            continue  # routed for a cached article that is no longer in the archive
        count += len(t) + len(b)
        entries[term] = encode_packed_entry(term, b, t, width)
        if is_stop(term, len(t) + len(b), n):
            stop.append(term)
    return entries, count, stop


def _fragments(span: tuple[int, int]) -> list[bytes]:
    docs = _STATE["docs"]
    return [fragment_file(doc) for doc in docs[span[0] : span[1]]]


def _run(tasks: list, func, jobs: int) -> list:  # noqa: ANN001
    """``[func(t) for t in tasks]``, in ``jobs`` forked processes when that is possible."""
    return fork_map(func, tasks, jobs)


# --- files ------------------------------------------------------------------------------------


class PreviousOutput(Protocol):
    """The site as the last build left it (the build's side of an incremental update)."""

    def read(self, path: str) -> bytes | None:
        """A file's bytes, if it is on disk as the last build wrote it (else None)."""

    def has(self, path: str) -> bool:
        """Whether the file is on disk as the last build wrote it."""


class SearchIndex:
    """The search index of ``articles``: ``files()`` gives the files of the site's ``search/``
    folder that this build writes, ``kept`` the paths of those it keeps from the last build,
    ``stats`` the figures ``write_search_index`` reports.

    ``urls`` maps article id → page URL relative to the site root. ``jobs`` > 1 cuts and
    encodes in that many forked worker processes (Linux; elsewhere, and for small archives,
    in this process). ``cache_dir`` keeps every article's term counts between builds (see
    ``TermCache``): a rebuild cuts only articles whose title or body text is new, unless the
    archive's user dictionary of names changed, when it cuts them all.

    With ``previous`` (the site the last build left) and a ``cache_dir``, an archive that only
    gained documents at its end (a page file whose name sorts last) is *extended*: only the new
    documents are cut, only the lists of their terms are extended (``encode.append_packed``),
    only the shards of those terms' groups and the new fragments are written; the rest is kept.
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
        ordered = sorted(articles, key=doc_order_key)
        ids = [a.id for a in ordered]
        if len(set(ids)) != len(ids):
            dup = sorted(i for i, c in Counter(ids).items() if c > 1)[0]
            raise NewsgenError(f"two articles share the id {dup!r}: the search index needs unique ids")
        docs = []
        for number, article in enumerate(ordered):
            try:
                url = urls[article.id]
            except KeyError:
                raise NewsgenError(f"no page URL for article {article.id}", article.source) from None
            docs.append(Doc(number, article, url, _NO_TERMS, _NO_TERMS))
        self.docs = docs
        self.jobs = max(1, int(jobs or 1))
        self.shard_target = shard_target
        self.names = archive_names(ordered)
        self.backend = "rjieba" if _has_rjieba() else "jieba"
        config = hashlib.blake2b(
            "\n".join(
                [f"terms {TERMS_VERSION}", f"cache {CACHE_FORMAT}", self.backend, segmenter_versions(), *self.names]
            ).encode("utf-8", "surrogatepass"),
            digest_size=10,
        ).hexdigest()
        self.cache = TermCache(Path(cache_dir), f"v{CACHE_FORMAT}-{config}") if cache_dir is not None else None
        self.digests = [text_digest(a) for a in ordered]
        self.doc_keys = [doc_key(d.article, d.url, t) for d, t in zip(docs, self.digests)]
        self.kept: list[str] = []  # paths of search/ kept from the last build as they are
        self._sizes: dict[str, int] | None = None  # bytes of each kind, once files() has run
        self._extended: list[SearchFile] | None = None  # the files an extended index writes
        self._old_sizes: dict[str, int] = {}  # bytes of the kept files, by kind
        if not (previous is not None and self.cache is not None and self._extend(previous, self.cache)):
            self._build()

    # --- from nothing (but the term cache) ---

    def _build(self) -> None:
        docs, digests, cache, jobs = self.docs, self.digests, self.cache, self.jobs
        ordered = [d.article for d in docs]

        # Step 1: every document's term counts, from the cache or cut now.
        blocks = cache.load() if cache else []
        where: dict[bytes, tuple[int, int]] = {}
        for b, block in enumerate(blocks):
            for i, digest in enumerate(block.digests):
                where.setdefault(digest, (b, i))
        missing = sorted({d: n for n, d in reversed(list(enumerate(digests))) if d not in where}.values())
        self.cut_articles = len(missing)
        new_blocks = self._cut_blocks(ordered, missing) if missing else []
        for block in new_blocks:
            for i, digest in enumerate(block.digests):
                where.setdefault(digest, (len(blocks), i))
            blocks.append(block)
        locations = [where[d] for d in digests]
        if cache:
            self._tidy(cache, blocks, locations, len(new_blocks))

        # Step 2: postings, encoded per term, in partitions of the terms.
        total = sum(len(blocks[b].recs[i][0]) + len(blocks[b].recs[i][2]) for b, i in locations)
        workers = jobs if jobs > 1 and total >= PARALLEL_POSTINGS else 1
        passes = max(1, math.ceil(total / workers / PASS_POSTINGS))
        parts = workers * passes
        hashes = [[zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in block.vocab] for block in blocks]
        tasks2: list = [("postings", p, parts) for p in range(parts)]
        spans = [("fragments", i, min(i + 4096, len(docs))) for i in range(0, len(docs), 4096)]
        _STATE.update(blocks=blocks, locations=locations, hashes=hashes, docs=docs, width=header_width(len(docs)))
        try:
            results = _run(tasks2 + spans, _task, workers)
        finally:
            _STATE.clear()
        entries: dict[str, str] = {}
        postings = 0
        stop: list[str] = []
        for got, count, common in results[: len(tasks2)]:
            entries.update(got)
            postings += count
            stop += common
        self.stop = stop
        fragments: list[bytes] = [f for chunk in results[len(tasks2) :] for f in chunk]

        # Step 3: shards, cut as build_index cuts them.
        self.groups, self.group_sizes = layout(entries, self.shard_target)
        self.subshards = subshard_counts(self.group_sizes, self.shard_target)
        shards = cut_groups(entries, self.groups, self.subshards)
        self.manifest = self._manifest()
        self.filters = filter_table(self.docs, self.manifest)
        self.terms, self.postings = len(entries), postings
        self._shards, self._fragments = shards, fragments

    def _cut_blocks(self, ordered: Sequence[Article], indices: Sequence[int]) -> list[Block]:
        """The term counts of ``ordered[i]`` for ``i`` in ``indices``, cut now (and cached)."""
        cache, backend = self.cache, self.backend
        freqs = cache.load_freqs() if cache and backend == "rjieba" else None
        segmenter_box: list[Segmenter] = []

        def segmenter() -> Segmenter:
            if not segmenter_box:
                segmenter_box.append(Segmenter(self.names, backend, freqs=freqs))
            return segmenter_box[0]

        cutters = self.jobs if len(indices) >= PARALLEL_ARTICLES else 1
        if cutters > 1:
            segmenter()  # once, before the fork
        # as many blocks as it takes to keep them under BLOCK_SIZE, a multiple of the workers
        chunks = cutters * math.ceil(len(indices) / (BLOCK_SIZE * cutters))
        size = math.ceil(len(indices) / chunks)
        tasks = [list(indices[i : i + size]) for i in range(0, len(indices), size)]
        _STATE.update(articles=ordered, segmenter=segmenter, digests=self.digests)
        try:
            blocks = _run(tasks, _cut, cutters)
        finally:
            _STATE.clear()
        if cache:
            for block in blocks:
                cache.add(block)
            if freqs is None and segmenter_box and backend == "rjieba":
                cache.save_freqs(segmenter_box[0].freqs)
        return blocks

    # --- extending the last build's index ---

    def _extend(self, previous: PreviousOutput, cache: TermCache) -> bool:
        """Add the documents after the last build's to its files; False (nothing done) when
        the last build's index is not a beginning of this one or its layout must change."""
        old_manifest = previous.read(MANIFEST)
        state = cache.load_state(_state_name(old_manifest)) if old_manifest is not None else None
        if state is None:
            return False
        n_old, n = state["n"], len(self.docs)
        width = header_width(n)
        if not (
            0 < n_old < n
            and width == state["width"]
            and not stop_rule_changes(n_old, n)
            and b"".join(self.doc_keys[:n_old]) == state["keys"]
        ):
            return False
        groups, subshards = state["groups"], state["sub"]

        # The new documents' terms, as postings to append.
        new = list(range(n_old, n))
        cut = self._cut_blocks([d.article for d in self.docs], new)
        block = Block.merge([(b, i) for b in cut for i in range(len(b.digests))])
        added: dict[str, tuple[array, array]] = defaultdict(lambda: (array("q"), array("q")))
        for number, (ti, tt, bi, bt) in zip(new, block.recs):
            base = number << TF_BITS
            for t, tf in zip(ti, tt):
                added[block.vocab[t]][1].append(base | tf)
            for t, tf in zip(bi, bt):
                added[block.vocab[t]][0].append(base | tf)
        self.cut_articles = len(new)

        # The groups those terms are in, and those of the last build's stop bigrams (whose
        # documents must be counted again against the new total).
        touched = {group_of(term, groups) for term in added}
        entries: dict[int, dict[str, str]] = {}
        old_bytes = 0
        for g in sorted(touched | {group_of(term, groups) for term in state["stop"]}):
            entries[g] = {}
            for sub in range(subshards[g]):
                data = previous.read(shard_path(shard_name(g, sub)))
                if data is None:
                    return False
                if g in touched:
                    old_bytes += len(data)
                text = shard_text(data)
                for entry in text.split(ENTRY_SEP) if text else ():
                    entries[g][entry[: entry.index(TERM_SEP)]] = entry
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
        group_sizes = list(state["group_sizes"])
        for g in touched:
            group_sizes[g] = sum(map(entry_size, entries[g].values()))
        if group_count(sum(group_sizes), self.shard_target) != groups:
            return False  # the index doubled: every shard moves

        def stop(term: str) -> bool:
            lists = entries[group_of(term, groups)][term].partition(TERM_SEP)[2]
            # Every block but a list's last holds BLOCK postings: most lists are too short to
            # count without reading their last blocks.
            if not is_stop(term, (lists.count(BLOCK_SEP) + 2) * BLOCK, n):
                return False
            body, _, title = lists.partition(FIELD_SEP)
            return is_stop(term, list_length(body, width) + list_length(title, width), n)

        # Only a term with new documents can become a stop bigram (the total only grows).
        candidates = {term for term in added if len(term) == 2} | set(state["stop"])
        self.stop = [term for term in candidates if stop(term)]
        self.groups, self.group_sizes = groups, group_sizes
        self.subshards = subshard_counts(group_sizes, self.shard_target)  # the same, but where touched
        self.manifest = self._manifest()
        self.filters = filter_table(self.docs, self.manifest)
        files = list(head_files(self.manifest, self.filters))
        for g in sorted(touched):
            shards = cut_groups(entries[g], groups, self.subshards)
            for sub in range(self.subshards[g]):
                name = shard_name(g, sub)
                files.append(shard_file(name, shards.get(name, "")))
        files += [(fragment_path(d.number), fragment_file(d), "fragments") for d in self.docs[n_old:]]
        files += code_files()
        # The manifest names the documents its files were made from (``index_id``), so the
        # files the last build left beside it are those of ``state``.
        kept = [fragment_path(i) for i in range(n_old)]
        kept += [shard_path(shard_name(g, sub)) for g, count in enumerate(subshards) if g not in touched for sub in range(count)]
        if not all(map(previous.has, kept)):
            return False
        self.terms = state["terms"] + new_terms
        self.postings = state["postings"] + sum(len(b) + len(t) for b, t in added.values())
        self._old_sizes = {
            "shards": state["sizes"]["shards"] - old_bytes,
            "fragments": state["sizes"]["fragments"],
        }
        self._extended, self.kept = files, kept
        return True

    @staticmethod
    def _tidy(cache: TermCache, blocks: list[Block], locations: list[tuple[int, int]], added: int) -> None:
        """Compact the cache when it holds too many files or mostly articles gone."""
        used = set(locations)
        stored = sum(len(b.digests) for b in blocks)
        if len(blocks) <= TermCache.MAX_FILES and stored <= 2 * len(used) + BLOCK_SIZE:
            if added:
                cache.forget_other_configs()
            return
        order = sorted(used)
        merged = [Block.merge([(blocks[b], i) for b, i in order[j : j + BLOCK_SIZE]]) for j in range(0, len(order), BLOCK_SIZE)]
        cache.replace_all(merged)
        cache.forget_other_configs()

    def _manifest(self) -> dict:
        ident = index_id(self.doc_keys, self.names, self.backend)
        return make_manifest(self.docs, self.groups, self.subshards, self.stop, ident)

    def files(self) -> Iterator[tuple[str, bytes]]:
        """(site-relative POSIX path, bytes) of every file of ``search/`` this build writes,
        always in one order: the manifest, the filter table, the shards by group and place,
        the fragments by number, lunr.js, search.js. (An extended index leaves out the files
        in ``kept``.) The term cache then remembers this index, to extend it next time."""
        sizes = dict(self._old_sizes)
        manifest = b""
        files = (
            self._extended
            if self._extended is not None
            else search_files(self.manifest, self.filters, self._shards, self._fragments)
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
                "width": header_width(n),
                "groups": self.groups,
                "sub": list(self.subshards),
                "group_sizes": list(self.group_sizes),
                "keys": b"".join(self.doc_keys),
                "stop": sorted(self.stop),
                "terms": self.terms,
                "postings": self.postings,
                "sizes": {"shards": sizes.get("shards", 0), "fragments": sizes.get("fragments", 0)},
            },
        )

    @property
    def stats(self) -> dict:
        """Article, term, posting and shard counts and the bytes of each kind of file (from
        the sizes ``files()`` counted; files are made, not written, when it has not run)."""
        if self._sizes is None:
            deque(self.files(), maxlen=0)
        assert self._sizes is not None
        return size_stats(len(self.docs), self.terms, self.postings, self.manifest["shards"], self._sizes, self.backend)


def _state_name(manifest: bytes) -> str:
    return hashlib.blake2b(manifest, digest_size=16).hexdigest()


def _task(task: tuple[str, int, int]):  # noqa: ANN202
    """Step 2's two kinds of task, run in one pool."""
    kind, a, b = task
    return _postings((a, b)) if kind == "postings" else _fragments((a, b))
