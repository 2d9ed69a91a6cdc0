"""Lists cut into pages, and how those pages link to one another.

Two ways, for two kinds of list (`newsgen.render.pages` makes the page specs):

- numbered pages (`even_chunks`, `pagination`): the home page's newest articles and the
  indexes of terms, `per` to a page, linked by page number;
- stable pages (`stable_chunks`, `list_spans`): the article lists of a district, a person, a
  column, a month or a year, cut where the articles themselves say, so that one more article
  changes the page it lands on and not every page after it. Each such page is named after
  its newest article and knows its place only as a `Span`.

Nothing here knows templates or contexts: only items, paths and links.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from newsgen import urls
from newsgen.model import Article
from newsgen.render.text import date_label


@dataclass(frozen=True)
class Link:
    label: str
    path: str  # a site path; templates make it relative with the `url` filter
    count: int | None = None
    note: str | None = None  # what the term is to its articles: a person's role (记者, 通讯员)


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    previous: str | None
    next: str | None
    links: tuple[Link | None, ...]  # None marks a gap ("…")


@dataclass(frozen=True)
class Span:
    """Where one page of an article list stands (see `stable_chunks`): the pages are named
    after the articles they hold, not numbered, so they carry no page number and no count
    that one more article anywhere in the list would change."""

    first: bool  # the list's first page, at the list's own path: the newest articles
    label: str  # the dates this page's articles span, newest first: "2024年7月4日—6月30日"
    newer: str | None
    older: str | None
    newest: str  # the list's first page
    oldest: str  # its last page


def pagination(page: int, pages: int, path_of: Callable[[int], str]) -> Pagination:
    """Page `page` of `pages`: the first, the last and two either side of it, with gaps."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[Link | None] = []
    for number in shown:
        if links and links[-1] is not None and int(links[-1].label) + 1 < number:
            links.append(None)
        links.append(Link(str(number), path_of(number)))
    return Pagination(
        page=page,
        pages=pages,
        previous=path_of(page - 1) if page > 1 else None,
        next=path_of(page + 1) if page < pages else None,
        links=tuple(links),
    )


def even_chunks(items: Sequence[Any], per: int) -> list[Sequence[Any]]:
    """A list cut into pages of `per` items; an empty list is one empty page."""
    return [items[i : i + per] for i in range(0, len(items), per)] or [items[:0]]


# `stable_chunks`: a page ends, at the earliest, this share of `per` into it; then at an article
# whose id hashes to 0 modulo the rest of `per` (so pages hold `per` articles on average); at the
# latest, at `_LONGEST` times `per`.
_SHORTEST = 0.5
_LONGEST = 2.5


def _cut_value(article_id: str) -> int:
    return zlib.crc32(article_id.encode("utf-8"))


def stable_chunks(items: Sequence[Article], per: int) -> list[Sequence[Article]]:
    """A newest-first list cut into pages, newest first, so that adding or removing an
    article changes the page it is on and, rarely, the next one or two: not every page
    from there to the end, as cutting every `per` articles would.

    Content-defined cutting, as backup tools cut files into chunks: read from the oldest
    article, a page ends after an article whose id hashes to a mark, once the page has
    `_SHORTEST × per` articles (no page of one article), or at `_LONGEST × per` articles (no
    page of thousands). Whether a page ends depends only on the articles since the last page
    ended, so every page older than an added article stays as it was, and the pages after it
    fall back into step at the first mark both cuttings take; the newest articles, with no
    mark after them yet, are the first page. An empty list is one empty page."""
    if not items:
        return [items[:0]]
    shortest = max(1, int(per * _SHORTEST))
    longest = max(shortest, int(per * _LONGEST))
    spread = max(1, per - shortest)
    chunks: list[Sequence[Article]] = []
    end = len(items)  # the current page is items[at:end], read from the oldest (the end)
    while True:
        # No page ends before `shortest` articles: the marks are looked for from there on.
        at, latest = end - shortest, end - longest
        while at > latest and at >= 0 and _cut_value(items[at].id) % spread:
            at -= 1
        if at < 0:
            break
        chunks.append(items[at:end])
        end = at
    if end:
        chunks.append(items[:end])
    chunks.reverse()
    return chunks


def span_label(chunk: Sequence[Article]) -> str:
    """The dates a page's articles span, as precise as known: newest—oldest, the year and
    then the month left out of the second where they are the same."""
    if not chunk:
        return ""
    newest, oldest = date_label(chunk[0].date), date_label(chunk[-1].date)
    if newest == oldest:
        return newest
    a, b = chunk[0].date, chunk[-1].date
    if a.year is not None and a.year == b.year and newest.startswith(f"{a.year}年"):
        shorter = oldest[len(f"{a.year}年") :]
        if a.month is not None and a.month == b.month and b.day is not None:
            shorter = shorter[len(f"{a.month}月") :]
        oldest = shorter or oldest
    return f"{newest}—{oldest}"


def list_spans(first: str, chunks: Sequence[Sequence[Article]]) -> list[tuple[str, Span]]:
    """The pages of a list cut by `stable_chunks`, in order, as (site path, span): the first
    at `first`, each other named after its chunk's newest article (`urls.list_page`)."""
    paths = [first, *(urls.list_page(first, chunk[0].id) for chunk in chunks[1:])]
    return [
        (
            paths[number],
            Span(
                first=number == 0,
                label=span_label(chunk),
                newer=paths[number - 1] if number else None,
                older=paths[number + 1] if number + 1 < len(paths) else None,
                newest=paths[0],
                oldest=paths[-1],
            ),
        )
        for number, chunk in enumerate(chunks)
    ]
