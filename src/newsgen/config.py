"""`newsgen.yaml`: typed site configuration, read once and passed down."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from newsgen.errors import CONTROLS, NewsgenError
from newsgen.lexicon import canonical_district
from newsgen.model import PageFacts

CONFIG_NAME = "newsgen.yaml"
FACT_KEYS = ("paper", "district", "year")
MAX_NAME = 100  # characters in a paper's or a district's name
# Text settings and their longest sensible length; each is copied into every page.
TEXT_SETTINGS = {"title": 200, "description": 2000, "output": 4096, "site_url": 2048, "cname": 253}
SETTINGS = {*TEXT_SETTINGS, "articles", "per_page", "home_pages", "facts", "follow_links"}


# --- YAML as newsgen reads it (the config, front matter): safe types only, aliases that
# cannot blow up, and the line every mapping key was written on. (Here rather than in a module
# of its own: config.py is part of the code fingerprint that invalidates cached pages.)
#
# PyYAML shares an aliased node rather than copying it, so a "billion laughs" document loads
# quickly into a small graph; it explodes only when something walks it (str(), rendering,
# JSON), long after the file that caused it could be named. So aliases are measured as they
# are met, and a document whose aliases stand for far more values than it holds is refused
# at the alias that tips it over.

# Values aliases may stand for: this many, plus this many per value the document really
# holds. A legitimate reuse (one `district:` mapping aliased for each of a thousand files)
# grows linearly with the text; an alias bomb grows exponentially and crosses it at once.
ALIAS_ALLOWANCE = 10_000
ALIAS_ALLOWANCE_PER_VALUE = 100
MAX_DEPTH = 100  # nested collections; facts are two deep, and Python's stack ends near 1,000
MERGE_TAG = "tag:yaml.org,2002:merge"


class RefusedYamlError(ComposerError):
    """YAML that parses but is refused: aliases that expand to far more than the document
    holds or into themselves, or nesting deeper than a reader can follow."""


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    # The 1-based line of each mapping key, by the path of keys to its mapping and then by key:
    # lines[("facts", "a.txt")]["year"] is where that year was written.
    lines: Mapping[tuple[str, ...], Mapping[str, int]]

    def line(self, *path: str) -> int | None:
        return self.lines.get(path[:-1], {}).get(path[-1])

    def lines_under(self, *path: str) -> Mapping[str, int]:
        """The line of each key of the mapping at `path`, by key."""
        return self.lines.get(path, {})


class _GuardedLoader(yaml.SafeLoader):
    def __init__(self, text: str):
        super().__init__(text)
        self._values = 0  # nodes composed from the text itself
        self._expanded = 0  # nodes the aliases met so far stand for
        self._sizes: dict[int, int] = {}  # id(node) → its size with aliases expanded
        self._depth = 0  # collections open around the node being composed

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self._measure_alias(event)
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        self._values += 1
        if self._depth > MAX_DEPTH:  # PyYAML composes recursively: much deeper, it would crash
            raise RefusedYamlError(None, None, f"values nested more than {MAX_DEPTH} deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1

    def _measure_alias(self, event: AliasEvent) -> None:
        node = self.anchors.get(event.anchor)
        if node is None:
            return  # PyYAML's own error: "found undefined alias"
        if node.end_mark is None:  # a collection still being composed: the alias is inside it
            raise RefusedYamlError(None, None, f"alias *{event.anchor} refers to a value it is inside", event.start_mark)
        self._expanded += self._size(node)
        if self._expanded > ALIAS_ALLOWANCE + ALIAS_ALLOWANCE_PER_VALUE * self._values:
            raise RefusedYamlError(
                None,
                None,
                f"YAML aliases (*{event.anchor} and those before it) expand to {self._expanded:,} values"
                f" from {self._values:,} written: refused as an alias bomb",
                event.start_mark,
            )

    def _size(self, node: Node) -> int:
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, SequenceNode):
            size = 1 + sum(self._size(item) for item in node.value)
        elif isinstance(node, MappingNode):
            size = 1 + sum(self._size(key) + self._size(value) for key, value in node.value)
        else:
            size = 1
        self._sizes[id(node)] = size  # nodes live as long as the loader, so their ids stay theirs
        return size


def load_yaml(text: str) -> YamlDocument:
    """One YAML document, or yaml.YAMLError (RefusedYamlError for what parses but is refused)."""
    loader = _GuardedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {})
        # Before constructing: constructing a mapping merges its `<<:` keys into it in place.
        lines: dict[tuple[str, ...], dict[str, int]] = {}
        _key_lines(node, (), lines)
        return YamlDocument(loader.construct_document(node), lines)
    finally:
        loader.dispose()


def _key_lines(node: Node, path: tuple[str, ...], lines: dict[tuple[str, ...], dict[str, int]]) -> None:
    if not isinstance(node, MappingNode):
        return
    here = lines.setdefault(path, {})
    merged = [value for key, value in node.value if key.tag == MERGE_TAG]
    for key, value in node.value:
        if key.tag != MERGE_TAG and isinstance(key, ScalarNode):
            here[key.value] = key.start_mark.line + 1  # a repeated key: the last one counts, as in the data
            _key_lines(value, (*path, key.value), lines)
    # Keys merged in by `<<:` count only where no key written here overrides them.
    for value in merged:
        for source in value.value if isinstance(value, SequenceNode) else [value]:
            inherited: dict[tuple[str, ...], dict[str, int]] = {}
            _key_lines(source, path, inherited)
            for inner, keys in inherited.items():
                known = lines.setdefault(inner, {})
                for name, line in keys.items():
                    known.setdefault(name, line)


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
