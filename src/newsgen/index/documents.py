"""The index's documents: articles numbered in the archive's order, and what each one shows.

Documents are numbered in the archive's order (page file, then place on the page): adding a
page file whose name sorts after the others only adds numbers, so every file made for the
documents before it can stay as it is (``builder.SearchIndex`` then rewrites only the shards
the new documents' terms are in).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from newsgen.errors import NewsgenError
from newsgen.index.tokens import body_text, title_text
from newsgen.model import Article, Date


class Doc(NamedTuple):
    """An article as the index's document ``number``, with the URL of its page."""

    number: int
    article: Article
    url: str


def doc_order_key(article: Article) -> tuple:
    """Documents are numbered in the archive's order: page file, then place on the page."""
    return (article.source, article.order, article.id)


def number_documents(articles: Sequence[Article], urls: Mapping[str, str]) -> list[Doc]:
    """``articles`` as documents, numbered by ``doc_order_key``; every id must be unique and
    have a page URL in ``urls`` (article id → URL relative to the site root)."""
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
        docs.append(Doc(number, article, url))
    return docs


def text_digest(article: Article) -> bytes:
    """What an article's terms depend on: its title and body text."""
    text = title_text(article) + "\x1f" + body_text(article)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def doc_key(article: Article, url: str, text: bytes) -> bytes:
    """What a document's entries, fragment and filter values are made from (``text`` is its
    ``text_digest``): equal keys, equal files."""
    facts = "\x1f".join([url, article.display_title, fragment_date(article.date), str(article.date.year), article.district or ""])
    return hashlib.blake2b(text + facts.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def fragment_date(date: Date) -> str:
    """The date a result shows: as much of 2024年7月4日 as is known, "" when nothing is."""
    parts = []
    if date.year:
        parts.append(f"{date.year}年")
    if date.month:
        parts.append(f"{date.month}月")
    if date.day:
        parts.append(f"{date.day}日")
    return "".join(parts)


def fragment(doc: Doc) -> list:
    """What the results list shows for one article, and the text a match is verified in:
    [url, display title, body text, date label, district, headline text if not the title]."""
    a = doc.article
    record = [doc.url, a.display_title, body_text(a), fragment_date(a.date), a.district or ""]
    head = title_text(a)
    if head != a.display_title:
        record.append(head)
    return record
