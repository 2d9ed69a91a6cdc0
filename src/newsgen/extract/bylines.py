"""Bylines in every form the district papers print them.

- in the lead: `本报讯(记者 X 通讯员 Y)`, half- or full-width brackets
- a line of its own before or after the body: `本报记者 X 通讯员 Y`, `记者 X 通讯员 Y 文/图`,
  `(记者 X)`, `□晚报记者 X`, `文/图 本报记者 X`, or the same split over two lines
- a name glued to its role (`记者郭树勋`), a paper and a name (`中牟时报 李淑娟`), a photo
  credit (`摄影 X`, `X 摄`)
- glued to the last sentence: `…新活力。记者 唐善普`, `…新活力。(记者 唐善普)`

Roles: 记者 in all its forms (本报, 晚报, 首席, 见习, 融媒, 特约, or a paper's name before it)
makes a reporter; 通讯员 a correspondent; 实习生 (实习记者) an intern, who is not a reporter;
摄影, 摄影记者, a trailing `摄` or a leading `图/` a photographer. `文/图` credits a whole group
with text and pictures alike and so names no photographer: the paper does not say who took them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

SPACE = r"[ \t\u3000\xa0]"
_S = SPACE
_HAN = "\u4e00-\u9fff"
_MARKS = "□■◎"
_ROLE_WORD = r"(?:本报|晚报)?(?:首席|特约|见习|融媒体?|摄影|实习)?(?:记者|通讯员)|实习生|摄影"
# A paper's own name: 中牟时报, 郑州日报, 上街报 (at least two characters before 报: 本报 is a role).
_PAPER = rf"[{_HAN}]{{2,4}}?(?:时报|日报|晚报|报)"
_ROLE = rf"(?:[{_MARKS}]{_S}*)?(?:{_PAPER})?(?:{_ROLE_WORD})"
# A name never swallows the next role word.
_NAME = rf"(?!{_ROLE_WORD})[{_HAN}·•]{{2,6}}"
_NAME_SEP = rf"(?:{_S}+|{_S}*[、，,]{_S}*)"
_CREDIT = r"(?:文\s*[/／]\s*图|图\s*[/／]\s*文|文\s*[/／]\s*摄|摄影|摄|文|图)"
# `文/图 记者 X`, `图/记者 X`, `图/X`: a credit before the role.
_PREFIX = rf"(?:(?:文{_S}*[/／]{_S}*图|图{_S}*[/／]{_S}*文)(?:{_S}+|{_S}*[/／:：]{_S}*)|[文图]{_S}*[/／:：]{_S}*)"


def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames) from data/surnames.txt."""
    text = resources.files("newsgen").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    singles: set[str] = set()
    compounds: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " " in line:
            compounds.update(line.split())
        else:
            singles.update(line)
    return frozenset(singles), frozenset(compounds)


_SINGLES, _COMPOUNDS = _surnames()
# Where no role word stands right before a name, the name must begin with a surname and end
# where the Han characters end: that is what tells `记者郭树勋` from the column `记者手记`. The
# patterns take any name and `_acceptable` checks such names after a match: four hundred
# surnames in a character class, in every pattern that needs them, compiled slowly.
_SURNAMED = rf"[{_HAN}]{{2,4}}(?![{_HAN}])"


def surnamed(name: str) -> bool:
    """A two- or three-character name with a surname, or three or four with a compound one."""
    if name[:2] in _COMPOUNDS and 3 <= len(name) <= 4:
        return True
    return name[:1] in _SINGLES and 2 <= len(name) <= 3


def name_start(text: str) -> bool:
    """Could `text` open a name the column's edge cut: a surname (`闫`, `欧阳`)?"""
    return text in _SINGLES or text in _COMPOUNDS


_GAP = rf"{_S}*[:：]?{_S}*"
# One role and its names: the role a role word (记者), a paper's name (中牟时报 X), a credit
# before the role (文/图 记者 X) or the credit alone (图/X).
_GROUP = (
    rf"(?:(?:{_PREFIX})?{_ROLE}{_GAP}|(?:[{_MARKS}]{_S}*)?{_PAPER}{_S}+|{_PREFIX})"
    rf"{_NAME}(?:{_NAME_SEP}{_NAME})*"
)
_ROLED = rf"{_GROUP}(?:{_NAME_SEP}{_GROUP})*(?:{_S}*{_CREDIT})?"
_PHOTO_CREDIT = rf"(?:[{_MARKS}]{_S}*)?{_SURNAMED}(?:{_NAME_SEP}{_SURNAMED})*(?:{_S}+|{_S}*[/／]{_S}*)摄影?"
_ANY = rf"(?:{_ROLED}|{_PHOTO_CREDIT})"

