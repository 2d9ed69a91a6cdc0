"""Bylines in every form the district papers print them.

- in the lead: `本报讯(记者 X 通讯员 Y)`, half- or full-width brackets
- a line of its own before or after the body: `本报记者 X 通讯员 Y`, `记者 X 通讯员 Y 文/图`,
  `(记者 X)`, or the same split over two lines
- glued to the last sentence: `…新活力。记者 唐善普`
"""

from __future__ import annotations

import re

SPACE = r"[ \t\u3000\xa0]"
_ROLE = r"(?:本报)?(?:首席|特约|见习|融媒体?|摄影|实习)?(?:记者|通讯员|实习生)|摄影"
# A name never swallows the next role word.
_NAME = r"(?!(?:本报)?(?:首席|特约|见习|融媒体?|摄影|实习)?(?:记者|通讯员|实习生))[\u4e00-\u9fff·•]{2,6}"
_NAME_SEP = rf"(?:{SPACE}+|{SPACE}*[、，,]{SPACE}*)"
_CREDIT = r"(?:文\s*[/／]\s*图|图\s*[/／]\s*文|文\s*[/／]\s*摄|摄影|摄|文|图)"


def _byline(role_gap: str) -> str:
    group = rf"(?:{_ROLE}){role_gap}{_NAME}(?:{_NAME_SEP}{_NAME})*"
    return rf"{group}(?:{_NAME_SEP}{group})*(?:{SPACE}*{_CREDIT})?"


# On a line of its own a role must be followed by a space (`记者手记` is a column, not a byline);
# inside brackets the papers also glue the name on.
_LOOSE = _byline(rf"{SPACE}*[:：]?{SPACE}*")
_SPACED = _byline(rf"(?:{SPACE}+|{SPACE}*[:：]{SPACE}*)")

BYLINE_LINE = re.compile(rf"^(?:[(（]{SPACE}*(?P<bracketed>{_LOOSE}){SPACE}*[)）]|(?P<bare>{_SPACED}))$")
GLUED_BYLINE = re.compile(rf"(?<=[。！？!?…”」』])(?P<gap>{SPACE}*)(?P<byline>{_SPACED}){SPACE}*$")
LEAD = re.compile(
    rf"^(?P<dateline>本报讯|本报[\u4e00-\u9fff]{{1,4}}讯|本报\d{{1,2}}月\d{{1,2}}日讯)"
    rf"(?:{SPACE}*[(（]{SPACE}*(?P<byline>{_LOOSE}){SPACE}*[)）])?{SPACE}*"
)

_TOKEN = re.compile(rf"[^{SPACE[1:-1]}、，,]+")
_ROLE_AT_START = re.compile(rf"^(?P<role>{_ROLE})[:：]?")
_CREDIT_ONLY = re.compile(rf"^{_CREDIT}$")


def parse_names(byline: str) -> tuple[list[str], list[str]]:
    """Reporters and correspondents in source order, from a byline's text."""
    reporters: list[str] = []
    correspondents: list[str] = []
    target = reporters
    for token in _TOKEN.findall(byline.strip("()（）")):
        role = _ROLE_AT_START.match(token)
        if role:
            target = correspondents if "通讯员" in role.group("role") else reporters
            token = token[role.end() :]
            if not token:
                continue
        token = token.strip("()（）")
        if not token or _CREDIT_ONLY.match(token) or "/" in token or "／" in token:
            continue
        if token not in target:
            target.append(token)
    return reporters, correspondents


def match_byline_line(text: str) -> str | None:
    """The byline text of a line that is nothing but a byline, brackets dropped."""
    found = BYLINE_LINE.match(text.strip())
    if not found:
        return None
    return (found.group("bracketed") or found.group("bare")).strip()
