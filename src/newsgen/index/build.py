"""Articles → the sharded search index (an in-memory ``BuiltIndex``; ``write`` puts it on disk).

Documents are numbered in the order (year, newest first; district; date, newest first; id), so a
year filter is one range of numbers and a district filter a few. Terms are grouped by their
first character (a one-character query is a prefix scan over one group) and each group is cut
into as many shards as its size needs, by the hash of the term's first two characters (a
bigram and the words it begins live together, so looking up the bigrams of a query also finds
its words for free).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsgen.errors import NewsgenError
from newsgen.index.encode import ENTRY_SEP, encode_entry
from newsgen.index.text import fnv1a, js_sort_key
from newsgen.index.tokens import Segmenter, archive_names, body_text, field_terms, title_text
from newsgen.model import Article, Date

FORMAT = 1
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
# Stop bigrams: a bigram in at least a quarter of the documents narrows a query's candidates
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
    shards: dict[int, str] = field(default_factory=dict)  # shard id → encoded entries
    manifest: dict = field(default_factory=dict)
    backend: str = ""

    def shard_of(self, term: str) -> int:
        return shard_of(term, self.groups, self.subshards)


def doc_order_key(article: Article) -> tuple:
    d = article.date
    return (
        d.year is None,
        -(d.year or 0),
        article.district is None,
        article.district or "",
        -(d.month or 0),
        -(d.day or 0),
        article.id,
    )


def date_label(date: Date) -> str:
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
    """Whether a term is a stop bigram: ``df`` documents hold it (in either field) of ``n``."""
    return len(term) == 2 and n >= STOP_MIN_DOCS and STOP_SHARE * df >= n


def first_char(term: str) -> str:
    return term[0]


def shard_key(term: str) -> str:
    return term[:2]


def shard_of(term: str, groups: int, subshards: Sequence[int]) -> int:
    g = fnv1a(first_char(term)) % groups
    base = sum(subshards[:g])
    return base + fnv1a(shard_key(term)) % subshards[g]


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
    if segmenter is None:
        segmenter = Segmenter(archive_names(ordered))
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

    entries = {term: encode_entry(term, body, title) for term, (body, title) in postings.items()}
    groups, subshards, shards = cut_shards(entries, shard_target)
    built = BuiltIndex(docs, postings, groups, subshards, shards, backend=segmenter.backend)
    stop = [
        term
        for term, (body, title) in postings.items()
        if is_stop(term, len({d for d, _ in body} | {d for d, _ in title}), len(docs))
    ]
    built.manifest = make_manifest(built.docs, built.groups, built.subshards, stop)
    return built


def cut_shards(entries: Mapping[str, str], shard_target: int) -> tuple[int, list[int], dict[int, str]]:
    """Encoded entries (term → entry) → (groups, shards per group, shard id → its entries).

    As many groups as the entries' size needs, a term's group by its first character; each
    group cut into as many shards as its own size needs, by the term's first two characters.
    Entries go into a shard in JavaScript's sort order."""
    sizes = {term: len(entry.encode("utf-8")) + 1 for term, entry in entries.items()}
    groups = max(1, math.ceil(sum(sizes.values()) / shard_target))
    group_size = [0] * groups
    group_of = {}
    for term, size in sizes.items():
        g = group_of[term] = fnv1a(first_char(term)) % groups
        group_size[g] += size
    subshards = [max(1, math.ceil(size / shard_target)) for size in group_size]
    bases = [sum(subshards[:g]) for g in range(groups)]
    by_shard: dict[int, list[str]] = {}
    for term in sorted(entries, key=js_sort_key):
        g = group_of[term]
        by_shard.setdefault(bases[g] + fnv1a(shard_key(term)) % subshards[g], []).append(entries[term])
    return groups, subshards, {sid: ENTRY_SEP.join(items) for sid, items in sorted(by_shard.items())}


def make_manifest(docs: Sequence[Doc], groups: int, subshards: Sequence[int], stop: Iterable[str] = ()) -> dict:
    """What the browser loads first: scoring constants, the shard layout, the stop bigrams
    (space-separated, in JavaScript's order) and the runs of document numbers per (year,
    district) that the filters use."""
    years = sorted({d.article.date.year for d in docs if d.article.date.year}, reverse=True)
    districts = sorted({d.article.district for d in docs if d.article.district})
    year_index = {y: i for i, y in enumerate(years)}
    district_index = {name: i for i, name in enumerate(districts)}
    segments: list[int] = []
    last = None
    for d in docs:
        key = (year_index.get(d.article.date.year, -1), district_index.get(d.article.district, -1))
        if key != last:
            segments += [d.number, *key]
            last = key
    return {
        "v": FORMAT,
        "n": len(docs),
        "fields": list(FIELDS),
        "boost": [TITLE_BOOST, 1],
        "k1": K1,
        "b": B,
        "pipeline": [PIPELINE],
        "groups": groups,
        "sub": list(subshards),
        "shards": sum(subshards),
        "cap": QUERY_SHARD_CAP,
        "stop": " ".join(sorted(stop, key=js_sort_key)),
        "years": years,
        "districts": districts,
        "seg": segments,
    }


def fragment(doc: Doc) -> list:
    """What the results list shows for one article, and the text a match is verified in:
    [url, display title, body text, date label, district, headline text if not the title]."""
    a = doc.article
    record = [doc.url, a.display_title, body_text(a), date_label(a.date), a.district or ""]
    head = title_text(a)
    if head != a.display_title:
        record.append(head)
    return record
