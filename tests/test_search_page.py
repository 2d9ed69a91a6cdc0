"""The search page as a reader meets it (issue 24): one search box, form controls in the
site's font and colours, snippets cut from the article's own text (never its byline or
dateline), and a missing index explained in Chinese with what to do. In Chromium, over
file:// and http://127.0.0.1 under a sub-path, on the built seed site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import ROOT, PageProbe
from newsgen import urls
from newsgen.index.tokens import block_text
from test_search_support import load_articles

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def articles() -> dict[str, object]:
    """Seed articles by page URL."""
    return {urls.article_url(a): a for a in load_articles(ROOT / "articles")}


def open_search(tab: PageProbe, site_url: str, query: str) -> None:
    page = tab.page
    page.set_default_timeout(10_000)
    page.goto(site_url + "search.html?q=" + quote(query))
    page.wait_for_selector("#search-results[data-state]", state="attached")


def test_one_search_box_on_the_search_page(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "党建")
    page = tab.page
    assert page.locator("#search-q").is_visible()
    assert page.locator("#site-search").is_hidden()
    assert page.locator("input[type=search]:visible").count() == 1
    tab.assert_clean()


def test_form_controls_use_the_site_font_and_colours(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "党建")
    looks = tab.page.evaluate(
        """() => {
        const style = (el) => getComputedStyle(el);
        const probe = document.createElement('div');
        probe.style.background = 'var(--accent)';
        document.body.appendChild(probe);
        const accent = style(probe).backgroundColor;
        probe.remove();
        const controls = ['#search-q', '#search-district', '#search-year', '#search-form button[type=submit]'];
        return {
            body: style(document.body).fontFamily,
            fonts: controls.map((s) => style(document.querySelector(s)).fontFamily),
            button: style(document.querySelector('#search-form button[type=submit]')).backgroundColor,
            accent,
        };
    }"""
    )
    assert looks["fonts"] == [looks["body"]] * 4
    assert looks["button"] == looks["accent"]  # the site's red, not the browser's grey
    tab.assert_clean()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("query", ["唐善普", "党建", "记者"])
def test_snippets_come_from_the_text_never_the_labels(
    tab: PageProbe, site_url: str, articles: dict, query: str
) -> None:
    """A reporter's name found in a byline, a word in the text, and 记者 (in bylines and
    text alike): every snippet is a piece of the article's blocks."""
    open_search(tab, site_url, query)
    page = tab.page
    rows = page.eval_on_selector_all(
        "#search-results li",
        "lis => lis.map(li => [li.querySelector('a').getAttribute('href').split('#')[0], li.querySelector('.search-result-snippet').textContent])",
    )
    assert rows
    for url, snippet in rows:
        piece = snippet.strip("…")
        assert piece in flat(block_text(articles[url])), (url, snippet)  # type: ignore[arg-type]
    tab.assert_clean()


