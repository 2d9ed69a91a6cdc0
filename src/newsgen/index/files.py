"""The files of ``<site>/search/``, as (site path, bytes): each registers itself when loaded.

Every data file is a classic script calling ``newsgenSearch.<x>(…)``, so a ``<script>`` tag
loads it on file:// as on http (no fetch, no XHR, no modules, no workers):

``search/manifest.js``  ``newsgenSearch.m({…})``: sizes, shard table, the filters' values
``search/filters/<field>.js``
                        ``newsgenSearch.a("<field>", runs)``: each document's year, district,
                        paper or date (``manifest.filter_table``), one file a field, loaded
                        only when a filter, an order by date or the years' histogram needs it
``search/s/<g>-<k>.js`` ``newsgenSearch.s("<g>-<k>", size, "…")``: shard k of group g, its
                        entries ("term postings|…") deflated and written as a pack is
                        (``deflated``): the postings' six bits a character and the terms'
                        three UTF-8 bytes a character deflate to 0.68 of the text on a
                        synthetic 10,000-article archive, 0.48 on the seed pages' real text
``search/d/<k>.js``     ``newsgenSearch.z(first, size, "…")``: pack ``k`` of the documents
                        (``documents.PACK_SIZE`` of them, numbered from ``first``), each
                        ``documents.record``: what the results list shows, and the text a
                        snippet is cut from and a match is verified in. The records are JSON
                        in UTF-16LE (``PACK_ENCODING``), deflated (``size`` bytes; the
                        browser inflates them with its own DecompressionStream) and written 15
                        bits to a UTF-16 code unit: on the seed pages' real text 1.4 bytes a
                        character instead of UTF-16's 2 (synthetic archives, made of the seeds'
                        paragraphs, compress far more). The file is UTF-16 with a byte-order
                        mark, which makes browsers decode it right whatever charset a server
                        announces.
``search/lunr.min.js``  copied from node_modules (npm, locked)
``search/search.js``    the search engine and page (newsgen/assets/search.js, minified)
``search/mark.js``      on an article page opened from a result (``#q=…``), marks the
                        matches (newsgen/assets/mark.js, minified)
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from newsgen import minify
from newsgen.errors import NewsgenError
from newsgen.index.documents import PACK_SIZE, Doc, record
from newsgen.index.shards import shard_names

SEARCH_DIR = "search"
LUNR = Path("node_modules") / "lunr" / "lunr.min.js"
BOM16 = "\ufeff"
TEXT15 = 0x3400
MANIFEST = f"{SEARCH_DIR}/manifest.js"
MARK_JS = f"{SEARCH_DIR}/mark.js"  # what an article page loads to mark a search's matches
KINDS = ("manifest", "filters", "shards", "tail", "packs", "code")
# A pack's JSON is deflated as UTF-16LE, not UTF-8: a Chinese character is two bytes, not three,
# so deflate's 32 kB window reaches half again as many characters back and its matches are
# shorter. Packs of a 10,000-article synthetic archive went from 27.6 to 23.8 kB
# (bench/search_bench.py): ten results read ten packs. Shards stay UTF-8: their postings are
# ASCII.
PACK_ENCODING = "utf-16-le"


class SearchFile(NamedTuple):
    """One file of ``search/``: its site path, its bytes, and its kind (one of ``KINDS``)."""

    path: str
    data: bytes
    kind: str


def find_lunr(start: Path | None = None) -> Path:
    """node_modules/lunr/lunr.min.js above the working folder, else above the newsgen sources."""
    places = [(start or Path.cwd()).resolve(), Path(__file__).resolve().parent]
    tried = []
    for place in places:
        for folder in (place, *place.parents):
            candidate = folder / LUNR
            if candidate.is_file():
                return candidate
        tried.append(place.as_posix())
    raise NewsgenError(
        "lunr.js is missing: run `npm ci` (node_modules/lunr/lunr.min.js was looked for above "
        + " and above ".join(tried)
        + ")"
    )


def lunr_stamp() -> str:
    """lunr.js as the search stage would copy it: "path:size:mtime" (NewsgenError if missing)."""
    found = find_lunr()
    st = found.stat()
    return f"{found}:{st.st_size}:{st.st_mtime_ns}"


def js_call(name: str, *args: object) -> str:
    """A data file's text: a classic script that hands its data to the search engine (works
    on file://, where fetch does not)."""
    return f"newsgenSearch.{name}(" + ",".join(
        json.dumps(a, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for a in args
    ) + ");\n"


def pack_file(docs: Sequence[Doc]) -> bytes:
    """One pack of documents (numbered in a row from ``docs[0]``): their records as JSON,
    ``deflated``."""
    payload = json.dumps([record(d) for d in docs], ensure_ascii=False, separators=(",", ":"))
    return deflated("z", docs[0].number, payload, PACK_ENCODING)


def deflated(name: str, key: object, payload: str, encoding: str = "utf-8") -> bytes:
    """A data file calling ``newsgenSearch.<name>(key, size, text)``: ``payload`` in
    ``encoding``, deflated (zlib, ``size`` bytes) and written 15 bits to a character
    (``text15``), in UTF-16 with a BOM. The browser inflates it with its own
    DecompressionStream."""
    packed = zlib.compress(payload.encode(encoding, "surrogatepass"), 9)
    return (BOM16 + js_call(name, key, len(packed), text15(packed))).encode("utf-16-le")


def inflated(data: bytes, encoding: str = "utf-8") -> str:
    """The payload of a ``deflated`` file (a pack's: ``PACK_ENCODING``)."""
    body = data.decode("utf-16-le").removeprefix(BOM16)
    _, size, text = json.loads("[" + body[body.index("(") + 1 : body.rindex(")")] + "]")
    return zlib.decompress(untext15(text, size)).decode(encoding, "surrogatepass")


def text15(data: bytes) -> str:
    """``data`` as a string carrying 15 bits in each UTF-16 code unit, most significant bit
    first, the last unit padded with zero bits: unit ``v`` is the character ``TEXT15 + v``,
    all of them in U+3400…U+B3FF, so no surrogate, quote, backslash or line end (JSON
    writes them as they are: two bytes each, 16 bits for 15)."""
    # Every 15 bytes are 8 units. Unit p of every chunk at once, in big-integer and strided
    # bytes operations (a bit string cut unit by unit took 1.3 s for 5 MB, this 0.07 s):
    # the (up to) three bytes holding it in a 32-bit slot, shifted and masked (a shift of at
    # most 9 bits brings in no bit the 15-bit mask keeps), the offset added (no carry: at most
    # 0xB3FF), the slots' low two bytes the UTF-16 units.
    units = -(-len(data) * 8 // 15)
    chunks = -(-len(data) // 15)
    padded = data + bytes(15 * chunks - len(data))
    mask, offsets = _slots(0x7FFF, chunks), _slots(TEXT15, chunks)
    out = bytearray(16 * chunks)
    for p in range(8):
        at, bit = divmod(15 * p, 8)
        slots = bytearray(4 * chunks)
        for i in range(3):
            if at + i < 15:
                slots[1 + i :: 4] = padded[at + i :: 15]
        value = ((int.from_bytes(slots, "big") >> (9 - bit)) & mask) + offsets
        code = value.to_bytes(4 * chunks, "big")
        out[2 * p :: 16] = code[2::4]
        out[2 * p + 1 :: 16] = code[3::4]
    return out[: 2 * units].decode("utf-16-be")


def untext15(text: str, size: int) -> bytes:
    """The ``size`` bytes ``text15`` wrote as ``text``."""
    # As text15 works, backwards: byte j of every 15 is cut from the two units that hold it,
    # put side by side in a 32-bit slot (offset taken off, 30 bits), shifted and masked. A
    # number grown unit by unit took 0.12 s for one 50 kB shard; this, 0.1 s for 5 MB.
    chunks = -(-size // 15)
    units = (text.encode("utf-16-be") + TEXT15.to_bytes(2, "big") * (8 * chunks - len(text)))[: 16 * chunks]
    offsets, high, low, byte = (_slots(w, chunks) for w in (TEXT15 << 16 | TEXT15, 0x3FFF8000, 0x7FFF, 0xFF))
    out = bytearray(15 * chunks)
    for j in range(15):
        p, bit = divmod(8 * j, 15)
        slots = bytearray(4 * chunks)
        slots[0::4], slots[1::4] = units[2 * p :: 16], units[2 * p + 1 :: 16]
        if p < 7:
            slots[2::4], slots[3::4] = units[2 * p + 2 :: 16], units[2 * p + 3 :: 16]
        else:  # the chunk's last unit: nothing follows it
            slots[2::4] = TEXT15.to_bytes(2, "big")[:1] * chunks
        value = int.from_bytes(slots, "big") - offsets
        value = ((value >> 1) & high) | (value & low)
        out[j::15] = ((value >> (22 - bit)) & byte).to_bytes(4 * chunks, "big")[3::4]
    return bytes(out[:size])


def _slots(word: int, count: int) -> int:
    """``word`` in each of ``count`` 32-bit slots of one number."""
    return int.from_bytes(word.to_bytes(4, "big") * count, "big")


def pack_files(docs: Sequence[Doc]) -> Iterator[bytes]:
    """The packs of ``docs``, in order: the documents of whole packs, from a pack's first."""
    if docs and docs[0].number % PACK_SIZE:
        raise ValueError(f"document {docs[0].number} does not begin a pack")
    for at in range(0, len(docs), PACK_SIZE):
        yield pack_file(docs[at : at + PACK_SIZE])


def shard_path(name: str) -> str:
    return f"{SEARCH_DIR}/s/{name}.js"


def pack_path(k: int) -> str:
    return f"{SEARCH_DIR}/d/{k}.js"


def shard_file(name: str, text: str) -> SearchFile:
    return SearchFile(shard_path(name), deflated("s", name, text), "shards")


def tail_file(name: str, text: str) -> SearchFile:
    """A tail file (``newsgen.index.tail``): a shard of the newest documents, read as one."""
    return SearchFile(shard_path(name), deflated("s", name, text), "tail")


def shard_text(data: bytes) -> str:
    """The entries a shard file (``shard_file``) holds."""
    return inflated(data)


def head_files(manifest: dict, filters: dict) -> Iterator[SearchFile]:
    """The manifest and the filter table's files."""
    yield SearchFile(MANIFEST, js_call("m", manifest).encode("utf-8"), "manifest")
    for field in sorted(filters):  # one file a field: a year filter needs no dates
        yield SearchFile(f"{SEARCH_DIR}/filters/{field}.js", js_call("a", field, filters[field]).encode("utf-8"), "filters")


def code_files() -> Iterator[SearchFile]:
    """lunr.js and the search engine."""
    yield SearchFile(f"{SEARCH_DIR}/lunr.min.js", find_lunr().read_bytes(), "code")
    yield SearchFile(f"{SEARCH_DIR}/search.js", minify.asset("search.js"), "code")
    yield SearchFile(MARK_JS, minify.asset("mark.js"), "code")


def layout_files(subshards: Sequence[int], texts: Iterable[tuple[str, str]]) -> list[SearchFile]:
    """The file of every shard of the layout, by group and place: each text made into its file
    as it comes (a big index's texts are never all held at once, the files a third of their
    size), an empty file for a shard that has no entries."""
    made = {name: shard_file(name, text) for name, text in texts}
    return [made.get(name) or shard_file(name, "") for name in shard_names(subshards)]


def all_files(
    manifest: dict, filters: dict, shards: Iterable[SearchFile], packs: Iterable[bytes], tail: Iterable[SearchFile] = ()
) -> Iterator[SearchFile]:
    """Every file of ``search/``, always in one order: the manifest, the filter table, the
    shards (``layout_files``), the tail files, the packs (already encoded, ``pack_file``) by
    number, lunr.js, search.js."""
    yield from head_files(manifest, filters)
    yield from shards
    yield from tail
    for k, data in enumerate(packs):
        yield SearchFile(pack_path(k), data, "packs")
    yield from code_files()


def counted(files: Iterable[SearchFile], sizes: dict[str, int]) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of ``files``, adding each one's size to ``sizes[kind]`` as it passes."""
    for path, data, kind in files:
        sizes[kind] = sizes.get(kind, 0) + len(data)
        yield path, data


def size_stats(n: int, terms: int, postings: int, shards: int, sizes: Mapping[str, int], backend: str) -> dict:
    """What the search stage reports: counts, and the bytes of each kind of file."""
    sizes = {kind: sizes.get(kind, 0) for kind in KINDS}
    index_bytes = sizes["manifest"] + sizes["filters"] + sizes["shards"] + sizes["tail"] + sizes["packs"]
    return {
        "articles": n,
        "terms": terms,
        "postings": postings,
        "shards": shards,
        "bytes_manifest": sizes["manifest"],
        "bytes_filters": sizes["filters"],
        "bytes_shards": sizes["shards"],
        "bytes_tail": sizes["tail"],
        "bytes_packs": sizes["packs"],
        "bytes_code": sizes["code"],
        "bytes_index": index_bytes,
        "bytes_per_article": round(index_bytes / n) if n else 0,
        "segmenter": backend,
    }
