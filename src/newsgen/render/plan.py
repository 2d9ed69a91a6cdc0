"""The render stage as the build runs it: plan every file of the site, then render those
whose key changed, handing each to the site writer.

The writer (`newsgen.write.SiteWriter`) is met only through `Sink`: it says whether a file is
already in the output as a key would make it, takes a page's bytes in whichever process
rendered it, and records what was written.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2

from newsgen import urls
from newsgen.config import Config
from newsgen.digests import ArticleDigests
from newsgen.model import Article, Page
from newsgen.render.assets import asset_files, asset_version
from newsgen.render.editions import build_editions, latest_issues, print_key
from newsgen.render.environment import has_template, make_environment
from newsgen.render.issue_pages import edition_pages
from newsgen.render.keys import Encoder, PageKeys
from newsgen.render.pages import TERMS_PER_PAGE, PageSpec, feed_page, plan_pages, shared_context, sitemap_pages
from newsgen.render.parallel import Progress, render_files
from newsgen.render.taxonomy import build_taxonomies, neighbours
from newsgen.render.text import Readings
from newsgen.runtime import NoTimings, Timings, keeping


class Sink(Protocol):
    def unchanged(self, path: str, key: bytes) -> bool: ...
    def write(self, path: str, data: bytes) -> Any: ...
    def wrote(self, path: str, key: bytes, record: Any) -> None: ...
    def put(self, path: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class SitePlan:
    """Every file the templates make (HTML pages, feed, sitemaps), and how to key them."""

    env: jinja2.Environment
    shared: Mapping[str, Any]
    specs: Sequence[PageSpec]
    html_pages: int  # how many of the specs are HTML pages (they come first)
    articles: int
    keys: PageKeys
    readings: Mapping[str, tuple[str, ...]]  # the names read for their order (`Readings`)

    @functools.cached_property
    def _specs(self) -> dict[str, PageSpec]:
        return {spec.path: spec for spec in self.specs}

    def bases(self) -> dict[str, dict[str, str]]:
        """Per template, what its pages' keys share, part by part (kept in the build's record)."""
        return {template: self.keys.parts(template) for template in sorted({spec.template for spec in self.specs})}

    def why(
        self, path: str, last_bases: Mapping[str, Mapping[str, str]], changed_sources: Collection[str] = ()
    ) -> str | None:
        """Why the page at `path` was rendered again, given the last build's `bases` and the page
        files that changed since; None for a file that is not a page of this plan."""
        spec = self._specs.get(path)
        if spec is None:
            return None
        before, now = last_bases.get(spec.template), self.keys.parts(spec.template)
        if before is None:
            return f"its template {spec.template} made no page in the last build"
        changed = sorted(part for part in now.keys() | before.keys() if now.get(part) != before.get(part))
        if changed:
            return ", ".join(changed) + " changed"
        shown = sorted(_sources(spec.inputs if spec.inputs is not None else spec.context) & set(changed_sources))
        if shown:
            return "its articles changed: page file " + _some(shown)
        if changed_sources:
            return "the list it is part of moved: page file " + _some(sorted(changed_sources)) + " changed"
        return "what it shows changed (its articles, or the list it is part of)"


def _some(names: Sequence[str], most: int = 3) -> str:
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


def _sources(value: Any, depth: int = 3) -> set[str]:
    """The page files of the articles a page's context (or its inputs) holds, a few levels down."""
    if isinstance(value, Article):
        return {value.source}
    if depth == 0 or isinstance(value, (str, bytes)):
        return set()
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.values()
    elif isinstance(value, (tuple, list)):
        items = value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = (getattr(value, f.name) for f in dataclasses.fields(value))
    else:
        return set()
    found: set[str] = set()
    for item in items:
        found |= _sources(item, depth - 1)
    return found


def plan_site(
    config: Config,
    articles: Sequence[Article],
    digests: ArticleDigests,
    *,
    cwd: Path,
    search: bool,
    pages: Mapping[str, Page] | None = None,
    timings: Timings | None = None,
    readings: Mapping[str, Sequence[str]] | None = None,
) -> SitePlan:
    """Taxonomies, templates and the page plan. `search`: the search stage runs (the search
    page only works with the files it writes next to it). `pages`: what the loader read of
    each page file (its paper, date, 版 and furniture), by source. `readings`: names' pinyin
    as an earlier build read them (`SitePlan.readings`, under the same code)."""
    timings = timings or NoTimings()
    read = Readings(readings)
    with keeping():  # the taxonomies and the page specs live to the end of the build
        with timings.stage("taxonomies"):
            tax = build_taxonomies(articles, read)
            editions = build_editions(articles, pages)
            env = make_environment(config, cwd)
            shared = shared_context(config, tax, asset_version=asset_version(), favicon=urls.FAVICON)
        with timings.stage("related articles"):
            around = neighbours(tax.newest, order_key=print_key(editions.where))
        with timings.stage("page plan"):
            specs = plan_pages(config, tax, around, editions.where, edition_pages(editions, TERMS_PER_PAGE),
                               has_search=search and has_template(env, "search.html"),
                               latest_issues=latest_issues(editions))  # fmt: skip
        html_paths = [spec.path for spec in specs]
        specs.append(feed_page(config, tax))
        if config.site_url:
            specs.extend(sitemap_pages(config, html_paths))
    keys = PageKeys(env, shared, encoder=Encoder(digests))
    return SitePlan(env, shared, specs, len(html_paths), len(tax.newest), keys, read.found)


def render_site(
    plan: SitePlan, sink: Sink, *, jobs: int, progress: Progress | None = None, timings: Timings | None = None
) -> None:
    """Render the pages whose key changed (or whose file is not as it was written), and hand
    over the site's own static files."""
    timings = timings or NoTimings()
    todo: list[tuple[int, bytes]] = []
    with timings.stage("page keys"):
        for number, spec in enumerate(plan.specs):
            key = plan.keys.key(spec)
            if not sink.unchanged(spec.path, key):
                todo.append((number, key))
    with timings.stage(f"render ({len(todo)} pages)"):
        records = render_files(
            plan.env, plan.shared, plan.specs, [n for n, _ in todo], sink.write, jobs=jobs, progress=progress
        )
    for number, key in todo:
        path = plan.specs[number].path
        sink.wrote(path, key, records[path])
    with timings.stage("assets"):
        for path, data in asset_files():
            sink.put(path, data)

