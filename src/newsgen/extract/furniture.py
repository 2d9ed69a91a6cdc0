"""Stage 2a, before all else: the lines of a page that belong to the page, not to a story.

A page printed from a PDF carries its furniture: the page header (版头: paper, date, 版次,
版名), the editors' line (责任编辑 … 校对 …), jump lines (下转第3版), photo credits and
captions, a page number standing alone, and sometimes a headline printed twice. None of
them is a headline, a subhead or body text; each is kept, with its line and kind, so that
nothing on the page is lost, and the header's facts become the page's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgen.config import full_date
from newsgen.extract.lines import INDENT_CHARS, headline_like
from newsgen.model import Date, Furniture, PageFacts

_S = r"[ \t\u3000\xa0]"
_HAN_NAME = r"[\u4e00-\u9fff·]{2,4}"
_HEADER = re.compile(
    rf"^(?:(?P<paper>[\u4e00-\u9fff]{{2,10}}){_S}+)?"
    rf"(?:(?P<year>(?:19|20)\d{{2}})年(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日{_S}*(?:星期[一二三四五六日天]|周[一二三四五六日天])?{_S}*)?"
    rf"第{_S}*(?P<page>[A-Za-z]?\d{{1,3}}){_S}*版(?:{_S}*[：:]?{_S}*(?P<name>[\u4e00-\u9fff]{{1,10}}))?$"
)
_EDITOR_ROLE = r"(?:责任编辑|本版编辑|执行编辑|责编|编辑|校对|美编|美术编辑|版式|组版|审读|审校)"
_EDITOR = re.compile(rf"^(?:{_EDITOR_ROLE}{_S}*[：:]?{_S}*{_HAN_NAME}(?:[、，,]{_HAN_NAME})*{_S}*)+$")
_JUMP = re.compile(rf"^[（(]?{_S}*(?:下转|上接|转|接)第?{_S}*[A-Za-z]?\d{{1,3}}{_S}*版{_S}*[）)]?$")
_NAMES = rf"{_HAN_NAME}(?:{_S}+{_HAN_NAME})*"
# With a role, or with a space before 摄: `活动现场拍摄` is text.
_PHOTO_CREDIT = re.compile(
    rf"^[（(]?(?:(?:本报)?(?:首席|特约|见习|融媒体?|摄影)?(?:记者|通讯员){_S}*{_NAMES}{_S}*|{_NAMES}{_S}+)"
    rf"(?:摄|摄影|供图)[）)]?$|^(?:图{_S}*[/／]|摄影{_S}*[/／]|摄影[：:]){_S}*{_HAN_NAME}$"
)
_CAPTION_END = re.compile(rf"[。！!]?{_S}*[（(](?:本报)?(?:记者|通讯员)?{_S}*{_HAN_NAME}(?:{_S}+{_HAN_NAME})*{_S}*摄[）)]$")
_BRACKETED_CREDIT = re.compile(r"[（(][^（()）]*摄[）)]")
_PAGE_NUMBER = re.compile(r"^[-—－–·\s]*\d{1,3}[-—－–·\s]*$")
# What every kind of furniture but a page number or a header holds: a page with none of them
# (most pages) is told apart by one search of its short lines.
_SIGNAL = re.compile("编辑|校对|美编|责编|审读|组版|摄|图为|供图")
_PAGE_WITH_NUMBER = re.compile(r"\d\s*版")
MAX_CAPTION = 80


@dataclass(frozen=True)
class Header:
    paper: str | None
    date: Date | None
    page: str | None  # 版次 as printed: "06", "A03"
    name: str | None  # 版名
    line: int | None = None  # where it is printed, 1-based

    def facts(self) -> PageFacts:
        return PageFacts(paper=self.paper, date=self.date, page=self.page, page_name=self.name)


def kind_of(text: str) -> str | None:
    """The kind of furniture this (stripped) line is, or None if it is text."""
    if len(text) > MAX_CAPTION:
        return None  # a paragraph: no furniture runs this long
    if len(text) <= 40 and _HEADER.match(text):
        return "header"
    if _EDITOR.match(text):
        return "editor"
    if _JUMP.match(text):
        return "jump"
    if _PHOTO_CREDIT.match(text):
        return "photo-credit"
    if len(text) <= MAX_CAPTION and (text.startswith("图为") or _CAPTION_END.search(text)):
        return "caption"
    if _PAGE_NUMBER.match(text):
        return "page-number"
    return None


def find_furniture(nonblank: Sequence[tuple[int, str]], first_line: int = 1) -> tuple[list[Furniture], dict[int, str]]:
    """The furniture among a page's non-blank lines (index, text), and the same as
    {index: kind}."""
    found: list[Furniture] = []
    kinds: dict[int, str] = {}
    if not _may_hold_furniture([raw for _, raw in nonblank]):
        return found, kinds
    previous: str | None = None
    for index, raw in nonblank:
        text = raw.strip(INDENT_CHARS + "\r\n\ufeff")
        if not text:
            continue
        kind = kind_of(text)
        if kind is None and raw == previous and headline_like(text.lstrip("#").strip()):
            # A headline printed twice in a row, indent and all (an indented paragraph may
            # open with its subhead's words): kept once.
            kind = "duplicate"
        previous = raw
        if kind is not None:
            kinds[index] = kind
            found.append(Furniture(first_line + index, kind, text))
    return found, kinds


def _may_hold_furniture(nonblank: list[str]) -> bool:
    if any(map(str.__eq__, nonblank, nonblank[1:])):
        return True  # a line printed twice
    # Furniture lines are short: the page's paragraphs need not be searched.
    short = [ln for ln in nonblank if len(ln) <= MAX_CAPTION + 4]
    if any(len(ln) <= 12 and _PAGE_NUMBER.match(ln) for ln in short):
        return True
    text = "\n".join(short)
    if _SIGNAL.search(text) is not None:
        return True
    # `出版社` holds 版 too: only a page number before it makes a header or a jump line.
    return "版" in text and _PAGE_WITH_NUMBER.search(text) is not None


def picture_credit(item: Furniture) -> str | None:
    """The credit a photo-credit line or a caption gives its picture (`本报记者 X 摄`,
    `（记者 X 摄）`), None for other furniture or a caption that credits no one."""
    if item.kind == "photo-credit":
        return item.text
    if item.kind == "caption":
        found = _BRACKETED_CREDIT.findall(item.text)
        return found[-1] if found else None
    return None


def header_facts(furniture: Sequence[Furniture]) -> Header | None:
    """What the first page header says."""
    for item in furniture:
        if item.kind != "header":
            continue
        match = _HEADER.match(item.text)
        assert match is not None
        date = None
        if match.group("year"):  # 2024年2月30日 is a misprint, not a date
            date = full_date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        return Header(match.group("paper"), date, match.group("page"), match.group("name"), item.line)
    return None
