"""Page builders for the archive as printed: the calendar of issues (往期), each paper's
years, each issue, each printed page (版), and the pages no date places.

Like `newsgen.render.pages`, nothing here renders HTML: each spec holds what its page shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import TypeVar

from newsgen import urls
from newsgen.render.editions import WEEKDAYS, Editions, Issue, PrintedPage, paper_label
from newsgen.render.pages import PageSpec, term_index_pages
from newsgen.render.paging import Link

CRUMBS = (Link("往期", urls.ISSUES),)
T = TypeVar("T")


def _around(items: Sequence[T], number: int) -> tuple[T | None, T | None]:
    """The items before and after `items[number]`, where there are."""
    return (items[number - 1] if number > 0 else None, items[number + 1] if number + 1 < len(items) else None)


def _weekday(date: tuple[int, int, int]) -> str:
    return "星期" + WEEKDAYS[datetime.date(*date).weekday()]


def calendar_page(editions: Editions) -> PageSpec:
    return PageSpec(
        urls.ISSUES,
        "issues.html",
        {
            "section": "issues",
            "page_title": "往期",
            "description": f"按报纸和日期浏览 {len(editions.issues)} 期报纸",
            "papers": editions.papers,
            "undated": len(editions.undated),
        },
    )


def paper_year_pages(editions: Editions) -> Iterator[PageSpec]:
    for paper in editions.papers:
        years = paper.years  # newest first
        for number, year in enumerate(years):
            newer, older = _around(years, number)
            yield PageSpec(
                year.path,
                "issue_year.html",
                {
                    "section": "issues",
                    "page_title": f"{paper.label} {year.year}年",
                    "description": f"{paper.label} {year.year}年的 {year.issues} 期",
                    "crumbs": (*CRUMBS, Link(paper.label, urls.paper_url(paper.name))),
                    "paper": paper.name,
                    "paper_label": paper.label,
                    "year": year,
                    "newer": Link(f"{newer.year}年", newer.path) if newer else None,
                    "older": Link(f"{older.year}年", older.path) if older else None,
                },
            )


def _issue_link(issue: Issue | None) -> Link | None:
    return Link(issue.label, issue.path) if issue else None


def issue_pages(editions: Editions) -> Iterator[PageSpec]:
    issues = editions.issues  # by paper, then date
    for number, issue in enumerate(issues):
        before, after = (other if other and other.paper == issue.paper else None for other in _around(issues, number))
        label = paper_label(issue.paper)
        crumbs = (*CRUMBS, Link(f"{label} {issue.date[0]}年", urls.paper_year_url(issue.paper, issue.date[0])))
        yield PageSpec(
            issue.path,
            "issue.html",
            {
                "section": "issues",
                "page_title": f"{label} {issue.label}",
                "description": f"{label} {issue.label}，共 {len(issue.pages)} 版",
                "crumbs": crumbs,
                "issue": issue,
                "paper_label": label,
                "weekday": _weekday(issue.date),
                "previous": _issue_link(before),
                "next": _issue_link(after),
            },
        )
        yield from _printed_pages(issue.pages, (*crumbs, Link(issue.label, issue.path)))


def _printed_pages(pages: Sequence[PrintedPage], crumbs: tuple[Link, ...] | None) -> Iterator[PageSpec]:
    """Each page of an issue (`crumbs` lead to it), linked to its neighbours; or, with no
    crumbs, the pages no date places, each alone."""
    in_issue = crumbs is not None
    crumbs = crumbs if crumbs is not None else (*CRUMBS, Link("未注明日期的版面", urls.PRINTED_PAGES))
    for number, page in enumerate(pages):
        at = page.at
        before, after = _around(pages, number) if in_issue else (None, None)
        heading = " ".join(part for part in (at.paper, at.date_label if at.date else None, at.label) if part)
        yield PageSpec(
            page.path,
            "edition.html",
            {
                "section": "issues",
                "page_title": heading,
                "description": f"{heading}，{page.count} 篇文章",
                "crumbs": crumbs,
                "edition": page,
                "heading": heading,
                "previous": Link(before.at.label, before.path) if before else None,
                "next": Link(after.at.label, after.path) if after else None,
            },
        )


def undated_page_pages(editions: Editions, terms_per: int) -> Iterator[PageSpec]:
    """The pages no date places: an index by first headline, and each page."""
    if not editions.undated:
        return
    yield from term_index_pages(
        urls.PRINTED_PAGES,
        tuple(Link(f"{p.at.paper + '：' if p.at.paper else ''}{p.at.label}", p.path, p.count) for p in editions.undated),
        terms_per,
        {
            "section": "issues",
            "page_title": "未注明日期的版面",
            "description": "未注明日期的版面",
            "heading": "未注明日期的版面",
            "crumbs": CRUMBS,
            "note": "这些版面没有写明出版日期，按各版第一篇文章的标题列出。",
        },
        {"description": f"{len(editions.undated)} 个未注明日期的版面"},
    )
    yield from _printed_pages(editions.undated, None)


def edition_pages(editions: Editions, terms_per: int) -> list[PageSpec]:
    specs = [calendar_page(editions), *paper_year_pages(editions), *issue_pages(editions)]
    specs.extend(undated_page_pages(editions, terms_per))
    return specs
