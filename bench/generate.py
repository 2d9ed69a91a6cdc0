"""Deterministic synthetic archives of raw newspaper page files, built from the seeds.

    python bench/generate.py --articles N --out DIR [--seed 0] [--per-file 10]

writes ``ceil(N / per_file)`` UTF-8 page files ``DIR/NNNNNN_<hash>.txt`` (``per_file``
articles each, the last file may hold fewer) and the ground-truth manifest
``DIR/../<DIR name>.manifest.jsonl`` *beside* the folder (never inside it, so the folder
holds nothing but page files).  Same arguments, same bytes: every file is drawn from its own
``random.Random(f"{seed}/{file_index}")``, nothing depends on the clock, the hash seed or
dict/set order.  Standard library only.

What the files contain
----------------------
Paragraphs come from the five seed pages in ``articles/`` (their broken lines joined back
into whole paragraphs, bylines cut off); headlines, subheads, bylines' names and districts are
the seeds' own, listed below.  Each file is written in one of four styles that copy the
seeds' forms:

``md``        ``#`` for the first headline, ``##`` after (``# title subtitle`` on one line),
              ``本报讯 7月4日上午,`` leads, ``####`` subheads, closing bylines on their own
              line, split over two lines with Markdown hard breaks (``记者 鲁燕  ⏎通讯员 王飞``),
              hard-broken after the last sentence, or glued to it (``…新活力。记者 唐善普``).
``md-column`` a ``## 党旗在基层一线高高飘扬`` column heading, then ``### title subtitle``
              articles, as in the first seed.
``md-parens`` ``## title`` articles closed by ``(记者 X 通讯员 Y)``, ``###`` unit subheads, a
              ``## 简讯`` column of ``●`` items each followed by its own bracketed byline, and
              sometimes a bare heading left at the end of the page.
``plain``     no marks at all: headline groups of kicker / title / subtitle lines,
              ``本报讯(记者 X 通讯员 Y)`` leads with half- or full-width brackets, a
              ``本报记者 X 通讯员 Y`` byline before the body, two-line closing bylines with
              ``文/图``, a byline right after the first paragraph, unmarked subheads, runs of
              blank lines.

In every style some paragraphs are broken mid-sentence across blank lines, as in the seeds.

Every article's title is unique: the seed headline plus ``第<n>号`` where ``n`` is the
article's number in the archive (1-based).

The manifest (JSON Lines)
-------------------------
line 1      ``{"kind": "archive", "seed", "articles", "per_file", "files", "generator"}``
articles    ``{"kind": "article", "n", "file", "style", "title", "kicker", "subtitle",
            "headline" (the raw headline lines, marks removed), "dateline" (``本报讯…`` prefix or
            null), "date" ({"month", "day"} or null), "district", "reporters",
            "correspondents", "byline" (form), "paragraphs" (the article's logical body
            paragraphs in order: lead first, repaired, without dateline, subheads or bylines),
            "subheads", "also_named" (other districts its title or lead calls by a short name
            the rewrite leaves, `惠济新兴产业园区`: no district is as right as its own),
            "readings" (in the forms without `#` marks, the other readings of a column page's
            headlines the text supports: see _column_readings)}``
briefs      ``{"kind": "briefs", "file", "title": "简讯", "items": [{"text", "reporters",
            "correspondents"}]}`` (a 简讯 column; not counted in ``--articles``)
trailers    ``{"kind": "trailer", "file", "heading"}`` (a bare heading ending a page)

``--editions`` files the same pages by issue instead, ``DIR/<paper>/<YYYY-MM-DD>/<NN>.txt``
under page header lines, with ``{"kind": "edition"}`` records (see bench/editions.py).

Module API: :func:`generate_archive`, :func:`add_page_file`, :func:`render_file`,
:func:`manifest_path`, :meth:`Manifest.read`.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from editions import editions, file_edition  # noqa: E402
from forms import FORMS, MARKLESS_FORMS, reshape  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "articles"
# Pinned, so that files added to articles/ later do not change what is generated.
SEED_FILES = (
    "000_122b2b7ff147ba18.txt",
    "001_0429a0f6955e58f0.txt",
    "002_d5040c997ebba622.txt",
    "003_75508fda1e388424.txt",
    "004_ad72465be87e4b1c.txt",
)
GENERATOR = "newsgen-bench-generate/1"
STYLES = ("md", "md-column", "md-parens", "plain")

# --- the seeds' headlines, names and places -------------------------------------------------

KICKERS = (
    "稳经济 促发展 强信心",
    "东中西区域贯通 上中下链条共振",
    "百岁老人",
    "有事“码”上说 诉求马上办",
    "实现在量子通信等领域从无到有的突破",
    "筑牢党建“硬实力” 擦亮群众“幸福底色”",
    "党建聚合力 护苗助成长",
)
TITLES = (
    "中原区2024年二季度招商引资项目集中签约",
    "桐柏路街道坚持党建引领为民服务",
    "中原西路街道汇聚“五老”力量",
    "“云签约”赋能郑东新区高质量招商",
    "孙建功调研督导辖区党建工作",
    "惠济新兴产业园区按下“加速键”",
    "金水区新签约一批项目大单",
    "招商引资跑出“加速度” 为高质量发展积蓄动能",
    "加大助企纾困力度 奋力推进经济发展",
    "乡村振兴“种子” 开出“十字花”",
    "“小院讲堂”接地气 文明实践聚民心",
    "干部沉下去 村居靓起来",
    "伏羲山第十七届杏花节开幕",
    "情系园林20载 年年种下一抹绿",
    "“在线办”让基层“智”理更贴心",
    "走访企业“听心声” 服务发展“零距离”",
    "区委宣传部喜获“2023 郑州网红新地标评选活动地标推介·优秀组织奖”",
    "弘扬雷锋精神 争当时代新人",
    "弘扬雷锋精神 遍开文明之花",
    "数智赋能 跑出基层治理新年加速度",
    "强本领 练内功 这场公文处理工作培训干货满满",
    "科技助听 共享美好生活",
    "我区这家公司获省政府奖励",
    "全区各单位学习贯彻区委十一届六次全会精神",
    "中原区政府2023年第十三次常务会议召开",
    "区领导调研党建引领网格化基层治理工作",
    "中原区召开区直机关“双抓双促”活动党支部书记述职评议会",
    "中原区委宣传部开展主题纪律教育活动",
    "中原区三个社区分获郑州市社区社会工作暨社区公益慈善项目大赛金、银奖和优秀奖",
)
SUBTITLES = (
    "总投资超64亿元 聚焦区块链、人工智能等领域",
    "对照“五星”标准全面提升基层治理能力",
    "五十个项目投资逾三百亿元",
    "充分发挥党员先锋模范作用",
    "开展关心下一代、基层治理等工作",
    "抢抓战略性新兴产业发展机遇 为区域经济发展注入新动能",
    "增强街道城运中心统筹能力 切实解决群众急难愁盼问题",
    "坚持政治为先 扛稳党建职责 推动机关党建工作高质量发展",
    "严守纪律规矩 加强作风建设 营造讲纪律守规矩浓厚氛围",
)
SUBHEADS = (
    "筑牢党建“硬实力”,用心当好“娘家人”",
    "公益绘就“同心圆”,共建共享“幸福事”",
    "增强服务“动力源”,精心绘制“民生图”",
    "发挥“五老”积极作用",
    "构建学校、家庭、社区三位一体服务体系",
    "落脚细微,不断延伸服务触角",
    "聚焦区块链、人工智能等领域",
    "着力打造科技创新高地",
    "招商引资和招才引智工作质效双提升",
)
UNIT_SUBHEADS = ("工业路街道", "矿山街道", "区先进制造业开发区管委会", "郑州通航试验区管委会")
COLUMNS = ("党旗在基层一线高高飘扬",)
TRAILERS = ("贯彻落实区委十一届六次全会精神",)
REPORTERS = (
    "唐善普", "马燕", "王阳", "杨丽萍", "党贺喜", "王建玲", "史治国", "李晓光", "卢文军",
    "郭涛", "裴其娟", "张怡馨", "李郑阳", "王明明", "冯佳雯", "刘世平", "张妍妍", "曩晓盼",
    "鲁燕",
)
CORRESPONDENTS = (
    "徐青青", "李盼", "游昆鹏", "张二万", "张盼", "李保玲", "卢松城", "马珂", "赵淑文",
    "邢小玲", "程艺涵", "王洪涛", "刘宜起", "孙伟杰", "邢林林", "李清媛", "欧阳建设",
    "王丽丹", "吕红斌", "徐吉雨", "赵凌舟", "张宸琪", "张茜娜", "牛晓芳", "王畅", "付铭扬",
    "王飞", "李钰沛", "闫熹宸", "郭良艳",
)
DISTRICTS = (
    "中原区", "金水区", "二七区", "管城回族区", "惠济区", "上街区", "郑东新区", "高新区",
    "经开区", "航空港区", "荥阳市", "新郑市", "新密市", "登封市", "巩义市", "中牟县",
    "上街区峡窝镇", "上街区济源路街道", "上街区工业路街道", "上街区矿山街道",
    "荥阳市豫龙街道", "荥阳市豫龙镇", "荥阳市京城路街道", "中原区桐柏路街道",
    "中原区林山寨街道", "中原区建设路街道", "郑东新区祭城路街道", "中牟县东风路街道",
    "登封市颍阳镇", "高新区梧桐办事处", "金水区丰产路街道", "二七区淮河路街道",
)
TIMES_OF_DAY = ("", "", "上午", "上午", "下午")
HALF = ("(", ")")
FULL = ("\uff08", "\uff09")  # full-width brackets
UNDATED_OPENERS = ("近日", "日前", "昨日", "昨日上午", "今年以来", "连日来")

_TERMINAL = frozenset("。!?!?…”’")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DATELINE = re.compile(r"^本报讯\s*(?:[(\uff08][^)\uff09]*[)\uff09])?\s*")
_OPENER = re.compile(
    r"^(?:(?:\d{1,2}月)?\d{1,2}日(?:上午|下午|晚)?|近日|日前|昨日上午|昨日|今年以来|连日来),"
)
_LEADING_PLACE = re.compile(
    r"^(?:" + "|".join(sorted((re.escape(d) for d in DISTRICTS), key=len, reverse=True)) + ")"
)
_MAIN_DISTRICT = re.compile("|".join(sorted(DISTRICTS[:16], key=len, reverse=True)))


def _one_district(text: str, district: str) -> str:
    """The text with every district it names made the article's own: the seeds' titles and
    paragraphs name their own districts, and an article naming two (its title one, its lead
    another) has no one district to be scored against."""
    own = _MAIN_DISTRICT.match(district)
    return _MAIN_DISTRICT.sub(own.group() if own else district, text)


# Short names the seeds also call a district by (`惠济新兴产业园区`, `中国新密·伏羲山`, `金水的经济`):
# _one_district rewrites full names only, so an article built from such a text still names
# that district beside its own. Named so in the title or the lead, as often as the article's
# own district is named there, its truth is undecidable between its own and none: the loader
# may rightly leave it empty (issue 23: districts named about equally give none). In the body
# it weighs less than the lead's own name, and the truth stands.
_SHORT_NAMES = {
    "管城": "管城回族区", "金水": "金水区", "惠济": "惠济区", "中牟": "中牟县", "巩义": "巩义市",
    "荥阳": "荥阳市", "新密": "新密市", "新郑": "新郑市", "登封": "登封市", "郑东": "郑东新区",
}  # fmt: skip
_SHORT_NAME = re.compile("(" + "|".join(_SHORT_NAMES) + ")(?![区市县回新路河大])")


def _also_named(texts: list[str], district: str) -> list[str]:
    """The other districts the article's title and lead name by a short name the rewrite left."""
    own = _MAIN_DISTRICT.match(district)
    found = {_SHORT_NAMES[m.group(1)] for text in texts for m in _SHORT_NAME.finditer(text)}
    return sorted(found - {own.group() if own else district})


