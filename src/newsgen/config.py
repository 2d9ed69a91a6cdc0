"""`newsgen.yaml`: typed site configuration, read once and passed down."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from newsgen.errors import CONTROLS, NewsgenError
from newsgen.guarded_yaml import RefusedYamlError, YamlDocument, load_yaml, yaml_error_line
from newsgen.lexicon import canonical_district
from newsgen.model import PageFacts

CONFIG_NAME = "newsgen.yaml"
FACT_KEYS = ("paper", "district", "year")
MAX_NAME = 100  # characters in a paper's or a district's name
# Text settings and their longest sensible length; each is copied into every page.
TEXT_SETTINGS = {"title": 200, "description": 2000, "output": 4096, "site_url": 2048, "cname": 253}
SETTINGS = {*TEXT_SETTINGS, "articles", "per_page", "home_pages", "facts", "follow_links"}


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


def parse_facts(
    data: Any, source: str, line: int | None = None, key_lines: Mapping[str, int] | None = None
) -> PageFacts:
    """Facts from a YAML mapping. `line`: where the mapping is; `key_lines`: the line of each of
    its keys, so that an error points at the bad fact rather than at the block."""
    if not isinstance(data, dict):
        raise NewsgenError("facts must be a mapping of paper / district / year", source, line)
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
    return PageFacts(paper=paper, district=district, year=year)


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
    kwargs["facts"] = _fact_rules(data.get("facts") or {}, source, document)
    return Config(**kwargs)


def _fact_rules(facts: Any, source: str, document: YamlDocument) -> tuple[FactRule, ...]:
    if not isinstance(facts, dict):
        raise NewsgenError("facts must map file or folder patterns to facts", source, document.line("facts"))
    rules = []
    for pattern, value in facts.items():
        key = str(pattern)
        facts_here = parse_facts(value, source, document.line("facts", key), document.lines_under("facts", key))
        rules.append(FactRule(str(PurePosixPath(key)), facts_here))
    return tuple(rules)
