"""`newsgen build` as one flow: config → load_archive → pages → render → index → write.

Everything the site is made of passes through `build()`; the commands (`build`, `serve`,
`deploy`) only add a terminal around it.

Builds are incremental. Every file of the site has a key: for a page, a digest of all that
its bytes depend on (`newsgen.render.keys`); for any other file, a digest of its bytes. The
last build's keys, with the stat of each file it wrote, are kept in the cache folder
(`newsgen.write.state`). A build then:

1. stops at once, writing nothing, when no input changed since the last build (every page
   file, template and the config have the stat they had) and the output is as it was left;
2. otherwise loads the archive (unchanged page files come from the page cache), plans every
   page, and renders only those whose key changed or whose file was touched by hand;
   the search stage rewrites only the index files whose bytes changed;
3. writes them beside the output and renames them in (`newsgen.write.update`), or, with no
   manifest to trust, writes the whole site beside the output and swaps it in
   (`newsgen.write.atomic`).

Either way a failed build leaves the previous site as it was, and the result is byte for
byte what a clean build gives (tests/test_incremental.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from newsgen import __version__, collector, urls
from newsgen.archive import PageCache, default_jobs, load_archive
from newsgen.archive import code_fingerprint as loader_fingerprint
from newsgen.background import Background
from newsgen.config import Config
from newsgen.load import page_files
from newsgen.model import Article, Diagnostic
from newsgen.render import make_environment
from newsgen.render.environment import has_template, template_dirs
from newsgen.render.keys import Encoder, PageKeys, content_key
from newsgen.render.keys import code_fingerprint as render_fingerprint
from newsgen.render.pages import PageSpec, feed_page, plan_pages, shared_context, sitemap_pages
from newsgen.render.parallel import render_files
from newsgen.render.taxonomy import Taxonomies, build_taxonomies, neighbours
from newsgen.timings import NoTimings, Timings
from newsgen.write import AtomicSite
from newsgen.write.atomic import recover_output, remove_leftovers
from newsgen.write.ownership import MARKER, MARKER_TEXT, check_output, is_marked, output_path
from newsgen.write.assets import asset_files, asset_version
from newsgen.write.state import BuildState, Entry, StateStore, file_stat, prune_states, scan_output
from newsgen.write.update import SiteUpdate

Progress = Callable[[int, int], None]
# The search stage's files to write, the paths it keeps from the last build, its report.
SearchFiles = tuple[Iterable[tuple[str, bytes]], Sequence[str], Callable[[], Mapping[str, Any]]]

SEARCH_PREFIX = "search/"  # where the search stage's files go (newsgen.index.SEARCH_DIR)
CACHE_DIR = ".newsgen-cache"  # in the working folder: the page cache and the build manifests


@dataclass(frozen=True)
class BuildResult:
    output: Path
    articles: int
    pages: int  # HTML pages of the site
    files: int  # files written by this build (0 when nothing changed)
    seconds: float
    diagnostics: tuple[Diagnostic, ...] = ()
    search: Mapping[str, Any] | None = None  # what the search stage reported, if it ran
    mode: str = "full"  # "full", "incremental", "unchanged" or "kept" (no page files: the old site stays)
    deleted: int = 0  # files removed from the site by an incremental build


def _clean_up_after_killed_builds(out: Path, notify: Callable[[str], None]) -> None:
    """What a killed build may have left: the previous site set aside mid-swap (put back),
    staging folders beside the output (deleted). Runs under the output's build lock."""
    put_back = recover_output(out)
    if put_back is not None:
        notify(f"put back {out.name}/, which an interrupted build had left as {put_back.name}/")
    for folder in remove_leftovers(out):
        notify(f"removed {folder.name}/, left by an interrupted build")


def search_files(
    articles: Sequence[Article],
    page_urls: Mapping[str, str],
    *,
    jobs: int,
    cache_dir: Path | None,
    previous: PreviousSite | None = None,
) -> SearchFiles | None:
    """The search stage (`newsgen.index.SearchIndex`) when it is installed: its files, as
    (site path, bytes), the paths it keeps from `previous`, and a callable giving its
    statistics once the files are consumed."""
    if importlib.util.find_spec("newsgen.index") is None:
        return None
    index = importlib.import_module("newsgen.index")
    search = index.SearchIndex(articles, page_urls, jobs=jobs, cache_dir=cache_dir, previous=previous)
    return search.files(), search.kept, lambda: search.stats


