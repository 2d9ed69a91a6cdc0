"""Stage 2a, first: a page's physical lines → its logical lines.

A PDF's text layer comes hard-wrapped at the column width: a paragraph runs over many lines
that all end at the column's edge (mid-word, or before a `，` that then opens the next line),
and only an indent, or a short last line, shows where it ends. Such a page is recognised by
its line widths (many lines end at one width), not by a flag; its wrapped lines are joined
back. Every other page keeps one logical line per physical line, as before.

A line that reaches the column's edge is continued by the next line unless that one is
indented (a new paragraph), opens a story (`本报讯`, a byline, a ● item, a `#` heading), or is
a headline standing alone: short, with no sentence punctuation, after a finished sentence
and before a break. The short last line of a paragraph ends with closing punctuation; a
headline does not; a wrapped line is as wide as its neighbours.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

from newsgen.extract.bylines import GLUED_BYLINE, LEAD, MAX_BYLINE, match_byline_line, name_start, surnamed
from newsgen.extract.lines import INDENT_CHARS, headline_like, is_finished

# Wider than this, a column is a page's full width: nothing to unwrap.
MAX_COLUMN = 40
MIN_COLUMN = 6
# How far short of the column's width a wrapped line may end (a half-width character at the
# edge, or a space the text layer dropped).
_SLACK = 1.5
# Chinese typesetting never opens a line on these: a line that starts with one is the rest of
# the line before, which the column broke ahead of its punctuation.
_CLOSING = frozenset("，。、；：？！）》〉】」』”’…,.;:?!)")
_STARTS_STORY = re.compile(r"^(?:#{1,6}[ \t\u3000]|[●◆])")
_LINE_CHARS = INDENT_CHARS + "\r\n\ufeff"
_NARROW = re.compile("[\x00-\u1fff]")
# The most characters a line of the widest column holds (all half-width, and an indent).
_LONGEST_COLUMN_LINE = 2 * MAX_COLUMN + 4
_PHRASE_GAP = re.compile(r"[\u3400-\u9fff”》][ \u3000]+[\u3400-\u9fff“《]")
# The rest of a byline's names cut at the column's edge: a few names of Han characters.
_ROLE_WORD = re.compile(r"(?:本报)?(?:记者|通讯员|实习生|摄影)")
_HAN_WORDS = re.compile(r"[\u4e00-\u9fff]+(?:[ \u3000]+[\u4e00-\u9fff]+)*")
_HAN_TAIL = re.compile(r"[\u4e00-\u9fff]*$")
_LONGEST_NAME = 6  # a compound surname and a given name of four, or a role word and more


class Logical(NamedTuple):
    """One logical line: physical lines first..last joined (blank lines never inside). A
    tuple, as cheap to make as one: every line of every page becomes one."""

    first: int  # 1-based source line numbers
    last: int
    raw: str
    # Wider than the column of a wrapped page: set across columns, as only headlines are.
    wide: bool = False


def display_width(text: str) -> float:
    """A line's printed width in Han characters: Latin letters, digits and ASCII punctuation
    are half as wide. Trailing spaces print nothing."""
    text = text.rstrip(" \t\r\n")
    if len(text) > _LONGEST_COLUMN_LINE:
        return float(len(text))  # far wider than any column, whatever its characters: no need to count
    return len(text) - 0.5 * len(_NARROW.findall(text))


def column_width(widths: Sequence[float]) -> int | None:
    """The width most lines end at, if enough do that this is a wrapped page; else None."""
    needed = max(4, 0.3 * len(widths))
    halves = Counter(round(2 * w) for w in widths if w <= MAX_COLUMN)  # widths are in half-characters
    if sum(halves.values()) < needed:
        return None
    best, best_count = None, 0
    for column in range(MIN_COLUMN, MAX_COLUMN + 1):
        count = sum(halves[h] for h in range(2 * column - round(2 * _SLACK), 2 * column + 1))
        if count >= best_count:  # the widest of equals: a wrapped line's width
            best, best_count = column, count
    if best is None or best_count < needed:
        return None
    # The column's edge is where its widest wrapped line ends.
    return math.ceil(max(w for w in widths if best - _SLACK <= w <= best))


def _indented(raw: str) -> bool:
    return raw[:1] in INDENT_CHARS and raw.strip(_LINE_CHARS) != ""


def _opens(text: str) -> bool:
    """Does this line open something a wrapped line never runs into?"""
    return bool(_STARTS_STORY.match(text) or LEAD.match(text) or match_byline_line(text) is not None)


def logical_lines(lines: Sequence[str], first_line: int = 1, skip: frozenset[int] = frozenset()) -> list[Logical]:
    """`skip`: indexes of lines that are not text (furniture): each breaks a paragraph."""
    nonblank = [(i, raw) for i, raw in enumerate(lines) if raw and not raw.isspace()]
    return [Logical(*line) for line in page_lines(nonblank, first_line, skip)]


def page_lines(
    nonblank: Sequence[tuple[int, str]], first_line: int, skip: frozenset[int] = frozenset()
) -> Sequence[tuple[int, int, str, bool]]:
    """(first, last, text, wide) of each logical line of a page, from its non-blank lines (index,
    text): a `Logical` for each line of a wrapped page, a plain tuple (the same fields, made ten
    times faster) for each line of any other page, which is most pages."""
    # A line of nothing but a BOM is kept: classify drops it, as any blank line.
    kept = [(i, raw) for i, raw in nonblank if i not in skip] if skip else nonblank
    short = sum(len(raw) <= _LONGEST_COLUMN_LINE for _, raw in kept)
    column = None
    if short >= max(4, 0.8 * len(kept)):  # most pages: whole paragraphs a line, decided at once
        column = column_width([display_width(raw) for _, raw in kept])
    if column is None:
        return [(first_line + i, first_line + i, raw, False) for i, raw in kept]
    out: list[Logical] = []
    uses_indent = sum(1 for _, raw in kept if _indented(raw)) >= 2
    if uses_indent:
        column = max(column, _first_lines_width(kept))
    for k, (i, raw) in enumerate(kept):
        if out and _continues(out[-1], kept, k, column, uses_indent):
            previous = out[-1]
            out[-1] = Logical(previous.first, first_line + i, _join(previous.raw, raw))
        else:
            out.append(Logical(first_line + i, first_line + i, raw, display_width(raw) > column + 0.5))
    return out


def _first_lines_width(kept: Sequence[tuple[int, str]]) -> int:
    """The widest indented line that breaks off mid-sentence with an unindented line under
    it: a paragraph's first line, which ran to the column's edge. Where most paragraphs are
    a line long, the commonest width is theirs, narrower than the column."""
    widest = 0
    for (i, raw), (j, after) in zip(kept, kept[1:]):
        if j == i + 1 and _indented(raw) and not _indented(after) and not is_finished(raw):
            widest = max(widest, math.floor(display_width(raw)))
    return widest


def _join(text: str, wrapped: str) -> str:
    """No space where the column broke a line, except one the text had there (`记者 唐善普`)."""
    head = text.rstrip(_LINE_CHARS)
    space = " " if text.rstrip("\r\n").endswith(" ") else ""
    return head + space + wrapped.lstrip(_LINE_CHARS).rstrip("\r\n")  # its own trailing space kept


def _continues(
    previous: Logical, kept: Sequence[tuple[int, str]], k: int, column: int, uses_indent: bool
) -> bool:
    index, raw = kept[k]
    if k == 0 or kept[k - 1][0] != index - 1:
        return False  # a blank line (or furniture) stands between
    if raw.lstrip(_LINE_CHARS)[:1] in _CLOSING and raw[:1] not in INDENT_CHARS:
        return True
    width = display_width(kept[k - 1][1])
    if not column - _SLACK <= width <= column:
        return False  # the line before did not reach the column's edge: its paragraph ended
    text = raw.strip(_LINE_CHARS)
    if display_width(raw) > column + 0.5:
        return False  # wider than the column: a headline set across it
    if (uses_indent and _indented(raw)) or _STARTS_STORY.match(text) or LEAD.match(text):
        return False
    if _names_run_on(previous.raw, text):
        return True
    if previous.first == previous.last and _alone(previous.raw, kept, k, column, uses_indent):
        return False
    glued = GLUED_BYLINE.search(previous.raw.rstrip()) is not None
    if not (glued or is_finished(previous.raw)):
        return True  # mid-sentence (`本报讯(记者 X ⏎通讯员 Y)`): whatever follows is the rest of it
    if glued and _glued_runs_on(previous.raw, text):
        return True  # a byline glued to the last sentence, its names running on (`记者 冯佳⏎雯`)
    if match_byline_line(text) is not None:
        return False
    return not _stands_alone(kept, k, column)


def _glued_runs_on(previous: str, text: str) -> bool:
    """Does `text` go on with the byline glued to the last sentence of `previous`
    (`记者 冯佳⏎雯`, `记者 张妍妍 通讯⏎员 王洪涛 程⏎艺涵`)? Words of Han characters must be
    the names it cut: a headline after a byline that filled its line (`科技助听 共享美好生活`)
    reads as names too, until their surnames are checked."""
    if _HAN_WORDS.fullmatch(text) and not _rest_of_names(previous, text):
        return False
    return _cut_name_aside(_join(previous, text).rstrip(), GLUED_BYLINE.search)


def _names_run_on(previous: str, text: str) -> bool:
    """Is `text` the rest of the names of the byline line before it, which reached the
    column's edge (`记者 马燕 通讯员 闫⏎熹宸`, `通讯员 牛晓⏎芳 王飞`, `通讯员 刘宜起 ⏎张茜娜`,
    `王阳 通讯⏎员 李盼`)? Only if they are names, and the lines joined are still a byline:
    a headline after a byline that happens to fill its line (`百岁老人`) is no name."""
    if len(previous) > MAX_BYLINE or not _HAN_WORDS.fullmatch(text) or not _rest_of_names(previous, text):
        return False  # a paragraph, or a line that is not names
    return _cut_name_aside(_join(previous, text).strip(_LINE_CHARS), match_byline_line)


def _rest_of_names(previous: str, text: str) -> bool:
    """Are these words the rest of a byline's names: the name (or role word) the edge cut,
    joined or whole, and whole names after it, the last of them perhaps cut again?"""
    names = text.split()
    found = _HAN_TAIL.search(previous.rstrip("\r\n")[-_LONGEST_NAME:])
    tail = found.group() if found else ""  # "": the edge fell on a space
    first = names[0]
    if not (_ROLE_WORD.fullmatch(tail + first) or surnamed(first) or surnamed(tail + first)):
        return False
    middle, last = names[1:-1], names[-1]
    if not all(surnamed(n) or _ROLE_WORD.fullmatch(n) for n in middle):
        return False
    return len(names) == 1 or surnamed(last) or name_start(last)


def _cut_name_aside(joined: str, is_byline: Callable[[str], object]) -> bool:
    """Is `joined` a byline, maybe but for the first character of a name the next edge cut?"""
    if is_byline(joined) is not None:
        return True
    cut = len(joined) >= 2 and joined[-2] in " \u3000" and name_start(joined[-1])
    return cut and is_byline(joined[:-1].rstrip()) is not None


def _alone(previous: str, kept: Sequence[tuple[int, str]], k: int, column: int, uses_indent: bool) -> bool:
    """Is `previous` (one physical line that reached the column) a line standing alone, a
    headline as wide as the column, rather than a paragraph's first line?"""
    if uses_indent:
        return not _indented(previous)  # paragraphs start indented; nothing else does
    text = previous.strip(_LINE_CHARS)
    if match_byline_line(text) is not None:
        return True
    if LEAD.match(text) or not headline_like(text):
        return False
    # Headlines part their phrases with spaces, body text never between two Han characters;
    # else the line after it must stand alone too (the next line of a headline group).
    return _PHRASE_GAP.search(text) is not None or _stands_alone(kept, k, column)


def _stands_alone(kept: Sequence[tuple[int, str]], k: int, column: int) -> bool:
    """A headline after a paragraph that happened to fill its last line: it reads as one,
    and so do the lines up to the next break (another headline of its group at most)."""
    index, raw = kept[k]
    if not headline_like(raw.strip(_LINE_CHARS)):
        return False
    for step in range(1, 4):
        if k + step >= len(kept) or kept[k + step][0] != index + step:
            return True  # the page, a blank line or furniture ends the run
        next_raw = kept[k + step][1]
        next_text = next_raw.strip(_LINE_CHARS)
        if _opens(next_text):
            return True
        if _indented(next_raw) or not headline_like(next_text):
            # Body text follows: a line that fills the column is the rest of the paragraph
            # before (its sentence ended at the edge), or the first of the next.
            return display_width(raw) < column - _SLACK
    return False
