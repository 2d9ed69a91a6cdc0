"""The built site in a real browser (Debian's chromium through Playwright), over file://
and over http://127.0.0.1: click-through, no console errors, no failed or external
requests, nothing from the page text ever runs, axe-core finds nothing serious."""

from __future__ import annotations


from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, PageProbe
from newsgen.pipeline import build
from newsgen.config import Config, load_config
from newsgen.write.linkcheck import check_site

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def watch_requests(probe: PageProbe, base: str) -> list[str]:
    """Every request that leaves the site (there must be none)."""
    outside: list[str] = []
    probe.page.on("request", lambda r: r.url.startswith(base) or outside.append(r.url))  # type: ignore[attr-defined]
    return outside


def heading(page: Any) -> str:
    return page.locator("main h1").first.inner_text().strip()


def meta_link(page: Any, label: str) -> Any:
    """The link in the article's facts list under the given label (地区, 记者, 日期, 出处)."""
    return page.locator("article dl > div", has=page.locator("dt", has_text=label)).locator("a").first


def test_click_through_the_archive(tab: PageProbe, site_url: str) -> None:
    page = tab.page
    page.set_default_timeout(5000)
    outside = watch_requests(tab, site_url)
    page.goto(site_url + "index.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.title() == "郑州区县报纸档案"
    assert page.locator("form[role=search]").get_attribute("action") == "search.html"

    # home → the newest article
    link = page.locator(".home-latest .article-list h2 a").first
    title = link.inner_text().strip()
    link.click()
    assert heading(page) == title
    assert page.title().startswith(title)
    article_url = page.url
    assert "/a/" in article_url and article_url.endswith(".html")

    # article → district → back
    district = meta_link(page, "地区").inner_text().strip()
    meta_link(page, "地区").click()
    assert district in heading(page)
    assert page.locator(".article-list :is(h2, h3) a", has_text=title).count() == 1
    page.go_back()
    assert page.url == article_url

    # article → reporter (a name in the byline) → back
    byline_name = page.locator(".byline a").first
    reporter = byline_name.inner_text().strip()
    byline_name.click()
    assert reporter in heading(page)
    assert page.locator(".article-list :is(h2, h3) a", has_text=title).count() == 1
    page.go_back()
    assert page.url == article_url

    # article → date archive (its month) → year → all dates, and back
    shown = meta_link(page, "日期").inner_text().strip()
    meta_link(page, "日期").click()
    month = heading(page)
    assert shown.startswith(month)  # "2024年7月4日" is listed on "2024年7月"
    assert page.locator(".article-list :is(h2, h3) a", has_text=title).count() == 1
    page.locator(".crumbs a", has_text="年").last.click()
    assert month.startswith(heading(page))
    page.locator(".crumbs a", has_text="日期").click()
    assert heading(page) == "按日期浏览"
    for _ in range(3):
        page.go_back()
    assert page.url == article_url

    # article → its printed page (版): the article is there, in page order; no file name
    page.locator("article dl .printed a").last.click()
    assert heading(page) and ".txt" not in heading(page)
    target = page.url.split("#", 1)[1]
    assert target.startswith("a-")
    assert page.locator(f"li#{target} h2").inner_text().strip() == title
    assert page.locator("ol.edition > li").count() >= 2
    page.go_back()
    assert page.url == article_url

    # the next or previous article, then home through the navigation
    page.locator(".prev-next a").first.click()
    assert page.url != article_url and "/a/" in page.url
    page.locator(".site-header nav a", has_text="首页").click()
    assert page.locator(".home-latest h1").inner_text().startswith("最新文章")

    # every navigation entry leads to its page; pagination too
    for label in ("地区", "日期", "记者", "栏目", "往期"):
        page.locator(".site-header nav a", has_text=label).click()
        assert page.locator("main h1").count() == 1
        assert page.locator(".site-header nav a[aria-current=page]").inner_text() == label
    page.locator(".site-header nav a", has_text="首页").click()
    if page.locator(".pagination a[rel=next]").count():
        page.locator(".pagination a[rel=next]").click()
        assert "第2页" in heading(page)

    tab.assert_clean()
    assert outside == []


def test_search_box_sends_q_to_the_search_page(tab: PageProbe, site_url: str, seed_site: Path) -> None:
    page = tab.page
    page.goto(site_url + "a/" + sorted((seed_site / "a").iterdir())[0].name)
    form = page.locator("form[role=search]")
    assert form.get_attribute("action") == "../search.html"
    assert form.evaluate("f => f.method") == "get"  # the default: the markup need not say it
    assert page.locator("form[role=search] input[type=search]").get_attribute("name") == "q"
    if not (seed_site / "search.html").exists():
        pytest.skip("the search page is not built yet (templates/search.html is missing)")
    with page.expect_navigation():
        page.fill("#site-search", "招商")
        page.press("#site-search", "Enter")
    assert page.url.split("?")[0] == site_url + "search.html"
    assert page.url.endswith("?q=%E6%8B%9B%E5%95%86")
    tab.assert_clean()


def test_built_seed_site_links(seed_site: Path) -> None:
    allow = frozenset() if (seed_site / "search.html").exists() else frozenset({"search.html"})
    assert check_site(seed_site, allow_missing=allow) == []


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility(browser: Any, seed_site: Path, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        article = sorted((seed_site / "a").iterdir())[0].name
        district = next(p.name for p in sorted((seed_site / "districts").iterdir()) if p.name != "index.html")
        found = {}
        for path in ("index.html", f"a/{article}", f"districts/{district}", "404.html", "dates/index.html",
                     "issues/index.html", "pages/index.html"):
            page.goto((seed_site / path).as_uri())
            violations = run_axe(page)
            if violations:
                found[path] = violations
        assert found == {}
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 390])
def test_phones_never_scroll_sideways(browser: Any, seed_site: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        article = sorted((seed_site / "a").iterdir())[0].name
        for path in ("index.html", f"a/{article}", "pages/index.html", "dates/index.html"):
            page.goto((seed_site / path).as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    finally:
        context.close()


def test_skip_link_moves_focus_to_the_content(tab: PageProbe, seed_site: Path) -> None:
    page = tab.page
    page.goto((seed_site / "index.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    tab.assert_clean()


HOSTILE_PAGE = """# <script>alert(1)</script>中原区召开<img src=x onerror=alert(2)>会议

本报讯（记者 杨丽萍）7月4日上午，<script>alert(3)</script>中原区召开会议。[点这里](javascript:alert(4))，
<a href="javascript:alert(5)">再点这里</a>，<javascript:alert(6)> 以及 [网站](https://example.org/)。

<iframe src="javascript:alert(7)"></iframe><svg onload=alert(8)></svg>
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    (work / "articles").mkdir()
    (work / "articles" / "p1.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    import os

    cwd = os.getcwd()
    os.chdir(work)
    try:
        build(Config(title="测试 <script>alert(9)</script>", articles=("articles",)), output=work / "site", cwd=work)
    finally:
        os.chdir(cwd)
    return work / "site"


def test_markup_in_a_page_file_never_runs(tab: PageProbe, hostile_site: Path) -> None:
    page = tab.page
    articles = sorted((hostile_site / "a").iterdir())
    assert articles, "the hostile page file produced no article"
    pages = ["index.html", *(f"a/{p.name}" for p in articles), "issues/index.html", "districts/index.html"]
    pages += [f"pages/{p.name}" for p in sorted((hostile_site / "pages").iterdir())]
    for path in pages:
        page.goto((hostile_site / path).as_uri())
        page.wait_for_load_state("load")
    page.goto((hostile_site / "a" / articles[0].name).as_uri())
    text = page.locator("main").inner_text()
    assert "<script>alert(1)</script>" in page.locator("main h1").inner_text()
    assert "<script>alert(3)</script>" in text
    assert "[点这里](javascript:alert(4))" in text
    assert page.title().startswith("<script>alert(1)</script>")
    assert page.locator("main script, main img, main iframe, main svg").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript")]
    assert "https://example.org/" in hrefs
    page.locator("main a", has_text="网站").count() == 1
    # click everything that looks like a link in the article body: nothing may run
    for link in page.locator("article > :not(header) a").all():
        if link.get_attribute("href", timeout=1000).startswith("https://"):
            continue
        link.click()
    assert tab.dialogs == []
    assert tab.console_errors == []


def test_serve_reloads_the_open_page(tab: PageProbe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgen.commands.serve import LiveServer, LiveSite

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "p1.txt").write_text(HOSTILE_PAGE.split("\n", 1)[1].replace("<", "["), encoding="utf-8")
    (tmp_path / "newsgen.yaml").write_text("title: 旧的站名\n", encoding="utf-8")
    live = LiveServer(LiveSite(load_config, log=lambda line: None, search=False), 0, tmp_path / "newsgen.yaml")
    try:
        live.start()
        page = tab.page
        page.goto(live.url + "index.html")
        assert page.locator(".site-header > div > a").inner_text() == "旧的站名"
        page.wait_for_timeout(300)  # let the page start its long poll
        (tmp_path / "newsgen.yaml").write_text("title: 新的站名\n", encoding="utf-8")
        for _ in range(100):  # 20 s: builds are the main thread's (serve's loop), so step it here
            live.step(timeout=0.1)
            try:
                page.wait_for_function("document.querySelector('.site-header > div > a').textContent === '新的站名'", timeout=100)
                break
            except PlaywrightTimeout:
                continue
        assert page.locator(".site-header > div > a").inner_text() == "新的站名"
    finally:
        live.close()
    # The reload aborts the pending long poll (a "failed" request by design); nothing else may fail.
    assert tab.console_errors == [] and tab.dialogs == []
