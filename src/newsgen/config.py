"""`newsgen.yaml`: typed site configuration, read once and passed down."""

from __future__ import annotations

import datetime
import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from newsgen.errors import CONTROLS, NewsgenError
from newsgen.guarded_yaml import RefusedYamlError, YamlDocument, load_yaml, yaml_error_line
from newsgen.lexicon import canonical_district
from newsgen.model import Date, PageFacts

CONFIG_NAME = "newsgen.yaml"
FACT_KEYS = ("paper", "district", "year", "date", "page", "page_name")
MAX_NAME = 100  # characters in a paper's or a district's name
# Text settings and their longest sensible length; each is copied into every page.
TEXT_SETTINGS = {"title": 200, "description": 2000, "output": 4096, "site_url": 2048, "cname": 253}
SETTINGS = {*TEXT_SETTINGS, "articles", "per_page", "home_pages", "facts", "follow_links", "pages", "columns"}
MAX_COLUMN_NAME = 60  # a 栏目's name is a line of a headline
MAX_PAGE_NAME = 20  # a 版名 is a few characters: 要闻, 区街新闻
PAGE = re.compile(r"([A-Za-z]?)(\d{1,3})")  # 版次: 06, A03, 112


def page_key(page: str) -> tuple[str, int] | None:
    """A 版次 as (section letter, number): 第6版 and 06.txt are one page, A1 and a01 too;
    None for what is not a 版次."""
    found = PAGE.fullmatch(page.strip())
    return (found.group(1).upper(), int(found.group(2))) if found else None


@dataclass(frozen=True)
class FactRule:
    """Facts for the page files a pattern matches: a file, a folder, or a glob."""

    pattern: str
    facts: PageFacts

    def matches(self, source: str) -> bool:
        pattern = self.pattern.rstrip("/")
        return (
            source == pattern
            or source.startswith(pattern + "/")
            or fnmatch.fnmatchcase(source, pattern)
        )


# The pieces of a page-path pattern: `{paper}`, `{date:%Y%m%d}`, `{page}`, `{page:3}`,
# `{page_name}`, `*` (any run of characters within one path part), anything else literally.
_PIECE = re.compile(r"\{(?P<name>[a-z_]+)(?::(?P<spec>[^{}]*))?\}|(?P<star>\*)|(?P<brace>[{}])")
_FIELDS = {
    "paper": {None: r"[^/]+?", "letters": r"[A-Za-z]+"},
    "page": {None: r"[A-Za-z]?\d{1,3}", "2": r"\d{2}", "3": r"\d{3}"},
    "page_name": {None: r"[^/]+?"},
}
_DATE_PARTS = {"%Y": r"(?P<year>\d{4})", "%m": r"(?P<month>\d{2})", "%d": r"(?P<day>\d{2})"}


class PatternError(ValueError):
    """A page-path pattern that cannot be read; the message says why."""


@dataclass(frozen=True)
class PathPattern:
    """A way of naming page files that gives their facts, e.g. `{paper}/{date:%Y%m%d}/{page}.txt`.

    It matches the end of a page file's path (whole path parts), so it holds wherever the
    articles folder is. A date must be a real one (20241345 is no date): otherwise the
    pattern does not match."""

    text: str
    regex: re.Pattern[str] = field(repr=False, compare=False)  # made from the text alone

    @classmethod
    def compile(cls, text: str) -> PathPattern:
        parts: list[str] = []
        seen: set[str] = set()
        at = 0
        for piece in _PIECE.finditer(text):
            parts.append(re.escape(text[at : piece.start()]))
            at = piece.end()
            if piece.group("brace"):
                raise PatternError(f"a lone {piece.group('brace')!r} at character {piece.start() + 1}")
            if piece.group("star"):
                parts.append(r"[^/]*")
                continue
            name, spec = piece.group("name"), piece.group("spec")
            if name in seen:
                raise PatternError(f"{{{name}}} appears twice")
            seen.add(name)
            parts.append(_date_regex(spec) if name == "date" else _field_regex(name, spec))
        parts.append(re.escape(text[at:]))
        if not seen:
            raise PatternError("no {date}, {page}, {paper} or {page_name} in it: it gives no facts")
        return cls(text, re.compile("(?:^|/)" + "".join(parts) + "$"))

    def facts(self, source: str) -> PageFacts | None:
        """The facts this pattern reads from a page file's path; None if it does not match."""
        found = self.regex.search(source)
        if found is None:
            return None
        values = found.groupdict()
        date = None
        if values.get("year") is not None:
            date = full_date(int(values["year"]), int(values["month"]), int(values["day"]))
            if date is None:
                return None
        page = values.get("page")
        return PageFacts(
            paper=values.get("paper"),
            date=date,
            page=normal_page(page) if page else None,
            page_name=values.get("page_name"),
        )