def test_missing_search_files_are_explained_in_chinese(browser: object, seed_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(seed_site, site)
    (site / "search" / "manifest.js").unlink()
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto((site / "search.html").as_uri() + "?q=" + quote("党建"))
        page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('newsgen build')")
        said = page.locator("#search-status").inner_text()
        assert "找不到搜索文件 search/manifest.js" in said and "重新生成网站" in said
        assert "cannot" not in said and "newsgen search:" not in said
    finally:
        context.close()


def test_a_result_carries_the_query_to_the_article_which_marks_it(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "招商引资 中原区")
    page = tab.page
    href = page.get_attribute("#search-results a.search-result-title", "href")
    assert href.endswith("#q=" + quote("招商引资 中原区", safe=""))
    page.locator("#search-results a.search-result-title").first.click()
    page.wait_for_selector("html[data-search-marks]", state="attached")
    marks = page.eval_on_selector_all("article mark.search-hit", "ms => ms.map(m => m.textContent)")
    assert marks and set(marks) <= {"招商引资", "中原区"} and "招商引资" in marks
    assert page.locator("article").inner_text().count("招商引资") == marks.count("招商引资")
    # without a query the article page is left as it is
    page.goto(page.url.split("#")[0])
    page.wait_for_load_state()
    assert page.locator("mark.search-hit").count() == 0
    tab.assert_clean()


def key(date: str) -> tuple[int, ...]:
    """A result's date ("2024-7-4", unknown parts empty) as the site orders it."""
    return tuple(int(v or 0) for v in date.split("-")) if date else (0, 0, 0)


API = "async ([q, o]) => (await newsgen.search(q, Object.assign({limit: 100}, o))).map(r => [r.url, r.date])"


def test_order_by_date_and_month_range(tab: PageProbe, site_url: str) -> None:
    open_search(tab, site_url, "党建")
    page = tab.page
    relevance = dict(page.evaluate(API, ["的", {}]))
    newest = page.evaluate(API, ["的", {"sort": "newest"}])
    oldest = page.evaluate(API, ["的", {"sort": "oldest"}])
    assert {u for u, _ in newest} == {u for u, _ in oldest} == set(relevance)
    assert [u for u, _ in newest] != list(relevance)
    assert [key(d) for _, d in newest] == sorted((key(d) for _, d in newest), reverse=True)
    assert [key(d) for _, d in oldest] == sorted(key(d) for _, d in oldest)
    july = page.evaluate(API, ["的", {"from": "2024-07", "to": "2024-07"}])
    assert july and {u for u, _ in july} == {u for u, d in relevance.items() if key(d)[:2] == (2024, 7)}
    since = page.evaluate(API, ["的", {"from": "2024-03"}])
    assert {u for u, _ in since} == {u for u, d in relevance.items() if key(d)[:2] >= (2024, 3) and key(d)[1]}
    tab.assert_clean()


def test_filters_and_order_live_in_the_address(tab: PageProbe, site_url: str) -> None:
    page = tab.page
    page.set_default_timeout(10_000)
    page.goto(site_url + "search.html?q=" + quote("的") + "&sort=oldest&from=2023-01&to=2024-12")
    page.wait_for_selector("#search-results[data-state]", state="attached")
    assert page.input_value("#search-sort") == "oldest" and page.input_value("#search-from") == "2023-01"
    shown = page.evaluate(API, ["的", {"sort": "oldest", "from": "2023-01", "to": "2024-12", "limit": 10}])
    assert [h.split("#")[0] for h in page.eval_on_selector_all("#search-results a.search-result-title", "as => as.map(a => a.getAttribute('href'))")] == [u for u, _ in shown]
    assert "最早在前" in page.locator("#search-status").inner_text()
    page.select_option("#search-sort", "newest")
    page.wait_for_function("() => location.search.includes('sort=newest')")
    assert "from=2023-01" in page.url and "to=2024-12" in page.url
    tab.assert_clean()


def test_years_histogram_counts_matches_and_filters_by_year(tab: PageProbe, site_url: str) -> None:
    page = tab.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_search(tab, site_url, "党建")
    # offered, not drawn: a first query loads no filter file
    page.wait_for_selector("#search-years[data-state=offered]", state="attached")
    assert [u for u in requested if "/filters/" in u] == []
    page.click("#search-years button")
    page.wait_for_selector("#search-years[data-state=drawn]", state="attached")
    assert [u.rsplit("/", 1)[-1] for u in requested if "/filters/" in u] == ["years.js"]
    bars = page.eval_on_selector_all("#search-years a", "as => as.map(a => a.textContent)")
    everything = page.evaluate(API, ["党建", {"limit": 1000}])
    counts: dict[int, int] = {}
    for _, date in everything:
        year = key(date)[0]
        if year:
            counts[year] = counts.get(year, 0) + 1
    assert bars == [f"{y}年 {c}" for y, c in sorted(counts.items())]
    page.locator("#search-years a", has_text="2023年").click()
    page.wait_for_function("() => location.search.includes('year=2023')")
    page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('2023年')")
    dates = page.eval_on_selector_all(".search-result-date", "ss => ss.map(s => s.textContent)")
    assert dates and all(d.startswith("2023年") for d in dates)
    assert page.locator("#search-years a[aria-current=true]").inner_text().startswith("2023年")
    tab.assert_clean()


def test_paper_filter(browser: object, tmp_path: Path) -> None:
    """Papers come from page files' front matter (the seeds name none): the seed articles
    given two papers, the page offers them and the filter keeps one."""
    from dataclasses import replace

    from test_search_support import build_with_stub

    papers = ["郑州日报", "郑州晚报"]
    seeds = [replace(a, paper=papers[i % 2]) for i, a in enumerate(load_articles(ROOT / "articles"))]
    by_url = {urls.article_url(a): a for a in seeds}
    build_with_stub(seeds, tmp_path)
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.set_default_timeout(10_000)
        page.goto((tmp_path / "search.html").as_uri() + "?q=" + quote("的") + "&paper=" + quote("郑州晚报"))
        page.wait_for_selector("#search-results[data-state]", state="attached")
        assert page.locator("#search-paper").is_visible() and page.input_value("#search-paper") == "郑州晚报"
        got = page.evaluate(API, ["的", {"paper": "郑州晚报"}])
        assert got and {by_url[u].paper for u, _ in got} == {"郑州晚报"}
        assert len(got) < len(page.evaluate(API, ["的", {}]))
    finally:
        page.close()
