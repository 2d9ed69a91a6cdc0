"""YAML as newsgen reads it (the config, front matter): safe types only, aliases that cannot
blow up, and the line every mapping key was written on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


def yaml_error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None
