"""SearchIndex's fast paths give the files of the plain builder, byte for byte: in worker
processes or not, with a cold, warm, damaged or outdated term cache, whatever the input order
and hash seed; and the fast tokeniser and encoder agree with their plain definitions."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from newsgen import urls
from newsgen.index import SearchIndex, blockcut, listcodec, termblocks
from newsgen.index import manifest as index_manifest
from newsgen.index import postings as index_postings
from newsgen.index.chars import is_word_char, js_sort_key, normalize, normalize_char
from newsgen.index.codec import append_packed, encode_packed, header_width, list_length
from newsgen.index.documents import doc_order_key, pack_of, text_digest
from newsgen.index.files import pack_path
from newsgen.index.tokens import _RUN, Segmenter, archive_names, body_text, field_terms, title_text
from oracles import (
    build_index,
    encode_postings,
    field_terms_reference,
    pack,
    write_files,
    write_search_index,
    write_tree,
)
from test_search_support import FolderSite, generate_articles, load_articles, postings_from_gaps


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list:
    synthetic = generate_articles(tmp_path_factory.mktemp("speed") / "articles", 200)
    return load_articles(ROOT / "articles") + load_articles(synthetic)


SEED_SOURCES = {f"articles/{p.name}" for p in (ROOT / "articles").glob("*.txt")}


@pytest.fixture(scope="module")
def reference(articles: list, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of the plain builder (build_index + write_files)."""
    site = tmp_path_factory.mktemp("reference")
    write_files(build_index(articles, page_urls(articles)), site)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def tiny_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small archives take every parallel path, several blocks and several passes."""
    monkeypatch.setattr(termblocks, "PARALLEL_ARTICLES", 1)
    monkeypatch.setattr(index_postings, "PARALLEL_POSTINGS", 1)
    monkeypatch.setattr(termblocks, "BLOCK_SIZE", 40)
    monkeypatch.setattr(index_postings, "PASS_POSTINGS", 20_000)
    monkeypatch.setattr(blockcut, "CHUNK_CHARS", 4000)  # a block's text cut in several chunks
    monkeypatch.setattr(listcodec, "BATCH", 3000)  # a partition's lists encoded in several batches


def page_urls(articles: list) -> dict[str, str]:
    return {a.id: urls.article_url(a) for a in articles}


def files_of(articles: list, **kwargs: object) -> dict[str, bytes]:
    index = SearchIndex(articles, page_urls(articles), **kwargs)  # type: ignore[arg-type]
    out = dict(index.files())
    assert len(out) == len(list(index.files()))  # no path twice
    return out


def test_files_are_the_plain_builders(articles: list, reference: dict[str, bytes], tiny_thresholds: None) -> None:
    serial = SearchIndex(articles, page_urls(articles), jobs=1)
    assert dict(serial.files()) == reference
    assert [p for p, _ in serial.files()] == [p for p, _ in serial.files()]  # one order
    assert files_of(articles, jobs=2) == reference
    assert files_of(articles, jobs=3) == reference


def test_any_input_order(articles: list, reference: dict[str, bytes], tiny_thresholds: None) -> None:
    shuffled = articles[:]
    random.Random(5).shuffle(shuffled)
    assert files_of(shuffled, jobs=2) == reference


def test_stats_are_the_plain_builders(articles: list, tmp_path: Path) -> None:
    stats = write_files(build_index(articles, page_urls(articles)), tmp_path)
    assert write_search_index(articles, page_urls(articles), tmp_path / "fast") == stats
    index = SearchIndex(articles, page_urls(articles), jobs=2)
    assert index.stats == stats
    assert index.stats["bytes_index"] + index.stats["bytes_code"] == sum(len(d) for _, d in index.files())


def test_cache_cold_warm_and_grown(articles: list, reference: dict[str, bytes], tmp_path: Path, tiny_thresholds: None) -> None:
    cache = tmp_path / "cache"
    cold = SearchIndex(articles, page_urls(articles), jobs=2, cache_dir=cache)
    assert dict(cold.files()) == reference
    texts = {text_digest(a) for a in articles}
    assert cold.cut_articles == len(texts)
    warm = SearchIndex(articles, page_urls(articles), jobs=2, cache_dir=cache)
    assert warm.cut_articles == 0
    assert dict(warm.files()) == reference
    assert files_of(articles, jobs=1, cache_dir=cache) == reference

    # A few new texts (same names, so the same user dictionary): only they are cut.
    grown = articles + [
        replace(a, id=a.id + "-again", title=(a.title or "") + "续篇") for a in articles[-5:]
    ]
    expected_site = tmp_path / "expected"
    write_files(build_index(grown, page_urls(grown)), expected_site)
    expected = {p.relative_to(expected_site).as_posix(): p.read_bytes() for p in expected_site.rglob("*") if p.is_file()}
    again = SearchIndex(grown, page_urls(grown), jobs=2, cache_dir=cache)
    assert again.cut_articles == 5
    assert dict(again.files()) == expected


@pytest.mark.parametrize("stop", [False, True], ids=["no-stop-bigrams", "stop-bigrams"])
def test_an_archive_grown_at_its_end_is_extended(
    articles: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: bool
) -> None:
    """A page file added after the others: the last build's index is extended (only the new
    documents are cut, most files are kept) and the site's search/ is what a build from
    nothing gives, byte for byte, with the same figures."""
    if stop:
        monkeypatch.setattr(index_manifest, "STOP_MIN_DOCS", 1)
    # The synthetic pages: their last one brings no new name (the seeds' pages would).
    ordered = sorted((a for a in articles if a.source not in SEED_SOURCES), key=doc_order_key)
    before = [a for a in ordered if a.source != ordered[-1].source]
    assert archive_names(before) == archive_names(ordered)
    # Shards of a size that puts both indexes in 64 groups (a power of two, for any size from
    # 32 to 64 times the target); across a power of two every shard would move. The target
    # counts the entries' bytes, before the shard files deflate them.
    target = sum(SearchIndex(ordered, page_urls(ordered)).group_sizes) // 40
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_tree(SearchIndex(before, page_urls(before), cache_dir=cache, shard_target=target).files(), site)

    grown = SearchIndex(ordered, page_urls(ordered), cache_dir=cache, previous=FolderSite(site), shard_target=target)
    written = dict(grown.files())
    expected = SearchIndex(ordered, page_urls(ordered), shard_target=target)
    assert grown.groups == 64
    assert grown.cut_articles == len(ordered) - len(before)
    # Packs are keyed by document number: the last build's last pack (not full) and the new
    # ones are written, every pack before it is kept.
    first, last = pack_of(len(before)), pack_of(len(ordered) - 1)
    assert sorted(p for p in written if p.startswith("search/d/")) == sorted(map(pack_path, range(first, last + 1)))
    assert set(map(pack_path, range(first))) <= set(grown.kept)
    assert {**{p: (site / p).read_bytes() for p in grown.kept}, **written} == dict(expected.files())
    assert grown.stats == expected.stats
    write_tree(written.items(), site)

    # Edited before its end: built again from the cache (every text is in it), not extended.
    edited = [replace(a, title=a.title + "续") if a is ordered[0] else a for a in ordered]
    again = SearchIndex(edited, page_urls(edited), cache_dir=cache, previous=FolderSite(site), shard_target=target)
    assert again.kept == [] and again.cut_articles == 1
    assert dict(again.files()) == files_of(edited, shard_target=target)


def test_a_new_name_builds_the_index_again(articles: list, tmp_path: Path) -> None:
    """A page whose byline brings a name new to the archive changes the user dictionary, so
    every article may be cut differently: the index is built again, not extended."""
    ordered = sorted(articles, key=doc_order_key)
    before = [a for a in ordered if a.source != ordered[-1].source]
    assert archive_names(before) != archive_names(ordered)
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_tree(SearchIndex(before, page_urls(before), cache_dir=cache).files(), site)
    grown = SearchIndex(ordered, page_urls(ordered), cache_dir=cache, previous=FolderSite(site))
    assert grown.kept == [] and grown.cut_articles == len({text_digest(a) for a in ordered})
    assert dict(grown.files()) == files_of(ordered)


def test_terms_of_edited_or_removed_articles_leave_the_index(
    articles: list, tmp_path: Path, tiny_thresholds: None
) -> None:
    cache = tmp_path / "cache"
    files_of(articles, jobs=2, cache_dir=cache)
    # A word only the old text had (its cached counts stay in the cache) must not be listed.
    edited = [replace(a, title=(a.title or "") + "鸾凤和鸣") if i == 3 else a for i, a in enumerate(articles)]
    files_of(edited, jobs=2, cache_dir=cache)
    shrunk = articles[:-7]
    assert files_of(shrunk, jobs=2, cache_dir=cache) == files_of(shrunk, jobs=1)
    assert files_of(articles, jobs=2, cache_dir=cache) == files_of(articles, jobs=1)


def test_a_damaged_cache_is_ignored(articles: list, reference: dict[str, bytes], tmp_path: Path, tiny_thresholds: None) -> None:
    cache = tmp_path / "cache"
    SearchIndex(articles, page_urls(articles), jobs=2, cache_dir=cache)
    blocks = sorted(cache.rglob("*.blk"))
    assert len(blocks) > 2
    flipped = bytearray(blocks[0].read_bytes())
    flipped[len(flipped) // 2] ^= 0x40
    blocks[0].write_bytes(bytes(flipped))
    blocks[1].write_bytes(blocks[1].read_bytes()[:100])  # cut short
    blocks[2].write_bytes(b"")
    (blocks[0].parent / "names.freq").write_bytes(b"nonsense")
    (blocks[0].parent / "stray.blk").write_bytes(os.urandom(300))
    index = SearchIndex(articles, page_urls(articles), jobs=2, cache_dir=cache)
    assert 0 < index.cut_articles < len(articles)
    assert dict(index.files()) == reference
    assert SearchIndex(articles, page_urls(articles), jobs=2, cache_dir=cache).cut_articles == 0


def test_a_saved_state_comes_back_and_a_damaged_one_is_none(tmp_path: Path) -> None:
    cache = termblocks.TermCache(tmp_path, "v1-test")
    cache.save_state("a", {"n": 3, "keys": b"\x00\x01"})
    assert cache.load_state("a") == {"n": 3, "keys": b"\x00\x01", "format": termblocks.CACHE_FORMAT}
    state = cache.folder / "a.state"
    flipped = bytearray(state.read_bytes())
    flipped[-1] ^= 0x40
    state.write_bytes(bytes(flipped))
    assert cache.load_state("a") is None
    assert cache.load_state("missing") is None
    cache._save("b.state", {"n": 3, "format": termblocks.CACHE_FORMAT + 1})  # another format
    assert cache.load_state("b") is None


def test_new_names_void_the_cache(articles: list, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    SearchIndex(articles, page_urls(articles), cache_dir=cache)
    renamed = articles[:-1] + [replace(articles[-1], reporters=("欧阳新名",))]
    index = SearchIndex(renamed, page_urls(renamed), cache_dir=cache)
    assert index.cut_articles == len({text_digest(a) for a in renamed})
    assert len([p for p in (cache / "search").iterdir() if p.is_dir()]) == 1  # the old one went


def test_same_files_whatever_the_hash_seed_and_jobs(tmp_path: Path) -> None:
    script = (
        "import sys, hashlib; sys.path.insert(0, 'tests');"
        "from pathlib import Path; from newsgen import urls; from newsgen.index import SearchIndex, postings, termblocks;"
        "from test_search_support import load_articles;"
        "termblocks.PARALLEL_ARTICLES = postings.PARALLEL_POSTINGS = 1; termblocks.BLOCK_SIZE = 7;"
        "a = load_articles(Path('articles'));"
        "i = SearchIndex(a, {x.id: urls.article_url(x) for x in a}, jobs=int(sys.argv[1]), cache_dir=Path(sys.argv[2]));"
        "h = hashlib.sha256();"
        "[h.update(p.encode() + d) for p, d in i.files()];"
        "print(h.hexdigest())"
    )
    digests = set()
    for seed, jobs in (("1", "1"), ("2", "2"), ("3", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, jobs, str(tmp_path / "cache")],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1


# --- the fast tokeniser and encoder against their plain definitions ------------------------------


def test_word_class_is_letters_and_numbers() -> None:
    """``[^\\W_]`` (what the fast tokeniser uses) is exactly Unicode's L* and N* here."""
    odd = [c for c in range(0x110000) if bool(_RUN.fullmatch(chr(c))) != is_word_char(chr(c))]
    assert odd == []


