"""The archive as the paper printed it: papers → issues (one date of one paper) → printed
pages (版) → articles, and the calendar of issues a reader of an e-paper opens first.

Each page file is one printed page. What it is (paper, issue date, 版次, 版名) comes from
the loader (`newsgen.model.Page`); a page that gives no date stands outside the calendar
and is listed on its own. Everything here is a pure function of the pages and their
articles, in an order that does not depend on the order they arrive in.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsgen import urls
from newsgen.config import page_key
from newsgen.model import Article, Date, Furniture, Page
from newsgen.render.paging import Link

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Printed:
    """One printed page (版), without its articles: what an article page says of where it
    stood, and what its key depends on (a sibling's edit does not change these)."""

    path: str
    paper: str | None
    date: tuple[int, int, int] | None
    number: str | None  # 版次 as printed
    name: str | None  # 版名
    issue: str | None  # the issue page's path
    first_title: str  # what a page with no 版次 or 版名 is known by

    @property
    def label(self) -> str:
        """The page as readers name it: 第06版：区街新闻, or its first headline."""
        if self.number and self.name:
            return f"第{self.number}版：{self.name}"
        if self.number:
            return f"第{self.number}版"
        return self.name or self.first_title

    @property
    def date_label(self) -> str:
        return day_label(self.date) if self.date else "未注明日期"

    @property
    def paper_path(self) -> str:
        return urls.paper_url(self.paper)


@dataclass(frozen=True)
class PrintedPage:
    """A printed page with its articles in print order and the lines that are no story's."""

    at: Printed
    articles: tuple[Article, ...]
    furniture: tuple[Furniture, ...] = ()

    @property
    def path(self) -> str:
        return self.at.path

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class Issue:
    paper: str | None
    date: tuple[int, int, int]
    path: str
    pages: tuple[PrintedPage, ...]  # in 版 order

    @property
    def label(self) -> str:
        return day_label(self.date)


@dataclass(frozen=True)
class Day:
    day: int
    path: str | None  # the issue of that day, if the paper printed one


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: tuple[tuple[Day | None, ...], ...]  # Monday first, as Chinese calendars are
    issues: int


@dataclass(frozen=True)
class PaperYear:
    paper: str | None
    year: int
    path: str
    months: tuple[MonthGrid, ...]  # January first; months with no issue left out
    issues: int


@dataclass(frozen=True)
class Paper:
    name: str | None
    anchor: str
    years: tuple[PaperYear, ...]  # newest first

    @property
    def label(self) -> str:
        return paper_label(self.name)


@dataclass(frozen=True)
class Editions:
    papers: tuple[Paper, ...]
    issues: tuple[Issue, ...]  # by paper, then date
    undated: tuple[PrintedPage, ...]  # pages no date places, in the order of their files' paths
    where: Mapping[str, Printed]  # page file → where it was printed


def page_order(number: str | None) -> tuple[str, int, str]:
    """版次 in print order: A01 … A16, B01 …; 2 before 10; pages with no 版次 last."""
    if not number:
        return ("\uffff", 0, "")
    key = page_key(number)
    return (*key, number) if key else ("\ufffe", 0, number)


def _full(date: Date | None) -> tuple[int, int, int] | None:
    return (date.year, date.month, date.day) if date is not None and date.full else None  # type: ignore[return-value]


def day_label(date: tuple[int, int, int]) -> str:
    return f"{date[0]}年{date[1]}月{date[2]}日"


def paper_label(paper: str | None) -> str:
    return paper or "未注明报名"


def _printed_pages(articles: Iterable[Article], pages: Mapping[str, Page]) -> list[PrintedPage]:
    on: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        on[article.source].append(article)
    result = []
    for source in sorted(on):
        placed = tuple(sorted(on[source], key=lambda a: (a.order, a.lines, a.id)))
        page = pages.get(source)
        paper = (page.paper if page else None) or next((a.paper for a in placed if a.paper), None)
        date = _full(page.issue_date) if page else None
        where = Printed(
            path=urls.source_url(source),
            paper=paper,
            date=date,
            number=page.page_number if page else None,
            name=page.page_name if page else None,
            issue=urls.issue_url(paper, *date) if date else None,
            first_title=placed[0].display_title,  # a page file is here for its articles
        )
        result.append(PrintedPage(where, placed, page.furniture if page else ()))
    return result


def _month(year: int, month: int, days: Mapping[int, str]) -> MonthGrid:
    weeks = tuple(
        tuple(Day(d, days.get(d)) if d else None for d in week) for week in calendar.Calendar(0).monthdayscalendar(year, month)
    )
    return MonthGrid(year, month, weeks, len(days))


def _papers(issues: Sequence[Issue]) -> tuple[Paper, ...]:
    by: dict[str | None, dict[int, dict[int, dict[int, str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    for issue in issues:
        year, month, day = issue.date
        by[issue.paper][year][month][day] = issue.path
    papers = []
    for paper in sorted(by, key=lambda p: (p is None, p or "")):
        years = tuple(
            PaperYear(
                paper,
                year,
                urls.paper_year_url(paper, year),
                tuple(_month(year, m, by[paper][year][m]) for m in sorted(by[paper][year])),
                sum(len(days) for days in by[paper][year].values()),
            )
            for year in sorted(by[paper], reverse=True)
        )
        papers.append(Paper(paper, urls.paper_anchor(paper), years))
    return tuple(papers)


def build_editions(articles: Iterable[Article], pages: Mapping[str, Page] | None = None) -> Editions:
    """Printed pages grouped into issues, and the calendar of each paper's issues.
    `pages`: what the loader read of each page file, by source (facts and furniture)."""
    printed = _printed_pages(articles, pages or {})
    grouped: dict[tuple[str, tuple[int, int, int]], list[PrintedPage]] = defaultdict(list)
    undated = []
    for page in printed:
        if page.at.date is None:
            undated.append(page)
        else:
            grouped[(page.at.paper or "", page.at.date)].append(page)
    issues = tuple(
        Issue(
            paper or None,
            date,
            urls.issue_url(paper or None, *date),
            tuple(sorted(grouped[(paper, date)], key=lambda p: (page_order(p.at.number), p.path))),
        )
        for paper, date in sorted(grouped)
    )
    return Editions(
        papers=_papers(issues),
        issues=issues,
        undated=tuple(undated),
        where={page.articles[0].source: page.at for page in printed},
    )


def print_key(where: Mapping[str, Printed]) -> Callable[[Article], tuple[object, ...]]:
    """The archive read as printed: issue by issue (by date, then paper), 版 by 版, then the
    articles of each page in their order; pages no date places by their articles' dates."""

    def key(article: Article) -> tuple[object, ...]:
        at = where.get(article.source)
        if at is not None and at.date is not None:
            return (False, at.date, at.paper or "", page_order(at.number), article.source, article.order, article.id)
        return (article.date.year is None, article.date.sort_key(), "", page_order(None), article.source, article.order, article.id)

    return key


def latest_issues(editions: Editions) -> tuple[Link, ...]:
    """Each paper's newest issue, as the home page offers it (issues are by paper, then date)."""
    newest: dict[str | None, Issue] = {}
    for issue in editions.issues:
        newest[issue.paper] = issue
    return tuple(
        Link(f"{paper_label(issue.paper)} {issue.label}", issue.path, len(issue.pages)) for issue in newest.values()
    )
