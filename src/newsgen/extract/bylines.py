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


def _surnames() -> tuple[str, list[str]]:
    """(single-character surnames, compound surnames) from data/surnames.txt."""
    text = resources.files("newsgen").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    singles: list[str] = []
    compounds: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " " in line:
            compounds += line.split()
        else:
            singles += list(line)
    return "".join(sorted(set(singles))), sorted(set(compounds), key=lambda s: (-len(s), s))


_SINGLES, _COMPOUNDS = _surnames()
# Where no role word stands right before a name, the name must begin with a surname and end
# where the Han characters end: that is what tells `记者郭树勋` from the column `记者手记`.
_SURNAMED = rf"(?:{'|'.join(_COMPOUNDS)}|[{_SINGLES}])[{_HAN}]{{1,2}}(?![{_HAN}])"
_SURNAMED_LIST = rf"{_SURNAMED}(?:{_NAME_SEP}{_SURNAMED})*"


def _group(role_gap: str) -> str:
    """One role and its names."""
    return rf"(?:(?:{_PREFIX})?{_ROLE}{role_gap}|{_PREFIX}){_NAME}(?:{_NAME_SEP}{_NAME})*"


def _byline(first: str, role_gap: str) -> str:
    return rf"(?:{first})(?:{_NAME_SEP}{_group(role_gap)})*(?:{_S}*{_CREDIT})?"


_LOOSE_GAP = rf"{_S}*[:：]?{_S}*"
_SPACED_GAP = rf"(?:{_S}+|{_S}*[:：]{_S}*)"
_LOOSE = _byline(_group(_LOOSE_GAP), _LOOSE_GAP)
_SPACED = _byline(_group(_SPACED_GAP), _SPACED_GAP)
# `记者郭树勋`, `中牟时报 李淑娟`, `张三 摄`: names that no spaced role word announces.
_GLUED_NAME = _byline(rf"(?:{_PREFIX})?{_ROLE}{_SURNAMED}(?:{_NAME_SEP}{_NAME})*", _LOOSE_GAP)
_PAPER_NAMES = _byline(rf"(?:[{_MARKS}]{_S}*)?{_PAPER}{_S}+{_SURNAMED_LIST}", _SPACED_GAP)
_PHOTO_CREDIT = rf"(?:[{_MARKS}]{_S}*)?{_SURNAMED_LIST}(?:{_S}+|{_S}*[/／]{_S}*)摄影?"
_UNANNOUNCED = f"(?:{_PAPER_NAMES}|{_PHOTO_CREDIT})"

# On a line of its own a role must be followed by a space, or a name that begins with a
# surname; inside brackets the papers also glue any name on.
BYLINE_LINE = re.compile(
    rf"^(?:[(（]{_S}*(?P<bracketed>{_LOOSE}|{_UNANNOUNCED}){_S}*[)）]"
    rf"|(?P<bare>{_SPACED}|{_GLUED_NAME}|{_UNANNOUNCED}))$"
)
# After the last sentence the name must be set off by a space or brackets: a layout break
# right after `。记者向他` must not turn the sentence's start into a byline.
GLUED_BYLINE = re.compile(
    rf"(?<=[。！？!?…”」』])(?P<gap>{_S}*)(?P<open>[(（]{_S}*)?"
    rf"(?P<byline>(?(open)(?:{_LOOSE}|{_UNANNOUNCED})|(?:{_SPACED}|{_UNANNOUNCED})))"
    rf"(?(open){_S}*[)）]){_S}*$"
)
LEAD = re.compile(
    rf"^(?P<dateline>本报讯|本报[{_HAN}]{{1,4}}讯|本报\d{{1,2}}月\d{{1,2}}日讯)"
    rf"(?:{_S}*[(（]{_S}*(?P<byline>{_LOOSE}){_S}*[)）])?{_S}*"
)


def match_byline_line(text: str) -> str | None:
    """The byline text of a line that is nothing but a byline, brackets dropped."""
    found = BYLINE_LINE.match(text.strip())
    if not found:
        return None
    return (found.group("bracketed") or found.group("bare")).strip()


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


_TOKEN = re.compile(rf"[^{SPACE[1:-1]}、，,]+")
_PREFIX_AT_START = re.compile(rf"^{_PREFIX}")
_PAPER_ROLE = re.compile(rf"^{_PAPER}$")
_ROLE_AT_START = re.compile(rf"^(?:{_PAPER})?(?P<role>{_ROLE_WORD})[:：]?")
_CREDIT_ONLY = re.compile(rf"^{_CREDIT}$")
_PHOTO_SUFFIX = re.compile(r"[/／]摄影?$")


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
    tokens = [t.lstrip(_MARKS) for t in _TOKEN.findall(byline.strip("()（）"))]
    tokens = [t for t in tokens if t]
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        if _CREDIT_ONLY.match(token) and not (token == "摄影" and not last):
            if "摄" in token and groups:
                groups[-1].photo = True
            continue
        photo = False
        prefix = _PREFIX_AT_START.match(token)
        if prefix:
            photo = "图" in prefix.group() and "文" not in prefix.group()
            token = token[prefix.end() :]
            groups.append(_Group(None, photo))
        role = _ROLE_AT_START.match(token)
        if role or (index == 0 and _PAPER_ROLE.match(token)):
            kind = _role_of(role.group("role")) if role else "reporters"
            if groups and groups[-1].role is None and not groups[-1].names:
                groups[-1].role = kind  # `图/记者 X`: the prefix's group takes the role
            else:
                groups.append(_Group(kind, photo))
            token = token[role.end() :] if role else ""
        if not token:
            continue
        if _PHOTO_SUFFIX.search(token):
            token = _PHOTO_SUFFIX.sub("", token)
            photo = True
        token = token.strip("()（）")
        if not token or "/" in token or "／" in token:
            continue
        if not groups:
            groups.append(_Group(None))
        groups[-1].names.append(token)
        groups[-1].photo = groups[-1].photo or photo
    return groups


def parse_credits(byline: str) -> Credits:
    """Reporters, correspondents, interns and photographers from a byline's text."""
    found: dict[str, list[str]] = {"reporters": [], "correspondents": [], "interns": [], "photographers": []}
    for group in _groups(byline):
        targets = [group.role] if group.role else []
        if group.photo or group.role is None:
            targets.append("photographers")
        for target in dict.fromkeys(targets):
            found[target] += [n for n in group.names if n not in found[target]]
    return Credits(*(tuple(found[k]) for k in ("reporters", "correspondents", "interns", "photographers")))


def parse_names(byline: str) -> tuple[list[str], list[str]]:
    """Reporters and correspondents in source order, from a byline's text."""
    credits = parse_credits(byline)
    return list(credits.reporters), list(credits.correspondents)
