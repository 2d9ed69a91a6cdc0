"""Helpers for the search tests and bench/search_bench.py: a site with the search page and index.

`build_site(source_dir, dest)` runs the real `newsgen build` when the build command works, and
otherwise renders templates/search.html through a stand-in of base.html (same blocks, same
header search box) next to the index, so the search stage can be tested alone.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from newsgen import urls
from newsgen.model import Article

ROOT = Path(__file__).resolve().parents[1]

STUB_BASE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{{ page_title }} · {{ site.title }}</title>
{% block head %}{% endblock %}</head>
<body><header><form class="search-form" role="search" action="{{ search|url }}" method="get">
<label for="site-search">搜索文章</label><input id="site-search" type="search" name="q">
<button type="submit">搜索</button></form></header>
<main id="main">{% block content %}{% endblock %}</main>
{% block scripts %}{% endblock %}
</body></html>
"""


class _Link:
    def __init__(self, label: str, path: str, count: int):
        self.label, self.path, self.count = label, path, count


class _Site:
    title = "测试档案"
    description = "测试"
    url = None


def render_stub_search_page(articles: Sequence[Article], dest: Path) -> None:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.DictLoader({"base.html": STUB_BASE}), jinja2.FileSystemLoader(str(ROOT / "templates"))]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["url"] = lambda path: urls.link(urls.SEARCH, path) if hasattr(urls, "link") else path
    districts = sorted({a.district for a in articles if a.district})
    years = sorted({a.date.year for a in articles if a.date.year}, reverse=True)
    html = env.get_template("search.html").render(
        site=_Site(),
        page_title="搜索",
        search=urls.SEARCH,
        root="",
        districts=[_Link(d, "", 0) for d in districts],
        years=[_Link(f"{y}年", "", 0) for y in years],
    )
    (dest / urls.SEARCH).write_text(html, encoding="utf-8")


class FolderSite:
    """A site folder as the last build left it (the search stage's ``PreviousOutput``)."""

    def __init__(self, root: Path):
        self.root = root

    def has(self, path: str) -> bool:
        return (self.root / path).is_file()

    def read(self, path: str) -> bytes | None:
        return (self.root / path).read_bytes() if self.has(path) else None


def ask_search_page(browser: Any, root: str, script: str, arg: Any) -> Any:
    """Open the search page of the site at `root` (its URL, ending in "/") and evaluate
    `script` (an async function of `arg`) in it."""
    page = browser.new_page()
    try:
        open_search_api(page, root + "search.html")
        return page.evaluate(script, arg)
    finally:
        page.close()


def open_search_api(page: Any, url: str) -> None:
    """Open a built site's search page at `url` and wait until its API (`newsgen.search`)
    can be called."""
    page.goto(url)
    page.wait_for_function("() => window.newsgen && window.newsgen.search")


def build_with_stub(articles: Sequence[Article], dest: Path) -> dict:
    from oracles import write_search_index

    dest.mkdir(parents=True, exist_ok=True)
    page_urls = {a.id: urls.article_url(a) for a in articles}
    stats = write_search_index(articles, page_urls, dest)
    render_stub_search_page(articles, dest)
    return stats


def newsgen_build(source: Path, dest: Path) -> bool:
    """`newsgen build` into dest; False when the build command is not available yet."""
    cmd = [sys.executable, "-m", "newsgen", "build", "--articles", str(source), "--output", str(dest)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode == 0 and (dest / "search.html").is_file():
        return True
    if "not implemented" in done.stderr or "not implemented" in done.stdout:
        return False
    raise RuntimeError(f"newsgen build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def generate_articles(out: Path, count: int) -> Path:
    """`count` synthetic articles from bench/generate.py written as page files into `out`."""
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--articles", str(count), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def postings_from_gaps(raw: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(document, tf) postings in ascending order from (gap minus one, tf) pairs, as drawn by
    the encoding property tests."""
    postings, doc = [], -1
    for gap, tf in raw:
        doc += gap + 1
        postings.append((doc, tf))
    return postings


def load_articles(source: Path) -> list[Article]:
    from newsgen.extract import load_archive
    from newsgen.config import Config

    return list(load_archive(Config(articles=(str(source),)), strict=False).articles)


def build_site(source: Path, dest: Path) -> str:
    """Build a site with search from page files; returns how ("newsgen build" or "stub")."""
    if newsgen_build(source, dest):
        return "newsgen build"
    build_with_stub(load_articles(source), dest)
    return "stub"