def _field_regex(name: str, spec: str | None) -> str:
    if name not in _FIELDS:
        raise PatternError(f"unknown field {{{name}}} (expected paper, date, page or page_name)")
    if spec not in _FIELDS[name]:
        raise PatternError(f"{{{name}:{spec}}}: unknown format for {name}")
    return f"(?P<{name}>{_FIELDS[name][spec]})"


def _date_regex(spec: str | None) -> str:
    """`%Y%m%d`, `%Y-%m-%d`, `%Y/%m/%d`…: each of %Y %m %d once, anything else literally."""
    if not spec:
        raise PatternError("{date} needs its format, e.g. {date:%Y%m%d}")
    pieces = re.split(r"(%.)", spec)
    if sorted(p for p in pieces if p.startswith("%")) != sorted(_DATE_PARTS):
        raise PatternError(f"{{date:{spec}}}: the format must hold %Y, %m and %d, each once, and no other %")
    return "".join(_DATE_PARTS[p] if p in _DATE_PARTS else re.escape(p) for p in pieces)


def full_date(year: int, month: int, day: int) -> Date | None:
    """A calendar date, or None for 2024-13-45 or 2023-02-29."""
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return Date(year, month, day) if 1800 <= year <= 2200 else None


def normal_page(text: str) -> str:
    """A 版次 from a path or a number: at least two digits, as papers print it (6, 006 → 06)."""
    found = PAGE.fullmatch(text)
    assert found is not None
    return f"{found.group(1).upper()}{int(found.group(2)):02d}"


