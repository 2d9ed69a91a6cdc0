"""Terms counted a block at a time (newsgen.index.blockcut) against ``field_terms`` (itself
checked against the plain oracle in test_search_speed_paths.py): the same terms and counts
for every field, on the seed pages, a synthetic archive and any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from newsgen.index import blockcut
from newsgen.index.chars import normalize, normalize_all
from newsgen.index.tokens import Segmenter, archive_names, body_text, field_terms, title_text
from test_search_support import generate_articles, load_articles


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list:
    synthetic = generate_articles(tmp_path_factory.mktemp("blockcut") / "articles", 150)
    return load_articles(ROOT / "articles") + load_articles(synthetic)


_SEGMENTER: list[Segmenter] = []


def _plain() -> Segmenter:
    if not _SEGMENTER:
        _SEGMENTER.append(Segmenter())
    return _SEGMENTER[0]


def counted_as_dicts(fields: list[str], segmenter: Segmenter) -> list[dict[str, int]]:
    vocab, counted = blockcut.count_fields([normalize(f) for f in fields], segmenter.cut)
    assert len(vocab) == len(set(vocab))
    out = []
    for ids, tfs, word_ids, word_counts in counted:
        numbers = ids.tolist() + word_ids
        assert len(set(numbers)) == len(numbers)  # a term once a field
        out.append({vocab[i]: tf for i, tf in zip(numbers, tfs.tolist() + word_counts)})
    return out


@pytest.mark.parametrize("chunk", [1, 5000, 1 << 18], ids=["field-by-field", "chunks", "one-chunk"])
def test_real_text(articles: list, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(blockcut, "CHUNK_CHARS", chunk)
    segmenter = Segmenter(archive_names(articles))
    fields = [text(a) for a in articles for text in (title_text, body_text)]
    assert counted_as_dicts(fields, segmenter) == [dict(field_terms(f, segmenter)) for f in fields]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="中原区桐柏路街道党建ab1_ ,。“”\n\t·Ａ𠮷\x00-", max_size=40), max_size=6))
def test_any_text(fields: list[str]) -> None:
    segmenter = _plain()
    assert counted_as_dicts(fields, segmenter) == [dict(field_terms(f, segmenter)) for f in fields]


def test_records_are_blocks_records(articles: list) -> None:
    """The arrays a block keeps: one per field and kind, in the smallest type that holds them."""
    segmenter = Segmenter(archive_names(articles))
    fields = [normalize(text(a)) for a in articles[:30] for text in (title_text, body_text)]
    vocab, counted = blockcut.count_fields(fields, segmenter.cut)
    recs = blockcut.records(len(vocab), counted)
    assert len(recs) == 30
    for (ti, tt, bi, bt), title, body in zip(recs, fields[::2], fields[1::2]):
        assert ti.typecode == bi.typecode == "H"
        assert {vocab[i]: tf for i, tf in zip(ti, tt)} == dict(field_terms(title, segmenter))
        assert {vocab[i]: tf for i, tf in zip(bi, bt)} == dict(field_terms(body, segmenter))
    assert blockcut.count_fields([], segmenter.cut) == ([], [])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="中原区ab AＡｂ１㎡ﬁ𠮷\ud800\n·，。ÅÅ", max_size=30), max_size=6))
def test_normalize_all_is_normalize(texts: list[str]) -> None:
    """Through the table (and ``normalize`` for a text with a character outside it, or one
    that becomes several: ㎡, ﬁ, 𠮷)."""
    assert normalize_all(texts) == [normalize(t) for t in texts]


def test_normalize_all_on_real_text(articles: list) -> None:
    texts = [text(a) for a in articles for text in (title_text, body_text)]
    assert normalize_all(texts) == [normalize(t) for t in texts]