def test_fast_normalize_is_per_code_point() -> None:
    text = "".join(chr(c) for c in range(0x20, 0x3000)) + "ＣＣＤ２０２４年Ａbc，“桐柏路”\U00020000"
    assert normalize(text) == "".join(map(normalize_char, text))


def test_fast_field_terms_on_real_text(articles: list) -> None:
    segmenter = Segmenter(archive_names(articles))
    for a in articles:
        for text in (title_text(a), body_text(a)):
            assert field_terms(text, segmenter) == field_terms_reference(text, segmenter), a.id


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="中原区桐柏路街道党建ab1_ ,。“”\n·Ａ𠮷", max_size=50))
def test_fast_field_terms_on_any_text(text: str) -> None:
    segmenter = _plain()
    assert field_terms(text, segmenter) == field_terms_reference(text, segmenter)


_SEGMENTER: list[Segmenter] = []


def _plain() -> Segmenter:
    if not _SEGMENTER:
        _SEGMENTER.append(Segmenter())
    return _SEGMENTER[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(1, 70_000)), min_size=0, max_size=400))
def test_fast_encoding(raw: list[tuple[int, int]]) -> None:
    postings = postings_from_gaps(raw)
    width = header_width(postings[-1][0] + 1 if postings else 1)
    assert encode_packed([pack(d, tf) for d, tf in postings], width) == encode_postings(postings, width)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 9)), min_size=0, max_size=600),
    st.integers(0, 600),
)
def test_an_extended_list_is_the_list_encoded_whole(raw: list[tuple[int, int]], cut: int) -> None:
    """Adding postings to a list's text (decoding only its last block) gives what encoding
    the whole list gives, and the list knows its length."""
    keys = [pack(d, tf) for d, tf in postings_from_gaps(raw)]
    width = header_width(200_000)
    whole = encode_packed(keys, width)
    assert append_packed(encode_packed(keys[:cut], width), keys[cut:], width) == whole
    assert list_length(whole, width) == len(keys)


