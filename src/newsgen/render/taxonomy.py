"""Taxonomies as data: the archive's districts, people, columns and dates.

Everything here is a pure function of the articles, sorted so that the result does not
depend on the order the articles arrive in (or on the hash seed). Templates only ever
read these objects; no HTML is made here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsgen import urls
from newsgen.errors import NewsgenError
from newsgen.lexicon import CANONICAL
from newsgen.model import Article
from newsgen.render.text import PinyinKey, name_key, pinyin_key


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


def district_key(name: str) -> tuple[int, PinyinKey]:
    """Districts in the official order: `CANONICAL` lists them by their administrative codes
    (tests/test_site_render.py checks it against the gazetteer), the functional zones, which
    have none there, after them; a name it does not know comes last, by pinyin."""
    place = CANONICAL.index(name) if name in CANONICAL else len(CANONICAL)
    return (place, pinyin_key(name))


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


def build_taxonomies(articles: Iterable[Article]) -> Taxonomies:
    """The archive as data (the printed pages and issues are `newsgen.render.editions`')."""
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
        districts=_terms(districts, urls.district_url, district_key),
        people=_terms(people, urls.reporter_url, name_key),
        columns=_terms(columns, urls.column_url, pinyin_key),
        years=tuple(years),
        undated=tuple(sorted(undated, key=lambda a: (not a.date.known, newest_key(a)))),
        no_district=sum(1 for a in items if not a.district),
    )


# Shared people say most about a relation, then the column, then the district.
_WEIGHTS = {"person": 3, "column": 2, "district": 1}


def _keys(article: Article) -> list[tuple[str, str]]:
    keys = [("person", name) for name in people_of(article)]
    if article.column:
        keys.append(("column", article.column))
    if article.district:
        keys.append(("district", article.district))
    return keys


def neighbours(
    articles: Sequence[Article],
    *,
    related: int = 3,
    window: int = 6,
    order_key: Callable[[Article], Any] = reading_key,
) -> dict[str, Neighbours]:
    """Previous/next in reading order (`order_key`: as printed, when the pages say where
    they stand), and a few related articles per article.

    Related articles come from an inverted index (district, person, column → positions in
    reading order): each article looks only at the `window` nearest articles under each of
    its own keys, so the cost is O(n · keys · window), never a comparison of all pairs.
    The best have the highest score (the weights of the keys shared), then are the nearest,
    then come first in reading order.
    """
    order = sorted(articles, key=order_key)
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    # Per article, per key: (that key's positions, where the article stands in them, weight).
    # Positions are appended in ascending order, so the article's own place is known here.
    places: list[list[tuple[list[int], int, int]]] = []
    for position, article in enumerate(order):
        mine = []
        for key in _keys(article):
            positions = index[key]
            mine.append((positions, len(positions), _WEIGHTS[key[0]]))
            positions.append(position)
        places.append(mine)

    result: dict[str, Neighbours] = {}
    span = len(order)
    last = span - 1
    for position, article in enumerate(order):
        # A candidate counted once per unit of each key's weight: Counter counts in C.
        # Each key's window with the article itself in it (one slice), dropped once counted.
        candidates: list[int] = []
        for positions, at, weight in places[position]:
            candidates += positions[max(0, at - window) : at + 1 + window] * weight
        counts = Counter(candidates)
        counts.pop(position, None)
        # (score, distance, position) packed into one int that orders as the tuple would
        # (distance and position are both below `span`): ints sort in C, tuples compare
        # element by element.
        ranks = sorted([(abs(other - position) - score * span) * span + other for other, score in counts.items()])
        result[article.id] = Neighbours(
            previous=order[position - 1] if position > 0 else None,
            next=order[position + 1] if position < last else None,
            related=tuple(order[rank % span] for rank in ranks[:related]),
        )
    return result
