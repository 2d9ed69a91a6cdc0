"""The search index builder (newsgen.index) without a browser: terms, encoding, shards,
determinism, sizes, the user dictionary and the segmenter backends."""

from __future__ import annotations

import functools
import os
import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from newsgen import urls
from newsgen.errors import NewsgenError
from newsgen.index import SearchIndex, lunr_stamp
from newsgen.index import files as index_files
from newsgen.index.chars import GAP, fnv1a, normalize, run_spans, runs
from newsgen.index.codec import header_width
from newsgen.index.documents import PACK_SIZE
from newsgen.index.manifest import subshard_code, subshard_list
from newsgen.index.manifest import QUERY_SHARD_CAP
from newsgen.index.shards import SHARD_TARGET, shard_of
from newsgen.index.tokens import (
    Segmenter,
    archive_names,
    body_text,
    dictionary_frequencies,
    field_terms,
    name_frequencies,
    title_text,
)
from oracles import build_index, decode_postings, decode_shard, encode_postings, gap_terms, write_search_index
from test_search_support import generate_articles, load_articles, postings_from_gaps
from trees import digest_tree

SEEDS = ROOT / "articles"


@pytest.fixture(scope="module")
def seed_articles() -> list:
    return load_articles(SEEDS)


@pytest.fixture(scope="module")
def segmenter(seed_articles: list) -> Segmenter:
    return Segmenter(archive_names(seed_articles))


@pytest.fixture(scope="module")
def synthetic_articles(tmp_path_factory: pytest.TempPathFactory) -> list:
    return load_articles(generate_articles(tmp_path_factory.mktemp("synthetic") / "articles", 300))


@functools.lru_cache(maxsize=1)
def plain_segmenter() -> Segmenter:
    return Segmenter()


def page_urls(articles: list) -> dict[str, str]:
    return {a.id: urls.article_url(a) for a in articles}


# --- text rules --------------------------------------------------------------------------


def test_normalisation_folds_width_and_case() -> None:
    assert normalize("ＣＣＤ２０２４年Ａbc") == "ccd2024年abc"
    assert normalize("中原区，“桐柏路”") == "中原区,“桐柏路”"


def test_runs_and_gaps() -> None:
    text = normalize("郑州中央文化区(CCD)为引领,5G双碳 智慧岛")
    assert runs(text) == ["郑州中央文化区", "ccd", "为引领", "5g双碳", "智慧岛"]
    # one mark between two runs gives X·Y; a space gives nothing
    assert gap_terms(text, run_spans(text)) == ["区" + GAP + "c", "d" + GAP + "为", "领" + GAP + "5"]
    assert gap_terms("里”,一", run_spans("里”,一")) == []  # two marks
    assert gap_terms("里,一", run_spans("里,一")) == ["里" + GAP + "一"]


def test_field_terms() -> None:
    seg = Segmenter(["桐柏路街道"])
    terms = field_terms("桐柏路街道坚持党建引领。区", seg)
    for bigram in ("桐柏", "柏路", "路街", "街道", "道坚", "党建", "引领"):
        assert terms[bigram] >= 1
    assert terms["桐柏路街道"] == 1  # the user dictionary keeps the name whole
    assert terms["领"] == 1  # it ends a run and begins no bigram here
    assert terms["区"] == 1  # a run of one character
    assert terms["领" + GAP + "区"] == 1
    assert "。" not in "".join(terms)  # punctuation is dropped


def test_last_character_of_a_run_only_when_it_begins_no_bigram() -> None:
    seg = plain_segmenter()
    terms = field_terms("领先。引领", seg)
    assert "领" not in terms  # 领 begins 领先
    assert field_terms("引领。", seg)["领"] == 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="中原区桐柏路街道党建ab1 ,。“”", min_size=1, max_size=40), st.data())
def test_every_substring_is_findable(text: str, data: st.DataObject) -> None:
    """Any run of two or more characters of a text has all its bigrams among the text's terms,
    and every character of the text begins some term (what the browser's lookups rely on)."""
    seg = plain_segmenter()
    terms = field_terms(text, seg)
    norm = normalize(text)
    for run in runs(norm):
        if len(run) >= 2:
            i = data.draw(st.integers(0, len(run) - 2))
            j = data.draw(st.integers(i + 2, len(run)))
            piece = run[i:j]
            assert all(terms[piece[k : k + 2]] for k in range(len(piece) - 1))
        for ch in run:
            assert any(t.startswith(ch) for t in terms)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 5)), min_size=0, max_size=400))
