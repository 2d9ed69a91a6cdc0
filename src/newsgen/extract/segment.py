"""Stage 2b: split a page's lines into articles by headline.

Heading marks are not trusted for their level: one file uses `#` for articles and `##`
for a column, another `##` for articles and `###` for subheads. So each heading is judged
by what stands around it, the way an editor reads a page:

- a heading followed by a `本报讯` lead, a byline line or ● briefs starts an article;
- a heading after a closing byline starts an article (the previous one has ended);
- a heading between two runs of body text, with no byline between, is a subhead;
- several headline lines in a row are one headline group (栏目 / 引题 / 主题 / 副题).

For marked files the evidence is pooled per level (a level that ever starts an article is
an article level). Unmarked files have no levels, so each candidate line is judged alone,
and a short line right after an unfinished sentence is the rest of that sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from newsgen.extract.bylines import GLUED_BYLINE, LEAD
from newsgen.extract.lines import Kind, Line, is_finished
from newsgen.extract.paragraphs import lost_beginning

# Openers that continue a story rather than begin one (据悉 = "it is learned that").
_CONTINUES = re.compile(r"^(据悉|据了解|据介绍|此外|另外|同时|与此同时|目前|其中|对此|为此|记者了解到)")
# A news lead opens with when it happened; a section under a subhead rarely does.
_OPENS_LEAD = re.compile(r"^(?:\d{1,2}月\d{1,2}日|\d{1,2}日(?:上午|下午|晚|早)|近日|日前|昨日|昨天|今天|今日|连日来)")
_SPACES = re.compile(r"[ \u3000]+")
_COMMA = re.compile(r"[，,]")
_QUOTES = re.compile(r"[“”‘’「」『』《》\"']")  # a phrase's length is its words'
# A 引题 that reports who spoke (`…市委书记、市长张三强调`) stands over a shorter 主题.
_SPEECH_END = re.compile(r"(?:要求|强调|表示|指出)[：:]?$")
_OFFICIAL = re.compile(r"书记|市长|区长|县长|镇长|主任|部长|局长|主席|省长|厅长|代表")
_BRIEF_COLUMN_MAX = 6
MAX_UNIT_SUBHEAD = 6
# A line under a short headline line this many times as long is a headline group of its own.
COLUMN_RATIO = 2.5


@dataclass
class Draft:
    """An article as found on the page, before its body is turned into blocks."""

    column: str | None = None
    column_line: Line | None = None  # the line the column heading stands on, if this article owns it
    kicker: list[Line] = field(default_factory=list)
    title: Line | None = None
    subtitle: list[Line] = field(default_factory=list)
    body: list[tuple[str, Line]] = field(default_factory=list)  # ("subhead" | kind.value, line)
    section_level: int = 0  # level of the marked section heading it stands under
    doubt: str | None = None  # a headline call made on weak evidence, for `newsgen check`

    @property
    def head_lines(self) -> list[Line]:
        head = [self.column_line, *self.kicker, self.title, *self.subtitle]
        return [line for line in head if line is not None]

    @property
    def all_lines(self) -> list[Line]:
        return self.head_lines + [line for _, line in self.body]

    def headline_text(self) -> str:
        return " ".join(line.text for line in self.head_lines)


def closes_article(line: Line | None) -> bool:
    if line is None:
        return False
    if line.kind is Kind.BYLINE:
        return True
    return line.kind in (Kind.TEXT, Kind.LEAD) and GLUED_BYLINE.search(line.text) is not None


def _is_heading(line: Line) -> bool:
    if line.kind is Kind.CANDIDATE:
        # A line that starts mid-word (`业重点培育、…`) is a fragment the layout broke off.
        return not lost_beginning(line.text)
    return line.kind is Kind.HEADING


def _groups(lines: list[Line]) -> list[tuple[int, int]]:
    """[start, end) index ranges of consecutive heading-ish lines."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if _is_heading(lines[i]):
            j = i
            while j < len(lines) and _is_heading(lines[j]):
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _starts_body(line: Line | None) -> bool:
    return line is not None and line.kind in (Kind.LEAD, Kind.BYLINE, Kind.BRIEF)


