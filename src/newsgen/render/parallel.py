"""Render pages straight into files, over worker processes.

Rendering is CPU-bound Python, so it runs in processes, not threads. The workers are forked
after the pages are planned: they inherit the Jinja environment (templates compiled once),
the shared context and the page specs, and are sent only ranges of page numbers. Each
worker renders its pages and writes them into the target folder itself; what comes back
through the pipe is (path, size, mtime, inode) per file, never HTML. No rendered page is
kept in memory after it is written.

Output is byte-identical to a serial build: a page is a pure function of its spec and the
shared context, and each file is written by exactly one process.

Where `fork` is not available (Windows; macOS, where it is unsafe), pages are rendered in
the calling process.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, wait
from pathlib import Path
from typing import Any

import jinja2

from newsgen.render import render_page
from newsgen.render.pages import PageSpec
from newsgen.workers import can_fork, fork_pool

# Below this many pages, forking workers costs more than it saves.
PARALLEL_MIN = 300

Stat = tuple[int, int, int]  # size, mtime_ns, inode (newsgen.write.state.Stat)
Progress = Callable[[int, int], None]

# What the forked workers render: (environment, shared context, specs, page numbers, folder).
_JOB: tuple[jinja2.Environment, Mapping[str, Any], Sequence[PageSpec], Sequence[int], str] | None = None


def write_page(env: jinja2.Environment, spec: PageSpec, shared: Mapping[str, Any], root: str) -> Stat:
    data = render_page(env, spec, shared).encode("utf-8")
    with open(os.path.join(root, spec.path), "wb") as handle:
        handle.write(data)
        handle.flush()  # the recorded size must be the file's whole size
        st = os.fstat(handle.fileno())
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _compile(env: jinja2.Environment, names: Sequence[str]) -> None:
    """Compile the templates before forking: the workers inherit them compiled, instead of
    each compiling its own copy. A template that fails is left for the workers to report
    (`render` turns the error into one that names the template line)."""
    for name in names:
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def _render_range(start: int, stop: int) -> list[tuple[str, Stat]]:
    assert _JOB is not None, "the render job is set before the workers are forked"
    env, shared, specs, todo, root = _JOB
    done = []
    for number in todo[start:stop]:
        spec = specs[number]
        done.append((spec.path, write_page(env, spec, shared, root)))
    return done


def render_files(
    env: jinja2.Environment,
    shared: Mapping[str, Any],
    specs: Sequence[PageSpec],
    todo: Sequence[int],
    root: Path,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    parallel_min: int | None = None,
) -> dict[str, Stat]:
    """Render `specs[i]` for i in `todo` into files under `root`; site path → stat of the
    written file."""
    report = progress or (lambda done, total: None)
    total = len(todo)
    folders = sorted({os.path.dirname(specs[i].path) for i in todo})
    for folder in folders:
        os.makedirs(root / folder, exist_ok=True)
    minimum = PARALLEL_MIN if parallel_min is None else parallel_min
    stats: dict[str, Stat] = {}
    if jobs <= 1 or total < max(minimum, 2) or not can_fork():
        for done, number in enumerate(todo, 1):
            spec = specs[number]
            stats[spec.path] = write_page(env, spec, shared, str(root))
            report(done, total)
        return stats

    global _JOB
    _compile(env, sorted({specs[i].template for i in todo}))
    size = max(8, min(500, total // (jobs * 8) or 1))
    ranges = [(i, min(i + size, total)) for i in range(0, total, size)]
    _JOB = (env, shared, specs, todo, str(root))
    # Objects frozen already (by `newsgen.collector` during a build) stay frozen after this.
    thaw = gc.get_freeze_count() == 0
    gc.collect()
    gc.freeze()  # the workers' collector leaves the inherited objects alone: fewer copied pages
    try:
        with fork_pool(jobs) as pool:
            futures = [pool.submit(_render_range, start, stop) for start, stop in ranges]
            if thaw:
                gc.unfreeze()  # the workers are forked
            done = 0
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in finished:
                    chunk = future.result()  # a worker's error is raised here
                    stats.update(chunk)
                    done += len(chunk)
                    report(done, total)
        return stats
    finally:
        _JOB = None
        if thaw:
            gc.unfreeze()
