"""`newsgen build` as one flow: config → load_archive → pages → render → index → write.

Everything the site is made of passes through `build()`; the commands (`build`, `serve`,
`deploy`) only add a terminal around it.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen import urls
from newsgen.archive import load_archive
from newsgen.config import Config
from newsgen.errors import UsageError
from newsgen.model import Article, Diagnostic
from newsgen.render import make_environment, render_page
from newsgen.render.environment import has_template
from newsgen.render.pages import feed_page, plan_pages, shared_context, sitemap_pages
from newsgen.render.taxonomy import build_taxonomies, neighbours
from newsgen.write import AtomicSite, copy_assets
from newsgen.write.assets import asset_version, favicon_data_url

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildResult:
    output: Path
    articles: int
    pages: int  # HTML pages written
    files: int  # every file written by the site stages (search files not counted)
    seconds: float
    diagnostics: tuple[Diagnostic, ...] = ()
    search: Mapping[str, Any] | None = None  # what the search stage reported, if it ran


def check_output(output: Path, config: Config, cwd: Path) -> None:
    """Refuse an output folder whose replacement would destroy the user's own files."""
    out = output.resolve()
    here = cwd.resolve()
    if out == here or out in here.parents:
        raise UsageError(f"refusing to build into {output}: it holds the working folder")
    for location in config.articles:
        source = (cwd / location).resolve()
        if source == out or out in source.parents:
            raise UsageError(f"refusing to build into {output}: it holds the page files in {location}")
    if config.path and out in Path(config.path).resolve().parents:
        raise UsageError(f"refusing to build into {output}: it holds the config file")
    if out.exists() and not out.is_dir():
        raise UsageError(f"the output {output} is a file, not a folder")


def load_articles(config: Config) -> tuple[tuple[Article, ...], tuple[Diagnostic, ...]]:
    archive = load_archive(config)
    return archive.articles, archive.diagnostics


SearchWriter = Callable[[Sequence[Article], Mapping[str, str], Path], Mapping[str, Any]]


def search_stage() -> SearchWriter | None:
    """The search stage (`newsgen.index.write_search_index`) when it is installed."""
    if importlib.util.find_spec("newsgen.index") is None:
        return None
    return getattr(importlib.import_module("newsgen.index"), "write_search_index", None)


def write_search_index(articles: Sequence[Article], dest: Path) -> Mapping[str, Any] | None:
    """Run the search stage over the articles, into the site being written at `dest`."""
    writer = search_stage()
    if writer is None:
        return None
    return writer(articles, {a.id: urls.article_url(a) for a in articles}, dest)


def build(
    config: Config,
    *,
    output: Path | None = None,
    articles: Sequence[Article] | None = None,
    progress: Progress | None = None,
    cwd: Path | None = None,
    search: bool = True,
) -> BuildResult:
    """Build the whole site into `output` (default: the config's), replacing it atomically.

    `articles` skips loading (tests, and callers that already hold the archive).
    """
    started = time.perf_counter()
    cwd = cwd or Path.cwd()
    out = cwd / (output if output is not None else config.output)  # an absolute output stays so
    check_output(out, config, cwd)
    diagnostics: tuple[Diagnostic, ...] = ()
    if articles is None:
        articles, diagnostics = load_articles(config)

    tax = build_taxonomies(articles)
    around = neighbours(tax.newest)
    env = make_environment(config, cwd)
    shared = shared_context(config, tax, asset_version=asset_version(), favicon=favicon_data_url())
    run_search = search and search_stage() is not None
    # The search page only works with the files the search stage writes next to it.
    specs = plan_pages(config, tax, around, has_search=run_search and has_template(env, "search.html"))
    extras = [feed_page(config, tax)]
    # The sitemap may be split in several files; count it as one until its paths are known.
    total = len(specs) + len(extras) + (1 if config.site_url else 0)

    report = progress or (lambda done, total: None)
    search_report: Mapping[str, Any] | None = None
    with AtomicSite(out) as site:
        for done, spec in enumerate(specs, 1):
            site.write_text(spec.path, render_page(env, spec, shared))
            report(done, total)
        html_paths = list(site.written)
        if config.site_url:
            extras.extend(sitemap_pages(config, html_paths))
        for done, spec in enumerate(extras, len(specs) + 1):
            site.write_text(spec.path, render_page(env, spec, shared))
            report(done, total)
        copy_assets(site)
        files = len(site.written)
        if run_search:
            search_report = write_search_index(tax.newest, site.root)
    return BuildResult(
        output=out,
        articles=len(tax.newest),
        pages=len(html_paths),
        files=files,
        seconds=time.perf_counter() - started,
        diagnostics=diagnostics,
        search=search_report,
    )
