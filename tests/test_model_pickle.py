"""An article pickled (the page cache, the load workers' results) keeps its body packed
until it is read: the same article once read, whatever the blocks."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsgen.config import Config
from newsgen.extract import load_archive
from newsgen.model import Article, Block, Date

ROOT = Path(__file__).resolve().parents[1]

blocks = st.lists(
    # Any text: a NUL or a lone surrogate too (a NUL keeps the texts unjoined).
    st.builds(Block, st.sampled_from(["paragraph", "subhead", "brief"]), st.text(max_size=40), st.booleans()),
    max_size=8,
).map(tuple)


def _article(body: tuple[Block, ...]) -> Article:
    return Article("a1", "x.txt", (1, 9), 0, None, None, "标题", None, None, None, ("唐善普",), (), Date(2024, 7, 4),
                   "中原区", body, ())  # fmt: skip


@given(blocks)
def test_any_body_comes_back_as_it_was(body: tuple[Block, ...]) -> None:
    article = _article(body)
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        again = pickle.loads(pickle.dumps(article, protocol=protocol))
        assert "blocks" not in vars(again)  # packed until read
        assert again.block_texts() == tuple(b.text for b in body) == article.block_texts()
        assert again.block_bytes() == article.block_bytes()  # the search stage's digests
        assert "blocks" not in vars(again)
        assert again.blocks == body
        assert again == article and hash(again) == hash(article) and repr(again) == repr(article)
        assert pickle.loads(pickle.dumps(again)) == article  # read, then pickled again
    assert copy.deepcopy(article) == article


def test_seed_articles_come_back_as_they_were(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    articles = load_archive(Config(articles=("articles",)), jobs=1).articles
    assert len(articles) == 31
    again = pickle.loads(pickle.dumps(articles))
    assert [a.blocks for a in again] == [a.blocks for a in articles]
    assert list(again) == list(articles)


def test_bodies_with_and_without_nul_and_empty_texts() -> None:
    for body in [(), (Block("paragraph", ""),), (Block("paragraph", "a\0b"), Block("brief", "")),
                 (Block("subhead", "小标题", True), Block("paragraph", "\ud800"))]:  # fmt: skip
        again = pickle.loads(pickle.dumps(_article(body)))
        assert again.block_texts() == tuple(b.text for b in body)
        assert again.block_bytes() == _article(body).block_bytes()
        assert again.blocks == body


def test_a_missing_attribute_is_still_an_attribute_error() -> None:
    article = pickle.loads(pickle.dumps(_article((Block("paragraph", "正文"),))))
    assert not hasattr(article, "nothing")
    assert article.blocks[0].text == "正文"
