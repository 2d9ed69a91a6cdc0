"""What a page's bytes depend on, as a digest computed without rendering the page.

A page is `render(template, {**shared, **spec.context, page_path, root})`, a pure function of

- the code (`newsgen.fingerprint`: every file of the package, the libraries' versions);
- its template and every template that one extends, includes or imports (their sources, as
  found through the template search path, so an override in the working folder counts);
- the shared context entries those templates name (Jinja's own analysis of the templates:
  `site`, `nav`, ... — `article_count` reaches only the pages whose templates use it);
- its own path and context (or what its context is made from, when the page builder says so:
  `PageSpec.inputs`): articles by a digest of every field (or of what they were extracted
  from, when the loader knows it: `newsgen.digests`), other values as they are.

The config reaches a page only through these: the shared entries and contexts built from
its settings (`site`, a page's title). So a page depends on the settings it shows and no
other: a deploy-only setting (`cname`) rewrites no page.

`PageKeys.key(spec)` hashes exactly that, so two builds give a page the same key if and only
if (up to a hash collision) they would render it to the same bytes. When a template refers to
another by a computed name, or cannot be parsed, its pages depend on every template and every
shared entry: slower, never wrong.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Mapping, Sequence
from types import FunctionType, ModuleType
from typing import Any

import jinja2
import markupsafe
from jinja2 import meta

from newsgen.fingerprint import code_fingerprint
from newsgen.digests import ArticleDigests
from newsgen.model import Article
from newsgen.render.pages import PageSpec
from newsgen.render.taxonomy import Neighbours

# Bump when what a key means changes (a new part of the page's inputs, a new encoding).
KEY_FORMAT = "newsgen-page-key/3"
DIGEST_SIZE = 16


def _digest(*parts: str | bytes) -> bytes:
    """Each part followed by a NUL, hashed in one call (one a page: 34,000 at 30,000 articles)."""
    data = b"".join([(part.encode("utf-8") if isinstance(part, str) else part) + b"\0" for part in parts])
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


class TemplateSet:
    """The template closure of each page template: its sources and the context names used."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._parsed: dict[str, tuple[str, tuple[str | None, ...], frozenset[str]] | None] = {}
        self.closures: dict[str, tuple[str, ...]] = {}  # template → the templates it draws on

    def parse(self, name: str) -> tuple[str, tuple[str | None, ...], frozenset[str]] | None:
        if name not in self._parsed:
            try:
                source, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
                ast = self.env.parse(source)
            except (jinja2.TemplateError, OSError):
                self._parsed[name] = None
            else:
                self._parsed[name] = (
                    source,
                    tuple(meta.find_referenced_templates(ast)),
                    frozenset(meta.find_undeclared_variables(ast)),
                )
        return self._parsed[name]

    def _all_templates(self) -> tuple[str, frozenset[str] | None]:
        """Every template the loader can find: the fallback for a closure we cannot follow."""
        h = hashlib.blake2b(digest_size=DIGEST_SIZE)
        for name in sorted(self.env.list_templates()):
            parsed = self.parse(name)
            h.update(name.encode() + b"\0")
            h.update(parsed[0].encode() if parsed else b"(unreadable)")
            h.update(b"\0")
        return h.hexdigest(), None

    @functools.lru_cache(maxsize=None)  # noqa: B019 - one TemplateSet per build
    def info(self, name: str) -> tuple[str, frozenset[str] | None]:
        """(fingerprint of the closure's sources, names it reads from the context or None = any)."""
        seen: list[str] = []
        names: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.append(current)
            parsed = self.parse(current)
            if parsed is None or any(ref is None for ref in parsed[1]):
                self.closures[name] = tuple(sorted(self.env.list_templates()))
                return self._all_templates()
            names |= parsed[2]
            stack.extend(ref for ref in parsed[1] if ref is not None)
        self.closures[name] = tuple(sorted(seen))
        h = hashlib.blake2b(digest_size=DIGEST_SIZE)
        for current in sorted(seen):
            parsed = self.parse(current)
            assert parsed is not None
            h.update(current.encode() + b"\0" + parsed[0].encode() + b"\0")
        return h.hexdigest(), frozenset(names)


