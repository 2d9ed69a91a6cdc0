"""Headline groups on real seed pages: colon kickers, a long 引题 over a short 主题, a lead that
lost its headline, and the doubtful calls `newsgen check` names."""

from __future__ import annotations

import re
from pathlib import Path

from loader_helpers import counted, exported_characters, page_from_text

SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[1] / "articles").glob("*.txt")}


def test_a_kicker_ending_with_a_colon(tmp_path: Path) -> None:
    text = SEEDS["002"].replace("百岁老人", "上街区：")
    page = page_from_text(tmp_path, text)
    article = page.articles[8]
    assert (article.kicker, article.title) == ("上街区：", "情系园林20载 年年种下一抹绿")
    assert exported_characters(page) == counted(text)


def test_a_colon_line_over_body_text_stays_text(tmp_path: Path) -> None:
    text = SEEDS["004"].replace("会议要求,区政府班子", "会议要求：\n\n区政府班子")
    page = page_from_text(tmp_path, text)
    assert [a.title[:6] for a in page.articles] == ["中原区政府2", "区领导调研党", "中原区召开区", "中原区委宣传", "中原区三个社"]
    assert not any(b.type == "subhead" for a in page.articles for b in a.blocks)


def test_a_long_kicker_reporting_who_spoke_over_a_short_title(tmp_path: Path) -> None:
    for kicker in ("市委常委、金水区委书记张三在签约仪式上强调", "区委书记在项目集中签约活动上要求", "区长李四表示"):
        text = SEEDS["002"].replace("金水区新签约一批项目大单\n\n五十个项目投资逾三百亿元", f"{kicker}\n\n金水区新签约一批项目大单")
        article = page_from_text(tmp_path, text).articles[1]
        assert (article.kicker, article.title, article.subtitle) == (kicker, "金水区新签约一批项目大单", None)


def test_title_and_subtitle_stay_so(tmp_path: Path) -> None:
    page = page_from_text(tmp_path, SEEDS["001"])
    assert [(a.kicker, a.subtitle is not None) for a in page.articles] == [(None, True), (None, True)]


def test_a_lead_after_a_signed_story_starts_a_story_with_no_headline(tmp_path: Path) -> None:
    text = SEEDS["004"].replace("## 区领导调研党建引领网格化基层治理工作 增强街道城运中心统筹能力 切实解决群众急难愁盼问题\n", "")
    page = page_from_text(tmp_path, text)
    original = page_from_text(tmp_path, SEEDS["004"], "a.txt")
    first, lost = page.articles[:2]
    assert first.blocks == original.articles[0].blocks and first.byline == original.articles[0].byline
    assert (lost.title, lost.flags[:1], lost.byline) == ("", ("no-headline",), "记者 鲁燕 通讯员 付铭扬")
    assert lost.blocks == original.articles[1].blocks
    assert any(d.code == "no-headline" and d.line == lost.lines[0] for d in page.diagnostics)
    assert exported_characters(page) == counted(text)


def test_a_lead_after_a_finished_story_signed_in_its_lead(tmp_path: Path) -> None:
    text = SEEDS["002"].replace("干部沉下去 村居靓起来\n", "")
    page = page_from_text(tmp_path, text)
    original = page_from_text(tmp_path, SEEDS["002"], "a.txt")
    assert len(page.articles) == len(original.articles)
    lost = page.articles[6]
    assert (lost.title, "no-headline" in lost.flags, lost.reporters) == ("", True, ("卢文军",))
    assert page.articles[5].blocks == original.articles[5].blocks


def test_check_names_a_weak_headline_call(tmp_path: Path) -> None:
    text = SEEDS["002"].replace("金水区新签约一批项目大单\n\n五十个项目投资逾三百亿元", "金水区新签约一批项目大单 五十个项目投资逾三百亿元\n\n签约仪式举行")
    page = page_from_text(tmp_path, text)
    line = text.split("\n").index("金水区新签约一批项目大单 五十个项目投资逾三百亿元") + 1
    weak = [d for d in page.diagnostics if d.code == "weak-headline-group"]
    assert [d.line for d in weak] == [line]
    assert "引题" in str(weak[0]) and f"page.txt:{line}" in str(weak[0])
    clean = page_from_text(tmp_path, SEEDS["002"], "a.txt")
    assert not any(d.code == "weak-headline-group" for d in clean.diagnostics)


