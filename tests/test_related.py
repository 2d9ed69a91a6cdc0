"""Related articles ranked with arrays (`newsgen.render.related`) equal the rule computed
the slow way (`oracles.related`): same articles, same order (score, then distance, then
reading position), on random archives, the seeds and a synthetic archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.config import Config
from newsgen.extract import load_archive
from newsgen.model import Article, Date
from newsgen.render import related as related_module
from newsgen.render.editions import build_editions, print_key
from newsgen.render.taxonomy import build_taxonomies, neighbours
from bench_modules import bench_module
from oracles.related import neighbours_by_brute_force as reference
from site_samples import SEEDS_FOLDER, article


def found(around: dict) -> dict[str, tuple[str | None, str | None, tuple[str, ...]]]:
    return {
        key: (n.previous and n.previous.id, n.next and n.next.id, tuple(a.id for a in n.related))
        for key, n in around.items()
    }


_NAMES = ["杨丽萍", "王伟", "张三", "李四", ""]
_ROW = st.tuples(
    st.integers(0, 3),  # year
    st.lists(st.sampled_from(_NAMES), max_size=3),  # reporters (a name twice, an empty one)
    st.lists(st.sampled_from(_NAMES), max_size=2),  # correspondents
    st.integers(0, 3),  # column
    st.integers(0, 3),  # district
)


def _archive(rows: list[tuple[int, list[str], list[str], int, int]]) -> list[Article]:
    return [
        article(f"id{i:03d}", date=Date(2020 + year, 1 + i % 12, 1), reporters=tuple(reporters),
                correspondents=tuple(correspondents), column=("要闻", "简讯", "评论", None)[column],
                district=("中原区", "上街区", "金水区", None)[district], source=f"articles/p{i % 7}.txt", order=i)
        for i, (year, reporters, correspondents, column, district) in enumerate(rows)
    ]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_ROW, max_size=60), st.integers(1, 5), st.integers(1, 8), st.integers(1, 9))
def test_arrays_rank_as_the_rule_says(rows: list, related: int, window: int, block: int) -> None:
    """Any archive, any window and number, blocks of any size (a block's edge cuts no window)."""
    items = _archive(rows)
    original = related_module.BLOCK
    related_module.BLOCK = block
    try:
        assert found(neighbours(items, related=related, window=window)) == reference(items, related=related, window=window)
    finally:
        related_module.BLOCK = original


def test_no_articles_and_no_keys() -> None:
    assert neighbours([]) == {}
    lone = [article(f"x{i}", district=None) for i in range(3)]
    assert found(neighbours(lone)) == reference(lone)
    assert all(not n.related for n in neighbours(lone).values())


def test_seeds_rank_as_the_rule_says() -> None:
    archive = load_archive(Config(articles=(str(SEEDS_FOLDER),)), jobs=1)
    editions = build_editions(archive.articles, {page.source: page for page in archive.pages})
    key = print_key(editions.where)
    items = build_taxonomies(archive.articles).newest
    assert found(neighbours(items, order_key=key)) == reference(items, order_key=key)
    assert any(n.related for n in neighbours(items).values())


@pytest.mark.parametrize("block", [7, 4096])
def test_a_synthetic_archive_ranks_as_the_rule_says(tmp_path: Path, block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "articles"
    bench_module("generate").generate_archive(2000, out, seed=11)
    archive = load_archive(Config(articles=(str(out),)), jobs=1)
    editions = build_editions(archive.articles, {page.source: page for page in archive.pages})
    key = print_key(editions.where)
    monkeypatch.setattr(related_module, "BLOCK", block)
    assert found(neighbours(archive.articles, order_key=key)) == reference(archive.articles, order_key=key)
