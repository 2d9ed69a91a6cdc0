"""`newsgen.yaml`: typed site configuration, read once and passed down."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from newsgen.errors import NewsgenError
from newsgen.model import PageFacts

CONFIG_NAME = "newsgen.yaml"
FACT_KEYS = ("paper", "district", "year")


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
    # Publish what links in the articles folders lead to even outside them; off, such a link
    # is refused, so that a stray link to /etc or a home folder is never put on the web.
    follow_links: bool = False
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

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_facts(data: Any, source: str, line: int | None = None) -> PageFacts:
    if not isinstance(data, dict):
        raise NewsgenError("facts must be a mapping of paper / district / year", source, line)
    unknown = sorted(set(data) - set(FACT_KEYS))
    if unknown:
        raise NewsgenError(f"unknown fact {unknown[0]!r} (expected {', '.join(FACT_KEYS)})", source, line)
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or not 1800 <= year <= 2200):
        raise NewsgenError(f"year must be a four-digit number, not {year!r}", source, line)
    district = data.get("district")
    if district is not None:
        from newsgen.extract.districts import canonical_district

        canonical = canonical_district(str(district))
        if canonical is None:
            raise NewsgenError(f"unknown district {district!r}", source, line)
        district = canonical
    paper = data.get("paper")
    return PageFacts(paper=str(paper) if paper is not None else None, district=district, year=year)


def yaml_error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def load_config(path: str | Path | None = None) -> Config:
    """Read the config file; with no path, `newsgen.yaml` in the working folder if present."""
    if path is None:
        candidate = Path(CONFIG_NAME)
        if not candidate.exists():
            return Config()
        path = candidate
    path = Path(path)
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NewsgenError("config file not found", shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NewsgenError(f"cannot read config: {exc}", shown) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise NewsgenError(f"malformed YAML: {problem}", shown, yaml_error_line(exc)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NewsgenError("the config must be a YAML mapping", shown, 1)
    return config_from_mapping(data, shown)


def _line_of(text_key: str, source: str) -> int | None:
    try:
        for number, line in enumerate(Path(source).read_text(encoding="utf-8-sig").splitlines(), 1):
            if line.lstrip().startswith((f"{text_key}:", f'"{text_key}":', f"'{text_key}':")):
                return number
    except OSError:
        pass
    return None


def config_from_mapping(data: dict[str, Any], source: str) -> Config:
    known = {
        "title", "description", "articles", "output", "site_url", "cname", "per_page", "home_pages", "facts", "follow_links"
    }  # fmt: skip
    for key in data:
        if key not in known:
            raise NewsgenError(f"unknown setting {key!r}", source, _line_of(str(key), source))
    kwargs: dict[str, Any] = {"path": source}
    for key in ("title", "description", "output", "site_url", "cname"):
        if key in data and data[key] is not None:
            if not isinstance(data[key], str):
                raise NewsgenError(f"{key} must be text", source, _line_of(key, source))
            kwargs[key] = data[key]
    if "site_url" in kwargs and not kwargs["site_url"].endswith("/"):
        kwargs["site_url"] += "/"
    if "articles" in data:
        articles = data["articles"]
        if isinstance(articles, str):
            articles = [articles]
        if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
            raise NewsgenError("articles must be a folder or a list of folders", source, _line_of("articles", source))
        kwargs["articles"] = tuple(articles)
    for key in ("per_page", "home_pages"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:  # YAML's yes is a bool
                raise NewsgenError(f"{key} must be a positive number", source, _line_of(key, source))
            kwargs[key] = value
    if "follow_links" in data:
        if not isinstance(data["follow_links"], bool):
            raise NewsgenError("follow_links must be true or false", source, _line_of("follow_links", source))
        kwargs["follow_links"] = data["follow_links"]
    rules = []
    facts = data.get("facts") or {}
    if not isinstance(facts, dict):
        raise NewsgenError("facts must map file or folder patterns to facts", source, _line_of("facts", source))
    for pattern, value in facts.items():
        rules.append(FactRule(str(PurePosixPath(str(pattern))), parse_facts(value, source, _line_of(str(pattern), source))))
    kwargs["facts"] = tuple(rules)
    return Config(**kwargs)