def test_postings_round_trip(raw: list[tuple[int, int]]) -> None:
    postings = postings_from_gaps(raw)
    assert decode_postings(encode_postings(postings, 2), 2) == postings


def test_postings_round_trip_large_numbers() -> None:
    rng = random.Random(7)
    width = header_width(200_000)
    for _ in range(200):
        docs = sorted(rng.sample(range(200_000), rng.randint(1, 700)))
        postings = [(d, rng.choice([1, 1, 1, 2, 3, 9, 1000])) for d in docs]
        assert decode_postings(encode_postings(postings, width), width) == postings


def test_hash_is_fnv1a_over_utf16_units() -> None:
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C  # the published FNV-1a test vector
    assert fnv1a("\U00020000") != fnv1a("\u4e00")  # astral characters hash both surrogates


# --- the built index -----------------------------------------------------------------------


def test_every_term_of_every_article_is_in_its_shard(seed_articles: list, segmenter: Segmenter) -> None:
    built = build_index(seed_articles, page_urls(seed_articles), segmenter=segmenter)
    shards = {sid: decode_shard(text, built.manifest["width"]) for sid, text in built.shards.items()}
    for sid, terms in shards.items():
        for term in terms:
            assert built.shard_of(term) == sid
    for doc in built.docs:
        for slot, terms in ((1, doc.title), (0, doc.body)):
            for term, tf in terms.items():
                assert (doc.number, tf) in shards[built.shard_of(term)][term][slot]


def test_documents_are_numbered_in_archive_order(seed_articles: list) -> None:
    """Page file, then place on the page: a page file added after the others only adds numbers."""
    built = build_index(seed_articles, page_urls(seed_articles))
    assert [(d.article.source, d.article.order) for d in built.docs] == sorted(
        (a.source, a.order) for a in seed_articles
    )
    m = built.manifest
    known = [a.date.year for a in seed_articles if a.date.year]
    assert m["n"] == len(seed_articles) and m["cap"] == QUERY_SHARD_CAP
    assert m["years"] == sorted({y for y in known}, reverse=True)
    assert m["districts"] == sorted({a.district for a in seed_articles if a.district})


def test_filter_table_gives_every_document_its_year_and_district(seed_articles: list) -> None:
    built = build_index(seed_articles, page_urls(seed_articles))
    m = built.manifest

    def expand(runs: list[int]) -> list[int]:
        return [value for value, count in zip(runs[::2], runs[1::2]) for _ in range(count)]

    years, districts = expand(built.filters["years"]), expand(built.filters["districts"])
    assert len(years) == len(districts) == len(built.docs)
    for d, y, r in zip(built.docs, years, districts):
        assert (m["years"][y] if y >= 0 else None) == d.article.date.year
        assert (m["districts"][r] if r >= 0 else None) == d.article.district


def test_user_dictionary_keeps_names_whole(seed_articles: list, segmenter: Segmenter) -> None:
    names = archive_names(seed_articles)
    assert {"唐善普", "桐柏路街道", "中原区"} <= set(names)
    article = next(a for a in seed_articles if "桐柏路街道" in body_text(a) + title_text(a))
    terms = field_terms(title_text(article) + "\n" + body_text(article), segmenter)
    assert terms["桐柏路街道"] >= 1
    tang = next(a for a in seed_articles if "唐善普" in body_text(a))
    assert field_terms(body_text(tang), segmenter)["唐善普"] >= 1


def test_rjieba_cuts_as_jieba_does(seed_articles: list, synthetic_articles: list) -> None:
    pytest.importorskip("rjieba")
    articles = seed_articles + synthetic_articles
    names = archive_names(articles)
    py, rs = Segmenter(names, backend="jieba"), Segmenter(names, backend="rjieba")
    for a in articles:
        for text in (title_text(a), body_text(a)):
            norm = normalize(text)
            assert py.cut(norm) == rs.cut(norm), a.id


