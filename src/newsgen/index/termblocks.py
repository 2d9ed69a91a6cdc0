"""Step 1 of the search stage: every article's terms, counted, kept in blocks and cached.

Each article's two bags of terms (``tokens.field_terms``' counts, made for a block of articles
at once by ``blockcut``) are kept as a ``Block``: a vocabulary and, per article, arrays of
vocabulary numbers and term frequencies. Articles are
cut in worker processes when there are many (``cut_blocks``); with a cache folder the blocks
are stored there (``TermCache``), so that a rebuild cuts only articles whose text is new.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import shutil
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.fingerprint import code_fingerprint
from newsgen.index.blockcut import count_fields, records
from newsgen.index.chars import normalize_all
from newsgen.index.tokens import Segmenter, body_text, title_text
from newsgen.model import Article
from newsgen.runtime import fork_map, inherited

CACHE_FORMAT = 1  # of the files on disk (what the code counts is in code_fingerprint)
BLOCK_SIZE = 2048  # articles per block (and per cache file) when many are cut at once
PARALLEL_ARTICLES = 300  # fewer articles to cut than this: cut them in this process


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
    def count(cls, digests: Sequence[bytes], fields: Sequence[str], cut: Callable[[str], list[str]]) -> Block:
        """The term counts of articles from their fields (title, body, title, body, …), cut
        into words by `cut` (a ``Segmenter``'s)."""
        vocab, counted = count_fields(normalize_all(fields), cut)
        return cls(list(digests), vocab, records(len(vocab), counted))

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
    gazetteer), the segmenter backend, and the code that cuts and counts (``code_fingerprint``:
    every file of the package, the libraries' versions, jieba's dictionary). A new name anywhere
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

    def tidy(self, blocks: Sequence[Block], locations: Sequence[tuple[int, int]], added: int) -> None:
        """Compact the cache when it holds too many files or mostly articles gone: ``blocks``
        are those loaded and ``added`` of them (at the end) new, ``locations`` the (block,
        record) of every article of the archive."""
        used = set(locations)
        stored = sum(len(b.digests) for b in blocks)
        if len(blocks) <= self.MAX_FILES and stored <= 2 * len(used) + BLOCK_SIZE:
            if added:
                self.forget_other_configs()
            return
        order = sorted(used)
        merged = [Block.merge([(blocks[b], i) for b, i in order[j : j + BLOCK_SIZE]]) for j in range(0, len(order), BLOCK_SIZE)]
        self.replace_all(merged)
        self.forget_other_configs()

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


def cache_config(backend: str, names: Sequence[str]) -> str:
    """The name of the cache's folder: a digest of what the terms depend on besides an
    article's own text (see ``TermCache``)."""
    config = hashlib.blake2b(
        "\n".join([f"cache {CACHE_FORMAT}", code_fingerprint(), backend, *names]).encode("utf-8", "surrogatepass"),
        digest_size=10,
    ).hexdigest()
    return f"v{CACHE_FORMAT}-{config}"


# --- cutting, in worker processes (forked: they read what `cut_blocks` gives them) ------------


def cut_blocks(
    articles: Sequence[Article],
    indices: Sequence[int],
    digests: Sequence[bytes],
    segmenter: Callable[[], Segmenter],
    jobs: int,
) -> list[Block]:
    """The term counts of ``articles[i]`` for ``i`` in ``indices`` (whose text digests are
    ``digests[i]``), in blocks; in ``jobs`` forked processes when there are many to cut.
    ``segmenter()`` gives the one segmenter every block is cut with."""
    cutters = jobs if len(indices) >= PARALLEL_ARTICLES else 1
    if cutters > 1:
        segmenter()  # once, before the fork
    # as many blocks as it takes to keep them under BLOCK_SIZE, a multiple of the workers
    chunks = cutters * math.ceil(len(indices) / (BLOCK_SIZE * cutters))
    size = math.ceil(len(indices) / chunks)
    tasks = [list(indices[i : i + size]) for i in range(0, len(indices), size)]
    return fork_map(_cut, tasks, cutters, inherit=(articles, segmenter, digests))


def _cut(indices: Sequence[int]) -> Block:
    """Some documents' term counts, as a block."""
    articles, make_segmenter, digests = inherited()
    segmenter = make_segmenter()
    fields = [text(articles[i]) for i in indices for text in (title_text, body_text)]
    return Block.count([digests[i] for i in indices], fields, segmenter.cut)