def _level_roles(lines: list[Line], spans: list[tuple[int, int]]) -> set[int]:
    """Marked levels that start articles somewhere in this file."""
    starts: Counter[int] = Counter()
    inside: Counter[int] = Counter()
    for start, end in spans:
        marked = [ln for ln in lines[start:end] if ln.kind is Kind.HEADING]
        if not marked:
            continue
        before = lines[start - 1] if start else None
        after = lines[end] if end < len(lines) else None
        if before is None or closes_article(before):
            starts[marked[0].level] += 1
        if _starts_body(after):
            starts[marked[-1].level] += 1
        if len(marked) == 1 and end - start == 1 and before is not None and not closes_article(before) and (
            after is not None and after.kind in (Kind.TEXT, Kind.CANDIDATE)
        ):
            inside[marked[0].level] += 1
    levels = {ln.level for ln in lines if ln.kind is Kind.HEADING}
    article_levels = {lvl for lvl in levels if starts[lvl] and starts[lvl] >= inside[lvl]}
    if levels and not article_levels:
        article_levels = {min(levels)}
    return article_levels


def _kicker_like(text: str) -> bool:
    """引题 and 栏目 lines are short labels (`上街区：`) or pairs of parallel phrases."""
    if text.endswith(("：", ":")):
        return True
    parts = [_QUOTES.sub("", p) for p in _SPACES.split(text) if p]
    if len("".join(parts)) <= 4:
        return True
    return len(parts) >= 2 and all(len(p) <= 8 for p in parts)


def _unmarked_roles(group: list[Line]) -> tuple[Line | None, list[Line], Line, list[Line]]:
    """(column, kicker, title, subtitles) for a group of headline lines with no usable levels."""
    k = len(group)
    if k == 1:
        return None, [], group[0], []
    if k == 2:
        if _kicker_like(group[0].text) or _reports_speech(group[0].text):
            return None, [group[0]], group[1], []
        return None, [], group[0], [group[1]]
    if k == 3:
        if _kicker_like(group[0].text) and _kicker_like(group[1].text):
            return group[0], [group[1]], group[2], []
        return None, [group[0]], group[1], [group[2]]
    return group[0], [group[1]], group[2], group[3:]


def _unit_subhead(text: str) -> bool:
    """A 副题 is a phrase or two as long as its 主题; a few characters under a headline name a
    unit or a place, the first of the sections below (`工业路街道`)."""
    return len(text) <= MAX_UNIT_SUBHEAD and _SPACES.search(text) is None


def _reports_speech(text: str) -> bool:
    return _SPEECH_END.search(text) is not None or ("、" in text and _OFFICIAL.search(text) is not None)


def _weak_group(head: list[Line]) -> str | None:
    """Two unmarked lines read as 主题 + 副题 only because nothing marks the first as a 引题,
    though it is the longer: a long 引题 over a short 主题 looks the same."""
    if len(head) != 2 or any(ln.kind is Kind.HEADING for ln in head):
        return None
    first, second = head[0].text, head[1].text
    if _kicker_like(first) or _reports_speech(first) or len(second) >= len(first):
        return None
    return (f"read as 主题 + 副题 on weak evidence: is `{first}` a 引题 over `{second}`, or a column "
            "over the stories after it (name it under `columns:` in newsgen.yaml)?")


def _opens_unheaded(line: Line, before: Line | None, current: Draft) -> bool:
    """A `本报讯` lead after a finished story with no headline between them starts a story of
    its own (its headline lost on the page), not the tail of the one before."""
    if line.kind is not Kind.LEAD or not any(kind in (Kind.TEXT.value, Kind.LEAD.value) for kind, _ in current.body):
        return False
    if closes_article(before):
        return True
    had_lead = any(ln.kind is Kind.LEAD for _, ln in current.body)
    return had_lead and before is not None and before.kind is Kind.TEXT and is_finished(before.text)


def _echoes(line: Line, draft: Draft | None) -> bool:
    if draft is None or len(line.text) < 4:
        return False
    return line.text in draft.headline_text()


def segment(lines: list[Line], columns: frozenset[str] = frozenset()) -> list[Draft]:
    """The page's lines as drafts of articles. `columns`: the paper's column names (the
    config's `columns`), read as columns wherever they stand unmarked over a headline."""
    spans = _groups(lines)
    article_levels = _level_roles(lines, spans)
    span_at = {start: end for start, end in spans}
    drafts: list[Draft] = []
    current: Draft | None = None
    sections: dict[int, str] = {}  # open marked section headings by level
    section_lines: dict[int, Line] = {}
    i = 0
    while i < len(lines):
        if i not in span_at:
            line = lines[i]
            before = lines[i - 1] if i else None
            if current is None or (line.kind is Kind.LEAD and _opens_unheaded(line, before, current)):
                current = Draft()
                drafts.append(current)
            kind = Kind.TEXT.value if line.kind is Kind.CANDIDATE else line.kind.value
            current.body.append((kind, line))
            i += 1
            continue
        end = span_at[i]
        group = lines[i:end]
        before = lines[i - 1] if i else None
        after = lines[end] if end < len(lines) else None
        decision = _decide(group, before, after, current, article_levels)
        if decision == "text":
            if current is None:
                current = Draft()
                drafts.append(current)
            current.body.extend((Kind.TEXT.value, ln) for ln in group)
        elif decision == "subheads":
            if current is None:
                current = Draft()
                drafts.append(current)
            current.body.extend(("subhead", ln) for ln in group)
        else:
            current = _start_article(group, article_levels, sections, section_lines)
            drafts.append(current)
        i = end
    _settle_sections(drafts)
    _settle_unmarked_columns(drafts)
    for draft in drafts:
        _brief_column(draft)
    return _settle_named_columns(drafts, columns) if columns else drafts


