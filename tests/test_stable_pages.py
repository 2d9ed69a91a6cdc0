"""Article lists cut into pages that stay put (`newsgen.render.paging.stable_chunks`).

A list page is named after its newest article and holds no count of the whole list, so an
article added to a list changes the page it lands on (and rarely the next one or two), the
list's first page (its count), and no other page: the incremental build renders that much.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import urls
from newsgen.config import Config
from newsgen.model import Article, Date
from newsgen.render import make_environment, render_page
from newsgen.render.pages import list_pages, plan_pages, shared_context
from newsgen.render.paging import _LONGEST, _SHORTEST, span_label, stable_chunks
from newsgen.render.taxonomy import build_taxonomies, neighbours, newest_key
from site_samples import article

PER = 10


def _articles(count: int, seed: int = 0) -> list[Article]:
    rng = random.Random(seed)
    start = datetime.date(2020, 1, 1)
    items = []
    for n in range(count):
        day = start + datetime.timedelta(days=rng.randrange(1500))
        items.append(article(f"{rng.getrandbits(48):012x}", f"标题{n}", date=Date(day.year, day.month, day.day)))
    return sorted(items, key=newest_key)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 400), st.integers(1, 40), st.integers(0, 10_000))
def test_pages_hold_the_whole_list_in_order_within_their_bounds(count: int, per: int, seed: int) -> None:
    items = _articles(count, seed)
    chunks = stable_chunks(items, per)
    assert [a for chunk in chunks for a in chunk] == items
    if not items:
        assert chunks == [[]]
        return
    shortest, longest = max(1, int(per * _SHORTEST)), max(1, int(per * _SHORTEST), int(per * _LONGEST))
    assert all(1 <= len(chunk) <= longest for chunk in chunks)
    # Every page but the first (the newest articles, which no mark has closed yet) was
    # closed at a mark once long enough, or at the longest.
    assert all(len(chunk) >= shortest for chunk in chunks[1:])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 400), st.integers(0, 10_000), st.data())
def test_an_added_article_leaves_every_older_page_as_it_was(count: int, seed: int, data: st.DataObject) -> None:
    items = _articles(count, seed)
    added = article("added-" + str(seed), "新增", date=items[data.draw(st.integers(0, count - 1))].date)
    grown = sorted([*items, added], key=newest_key)
    at = grown.index(added)
    before, after = stable_chunks(items, PER), stable_chunks(grown, PER)
    # Pages are read from the oldest: every page closed before the new article's place is
    # the same (the first page is never closed: the newest articles join it).
    def older(chunk: list[Article]) -> bool:
        return newest_key(chunk[0]) > newest_key(added)

    assert all(chunk in after for chunk in before[1:] if older(chunk))
    assert all(chunk in before for chunk in after[1:] if older(chunk))
    assert sum(added in chunk for chunk in after) == 1 and grown[at] is added


def test_one_added_article_changes_few_pages_of_a_long_list() -> None:
    """Measured over many insertions into a 5,000-article list: the pages that change are the
    one the article lands on and, now and then, one or two after it; never the rest."""
    items = _articles(5000, seed=7)
    before = {tuple(a.id for a in chunk) for chunk in stable_chunks(items, 100)}
    rng = random.Random(3)
    changed = []
    for n in range(200):
        other = items[rng.randrange(len(items))]
        grown = sorted([*items, article(f"new{n}", date=other.date)], key=newest_key)
        after = {tuple(a.id for a in chunk) for chunk in stable_chunks(grown, 100)}
        changed.append(len(after - before))
    assert len(before) > 30
    assert sum(changed) / len(changed) <= 1.5
    assert max(changed) <= 6


def test_list_pages_are_named_after_their_newest_article_and_only_the_first_counts() -> None:
    items = _articles(120, seed=1)
    specs = list(list_pages("districts/x.html", items, PER, {"page_title": "X"}, first_only={"description": "共"}))
    assert specs[0].path == "districts/x.html"
    assert [s.path for s in specs[1:]] == [f"districts/x/p-{s.context['articles'][0].id}.html" for s in specs[1:]]
    assert specs[0].context["total"] == 120 and specs[0].context["description"] == "共"
    for spec in specs[1:]:
        assert "total" not in spec.context
        assert spec.context["page_title"] == f"X（{span_label(spec.context['articles'])}）"
    spans = [s.context["span"] for s in specs]
    assert [s.first for s in spans] == [True] + [False] * (len(specs) - 1)
    assert all(s.newest == specs[0].path and s.oldest == specs[-1].path for s in spans)
    assert [s.older for s in spans] == [s.path for s in specs[1:]] + [None]
    assert [s.newer for s in spans] == [None] + [s.path for s in specs[:-1]]


def test_span_labels_give_the_dates_as_precisely_as_known() -> None:
    def a(date: Date) -> Article:
        return article("x", date=date)

    assert span_label([a(Date(2024, 7, 4)), a(Date(2024, 6, 30))]) == "2024年7月4日—6月30日"
    assert span_label([a(Date(2024, 7, 4)), a(Date(2024, 7, 1))]) == "2024年7月4日—1日"
    assert span_label([a(Date(2024, 7, 4)), a(Date(2023, 12, 30))]) == "2024年7月4日—2023年12月30日"
    assert span_label([a(Date(2024, 7, 4)), a(Date(2024, 7, 4))]) == "2024年7月4日"
    assert span_label([a(Date(2024, 7, None)), a(Date(2024, None, None))]) == "2024年7月—2024年"
    assert span_label([a(Date(None, 7, 4)), a(Date(None, None, None))]) == "7月4日—日期不详"


def test_a_later_list_page_renders_its_dates_and_links(tmp_path: Path) -> None:
    items = _articles(60, seed=2)
    config = Config()
    tax = build_taxonomies(items)
    specs = plan_pages(config, tax, neighbours(tax.newest), has_search=False, list_per_page=PER)
    district = [s for s in specs if s.path.startswith("districts/") and s.template == "list.html"]
    assert len(district) > 2
    env, shared = make_environment(config, tmp_path), shared_context(config, tax, asset_version="t")
    first, middle = render_page(env, district[0], shared), render_page(env, district[1], shared)
    assert "共 60 篇文章" in first and "共 60 篇" not in middle
    label = district[1].context["span"].label
    assert f'<span class="here" aria-current="page">{label}</span>' in middle
    assert f"· {label}</span></h1>" in middle
    newest = urls.rel(district[1].path, district[0].path)  # up to the folder both are in
    assert f'rel="prev" href="{newest}"' in middle and 'rel="next"' in middle
