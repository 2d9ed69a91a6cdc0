"""A reader loses nothing when the search files change shape: on the seed pages and on a
1,000-article synthetic archive, the same queries (substrings of one to eight characters,
two words, titles, with and without a district or year filter) give the same articles in
the same order as the search before documents were packed (tests/oracles/search_results.json,
recorded from that revision by tests/oracles/record_results.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from oracles.record_results import ASK, keys_by_url
from test_search_support import build_site, generate_articles, load_articles

pytestmark = pytest.mark.browser

RECORD = json.loads((ROOT / "tests" / "oracles" / "search_results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("archive", ["seeds", "1000"])
def test_same_queries_same_results_as_before_packs(browser: object, tmp_path: Path, archive: str) -> None:
    source = ROOT / "articles" if archive == "seeds" else generate_articles(tmp_path / "n1000", 1000)
    site = tmp_path / "site"
    build_site(source, site)
    key = keys_by_url(load_articles(source))
    rows = RECORD["archives"][archive]
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto((site / "search.html").as_uri())
        page.wait_for_function("() => window.newsgen && window.newsgen.search")
        got = page.evaluate(ASK, [[q, o] for q, o, _ in rows])
    finally:
        page.close()
    differ = [(q, o) for (q, o, want), urls in zip(rows, got) if [key[u] for u in urls] != want]
    assert differ == []
    assert sum(1 for _, _, want in rows if want) > len(rows) // 2  # most queries find something
