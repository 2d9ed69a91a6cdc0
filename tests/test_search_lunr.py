"""newsgen writes lunr's index format itself; these tests prove it changes nothing lunr does.

The same documents are indexed twice: by newsgen (compact shards, expanded per query in the
browser into a small serialised lunr index) and by lunr.py's own builder (the whole index,
serialised). Both are loaded with lunr.js 2.3.9 (``lunr.Index.load``) in Chromium and asked the
same query clauses: every document and every score must agree, and every field-vector weight
the browser recomputes must equal lunr.py's bit for bit.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, PageProbe
from newsgen import urls
from newsgen.index import manifest as index_manifest
from newsgen.index.chars import is_word_char, normalize
from newsgen.index.tokens import Segmenter, archive_names, body_text, title_text
from oracles import build_index, lunr_reference, write_files
from test_search_support import generate_articles, load_articles

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>lunr</title></head>
<body><script src="search/lunr.min.js"></script><script src="search/search.js"></script>
<script src="ref.js"></script></body></html>"""

COMPARE = """async (queries) => {
  await newsgen._rankAll('');  // loads the manifest and registers the pipeline function
  const ref = lunr.Index.load(window.REF);
  const out = [];
  for (const q of queries) {
    const mine = await newsgen._rankAll(q);
    if (!mine.clauses) { out.push({q, skipped: true}); continue; }
    const c = mine.clauses;
    const hits = ref.query(function (query) {
      c.required.forEach(t => query.term(t, {presence: lunr.Query.presence.REQUIRED, usePipeline: false}));
      c.prefixes.forEach(t => query.term(t, {presence: lunr.Query.presence.REQUIRED, usePipeline: false,
        wildcard: lunr.Query.wildcard.TRAILING}));
      c.optional.forEach(t => query.term(t, {usePipeline: false}));
    });
    out.push({q, terms: c.terms, mine: mine.ranked, facts: c.facts,
      ref: hits.map(h => ({n: Number(h.ref), score: h.score}))});
  }
  return out;
}"""


def queries_from(articles: list, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = ["ccd", "CCD为", "5G双碳", "桐柏路街道", "中原区 招商", "党建 引领 服务", "区", "的", "2024年"]
    texts = [title_text(a) + "\n" + body_text(a) for a in articles]
    while len(out) < count:
        text = rng.choice(texts)
        length = rng.choice([1, 2, 2, 3, 4, 5, 8])
        start = rng.randrange(max(1, len(text) - length))
        piece = text[start : start + length]
        if piece.strip() and not any(c.isspace() for c in piece) and is_word_char(normalize(piece[0])[:1] or " "):
            out.append(piece if rng.random() > 0.2 else piece + " " + rng.choice(["中原", "工作", "记者"]))
    return out


@pytest.fixture(scope="module")
def index_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[str]]:
    """Seeds plus 150 synthetic articles, indexed both ways, with a page that loads both."""
    tmp = tmp_path_factory.mktemp("lunr")
    synthetic = generate_articles(tmp / "articles", 150)
    articles = load_articles(ROOT / "articles") + load_articles(synthetic)
    segmenter = Segmenter(archive_names(articles))
    with pytest.MonkeyPatch.context() as patch:  # stop bigrams at this size too, so plans skip some
        patch.setattr(index_manifest, "STOP_MIN_DOCS", 1)
        built = build_index(articles, {a.id: urls.article_url(a) for a in articles}, segmenter=segmenter)
    assert built.manifest["stop"]
    site = tmp / "site"
    write_files(built, site)
    reference = lunr_reference(built, segmenter)
    (site / "ref.js").write_text("window.REF = " + json.dumps(reference, ensure_ascii=False) + ";\n", encoding="utf-8")
    (site / "page.html").write_text(PAGE, encoding="utf-8")
    (site / "texts.json").write_text(
        json.dumps({urls.article_url(a): normalize(title_text(a) + "\n" + body_text(a)) for a in articles}, ensure_ascii=False),
        encoding="utf-8",
    )
    return site, reference, queries_from(articles, 120, seed=11)


def test_lunr_py_index_uses_the_same_pipeline_and_format(index_pair: tuple[Path, dict, list[str]]) -> None:
    _, reference, _ = index_pair
    assert reference["version"] == "2.3.9"
    assert reference["fields"] == ["title", "body"]
    assert reference["pipeline"] == ["newsgen"]  # must be registered in lunr.js, or load throws


