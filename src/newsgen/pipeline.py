"""`newsgen build` as one flow of named phases:

    config → find inputs → up-to-date check → load + extract → plan pages
           → render ∥ search → write → record

Each phase is a function of the stage it belongs to (`newsgen.load`, `extract`, `render`,
`index`, `write`), imported through that stage's public face; this module only names them
in order. The commands (`build`, `serve`, `deploy`) add a terminal around `build()`.

Builds are incremental. Every file of the site has a key: for a page, a digest of all that
its bytes depend on (`newsgen.render.keys`); for any other file, a digest of its bytes. The
last build's keys, with the stat of each file it wrote, are its record (`newsgen.write.state`).
A build stops at once when no input changed and the output is as it was left; otherwise it
renders only the pages whose key changed, and the writer renames just those files into the
output, or, with no record to trust, swaps a whole new site in. Either way a failed build
leaves the previous site as it was, and the result is byte for byte what a clean build gives
(tests/test_incremental.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen import extract, index, load, render, write
from newsgen.config import Config
from newsgen.digests import ArticleDigests
from newsgen.fingerprint import code_fingerprint
from newsgen.model import Article, Diagnostic
from newsgen.runtime import NoTimings, Timings, default_jobs, for_build, keeping

CACHE_DIR = ".newsgen-cache"  # in the working folder: the page cache and the build records
Progress = Callable[[int, int], None]


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
    explained: tuple[tuple[str, str], ...] = ()  # with `explain`: (file, why it was written or removed)


def _stderr(message: str) -> None:
    print(f"newsgen: {message}", file=sys.stderr)


@dataclass(frozen=True)
class Options:
    """How a build runs, besides the config: see `build`."""

    cwd: Path
    jobs: int
    cache: Path
    search: bool
    clean: bool
    force: bool
    progress: Progress | None
    timings: Timings
    notify: Callable[[str], None]
    templates: tuple[Path, ...]  # the template folders, overrides first

    def holds(self, config: Config) -> dict[str, Any]:
        """What no build may replace (`newsgen.write.ownership.protected`)."""
        return dict(cwd=self.cwd, articles=[self.cwd / a for a in config.articles], templates=list(self.templates),
                    cache=self.cache, config=Path(config.path) if config.path else None)  # fmt: skip


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
    notify: Callable[[str], None] = _stderr,
    explain: bool = False,
) -> BuildResult:
    """Build the site into `output` (default: the config's), incrementally when it can.

    `articles` skips finding and loading page files (tests, and callers that already hold
    the archive). `clean` ignores the last build's record and the caches' contents.
    `cache_dir` defaults to `.newsgen-cache/` in the working folder. `timings` records how
    long each phase took. `force` takes over an output folder newsgen did not make
    (`newsgen.write.ownership`). `notify` is told what the user should know that is not an error.
    `explain`: say, for each file written or removed, which input or setting made it so.
    """
    started, cwd = time.perf_counter(), cwd or Path.cwd()
    run = Options(cwd, jobs or default_jobs(), cache_dir if cache_dir is not None else cwd / CACHE_DIR, search, clean,
                  force, progress, timings or NoTimings(), notify, tuple(render.template_dirs(config, cwd)))  # fmt: skip
    stage = run.timings.stage
    target = write.claim_output(output or config.output, cwd=cwd, cache=run.cache, holds=run.holds(config))
    with write.locked(target, notify), for_build(), contextlib.ExitStack() as later:
        with keeping():  # the record and the archive live to the end of the build
            with stage("last build's record"):
                last = write.last_build(target, clean=clean, force=force)
            with stage("input stamp"):
                lunr = index.lunr_stamp() if search else ""
                inputs = load.find_inputs(config, cwd, folders=run.templates, extra=(lunr,)) if articles is None else None
            if inputs is not None and not inputs.paths and not clean and last.existed:
                return _kept(config, target, run, started)
            if inputs is not None and last.up_to_date(inputs.stamp):
                return _unchanged(target, last, started)
            later.enter_context(last.scan.beside())  # the output's stats, for the writer
            with stage("load"):
                archive = load_archive(config, inputs, run) if inputs is not None else None
            articles = archive.articles if archive is not None else articles or ()
            diagnostics = archive.diagnostics if archive is not None else ()
            pages = {page.source: page for page in archive.pages} if archive is not None else {}
            with stage("article digests"):
                digests = ArticleDigests(archive.article_digests() if archive is not None else ())
                signature = index.search_signature(articles, digests, lunr) if search else None
        with write.open_site(target, last, run.timings) as site:
            with _search(articles, site, last, signature, run) as searching:
                plan = render.plan_site(config, articles, digests, cwd=cwd, search=search, pages=pages,
                                        timings=run.timings, readings=_readings(last))  # fmt: skip
                render.render_site(plan, site, jobs=run.jobs, progress=progress, timings=run.timings)
                with stage("waiting for the search stage"):
                    report = searching.report() if searching is not None else None
            summary = dict(articles=plan.articles, pages=plan.html_pages, search=report, search_signature=signature,
                           bases=plan.bases(), settings=_settings(config),
                           readings=(code_fingerprint(), dict(plan.readings)))  # fmt: skip
            site.finish(write.BuildState(str(target.store.output), inputs=inputs.stamp if inputs else None,
                                         diagnostics=diagnostics, summary=summary))  # fmt: skip
            explained = _explain(site, plan, last, summary, inputs) if explain else ()
    for warning in write.host_warnings(site.done.site_files, site.done.site_bytes):
        run.notify(warning)
    return BuildResult(target.output, plan.articles, plan.html_pages, site.done.files, time.perf_counter() - started,
                       diagnostics, report, "incremental" if site.done.incremental else "full", site.done.deleted,
                       explained)  # fmt: skip


def _kept(config: Config, target: write.Target, run: Options, started: float) -> BuildResult:
    """No page files: the last build's site stays (an empty archive is more often a mistake)."""
    run.notify(f"no page files in {', '.join(config.articles) or 'the articles setting'}: "
               f"{target.output.name}/ is left as it was (build with --clean to empty it)")  # fmt: skip
    return BuildResult(target.output, 0, 0, 0, time.perf_counter() - started, mode="kept")


def _unchanged(target: write.Target, last: write.LastBuild, started: float) -> BuildResult:
    diagnostics = last.state.diagnostics if last.state is not None else ()
    return BuildResult(target.output, last.summary("articles", 0), last.summary("pages", 0), 0,
                       time.perf_counter() - started, diagnostics, last.summary("search"), mode="unchanged")  # fmt: skip


def _readings(last: write.LastBuild) -> Mapping[str, Sequence[str]]:
    """Names' pinyin as the last build read them, if the same code (and pypinyin) did."""
    kept = last.summary("readings")
    return kept[1] if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == code_fingerprint() else {}


def _settings(config: Config) -> dict[str, str]:
    return {f.name: repr(getattr(config, f.name)) for f in dataclasses.fields(config)}


_CHANGES = {
    "new": "new: the last build did not write it",
    "touched": "changed or removed in the output since the last build",
    "gone": "no longer part of the site",
}


def _changed_page_files(last: write.LastBuild, inputs: load.Inputs | None) -> set[str]:
    """The page files added, edited or removed since the last build (by the stamps' stats)."""
    if inputs is None or last.state is None or not last.state.inputs:
        return set()
    before, now = set(last.state.inputs[-1]), set(inputs.stamp[-1])
    return {load.source_name(Path(path)) for path, _size, _mtime in before ^ now}


def _explain(
    site: write.SiteWriter,
    plan: render.SitePlan,
    last: write.LastBuild,
    summary: Mapping[str, Any],
    inputs: load.Inputs | None,
) -> tuple[tuple[str, str], ...]:
    """(file, why) for every file the build wrote or removed (`newsgen build --explain`)."""
    if last.state is None:
        why = "a full build: no record of the last build to trust (the first build, --clean, or one interrupted)"
        return tuple((path, why) for path in sorted(site.written))
    before, now = last.summary("settings", {}), summary["settings"]
    settings = sorted(name for name in now.keys() | before.keys() if now.get(name) != before.get(name))
    found = [("(settings)", "changed: " + ", ".join(settings))] if settings else []
    sources = _changed_page_files(last, inputs)
    for path, change in site.changes():
        if change != "remade":
            found.append((path, _CHANGES[change]))
        elif path.startswith(index.SEARCH_DIR + "/"):
            found.append((path, "the search index changed: the articles, the code or lunr.js did"))
        else:
            found.append((path, plan.why(path, last.summary("bases", {}), sources) or "its bytes changed"))
    return tuple(found)


def load_archive(config: Config, inputs: load.Inputs, run: Options) -> extract.Archive:
    """Load + extract every page file; unchanged ones come from the page cache."""
    cache = None if run.clean else extract.PageCache(run.cache)
    return extract.load_archive(config, jobs=run.jobs, cache=cache, paths=inputs.paths, names=inputs.names or None)


def _search(
    articles: Sequence[Article], site: write.SiteWriter, last: write.LastBuild, signature: str | None, run: Options
) -> contextlib.AbstractContextManager[index.SearchJob | None]:
    """The search stage beside the rendering, or nothing when search is off."""
    if signature is None:
        return contextlib.nullcontext()
    return index.search_beside(
        articles, site, signature=signature, last_signature=last.summary("search_signature"),
        last_report=last.summary("search"), jobs=run.jobs, extend=last.state is not None,
        cache_dir=None if run.clean else run.cache / "search")  # fmt: skip
