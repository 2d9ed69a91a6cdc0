"""Taxonomies as data: the archive's districts, people, columns and dates.

Everything here is a pure function of the articles, sorted so that the result does not
depend on the order the articles arrive in (or on the hash seed). Templates only ever
read these objects; no HTML is made here.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np

from newsgen import urls
from newsgen.errors import NewsgenError
from newsgen.lexicon import CANONICAL
from newsgen.model import Article
from newsgen.render.related import Entries, rank_related
from newsgen.render.text import PinyinKey, Read, syllables, name_key, pinyin_key


def newest_key(article: Article) -> tuple[int, int, int, str, int, str]:
    """Newest first; undated last; same-day articles in page order."""
    year, month, day = article.date.sort_key()
    return (-year, -month, -day, article.source, article.order, article.id)


def reading_key(article: Article) -> tuple[bool, tuple[int, int, int], str, int, str]:
    """The archive read from the oldest page to the newest; articles with no year at the end
    (a bare month-day cannot be placed among the years)."""
    return (article.date.year is None, article.date.sort_key(), article.source, article.order, article.id)


@dataclass(frozen=True)
class Term:
    """A district, person or column with its articles, newest first."""

    name: str
    path: str
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    path: str
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class Year:
    year: int
    path: str
    months: tuple[Month, ...]  # newest first
    no_month: tuple[Article, ...]  # the year is known, the month is not

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months) + len(self.no_month)


@dataclass(frozen=True)
class Neighbours:
    """What an article page links to besides itself."""

    previous: Article | None
    next: Article | None
    related: tuple[Article, ...]


@dataclass(frozen=True)
class Taxonomies:
    newest: tuple[Article, ...]
    districts: tuple[Term, ...]
    people: tuple[Term, ...]  # reporters and correspondents, one page per name
    columns: tuple[Term, ...]
    years: tuple[Year, ...]  # newest first
    undated: tuple[Article, ...]  # no year: month-day dates first, then unknown ones
    no_district: int  # articles no district could be given to


def district_key(name: str, read: Read = syllables) -> tuple[int, PinyinKey]:
    """Districts in the official order: `CANONICAL` lists them by their administrative codes
    (tests/test_site_render.py checks it against the gazetteer), the functional zones, which
    have none there, after them; a name it does not know comes last, by pinyin."""
    place = CANONICAL.index(name) if name in CANONICAL else len(CANONICAL)
    return (place, pinyin_key(name, read))


def _terms(groups: dict[str, list[Article]], path_of: Callable[[str], str], key: Callable[[str], Any]) -> tuple[Term, ...]:
    """Terms in `key`'s order (a reader's: pinyin, official, never code points); each group's
    articles are newest first already (they were added in that order), which `newest_key`, a
    total order, would only confirm."""
    return tuple(Term(name, path_of(name), tuple(groups[name])) for name in sorted(groups, key=key))


def people_of(article: Article) -> tuple[str, ...]:
    """Reporters then correspondents, each name once."""
    # Called for every article by three passes: no generator, and no copy when there is
    # nothing to drop (an empty name, a name credited twice).
    names = article.reporters + article.correspondents if article.correspondents else article.reporters
    if "" in names or len(set(names)) < len(names) or type(names) is not tuple:
        return tuple(dict.fromkeys(n for n in names if n))
    return names


def build_taxonomies(articles: Iterable[Article], read: Read = syllables) -> Taxonomies:
    """The archive as data (the printed pages and issues are `newsgen.render.editions`').
    `read`: how names are read for their order (a `Readings` remembers them)."""
    items = sorted(articles, key=newest_key)
    seen: dict[str, Article] = {}
    for article in items:
        other = seen.setdefault(article.id, article)
        if other is not article:
            # Two pages would be written to one file: the permalink scheme relies on unique ids.
            raise NewsgenError(f"article id {article.id!r} is also used in {other.source}", article.source, article.lines[0])

    districts: dict[str, list[Article]] = defaultdict(list)
    people: dict[str, list[Article]] = defaultdict(list)
    columns: dict[str, list[Article]] = defaultdict(list)
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    no_month: dict[int, list[Article]] = defaultdict(list)
    undated: list[Article] = []
    for article in items:
        if article.district:
            districts[article.district].append(article)
        for name in people_of(article):
            people[name].append(article)
        if article.column:
            columns[article.column].append(article)
        year, month = article.date.year, article.date.month
        if year is None:
            undated.append(article)
        elif month is None:
            no_month[year].append(article)
        else:
            months[(year, month)].append(article)

    years = []
    for year in sorted({y for y, _ in months} | set(no_month), reverse=True):
        year_months = tuple(
            Month(y, m, urls.month_url(y, m), tuple(months[(y, m)]))
            for (y, m) in sorted(months, reverse=True)
            if y == year
        )
        years.append(Year(year, urls.year_url(year), year_months, tuple(no_month.get(year, ()))))

    return Taxonomies(
        newest=tuple(items),
        districts=_terms(districts, urls.district_url, functools.partial(district_key, read=read)),
        people=_terms(people, urls.reporter_url, functools.partial(name_key, read=read)),
        columns=_terms(columns, urls.column_url, functools.partial(pinyin_key, read=read)),
        years=tuple(years),
        # Month-day dates first, then unknown ones, each newest first: `undated` is in
        # `newest_key`'s order already, so that is a partition, not a sort.
        undated=tuple([a for a in undated if a.date.known] + [a for a in undated if not a.date.known]),
        no_district=len(items) - sum(map(len, districts.values())),
    )


# Shared people say most about a relation, then the column, then the district.
_WEIGHTS = {"person": 3, "column": 2, "district": 1}


def _numbers(names: Sequence[str], first: int) -> np.ndarray:
    """Each name's number, from `first` on, in the order names first appear (a dict made
    and read by C loops: 400,000 names at 100,000 articles)."""
    numbers: dict[str, int] = dict.fromkeys(names)  # type: ignore[arg-type]
    for number, name in enumerate(numbers, first):
        numbers[name] = number
    return np.fromiter(map(numbers.__getitem__, names), np.int64, len(names))


def _entries(order: Sequence[Article]) -> Entries:
    """Every (key, article) of the archive in reading order, for `rank_related`: keys are
    numbered kind by kind (people, then columns, then districts), each name once."""
    # Arrays of machine ints, not lists of int objects: 4 to 5 a key, 400,000 at 100,000 articles.
    people = list(map(people_of, order))
    keys = [_numbers(list(chain.from_iterable(people)), 0)]
    places = [np.repeat(np.arange(len(order)), np.fromiter(map(len, people), np.int64, len(order)))]
    weights = [np.full(len(keys[0]), _WEIGHTS["person"], np.int8)]
    for kind in ("column", "district"):
        values = list(map(attrgetter(kind), order))
        keys.append(_numbers(list(filter(None, values)), max(int(part.max(initial=-1)) for part in keys) + 1))
        places.append(np.flatnonzero(np.fromiter(map(bool, values), bool, len(order))))
        weights.append(np.full(len(keys[-1]), _WEIGHTS[kind], np.int8))
    return np.concatenate(keys), np.concatenate(places), np.concatenate(weights)


def neighbours(
    articles: Sequence[Article],
    *,
    related: int = 3,
    window: int = 6,
    order_key: Callable[[Article], Any] = reading_key,
) -> dict[str, Neighbours]:
    """Previous/next in reading order (`order_key`: as printed, when the pages say where
    they stand), and a few related articles per article.

    Related articles come from the keys an article has (district, person, column): under
    each, it looks only at the `window` nearest articles of that key in reading order, so
    the cost is O(n · keys · window), never a comparison of all pairs. The best have the
    highest score (the weights of the keys shared), then are the nearest, then come first
    in reading order (`newsgen.render.related` ranks them all at once).
    """
    order = sorted(articles, key=order_key)
    places, bounds = rank_related(_entries(order), len(order), related=related, window=window)
    found = [order[place] for place in places]
    result: dict[str, Neighbours] = {}
    last = len(order) - 1
    for position, article in enumerate(order):
        result[article.id] = Neighbours(
            previous=order[position - 1] if position > 0 else None,
            next=order[position + 1] if position < last else None,
            related=tuple(found[bounds[position] : bounds[position + 1]]),
        )
    return result
