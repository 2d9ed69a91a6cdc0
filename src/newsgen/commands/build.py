"""`newsgen build`: render the whole site into the output folder (default `site/`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from newsgen.cli import count
from newsgen.commands.options import add_source_options, config_from_args
from newsgen.config import Config
from newsgen.errors import UsageError
from newsgen.pipeline import BuildResult, build
from newsgen.runtime import Timings

HELP = "build the site into a folder (default: site/)"


def add_output_options(parser: argparse.ArgumentParser) -> None:
    add_source_options(parser)
    parser.add_argument("--output", "-o", metavar="DIR", help="where the site goes (default: the config's output, site/)")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the published site's absolute URL (enables sitemap.xml and absolute feed links)",
    )


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: one per core)")
    parser.add_argument(
        "--clean", action="store_true", help="ignore the last build and the caches: render and index everything"
    )
    parser.add_argument("--timings", action="store_true", help="print how long each stage of the build took")
    parser.add_argument(
        "--explain", action="store_true", help="list each file written or removed, and the input or setting that changed"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder newsgen did not make (never .git, your home, or the project's own folders)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_output_options(parser)
    add_build_options(parser)


def base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--base-url must be an absolute http(s) URL, not {value!r}")
    return value if value.endswith("/") else value + "/"


def site_config(args: argparse.Namespace) -> Config:
    config = config_from_args(args)
    if getattr(args, "base_url", None):
        config = config.with_overrides(site_url=base_url(args.base_url))
    return config


def output_of(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.output) if getattr(args, "output", None) else Path(config.output)


class ProgressBar:
    """`[#######.......]  412/1203 pages` on a terminal; nothing when output is redirected."""

    WIDTH = 30

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        total = max(total, done, 1)
        filled = self.WIDTH * done // total
        if filled == self.shown and done != total:
            return  # redraw only when the bar moves: a terminal write per page is slow
        self.shown = filled
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} pages")
        self.stream.flush()

    def close(self) -> None:
        if self.shown >= 0:
            self.stream.write("\r" + " " * (self.WIDTH + 30) + "\r")
            self.stream.flush()


def summary(result: BuildResult) -> str:
    if result.mode == "kept":
        return f"newsgen: no articles: {result.output.name}/ left as it was"
    if result.mode == "unchanged":
        line = (
            f"newsgen: {result.output.name}/ is up to date ({count(result.articles, 'article')}, "
            f"{count(result.pages, 'page')}; nothing written) in {result.seconds:.2f} s"
        )
    else:
        removed = f", {result.deleted} removed" if result.deleted else ""
        line = (
            f"newsgen: built {count(result.articles, 'article')} into {result.output.name}/: "
            f"{count(result.pages, 'page')}, {count(result.files, 'file')} written{removed} ({result.mode} build) "
            f"in {result.seconds:.2f} s"
        )
    if result.diagnostics:
        errors = sum(1 for d in result.diagnostics if d.severity == "error")
        line += f" ({count(len(result.diagnostics), 'note')}, {count(errors, 'error')}: see `newsgen check`)"
    return line


def run_build(
    config: Config,
    output: Path,
    *,
    jobs: int | None = None,
    clean: bool = False,
    timings: Timings | None = None,
    force: bool = False,
    explain: bool = False,
) -> BuildResult:
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        return build(
            config, output=output, progress=bar, jobs=jobs, clean=clean, timings=timings, force=force, explain=explain
        )
    finally:
        if bar:
            bar.close()


def run(args: argparse.Namespace) -> int:
    config = site_config(args)
    timings = Timings() if getattr(args, "timings", False) else None
    result = run_build(
        config,
        output_of(args, config),
        jobs=args.jobs,
        clean=args.clean,
        timings=timings,
        force=args.force,
        explain=args.explain,
    )
    print(summary(result))
    for path, why in result.explained:
        print(f"  {path}: {why}")
    if timings is not None:
        print(timings.table(), file=sys.stderr)
    return 0
