"""What the browser loads first (the manifest) and when a filter is used (the filter table),
and the stop bigrams the manifest lists."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Mapping, Sequence

from newsgen.fingerprint import code_fingerprint
from newsgen.index.chars import js_sort_key
from newsgen.index.codec import DIGITS, header_width
from newsgen.index.documents import PACK_SIZE, Doc
from newsgen.model import Date

FORMAT = 5  # 4: shards deflated as packs are; 5: packs in UTF-16LE, sub as digits
FIELDS = ("title", "body")
TITLE_BOOST = 10  # lunr field boost: a match in the headline outranks one in the body
K1 = 1.2
B = 0  # no length normalisation: weights need no field lengths, so none are shipped
PIPELINE = "newsgen"  # label of the (identity) search pipeline function, registered in lunr.js
# Shards one query may load (beyond its one-character prefix groups). Measured at 100,000
# articles: a cap of 10 cut the first query from 600 kB to 503 kB but, with fewer bigrams to
# narrow the candidates, verification loaded many more fragments: p95 went from 136 ms to 1.1 s.
# Kept at 16 with shards of 64 kB (``shards.SHARD_TARGET``), though a long query may then load
# a megabyte: which terms a query looks up is also which terms lunr scores it by, and a cap of
# 8 ranked a two-word query of a 1,000-article archive otherwise than before
# (tests/test_search_same_results.py). Bigger shards hold more of a query's terms each, so 16
# takes the terms it took with 8 kB shards (every query of that test, and of the bench, ranks as before).
QUERY_SHARD_CAP = 16
# Stop bigrams: a bigram held by at least a quarter of the documents (counted once per field,
# as lunr counts a term's documents) narrows a query's candidates
# little, and its postings are the biggest entries of the index. The manifest lists them and the
# browser looks one up only when a run of the query has no other bigram (every result is
# verified against the text, so no match is lost). At 100,000 articles the first query went
# from 600 kB to 408 kB and p95 from 136 ms to 108 ms, recall and precision 1.00
# (bench/search_bench.py); the list is 1.3 kB.
# Below STOP_MIN_DOCS documents the whole index is small and nothing is skipped.
STOP_SHARE = 4
STOP_MIN_DOCS = 2000


def is_stop(term: str, df: int, n: int) -> bool:
    """Whether a term is a stop bigram: it is in ``df`` fields of ``n`` documents."""
    return len(term) == 2 and n >= STOP_MIN_DOCS and STOP_SHARE * df >= n


def stop_rule_changes(n_old: int, n: int) -> bool:
    """Whether stop bigrams are listed for one of two archive sizes and not for the other."""
    return (n_old < STOP_MIN_DOCS) != (n < STOP_MIN_DOCS)


def index_id(doc_keys: Iterable[bytes], names: Sequence[str], backend: str) -> str:
    """Names the inputs of an index (the code with its libraries and jieba's dictionary, the
    segmenter backend, the user dictionary and the documents), so that a manifest says which
    documents the files beside it were made from, and how."""
    # zlib writes the packs: another zlib may deflate the same records to other bytes.
    digest = hashlib.blake2b(f"{code_fingerprint()}\n{backend}\n{zlib.ZLIB_RUNTIME_VERSION}\n".encode(), digest_size=10)
    digest.update("\n".join(names).encode("utf-8", "surrogatepass"))
    for key in doc_keys:
        digest.update(key)
    return digest.hexdigest()


def make_manifest(
    docs: Sequence[Doc],
    groups: int,
    subshards: Sequence[int],
    stop: Iterable[str],
    ident: str,
    tail: tuple[int, int] | None = None,
) -> dict:
    """What the browser loads first: scoring constants, the shard layout (``sub``:
    ``subshard_code``), the stop bigrams (space-separated, in JavaScript's order) and the
    years and districts the filters offer;
    ``ident`` is the ``index_id``; ``tail``, (its first document, its files) when the index
    has one (``newsgen.index.tail``)."""
    extra = {"tail": {"from": tail[0], "files": tail[1]}} if tail else {}
    return extra | {
        "v": FORMAT,
        "id": ident,
        "n": len(docs),
        "fields": list(FIELDS),
        "boost": [TITLE_BOOST, 1],
        "k1": K1,
        "b": B,
        "pipeline": [PIPELINE],
        "width": header_width(len(docs)),
        "groups": groups,
        "sub": subshard_code(subshards),
        "shards": sum(subshards),
        "cap": QUERY_SHARD_CAP,
        "pack": PACK_SIZE,
        "stop": " ".join(sorted(stop, key=js_sort_key)),
        "years": sorted({d.article.date.year for d in docs if d.article.date.year}, reverse=True),
        "districts": sorted({d.article.district for d in docs if d.article.district}),
        "papers": sorted({d.article.paper for d in docs if d.article.paper}),
    }


def subshard_code(subshards: Sequence[int]) -> str | list[int]:
    """Each group's number of shards, one digit (``codec.DIGITS``) a group, as the manifest
    holds them: 1,024 groups at 100,000 articles were 3 kB of JSON list, loaded by every first
    query, and are 1 kB so. A list if a group has more shards than a digit counts."""
    if all(0 <= count < len(DIGITS) for count in subshards):
        return "".join(DIGITS[count] for count in subshards)
    return list(subshards)


def subshard_list(sub: str | list[int]) -> list[int]:
    """A manifest's ``sub`` back as each group's number of shards (``subshard_code`` undone)."""
    return [DIGITS.index(digit) for digit in sub] if isinstance(sub, str) else list(sub)


def filter_table(docs: Sequence[Doc], manifest: Mapping) -> dict:
    """Each document's year, district and paper, as runs ``[value, count, value, count, …]``
    of their places in the manifest's lists (-1: none), and its date as runs of
    ``year * 10000 + month * 100 + day`` (0 for an unknown part: the browser's month range
    and its newest/oldest order read them). Loaded only when a filter, an order or the
    years' histogram is used: in the archive's order, these change from page file to page
    file, not from article to article."""
    years = {y: i for i, y in enumerate(manifest["years"])}
    districts = {name: i for i, name in enumerate(manifest["districts"])}
    papers = {name: i for i, name in enumerate(manifest["papers"])}
    return {
        "years": _runs([years.get(d.article.date.year, -1) for d in docs]),
        "districts": _runs([districts.get(d.article.district, -1) for d in docs]),
        "papers": _runs([papers.get(d.article.paper, -1) for d in docs]),
        "dates": _runs([date_key(d.article.date) for d in docs]),
    }


def date_key(date: Date) -> int:
    """A date as one number, 20240704; an unknown part is 0 (so it sorts first)."""
    year, month, day = date.sort_key()
    return year * 10000 + month * 100 + day


def _runs(values: Sequence[int]) -> list[int]:
    out: list[int] = []
    for value in values:
        if out and out[-2] == value:
            out[-1] += 1
        else:
            out += [value, 1]
    return out