@dataclass(frozen=True)
class Config:
    title: str = "报纸档案"
    description: str = "区县报纸的可检索档案"
    articles: tuple[str, ...] = ("articles",)
    output: str = "site"
    site_url: str | None = None  # absolute URL of the published site: sitemap, feed
    cname: str | None = None  # GitHub Pages custom domain, written by `deploy`
    per_page: int = 20
    # Home pages at most: the newest home_pages × per_page articles. The date archive lists
    # every article, so paging the home list to the first issue would only repeat it, and
    # every new article would shift (and so rewrite) all of those pages.
    home_pages: int = 25
    facts: tuple[FactRule, ...] = field(default=())
    # How the archive names its page files, for naming the built-in rules do not know
    # (`newsgen.load.pathfacts`): tried first, in order.
    pages: tuple[PathPattern, ...] = field(default=())
    # Publish what links in the articles folders lead to even outside them; off, such a link
    # is refused, so that a stray link to /etc or a home folder is never put on the web.
    follow_links: bool = False
    # The paper's 栏目 by name. Printed without `#` marks, a column's name over a page's first
    # story reads as well as that story's 引题 or 主题, and nothing on the page tells the stories
    # after it that they stand under it: a name listed here is read as the column, over the
    # stories that follow it on the page.
    columns: tuple[str, ...] = ()
    path: str | None = None  # where the config was read from, if anywhere

    def facts_for(self, source: str) -> PageFacts:
        """Merge every matching rule, later and more specific rules winning."""
        merged: dict[str, Any] = {}
        ordered = sorted(self.facts, key=lambda r: len(r.pattern))
        for rule in ordered:
            if rule.matches(source):
                for key in FACT_KEYS:
                    value = getattr(rule.facts, key)
                    if value is not None:
                        merged[key] = value
        return PageFacts(**merged)

    def facts_key(self, source: str) -> str:
        """Everything the config says of one page file, as text for cache keys: its facts, the
        patterns its path is read with (the path itself is in every key already) and the
        columns its headlines are read with."""
        return repr((self.facts_for(source), tuple(p.text for p in self.pages), self.columns))

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_facts(
    data: Any, source: str, line: int | None = None, key_lines: Mapping[str, int] | None = None
) -> PageFacts:
    """Facts from a YAML mapping. `line`: where the mapping is; `key_lines`: the line of each of
    its keys, so that an error points at the bad fact rather than at the block."""
    if not isinstance(data, dict):
        raise NewsgenError(f"facts must be a mapping of {' / '.join(FACT_KEYS)}", source, line)
    lines = key_lines or {}

    def at(key: str) -> int | None:
        return lines.get(key, line)

    for key in data:
        if key not in FACT_KEYS:
            raise NewsgenError(f"unknown fact {_shown(key)} (expected {', '.join(FACT_KEYS)})", source, at(str(key)))
    year = data.get("year")
    # bool is an int to Python, and YAML reads `yes` as one.
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1800 <= year <= 2200):
        raise NewsgenError(f"year must be a four-digit number, not {_shown(year)}", source, at("year"))
    district = data.get("district")
    if district is not None:
        _check_text("district", district, MAX_NAME, source, at("district"))
        canonical = canonical_district(district)
        if canonical is None:
            raise NewsgenError(f"unknown district {district!r}", source, at("district"))
        district = canonical
    paper = data.get("paper")
    if paper is not None:
        _check_text("paper", paper, MAX_NAME, source, at("paper"))
        if CONTROLS.search(paper):
            raise NewsgenError("paper must be one line of text, without control characters", source, at("paper"))
    return PageFacts(
        paper=paper,
        district=district,
        year=year,
        date=_issue_date(data.get("date"), source, at("date")),
        page=_page(data.get("page"), source, at("page")),
        page_name=_page_name(data.get("page_name"), source, at("page_name")),
    )


def _issue_date(value: Any, source: str, line: int | None) -> Date | None:
    """`date: 2024-07-05` (YAML reads it as a date) or the same as text."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        date = full_date(value.year, value.month, value.day)
    else:
        found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value) if isinstance(value, str) else None
        date = full_date(*map(int, found.groups())) if found else None
    if date is None:
        raise NewsgenError(f"date must be the issue's date as YYYY-MM-DD, not {_shown(value)}", source, line)
    return date


def _page(value: Any, source: str, line: int | None) -> str | None:
    """`page: 6` or `page: "A03"`: the 版次 as printed (a number is given two digits)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 999:
        return normal_page(str(value))
    if isinstance(value, str) and PAGE.fullmatch(value):
        return value
    raise NewsgenError(f"page must be a page number as printed (06, A03), not {_shown(value)}", source, line)


def _page_name(value: Any, source: str, line: int | None) -> str | None:
    if value is None:
        return None
    _check_text("page_name", value, MAX_PAGE_NAME, source, line)
    if CONTROLS.search(value) or not value.strip():
        raise NewsgenError("page_name must be one line of text", source, line)
    return str(value)