class Encoder:
    """A canonical text for context values: equal text ⇔ equal rendering inputs.

    Articles become a digest of all their fields (`ArticleDigests`); a frozen dataclass is its class and fields;
    mappings keep their (code-determined) order. Digests of articles and dataclasses are
    remembered by object id for the build (the objects are kept alive as long)."""

    def __init__(self, digests: ArticleDigests | None = None) -> None:
        self.digests = digests if digests is not None else ArticleDigests()
        self._memo = self.digests.memo  # shared: articles and other values alike, by id
        self._getters: dict[type, Any] = {}
        self._dispatch: dict[type, Any] = {
            str: repr,
            int: repr,
            bool: repr,
            float: repr,
            type(None): repr,
            Article: self.digests.of,
            tuple: self._sequence,
            list: self._sequence,
            dict: self._mapping,
            Neighbours: self._neighbours,
        }

    # The memo is looked up inline (most items of a list are articles seen before): ids in
    # the memo belong to objects kept alive, so no other live object can share one.

    def _sequence(self, value: tuple[Any, ...] | list[Any]) -> str:
        return "(" + ",".join(self._items(value)) + ")"

    def _items(self, values: Sequence[Any]) -> list[str]:
        """Each value's text: looked up in the memo by map() in C (a list page's hundred
        articles are all there), encoded one by one only when one is missing. A few values
        (an article page's inputs, 30,000 of them) are looked up in one pass instead."""
        memo, encode = self._memo, self.encode
        if len(values) > 8:
            found = list(map(memo.get, map(id, values)))
            if None not in found:
                return found
        return [memo.get(id(item)) or encode(item) for item in values]

    def _mapping(self, value: Mapping[Any, Any]) -> str:
        # Contexts are built by code in a fixed order (and the code is in the fingerprint).
        memo, encode = self._memo, self.encode
        return "{" + ",".join([f"{k!r}:{memo.get(id(v)) or encode(v)}" if type(k) is str else f"{encode(k)}:{encode(v)}"
                               for k, v in value.items()]) + "}"

    def encode(self, value: Any) -> str:
        handler = self._dispatch.get(type(value))
        if handler is not None:
            return handler(value)
        return self._other(value)

    def _dataclass(self, value: Any) -> str:
        """Its class and fields (a digest of them when long), once per object."""
        found = self._memo.get(id(value))
        if found is None:
            kind = type(value)
            getter = self._getters.get(kind)
            if getter is None:
                names = [f.name for f in dataclasses.fields(value)]
                getter = self._getters[kind] = lambda v, names=names: [getattr(v, n) for n in names]
            found = kind.__qualname__ + "(" + ",".join(self._items(getter(value))) + ")"
            if len(found) > 64:
                found = kind.__qualname__ + ":" + hashlib.blake2b(found.encode("utf-8"), digest_size=12).hexdigest()
            self.digests.remember(value, found)
        return found

    def _neighbours(self, value: Neighbours) -> str:
        """An article page's links, spelled as `_dataclass` would before shortening: each is
        made for one page, so neither digested nor remembered (that was a third of the key)."""
        memo, encode = self._memo, self.encode
        related = ",".join([memo.get(id(item)) or encode(item) for item in value.related])
        before, after = value.previous, value.next
        return f"Neighbours({memo.get(id(before)) or encode(before)},{memo.get(id(after)) or encode(after)},({related}))"

    def _other(self, value: Any) -> str:
        kind = type(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            # Every instance of the class is one: the next go straight to `_dataclass`.
            self._dispatch[kind] = self._dataclass
            return self._dataclass(value)
        if isinstance(value, Mapping):
            return self._mapping(value)
        if isinstance(value, (set, frozenset)):
            return "set(" + ",".join(sorted(self.encode(item) for item in value)) + ")"
        if isinstance(value, markupsafe.Markup):
            return "M" + repr(str(value))
        if isinstance(value, (str, int, float, tuple, list)):  # subclasses
            return kind.__qualname__ + self._dispatch[kind.__mro__[1]](value) if kind.__mro__[1] in self._dispatch else repr(value)
        if isinstance(value, (FunctionType, type)):
            return f"F{value.__module__}.{value.__qualname__}"  # the code is in code_fingerprint
        if isinstance(value, ModuleType):
            return f"module:{value.__name__}"
        # Anything else: its repr, which may change from build to build (the page is then
        # rendered every time: slower, never wrong).
        return f"?{kind.__module__}.{kind.__qualname__}:{value!r}"


class PageKeys:
    """Keys for the pages of one build: one environment, one shared context."""

    def __init__(self, env: jinja2.Environment, shared: Mapping[str, Any], *, encoder: Encoder | None = None):
        self.templates = TemplateSet(env)
        self.encoder = encoder if encoder is not None else Encoder()
        self.shared = shared
        self._shared_text: dict[str, str] = {}
        self._bases: dict[str, bytes] = {}

    def _shared(self, name: str) -> str:
        if name not in self._shared_text:
            self._shared_text[name] = self.encoder.encode(self.shared[name])
        return self._shared_text[name]

    def base(self, template: str) -> bytes:
        """Everything a page of this template depends on besides its own path and context."""
        found = self._bases.get(template)
        if found is None:
            fingerprint, names = self.templates.info(template)
            used = sorted(self.shared if names is None else names & self.shared.keys())
            found = _digest(KEY_FORMAT, code_fingerprint(), template, fingerprint, *(f"{n}={self._shared(n)}" for n in used))
            self._bases[template] = found
        return found

    @functools.lru_cache(maxsize=None)  # noqa: B019 - one PageKeys per build
    def parts(self, template: str) -> dict[str, str]:
        """What `base(template)` is made of, part by part (`newsgen build --explain` compares
        them with the last build's): the code, each template drawn on, each shared entry used."""
        self.base(template)
        fingerprint, names = self.templates.info(template)
        found = {"code": code_fingerprint()}
        for name in self.templates.closures.get(template, ()):
            parsed = self.templates.parse(name)
            source = parsed[0].encode() if parsed else b"(unreadable)"
            found[f"template {name}"] = hashlib.blake2b(source, digest_size=8).hexdigest()
        for name in sorted(self.shared if names is None else names & self.shared.keys()):
            found[f"shared value `{name}`"] = hashlib.blake2b(self._shared(name).encode(), digest_size=8).hexdigest()
        return found

    def key(self, spec: PageSpec) -> bytes:
        # Tagged: a page keyed by its inputs never shares a key with one keyed by its context
        # (a context, a mapping, is spelled "{…}").
        text = self.encoder.encode(spec.context) if spec.inputs is None else "I" + self.encoder.encode(spec.inputs)
        base = self._bases.get(spec.template) or self.base(spec.template)
        # `_digest(base, path, text)`, spelled out: one a page.
        return hashlib.blake2b(b"%s\0%s\0%s\0" % (base, spec.path.encode(), text.encode()), digest_size=DIGEST_SIZE).digest()
