"""Stage 2c: an article's body lines → blocks, with the layout's breaks repaired.

The page layout broke paragraphs mid-sentence and even mid-word (`…不断` / `夯实产业基础…`).
A piece that does not end a sentence is joined to the next piece of body text; a headline,
a byline or a finished sentence always ends a paragraph. Bylines leave the text but keep
every character, in `bylines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from newsgen.extract.bylines import GLUED_BYLINE, LEAD, match_byline_line
from newsgen.extract.lines import CLOSERS, Kind, Line, is_finished
from newsgen.lexicon import dictionary_text
from newsgen.model import Block

# Characters that end words (产业, 情况, 推进, 相继…) and so, standing alone as the first word,
# show that a paragraph lost its head. A list of word-tails rather than of sentence openers,
# because names (孙建功) and verbs (追, 看) open sentences too and must not be flagged.
_WORD_TAILS = set("业况们进继续化性者员度率级型类式域展设施导持建理作现键节制则术品质务构境量益")
_OPENS_QUOTE = "“「『"
_CLOSES_QUOTE = "”」』"
_QUOTE = re.compile(f"[{_OPENS_QUOTE}{_CLOSES_QUOTE}]")  # the first quotation mark of a text


@dataclass
class Body:
    dateline: str | None = None
    bylines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)
    blocks: list[Block] = field(default_factory=list)
    lead: str | None = None  # text of the paragraph that followed 本报讯, or the first paragraph
    brief_bylines: list[str] = field(default_factory=list)  # each ● item keeps its own in its text
    starts_mid_sentence: bool = False
    ends_mid_sentence: bool = False


def ends_paragraph(text: str) -> bool:
    return is_finished(text) or GLUED_BYLINE.search(text) is not None


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """The words of jieba's default dictionary (with a non-zero frequency, as `jieba.dt.FREQ`
    gives them) that begin with a word-tail character and are at most five characters long:
    all that `lost_beginning` looks up. Read from jieba's dict.txt with one regex (0.05 s):
    loading jieba's whole prefix dictionary takes 0.6 s, as long as extracting a hundred
    pages, in every process that extracts pages (a build that adds one page, too)."""
    text = dictionary_text()
    # A line is "word frequency [tag]"; a word listed twice keeps its last frequency.
    frequencies = dict(re.findall(rf"^([{''.join(sorted(_WORD_TAILS))}]\S{{0,4}}) (\d+)", text, re.MULTILINE))
    return frozenset(word for word, frequency in frequencies.items() if int(frequency))


def lost_beginning(text: str) -> bool:
    """Does this paragraph start in the middle of a sentence whose head the page lost?"""
    if not text:
        return False
    if text[0] in "，、。；：,;:" + CLOSERS:
        return True
    quote = _QUOTE.search(text)
    if quote is not None and quote.group() in _CLOSES_QUOTE:
        return True
    if text[0] not in _WORD_TAILS:
        return False
    # The first word is that lone character unless jieba's dictionary has a longer word there.
    words = _dictionary()
    return not any(text[:n] in words for n in range(2, 6))


class _Assembler:
    def __init__(self) -> None:
        self.body = Body()
        self.open: list[str] | None = None  # [type, text] of a block that may continue
        self.open_line = 0
        self.open_fresh = False
        self.last_kind: str | None = None

    def close(self) -> None:
        if self.open is None:
            return
        kind, text = self.open
        if kind == "paragraph":
            glued = GLUED_BYLINE.search(text)
            if glued:
                self.body.bylines.append((self.open_line, glued.group("byline").strip()))
                text = text[: glued.start()].rstrip()
        lost_head = kind == "paragraph" and self.open_fresh and lost_beginning(text)
        if lost_head:
            self.body.starts_mid_sentence = True
        if kind == "paragraph" and self.body.lead is None:
            self.body.lead = text
        # The paragraph itself is marked, so that a reader sees where the gap is: the
        # article's flag alone read as if the article's opening were lost.
        self.body.blocks.append(Block(kind, text, lost_head))  # type: ignore[arg-type]
        self.open = None

    def start(self, kind: str, text: str, line: Line, fresh: bool) -> None:
        self.close()
        self.open = [kind, text]
        self.open_line = line.no
        self.open_fresh = fresh

    def add(self, kind: str, line: Line) -> None:
        text = line.text
        if kind == "subhead":
            self.close()
            self.body.blocks.append(Block("subhead", text))
        elif kind == Kind.LEAD.value:
            self.close()
            lead = LEAD.match(text)
            assert lead is not None
            if self.body.dateline is None:
                self.body.dateline = lead.group("dateline")
            else:
                # A second 本报讯 in one article is text, not a second dateline.
                self.start("paragraph", text, line, fresh=False)
                self.last_kind = kind
                return
            if lead.group("byline"):
                self.body.bylines.append((line.no, lead.group("byline").strip()))
            rest = text[lead.end() :]
            if rest:
                self.start("paragraph", rest, line, fresh=False)
                self.body.lead = rest
        elif kind == Kind.BYLINE.value:
            if self.open is not None and self.open[0] == "brief":
                self.open[1] += " " + text
                self.body.brief_bylines.append(match_byline_line(text) or text)
                self.close()
            elif self.last_kind == Kind.BYLINE.value and self.body.bylines:
                number, previous = self.body.bylines[-1]
                self.body.bylines[-1] = (number, f"{previous} {match_byline_line(text)}")
            else:
                self.close()
                self.body.bylines.append((line.no, match_byline_line(text) or text))
        elif kind == Kind.BRIEF.value:
            self.start("brief", text, line, fresh=False)
        else:
            if self.open is not None and not ends_paragraph(self.open[1]):
                self.open[1] += text
            else:
                # Not a continuation: if it reads as one, its head was lost on the page.
                self.start("paragraph", text, line, fresh=True)
        self.last_kind = kind

    def finish(self) -> Body:
        if self.open is not None and self.open[0] == "paragraph":
            text = self.open[1]
            self.body.ends_mid_sentence = not ends_paragraph(text)
        self.close()
        return self.body


def assemble(items: list[tuple[str, Line]]) -> Body:
    assembler = _Assembler()
    for kind, line in items:
        assembler.add(kind, line)
    return assembler.finish()
