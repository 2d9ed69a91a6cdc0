"""The same page text in the forms real archives bring it in (bench/generate.py --form).

- ``as-is``          the text unchanged;
- ``indented``       every non-blank line indented by two U+3000 (``#`` marks kept after it);
- ``unmarked``       no ``#`` marks;
- ``pdf``            a PDF's text layer: headline and byline lines stand alone (marks dropped,
                     sometimes blank lines around a headline), body paragraphs hard-wrapped at
                     one column width (10-26 character widths) per page, a new paragraph marked
                     only by its indent (two U+3000, four or two spaces, or none), no blank lines;
- ``pdf+furniture``  ``pdf`` with the page's furniture mixed in: a page header (版头), an editor
                     line, jump lines, photo credits and captions, a page number;
- ``bylines``        every byline line in another of the forms papers print: a role word
                     (晚报记者, 首席记者, 见习记者, 融媒记者, 特约记者) after □ ■ ◎ or nothing, a name
                     glued to its role (记者郭树勋), a paper and a name (中牟时报 李淑娟), an
                     intern (实习生 X) or a photographer (摄影 X) added, split over two lines.
                     The people each byline credits are recorded (``Reshaped.credits``): the
                     interns and photographers it adds are made up, from a fixed list.

Standard library only; the result depends on the text, the heading set and the rng alone.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

FORMS = ("as-is", "pdf", "pdf+furniture", "indented", "unmarked", "bylines")
MARKLESS_FORMS = ("pdf", "pdf+furniture", "unmarked")  # the forms that drop the `#` marks
WIDTHS = (10, 12, 14, 17, 20, 23, 26)
INDENTS = ("\u3000\u3000", "    ", "  ", "")
_MARKS = re.compile(r"^#{1,6}[ \t\u3000]*")
_BYLINE = re.compile(r"^[(\uff08]?(?:本报)?(?:记者|通讯员)[ \u3000]")
PAPERS = ("郑州日报", "中原报", "上街报", "金水报", "郑东新区报")
PAGE_NAMES = ("要闻", "区街新闻", "综合新闻", "民生", "党建")
WEEKDAYS = "一二三四五六日"
EDITORS = ("张三", "李四", "王五", "赵敏", "刘洋", "陈静")
CAPTIONS = ("图为活动现场。", "图为签约仪式现场。", "志愿者为居民提供服务。", "图为项目建设现场。")
ROLES = ("晚报记者", "首席记者", "见习记者", "融媒记者", "特约记者")
MARKS = ("", "□", "■", "◎")
BYLINE_PAPERS = ("中牟时报", "上街报", "金水报", "惠济报")
# Made-up people for the bylines a form adds: an intern, a photographer.
ADDED_PEOPLE = ("王子涵", "刘思远", "陈佳怡", "赵一鸣", "孙明轩", "周雨桐", "吴昊然", "郑欣妍")
# A byline line as the seeds print it: (本报)记者 names [通讯员 names] [文/图], maybe in brackets.
_BYLINE_PARTS = re.compile(
    r"^(?P<open>[(\uff08]?)(?:本报)?记者[ \u3000]+(?P<rep>[^通()\uff08\uff09/]+?)"
    r"(?:[ \u3000]+通讯员[ \u3000]+(?P<cor>[^()\uff08\uff09/]+?))?(?P<tail>[ \u3000]+文/图)?(?P<close>[)\uff09]?)$"
)


@dataclass
class Reshaped:
    text: str
    furniture: list[dict[str, Any]] = field(default_factory=list)  # {"text", "type"}
    page: dict[str, Any] | None = None  # the header's facts
    # {"reporters", "correspondents", "interns", "photographers"} of each byline reshaped
    credits: list[dict[str, Any]] = field(default_factory=list)


def char_width(c: str) -> float:
    """A character's width in a printed column: Latin letters, digits and ASCII punctuation
    take half the width of a Han character."""
    return 0.5 if ord(c) < 0x2000 else 1.0


def wrap(text: str, width: int, indent: str) -> list[str]:
    """Hard-wrap one paragraph, with no care for words or closing punctuation; a space at the
    column's edge stays at the end of its line (a line never starts with one)."""
    lines: list[str] = []
    line, used = indent, sum(char_width(c) for c in indent)
    for c in text:
        w = char_width(c)
        if used + w > width and line.strip() and c != " ":
            lines.append(line)
            line, used = "", 0.0
        line += c
        used += w
    lines.append(line)
    return lines


def reshape(text: str, form: str, rng: random.Random, headings: set[str]) -> Reshaped:
    if form == "as-is":
        return Reshaped(text)
    if form == "indented":
        return Reshaped("\n".join("\u3000\u3000" + ln if ln.strip() else ln for ln in text.split("\n")))
    if form == "unmarked":
        return Reshaped("\n".join(_MARKS.sub("", ln) for ln in text.split("\n")))
    if form in ("pdf", "pdf+furniture"):
        return _pdf(text, rng, headings, furniture=form == "pdf+furniture")
    if form == "bylines":
        return _bylines(text, rng)
    raise ValueError(f"unknown form {form!r}; one of {', '.join(FORMS)}")