def _tree_stat(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                found.append((path.as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(found)


def _search_fingerprint() -> str:
    """The search stage's code and lunr.js (NewsgenError when lunr.js is missing)."""
    if importlib.util.find_spec("newsgen.index") is None:
        return "(no search stage)"
    from newsgen.fingerprint import code_fingerprint

    index = importlib.import_module("newsgen.index")
    return f"{code_fingerprint()}:{index.lunr_stamp()}"


def input_stamp(config: Config, cwd: Path, paths: Sequence[Path], search_code: str) -> tuple[Any, ...]:
    """What the build reads, by stat (as make does): page files, templates, config, code.
    Equal stamps and an untouched output mean the site is up to date. `search_code` is the
    search stage's fingerprint, "" when it does not run."""
    pages = tuple((path.as_posix(), st.st_size, st.st_mtime_ns) for path in paths for st in (path.stat(),))
    return (
        __version__,
        sys.version_info[:2],
        repr(config),
        str(cwd.resolve()),
        loader_fingerprint(),
        render_fingerprint(),
        search_code,
        _tree_stat(template_dirs(config, cwd)),
        pages,
    )


class PreviousSite:
    """The output as the last build left it (what `newsgen.index.search.PreviousOutput` reads)."""

    def __init__(self, root: Path, old: Mapping[str, Entry], on_disk: Mapping[str, Any]):
        self.root = root
        self.old = old
        self.on_disk = on_disk

    def has(self, path: str) -> bool:
        entry = self.old.get(path)
        return entry is not None and self.on_disk.get(path) == entry[1:]

    def read(self, path: str) -> bytes | None:
        if not self.has(path):
            return None
        try:
            return (self.root / path).read_bytes()
        except OSError:
            return None


class _Writer:
    """Puts files where this build writes them and records each one's manifest entry."""

    def __init__(self, root: Path, previous: PreviousSite):
        self.root = root
        self.previous = previous
        self.entries: dict[str, Entry] = {}
        self.written: list[str] = []
        self._dirs: set[str] = set()

    def unchanged(self, path: str, key: bytes) -> bool:
        """The output already holds this file as the last build wrote it from this key."""
        entry = self.previous.old.get(path)
        if entry is not None and entry[0] == key and self.previous.has(path):
            self.entries[path] = entry
            return True
        return False

    def put(self, path: str, data: bytes) -> None:
        key = content_key(data)
        if self.unchanged(path, key):
            return
        folder = os.path.dirname(path)
        if folder not in self._dirs:
            os.makedirs(self.root / folder, exist_ok=True)
            self._dirs.add(folder)
        target = self.root / path
        with open(target, "wb") as handle:
            handle.write(data)
        self.entries[path] = (key, *file_stat(target))
        self.written.append(path)


def _search_stage(
    articles: Sequence[Article], writer: _Writer, jobs: int, cache_dir: Path | None, extend: bool
) -> tuple[dict[str, Entry], list[str], Mapping[str, Any] | None]:
    """Write the search stage's changed files; what was written, and the stage's report.
    `extend`: the stage may extend the last build's index (see `SearchIndex`)."""
    page_urls = {a.id: urls.article_url(a) for a in articles}
    previous = writer.previous if extend else None
    produced = search_files(articles, page_urls, jobs=jobs, cache_dir=cache_dir, previous=previous)
    if produced is None:
        return {}, [], None
    files, kept, report = produced
    for path, data in files:
        writer.put(path, data)
    for path in kept:  # on disk as the last build wrote them (the stage checked)
        writer.entries[path] = writer.previous.old[path]
    return writer.entries, writer.written, dict(report())


def search_signature(articles: Sequence[Article], encoder: Encoder, search_code: str) -> str:
    """Everything the search stage reads: every field of every article (its URL follows from
    them), the stage's code and lunr.js. Equal signatures give equal search files."""
    digest = hashlib.blake2b(search_code.encode(), digest_size=16)
    for text in sorted(encoder.article(a) for a in articles):
        digest.update(text.encode())
    return digest.hexdigest()


def _reuse_search(state: BuildState, signature: str | None, writer: _Writer) -> bool:
    """Keep the last build's search files when nothing they are made from changed and they
    are on disk as written (`writer` then holds their entries)."""
    if signature is None or state.summary.get("search_signature") != signature:
        return False
    paths = [path for path in state.files if path.startswith(SEARCH_PREFIX)]
    return bool(paths) and all(writer.unchanged(path, state.files[path][0]) for path in paths)


def _up_to_date(state: BuildState, stamp: tuple[Any, ...], on_disk: Mapping[str, Any]) -> bool:
    """Every input has the stat it had at the last build, and the output is as it was left."""
    return state.inputs == stamp and on_disk == {path: entry[1:] for path, entry in state.files.items()}


def plan_site(
    config: Config, tax: Taxonomies, env: jinja2.Environment, run_search: bool, timings: Timings | None = None
) -> tuple[list[PageSpec], list[str]]:
    """Every file the templates render (HTML pages, feed, sitemaps), and the HTML pages' paths."""
    timings = timings or NoTimings()
    with timings.stage("related articles"):
        around = neighbours(tax.newest)
    with timings.stage("page plan"):
        # The search page only works with the files the search stage writes next to it.
        specs = plan_pages(config, tax, around, has_search=run_search and has_template(env, "search.html"))
    html_paths = [spec.path for spec in specs]
    specs.append(feed_page(config, tax))
    if config.site_url:
        specs.extend(sitemap_pages(config, html_paths))
    return specs, html_paths


def render_changed(
    env: jinja2.Environment,
    shared: Mapping[str, Any],
    specs: Sequence[PageSpec],
    keys: PageKeys,
    writer: _Writer,
    *,
    jobs: int,
    progress: Progress | None,
    timings: Timings | None = None,
) -> None:
    """Render the pages whose key changed (or whose file is not as it was written)."""
    timings = timings or NoTimings()
    todo = []
    with timings.stage("page keys"):
        for number, spec in enumerate(specs):
            key = keys.key(spec)
            if not writer.unchanged(spec.path, key):
                todo.append((number, key))
    with timings.stage(f"render ({len(todo)} pages)"):
        stats = render_files(env, shared, specs, [n for n, _ in todo], writer.root, jobs=jobs, progress=progress)
    for number, key in todo:
        path = specs[number].path
        writer.entries[path] = (key, *stats[path])
        writer.written.append(path)


def build(
    config: Config,
    *,
    output: Path | None = None,
    articles: Sequence[Article] | None = None,
    progress: Progress | None = None,
    cwd: Path | None = None,
    search: bool = True,
    jobs: int | None = None,
    clean: bool = False,
    cache_dir: Path | None = None,
    timings: Timings | None = None,
    force: bool = False,
    notify: Callable[[str], None] = lambda message: print(f"newsgen: {message}", file=sys.stderr),
) -> BuildResult:
    """Build the site into `output` (default: the config's), incrementally when it can.

    `articles` skips loading (tests, and callers that already hold the archive). `clean`
    ignores the last build's manifest and the caches' contents. `cache_dir` defaults to
    `.newsgen-cache/` in the working folder. `timings` records how long each stage took.
    `force` takes over an output folder newsgen did not make (`newsgen.write.ownership`).
    `notify` is told what the user should know that is not an error.
    """
    timings = timings or NoTimings()
    stage = timings.stage
    started = time.perf_counter()
    cwd = cwd or Path.cwd()
    out = output_path(output if output is not None else config.output, cwd)
    jobs = jobs or default_jobs()
    cache = cache_dir if cache_dir is not None else cwd / CACHE_DIR
    holds = dict(
        cwd=cwd,
        articles=[cwd / location for location in config.articles],
        config=Path(config.path) if config.path else None,
        templates=template_dirs(config, cwd),
        cache=cache,
    )
    check_output(out, force=True, recorded=None, **holds)  # what no build may replace, before any lock
    store = StateStore.for_output(cache, out)
    with store.locked(notify), collector.for_build():
        _clean_up_after_killed_builds(out, notify)
        # The last build's record and the archive live to the end of the build, in this process
        # and in the processes forked from it: the collector need not traverse them while they
        # are made, nor ever again (nor touch, and so copy, their memory in the children).
        with collector.keeping():
            with stage("last build's record"):
                prune_states(cache, store.folder)
                recorded = store.load()
                check_output(out, force=force, recorded=frozenset(recorded.files) if recorded else None, **holds)
                state = None if clean else recorded
                if state is not None and not out.is_dir():
                    state = None
            with stage("output scan"):
                on_disk = scan_output(out) if state is not None else {}
            with stage("input stamp"):
                run_search = search and importlib.util.find_spec("newsgen.index") is not None
                search_code = _search_fingerprint() if run_search else ""
                paths = page_files(config) if articles is None else []
                stamp = input_stamp(config, cwd, paths, search_code) if articles is None else None
            if articles is None and not paths and not clean and (recorded is not None or is_marked(out)):
                notify(f"no page files in {', '.join(config.articles) or 'the articles setting'}: "
                       f"{out.name}/ is left as it was (build with --clean to empty it)")
                return BuildResult(output=out, articles=0, pages=0, files=0,
                                   seconds=time.perf_counter() - started, mode="kept")
            if state is not None and stamp is not None and _up_to_date(state, stamp, on_disk):
                return BuildResult(
                    output=out,
                    articles=state.summary.get("articles", 0),
                    pages=state.summary.get("pages", 0),
                    files=0,
                    seconds=time.perf_counter() - started,
                    diagnostics=state.diagnostics,
                    search=state.summary.get("search"),
                    mode="unchanged",
                )

            diagnostics: tuple[Diagnostic, ...] = ()
            digests: Iterable[tuple[Article, str]] = ()
            if articles is None:
                with stage("load"):
                    archive = load_archive(config, jobs=jobs, cache=None if clean else PageCache(cache), paths=paths)
                    articles, diagnostics, digests = archive.articles, archive.diagnostics, archive.article_digests()
            with stage("article digests"):
                encoder = Encoder()
                for article, digest in digests:  # what the loader knows saves hashing every field
                    encoder.seed(article, digest)
                signature = search_signature(articles, encoder, search_code) if run_search else None

        # The search stage needs only the articles: it is forked as soon as they are loaded,
        # and runs beside the planning and rendering of the pages.
        old = state.files if state is not None else {}
        staging: contextlib.AbstractContextManager[Any] = (
            SiteUpdate(out, store) if state is not None else AtomicSite(out)
        )
        with staging as site:
            previous = PreviousSite(out, old, on_disk)
            writer = _Writer(site.root, previous)
            search_job: Background[tuple[dict[str, Entry], list[str], Mapping[str, Any] | None]] | None = None
            search_report: Mapping[str, Any] | None = None
            if run_search and state is not None and _reuse_search(state, signature, writer):
                search_report = state.summary.get("search")
            elif run_search:
                loaded = articles
                search_job = Background(
                    lambda: _search_stage(
                        loaded, _Writer(site.root, previous), jobs, None if clean else cache / "search", state is not None
                    )
                ).start()
            try:
                with collector.keeping():  # the taxonomies and the page specs, likewise
                    with stage("taxonomies"):
                        tax = build_taxonomies(articles)
                        env = make_environment(config, cwd)
                        shared = shared_context(config, tax, asset_version=asset_version(), favicon=urls.FAVICON)
                    specs, html_paths = plan_site(config, tax, env, run_search, timings)
                keys = PageKeys(env, shared, extra=repr(config), encoder=encoder)
                render_changed(env, shared, specs, keys, writer, jobs=jobs, progress=progress, timings=timings)
                with stage("assets"):
                    writer.put(MARKER, MARKER_TEXT)
                    for path, data in asset_files():
                        writer.put(path, data)
                if search_job is not None:
                    with stage("waiting for the search stage"):
                        entries, written, search_report = search_job.result()
                    writer.entries.update(entries)
                    writer.written.extend(written)
            finally:
                if search_job is not None:
                    search_job.cancel()
            deleted = sorted(set(on_disk) - writer.entries.keys()) if state is not None else []
            summary = {
                "articles": len(tax.newest),
                "pages": len(html_paths),
                "search": search_report,
                "search_signature": signature,
            }
            new_state = BuildState(
                output=str(store.output), files=writer.entries, inputs=stamp, diagnostics=diagnostics, summary=summary
            )
            if isinstance(site, SiteUpdate):
                with stage(f"apply ({len(writer.written)} files, {len(deleted)} deleted)"):
                    fresh = set(writer.written) - old.keys()
                    site.apply(sorted(fresh), sorted(set(writer.written) - fresh), deleted)
                with stage("save the build's record"):
                    store.save(new_state)
                    store.end_update()
            else:
                # The swap keeps every file's inode and mtime: the recorded stats stay true.
                store.forget()
        if not isinstance(site, SiteUpdate):
            with stage("save the build's record"):
                store.save(new_state)
                store.end_update()  # the whole site is new: an interrupted update's journal is moot
    return BuildResult(
        output=out,
        articles=len(tax.newest),
        pages=len(html_paths),
        files=len(writer.written),
        seconds=time.perf_counter() - started,
        diagnostics=diagnostics,
        search=search_report,
        mode="incremental" if state is not None else "full",
        deleted=len(deleted),
    )