_BYLINE_LINE = re.compile(r"^[(\uff08]?(?:本报)?(?:记者|通讯员) ")
_GLUED_BYLINE = re.compile(r"(?<=[。!?”])记者 [\u4e00-\u9fff ]+$")


# --- the seed corpus -------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    paragraphs: tuple[str, ...]  # whole body paragraphs (lead openings included)
    leads: tuple[str, ...]  # the text after a 本报讯 dateline and its date/opener
    briefs: tuple[str, ...]  # ● items, without the bullet and without their opener


def _is_heading_line(line: str, named: frozenset[str]) -> bool:
    return line.startswith("#") or line in named


@functools.lru_cache(maxsize=4)
def load_corpus(seed_dir: str = str(SEED_DIR)) -> Corpus:
    """Whole paragraphs, lead bodies and brief items from the pinned seed files."""
    named = frozenset(KICKERS + TITLES + SUBTITLES + SUBHEADS + UNIT_SUBHEADS + COLUMNS + TRAILERS)
    named |= {  # multi-part headlines of the plain seeds, exactly as printed
        "“云签约”赋能郑东新区高质量招商",
        "总投资超64亿元 聚焦区块链、人工智能等领域",
    }
    paragraphs: list[str] = []
    leads: list[str] = []
    briefs: list[str] = []
    for name in SEED_FILES:
        text = (Path(seed_dir) / name).read_text(encoding="utf-8")
        pending: list[str] = []  # fragments of the paragraph being joined

        def flush() -> None:
            if pending:
                paragraph = "".join(pending)
                pending.clear()
                if len(paragraph) >= 30 and paragraph[-1] in _TERMINAL:
                    paragraphs.append(paragraph)
                    if paragraph.startswith("本报讯"):
                        rest = _OPENER.sub("", _DATELINE.sub("", paragraph), count=1)
                        leads.append(rest)

        for raw in text.split("\n"):
            line = raw.strip()
            if not line:
                # a blank line ends a paragraph only if its last fragment ended a sentence
                if pending and pending[-1][-1:] in _TERMINAL:
                    flush()
                continue
            if _is_heading_line(line, named) or _BYLINE_LINE.match(line) or len(_HAN.findall(line)) < 2:
                flush()
                continue
            if line.startswith("●"):
                flush()
                briefs.append(_OPENER.sub("", line[1:], count=1))
                continue
            line = _GLUED_BYLINE.sub("", line)
            pending.append(line)
            if _GLUED_BYLINE.search(raw.strip()):
                flush()
        flush()
    body = tuple(p for p in paragraphs if not p.startswith("本报讯"))
    return Corpus(body, tuple(leads), tuple(briefs))


