"""The search page of the built seed site in Chromium, over file:// and over http://127.0.0.1:
the header box, ?q= restore, highlighting, filters, no results, spaces, Latin with Han,
the JavaScript API, and exact-substring answers checked against the articles' own text."""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from conftest import ROOT, PageProbe
from newsgen import urls
from newsgen.index.chars import is_word_char, normalize
from newsgen.index.tokens import body_text, title_text
from test_search_support import load_articles

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def articles() -> dict[str, object]:
    """Seed articles by page URL."""
    return {urls.article_url(a): a for a in load_articles(ROOT / "articles")}


def text_of(article: object) -> str:
    return normalize(title_text(article) + "\n" + body_text(article))  # type: ignore[arg-type]


def open_search(tab: PageProbe, site_url: str, query: str | None = None, **params: str) -> None:
    page = tab.page
    page.set_default_timeout(10_000)
    pairs = ({"q": query} if query is not None else {}) | params
    qs = "&".join(f"{k}={quote(v)}" for k, v in pairs.items())
    page.goto(site_url + "search.html" + ("?" + qs if qs else ""))
    if query:
        page.wait_for_selector("#search-results[data-state]", state="attached")


def result_urls(tab: PageProbe) -> list[str]:
    return tab.page.eval_on_selector_all(
        "#search-results a.search-result-title", "as => as.map(a => a.getAttribute('href').split('#')[0])"
    )


def test_header_box_leads_to_results(tab: PageProbe, site_url: str, articles: dict) -> None:
    page = tab.page
    page.set_default_timeout(10_000)
    page.goto(site_url + "index.html")
    page.fill("#site-search", "桐柏路")
    page.press("#site-search", "Enter")
    page.wait_for_selector("#search-results[data-state=results]", state="attached")
    assert urlsplit(page.url).path.endswith("/search.html")
    assert unquote(urlsplit(page.url).query) == "q=桐柏路"
    assert page.input_value("#search-q") == "桐柏路"
    found = result_urls(tab)
    assert found and all("桐柏路" in text_of(articles[u]) for u in found)
    assert page.locator("#search-status").inner_text().startswith(f"找到 {len(found)} 篇")
    # the result links work from the search page
    page.locator("#search-results a.search-result-title").first.click()
    assert page.locator("main h1").first.inner_text().strip() in articles[found[0]].display_title  # type: ignore[attr-defined]
    tab.assert_clean()


def test_query_string_is_restored_and_linkable(tab: PageProbe, site_url: str, articles: dict) -> None:
    open_search(tab, site_url, "量子通信")
    page = tab.page
    assert page.input_value("#search-q") == "量子通信"
    assert page.input_value("#site-search") == "量子通信"
    assert "量子通信" in page.title()
    first = result_urls(tab)
    assert first and all("量子通信" in text_of(articles[u]) for u in first)
    # a new query from the page's own form updates the address; Back restores the old one
    page.fill("#search-q", "党建")
    page.press("#search-q", "Enter")
    page.wait_for_function("() => decodeURIComponent(location.search) === '?q=党建'")
    page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('篇')")
    page.go_back()
    page.wait_for_function("() => document.querySelector('#search-q').value === '量子通信'")
    page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('篇')")
    assert result_urls(tab) == first
    tab.assert_clean()


def test_matches_are_highlighted(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "招商引资")
    marks = tab.page.eval_on_selector_all("#search-results mark", "ms => ms.map(m => m.textContent)")
    assert marks and set(marks) == {"招商引资"}
    snippets = tab.page.eval_on_selector_all(".search-result-snippet", "ps => ps.map(p => p.querySelector('mark') !== null)")
    assert any(snippets)
    tab.assert_clean()


def test_district_and_year_filters(tab: PageProbe, site_url: str, articles: dict) -> None:
    open_search(tab, site_url, "党建")
    page = tab.page
    everything = result_urls(tab)
    districts = {articles[u].district for u in everything}  # type: ignore[attr-defined]
    assert "中原区" in districts and len(districts) > 1
    page.select_option("#search-district", "中原区")
    page.wait_for_function("() => location.search.includes('district=')")
    page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('中原区')")
    narrowed = result_urls(tab)
    assert narrowed and len(narrowed) < len(everything)
    assert all(articles[u].district == "中原区" for u in narrowed)  # type: ignore[attr-defined]
    metas = page.eval_on_selector_all(".search-result-district", "ss => ss.map(s => s.textContent)")
    assert set(metas) == {"中原区"}
    # linkable with the filter, and a year filter on top
    open_search(tab, site_url, "党建", district="中原区", year="2024")
    assert page.input_value("#search-district") == "中原区"
    both = result_urls(tab)
    assert both and all(articles[u].date.year == 2024 and articles[u].district == "中原区" for u in both)  # type: ignore[attr-defined]
    tab.assert_clean()


