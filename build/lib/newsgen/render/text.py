"""Small text helpers the templates use: dates as precise as known, excerpts."""

from __future__ import annotations

from newsgen.model import Article, Date


def date_label(date: Date) -> str:
    """`2024年7月4日`, `2024年`, `7月4日`: exactly the parts the source gives, nothing invented."""
    if not date.known:
        return "日期不详"
    parts = []
    if date.year is not None:
        parts.append(f"{date.year}年")
    if date.month is not None:
        parts.append(f"{date.month}月")
    if date.day is not None:
        parts.append(f"{date.day}日")
    return "".join(parts)


def date_iso(date: Date) -> str | None:
    """A valid HTML `datetime` value for the known parts, or None when none fits
    (a day without its month)."""
    y, m, d = date.year, date.month, date.day
    if y is not None and m is not None and d is not None:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if y is not None and m is not None and d is None:
        return f"{y:04d}-{m:02d}"
    if y is not None and m is None and d is None:
        return f"{y:04d}"
    if y is None and m is not None and d is not None:
        return f"--{m:02d}-{d:02d}"  # a yearless date
    return None


def date_rfc3339(date: Date | None) -> str:
    """The feed's timestamps: the earliest instant the known parts allow (Atom needs a full one)."""
    if date is None or date.year is None:
        return "1970-01-01T00:00:00Z"
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def excerpt(article: Article, limit: int = 120) -> str:
    """The first words of the body, for descriptions and lists."""
    for block in article.blocks:
        if block.type != "subhead" and block.text.strip():
            text = " ".join(block.text.split())
            return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return article.subtitle or ""