def _shown(value: Any) -> str:
    """A value for a message: short, and never the str() of a structure (which may be huge)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_text(key: str, value: Any, limit: int, source: str, line: int | None) -> None:
    """Refuse what is not text, or text far longer than such a setting ever is: it would be
    copied into every page of the site."""
    if not isinstance(value, str):
        raise NewsgenError(f"{key} must be text, not {_shown(value)}", source, line)
    if len(value) > limit:
        raise NewsgenError(f"{key} is {len(value):,} characters long: at most {limit:,} are allowed", source, line)


def load_config(path: str | Path | None = None) -> Config:
    """Read the config file; with no path, `newsgen.yaml` in the working folder if present."""
    if path is None:
        candidate = Path(CONFIG_NAME)
        if not candidate.exists():
            return Config()
        path = candidate
    path = Path(path)
    name = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NewsgenError("config file not found", name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NewsgenError(f"cannot read config: {exc}", name) from None
    try:
        document = load_yaml(text)
    except RefusedYamlError as exc:
        raise NewsgenError(str(exc.problem), name, yaml_error_line(exc)) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise NewsgenError(f"malformed YAML: {problem}", name, yaml_error_line(exc)) from None
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        raise NewsgenError("the config must be a YAML mapping", name, 1)
    return config_from_mapping(data, name, document)


def config_from_mapping(data: dict[str, Any], source: str, document: YamlDocument | None = None) -> Config:
    """A Config from the config file's mapping; `document`, the YAML it was read from, places errors."""
    document = document or YamlDocument(data, {})
    for key in data:
        if key not in SETTINGS:
            raise NewsgenError(f"unknown setting {_shown(key)}", source, document.line(str(key)))
    kwargs: dict[str, Any] = {"path": source}
    for key, limit in TEXT_SETTINGS.items():
        if data.get(key) is not None:
            _check_text(key, data[key], limit, source, document.line(key))
            kwargs[key] = data[key]
    if "site_url" in kwargs and not kwargs["site_url"].endswith("/"):
        kwargs["site_url"] += "/"
    if "articles" in data:
        articles = data["articles"]
        if isinstance(articles, str):
            articles = [articles]
        if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
            raise NewsgenError("articles must be a folder or a list of folders", source, document.line("articles"))
        kwargs["articles"] = tuple(articles)
    for key in ("per_page", "home_pages"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:  # YAML's yes is a bool
                raise NewsgenError(f"{key} must be a positive number", source, document.line(key))
            kwargs[key] = value
    if "follow_links" in data:
        if not isinstance(data["follow_links"], bool):
            raise NewsgenError("follow_links must be true or false", source, document.line("follow_links"))
        kwargs["follow_links"] = data["follow_links"]
    if data.get("columns") is not None:
        kwargs["columns"] = _columns(data["columns"], source, document.line("columns"))
    kwargs["facts"] = _fact_rules(data.get("facts") or {}, source, document)
    if data.get("pages") is not None:
        kwargs["pages"] = _path_patterns(data["pages"], source, document.line("pages"))
    return Config(**kwargs)


def _columns(value: Any, source: str, line: int | None) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise NewsgenError("columns must be a list of column names", source, line)
    for name in names:
        if len(name.strip()) > MAX_COLUMN_NAME or "\n" in name:
            raise NewsgenError(f"column {_shown(name)} is not one line of at most {MAX_COLUMN_NAME} characters", source, line)
    return tuple(dict.fromkeys(n.strip() for n in names))


def _fact_rules(facts: Any, source: str, document: YamlDocument) -> tuple[FactRule, ...]:
    if not isinstance(facts, dict):
        raise NewsgenError("facts must map file or folder patterns to facts", source, document.line("facts"))
    rules = []
    for pattern, value in facts.items():
        key = str(pattern)
        facts_here = parse_facts(value, source, document.line("facts", key), document.lines_under("facts", key))
        rules.append(FactRule(str(PurePosixPath(key)), facts_here))
    return tuple(rules)


def _path_patterns(value: Any, source: str, line: int | None) -> tuple[PathPattern, ...]:
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise NewsgenError("pages must be a pattern or a list of patterns, e.g. '{date:%Y%m%d}/{page}.txt'", source, line)
    patterns = []
    for number, text in enumerate(texts, 1):
        _check_text("a pages pattern", text, 500, source, line)
        try:
            patterns.append(PathPattern.compile(text))
        except PatternError as exc:
            which = f"pages pattern {number} " if len(texts) > 1 else "pages pattern "
            raise NewsgenError(f"{which}{_shown(text)}: {exc}", source, line) from None
    return tuple(patterns)
