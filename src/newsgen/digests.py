"""One digest per article, standing for every field of it: what page keys and the search
stage's signature are made from.

The loader knows when two articles must be identical (same code, same page file bytes and
facts, same place on the page: `newsgen.extract.Archive.article_digests`) and seeds that
digest, which saves hashing every field (ten times as long). Any other article is hashed
field by field once, and remembered by id for the build (the objects stay alive as long).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections.abc import Iterable

from newsgen.model import Article, Block, Date

_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_ARTICLE = operator.attrgetter(*_ARTICLE_FIELDS)
_BLOCK = operator.attrgetter(*(f.name for f in dataclasses.fields(Block)))
_DATE = operator.attrgetter(*(f.name for f in dataclasses.fields(Date)))
_AT_DATE = _ARTICLE_FIELDS.index("date")
_AT_BLOCKS = _ARTICLE_FIELDS.index("blocks")


def article_text(article: Article) -> str:
    """Every field of an article as one string (the same reprs a dataclass repr would give,
    with the date and the blocks flattened first: one C-level repr instead of hundreds)."""
    values = list(_ARTICLE(article))
    values[_AT_DATE] = _DATE(article.date)
    values[_AT_BLOCKS] = tuple(map(_BLOCK, article.blocks))
    return repr(values)


class ArticleDigests:
    """Article → "A" + a digest of all its fields, by object id (`memo`, read inline by the
    page-key encoder: the ids in it belong to objects kept alive, so no other live object
    can share one)."""

    def __init__(self, seeds: Iterable[tuple[Article, str]] = ()) -> None:
        self.memo: dict[int, str] = {}
        self._keep: list[object] = []  # what the memo's ids refer to stays alive
        for article, digest in seeds:
            self.remember(article, "A" + digest)

    def remember(self, value: object, text: str) -> None:
        self.memo[id(value)] = text
        self._keep.append(value)

    def of(self, article: Article) -> str:
        found = self.memo.get(id(article))
        if found is None:
            found = "A" + hashlib.blake2b(article_text(article).encode("utf-8"), digest_size=12).hexdigest()
            self.remember(article, found)
        return found