# One pattern for a byline glued to the last sentence, on a line of its own (tried as if it
# followed a full stop) and in a 本报讯 lead's brackets: each copy of these forms takes
# 15 ms to compile in every process that extracts pages.
_GLUED = re.compile(
    rf"(?<=[。！？!?…”」』])(?P<gap>{_S}*)(?P<open>[(（]{_S}*)?(?P<byline>{_ANY})(?(open){_S}*[)）]){_S}*$"
)

_TOKEN = re.compile(rf"[^{SPACE[1:-1]}、，,]+")
# A token: a credit alone (文/图, 摄), or an optional credit prefix (图/), an optional role
# (记者, 中牟时报, 中牟时报记者) and the name glued on, perhaps with a trailing /摄.
_TOKEN_PARTS = re.compile(
    rf"^(?:(?P<credit>{_CREDIT})$|(?P<prefix>{_PREFIX})?"
    rf"(?:(?:{_PAPER})?(?P<role>{_ROLE_WORD})(?P<colon>[:：])?|(?P<paper>{_PAPER})$)?"
    rf"(?P<name>.*?)(?P<photo>[/／]摄影?)?$)"
)
# A byline that opens with a role and glues no name to a role needs no surname checked.
_ROLE_FIRST = re.compile(rf"(?:{_PREFIX})?{_ROLE}")
_ROLE_GLUED = re.compile(rf"(?:{_ROLE_WORD})[{_HAN}]")
# What a byline line can begin with: a bracket, a mark, a role word or a credit (文/图).
_OPENERS = frozenset("(（□■◎本晚首特见融摄实记通文图")
# No byline runs longer (ten names with their roles take sixty), and every one has a role
# word, 摄, a paper's 报 or a credit's slash: lines and paragraph ends without are not tried.
MAX_BYLINE = 100
_MAYBE_BYLINE = re.compile(r"记者|通讯员|实习生|摄|报|[/／]")


class _TailSearch:
    """`_GLUED` tried only on a paragraph's last `MAX_BYLINE` characters: from every sentence
    end of a long paragraph the pattern would otherwise try its many forms, a third of the time
    of extracting a page. Positions stay those of the whole text, as `re.search` gives them."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        last = text.rstrip(" \t\u3000\xa0")[-1:]
        if not last or not ("\u4e00" <= last <= "\u9fff" or last in ")）"):
            return None  # a byline ends with a name, a credit or a bracket; most paragraphs with 。
        start = max(0, len(text) - MAX_BYLINE)
        if not _MAYBE_BYLINE.search(text, start):
            return None
        found = self.pattern.search(text, start)
        if found is None or not _acceptable(found.group("byline"), bool(found.group("open")), True):
            return None
        return found


GLUED_BYLINE = _TailSearch(_GLUED)
_DATELINE = r"(?P<dateline>本报讯|本报[\u4e00-\u9fff]{1,4}讯|本报\d{1,2}月\d{1,2}日讯)"
_LEAD_BRACKETED = re.compile(
    rf"^{_DATELINE}{_S}*[(（]{_S}*(?P<byline>[^()（）]{{1,{MAX_BYLINE}}}?){_S}*[)）]{_S}*"
)
_LEAD_BARE = re.compile(rf"^{_DATELINE}(?P<byline>(?!)){{0}}{_S}*")


def _is_byline(text: str, bracketed: bool, after_sentence: bool) -> re.Match[str] | None:
    found = _GLUED.match("。" + text, 1)
    if found is None or found.group("open") or not _acceptable(found.group("byline"), bracketed, after_sentence):
        return None
    return found


class _Lead:
    """`本报讯`, `本报郑州讯`, `本报3月9日讯`, and the byline in brackets after it if any:
    `match` gives groups `dateline` and `byline` and ends where the lead's text begins."""

    def match(self, text: str) -> re.Match[str] | None:
        found = _LEAD_BRACKETED.match(text)
        if found and _is_byline(found.group("byline").strip(), True, False):
            return found
        return _LEAD_BARE.match(text)


LEAD = _Lead()


def match_byline_line(text: str) -> str | None:
    """The byline text of a line that is nothing but a byline, brackets dropped."""
    text = text.strip()
    if len(text) > MAX_BYLINE or not _could_open_byline(text):
        return None
    bracketed = text[0] in "(（" and text[-1] in ")）"
    found = _is_byline(text[1:-1].strip() if bracketed else text, bracketed, False)
    return found.group("byline").strip() if found else None


def _could_open_byline(text: str) -> bool:
    """Most lines fail here, faster than the pattern fails them (it tries every form)."""
    if text[0] in _OPENERS or text.endswith(("摄", "摄影")):  # `张三 摄`
        return True
    return "报" in text[2:6]  # a paper's name: 中牟时报 李淑娟, 郑州晚报记者 张三