def test_no_results(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "火星探测器")
    page = tab.page
    assert page.get_attribute("#search-results", "data-state") == "empty"
    assert result_urls(tab) == []
    assert "没有找到" in page.locator("#search-status").inner_text()
    assert page.locator("#search-more").is_hidden()
    tab.assert_clean()


def test_space_separated_terms_must_all_match(tab: PageProbe, site_url: str, articles: dict) -> None:
    open_search(tab, site_url, "中原区 招商")
    found = result_urls(tab)
    assert found
    for u in found:
        assert "中原区" in text_of(articles[u]) and "招商" in text_of(articles[u])
    expected = {u for u, a in articles.items() if "中原区" in text_of(a) and "招商" in text_of(a)}
    assert set(found) == expected
    tab.assert_clean()


def test_latin_letters_with_han_any_case(tab: PageProbe, site_url: str, articles: dict) -> None:
    open_search(tab, site_url, "5g双碳")
    found = result_urls(tab)
    assert found and all("5g双碳" in text_of(articles[u]) for u in found)
    marks = tab.page.eval_on_selector_all("#search-results mark", "ms => ms.map(m => m.textContent)")
    assert "5G双碳" in marks  # the text as printed, found from lower case
    open_search(tab, site_url, "ccd")
    assert set(result_urls(tab)) == {u for u, a in articles.items() if "ccd" in text_of(a)}
    tab.assert_clean()


def test_keyboard(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "党建")
    page = tab.page
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("() => document.activeElement.getAttribute('href').split('#')[0]")
    assert first == result_urls(tab)[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.getAttribute('href').split('#')[0]") == result_urls(tab)[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.id") == "search-q"
    tab.assert_clean()


def test_api_answers_exactly_what_the_articles_contain(tab: PageProbe, site_url: str, articles: dict) -> None:
    """Random substrings of the seed texts (one to eight characters, punctuation inside allowed)
    and full titles: the API returns exactly the articles containing them, title matches first."""
    open_search(tab, site_url)
    page = tab.page
    page.wait_for_function("() => window.newsgen && window.newsgen.search")
    rng = random.Random(5)
    texts = {u: text_of(a) for u, a in articles.items()}
    queries: list[str] = []
    while len(queries) < 60:
        text = texts[rng.choice(sorted(texts))]
        n = rng.choice([1, 2, 3, 4, 6, 8])
        at = rng.randrange(max(1, len(text) - n))
        piece = text[at : at + n]
        if len(piece) == n and not any(c.isspace() for c in piece) and is_word_char(piece[0]) and is_word_char(piece[-1]):
            queries.append(piece)
    titles = [a.title for a in articles.values() if a.title]  # type: ignore[attr-defined]
    answers = page.evaluate(
        "async (qs) => { const out = []; for (const q of qs) out.push(await newsgen.search(q, {limit: 100})); return out; }",
        queries + titles,
    )
    for q, got in zip(queries + titles, answers):
        want = {u for u, t in texts.items() if normalize(q) in t}
        assert {r["url"] for r in got} == want, q
        scores = [r["score"] for r in got]
        assert scores == sorted(scores, reverse=True)
        assert all(isinstance(r["title"], str) and r["title"] for r in got)
    for title, got in zip(titles, answers[len(queries) :]):
        assert articles[got[0]["url"]].title == title  # type: ignore[attr-defined]
    tab.assert_clean()


def test_title_match_ranks_above_body_match(tab: PageProbe, site_url: str, articles: dict) -> None:
    open_search(tab, site_url)
    page = tab.page
    page.wait_for_function("() => window.newsgen && window.newsgen.search")
    got = page.evaluate("q => newsgen.search(q, {limit: 50})", "招商")
    in_title = ["招商" in normalize(title_text(articles[r["url"]])) for r in got]
    assert True in in_title and False in in_title
    assert in_title == sorted(in_title, reverse=True)  # every title match before any body-only match
    tab.assert_clean()


def test_more_results_button(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "的")
    page = tab.page
    assert len(result_urls(tab)) == 10
    page.click("#search-more")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 10")
    assert page.evaluate("() => document.activeElement.getAttribute('href').split('#')[0]") == result_urls(tab)[10]
    assert len(set(result_urls(tab))) == len(result_urls(tab))
    tab.assert_clean()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_accessibility(browser: object, seed_site: Path, scheme: str) -> None:
    """axe-core finds nothing serious on the search page, with results and with none; a phone
    never scrolls sideways."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        found = {}
        for query in ("党建", "火星探测器"):
            page.goto((seed_site / "search.html").as_uri() + "?q=" + quote(query))
            page.wait_for_selector("#search-results[data-state]", state="attached")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if serious:
                found[query] = serious
        assert found == {}
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto((seed_site / "search.html").as_uri() + "?q=" + quote("党建"))
        page.wait_for_selector("#search-results[data-state]", state="attached")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