# --- one article -----------------------------------------------------------------------------


@dataclass
class Article:
    n: int
    file: str
    style: str
    title: str
    kicker: str | None
    subtitle: str | None
    headline: list[str]
    dateline: str | None
    date: dict[str, int | None] | None
    district: str
    reporters: list[str]
    correspondents: list[str]
    byline: str
    paragraphs: list[str]
    subheads: list[str]
    column: str | None = None
    also_named: list[str] = field(default_factory=list)  # see _also_named
    readings: list[dict[str, str | None]] = field(default_factory=list)  # see _column_readings

    def record(self) -> dict[str, Any]:
        return {"kind": "article", **self.__dict__}


@dataclass
class Briefs:
    file: str
    items: list[dict[str, Any]]

    def record(self) -> dict[str, Any]:
        return {"kind": "briefs", "file": self.file, "title": "简讯", "items": self.items}


@dataclass
class Extra:
    """What a reshaped page adds: ``page`` (its header's facts), ``furniture`` (one line) or ``credit``
    (the people one reshaped byline credits)."""

    kind: str
    file: str
    data: dict[str, Any]

    def record(self) -> dict[str, Any]:
        return {"kind": self.kind, "file": self.file, **self.data}


@dataclass
class Trailer:
    file: str
    heading: str

    def record(self) -> dict[str, Any]:
        return {"kind": "trailer", "file": self.file, "heading": self.heading}


