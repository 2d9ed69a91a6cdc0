"""Stage 2d: an article's date, exactly as precise as its text makes it.

`7月4日上午` gives month and day; `9日上午` takes its month from the article where the
article states it; the year only where the text states it (else from the page or the
page's facts, marked inferred). 昨日 / 近日 / 日前 give nothing: a date is never invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsgen.model import Date

_FULL = re.compile(r"(?:(?P<year>(?:19|20)\d{2})年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})日")
_DAY = re.compile(r"(?:^|(?<=[，,。；;\s]))(?P<day>\d{1,2})日(?=上午|下午|晚上?|早上?|凌晨|中午|傍晚|[，,]|起|至|当天)")
_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?:年|年度)")
_SENTENCE_END = re.compile(r"[。！？!?；;]")


def _valid(month: int | None, day: int | None) -> bool:
    return (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)


def _sentence_around(text: str, start: int) -> str:
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    end_match = _SENTENCE_END.search(text, start)
    return text[begin : end_match.start() if end_match else len(text)]


def lead_date(lead: str | None, article_text: str) -> Date:
    """Month/day (and a year stated with them) from the lead; no year inference here."""
    if not lead:
        return Date()
    for found in _FULL.finditer(lead):
        month, day = int(found.group("month")), int(found.group("day"))
        if not _valid(month, day):
            continue
        year = int(found.group("year")) if found.group("year") else _stated_year(lead, found.start())
        return Date(year, month, day, False)
    day_match = _DAY.search(_sentence_around(lead, 0) if lead else "")
    if day_match:
        day = int(day_match.group("day"))
        months = {int(m.group("month")) for m in _FULL.finditer(article_text) if int(m.group("day")) == day}
        month = months.pop() if len(months) == 1 else None
        if _valid(month, day):
            return Date(None, month, day, False)
    return Date()


def _stated_year(text: str, position: int) -> int | None:
    years = {int(m.group("year")) for m in _YEAR.finditer(_sentence_around(text, position))}
    return years.pop() if len(years) == 1 else None


def page_year(dates: Iterable[Date], fact_year: int | None) -> int | None:
    """The year a page's own articles state, if they agree; else the page's facts."""
    stated = {d.year for d in dates if d.year is not None and not d.year_inferred}
    if len(stated) == 1:
        return stated.pop()
    return fact_year


def with_page_year(date: Date, year: int | None) -> Date:
    if date.year is not None or year is None:
        return date
    return Date(year, date.month, date.day, True)
