"""The archive as printed, in Chromium, on samples/editions (the seeds filed as two issues of
a made-up paper, under page header lines): home → 往期 → a year's calendar → an issue → a page
(版) → an article, and back out through the article's source line; over file:// and over
http under a sub-path, with no console error, no broken link and nothing axe-core flags.

`pytest -m screenshots` (or `make screenshots`) writes the home page, the calendar, an issue, a
page (版), an article, a district's list and the search page at 1280 and 360 px, light and
dark, into `$NEWSGEN_SCREENSHOTS` (default: the test's scratch folder), for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from conftest import ROOT, PageProbe, root_url
from newsgen import urls
from newsgen.config import Config
from newsgen.pipeline import build
from newsgen.write.linkcheck import check_site

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SAMPLE = ROOT / "samples" / "editions" / "pages"
PAPER = "郑州区县报"  # made up, as the sample's README says
ISSUE = urls.issue_url(PAPER, 2024, 7, 5)
YEAR = urls.paper_year_url(PAPER, 2024)


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("editions-e2e")
    config = Config(title="郑州区县报纸档案", articles=(SAMPLE.as_posix(),))
    build(config, output=work / "site", cwd=work, cache_dir=work / "cache", notify=lambda message: None)
    return work / "site"


@pytest.fixture(scope="module", params=["file", "http"])
def dated_url(request: pytest.FixtureRequest, dated_site: Path) -> Iterator[str]:
    yield from root_url(dated_site, request.param)


def heading(page: Any) -> str:
    return page.locator("main h1").first.inner_text().strip()


def test_calendar_issue_page_article(tab: PageProbe, dated_url: str) -> None:
    page = tab.page
    page.set_default_timeout(5000)
    page.goto(dated_url + "index.html")
    page.locator(".site-header nav a", has_text="往期").click()
    assert heading(page) == "往期"
    page.locator(".year-list h3 a", has_text="2024年").click()
    assert heading(page) == f"{PAPER} 2024年"
    page.locator(".prev-next a", has_text="上一年").click()
    assert heading(page) == f"{PAPER} 2023年"
    page.go_back()
    page.locator("td.issue a", has_text="5").first.click()
    assert heading(page).startswith(f"{PAPER} 2024年7月5日") and "星期五" in heading(page)
    assert page.locator(".issue-pages > li").count() == 2
    page.locator(".prev-next a", has_text="上一期").click()
    assert "2023年7月19日" in heading(page) and page.locator(".issue-pages > li").count() == 3
    page.locator(".prev-next a", has_text="下一期").click()

    page.locator(".issue-pages h2 a").nth(1).click()
    assert heading(page) == f"{PAPER} 2024年7月5日 第02版：上街新闻"
    assert page.locator(".prev-next a", has_text="上一版").count() == 1
    first = page.locator("ol.edition > li h2 a").first
    title = first.inner_text().strip()
    first.click()
    assert heading(page) == title
    line = page.locator("article dl .printed")
    assert line.inner_text().split() == [PAPER, "2024年7月5日", "第02版", "上街新闻"]
    article_url = page.url

    # each part of the source line is a link: the page, the issue, the paper's calendar
    line.locator("a").last.click()
    assert heading(page).endswith("第02版：上街新闻")
    page.go_back()
    line.locator("a", has_text="2024年7月5日").click()
    assert heading(page).startswith(f"{PAPER} 2024年7月5日")
    page.go_back()
    line.locator("a", has_text=PAPER).click()
    assert heading(page) == "往期" and unquote(page.url).endswith("#" + urls.paper_anchor(PAPER))
    page.go_back()
    assert page.url == article_url
    tab.assert_clean()


def test_no_broken_links_and_no_axe_violations(browser: Any, dated_site: Path) -> None:
    assert check_site(dated_site) == []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    try:
        article = next(iter(sorted((dated_site / "a").iterdir()))).name
        printed = next(p.name for p in sorted((dated_site / "pages").iterdir()))
        for path in (urls.ISSUES, YEAR, ISSUE, f"pages/{printed}", f"a/{article}"):
            page.goto((dated_site / path).as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            if result["violations"]:
                found[path] = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]]
    finally:
        context.close()
    assert found == {}


@pytest.mark.screenshots
def test_screenshots(browser: Any, dated_site: Path, tmp_path: Path) -> None:
    out = Path(os.environ.get("NEWSGEN_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    article = next(iter(sorted((dated_site / "a").iterdir()))).name
    district = sorted(p.name for p in (dated_site / "districts").glob("*.html") if p.name != "index.html")[0]
    views = {"home": urls.HOME, "calendar": urls.ISSUES, "year": YEAR, "issue": ISSUE, "page": None,
             "article": f"a/{article}", "district": f"districts/{district}", "search": urls.SEARCH}
    # the article markup the first article lacks: paragraphs whose beginning the page lost, 简讯
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted((dated_site / "a").iterdir())}
    views["gaps"] = "a/" + next(name for name, html in pages.items() if 'class="gap"' in html)
    views["briefs"] = "a/" + next(name for name, html in pages.items() if 'class="briefs"' in html)
    views["reporter"] = "reporters/" + sorted(p.name for p in (dated_site / "reporters").glob("*.html"))[1]
    issue = (dated_site / ISSUE).read_text(encoding="utf-8")
    views["page"] = re.findall(r'<h2><a href="(?:\.\./\.\./)?(pages/[0-9a-f]+\.html)"', issue)[1]  # its 第02版
    written = []
    for width in (1280, 360):
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            for name, path in views.items():
                page.goto((dated_site / path).as_uri())
                target = out / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            context.close()
    assert all(p.stat().st_size > 5000 for p in written)
