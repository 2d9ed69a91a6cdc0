"""What a reader sees on the sample site (issue 24's "Fixes"): the note on a paragraph that
lost its beginning, the 简讯 column, datelines and credits, the order of names and districts,
later home pages, list lines, the command line's words. Built from the real seed pages."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from newsgen.cli import main
from newsgen.config import load_config
from newsgen.extract import load_archive
from newsgen.lexicon import CANONICAL, _zhengzhou_divisions
from newsgen.model import Article, Block
from newsgen.pipeline import build
from newsgen.render.markup import GAP_LABEL, render_blocks
from newsgen.render.taxonomy import district_key
from newsgen.render.text import byline_parts, credits, name_key, pinyin_key
from site_samples import article


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return list(load_archive(load_config(), jobs=1).articles)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reader") / "site"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        build(load_config(), output=out, cwd=ROOT, search=False)
    finally:
        os.chdir(cwd)
    return out


def by_title(articles: list[Article], start: str) -> Article:
    return next(a for a in articles if a.title.startswith(start))


def page_of(site: Path, a: Article) -> str:
    return (site / "a" / f"{a.id}.html").read_text(encoding="utf-8")


# ---- a paragraph that lost its beginning ----------------------------------------------


def test_the_paragraphs_that_lost_their_beginning_are_marked_not_the_lead(seed_articles: list[Article]) -> None:
    """Both articles open with a whole 本报讯 lead; what the page lost is the head of later
    paragraphs: in 惠济 three start with a word's tail (业…, 进…, 继…), in 金水 one closes a
    quotation whose opening mark is not on the page (…更吸引人。”)."""
    huiji = by_title(seed_articles, "惠济新兴产业园区")
    jinshui = by_title(seed_articles, "金水区新签约")
    assert [b.text[:3] for b in huiji.blocks if b.lost_head] == ["业重点", "进产业", "继挂牌"]
    assert [b.text[:5] for b in jinshui.blocks if b.lost_head] == ["在与金水区"]
    for a in (huiji, jinshui):
        assert a.dateline == "本报讯" and not a.blocks[0].lost_head
        assert "starts-mid-sentence" in a.flags
    assert all(not b.lost_head for a in seed_articles if "starts-mid-sentence" not in a.flags for b in a.blocks)


def test_the_note_names_a_paragraph_and_the_gap_is_marked_in_the_text(site: Path, seed_articles: list[Article]) -> None:
    html = page_of(site, by_title(seed_articles, "惠济新兴产业园区"))
    assert "开头已缺失" not in html and "本文开头" not in html
    assert '<p class="note">原版面上有段落的开头缺失' in html
    cut = re.findall(r'<p class="cut"><span class="gap" role="img" aria-label="([^"]+)"[^>]*>…</span>(.)', html)
    assert cut == [(GAP_LABEL, "业"), (GAP_LABEL, "进"), (GAP_LABEL, "继")]


# ---- 简讯, dateline, byline ------------------------------------------------------------


def test_briefs_show_one_bullet_and_one_heading(site: Path, seed_articles: list[Article]) -> None:
    briefs = next(a for a in seed_articles if a.column == "简讯" and not a.title)
    html = page_of(site, briefs)
    start = html.index('<article aria-labelledby="t">')
    header = html[start : html.index("</header>", start)]
    assert header.count("简讯") == 1
    items = re.findall(r"<li[^>]*>.*?</li>", html[html.index('<ul class="briefs">') :].split("</ul>")[0])
    assert len(items) == 3
    for item in items:
        assert item.startswith('<li class="pb"><span class="bullet" aria-hidden="true">●</span>')
        assert item.count("●") == 1


def test_the_dateline_opens_the_lead_and_the_byline_keeps_its_credit(site: Path, seed_articles: list[Article]) -> None:
    a = next(a for a in seed_articles if a.byline and a.byline.endswith("文/图") and a.dateline)
    html = page_of(site, a)
    body = html[html.index("</header>", html.index("<article")) :]
    assert re.search(r'</header>\s*<p><span class="dateline">本报讯</span>', body)
    byline = re.search(r'<p class="byline">(.*?)</p>', html)
    assert byline is not None
    text = re.sub(r"<[^>]+>", "", byline.group(1))
    assert text == a.byline and text.startswith("记者 ") and "通讯员" in text  # as printed, roles and all
    assert byline.group(1).count("<a ") == len(a.reporters) + len(a.correspondents)


def test_byline_parts_link_names_and_keep_every_credit() -> None:
    a = dataclasses.replace(
        article("c1", reporters=("唐善普",), correspondents=("徐青青",)),
        byline="记者 唐善普 实习生 李小明 通讯员 徐青青 文/图",
        interns=("李小明",),
    )
    parts = byline_parts(a)
    assert "".join(text for text, _ in parts) == a.byline
    assert [name for _, name in parts if name] == ["唐善普", "徐青青"]
    photo = dataclasses.replace(a, byline="本报记者 唐善普 摄", correspondents=())
    assert byline_parts(photo) == [("本报记者 ", None), ("唐善普", "唐善普"), (" 摄", None)]


def test_render_blocks_puts_the_dateline_on_the_first_paragraph_only() -> None:
    html = render_blocks((Block("subhead", "小标题"), Block("paragraph", "甲。"), Block("paragraph", "乙。")), "本报讯")
    assert html.count("dateline") == 1 and '<p><span class="dateline">本报讯</span>甲。</p>' in html


# ---- order ------------------------------------------------------------------------------


def test_canonical_lists_the_districts_by_their_administrative_codes() -> None:
    coded = {d.name: d.code for d in _zhengzhou_divisions() if d.level == 3}
    ranked = [name for name in CANONICAL if name in coded]
    assert ranked == sorted(ranked, key=coded.__getitem__)
    assert CANONICAL[: len(ranked)] == tuple(ranked)  # the functional zones, without a code, after


def test_districts_and_people_are_listed_in_a_readers_order(site: Path) -> None:
    districts = (site / "districts" / "index.html").read_text(encoding="utf-8").split('<ul class="term-list">')[1]
    shown = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', districts)
    assert shown == sorted(shown, key=district_key)
    assert shown.index("中原区") < shown.index("金水区") < shown.index("上街区") < shown.index("郑东新区")
    people = (site / "reporters" / "index.html").read_text(encoding="utf-8").split('<ul class="term-list">')[1]
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a><span class="role">(记者|通讯员|记者、通讯员)</span>', people)
    assert len(names) == people.split("</ul>")[0].count("<li>") and len(names) > 40
    assert [n for n, _ in names] == sorted((n for n, _ in names), key=name_key)
    assert dict(names)["唐善普"] == "记者" and dict(names)["徐青青"] == "通讯员"
    # by sound, not by code point: 程 (cheng) before 党 (dang) before 郭 (guo)
    order = [n for n, _ in names]
    assert order.index("程艺涵") < order.index("党贺喜") < order.index("郭涛")


def test_surnames_read_as_surnames_and_only_in_names() -> None:
    assert sorted(["张三", "曾五", "单六", "丁七"], key=name_key) == ["丁七", "单六", "曾五", "张三"]
    assert sorted(["单位动态", "曾经沧海", "党建"], key=pinyin_key) == ["曾经沧海", "单位动态", "党建"]


@given(st.lists(st.text(alphabet="王李张刘陈杨曾单吕鲁欧阳建设国明a", min_size=1, max_size=4), unique=True))
def test_the_name_order_is_total_and_ignores_arrival_order(names: list[str]) -> None:
    for key in (name_key, pinyin_key):
        once = sorted(names, key=key)
        assert sorted(reversed(names), key=key) == once
        assert len({key(n) for n in names}) == len(names)


def test_roles_say_what_a_person_is_credited_as() -> None:
    both = [article("r1", "一", reporters=("甲",)), article("r2", "二", correspondents=("甲",))]
    assert credits(both)("甲") == "记者、通讯员" and credits(both[1:])("甲") == "通讯员"


# ---- lists --------------------------------------------------------------------------------


def test_later_home_pages_look_like_the_first(site: Path) -> None:
    first = (site / "index.html").read_text(encoding="utf-8")
    second = (site / "page" / "2.html").read_text(encoding="utf-8")
    for html in (first, second):
        assert 'class="home-sections"' in html and '<p class="te">' in html
    assert 'class="home paged"' not in second


def test_a_district_list_does_not_repeat_its_own_district(site: Path) -> None:
    html = (site / "districts" / "中原区.html").read_text(encoding="utf-8")
    assert "<span>中原区</span>" not in html
    dates = (site / "dates" / "index.html").read_text(encoding="utf-8")
    month = next((site / "dates").glob("20*-*.html")).read_text(encoding="utf-8")
    assert "<span>" in month or dates  # other lists keep the district


def test_column_and_kicker_are_told_apart(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8") + (site / "page" / "2.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="col"><span class="vh">栏目：</span>[^<]+</span>', html)
    assert re.search(r'<span class="kk"><span class="vh">引题：</span>[^<]+</span>', html)
    css = (ROOT / "src" / "newsgen" / "assets" / "site.css").read_text(encoding="utf-8")
    assert ".tk .col {" in css and ".tk .kk {" in css


def test_the_stylesheet_names_the_common_cjk_fonts() -> None:
    css = (ROOT / "src" / "newsgen" / "assets" / "site.css").read_text(encoding="utf-8")
    sans = re.search(r"--sans:([^;]+);", css).group(1)  # type: ignore[union-attr]
    serif = re.search(r"--serif:([^;]+);", css).group(1)  # type: ignore[union-attr]
    for name in ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"):
        assert f'"{name}"' in sans and f'"{name}"' in serif  # headings fall back to a CJK sans
    for name in ("Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun"):
        assert f'"{name}"' in serif


# ---- the command line ------------------------------------------------------------------


def test_newsgen_alone_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: newsgen") and "build" in out and "serve" in out and err == ""


def test_one_article_is_not_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "p.txt").write_text("# 中原区召开会议\n\n本报讯（记者 杨丽萍）7月4日，中原区召开会议。\n", encoding="utf-8")
    assert main(["build", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "built 1 article into site/" in out and " 1 articles" not in out
    assert main(["check"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("1 file, 1 article, ")


@given(st.lists(st.sampled_from(["记者 ", "通讯员", " ", "文/图", "王伟", "王伟伟", "李娜", "摄"]), max_size=12))
def test_byline_parts_cut_any_byline_into_its_names_and_the_rest(pieces: list[str]) -> None:
    """Nothing of the byline is lost or repeated, and each linked part is a name, the longest
    one that starts there (王伟伟 before 王伟)."""
    byline = "".join(pieces)
    a = dataclasses.replace(article("x"), byline=byline or None, reporters=("王伟", "王伟伟"), correspondents=("李娜",))
    parts = byline_parts(a)
    assert "".join(text for text, _ in parts) == byline
    assert all(name is None or text == name for text, name in parts)
    assert [name for _, name in parts if name] == [m for m in re.findall("王伟伟|王伟|李娜", byline)]