def _names(rng: random.Random) -> tuple[list[str], list[str]]:
    reporters = rng.sample(REPORTERS, rng.choice((1, 1, 1, 2)))
    correspondents = rng.sample(CORRESPONDENTS, rng.choice((0, 1, 1, 1, 2, 3)))
    return reporters, correspondents


def _credit(reporters: list[str], correspondents: list[str], sep: str = " ") -> str:
    text = "记者 " + " ".join(reporters)
    if correspondents:
        text += sep + "通讯员 " + " ".join(correspondents)
    return text


def _date(rng: random.Random) -> tuple[str, dict[str, int | None] | None]:
    """An opener such as ``7月4日上午`` (with its date) or ``近日`` (no date)."""
    roll = rng.random()
    if roll < 0.12:
        return rng.choice(UNDATED_OPENERS), None
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    tod = rng.choice(TIMES_OF_DAY)
    if roll < 0.17:  # day only, as in 「9日上午,」
        return f"{day}日{tod}", {"month": None, "day": day}
    return f"{month}月{day}日{tod}", {"month": month, "day": day}


def _lead(rng: random.Random, corpus: Corpus, district: str) -> tuple[str, dict[str, int | None] | None]:
    opener, date = _date(rng)
    rest = rng.choice(corpus.leads)
    if _LEADING_PLACE.match(rest):
        rest = _LEADING_PLACE.sub(district, rest, count=1)
    else:
        rest = district + rest
    return f"{opener},{rest}", date


