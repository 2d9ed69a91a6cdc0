"""Ranking and text rules on a small hand-made archive (search stage alone, stand-in page)."""

from __future__ import annotations

from pathlib import Path

import pytest

import site_samples
from conftest import PageProbe, root_url
from newsgen.model import Article, Block, Date
from test_search_support import build_with_stub, open_search_api

pytestmark = pytest.mark.browser


def article(ident: str, title: str, *paragraphs: str, district: str | None = None, year: int | None = None) -> Article:
    return site_samples.article(
        ident,
        title,
        source="made.txt",
        date=Date(year=year, month=3 if year else None, day=9 if year else None),
        district=district,
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
    )


ARTICLES = [
    article("in-title", "量子通信实现突破", "本报讯 项目集中签约。", district="中原区", year=2024),
    article("in-body", "项目集中签约", "签约项目涵盖量子通信等领域。", district="金水区", year=2024),
    article("scattered", "产业园区", "量子信息技术与移动通信产业。", district="中原区", year=2023),
    article("astral", "𠮷野家开业", "ＡＢＣ公司与ＤＥＦ合作,5G基站", district="二七区", year=2023),
    article("again", "通信简讯", "量子通信量子通信量子通信,量子通信。", district="二七区", year=2022),
] + [article(f"filler-{i}", f"其他新闻{i}", f"第{i}条消息:产业发展。") for i in range(40)]


@pytest.fixture(scope="module")
def made_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("made") / "site"
    build_with_stub(ARTICLES, out)
    return out


@pytest.fixture(scope="module", params=["file", "http"])
def base(request: pytest.FixtureRequest, made_site: Path):  # type: ignore[no-untyped-def]
    yield from root_url(made_site, request.param)


def ask(tab: PageProbe, base: str, *queries: str, **opts: object) -> list[list[str]]:
    page = tab.page
    if not page.url.startswith(base):
        open_search_api(page, base + "search.html")
    return page.evaluate(
        """async ([qs, opts]) => { const out = [];
        for (const q of qs) out.push((await newsgen.search(q, opts)).map(r => r.url.replace(/^a\\/|\\.html$/g, '')));
        return out; }""",
        [list(queries), {"limit": 50, **opts}],
    )


def test_title_above_body_and_exact_run_above_scattered(tab: PageProbe, base: str) -> None:
    together, spaced = ask(tab, base, "量子通信", "量子 通信")
    assert together[0] == "in-title"
    assert set(together) == {"in-title", "in-body", "again"}  # the scattered one does not contain it
    # with a space both words must occur, anywhere; written together ranks first
    assert set(spaced) == {"in-title", "in-body", "again", "scattered"}
    assert spaced[-1] == "scattered"
    tab.assert_clean()


def test_astral_characters_full_width_letters_and_filters(tab: PageProbe, base: str) -> None:
    a, b, c, d = ask(tab, base, "𠮷野", "abc公司", "ＡＢＣ", "5g基站")
    assert a == b == c == d == ["astral"]
    assert ask(tab, base, "量子", district="中原区") == [["in-title", "scattered"]]
    assert ask(tab, base, "量子", year=2024) == [["in-title", "in-body"]]
    assert ask(tab, base, "量子", year=1999) == [[]]
    assert ask(tab, base, "量子", district="不存在区") == [[]]
    tab.assert_clean()


def test_single_characters_and_punctuation(tab: PageProbe, base: str) -> None:
    one, mark, punct, only = ask(tab, base, "吉", "𠮷", "签约。", "。")
    assert one == []  # 吉 is not 𠮷
    assert mark == ["astral"]
    assert set(punct) == {"in-title"}  # "签约。" as written: the other 签约 is followed by 项
    assert only == []  # nothing to look for
    tab.assert_clean()


def test_term_frequency_counts(tab: PageProbe, base: str) -> None:
    (hits,) = ask(tab, base, "量子通信")
    assert hits.index("again") < hits.index("in-body")  # four times beats once, both in the body
    tab.assert_clean()
