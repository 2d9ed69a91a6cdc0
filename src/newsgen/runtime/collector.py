"""The cyclic garbage collector during a build.

A build holds a few million container objects that all live until it ends: the archive's
articles and blocks, the taxonomies, the page specs. CPython's collector is tuned for
programs whose objects die young: it looks at the youngest generation every 700 allocations
and, each time the heap has grown by a quarter, traverses the whole heap. Unpickling the
archive from the page cache (10,000 articles) spent more than a third of its time there, and
every full collection after it traversed the whole archive again, to free nothing.

So, for the length of a build (`for_build()`), as CPython-heavy services do (Instagram's
`gc.freeze()`):

- the youngest generation is collected every `YOUNG_THRESHOLD` allocations instead of 700
  (the build makes little cyclic garbage; what it makes lives a little longer);
- `keeping()` stops collecting altogether while the build makes only what it keeps: loading
  the archive (unpickling 100,000 articles from the page cache makes 3.4 million objects, and
  the collections that set off cost about as much as the unpickling), then the taxonomies
  and the page plan;
- `keep_alive()`, which `keeping()` calls when it ends, moves every object alive into the
  permanent generation (`gc.freeze()`): no collection traverses it again, in this process or
  in the processes forked from it (whose copies of those memory pages then stay shared);
- `frozen_for_fork()` does the same around the start of a pool whose workers inherit what
  the parent holds (the render workers: the compiled templates, the page plan).

This module is the only one that touches the collector's settings.

On leaving, the thresholds are restored and the frozen objects are handed back to the
collector: `newsgen serve` builds again and again in one process, and must not keep every
build's cyclic garbage for ever.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Allocations between two collections of the youngest generation during a build. At most
# this many unreachable cycles wait to be freed: a few megabytes.
YOUNG_THRESHOLD = 50_000


@contextlib.contextmanager
def for_build() -> Iterator[None]:
    """Collect rarely inside the block; on leaving, restore the thresholds and unfreeze."""
    thresholds = gc.get_threshold()
    # Objects frozen before the block were frozen by someone else: they stay frozen.
    thaw = gc.get_freeze_count() == 0
    gc.set_threshold(max(thresholds[0], YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if thaw:
            gc.unfreeze()


@contextlib.contextmanager
def keeping() -> Iterator[None]:
    """What the block makes lives to the end of the build: no collection runs while it is
    made (each would traverse a growing heap of live objects to free nothing), and it is
    frozen (`keep_alive()`) when the block ends, before the collector runs again.

    Processes forked inside the block must collect as usual: start them with `gc.enable`
    (a pool's initializer). What little cyclic garbage the block makes is frozen with the
    rest: a few megabytes at most, against seconds of traversal."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        keep_alive()
        if enabled:
            gc.enable()


def keep_alive() -> None:
    """Every object alive now lives to the end of the build: stop traversing it.

    No collection first: what is unreachable now is at most one young generation of
    garbage, kept until `for_build()` ends."""
    gc.freeze()


@contextlib.contextmanager
def frozen_for_fork() -> Iterator[None]:
    """Workers forked inside the block leave the objects they inherit alone (their collector
    would otherwise touch, and so copy, every page of the parent's memory). Objects frozen
    before the block (by `keeping`, during a build) stay frozen after it; the rest are handed
    back once the block ends."""
    thaw = gc.get_freeze_count() == 0
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        if thaw:
            gc.unfreeze()
