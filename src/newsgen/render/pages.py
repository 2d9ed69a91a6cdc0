"""Page builders: the archive as a list of (site path, template, context) to render.

Nothing here renders HTML. Each spec's context holds only what its own page needs plus
references to the shared, read-only taxonomy objects, so rendering one page is a pure
function of (spec, shared context) and pages can be rendered in any order, or in parallel.
How a list is cut into pages, and how those pages link up, is `newsgen.render.paging`'s.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsgen import urls
from newsgen.config import Config
from newsgen.model import Article
from newsgen.render.editions import Printed
from newsgen.render.paging import Link, even_chunks, list_spans, pagination, stable_chunks
from newsgen.render.taxonomy import Neighbours, Taxonomies, Year, people_of
from newsgen.render.text import credits, date_rfc3339, excerpt

FEED_ENTRIES = 20
# Articles on one page of a district, person, column, month or year list, on average (see
# `stable_chunks`; the home page has the config's per_page); terms on one page of an index
# of districts, people, sources. Without pages, one list at 100,000 articles would be
# megabytes of HTML. 200, not 100: a list line is ~250 bytes since its markup was trimmed, so a
# page is ~50 kB (100 lines were ~28 kB), and the lists take half the files (10,000
# articles: 587 -> 340), which the hosts count (≤ 1.2 files an article).
LIST_PER_PAGE = 200
TERMS_PER_PAGE = 500


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    path: str


@dataclass(frozen=True)
class SiteInfo:
    title: str
    description: str
    url: str | None  # absolute, ends in '/'; only the feed, sitemap and 404 page use it


@dataclass(frozen=True)
class YearEntry:
    """A year as the date index shows it: counts and links, not the articles themselves
    (so the index changes only when a count or a month does)."""

    year: int
    path: str
    count: int
    months: tuple[Link, ...]  # label = the month's number, newest first
    no_month: int  # articles that give this year but no month


@dataclass(frozen=True)
class PageSpec:
    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    # What the context is made from, when that is less to digest than the context itself: the
    # context is then a pure function of these and of the code, and the page's key
    # (`newsgen.render.keys`) digests them instead.
    inputs: Any = None


NAV = (
    NavItem("home", "首页", urls.HOME),
    NavItem("districts", "地区", urls.DISTRICTS),
    NavItem("dates", "日期", urls.DATES),
    NavItem("people", "记者", urls.REPORTERS),
    NavItem("columns", "栏目", urls.COLUMNS),
    NavItem("issues", "往期", urls.ISSUES),
)


def shared_context(config: Config, tax: Taxonomies, *, asset_version: str, favicon: str = "") -> dict[str, Any]:
    """What every page sees (documented at the top of templates/base.html)."""
    return {
        "site": SiteInfo(config.title, config.description, config.site_url),
        "nav": NAV,
        "districts": tuple(Link(t.name, t.path, t.count) for t in tax.districts),
        "columns": tuple(Link(t.name, t.path, t.count) for t in tax.columns),
        "years": tuple(Link(f"{y.year}年", y.path, y.count) for y in tax.years),
        "undated_count": len(tax.undated),
        "article_count": len(tax.newest),
        "stylesheet": urls.STYLESHEET,
        "asset_version": asset_version,
        "favicon": favicon,
        "feed": urls.FEED,
        "search": urls.SEARCH,
    }


def home_pages(config: Config, tax: Taxonomies, latest_issues: Sequence[Link] = ()) -> Iterator[PageSpec]:
    """`latest_issues`: each paper's newest issue, where the archive knows its issues."""
    per = config.per_page
    pages = max(1, min(config.home_pages, -(-len(tax.newest) // per)))
    for page in range(1, pages + 1):
        yield PageSpec(
            urls.home_url(page),
            "index.html",
            {
                "section": "home",
                "page_title": config.title if page == 1 else f"最新文章 第{page}页",
                "description": config.description,
                "articles": tax.newest[(page - 1) * per : page * per],
                "pagination": pagination(page, pages, urls.home_url),
                # on the last page: how many older articles only the archive's lists show
                "older": max(0, len(tax.newest) - pages * per) if page == pages else 0,
                "latest_issues": tuple(latest_issues),
            },
        )


# What the extractor's flags mean to a reader; other flags are for `newsgen check` only.
FLAG_NOTES = {
    "starts-mid-sentence": "原版面上有段落的开头缺失，从句子或引语的中间开始；缺失处以“…”标出。",
    "headline-only": "原版面上只有标题，没有正文。",
}


def date_archive_url(article: Article) -> str:
    """The most precise date archive page an article is listed on."""
    year, month = article.date.year, article.date.month
    if year is None:
        return urls.UNDATED
    return urls.month_url(year, month) if month is not None else urls.year_url(year) + "#no-month"


class _ArticleContext(Mapping[str, Any]):
    """An article page's context, made when it is first read. A build plans every article
    page, but keys most of them from their inputs alone (the article and its neighbours) and
    renders only those that changed: the rest never need their context made."""

    __slots__ = ("article", "around", "printed", "_made")

    def __init__(self, article: Article, around: Neighbours, printed: Printed | None):
        self.article = article
        self.around = around
        self.printed = printed
        self._made: dict[str, Any] | None = None

    def _context(self) -> dict[str, Any]:
        if self._made is None:
            article = self.article
            self._made = {
                "section": "article",
                "page_title": article.display_title,
                "description": excerpt(article, 50) or article.display_title,
                "article": article,
                "neighbours": self.around,
                "edition": urls.source_anchor_url(article.source, article),
                "printed": self.printed,
                "date_archive": date_archive_url(article),
                "notes": tuple(FLAG_NOTES[f] for f in article.flags if f in FLAG_NOTES),
            }
        return self._made

    def __getitem__(self, name: str) -> Any:
        return self._context()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._context())

    def __len__(self) -> int:
        return len(self._context())


def article_page(article: Article, around: Neighbours, printed: Printed | None = None) -> PageSpec:
    """`printed`: the page (版) the article stood on, as its source line names it."""
    return PageSpec(
        urls.article_url(article),
        "article.html",
        _ArticleContext(article, around, printed),
        inputs=(article, around, printed),
    )


def _paged_title(title: str, page: int) -> str:
    return title if page == 1 else f"{title} 第{page}页"


def _paged(
    first: str,
    items: Sequence[Any],
    per: int,
    context: Mapping[str, Any],
    template: str,
    key: str,
    first_only: Mapping[str, Any] | None = None,
) -> Iterator[PageSpec]:
    """`items` `per` to a page: `first`, then `urls.paged(first, n)`. Each page gets its slice
    under `key` and `pagination`; `page_title` gets "第n页" from the second page on;
    `first_only` goes to the first page alone (what changes with every article added, such
    as a count, must not make every page of the list new)."""
    chunks = even_chunks(items, per)

    def path_of(number: int) -> str:
        return urls.paged(first, number)

    for number, chunk in enumerate(chunks, 1):
        yield PageSpec(
            path_of(number),
            template,
            {
                **context,
                **((first_only or {}) if number == 1 else {}),
                "page_title": _paged_title(context["page_title"], number),
                key: chunk,
                "pagination": pagination(number, len(chunks), path_of),
            },
        )


def list_pages(
    first: str,
    articles: Sequence[Article],
    per: int,
    context: Mapping[str, Any],
    *,
    template: str = "list.html",
    first_only: Mapping[str, Any] | None = None,
) -> Iterator[PageSpec]:
    """A newest-first list of articles in pages of about `per` (`stable_chunks`): `first`,
    then one page per chunk, named after the chunk's newest article (`urls.list_page`).
    Each page gets its chunk as `articles` and its place as `span`; the first page also
    gets `total` (the list's length) and `first_only`, the others a title and a
    description that name their dates instead."""
    chunks = stable_chunks(articles, per)
    for chunk, (path, span) in zip(chunks, list_spans(first, chunks), strict=True):
        if span.first:
            extra: Mapping[str, Any] = {"total": len(articles), **(first_only or {})}
        else:
            title = f"{context['page_title']}（{span.label}）"
            extra = {"page_title": title, "description": title}
        yield PageSpec(path, template, {**context, **extra, "articles": chunk, "span": span})


def term_index_pages(
    first: str, terms: Sequence[Link], per: int, context: Mapping[str, Any], first_only: Mapping[str, Any]
) -> Iterator[PageSpec]:
    """An index of terms (districts, people, columns, source pages), `per` to a page, by name:
    a count changes the page its term is on (and `first_only`, the first page)."""
    return _paged(first, tuple(terms), per, context, "terms.html", "terms", first_only)


def term_pages(tax: Taxonomies, per: int = LIST_PER_PAGE, terms_per: int = TERMS_PER_PAGE) -> Iterator[PageSpec]:
    kinds = (
        ("districts", "地区", urls.DISTRICTS, tax.districts, "{name}的报道"),
        ("people", "记者与通讯员", urls.REPORTERS, tax.people, "{name}署名的报道"),
        ("columns", "栏目", urls.COLUMNS, tax.columns, "栏目：{name}"),
    )
    credited = credits(tax.newest)  # each person's role, as their own articles give it
    for section, label, index_path, terms, heading in kinds:
        note = f"另有 {tax.no_district} 篇文章未能确定所属地区。" if section == "districts" and tax.no_district else None
        yield from term_index_pages(
            index_path,
            tuple(Link(t.name, t.path, t.count, credited(t.name) if section == "people" else None) for t in terms),
            terms_per,
            {"section": section, "page_title": label, "description": f"按{label}浏览", "heading": label, "note": None},
            {"description": f"按{label}浏览全部 {len(tax.newest)} 篇文章", "note": note},
        )
        for term in terms:
            yield from list_pages(
                term.path,
                term.articles,
                per,
                {
                    "section": section,
                    "page_title": heading.format(name=term.name),
                    "heading": heading.format(name=term.name),
                    "crumbs": (Link(label, index_path),),
                    "person": term.name if section == "people" else None,
                },
                first_only={"description": f"{heading.format(name=term.name)}，共 {term.count} 篇"},
            )


def date_pages(tax: Taxonomies, per: int = LIST_PER_PAGE) -> Iterator[PageSpec]:
    """The date index, then each year's and each month's list, then the undated list."""
    crumbs = (Link("日期", urls.DATES),)
    yield PageSpec(
        urls.DATES,
        "dates.html",
        {
            "section": "dates",
            "page_title": "按日期浏览",
            "description": f"按年月浏览全部 {len(tax.newest)} 篇文章",
            "archive_years": tuple(
                YearEntry(
                    y.year,
                    y.path,
                    y.count,
                    tuple(Link(str(m.month), m.path, m.count) for m in y.months),
                    len(y.no_month),
                )
                for y in tax.years
            ),
        },
    )
    for year in tax.years:
        yield from _year_pages(year, per, crumbs)
    yield from _undated_pages(tax.undated, per, crumbs)


def _year_pages(year: Year, per: int, crumbs: tuple[Link, ...]) -> Iterator[PageSpec]:
    # The year's page lists its months, then the articles that only give the year, paged.
    yield from list_pages(
        year.path,
        year.no_month,
        per,
        {"section": "dates", "page_title": f"{year.year}年", "crumbs": crumbs, "year": year.year},
        template="year.html",
        first_only={
            "description": f"{year.year}年的 {year.count} 篇文章",
            "count": year.count,
            "months": tuple(Link(f"{m.year}年{m.month}月", m.path, m.count) for m in year.months),
        },
    )
    for month in year.months:
        title = f"{month.year}年{month.month}月"
        yield from list_pages(
            month.path,
            month.articles,
            per,
            {
                "section": "dates",
                "page_title": title,
                "heading": title,
                "crumbs": (*crumbs, Link(f"{year.year}年", year.path)),
                "person": None,
            },
            first_only={"description": f"{title}的 {month.count} 篇文章"},
        )


def _undated_pages(undated: Sequence[Article], per: int, crumbs: tuple[Link, ...]) -> Iterator[PageSpec]:
    # Month-day dates first, then unknown ones (the taxonomy's order), one paged list; each
    # page shows its share of the two groups under their headings.
    for spec in list_pages(
        urls.UNDATED,
        undated,
        per,
        {"section": "dates", "page_title": "年份不详的文章", "crumbs": crumbs},
        template="undated.html",
        first_only={"description": f"{len(undated)} 篇文章的年份无法从原文确定"},
    ):
        chunk = spec.context["articles"]
        yield PageSpec(
            spec.path,
            spec.template,
            {
                **spec.context,
                "month_day": tuple(a for a in chunk if a.date.known),
                "unknown": tuple(a for a in chunk if not a.date.known),
            },
        )


def plan_pages(
    config: Config,
    tax: Taxonomies,
    around: Mapping[str, Neighbours],
    where: Mapping[str, Printed] | None = None,
    printed: Sequence[PageSpec] = (),
    *,
    has_search: bool,
    latest_issues: Sequence[Link] = (),
    list_per_page: int = LIST_PER_PAGE,
    terms_per_page: int = TERMS_PER_PAGE,
) -> list[PageSpec]:
    """Every HTML page of the site, in a fixed order. `where`: the printed page (版) each page
    file is, for the articles' source lines; `printed`: the pages of the archive as printed
    (`newsgen.render.issue_pages`)."""
    where = where or {}
    specs: list[PageSpec] = [*home_pages(config, tax, latest_issues)]
    specs.extend(article_page(a, around[a.id], where.get(a.source)) for a in tax.newest)
    specs.extend(term_pages(tax, list_per_page, terms_per_page))
    specs.extend(date_pages(tax, list_per_page))
    specs.extend(printed)
    if has_search:
        specs.append(
            PageSpec(
                urls.SEARCH,
                "search.html",
                {"section": "search", "page_title": "搜索", "description": f"搜索{config.title}"},
            )
        )
    specs.append(
        PageSpec(
            urls.NOT_FOUND,
            "404.html",
            {"section": "404", "page_title": "页面未找到", "description": "找不到这个页面"},
        )
    )
    return specs


def _entry_id(article: Article) -> str:
    # Ids that survive a change of site_url or of the URL scheme: derived from Article.id.
    return uuid.uuid5(uuid.NAMESPACE_URL, f"newsgen:article:{article.id}").urn


def feed_page(config: Config, tax: Taxonomies) -> PageSpec:
    entries = tax.newest[:FEED_ENTRIES]
    newest_dated = next((a.date for a in tax.newest if a.date.year is not None), None)
    return PageSpec(
        urls.FEED,
        "feed.xml",
        {
            "page_title": config.title,
            "description": config.description,
            "feed_id": uuid.uuid5(uuid.NAMESPACE_URL, f"newsgen:feed:{config.site_url or config.title}").urn,
            "updated": date_rfc3339(newest_dated),
            "base": config.site_url or "",
            "entries": tuple((a, _entry_id(a), date_rfc3339(a.date if a.date.year else newest_dated)) for a in entries),
            "people_of": people_of,
        },
    )


SITEMAP_LIMIT = 50_000  # URLs per sitemap file, the protocol's limit


def sitemap_pages(config: Config, paths: Sequence[str]) -> list[PageSpec]:
    """sitemap.xml (a sitemap index pointing at sitemap-N.xml files past the protocol's limit)."""
    assert config.site_url, "a sitemap needs the site's absolute URL"
    listed = sorted(p for p in paths if p.endswith(".html") and p != urls.NOT_FOUND)
    base = config.site_url
    if len(listed) <= SITEMAP_LIMIT:
        return [PageSpec(urls.SITEMAP, "sitemap.xml", {"base": base, "paths": tuple(listed)})]
    chunks = [tuple(listed[i : i + SITEMAP_LIMIT]) for i in range(0, len(listed), SITEMAP_LIMIT)]
    parts = [PageSpec(f"sitemap-{n}.xml", "sitemap.xml", {"base": base, "paths": chunk}) for n, chunk in enumerate(chunks, 1)]
    index = PageSpec(urls.SITEMAP, "sitemap-index.xml", {"base": base, "paths": tuple(p.path for p in parts)})
    return [*parts, index]
