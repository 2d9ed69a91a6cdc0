"""The search index built plainly: every posting a tuple, every list encoded by the plain codec,
all in one process, nothing cached. The tests check that ``SearchIndex`` (the package's fast,
parallel, cached and incremental builder) makes these files byte for byte, and read the
index's contents from it (each document's terms, each term's postings).

It shares with the package what defines the index's content: the terms (``field_terms``),
the document numbering and packs, the shard layout and the manifest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from newsgen.index import SearchIndex, find_lunr
from newsgen.index.codec import header_width
from newsgen.index.documents import doc_key, number_documents, text_digest
from newsgen.index.files import all_files, counted, layout_files, pack_files, size_stats
from newsgen.index.manifest import filter_table, index_id, is_stop, make_manifest, subshard_list
from newsgen.index.shards import SHARD_TARGET, cut_groups, layout, shard_of, subshard_counts
from newsgen.index.tokens import Segmenter, archive_names, body_text, field_terms, title_text
from newsgen.model import Article
from oracles.codec import encode_entry

Postings = list[tuple[int, int]]  # (document number, term frequency), ascending


class TermDoc(NamedTuple):
    """A document (``newsgen.index.documents.Doc``) with its two bags of terms."""

    number: int
    article: Article
    url: str
    title: Counter[str]
    body: Counter[str]


@dataclass
class BuiltIndex:
    docs: list[TermDoc]
    postings: dict[str, tuple[Postings, Postings]]  # term → (body, title)
    groups: int
    subshards: list[int]
    shards: dict[str, str] = field(default_factory=dict)  # shard name → encoded entries
    manifest: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    backend: str = ""

    def shard_of(self, term: str) -> str:
        return shard_of(term, self.groups, self.subshards)


def build_index(
    articles: Sequence[Article],
    urls: Mapping[str, str],
    *,
    segmenter: Segmenter | None = None,
    shard_target: int = SHARD_TARGET,
) -> BuiltIndex:
    numbered = number_documents(articles, urls)
    names = archive_names(d.article for d in numbered)
    if segmenter is None:
        segmenter = Segmenter(names)
    docs: list[TermDoc] = []
    postings: dict[str, tuple[Postings, Postings]] = {}
    for d in numbered:
        title, body = field_terms(title_text(d.article), segmenter), field_terms(body_text(d.article), segmenter)
        docs.append(TermDoc(d.number, d.article, d.url, title, body))
        for slot, terms in ((1, title), (0, body)):
            for term, tf in terms.items():
                postings.setdefault(term, ([], []))[slot].append((d.number, tf))

    width = header_width(len(docs))
    entries = {term: encode_entry(term, body, title, width) for term, (body, title) in postings.items()}
    groups, group_sizes = layout(entries, shard_target)
    subshards = subshard_counts(group_sizes, shard_target)
    built = BuiltIndex(docs, postings, groups, subshards, cut_groups(entries, groups, subshards), backend=segmenter.backend)
    stop = [term for term, (body, title) in postings.items() if is_stop(term, len(body) + len(title), len(docs))]
    keys = [doc_key(d.article, d.url, text_digest(d.article)) for d in docs]
    built.manifest = make_manifest(docs, groups, subshards, stop, index_id(keys, names, segmenter.backend))
    built.filters = filter_table(docs, built.manifest)
    return built


def write_tree(files: Iterable[tuple[str, bytes]], dest: Path) -> None:
    """Write (site path, bytes) pairs under ``dest``, making folders as they are needed."""
    for path, data in files:
        target = Path(dest) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def write_files(built: BuiltIndex, dest: Path) -> dict:
    """The plain index's files under ``dest`` (the site root); returns the stage's figures."""
    find_lunr()  # fail before writing anything if lunr.js is missing
    sizes: dict[str, int] = {}
    packs = pack_files(built.docs)  # docs are numbered 0, 1, … in order
    shards = layout_files(subshard_list(built.manifest["sub"]), built.shards.items())
    write_tree(counted(all_files(built.manifest, built.filters, shards, packs), sizes), dest)
    postings = sum(len(b) + len(t) for b, t in built.postings.values())
    return size_stats(len(built.docs), len(built.postings), postings, built.manifest["shards"], sizes, built.backend)


def write_search_index(
    articles: Sequence[Article], urls: Mapping[str, str], dest: Path, *, jobs: int = 1, cache_dir: Path | None = None
) -> dict:
    """``SearchIndex``'s files of ``articles`` under ``dest`` (the site root); its figures."""
    find_lunr()  # fail before the long part if lunr.js is missing
    index = SearchIndex(articles, urls, jobs=jobs, cache_dir=cache_dir)
    write_tree(index.files(), Path(dest))
    return index.stats
