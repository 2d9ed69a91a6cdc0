"""The reader-facing fixes in a real browser: the 404 page at any depth under a GitHub Pages
project sub-path (with and without the site's URL known), over file://, Chinese text drawn
in real glyphs (not empty boxes), and axe on the pages that changed."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, PageProbe
from newsgen import urls
from newsgen.config import load_config
from newsgen.pipeline import build
from test_e2e_site import run_axe

pytestmark = pytest.mark.browser

PREFIX = "/repo/"


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """GitHub Pages for a project site: the site under /repo/, and its 404.html, status 404,
    for any address that names no file."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return "/nonexistent"
        return super().translate_path("/" + path[len(PREFIX) :])

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def pages_server(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PagesHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}{PREFIX}"
    server.shutdown()
    server.server_close()


def build_seeds(out: Path, **overrides: Any) -> Path:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        config = load_config()
        build(config.with_overrides(**overrides) if overrides else config, output=out, cwd=ROOT, search=False)
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="module", params=[False, True], ids=["no site_url", "site_url"])
def pages_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, bool]]:
    """The seed site as GitHub Pages serves a project site, and whether its URL was known:
    built without a site_url (the 404 page finds its root from the address) and with one
    (`newsgen deploy` derives it from the repository)."""
    out = tmp_path_factory.mktemp("pages") / "site"
    overrides = {"site_url": "https://owner.github.io/repo/"} if request.param else {}
    with pages_server(build_seeds(out, **overrides)) as url:
        yield url, request.param


def styled(page: Any) -> bool:
    """The site's stylesheet applies (the header's red band), once the page has loaded."""
    page.wait_for_load_state("load")
    return page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == "rgb(155, 28, 28)"


@pytest.mark.parametrize("missing", ["missing.html", "a/missing.html", "a/b/missing.html", "districts/x/y/z/"])
def test_the_404_page_works_at_any_depth_under_a_sub_path(
    tab: PageProbe, pages_url: tuple[str, bool], missing: str
) -> None:
    base, known = pages_url
    if missing == "missing.html" and not known:
        # /repo/missing.html holds none of the site's own names: without the site's URL the
        # page takes /repo/ only on a github.io host, which 127.0.0.1 is not.
        pytest.skip("an unknown sub-path, no site name in the address, a host that is not github.io")
    page = tab.page
    page.set_default_timeout(5000)
    response = page.goto(base + missing)
    assert response is not None and response.status == 404
    # The page itself is the 404 that was asked for (the console says so too); nothing else
    # may fail: not the stylesheet, not the icon (the preload scanner would fetch a <link> in
    # the markup from the missing folder before the <base> is set).
    page.wait_for_load_state("load")
    assert tab.failed_requests == [f"404 {base + missing}"]
    assert tab.console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    tab.failed_requests.clear()
    tab.console_errors.clear()
    assert styled(page)
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.href)")
    assert hrefs == [base + "index.html", base + "dates/index.html", base + "search.html"]
    # the skip link stays on the page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").get_attribute("href") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url == base + missing
    # and the way home works
    page.locator("main a", has_text="回到首页").click()
    assert page.url == base + "index.html" and styled(page)
    tab.assert_clean()


def test_the_404_page_over_file_and_its_accessibility(tab: PageProbe, seed_site: Path) -> None:
    page = tab.page
    page.goto((seed_site / "404.html").as_uri())
    assert styled(page)
    assert page.locator("main a").first.evaluate("a => a.href") == (seed_site / "index.html").as_uri()
    tab.assert_clean()
    assert run_axe(page) == []


def test_axe_finds_nothing_on_the_changed_pages(tab: PageProbe, seed_site: Path) -> None:
    """The article with gap marks and its dateline and byline, the 简讯 column, the people
    index with roles, a later home page, a district list, and the 404 page at depth."""
    page = tab.page
    huiji = next(p for p in sorted((seed_site / "a").iterdir()) if 'class="gap"' in p.read_text(encoding="utf-8"))
    briefs = next(p for p in sorted((seed_site / "a").iterdir()) if 'class="briefs"' in p.read_text(encoding="utf-8"))
    found = {}
    for path in (f"a/{huiji.name}", f"a/{briefs.name}", "reporters/index.html", "page/2.html", "districts/中原区.html"):
        page.goto((seed_site / path).as_uri())
        violations = run_axe(page)
        if violations:
            found[path] = violations
    with pages_server(seed_site) as base:
        page.goto(base + "a/b/missing.html")
        assert styled(page)
        violations = run_axe(page)
        if violations:
            found["404 at depth"] = violations
    assert found == {}


