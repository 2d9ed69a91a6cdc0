"""What a page is — paper, issue date, 版次, 版名 — from every source that says, strongest first.

1. its facts: the front matter, else the config (`facts:`), which the archivist wrote;
2. its page header line (版头), which the paper printed;
3. its path (`newsgen.load.pathfacts`), which whoever filed it chose.

Each fact is taken from the strongest source that gives it. Where a weaker one disagrees,
the page gets a note: a header saying 第06版 in a file named 07.txt is worth a look, but
the build goes on with the stronger word.
"""

from __future__ import annotations

import datetime

from newsgen.config import page_key
from newsgen.load import RawPage
from newsgen.model import Date, Diagnostic, PageFacts

FIELDS = (("paper", "paper"), ("date", "issue date"), ("page", "版次"), ("page_name", "版名"))
SOURCES = ("its front matter or config", "its page header", "its path")


def page_facts(raw: RawPage, header: PageFacts, header_line: int | None) -> tuple[PageFacts, list[Diagnostic]]:
    """The page's paper, date, 版次 and 版名, and a note for each disagreement."""
    sources = (raw.facts, header, raw.path_facts)
    chosen: dict[str, object] = {}
    notes: list[Diagnostic] = []
    for name, label in FIELDS:
        given = [(at, getattr(facts, name)) for at, facts in enumerate(sources) if getattr(facts, name) is not None]
        if not given:
            continue
        first, value = given[0]
        chosen[name] = value
        for at, other in given[1:]:
            if _comparable(name, at, other) and _key(name, other) != _key(name, value):
                # Where to look: the header, else the front matter's line of the fact.
                line = header_line if 1 in (first, at) else dict(raw.fact_lines).get(name) if first == 0 else None
                message = (
                    f"{label}: {SOURCES[first]} says {_shown(value)}, {SOURCES[at]} {_shown(other)};"
                    f" kept {_shown(value)}"
                )
                notes.append(Diagnostic(raw.source, line, "note", "page-fact-conflict", message))
    notes += _year_doubt(raw, chosen.get("date"), header_line if header.date is not None and raw.facts.date is None else None)
    return PageFacts(**chosen), notes  # type: ignore[arg-type]


def _year_doubt(raw: RawPage, date: object, line: int | None) -> list[Diagnostic]:
    """A `year` fact is the archivist's year for articles that state none, not an issue date:
    a full date from the header or the path is the stronger word, but a year that disagrees
    with it is worth a look."""
    year = raw.facts.year
    if year is None or not isinstance(date, Date) or date.year == year:
        return []
    message = f"year: its facts say {year}, its issue date is {_shown(date)}; kept {_shown(date)}"
    return [Diagnostic(raw.source, line, "note", "page-fact-conflict", message)]


def _comparable(name: str, at: int, value: object) -> bool:
    # A path's paper is usually a code (zzrb), which says nothing against a name (郑州日报).
    return not (name == "paper" and at == 2 and isinstance(value, str) and value.isascii())


def _key(name: str, value: object) -> object:
    """Equal for the same fact written two ways: 第6版 and 06.txt are one page."""
    if name == "page" and isinstance(value, str):
        return page_key(value) or value
    return value


def _shown(value: object) -> str:
    if isinstance(value, Date):
        return value.iso() or "?"
    return str(value)


def with_issue_date(date: Date, issue: Date) -> Date:
    """An article's date with what its issue tells: the year where the text gives none, the
    whole date (marked as the issue's) where it gives no date at all. The year is the one
    that puts the date nearest the issue: 12月30日 in an issue of 2025-01-02 is of 2024."""
    if not date.known:
        return Date(issue.year, issue.month, issue.day, from_issue=True)
    if date.year is not None or issue.year is None:
        return date
    if date.month is None or date.day is None:
        return Date(issue.year, date.month, date.day)
    return Date(_nearest_year(date.month, date.day, issue), date.month, date.day)


def _nearest_year(month: int, day: int, issue: Date) -> int:
    assert issue.year is not None and issue.month is not None and issue.day is not None
    published = datetime.date(issue.year, issue.month, issue.day)
    best = issue.year
    distance: int | None = None
    for year in (issue.year, issue.year - 1, issue.year + 1):
        try:
            gap = abs((datetime.date(year, month, day) - published).days)
        except ValueError:  # 2月29日 in a year without one
            continue
        if distance is None or gap < distance:
            best, distance = year, gap
    return best
