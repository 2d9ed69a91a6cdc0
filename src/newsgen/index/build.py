"""Articles → the sharded search index (an in-memory ``BuiltIndex``; ``write`` puts it on disk).

Documents are numbered in the archive's order (page file, then place on the page): adding a
page file whose name sorts after the others only adds numbers, so every file made for the
documents before it can stay as it is (``search.SearchIndex`` then rewrites only the shards
the new documents' terms are in). Terms are grouped by their first character (a one-character
query is a prefix scan over one group) and each group is cut into as many shards as its size
needs, by the hash of the term's first two characters (a bigram and the words it begins live
together, so looking up the bigrams of a query also finds its words for free). The number of
groups is a power of two, so it changes only when the index doubles in size.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from newsgen.errors import NewsgenError
from newsgen.fingerprint import files_digest
from newsgen.index.codec import ENTRY_SEP, encode_entry, header_width
from newsgen.index.chars import fnv1a, js_sort_key
from newsgen.index.tokens import Segmenter, archive_names, body_text, field_terms, segmenter_versions, title_text
from newsgen.model import Article, Date

FORMAT = 2
FIELDS = ("title", "body")
TITLE_BOOST = 10  # lunr field boost: a match in the headline outranks one in the body
K1 = 1.2
B = 0  # no length normalisation: weights need no field lengths, so none are shipped
PIPELINE = "newsgen"  # label of the (identity) search pipeline function, registered in lunr.js
SHARD_TARGET = 8_000  # bytes of postings per shard, roughly
# Shards one query may load (beyond its one-character prefix groups). Measured at 100,000
# articles: a cap of 10 cut the first query from 600 kB to 503 kB but, with fewer bigrams to
# narrow the candidates, verification loaded many more fragments: p95 went from 136 ms to 1.1 s.
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


@dataclass
class Doc:
    number: int
    article: Article
    url: str
    title: Counter[str]
    body: Counter[str]


@dataclass
class BuiltIndex:
    docs: list[Doc]
    postings: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]]
    groups: int
    subshards: list[int]
    shards: dict[str, str] = field(default_factory=dict)  # shard name → encoded entries
    manifest: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    backend: str = ""

    def shard_of(self, term: str) -> str:
        return shard_of(term, self.groups, self.subshards)


def doc_order_key(article: Article) -> tuple:
    """Documents are numbered in the archive's order: page file, then place on the page."""
    return (article.source, article.order, article.id)


def text_digest(article: Article) -> bytes:
    """What an article's terms depend on: its title and body text."""
    text = title_text(article) + "\x1f" + body_text(article)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def doc_key(article: Article, url: str, text: bytes) -> bytes:
    """What a document's entries, fragment and filter values are made from (``text`` is its
    ``text_digest``): equal keys, equal files."""
    facts = "\x1f".join([url, article.display_title, fragment_date(article.date), str(article.date.year), article.district or ""])
    return hashlib.blake2b(text + facts.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The search stage's code, which every file of an index depends on."""
    package = Path(__file__).resolve().parent
    files = [*sorted(package.glob("*.py")), package.parent / "lexicon.py", package.parent / "assets" / "search.js"]
    return files_digest(files, package.parent)


def index_id(doc_keys: Iterable[bytes], names: Sequence[str], backend: str) -> str:
    """Names the inputs of an index (its code, segmenter, user dictionary and documents), so
    that a manifest says which documents the files beside it were made from, and how."""
    digest = hashlib.blake2b(f"{code_digest()}\n{backend}\n{segmenter_versions()}\n".encode(), digest_size=10)
    digest.update("\n".join(names).encode("utf-8", "surrogatepass"))
    for key in doc_keys:
        digest.update(key)
    return digest.hexdigest()


def fragment_date(date: Date) -> str:
    parts = []
    if date.year:
        parts.append(f"{date.year}年")
    if date.month:
        parts.append(f"{date.month}月")
    if date.day:
        parts.append(f"{date.day}日")
    return "".join(parts)


def idf(df: int, n: int) -> float:
    """lunr's idf; ``df`` counts a document once per field holding the term, as lunr does."""
    return math.log(1 + abs((n - df + 0.5) / (df + 0.5)))


def weight(term_idf: float, tf: int, boost: int) -> float:
    """lunr.py's field-vector weight (``Builder._create_field_vectors``) with b = 0."""
    score = term_idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * 1.0) + tf)
    score *= boost
    return round(score, 3)


def is_stop(term: str, df: int, n: int) -> bool:
    """Whether a term is a stop bigram: it is in ``df`` fields of ``n`` documents."""
    return len(term) == 2 and n >= STOP_MIN_DOCS and STOP_SHARE * df >= n


def stop_rule_changes(n_old: int, n: int) -> bool:
    """Whether stop bigrams are listed for one of two archive sizes and not for the other."""
    return (n_old < STOP_MIN_DOCS) != (n < STOP_MIN_DOCS)


def first_char(term: str) -> str:
    return term[0]


def shard_key(term: str) -> str:
    return term[:2]