# ---- fonts ---------------------------------------------------------------------------------

# Each character drawn alone, in the page's body font, on a canvas: its pixels. Chinese text
# in a font without the glyphs is drawn as the same empty box (.notdef) for every character,
# the box an unassigned code point (U+0378) gets. Real glyphs differ from each other and from
# that box, and have ink.
GLYPHS = """(font) => {
  const canvas = document.createElement("canvas");
  canvas.width = 48; canvas.height = 48;
  const g = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (ch) => {
    g.clearRect(0, 0, 48, 48);
    g.font = "32px " + font;
    g.fillStyle = "#000";
    g.textBaseline = "top";
    g.fillText(ch, 4, 4);
    const data = g.getImageData(0, 0, 48, 48).data;
    let ink = 0, sig = [];
    for (let i = 3; i < data.length; i += 4) { ink += data[i] > 0; sig.push(data[i] > 127 ? 1 : 0); }
    return {ink, sig: sig.join("")};
  };
  return {chars: ["郑", "州", "报", "讯"].map(draw), box: draw("\\u0378")};
}"""


@pytest.mark.parametrize("selector", ["body", "h1"])
def test_chinese_text_is_drawn_in_real_glyphs_not_boxes(tab: PageProbe, seed_site: Path, selector: str) -> None:
    page = tab.page
    page.goto((seed_site / "index.html").as_uri())
    font = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).fontFamily")
    assert "Noto Sans CJK SC" in font
    drawn = page.evaluate(GLYPHS, font)
    signatures = [c["sig"] for c in drawn["chars"]]
    assert all(c["ink"] > 40 for c in drawn["chars"]), "a character drew (almost) nothing"
    assert len(set(signatures)) == len(signatures), "different characters drew the same shape: boxes"
    assert drawn["box"]["sig"] not in signatures, "a character drew the missing-glyph box"
    # and the page's own text measures as Chinese does: about one em a character
    width = page.evaluate(
        "(() => { const s = document.createElement('span'); s.textContent = '郑州区县报纸档案';"
        " document.querySelector('main').append(s); const w = s.getBoundingClientRect().width;"
        " const f = parseFloat(getComputedStyle(s).fontSize); s.remove(); return w / f; })()"
    )
    assert 7.5 <= width <= 8.5


@pytest.mark.parametrize("via", ["file", "http sub-path"])
def test_an_article_with_gaps_dateline_and_byline_over_file_and_a_sub_path(
    tab: PageProbe, seed_site: Path, via: str
) -> None:
    page = tab.page
    page.set_default_timeout(5000)
    title = '<h1 id="t">惠济新兴产业园区按下'
    huiji = next(p for p in sorted((seed_site / "a").iterdir()) if title in p.read_text(encoding="utf-8"))
    with contextlib.ExitStack() as stack:
        base = seed_site.as_uri() + "/" if via == "file" else stack.enter_context(pages_server(seed_site))
        page.goto(base + "a/" + huiji.name)
        assert styled(page)
        gaps = page.locator("article > p .gap")
        assert gaps.count() == 3 and gaps.first.is_visible()
        assert gaps.first.get_attribute("aria-label") == "原版面上此段开头缺失"
        assert page.locator("article > p:not(.note)").first.inner_text().startswith("本报讯")
        page.locator(".byline a").first.click()
        assert page.url == base + "reporters/" + "%E6%9D%A8%E4%B8%BD%E8%90%8D.html"  # 杨丽萍
        assert "杨丽萍" in page.locator("main h1").inner_text()
        tab.assert_clean()


def test_a_link_to_an_earlier_printed_page_url_arrives_on_its_page(tab: PageProbe, pages_url: tuple[str, bool]) -> None:
    """Printed pages were `sources/<file name>-<digest>.html` before they had their own URLs:
    the 404 page sends such a link on to `pages/<digest>.html`, anchor and all."""
    base, _ = pages_url
    page = tab.page
    page.set_default_timeout(5000)
    seed = sorted((ROOT / "articles").glob("*.txt"))[0]
    old = urls.legacy_source_url(f"articles/{seed.name}")
    page.goto(base + old + "#top")
    page.wait_for_url(base + urls.source_url(f"articles/{seed.name}") + "#top")
    assert page.locator("ol.edition > li").count() >= 1
    page.goto(base + "sources/index.html")
    page.wait_for_url(base + urls.ISSUES)