def test_same_documents_and_scores_as_lunr_py(tab: PageProbe, index_pair: tuple[Path, dict, list[str]]) -> None:
    site, reference, queries = index_pair
    tab.page.goto((site / "page.html").as_uri())
    results = tab.page.evaluate(COMPARE, queries)
    compared = 0
    for r in results:
        if r.get("skipped"):
            continue
        compared += 1
        if r["facts"]:
            # A district or year word (issue 24) also admits articles by that fact, and asks its
            # terms of none: lunr.py's answer is narrowed to the same articles, and those holding
            # no term of the query at all (lunr leaves them out) must score nothing.
            kept = {h["n"] for h in r["mine"]}
            r["ref"] = [h for h in r["ref"] if h["n"] in kept]
            held = {h["n"] for h in r["ref"]}
            r["mine"] = [h for h in r["mine"] if h["n"] in held or h["score"] != 0]
        mine = sorted((h["n"], h["score"]) for h in r["mine"])
        ref = sorted((h["n"], h["score"]) for h in r["ref"])
        assert [n for n, _ in mine] == [n for n, _ in ref], r["q"]
        for (n, a), (_, b) in zip(mine, ref):
            assert a == pytest.approx(b, rel=1e-12, abs=1e-12), (r["q"], n)
        # and in the same order (ties broken by document number on both sides)
        order = lambda hits: [h["n"] for h in sorted(hits, key=lambda h: (-round(h["score"], 9), h["n"]))]  # noqa: E731
        assert order(r["mine"]) == order(r["ref"]), r["q"]
    assert compared >= 100
    tab.assert_clean()


def test_weights_are_lunr_py_weights_bit_for_bit(tab: PageProbe, index_pair: tuple[Path, dict, list[str]]) -> None:
    site, reference, queries = index_pair
    vectors: dict[str, dict[int, float]] = {}
    for key, elements in reference["fieldVectors"]:
        vectors[key] = dict(zip(elements[::2], elements[1::2]))
    inverted = dict(reference["invertedIndex"])
    tab.page.goto((site / "page.html").as_uri())
    terms: list[str] = tab.page.evaluate(
        """async (queries) => { const all = new Set();
        for (const q of queries) { const r = await newsgen._rankAll(q); if (r.clauses) r.clauses.terms.forEach(t => all.add(t)); }
        return Array.from(all).sort(); }""",
        queries,
    )
    assert len(terms) > 200
    checked = 0
    for term in terms:
        mine: dict[str, Any] = tab.page.evaluate("t => newsgen._weights(t)", term)
        posting = inverted[term]
        for field in ("title", "body"):
            docs, weights = mine[field]
            assert sorted(posting[field], key=int) == [str(d) for d in docs], (term, field)
            for doc, weight in zip(docs, weights):
                assert weight == vectors[f"{field}/{doc}"][posting["_index"]], (term, field, doc)
                checked += 1
    assert checked > 5000
    tab.assert_clean()


def test_stop_bigrams_lose_no_match(tab: PageProbe, index_pair: tuple[Path, dict, list[str]]) -> None:
    """A run's stop bigrams are left out of its lookup when it has other bigrams: the answers
    are still exactly the articles whose text holds the query."""
    site, _, queries = index_pair
    texts: dict[str, str] = json.loads((site / "texts.json").read_text(encoding="utf-8"))
    manifest = json.loads((site / "search" / "manifest.js").read_text(encoding="utf-8").partition("(")[2].rstrip(");\n"))
    stop = set(manifest["stop"].split(" "))
    # (a district or year of the archive also finds articles by that fact: tests/test_search_query_facts.py)
    facts = set(manifest["districts"]) | {f"{y}{s}" for y in manifest["years"] for s in ("", "年")}
    runs = [normalize(q) for q in queries if " " not in q and len(q) >= 3 and normalize(q) not in facts]
    bigrams = {q: {q[i : i + 2] for i in range(len(q) - 1)} for q in runs}
    skipping = [q for q in runs if bigrams[q] & stop and bigrams[q] - stop]  # some skipped, some looked up
    assert len(skipping) >= 10, "the queries must exercise the stop rule"
    tab.page.goto((site / "page.html").as_uri())
    found = tab.page.evaluate(
        "async (qs) => { const out = {}; for (const q of qs) out[q] = (await newsgen.search(q, {limit: 100000})).map(r => r.url); return out; }",
        skipping,
    )
    for q in skipping:
        assert sorted(found[q]) == sorted(u for u, text in texts.items() if q in text), q
    tab.assert_clean()