def group_of(term: str, groups: int) -> int:
    return fnv1a(first_char(term)) % groups


def shard_name(group: int, sub: int) -> str:
    """A shard's name, and its file's (``s/<name>.js``): a group's shards are named apart from
    every other group's, so a group that needs one more shard renames no other file."""
    return f"{group}-{sub}"


def shard_of(term: str, groups: int, subshards: Sequence[int]) -> str:
    g = group_of(term, groups)
    return shard_name(g, fnv1a(shard_key(term)) % subshards[g])


def group_count(size: int, shard_target: int) -> int:
    """Groups for ``size`` bytes of entries: a power of two, so the layout of the shards (and
    every shard's name) stays as it is until the index doubles or halves."""
    return 1 << (max(1, math.ceil(size / shard_target)) - 1).bit_length()


def entry_size(entry: str) -> int:
    return len(entry.encode("utf-8")) + 1


def build_index(
    articles: Sequence[Article],
    urls: Mapping[str, str],
    *,
    segmenter: Segmenter | None = None,
    shard_target: int = SHARD_TARGET,
) -> BuiltIndex:
    ordered = sorted(articles, key=doc_order_key)
    ids = [a.id for a in ordered]
    if len(set(ids)) != len(ids):
        dup = sorted(i for i, c in Counter(ids).items() if c > 1)[0]
        raise NewsgenError(f"two articles share the id {dup!r}: the search index needs unique ids")
    names = archive_names(ordered)
    if segmenter is None:
        segmenter = Segmenter(names)
    docs: list[Doc] = []
    postings: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for number, article in enumerate(ordered):
        try:
            url = urls[article.id]
        except KeyError:
            raise NewsgenError(f"no page URL for article {article.id}", article.source) from None
        doc = Doc(
            number,
            article,
            url,
            field_terms(title_text(article), segmenter),
            field_terms(body_text(article), segmenter),
        )
        docs.append(doc)
        for slot, terms in ((1, doc.title), (0, doc.body)):
            for term, tf in terms.items():
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = ([], [])
                entry[slot].append((number, tf))

    width = header_width(len(docs))
    entries = {term: encode_entry(term, body, title, width) for term, (body, title) in postings.items()}
    groups, group_sizes = layout(entries, shard_target)
    subshards = subshard_counts(group_sizes, shard_target)
    shards = cut_groups(entries, groups, subshards)
    built = BuiltIndex(docs, postings, groups, subshards, shards, backend=segmenter.backend)
    stop = [term for term, (body, title) in postings.items() if is_stop(term, len(body) + len(title), len(docs))]
    keys = [doc_key(d.article, d.url, text_digest(d.article)) for d in docs]
    built.manifest = make_manifest(built.docs, built.groups, built.subshards, stop, index_id(keys, names, segmenter.backend))
    built.filters = filter_table(built.docs, built.manifest)
    return built


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
    by_shard: dict[str, list[str]] = {}
    for term in sorted(entries, key=js_sort_key):
        by_shard.setdefault(shard_of(term, groups, subshards), []).append(entries[term])
    return {name: ENTRY_SEP.join(items) for name, items in by_shard.items()}


def make_manifest(docs: Sequence[Doc], groups: int, subshards: Sequence[int], stop: Iterable[str], ident: str) -> dict:
    """What the browser loads first: scoring constants, the shard layout, the stop bigrams
    (space-separated, in JavaScript's order) and the years and districts the filters offer;
    ``ident`` is the ``index_id``."""
    return {
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
        "sub": list(subshards),
        "shards": sum(subshards),
        "cap": QUERY_SHARD_CAP,
        "stop": " ".join(sorted(stop, key=js_sort_key)),
        "years": sorted({d.article.date.year for d in docs if d.article.date.year}, reverse=True),
        "districts": sorted({d.article.district for d in docs if d.article.district}),
    }


def filter_table(docs: Sequence[Doc], manifest: Mapping) -> dict:
    """Each document's year and district, as runs ``[value, count, value, count, …]`` of
    their places in the manifest's lists (-1: none). Loaded only when a filter is used: in the
    archive's order, a district changes from page file to page file."""
    years = {y: i for i, y in enumerate(manifest["years"])}
    districts = {name: i for i, name in enumerate(manifest["districts"])}
    return {
        "years": _runs([years.get(d.article.date.year, -1) for d in docs]),
        "districts": _runs([districts.get(d.article.district, -1) for d in docs]),
    }


def _runs(values: Sequence[int]) -> list[int]:
    out: list[int] = []
    for value in values:
        if out and out[-2] == value:
            out[-1] += 1
        else:
            out += [value, 1]
    return out


def fragment(doc: Doc) -> list:
    """What the results list shows for one article, and the text a match is verified in:
    [url, display title, body text, date label, district, headline text if not the title]."""
    a = doc.article
    record = [doc.url, a.display_title, body_text(a), fragment_date(a.date), a.district or ""]
    head = title_text(a)
    if head != a.display_title:
        record.append(head)
    return record