def _decide(
    group: list[Line], before: Line | None, after: Line | None, current: Draft | None, article_levels: set[int]
) -> str:
    marked = [ln for ln in group if ln.kind is Kind.HEADING]
    if current is None or _starts_body(after):
        return "article"
    if marked:
        if any(ln.level in article_levels for ln in marked):
            return "article"
        return "subheads"
    # Unmarked: judged line by line from what stands around it.
    if before is not None and before.kind in (Kind.TEXT, Kind.LEAD, Kind.CANDIDATE) and not is_finished(before.text):
        if not closes_article(before) and len(group) == 1:
            return "text"  # the rest of a sentence the layout broke
    if after is None:
        return "article"  # a headline at the foot of the page, its story on another page
    if len(group) == 1 and after.kind is Kind.TEXT and _COMMA.search(group[0].text) and lost_beginning(after.text):
        return "text"  # a short first piece of a sentence the layout broke, not a subhead
    if len(group) >= 2:
        return "article"
    if closes_article(before):
        if _echoes(group[0], current) or (after.kind is Kind.TEXT and _CONTINUES.match(after.text)):
            return "subheads"
        return "article"
    if after.kind is Kind.TEXT and _OPENS_LEAD.match(after.text) and _has_byline(current):
        # A dated opening starts a story, unless the story before has not been signed yet:
        # then it is the section under a subhead (every story on these pages is signed).
        return "article"
    return "subheads"


def _has_byline(draft: Draft) -> bool:
    for kind, line in draft.body:
        if line.kind is Kind.BYLINE or closes_article(line):
            return True
        if line.kind is Kind.LEAD:
            lead = LEAD.match(line.text)
            if lead is not None and lead.group("byline"):
                return True
    return False


def _start_article(
    group: list[Line], article_levels: set[int], sections: dict[int, str], section_lines: dict[int, Line]
) -> Draft:
    marked = [ln for ln in group if ln.kind is Kind.HEADING]
    draft = Draft()
    if not marked or len({ln.level for ln in marked}) == 1 and all(ln.kind is Kind.HEADING for ln in group):
        head, trailing = group, []
        if marked and marked[0].level not in article_levels and len(group) > 1:
            head, trailing = group[:1], group[1:]
        elif not marked and len(group) == 2 and _unit_subhead(group[1].text):
            head, trailing = group[:1], group[1:]
        column, kicker, title, subtitles = _unmarked_roles(head)
        if marked:
            _close_sections(sections, section_lines, marked[0].level)
            draft.section_level = marked[0].level
    else:
        levels_here = [ln.level for ln in marked if ln.level in article_levels] or [min(ln.level for ln in marked)]
        title_level = max(levels_here)
        title_index = max(i for i, ln in enumerate(group) if ln.kind is Kind.HEADING and ln.level == title_level)
        before_title = group[:title_index]
        after_title = group[title_index + 1 :]
        trailing = [ln for ln in after_title if ln.kind is Kind.HEADING and ln.level > title_level]
        subtitles = [ln for ln in after_title if ln not in trailing]
        title = group[title_index]
        _close_sections(sections, section_lines, min(ln.level for ln in marked))
        column = None
        kicker = list(before_title)
        shallower = [ln for ln in before_title if ln.kind is Kind.HEADING and ln.level < title_level]
        if shallower:
            # The first shallower heading is a section over this and maybe later articles.
            section = before_title[0] if before_title[0] in shallower else shallower[0]
            sections[section.level] = section.text
            section_lines[section.level] = section
            draft.column, draft.column_line = section.text, section
            kicker = [ln for ln in before_title if ln is not section]
        elif len(before_title) > 1:
            column, kicker = before_title[0], before_title[1:]
        draft.section_level = title_level
    if column is not None:
        draft.column, draft.column_line = column.text, column
    elif draft.column_line is None and sections and draft.section_level:
        owner = [lvl for lvl in sections if lvl < draft.section_level]
        if owner:
            draft.column = sections[max(owner)]
    draft.kicker, draft.title, draft.subtitle = kicker, title, list(subtitles)
    draft.body.extend(("subhead", ln) for ln in trailing)
    if not marked:
        draft.doubt = _weak_group(group)
    return draft


