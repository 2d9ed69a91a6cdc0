"""Render pages over worker processes, handing each page's bytes to the site writer.

Rendering is CPU-bound Python, so it runs in processes, not threads. The workers are forked
after the pages are planned: they inherit the Jinja environment (templates compiled once),
the shared context, the page specs and the writer, and are sent only ranges of page numbers.
Each worker renders its pages and hands each one's bytes to the writer it inherited
(`newsgen.write.SiteWriter.write`), which puts the file into the site being built and gives
back what it recorded of it; only that comes back through the pipe, never HTML, and no page
is kept in memory after it is written. This module never opens a file.

Output is byte-identical to a serial build: a page is a pure function of its spec and the
shared context, and each file is written by exactly one process.

Where `fork` is not available (Windows; macOS, where it is unsafe), pages are rendered in
the calling process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, wait
from typing import Any

import jinja2

from newsgen import urls
from newsgen.render.environment import render
from newsgen.render.pages import PageSpec
from newsgen.runtime import can_fork, fork_pool, frozen_for_fork, inherited

# Below this many pages, forking workers costs more than it saves.
PARALLEL_MIN = 300

Write = Callable[[str, bytes], Any]  # site path, bytes → what the writer recorded of the file
Progress = Callable[[int, int], None]

# What the forked workers render: (environment, shared context, specs, page numbers, write).
Job = tuple[jinja2.Environment, Mapping[str, Any], Sequence[PageSpec], Sequence[int], Write]


def render_page(env: jinja2.Environment, spec: PageSpec, shared: Mapping[str, Any]) -> str:
    """One page's HTML: a pure function of its spec and the shared context."""
    context = {**shared, **spec.context, "page_path": spec.path, "root": urls.root_prefix(spec.path)}
    return render(env, spec.template, context)


def _compile(env: jinja2.Environment, names: Sequence[str]) -> None:
    """Compile the templates before forking: the workers inherit them compiled, instead of
    each compiling its own copy. A template that fails is left for the workers to report
    (`render` turns the error into one that names the template line)."""
    for name in names:
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def _render_range(start: int, stop: int) -> list[tuple[str, Any]]:
    job: Job = inherited()
    env, shared, specs, todo, write = job
    done = []
    for number in todo[start:stop]:
        spec = specs[number]
        done.append((spec.path, write(spec.path, render_page(env, spec, shared).encode("utf-8"))))
    return done


def render_files(
    env: jinja2.Environment,
    shared: Mapping[str, Any],
    specs: Sequence[PageSpec],
    todo: Sequence[int],
    write: Write,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Render `specs[i]` for i in `todo`, handing each page to `write`; site path → what
    `write` returned for it."""
    report = progress or (lambda done, total: None)
    total = len(todo)
    done: dict[str, Any] = {}
    if jobs <= 1 or total < max(PARALLEL_MIN, 2) or not can_fork():
        for count, number in enumerate(todo, 1):
            spec = specs[number]
            done[spec.path] = write(spec.path, render_page(env, spec, shared).encode("utf-8"))
            report(count, total)
        return done

    _compile(env, sorted({specs[i].template for i in todo}))
    size = max(8, min(500, total // (jobs * 8) or 1))
    ranges = [(i, min(i + size, total)) for i in range(0, total, size)]
    with fork_pool(jobs, inherit=(env, shared, specs, todo, write)) as pool:
        with frozen_for_fork():  # until the workers are forked
            futures = [pool.submit(_render_range, start, stop) for start, stop in ranges]
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                chunk = future.result()  # a worker's error is raised here
                done.update(chunk)
                report(len(done), total)
    return done
