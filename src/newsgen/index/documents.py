"""The index's documents: articles numbered in the archive's order, and what each one shows.

Documents are numbered in the archive's order (issue date, page file, then place on the
page): adding the newest issue's pages, or a page file whose name sorts after the others,
only adds numbers, so every file made for the documents before it can stay as it is
(``builder.SearchIndex`` then rewrites only the shards the new documents' terms are in).

What the results list shows of a document, and the text a match is verified in, are kept in
*packs* of ``PACK_SIZE`` documents, pack ``k`` holding documents ``k * PACK_SIZE`` on: a
stable function of the document's number, so an archive that grows at its end rewrites only
its last pack and adds new ones. One file per article was 10,156 of a 10,000-article site's
23,640 files; packs of 32 are 318.

Why 32: each of a page of ten results needs its document's text (the snippet, and checking
that the document holds a query of three or more characters), and ten results fall in ten
packs. Packs of 64 made a word query's first page read about 500 kB of packs at 10,000
articles; packs of 32 read about 270 kB, for 0.016 more files and about 70 more bytes an
article (`bench/search_bench.py`). Packs of 16 would pass the site's budget of 1.2 files an
article.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from newsgen.errors import NewsgenError
from newsgen.index.tokens import block_text, label_text, title_text
from newsgen.model import Article, Date


PACK_SIZE = 32


def pack_of(number: int) -> int:
    """The pack holding document ``number``."""
    return number // PACK_SIZE


class Doc(NamedTuple):
    """An article as the index's document ``number``, with the URL of its page."""

    number: int
    article: Article
    url: str


def doc_order_key(article: Article) -> tuple:
    """Documents are numbered in the archive's order: issue date (pages that give none
    first), page file, then place on the page. A daily paper's new pages are the newest issue:
    they number after every document, whichever paper's folder they are filed in (ordered by
    file alone, a day of the first of two papers landed in the middle, and renumbered all the
    documents after it)."""
    return (article.issue_date or "", article.source, article.order, article.id)


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
    """What an article's terms depend on: its title, labels and blocks' text (the blocks as
    the article holds them once unpickled, `Article.block_bytes`: every build digests every
    article, and renders few)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update((title_text(article) + "\x1f" + label_text(article) + "\x1f").encode("utf-8", "surrogatepass"))
    digest.update(article.block_bytes())
    return digest.digest()


def doc_key(article: Article, url: str, text: bytes) -> bytes:
    """What a document's entries, fragment and filter values are made from (``text`` is its
    ``text_digest``): equal keys, equal files."""
    facts = "\x1f".join([url, article.display_title, date_code(article.date), article.district or "", article.paper or ""])
    return hashlib.blake2b(text + facts.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def date_code(date: Date) -> str:
    """A document's date in its pack: "year-month-day" with the unknown parts empty
    ("2024-7-4", "-7-4", "2024--"), "" when nothing is known. The browser makes the label
    label ("2024年7月4日") and the month a filter or a sort needs from it."""
    if not (date.year or date.month or date.day):
        return ""
    return "-".join(str(v) if v else "" for v in (date.year, date.month, date.day))


def short_url(url: str) -> str:
    """An article page's URL as a pack stores it: its slug alone for ``a/<slug>.html`` (every
    article page's, ``urls.article_url``), else whole (a slug never holds a "/")."""
    if url.startswith("a/") and url.endswith(".html") and "/" not in url[2:-5]:
        return url[2:-5]
    return url


def record(doc: Doc) -> list:
    """What a pack holds of one document: ``[url, display title, text, labels, date, district,
    paper, headline]``. ``text`` (the blocks) is what a snippet is cut from; ``labels`` +
    "\\n" + ``text`` is the body a match is verified in. Empty values at the end are left
    off, but ``headline`` is there (even empty: a 简讯 column has none) exactly when it is
    not the display title."""
    a = doc.article
    values = [
        short_url(doc.url),
        a.display_title,
        block_text(a),
        label_text(a),
        date_code(a.date),
        a.district or "",
        a.paper or "",
    ]
    head = title_text(a)
    if head != a.display_title:
        return values + [head]
    while values[-1] == "":
        values.pop()
    return values