def _close_sections(sections: dict[int, str], section_lines: dict[int, Line], level: int) -> None:
    for lvl in [lvl for lvl in sections if lvl >= level]:
        del sections[lvl]
        del section_lines[lvl]


def _settle_sections(drafts: list[Draft]) -> None:
    """A marked section heading over one article only is that article's 引题, not a 栏目."""
    coverage = Counter(d.column for d in drafts if d.column is not None)
    for draft in drafts:
        line = draft.column_line
        if line is None or line.kind is not Kind.HEADING or draft.column != line.text:
            continue
        if coverage[draft.column] == 1 and not draft.kicker:
            draft.kicker, draft.column, draft.column_line = [line], None, None


def _bare(draft: Draft) -> bool:
    """An unmarked headline of one line: a 主题 with nothing over or under it."""
    return (
        draft.title is not None and draft.title.kind is Kind.CANDIDATE
        and not draft.kicker and not draft.subtitle and draft.column is None
    )  # fmt: skip


def _settle_unmarked_columns(drafts: list[Draft]) -> None:
    """Unmarked, a 栏目 over several stories reads like a 主题 over a 副题: `党旗在基层一线高高飘扬`
    over the first story's headline. It is the column when the line under it is a whole
    headline group of its own (主题 and 副题 in phrases, far longer: a 副题 is rarely twice
    as long as its 主题) and the stories after it have bare one-line headlines: each of those
    stands under the same column until a fuller headline group."""
    for i, draft in enumerate(drafts):
        head = draft.head_lines
        if len(head) != 2 or draft.kicker or draft.column is not None or not draft.subtitle:
            continue
        first, second = head
        if first.kind is not Kind.CANDIDATE or second.kind is not Kind.CANDIDATE:
            continue
        followers = []
        for later in drafts[i + 1 :]:
            if not _bare(later):
                break
            followers.append(later)
        if not followers:
            continue
        if len(second.text) < COLUMN_RATIO * len(first.text) or _SPACES.search(second.text) is None:
            continue  # a lead story's 主题 and 副题 look the same: only the lengths can tell
        draft.column, draft.column_line, draft.title, draft.subtitle = first.text, first, second, []
        draft.doubt = None
        for later in followers:
            later.column = first.text


def _settle_named_columns(drafts: list[Draft], columns: frozenset[str]) -> list[Draft]:
    """An unmarked line that names one of the paper's columns heads the stories after it on
    the page, until another column: over the first one's headline it stood as the first line
    of that group, or alone as a headline with no story of its own."""
    settled: list[Draft] = []
    current: str | None = None  # the column the stories now stand under
    alone: Draft | None = None  # a column line that stood alone, waiting for the next story
    for draft in drafts:
        head = draft.head_lines
        named = bool(head) and head[0].kind is Kind.CANDIDATE and head[0].text.strip() in columns
        if alone is not None and (draft.title is None or draft.column is not None or named):
            settled.append(alone)  # no story takes it: it stays as it was read
            alone = None
        if named and len(head) == 1 and not draft.body:
            alone = draft
            continue
        if named:
            column, kicker, title, subtitles = _unmarked_roles(head[1:])
            draft.kicker = [column, *kicker] if column is not None else kicker
            draft.title, draft.subtitle, draft.doubt = title, subtitles, None
            draft.column, draft.column_line, current = head[0].text, head[0], head[0].text
        elif alone is not None:
            line = alone.head_lines[0]
            draft.column, draft.column_line, current, alone = line.text, line, line.text, None
        elif draft.column is not None:
            current = None  # a column of its own (简讯, a marked one) ends the named one
        elif current is not None and draft.title is not None:
            draft.column = current
        settled.append(draft)
    if alone is not None:
        settled.append(alone)
    return settled


def _brief_column(draft: Draft) -> None:
    """`简讯` over ● items is the column's name: the items have no headline of their own."""
    if draft.title is None or draft.column is not None or not draft.body:
        return
    first_kind = draft.body[0][0]
    if first_kind == Kind.BRIEF.value and len(draft.title.text) <= _BRIEF_COLUMN_MAX and not draft.subtitle:
        draft.column, draft.column_line, draft.title = draft.title.text, draft.title, None
