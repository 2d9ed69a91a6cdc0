"""The seed pages laid out as a PDF's text layer: hard-wrapped at a column width, paragraphs
marked only by an indent, headline and byline lines standing alone, no blank lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loader_helpers import counted, exported_characters, page_from_text
from newsgen.extract.layout import column_width, display_width, logical_lines
from newsgen.extract.lines import headline_like
from newsgen.model import Page

SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[1] / "articles").glob("*.txt")}
_MARKS = re.compile(r"^#{1,6}[ \u3000]*")
_BYLINE = re.compile(r"^[(（]?(?:本报)?(?:记者|通讯员)[ \u3000]")


def wrap(text: str, width: int, indent: str) -> list[str]:
    """As a PDF's text layer wraps: at the column's edge, mid-word or before a `，`."""
    lines, line, used = [], indent, sum(0.5 if ord(c) < 0x2000 else 1.0 for c in indent)
    for c in text:
        w = 0.5 if ord(c) < 0x2000 else 1.0
        if used + w > width and line.strip() and c != " ":
            lines.append(line)
            line, used = "", 0.0
        line += c
        used += w
    return lines + [line]


def headings_of(page: Page) -> set[str]:
    found = {x for a in page.articles for x in (a.column, a.kicker, a.title, a.subtitle) if x}
    return found | {b.text for a in page.articles for b in a.blocks if b.type == "subhead"}


def as_pdf(text: str, headings: set[str], width: int, indent: str, blank_around_headlines: bool = False) -> str:
    out: list[str] = []
    for raw in text.split("\n"):
        stripped = raw.strip(" \u3000")
        bare = _MARKS.sub("", stripped)
        if not stripped:
            continue
        if stripped.startswith("#") or bare in headings:
            out += ["", bare, ""] if blank_around_headlines else [bare]
        elif _BYLINE.match(stripped):
            out.append(stripped)
        else:
            out += wrap(stripped, width, indent)
    return "\n".join(out) + "\n"


def reading(page: Page) -> list[tuple[object, ...]]:
    return [
        (a.title, a.byline, a.reporters, a.correspondents, (a.date.month, a.date.day), a.district,
         [b.text for b in a.blocks if b.type != "subhead"])
        for a in page.articles
    ]  # fmt: skip


@pytest.mark.parametrize("indent", ["\u3000\u3000", "    ", "  ", ""], ids=["ideographic", "four", "two", "none"])
@pytest.mark.parametrize("width", [10, 13, 17, 20, 26])
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_as_pdf_reads_as_the_seed(tmp_path: Path, key: str, width: int, indent: str) -> None:
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    pdf = as_pdf(SEEDS[key], headings_of(original), width, indent)
    page = page_from_text(tmp_path, pdf, "b.txt")
    assert exported_characters(page) == counted(pdf)
    if key in ("000", "003"):  # `#` levels told column and subheads apart; the text layer has none
        assert [a.byline for a in page.articles] == [a.byline for a in original.articles]
    elif indent == "":
        # Without indents, a paragraph whose last line fills the column runs into the next.
        assert [row[:-1] for row in reading(page)] == [row[:-1] for row in reading(original)]
    else:  # no marks to lose: the same reading, field for field
        assert reading(page) == reading(original)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_blank_lines_around_headlines(tmp_path: Path, key: str) -> None:
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    pdf = as_pdf(SEEDS[key], headings_of(original), 16, "\u3000\u3000", blank_around_headlines=True)
    page = page_from_text(tmp_path, pdf, "b.txt")
    assert [a.byline for a in page.articles] == [a.byline for a in original.articles]
    assert exported_characters(page) == counted(pdf)


def test_wrapped_lines_join_without_spaces_and_closing_punctuation_stays() -> None:
    lines = ["　　本报讯 7月4日上午,中原区举", "行二季度招商引资项目集中签约", "，15个重点项目涵盖量子信息技", "术、人工智能等领域。"]
    lines += ["　　此次集中签约的15个重点项目", "落地后将带动产业升级。"]
    joined = logical_lines(lines * 2)
    assert [ln.raw for ln in joined][:2] == [
        "　　本报讯 7月4日上午,中原区举行二季度招商引资项目集中签约，15个重点项目涵盖量子信息技术、人工智能等领域。",
        "　　此次集中签约的15个重点项目落地后将带动产业升级。",
    ]
    assert (joined[0].first, joined[0].last) == (1, 4)


def test_a_headline_after_a_full_last_line_stands_alone(tmp_path: Path) -> None:
    body = "近年来中原区始终把招商引资作为一号工程全力打造营商环境为企业发展提供服务今年签约项目十五个。"
    lines = wrap(body, 12, "　　")
    assert display_width(lines[-1]) == 12  # the paragraph's last line fills the column
    text = "\n".join(["区领导调研基层治理工作", "本报讯 近日,区领导到街道调研。", *lines, "记者 鲁燕", "弘扬雷锋精神 争当时代新人", *lines, "记者 王明明"])
    page = page_from_text(tmp_path, text * 1)
    assert [a.title for a in page.articles] == ["区领导调研基层治理工作", "弘扬雷锋精神 争当时代新人"]


def test_a_short_unfinished_line_is_not_a_headline(tmp_path: Path) -> None:
    # The last line of a paragraph the page broke mid-sentence: short, unpunctuated, but the
    # sentence before it is not finished, so it is the rest of that sentence.
    lines = ["伏羲山第十七届杏花节开幕", "　　本报讯(记者 郭涛)9日上午,", "中原区召开区直机关述职评议", "会,党支部书记逐一述职"]
    lines += ["　　会议要求,要坚持政治为先。", "　　会议还研究了其他事项", "　　和下一步工作安排。"]
    page = page_from_text(tmp_path, "\n".join(lines) + "\n")
    assert [a.title for a in page.articles] == ["伏羲山第十七届杏花节开幕"]
    assert page.articles[0].lines == (1, 7)


def test_seeds_as_they_are_are_not_wrapped() -> None:
    for text in SEEDS.values():
        lines = text.split("\n")
        assert column_width([display_width(ln) for ln in lines if ln.strip()]) is None
        assert [ln.raw for ln in logical_lines(lines)] == [ln for ln in lines if ln.strip()]


def test_headline_like_lines_of_the_column_width_inside_a_paragraph_are_wrapped_lines() -> None:
    lines = ["　　近年来中原区始终把招商引资作", "为一号工程全力打造营商环境为企", "业发展提供服务今年签约项目十五", "个。"]
    assert all(headline_like(ln.strip()) for ln in lines[:3])
    assert len(logical_lines(lines * 3)) == 3


_han = st.text(alphabet="的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工", min_size=1, max_size=12)
_text = st.lists(st.tuples(_han, st.sampled_from(["，", "、", "。", "“", "”", ""])), min_size=3, max_size=20).map(
    lambda parts: "".join(a + b for a, b in parts) + "。"
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_text, min_size=2, max_size=8), st.integers(8, 26), st.sampled_from(["\u3000\u3000", "    ", "  "]))
def test_wrapped_paragraphs_come_back_whole(paragraphs: list[str], width: int, indent: str) -> None:
    """Whatever the text and the column, an indented page's paragraphs are joined back exactly:
    no character lost or doubled, no space added, each paragraph once."""
    lines = [line for text in paragraphs for line in wrap(text, width, indent)]
    if column_width([display_width(ln) for ln in lines]) is None:
        return  # too few lines reach the column's edge to call the page wrapped
    assert [ln.raw.strip("\u3000 ") for ln in logical_lines(lines)] == paragraphs


def summary(page: Page) -> list[tuple[object, ...]]:
    return [
        (a.column, a.kicker, a.title, a.subtitle, a.byline, a.reporters, a.correspondents,
         (a.date.month, a.date.day), a.district, [(b.type, b.text) for b in a.blocks])
        for a in page.articles
    ]  # fmt: skip


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_every_line_indented_reads_as_the_seed(tmp_path: Path, key: str) -> None:
    """Two U+3000 before every line, `#` marks kept after them: the indent tells nothing."""
    text = "\n".join("\u3000\u3000" + ln if ln.strip() else ln for ln in SEEDS[key].split("\n"))
    assert summary(page_from_text(tmp_path, text, "b.txt")) == summary(page_from_text(tmp_path, SEEDS[key], "a.txt"))


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_no_marks_reads_the_seed_s_articles(tmp_path: Path, key: str) -> None:
    """Without `#`, every seed keeps its articles, bylines and subheads; only seed 000's
    栏目 (a `##` over two `###` articles) cannot be told from a headline line by its text."""
    bare = re.sub(r"(?m)^#{1,6} ", "", SEEDS[key])
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    page = page_from_text(tmp_path, bare, "b.txt")
    assert [a.byline for a in page.articles] == [a.byline for a in original.articles]
    assert [[b.text for b in a.blocks] for a in page.articles] == [[b.text for b in a.blocks] for a in original.articles]
    if key != "000":
        assert summary(page) == summary(original)
    assert exported_characters(page) == counted(bare)


@pytest.mark.parametrize("width", range(10, 27))
def test_a_glued_byline_wrapped_anywhere(tmp_path: Path, width: int) -> None:
    """However the column cuts `…帷幕。记者 冯佳雯 通讯员 游昆鹏` (mid-name, at a space), the
    byline is whole and the next headline stands alone."""
    body = (
        "本报讯 9日上午,中国新密伏羲山第十七届杏花节开幕式在一曲惊艳四座的舞蹈中正式拉开帷幕。"
        "据了解,位于新密西北的伏羲山风景区森林覆盖率高,是市民休闲的好去处。"
    )
    titles = ["伏羲山第十七届杏花节开幕", "弘扬雷锋精神 争当时代新人", "干部沉下去 村居靓起来", "科技助听 共享美好生活"]
    wrapped = wrap(body + "记者 冯佳雯 通讯员 游昆鹏", width, "\u3000\u3000")
    lines = [line for title in titles for line in [title, *wrapped]]
    page = page_from_text(tmp_path, "\n".join(lines) + "\n")
    assert [(a.title, a.byline) for a in page.articles] == [(title, "记者 冯佳雯 通讯员 游昆鹏") for title in titles]


@pytest.mark.parametrize("byline", ["记者 鲁燕 通讯员 闫熹宸", "记者 马燕 王阳 通讯员 李盼", "记者 唐善普 通讯员 徐青青"])
@pytest.mark.parametrize("width", range(10, 27))
def test_a_byline_cut_at_any_edge_keeps_its_names(tmp_path: Path, width: int, byline: str) -> None:
    """Seed bylines glued to the last sentence, with the sentence ending at every place in its
    line: where it ends at the edge the byline opens a line of its own, and the column still
    cuts it anywhere (`记者 鲁燕 通讯员 闫⏎熹宸`, `通讯⏎员`, after a space). Its names stay
    whole and nothing of it becomes the next story's 引题."""
    body = (  # 004, its words (a paragraph the layout broke, joined)
        "会议要求,区政府班子要认真学习贯彻机器人产业发展方面的有关知识,要正确认识当前新一轮科技革命和"
        "产业变革加速演进给机器人产业带来的全新发展机遇,坚持科技自立自强,切实把机器人产业作为中原区"
        "抢占创新发展制高点的重要抓手。"
    )
    titles = ["弘扬雷锋精神 争当时代新人", "干部沉下去 村居靓起来", "科技助听 共享美好生活"]
    for shift in range(width):
        lead = "本报讯 7月14日," + "会议强调"[: shift % 4] + "全区" * (shift // 4) + body
        wrapped = wrap(lead + byline, width, "\u3000\u3000")
        page = page_from_text(tmp_path, "\n".join(line for t in titles for line in [t, *wrapped]) + "\n")
        got = [(a.kicker, a.title, a.byline) for a in page.articles]
        assert got == [(None, t, byline) for t in titles], (shift, wrapped)


@pytest.mark.parametrize("shift", range(10))
def test_a_byline_split_over_two_lines_at_the_edge_stays_two_roles(tmp_path: Path, shift: int) -> None:
    """`记者 冯佳雯 张怡馨` fills a column of 10 and `通讯员 郭良艳` stands under it: a byline
    split over two lines (003's people), not one name run on into the role word."""
    body = "会议要求,区政府班子要认真学习贯彻机器人产业发展方面的有关知识。"  # 004, its words
    lead = "本报讯 7月14日," + "全" * shift + body
    titles = ["弘扬雷锋精神 争当时代新人", "干部沉下去 村居靓起来"]
    story = [*wrap(lead, 10, "\u3000\u3000"), "记者 冯佳雯 张怡馨", "通讯员 郭良艳"]
    page = page_from_text(tmp_path, "\n".join(line for t in titles for line in [t, *story]) + "\n")
    got = [(a.title, a.reporters, a.correspondents) for a in page.articles]
    assert got == [(t, ("冯佳雯", "张怡馨"), ("郭良艳",)) for t in titles]