def _bare(text: str) -> str:
    return re.sub(r"(?m)^#{1,6} ", "", text)


def test_unmarked_subheads_with_a_comma(tmp_path: Path) -> None:
    marked = page_from_text(tmp_path, SEEDS["000"], "a.txt")
    bare = page_from_text(tmp_path, _bare(SEEDS["000"]), "b.txt")
    for before, after in zip(marked.articles[1:], bare.articles[1:]):
        assert [b.text for b in after.blocks if b.type == "subhead"] == [
            b.text for b in before.blocks if b.type == "subhead"
        ]
    assert [b.text for b in bare.articles[0].blocks] == [b.text for b in marked.articles[0].blocks]


def test_a_short_first_piece_of_a_broken_sentence_is_not_a_subhead(tmp_path: Path) -> None:
    text = "金水区新签约一批项目大单\n\n本报讯(记者 党贺喜)3月9日上午,金水区举行签约活动。\n\n近年来,中原区始终把\n\n业发展作为第一要务。\n\n记者 党贺喜\n"
    page = page_from_text(tmp_path, text)
    assert not any(b.type == "subhead" for b in page.articles[0].blocks)


def test_unmarked_unit_subheads(tmp_path: Path) -> None:
    bare = page_from_text(tmp_path, _bare(SEEDS["003"]))
    assembly = bare.articles[9]
    assert (assembly.title, assembly.subtitle) == ("全区各单位学习贯彻区委十一届六次全会精神", None)
    assert [b.text for b in assembly.blocks if b.type == "subhead"] == [
        "工业路街道", "矿山街道", "区先进制造业开发区管委会", "郑州通航试验区管委会",
    ]  # fmt: skip


def test_a_long_one_line_headline_after_a_closing_byline(tmp_path: Path) -> None:
    """Past 48 characters a line reads as a headline only by where it stands: after a story's
    closing byline, over the next story's first paragraph (here with no 本报讯)."""
    long_title = "弘扬雷锋精神 争当时代新人 济源路街道在体育场小游园开展学雷锋文明实践我行动主题活动 街道各社区上百名志愿者参加"
    assert len(long_title) > 48
    text = _bare(SEEDS["003"]).replace("弘扬雷锋精神 争当时代新人", long_title)
    page = page_from_text(tmp_path, text)
    original = page_from_text(tmp_path, SEEDS["003"], "a.txt")
    expected = [long_title if a.title == "弘扬雷锋精神 争当时代新人" else a.title for a in original.articles]
    assert [a.title for a in page.articles] == expected
    assert [a.byline for a in page.articles] == [a.byline for a in original.articles]


def test_an_unmarked_column_over_several_stories(tmp_path: Path) -> None:
    """`党旗在基层一线高高飘扬` stands over the stories below it. Without its `#` mark it reads
    like a 主题 over a 副题; the line under it is a whole headline group of its own (far
    longer, in phrases) and the stories after it have bare headlines, so it is the column."""
    marked = page_from_text(tmp_path, SEEDS["000"], "a.txt")
    bare = page_from_text(tmp_path, _bare(SEEDS["000"]))
    assert [a.column for a in marked.articles].count("党旗在基层一线高高飘扬") >= 2
    assert [(a.column, a.kicker, a.title, a.subtitle) for a in bare.articles] == [
        (a.column, a.kicker, a.title, a.subtitle) for a in marked.articles
    ]


def test_a_lead_storys_subtitle_is_not_taken_for_a_column(tmp_path: Path) -> None:
    """The same two lines, 主题 over 副题, over stories with bare headlines: the 副题 is no
    whole headline group, so the 主题 stays the lead story's own."""
    bare = page_from_text(tmp_path, _bare(SEEDS["002"]))
    lead = next(a for a in bare.articles if a.title == "金水区新签约一批项目大单")
    assert (lead.column, lead.subtitle) == (None, "五十个项目投资逾三百亿元")