def test_block_round_trip(articles: list) -> None:
    segmenter = Segmenter(archive_names(articles))
    counts = [(field_terms(title_text(a), segmenter), field_terms(body_text(a), segmenter)) for a in articles[:20]]
    digests = [hashlib.blake2b(a.id.encode(), digest_size=16).digest() for a in articles[:20]]
    fields = [text(a) for a in articles[:20] for text in (title_text, body_text)]
    block = termblocks.Block.count(digests, fields, segmenter.cut)
    back = termblocks.Block.loads(block.dumps())
    assert back.digests == digests and back.vocab == block.vocab
    for (ti, tt, bi, bt), (title, body) in zip(back.recs, counts):
        assert {back.vocab[i]: tf for i, tf in zip(ti, tt)} == title
        assert {back.vocab[i]: tf for i, tf in zip(bi, bt)} == body
    merged = termblocks.Block.merge([(back, 3), (block, 1)])
    assert merged.digests == [digests[3], digests[1]]
    assert {merged.vocab[i]: tf for i, tf in zip(merged.recs[0][2], merged.recs[0][3])} == counts[3][1]


def test_stop_bigrams_are_the_plain_builders(articles: list, tmp_path: Path, tiny_thresholds: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """With stop bigrams on at this size: the manifest lists exactly the bigrams in a quarter
    of the documents' fields or more (lunr's count), and the fast path lists the same."""
    monkeypatch.setattr(index_manifest, "STOP_MIN_DOCS", 1)
    built = build_index(articles, page_urls(articles))
    n = len(built.docs)
    expected = sorted(
        (t for t, (b, ti) in built.postings.items() if len(t) == 2 and 4 * (len(b) + len(ti)) >= n),
        key=js_sort_key,
    )
    assert expected and built.manifest["stop"] == " ".join(expected)
    write_files(built, tmp_path)
    reference = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert files_of(articles, jobs=2) == reference