def _body(rng: random.Random, corpus: Corpus, lead_len: int) -> list[str]:
    target = rng.randint(450, 1250)
    paragraphs: list[str] = []
    total = lead_len
    while total < target or not paragraphs:
        p = rng.choice(corpus.paragraphs)
        if p in paragraphs:
            continue
        paragraphs.append(p)
        total += len(p)
        if len(paragraphs) >= 6:
            break
    return paragraphs


def _break(rng: random.Random, text: str, keep: int = 0) -> list[str]:
    """A paragraph as raw fragments: usually whole, sometimes broken mid-sentence."""
    if len(text) < 60 or rng.random() >= 0.25:
        return [text]
    lo, hi = max(keep + 10, len(text) // 4), len(text) * 3 // 4
    for _ in range(8):
        i = rng.randint(lo, hi)
        if _HAN.match(text[i - 1]) and _HAN.match(text[i]):
            return [text[:i], text[i:]]
    return [text]


def _title_line(base: str, n: int) -> str:
    return f"{base}第{n}号"


@dataclass
class _Writer:
    """Collects a page's raw blocks; blocks are separated by blank lines."""

    rng: random.Random
    blocks: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    def add(self, text: str, gap: str = "\n\n") -> None:
        if self.blocks:
            self.gaps.append(gap)
        self.blocks.append(text)

    def paragraph(self, text: str, keep: int = 0, suffix: str = "") -> None:
        parts = _break(self.rng, text, keep)
        parts[-1] += suffix
        for i, part in enumerate(parts):
            gap = "\n\n\n\n" if i and self.rng.random() < 0.2 else "\n\n"
            self.add(part, gap)

    def text(self, lead: str, trailing_newline: bool) -> str:
        out = [lead]
        for i, block in enumerate(self.blocks):
            if i:
                out.append(self.gaps[i - 1])
            out.append(block)
        if trailing_newline:
            out.append("\n")
        return "".join(out)


def _article(rng: random.Random, corpus: Corpus, w: _Writer, n: int, file: str, style: str,
             level: str) -> Article:
    district = rng.choice(DISTRICTS)
    reporters, correspondents = _names(rng)
    base = _one_district(rng.choice(TITLES), district)
    title = _title_line(base, n)
    kicker = subtitle = None

    # headline
    if style == "plain":
        shape = rng.random()
        if shape < 0.2:
            kicker = rng.choice(KICKERS)
        if 0.15 < shape < 0.55:
            subtitle = rng.choice(SUBTITLES)
        headline = [h for h in (kicker, title, subtitle) if h]
        for h in headline:
            w.add(h, "\n\n\n\n" if rng.random() < 0.15 else "\n\n")
    else:
        if rng.random() < 0.45:
            subtitle = rng.choice(SUBTITLES)
        headline = [f"{title} {subtitle}" if subtitle else title]
        w.add(f"{level} {headline[0]}", "\n\n\n\n" if rng.random() < 0.2 else "\n\n")

    # lead and dateline
    lead, date = _lead(rng, corpus, district)
    dateline: str | None = None
    byline = "none"
    pre_byline = None
    if style in ("md", "md-column"):
        if rng.random() < 0.8:
            dateline = "本报讯 "
    elif style == "plain":
        roll = rng.random()
        if roll < 0.55:
            opening, closing = HALF if rng.random() < 0.5 else FULL
            dateline = f"本报讯{opening}{_credit(reporters, correspondents)}{closing}"
            byline = "dateline"
        elif roll < 0.7:
            dateline = "本报讯 "
        elif roll < 0.85:
            pre_byline = "本报" + _credit(reporters, correspondents)
            byline = "before-body"
    if pre_byline:
        w.add(pre_byline)
    paragraphs = [_one_district(p, district) for p in [lead] + _body(rng, corpus, len(lead))]

    # the closing byline's form
    if byline == "none":
        if style == "md-parens":
            byline = "paren-half" if rng.random() < 0.6 else "paren-full"
        elif style == "plain":
            byline = rng.choice(("own", "two-lines", "after-lead", "own"))
        else:
            byline = rng.choice(("own", "own", "glued", "hard-break", "two-lines-hard"))
    credit = _credit(reporters, correspondents)
    if byline == "two-lines" or byline == "after-lead":
        credit += " 文/图" if rng.random() < 0.6 else ""

    # subheads: where they go (before paragraph index i)
    subheads: dict[int, str] = {}
    if len(paragraphs) >= 3:
        roll = rng.random()
        if style in ("md", "md-column") and roll < 0.3:
            for i, s in zip(range(1, len(paragraphs), 2), rng.sample(SUBHEADS, 3)):
                subheads[i] = "#### " + s
        elif style == "md-parens" and roll < 0.2:
            for i, s in zip(range(1, len(paragraphs), 2), UNIT_SUBHEADS):
                subheads[i] = "### " + s
        elif style == "plain" and roll < 0.1:
            subheads[2] = rng.choice(SUBHEADS)

    last = len(paragraphs) - 1
    for i, p in enumerate(paragraphs):
        if i in subheads:
            w.add(subheads[i])
        suffix = ""
        if i == last and byline == "glued":
            suffix = credit
        elif i == last and byline == "hard-break":
            suffix = "  \n" + credit
        if i == 0:
            w.paragraph((dateline or "") + p, keep=len(dateline or ""), suffix=suffix)
        else:
            w.paragraph(p, suffix=suffix)
        if i == 0 and byline == "after-lead":
            w.add(credit)
    if byline == "own":
        w.add(credit)
    elif byline == "two-lines":
        w.add(credit.replace(" 通讯员 ", "\n通讯员 ") if correspondents else credit)
    elif byline == "two-lines-hard":
        w.add(credit.replace(" 通讯员 ", "  \n通讯员 ") if correspondents else credit + "  ")
    elif byline in ("paren-full", "paren-half"):
        opening, closing = FULL if byline == "paren-full" else HALF
        w.add(f"{opening}{credit}{closing}")

    return Article(
        n=n, file=file, style=style, title=title, kicker=kicker, subtitle=subtitle,
        headline=headline, dateline=dateline.strip() if dateline else None, date=date,
        district=district, reporters=reporters, correspondents=correspondents, byline=byline,
        paragraphs=paragraphs, also_named=_also_named([title, paragraphs[0]], district),
        subheads=[subheads[i].lstrip("# ") for i in sorted(subheads)],
    )


def _briefs(rng: random.Random, corpus: Corpus, w: _Writer, file: str) -> Briefs:
    w.add("## 简讯", "\n\n\n\n")
    items = []
    for _ in range(rng.randint(2, 4)):
        district = rng.choice(DISTRICTS)
        opener, _date_ = _date(rng)
        source = rng.choice(corpus.briefs + corpus.leads)
        text = f"{opener},{district}{_LEADING_PLACE.sub('', source, count=1)}"
        reporters, correspondents = _names(rng)
        opening, closing = HALF if rng.random() < 0.6 else FULL
        w.add("●" + text)
        w.add(f"{opening}{_credit(reporters, correspondents)}{closing}")
        items.append({"text": text, "reporters": reporters, "correspondents": correspondents})
    return Briefs(file, items)


def file_name(seed: int, index: int) -> str:
    digest = hashlib.sha256(f"newsgen-bench/{seed}/{index}".encode()).hexdigest()[:16]
    return f"{index:06d}_{digest}.txt"


def render_file(seed: int, index: int, first: int, count: int,
                corpus: Corpus | None = None, form: str = "as-is") -> tuple[str, str, list[Any]]:
    """File ``index`` of an archive, holding articles ``first .. first+count-1``, in ``form``
    (see bench/forms.py).

    Returns (file name, text, manifest records: Article, Briefs, Trailer and Extra objects).
    Depends only on its arguments (and the seed files).
    """
    corpus = corpus or load_corpus()
    rng = random.Random(f"newsgen-bench/{seed}/{index}")
    name = file_name(seed, index)
    style = rng.choice(STYLES)
    w = _Writer(rng)
    records: list[Any] = []
    briefs_at = rng.randrange(count + 1) if style == "md-parens" and rng.random() < 0.35 else -1
    column = None
    if style == "md-column":
        column = rng.choice(COLUMNS)
        w.add("## " + column)
    for k in range(count):
        if k == briefs_at:
            records.append(_briefs(rng, corpus, w, name))
        if style == "md":
            level = "#" if k == 0 else "##"
        elif style == "md-column":
            level = "###"
        else:
            level = "##"
        records.append(_article(rng, corpus, w, first + k, name, style, level))
        records[-1].column = column
    if briefs_at == count:
        records.append(_briefs(rng, corpus, w, name))
    if style == "md-parens" and rng.random() < 0.2:
        heading = rng.choice(TRAILERS)
        w.add("## " + heading)
        records.append(Trailer(name, heading))
    text = w.text("\n\n" if rng.random() < 0.8 else "", trailing_newline=rng.random() < 0.5)
    if form != "as-is":
        text, extras = reshape_page(text, form, f"newsgen-bench/{seed}/{index}/{form}", _headings(records))
        records += [Extra(kind, name, data) for kind, data in extras]
        if form in MARKLESS_FORMS and column is not None:
            _column_readings([r for r in records if isinstance(r, Article)], column)
    return name, text, records


def _column_readings(articles: list[Article], column: str) -> None:
    """Without its `##`, a 栏目 over a page's stories is one more unmarked line over the first
    story's headline. Where that headline is a whole group of its own (主题 and 副题, as the
    seed prints it) the line stands over more than one story; where it is a lone 主题, the two
    lines read as well as 引题 + 主题 or 主题 + 副题 of the first story alone, and no text tells
    the stories after it that they stand under a column. The truth is undecidable there: each
    record lists the other readings the text supports, which the accuracy bench also accepts."""
    first = articles[0]
    if first.subtitle is not None:
        return
    first.readings = [
        {"column": None, "kicker": column, "title": first.title, "subtitle": None},
        {"column": None, "kicker": None, "title": column, "subtitle": first.title},
    ]
    for later in articles[1:]:
        later.readings = [{"column": None, "kicker": None, "title": later.title, "subtitle": later.subtitle}]


def _headings(records: list[Any]) -> set[str]:
    """The lines a reshaped page keeps standing alone: every headline and subhead."""
    found: set[str] = set()
    for record in records:
        if isinstance(record, Article):
            found.update(record.headline)
            found.update(record.subheads)
        elif isinstance(record, Trailer):
            found.add(record.heading)
    return found


def reshape_page(text: str, form: str, rng_seed: str,
                 headings: set[str]) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """``text`` in ``form``, and the manifest records the form adds ("page", "furniture",
    "credit")."""
    shaped = reshape(text, form, random.Random(rng_seed), headings)
    extras: list[tuple[str, dict[str, Any]]] = []
    if shaped.page is not None:
        extras.append(("page", shaped.page))
    extras += [("furniture", f) for f in shaped.furniture]
    extras += [("credit", c) for c in shaped.credits]
    return shaped.text, extras


# --- a whole archive -------------------------------------------------------------------------


@dataclass
class Manifest:
    """What an archive holds: one header, then articles, briefs columns and trailers."""

    header: dict[str, Any]
    articles: list[dict[str, Any]] = field(default_factory=list)
    briefs: list[dict[str, Any]] = field(default_factory=list)
    trailers: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    furniture: list[dict[str, Any]] = field(default_factory=list)
    credits: list[dict[str, Any]] = field(default_factory=list)  # the people a reshaped byline credits
    editions: list[dict[str, Any]] = field(default_factory=list)  # each page's issue (--editions)
    path: Path | None = None

    @property
    def files(self) -> list[str]:
        return sorted({a["file"] for a in self.articles})

    def by_title(self) -> dict[str, dict[str, Any]]:
        return {a["title"]: a for a in self.articles}

    @classmethod
    def read(cls, path: Path) -> Manifest:
        manifest: Manifest | None = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                kind = record["kind"]
                if kind == "archive":
                    manifest = cls(record, path=Path(path))
                elif manifest is None:
                    raise ValueError(f"{path}: the first line must be the archive header")
                elif kind == "article":
                    manifest.articles.append(record)
                elif kind == "briefs":
                    manifest.briefs.append(record)
                elif kind == "trailer":
                    manifest.trailers.append(record)
                elif kind == "page":
                    manifest.pages.append(record)
                elif kind == "furniture":
                    manifest.furniture.append(record)
                elif kind == "credit":
                    manifest.credits.append(record)
                elif kind == "edition":
                    manifest.editions.append(record)
        if manifest is None:
            raise ValueError(f"{path}: empty manifest")
        return manifest


def manifest_path(out: Path) -> Path:
    """The manifest of the archive in ``out``: ``out/../<out name>.manifest.jsonl``."""
    out = Path(out).resolve()
    return out.parent / f"{out.name}.manifest.jsonl"


def _dump(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


_LISTS = {"article": "articles", "briefs": "briefs", "trailer": "trailers", "page": "pages", "furniture": "furniture",
          "credit": "credits", "edition": "editions"}


def iter_files(n_articles: int, seed: int = 0, per_file: int = 10,
               form: str = "as-is") -> Iterator[tuple[str, str, list[Any]]]:
    corpus = load_corpus()
    for index, first in enumerate(range(1, n_articles + 1, per_file)):
        yield render_file(seed, index, first, min(per_file, n_articles - first + 1), corpus, form)


def generate_archive(n_articles: int, out: Path, seed: int = 0, per_file: int = 10,
                     form: str = "as-is", by_issue: bool = False) -> Manifest:
    """Write the page files into ``out`` (created; stale ``*.txt`` there removed) and the manifest.
    ``by_issue``: filed by issue under page header lines (bench/editions.py)."""
    if n_articles < 1 or per_file < 1:
        raise ValueError("n_articles and per_file must be at least 1")
    if by_issue and form == "pdf+furniture":
        raise ValueError("--editions writes each page's header itself: pdf+furniture would add a second one")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*/*/*.txt" if by_issue else "*.txt"):
        stale.unlink()
    n_files = -(-n_articles // per_file)
    header = {"kind": "archive", "seed": seed, "articles": n_articles, "per_file": per_file,
              "files": n_files, "generator": GENERATOR}
    if form != "as-is":
        header["form"] = form
    if by_issue:
        header["editions"] = True
    issues = editions(seed)
    manifest = Manifest(header, path=manifest_path(out))
    with open(manifest.path, "w", encoding="utf-8", newline="\n") as mf:
        mf.write(_dump(header))
        for name, text, records in iter_files(n_articles, seed, per_file, form):
            if by_issue:
                edition = next(issues)
                text, name = file_edition(edition, text, records), edition.file
                records.append(edition)
                (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(text.encode("utf-8"))
            for record in records:
                data = record.record()
                mf.write(_dump(data))
                getattr(manifest, _LISTS[data["kind"]]).append(data)
    return manifest


def add_page_file(out: Path, manifest: Manifest, count: int | None = None,
                  update_manifest: bool = False) -> tuple[Path, list[dict[str, Any]]]:
    """One more page file after the archive's last: the next file index, the next numbers.

    Returns the new file's path and its manifest records.  With ``update_manifest`` the records
    are appended to the manifest file too (and its header's counts are *not* rewritten).
    """
    header = manifest.header
    per_file = header["per_file"]
    first = max((a["n"] for a in manifest.articles), default=0) + 1
    if header.get("editions"):
        # the page after the archive's last in filing order: the next 版 of the last issue,
        # or page 01 of the next one
        index = max(len(manifest.editions), header["files"])  # a copy of the manifest may list none
        name, text, records = render_file(header["seed"], index, first, count or per_file)
        edition = next(itertools.islice(editions(header["seed"]), index, None))
        text, name = file_edition(edition, text, records), edition.file
        records.append(edition)
    else:
        index = max((int(f.split("_", 1)[0]) for f in manifest.files), default=-1) + 1
        name, text, records = render_file(header["seed"], index, first, count or per_file)
    path = Path(out) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    data = [r.record() for r in records]
    if update_manifest and manifest.path:
        with open(manifest.path, "a", encoding="utf-8", newline="\n") as mf:
            for d in data:
                mf.write(_dump(d))
    for d in data:
        getattr(manifest, _LISTS[d["kind"]]).append(d)
    return path, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, metavar="N")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-file", type=int, default=10)
    parser.add_argument("--form", choices=FORMS, default="as-is", help="reshape every page (bench/forms.py)")
    parser.add_argument("--editions", action="store_true",
                        help="file the pages by issue: PAPER/YYYY-MM-DD/NN.txt under page header lines (bench/editions.py)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = generate_archive(args.articles, args.out, args.seed, args.per_file, args.form, args.editions)
    print(
        f"{len(manifest.articles)} articles, {len(manifest.briefs)} 简讯 columns in "
        f"{manifest.header['files']} files under {args.out}; manifest {manifest.path} "
        f"({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
