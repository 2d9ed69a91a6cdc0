"""The tail of the index (newsgen.index.tail): the newest documents' postings, apart from the
shards. The shards and the tail together hold every posting the index holds without a tail;
an archive that grows page by page, across spans, gets the files a build from nothing
gives; and the browser answers every query as it did before the tail."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT, root_url
from newsgen import urls
from newsgen.config import load_config
from newsgen.index import SearchIndex
from newsgen.index import tail as index_tail
from newsgen.index.documents import doc_order_key
from newsgen.index.files import shard_text
from newsgen.pipeline import build
from oracles import decode_shard, write_tree
from oracles.record_results import ASK, keys_by_url
from test_search_support import FolderSite, ask_search_page, generate_articles, load_articles

SPAN = 16


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list:
    synthetic = generate_articles(tmp_path_factory.mktemp("tail") / "articles", 150)
    return sorted(load_articles(synthetic), key=doc_order_key)


def page_urls(articles: list) -> dict[str, str]:
    return {a.id: urls.article_url(a) for a in articles}


def postings(files: dict[str, bytes]) -> dict[str, tuple[list, list]]:
    """term → (body, title) postings of the shards, then the tail files, of an index's files."""
    manifest = json.loads(files["search/manifest.js"].decode()[len("newsgenSearch.m(") : -3])
    width, tail = manifest["width"], manifest.get("tail")
    out: dict[str, tuple[list, list]] = {}
    names = sorted(p for p in files if p.startswith("search/s/"))
    for path in sorted(names, key=lambda p: p.startswith("search/s/t")):  # the shards first
        first = tail["from"] if path.startswith("search/s/t") else 0
        for term, (body, title) in decode_shard(shard_text(files[path]), width, first).items():
            have = out.setdefault(term, ([], []))
            have[0].extend(body)
            have[1].extend(title)
    return out


def test_the_tail_starts_at_a_multiple_of_the_span_once_there_are_two() -> None:
    span = index_tail.TAIL_SPAN
    assert [index_tail.tail_start(n) for n in (0, 1, 2 * span - 1)] == [0, 1, 2 * span - 1]
    assert [index_tail.tail_start(n) for n in (2 * span, 2 * span + 1, 3 * span - 1, 3 * span)] == [
        2 * span, 2 * span, 2 * span, 3 * span]  # fmt: skip


def test_the_shards_and_the_tail_hold_every_posting(articles: list, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = dict(SearchIndex(articles, page_urls(articles)).files())
    monkeypatch.setattr(index_tail, "TAIL_SPAN", SPAN)
    parted = dict(SearchIndex(articles, page_urls(articles)).files())
    tails = [p for p in parted if p.startswith("search/s/t")]
    assert tails and not any(p.startswith("search/s/t") for p in whole)
    assert postings(parted) == postings(whole)
    assert {p: d for p, d in parted.items() if p.startswith("search/d/")} == {
        p: d for p, d in whole.items() if p.startswith("search/d/")}  # fmt: skip


def test_an_archive_grown_page_by_page_gets_the_files_of_a_clean_build(
    articles: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page file after page file, across spans: each build extends the last one's index and
    writes what a build from nothing writes; within a span it writes no shard."""
    monkeypatch.setattr(index_tail, "TAIL_SPAN", SPAN)
    sources = list(dict.fromkeys(a.source for a in articles))
    site, cache = tmp_path / "site", tmp_path / "cache"
    start = [a for a in articles if a.source in sources[:4]]
    write_tree(SearchIndex(start, page_urls(start), cache_dir=cache).files(), site)
    crossed = within = 0
    for count in range(5, len(sources) + 1):
        now = [a for a in articles if a.source in sources[:count]]
        before = index_tail.tail_start(len(now) - sum(a.source == sources[count - 1] for a in now))
        grown = SearchIndex(now, page_urls(now), cache_dir=cache, previous=FolderSite(site))
        written = dict(grown.files())
        clean = dict(SearchIndex(now, page_urls(now)).files())
        on_disk = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
        assert {**{p: on_disk[p] for p in grown.kept}, **written} == clean, f"page file {count}"
        # Built again, not extended, when the user dictionary, the block headers' width or the
        # shards' layout changes (a new name, 64 or 4,096 documents, a doubled index).
        shards = [p for p in written if p.startswith("search/s/") and not p.startswith("search/s/t")]
        if grown.kept and index_tail.tail_start(len(now)) == before:
            assert shards == [], f"page file {count}: shards written within a span"
            within += 1
        elif grown.kept:
            crossed += 1
        for path in on_disk.keys() - clean.keys():
            (site / path).unlink()
        write_tree(written.items(), site)
    assert crossed >= 1 and within >= 3, (crossed, within)



@pytest.mark.browser
@pytest.mark.parametrize(("archive", "via"), [("seeds", "file"), ("seeds", "http"), ("1000", "http")])
def test_a_site_with_a_tail_answers_every_query_as_before(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, archive: str, via: str
) -> None:
    """The recorded queries of tests/test_search_same_results.py, asked of a site whose index
    has a tail (a span of 4 documents for the seeds, 64 for 1,000 articles), over file:// and
    over http under a sub-path."""
    monkeypatch.setattr(index_tail, "TAIL_SPAN", 4 if archive == "seeds" else 64)
    source = ROOT / "articles" if archive == "seeds" else generate_articles(tmp_path / "n1000", 1000)
    site = tmp_path / "site"
    # As tests/test_search_same_results.py builds it (`newsgen build --articles …` in the
    # repository: its newsgen.yaml), but in this process, where the span is patched.
    config = replace(load_config(ROOT / "newsgen.yaml"), articles=(str(source),))
    build(config, output=site, cwd=ROOT, cache_dir=tmp_path / "cache")
    manifest = (site / "search" / "manifest.js").read_text(encoding="utf-8")
    assert '"tail":' in manifest
    key = keys_by_url(load_articles(source))
    rows = json.loads((ROOT / "tests" / "oracles" / "search_results.json").read_text(encoding="utf-8"))["archives"][archive]
    for root in root_url(site, via):
        got = ask_search_page(browser, root, ASK, [[q, o] for q, o, _ in rows])
    assert [(q, o) for (q, o, want), found in zip(rows, got) if [key[u] for u in found] != want] == []