def test_name_frequencies_without_python_jieba_are_jiebas(seed_articles: list, synthetic_articles: list) -> None:
    """The Rust backend's user dictionary gets the frequencies Python jieba's suggest_freq
    gives, read from dict.txt (every name of the archives and of the gazetteer)."""
    rjieba = pytest.importorskip("rjieba")
    names = archive_names(seed_articles + synthetic_articles)
    names += ["不在词典里的名字", "郑州", "中", "ABC街道"]  # a word, one character, a Latin run
    default = rjieba.Jieba()
    assert dictionary_frequencies(names, lambda n: default.cut(n, False)) == name_frequencies(names)
    assert Segmenter(names, backend="rjieba").freqs == name_frequencies(names)



def test_output_is_byte_identical_whatever_the_order(tmp_path: Path, seed_articles: list) -> None:
    shuffled = seed_articles[:]
    random.Random(3).shuffle(shuffled)
    a = write_search_index(seed_articles, page_urls(seed_articles), tmp_path / "a")
    b = write_search_index(shuffled, page_urls(shuffled), tmp_path / "b")
    assert a == b
    assert digest_tree(tmp_path / "a") == digest_tree(tmp_path / "b")


def test_output_is_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, 'tests');"
        "from test_search_support import build_with_stub, load_articles; from pathlib import Path;"
        "build_with_stub(load_articles(Path('articles')), Path(sys.argv[1]))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], cwd=ROOT, env=env, check=True)
    assert digest_tree(tmp_path / "1" / "search") == digest_tree(tmp_path / "2" / "search")


def test_write_reports_sizes_and_writes_every_shard(tmp_path: Path, seed_articles: list) -> None:
    stats = write_search_index(seed_articles, page_urls(seed_articles), tmp_path)
    search = tmp_path / "search"
    assert stats["articles"] == len(seed_articles)
    assert len(list((search / "s").glob("*.js"))) == stats["shards"]
    assert len(list((search / "d").glob("*.js"))) == -(-len(seed_articles) // PACK_SIZE)
    assert (search / "lunr.min.js").read_bytes() == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()
    assert (search / "search.js").is_file() and (search / "manifest.js").is_file()
    assert stats["bytes_index"] == sum(
        p.stat().st_size for p in search.rglob("*.js") if p.name not in ("lunr.min.js", "search.js", "mark.js")
    )
    pack = (search / "d" / "0.js").read_bytes()
    assert pack.startswith(b"\xff\xfe")  # UTF-16 with its byte-order mark
    assert pack.decode("utf-16").startswith("newsgenSearch.z(0,")


def test_missing_lunr_is_a_clear_error(seed_articles: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_files, "LUNR", Path("node_modules/no-such-package/lunr.min.js"))
    with pytest.raises(NewsgenError, match="npm ci"):
        lunr_stamp()
    with pytest.raises(NewsgenError, match="npm ci"):
        dict(SearchIndex(seed_articles, page_urls(seed_articles)).files())


def test_missing_url_and_duplicate_ids_are_errors(seed_articles: list) -> None:
    with pytest.raises(NewsgenError, match="no page URL"):
        SearchIndex(seed_articles, {})
    twins = [seed_articles[0], replace(seed_articles[1], id=seed_articles[0].id)]
    with pytest.raises(NewsgenError, match="share the id"):
        SearchIndex(twins, page_urls(twins))


def test_shards_stay_small(synthetic_articles: list) -> None:
    built = build_index(synthetic_articles, page_urls(synthetic_articles))
    sizes = Counter({sid: len(text.encode()) for sid, text in built.shards.items()})
    # a shard is one term group cut to about SHARD_TARGET bytes (by the hash of a term's first
    # two characters, so not evenly); only a single huge term may exceed that much
    assert max(sizes.values()) < 2 * SHARD_TARGET
    assert shard_of("中原", built.groups, built.subshards) == built.shard_of("中原区")


def test_the_manifest_counts_each_groups_shards_in_one_digit() -> None:
    assert subshard_code([1, 2, 10, 63]) == "12A_"
    assert subshard_code([1, 64]) == [1, 64]  # a count past one digit: the list as it is
    for counts in ([1, 2, 10, 63], [1, 64], []):
        assert subshard_list(subshard_code(counts)) == counts
