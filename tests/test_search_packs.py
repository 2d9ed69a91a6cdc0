"""The documents' packs (search/d/<k>.js): what each holds, how it is written, and that packing
is a stable function of the document number (an archive grown at its end changes only its
last pack)."""

from __future__ import annotations

import json
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from newsgen import urls
from newsgen.index.documents import PACK_SIZE, date_code, number_documents, record, short_url
from newsgen.index import files as index_files
from newsgen.index.files import TEXT15, pack_file, pack_files, text15, untext15
from newsgen.index.tokens import block_text, body_text, label_text, title_text
from newsgen.model import Date
from test_search_support import load_articles


def seed_docs() -> list:
    articles = load_articles(ROOT / "articles")
    return number_documents(articles, {a.id: urls.article_url(a) for a in articles})


def read_pack(data: bytes) -> tuple[int, list]:
    """A pack file's first document number and records, read as the browser reads them."""
    text = data.decode("utf-16")
    assert text.startswith("newsgenSearch.z(") and text.endswith(");\n")
    first, size, body = json.loads("[" + text[len("newsgenSearch.z(") : -3] + "]")
    return first, json.loads(zlib.decompress(untext15(body, size)).decode("utf-16-le"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_text15_round_trips_in_safe_characters(data: bytes) -> None:
    text = text15(data)
    assert untext15(text, len(data)) == data
    assert all(TEXT15 <= ord(c) <= TEXT15 + 0x7FFF for c in text)  # below the surrogates
    assert len(text) == -(-len(data) * 8 // 15)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_text15_is_the_bit_string_cut_in_fifteens(data: bytes) -> None:
    """The fast text15 writes what cutting the bits one unit at a time writes."""
    bits = len(data) * 8
    pad = -bits % 15
    digits = format(int.from_bytes(data, "big") << pad, "b").zfill(bits + pad)
    assert text15(data) == "".join(chr(TEXT15 + int(digits[i : i + 15], 2)) for i in range(0, bits + pad, 15))


def test_a_shard_file_holds_its_entries_deflated() -> None:
    text = "中原 " + "A" * 40 + "|中原区 B,C"
    data = index_files.shard_file("3-1", text).data
    assert data.startswith(b"\xff\xfe") and data.decode("utf-16").startswith('newsgenSearch.s("3-1",')
    assert index_files.shard_text(data) == text
    assert index_files.shard_text(index_files.shard_file("0-0", "").data) == ""


def test_a_pack_holds_its_documents_records() -> None:
    docs = seed_docs()
    data = pack_file(docs[:PACK_SIZE])
    assert data.startswith(b"\xff\xfe")
    first, records = read_pack(data)
    assert first == 0 and records == [record(d) for d in docs[:PACK_SIZE]]
    for d, rec in zip(docs, records):
        a = d.article
        assert urls.article_url(a) == f"a/{rec[0]}.html" and short_url(d.url) == rec[0]
        assert rec[1] == a.display_title
        labels, text = (rec + [""] * 8)[3], (rec + [""] * 8)[2]
        # labels + text is the body a match is verified in; the text alone gives snippets
        assert "\n".join(v for v in (labels, text) if v) == body_text(a)
        assert text == block_text(a) and labels == label_text(a)
        # the headline, when it is not the display title (a 简讯 column has none at all)
        assert (rec[7] if len(rec) == 8 else rec[1]) == title_text(a)
    assert any(len(rec) == 8 and rec[7] == "" for rec in records)


def test_dates_keep_only_what_is_known() -> None:
    assert date_code(Date(2024, 7, 4)) == "2024-7-4"
    assert date_code(Date(None, 7, 4)) == "-7-4"
    assert date_code(Date(2024)) == "2024--"
    assert date_code(Date()) == ""


def test_packing_is_a_stable_function_of_the_document_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents added at the end leave every full pack as it was; a changed document changes
    only its own pack."""
    small = 8
    monkeypatch.setattr(index_files, "PACK_SIZE", small)
    docs = seed_docs()
    many = [d._replace(number=i) for i, d in enumerate(docs * 5)][: 4 * small + 3]
    before = list(pack_files(many[: 2 * small + 5]))
    after = list(pack_files(many))
    assert after[:2] == before[:2] and after[2] != before[2] and len(after) == 5
    edited = list(many)
    edited[small + 1] = edited[small + 1]._replace(url="a/x.html")
    again = list(pack_files(edited))
    assert [i for i, (x, y) in enumerate(zip(after, again)) if x != y] == [1]
    with pytest.raises(ValueError, match="does not begin a pack"):
        list(pack_files(many[3:]))
