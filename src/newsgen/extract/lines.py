"""Stage 2a: what each line of a page is, before deciding what it belongs to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from newsgen.extract.bylines import LEAD, match_byline_line

INDENT_CHARS = " \t\u3000\xa0"
# Sentence-final marks; closing quotes and brackets after them do not reopen a sentence.
FINAL = "。！？!?…；;"
CLOSERS = "”’」』）)】》\"'"
_MARKED = re.compile(r"^(#{1,6})[ \t\u3000]*(?=[^#\s])(.*?)[ \t\u3000]*#*[ \t\u3000]*$")
_BRIEF = re.compile(r"^[●◆]")
# Punctuation a headline never carries (it separates phrases with spaces instead).
_NOT_IN_HEADLINE = re.compile(r"[，,。；;：:]|(?<!\d)\.|\.(?!\d)|……")
_WORDISH = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
# A subhead made of two phrases parted by a comma (`筑牢党建“硬实力”,用心当好“娘家人”`):
# short, with no other punctuation, and not ending in one (a closing quote aside).
_COMMA_SUBHEAD = re.compile(r"^[^，,。；;：:！？!?…]{2,12}[，,][^，,。；;：:！？!?…]{2,12}$")
MAX_COMMA_SUBHEAD = 24
# A 引题 naming a place or a unit and ending in a colon (`上街区：`) over its 主题.
_COLON_KICKER = re.compile(r"^[^\s，,。；;：:！？!?、]{2,12}[：:]$")
MAX_HEADLINE = 48
# A headline set on one line with its kicker and subtitle runs long; it is still recognisable
# by what follows it: a 本报讯 lead or a 本报记者 byline opens a story.
MAX_HEADLINE_BEFORE_LEAD = 90


class Kind(Enum):
    HEADING = "heading"  # marked with #: certainly a headline of some role
    CANDIDATE = "candidate"  # unmarked short line with no closing punctuation: maybe a headline
    LEAD = "lead"  # starts with 本报讯
    BYLINE = "byline"  # nothing but a byline
    BRIEF = "brief"  # a ● item of the 简讯 column
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the source file
    raw: str
    text: str  # without indentation, trailing spaces or heading marks
    kind: Kind
    level: int = 0  # number of # marks; 0 when unmarked
    indented: bool = False
    end: int = 0  # the last source line of a line unwrapped from several; 0: `no` alone


def is_finished(text: str) -> bool:
    """Does this text end a sentence (so that what follows is not its continuation)?"""
    stripped = text.rstrip(INDENT_CHARS + CLOSERS)
    return bool(stripped) and stripped[-1] in FINAL


def headline_like(text: str, limit: int = MAX_HEADLINE) -> bool:
    if not text or len(text.replace(" ", "").replace("\u3000", "")) > limit:
        return False
    if text[0] in CLOSERS or text[0] in "，、。；：,;:" or _BRIEF.match(text):
        return False
    if _NOT_IN_HEADLINE.search(text):
        return False
    body = text.rstrip("！？!?")
    if any(c in "！？!?" for c in body):
        return False
    return len(_WORDISH.findall(text)) >= 2


def classify(no: int, raw: str, end: int = 0) -> Line | None:
    """None for a blank line."""
    text = raw.strip(INDENT_CHARS + "\r\n\ufeff")
    if not text:
        return None
    indented = raw[:1] in INDENT_CHARS
    marked = _MARKED.match(text)
    if marked:
        return Line(no, raw, marked.group(2), Kind.HEADING, len(marked.group(1)), indented, end)
    if match_byline_line(text) is not None:
        kind = Kind.BYLINE
    elif LEAD.match(text):
        kind = Kind.LEAD
    elif _BRIEF.match(text):
        kind = Kind.BRIEF
    elif headline_like(text):
        kind = Kind.CANDIDATE
    else:
        kind = Kind.TEXT
    return Line(no, raw, text, kind, 0, indented, end)


def _reads_as_headline(line: Line, following: Line, before: Line | None) -> bool:
    """Is this text line a headline after all, by what stands around it?"""
    text = line.text
    if text[-1] in "：:" and following.kind in (Kind.CANDIDATE, Kind.HEADING) and _COLON_KICKER.match(text):
        return True  # only over a headline: `会议要求：` over body text announces what follows
    if (
        len(text) <= MAX_COMMA_SUBHEAD
        and following.kind in (Kind.TEXT, Kind.LEAD)
        and before is not None
        and is_finished(before.text)
        and _COMMA_SUBHEAD.match(text)
    ):
        # Between a finished paragraph and the next: a subhead, unless the next line turns
        # out to be its sentence's rest (segment checks that).
        return True
    opens_story = following.kind is Kind.LEAD or (following.kind is Kind.BYLINE and following.text.startswith("本报"))
    # After a closing byline a story has ended: a long unpunctuated line is the next one's
    # headline set on one line, even over a lead with no 本报讯.
    closed = before is not None and before.kind is Kind.BYLINE
    return (opens_story or closed) and headline_like(text, MAX_HEADLINE_BEFORE_LEAD)


def classify_page(lines: Sequence[tuple[int, int, str, bool]]) -> list[Line]:
    """`lines`: (first, last source line, text, wide) of each logical line (extract.layout);
    `wide`: wider than the column of a wrapped page, so a headline if it reads as one."""
    out = []
    for first, last, raw, wide in lines:
        line = classify(first, raw, last if last != first else 0)
        if line is not None:
            if wide and line.kind is Kind.TEXT and headline_like(line.text, MAX_HEADLINE_BEFORE_LEAD):
                line = replace(line, kind=Kind.CANDIDATE)
            out.append(line)
    if out and sum(1 for ln in out if ln.indented) >= 0.9 * len(out):
        # Every line indented: the indent tells nothing apart (headlines are indented too).
        out = [replace(ln, indented=False) for ln in out]
    for index, line in enumerate(out[:-1]):
        if line.kind is Kind.TEXT:
            following = out[index + 1]
            if _reads_as_headline(line, following, out[index - 1] if index else None):
                out[index] = replace(line, kind=Kind.CANDIDATE)
    # In a page indented one paragraph per line, an indented short line is body text:
    # the layout only indents paragraphs, never headlines.
    indented_text = sum(1 for ln in out if ln.indented and ln.kind is Kind.TEXT)
    if indented_text >= 3:
        out = [
            replace(ln, kind=Kind.TEXT, level=0) if ln.kind is Kind.CANDIDATE and ln.indented else ln
            for ln in out
        ]
    return out
