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
