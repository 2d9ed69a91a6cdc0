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
from newsgen.index.tokens import body_text, title_text
from test_search_support import ask_search_page, build_site, generate_articles, load_articles, open_search_api

pytestmark = pytest.mark.browser

RECORD = json.loads((ROOT / "tests" / "oracles" / "search_results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("archive", ["seeds", "1000"])
def test_same_queries_same_results_as_before_packs(browser: object, tmp_path: Path, archive: str) -> None:
    source = ROOT / "articles" if archive == "seeds" else generate_articles(tmp_path / "n1000", 1000)
    site = tmp_path / "site"
    build_site(source, site)
    key = keys_by_url(load_articles(source))
    rows = RECORD["archives"][archive]
    got = ask_search_page(browser, site.as_uri() + "/", ASK, [[q, o] for q, o, _ in rows])
    differ = [(q, o) for (q, o, want), urls in zip(rows, got) if [key[u] for u in urls] != want]
    assert differ == []
    assert sum(1 for _, _, want in rows if want) > len(rows) // 2  # most queries find something


PARTS = """async (qs) => { const out = [];
  for (const q of qs) {
    const part = (await newsgen.search(q, {limit: 20})).map(r => r.url);
    const files = newsgen.last.timing.files, total = newsgen.last.docs.length - newsgen.last.rejected;
    const whole = (await newsgen.search(q, {limit: 20, _whole: true})).map(r => r.url);
    out.push([part, whole, files, newsgen.last.timing.files, total, newsgen.last.docs.length - newsgen.last.rejected]);
  }
  return out; }"""


def test_a_long_query_answered_from_part_of_its_plan_answers_as_the_whole(browser: object, tmp_path: Path) -> None:
    """Headlines and long pieces of text, asked of a 1,000-article archive: those that the first
    shards of their plan already narrow to a few candidates, of which one article (or none)
    holds the query, give the articles, in the order, and the count the whole plan gives, from
    fewer shards (most of them)."""
    source = generate_articles(tmp_path / "n1000", 1000)
    site = tmp_path / "site"
    build_site(source, site)
    articles = load_articles(source)
    queries = [a.title for a in articles[::25] if a.title]
    queries += [title_text(a)[2:14] + " " + body_text(a)[:12] for a in articles[5::50]]
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        open_search_api(page, (site / "search.html").as_uri())
        got = page.evaluate(PARTS, queries)
    finally:
        page.close()
    assert [q for q, (part, whole, *_rest) in zip(queries, got) if part != whole] == []
    assert [q for q, row in zip(queries, got) if row[4] != row[5]] == []  # the count said
    assert sum(1 for row in got if row[2] < row[3]) >= len(queries) // 2  # fewer shards, mostly