@dataclass
class _Page:
    rng: random.Random
    width: int
    indent: str
    furnish: bool
    out: list[str] = field(default_factory=list)
    furniture: list[dict[str, Any]] = field(default_factory=list)

    def stand_alone(self, text: str, gap: float) -> None:
        if self.out and self.rng.random() < gap:
            self.out.append("")
        self.out.append(text)
        if self.rng.random() < gap:
            self.out.append("")

    def furnish_line(self, text: str, kind: str) -> None:
        self.out.append(text)
        self.furniture.append({"text": text, "type": kind})


def _pdf(text: str, rng: random.Random, headings: set[str], furniture: bool) -> Reshaped:
    page = _Page(rng, rng.choice(WIDTHS), rng.choice(INDENTS), furniture)
    facts = _header(page) if furniture else None
    last_body = -1
    for raw in text.split("\n"):
        stripped = raw.strip(" \t\u3000")
        if not stripped:
            continue
        bare = _MARKS.sub("", stripped)
        if stripped.startswith("#") or bare in headings:
            if furniture and last_body >= 0 and rng.random() < 0.15:
                jump = f"下转第{rng.randint(2, 8)}版"
                page.furnish_line(f"（{jump}）" if rng.random() < 0.5 else jump, "jump")
            page.stand_alone(bare, 0.4)
        elif _BYLINE.match(stripped):
            page.out.append(stripped)
        else:
            page.out.extend(wrap(stripped, page.width, page.indent))
            last_body = len(page.out)
            if furniture and rng.random() < 0.08:
                _photo(page)
    if furniture:
        _footer(page)
    return Reshaped("\n".join(page.out) + "\n", page.furniture, facts)


def _header(page: _Page) -> dict[str, Any]:
    rng = page.rng
    paper, name = rng.choice(PAPERS), rng.choice(PAGE_NAMES)
    year, month, day, number = rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28), rng.randint(1, 16)
    shape = rng.randrange(3)
    if shape == 0:
        weekday = WEEKDAYS[rng.randrange(7)]
        text = f"{paper} {year}年{month}月{day}日 星期{weekday} 第{number:02d}版：{name}"
        facts = {"paper": paper, "date": [year, month, day], "page": number, "page_name": name}
    elif shape == 1:
        text = f"第A{number:02d}版：{name}"
        facts = {"paper": None, "date": None, "page": number, "page_name": name}
    else:
        text = f"{year}年{month}月{day}日 第{number}版"
        facts = {"paper": None, "date": [year, month, day], "page": number, "page_name": None}
    page.furnish_line(text, "header")
    if rng.random() < 0.3:
        page.out.append("")
    return facts


def _photo(page: _Page) -> None:
    rng = page.rng
    roll = rng.random()
    if roll < 0.35:
        page.furnish_line(f"本报记者 {rng.choice(EDITORS)} 摄", "photo-credit")
    elif roll < 0.7:
        page.furnish_line(rng.choice(CAPTIONS)[:-1] + f"。（记者 {rng.choice(EDITORS)} 摄）", "caption")
    else:
        page.furnish_line("图为" + rng.choice(CAPTIONS).removeprefix("图为"), "caption")


def _footer(page: _Page) -> None:
    rng = page.rng
    a, b, c = rng.sample(EDITORS, 3)
    if rng.random() < 0.5:
        page.furnish_line(f"责任编辑 {a} 校对 {b} 美编 {c}", "editor")
    else:
        page.furnish_line(f"本版编辑：{a}  校对：{b}", "editor")
    if rng.random() < 0.5:
        page.furnish_line(str(rng.randint(1, 16)), "page-number")


def _bylines(text: str, rng: random.Random) -> Reshaped:
    out: list[str] = []
    credits: list[dict[str, Any]] = []
    for line in text.split("\n"):
        found = _BYLINE_PARTS.match(line.strip())
        if found is None:
            out.append(line)
            continue
        reporters = found["rep"].split()
        correspondents = found["cor"].split() if found["cor"] else []
        credit = {"reporters": reporters, "correspondents": correspondents, "interns": [], "photographers": []}
        out.extend(_byline_variant(found, reporters, correspondents, credit, rng))
        credits.append(credit)
    return Reshaped("\n".join(out), credits=credits)


def _byline_variant(
    found: re.Match[str], reporters: list[str], correspondents: list[str], credit: dict[str, Any], rng: random.Random
) -> list[str]:
    """One byline in one of the printed forms; `credit` gains the people it adds."""
    names, tail = " ".join(reporters), found["tail"] or ""
    others = f" 通讯员 {' '.join(correspondents)}" if correspondents else ""
    shape = rng.randrange(6)
    if shape == 0:
        lines = [f"{rng.choice(MARKS)}{rng.choice(ROLES)} {names}{others}{tail}"]
    elif shape == 1:
        lines = [f"记者{names}{others}{tail}"]
    elif shape == 2 and len(reporters) == 1:
        lines = [f"{rng.choice(BYLINE_PAPERS)} {names}{others}{tail}"]
    elif shape == 3:
        intern = rng.choice(ADDED_PEOPLE)
        credit["interns"].append(intern)
        lines = [f"记者 {names} 实习生 {intern}{others}{tail}"]
    elif shape == 4 and not tail:
        photographer = rng.choice(ADDED_PEOPLE)
        credit["photographers"].append(photographer)
        lines = [f"记者 {names}{others} 摄影 {photographer}"]
    else:
        lines = [f"记者 {names}", f"通讯员 {' '.join(correspondents)}{tail}"] if correspondents else [f"记者 {names}{tail}"]
    if found["open"] and len(lines) == 1:
        lines = [f"（{lines[0]}）"]
    return lines