def _acceptable(byline: str, bracketed: bool, after_sentence: bool) -> bool:
    """Do the names no spaced role word announces begin with a surname?

    Names before any role (`张三 摄`) or after a paper's name (`中牟时报 李淑娟`) must, and so
    must a name glued to its role on a line of its own (`记者郭树勋`, not `记者手记`); inside
    brackets the papers glue any name on. After the last sentence a name glued to its role
    is not taken at all: a layout break after `。记者向他` would look the same."""
    if _ROLE_FIRST.match(byline) and (bracketed or not _ROLE_GLUED.search(byline)):
        return True  # every name announced by a spaced role: most bylines, checked at once
    announced = False
    for index, token in enumerate(_tokens(byline)):
        parts = _TOKEN_PARTS.match(token)
        assert parts is not None  # every group of the pattern is optional
        if parts.group("credit"):
            announced = announced or parts.group("credit") == "摄影"
            continue
        name = (parts.group("name") or "").strip("()（）")
        if parts.group("role"):
            announced = True
            if name and not bracketed and not parts.group("colon"):
                if after_sentence or not surnamed(name):
                    return False
            continue
        if parts.group("prefix"):
            announced = True
        if index == 0 and parts.group("paper"):
            continue  # the paper's name: the names after it are not announced
        if name and not announced and not surnamed(name):
            return False
    return True


class Credits(NamedTuple):
    """The people a byline names, each list in source order."""

    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    interns: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()


@dataclass
class _Group:
    role: str | None  # "reporters", "correspondents", "interns", "photographers"; None: no role word
    photo: bool = False  # credited with the pictures (`图/`, a trailing `摄`)
    names: list[str] = field(default_factory=list)


def _tokens(byline: str) -> list[str]:
    return [t for t in (t.lstrip(_MARKS) for t in _TOKEN.findall(byline.strip("()（）"))) if t]


# What makes a token more than a name: a role, a paper's 报, a credit, a slash or a bracket.
_NOT_PLAIN = re.compile(r"[/／()（）]|记者|通讯员|^(?:本报|晚报|首席|特约|见习|融媒|摄影|实习)|[报摄]$|摄影$")


def _plain_name(token: str) -> bool:
    return len(token) > 1 and _NOT_PLAIN.search(token) is None


def _role_of(word: str) -> str:
    if "通讯员" in word:
        return "correspondents"
    if word.startswith(("实习", "本报实习", "晚报实习")):
        return "interns"
    if "摄影" in word:
        return "photographers"
    return "reporters"


def _groups(byline: str) -> list[_Group]:
    """The byline cut into its roles, each with its names."""
    groups: list[_Group] = []
    tokens = _tokens(byline)
    for index, token in enumerate(tokens):
        if groups and _plain_name(token):
            groups[-1].names.append(token)  # the common case, without the pattern
            continue
        parts = _TOKEN_PARTS.match(token)
        assert parts is not None  # every group of the pattern is optional
        credit, prefix, role = parts.group("credit", "prefix", "role")
        if credit == "摄影" and index < len(tokens) - 1:
            role = credit  # names follow: 摄影 is the role, not the credit `X 摄影`
        elif credit:
            if "摄" in credit and groups:
                groups[-1].photo = True
            continue
        if prefix:
            groups.append(_Group(None, "图" in prefix and "文" not in prefix))
        if role or (index == 0 and parts.group("paper")):
            kind = _role_of(role) if role else "reporters"
            if groups and groups[-1].role is None and not groups[-1].names:
                groups[-1].role = kind  # `图/记者 X`: the prefix's group takes the role
            else:
                groups.append(_Group(kind))
        name = (parts.group("name") or "").strip("()（）")
        if not name or "/" in name or "／" in name:
            continue
        if not groups:
            groups.append(_Group(None))
        groups[-1].names.append(name)
        groups[-1].photo = groups[-1].photo or bool(parts.group("photo"))
    return groups


@lru_cache(maxsize=16384)
def parse_credits(byline: str) -> Credits:
    """Reporters, correspondents, interns and photographers from a byline's text.

    Cached: a paper prints the same few bylines over and over."""
    found: dict[str | None, list[str]] = {"reporters": [], "correspondents": [], "interns": [], "photographers": []}
    for group in _groups(byline):
        if group.role is not None:
            _add(found[group.role], group.names)
        if group.photo or group.role is None:
            _add(found["photographers"], group.names)
    return Credits(
        tuple(found["reporters"]), tuple(found["correspondents"]), tuple(found["interns"]), tuple(found["photographers"])
    )


def _add(names: list[str], more: list[str]) -> None:
    for name in more:
        if name not in names:
            names.append(name)
