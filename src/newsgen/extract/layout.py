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

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgen.extract.bylines import LEAD, match_byline_line
from newsgen.extract.lines import INDENT_CHARS, headline_like, is_finished

# Wider than this, a column is a page's full width: nothing to unwrap.
MAX_COLUMN = 40
MIN_COLUMN = 6
# How far short of the column's width a wrapped line may end (a half-width character at the
# edge, or a space the text layer dropped).
_SLACK = 1.5
_STARTS_STORY = re.compile(r"^(?:#{1,6}[ \t\u3000]|[●◆])")
_LINE_CHARS = INDENT_CHARS + "\r\n\ufeff"


@dataclass(frozen=True)
class Logical:
    """One logical line: physical lines first..last joined (blank lines never inside)."""

    first: int  # 1-based source line numbers
    last: int
    raw: str


def display_width(text: str) -> float:
    """A line's printed width in Han characters: Latin letters, digits and ASCII punctuation
    are half as wide. Trailing spaces print nothing."""
    text = text.rstrip(" \t\r\n")
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def column_width(widths: Sequence[float]) -> int | None:
    """The width most lines end at, if enough do that this is a wrapped page; else None."""
    if len(widths) < 4:
        return None
    best, best_count = None, 0
    for column in range(MIN_COLUMN, MAX_COLUMN + 1):
        count = sum(1 for w in widths if column - _SLACK <= w <= column)
        if count >= best_count:  # the widest of equals: a wrapped line's width
            best, best_count = column, count
    if best is None or best_count < max(4, 0.3 * len(widths)):
        return None
    return best


def _indented(raw: str) -> bool:
    return raw[:1] in INDENT_CHARS and raw.strip(_LINE_CHARS) != ""


def _opens(text: str) -> bool:
    """Does this line open something a wrapped line never runs into?"""
    return bool(_STARTS_STORY.match(text) or LEAD.match(text) or match_byline_line(text) is not None)


def logical_lines(lines: Sequence[str], first_line: int = 1, skip: frozenset[int] = frozenset()) -> list[Logical]:
    """`skip`: indexes of lines that are not text (furniture): each breaks a paragraph."""
    kept = [(i, raw) for i, raw in enumerate(lines) if i not in skip and raw.strip(_LINE_CHARS)]
    column = column_width([display_width(raw) for _, raw in kept])
    if column is None:
        return [Logical(first_line + i, first_line + i, raw) for i, raw in kept]
    out: list[Logical] = []
    uses_indent = sum(1 for _, raw in kept if _indented(raw)) >= 2
    for k, (i, raw) in enumerate(kept):
        following = kept[k + 1] if k + 1 < len(kept) else None
        if out and _continues(out[-1], lines, i, raw, following, column, uses_indent):
            previous = out[-1]
            out[-1] = Logical(previous.first, first_line + i, previous.raw.rstrip(_LINE_CHARS) + raw.strip(_LINE_CHARS))
        else:
            out.append(Logical(first_line + i, first_line + i, raw))
    return out


def _continues(
    previous: Logical,
    lines: Sequence[str],
    index: int,
    raw: str,
    following: tuple[int, str] | None,
    column: int,
    uses_indent: bool,
) -> bool:
    before = lines[index - 1] if index else ""
    if not before.strip(_LINE_CHARS):
        return False  # a blank line (or furniture) stands between
    width = display_width(before)
    if not column - _SLACK <= width <= column:
        return False  # the line before did not reach the column's edge: its paragraph ended
    text = raw.strip(_LINE_CHARS)
    if (uses_indent and _indented(raw)) or _opens(text):
        return False
    if not is_finished(previous.raw):
        return True  # mid-sentence: whatever follows is the rest of it
    return not _stands_alone(text, raw, index, following, column)


def _stands_alone(text: str, raw: str, index: int, following: tuple[int, str] | None, column: int) -> bool:
    """A headline after a paragraph that happened to fill its last line."""
    if not headline_like(text) or display_width(raw) > column - _SLACK:
        return False
    if following is None or following[0] != index + 1:
        return True  # the page, a blank line or furniture ends it
    next_raw = following[1]
    next_text = next_raw.strip(_LINE_CHARS)
    return _indented(next_raw) or _opens(next_text) or headline_like(next_text)
