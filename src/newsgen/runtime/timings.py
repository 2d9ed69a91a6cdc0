"""Where a build's time goes, stage by stage (`newsgen build --timings`).

A benchmark gives a build's whole time; deciding what to make faster needs the split, and
the split has to come from the build itself so that anyone can repeat it. The stages are
timed in the parent process; a stage that runs beside others (the search stage, in a child)
shows as the time the parent waited for it.

The table ends with the peak memory of the build's own process and of its largest child
process (a worker, the search stage or one of its workers): which of them sets a build's peak
decides where memory is worth saving.
"""

from __future__ import annotations

import contextlib
import resource
import sys
import time
from collections.abc import Iterator


class Timings:
    """`with timings.stage("load"): ...`; `timings.table()` is the split as text."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []
        self._started = time.perf_counter()

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages.append((name, time.perf_counter() - started))

    def table(self) -> str:
        total = time.perf_counter() - self._started
        width = max([len(name) for name, _ in self.stages] + [len("total")])
        lines = [f"{name:<{width}}  {seconds:8.3f} s" for name, seconds in self.stages]
        timed = sum(seconds for _, seconds in self.stages)
        lines.append(f"{'(other)':<{width}}  {max(0.0, total - timed):8.3f} s")
        lines.append(f"{'total':<{width}}  {total:8.3f} s")
        for who, rss in peak_rss().items():
            lines.append(f"{'peak RSS, ' + who:<{width}}  {rss:8.1f} MiB")
        return "\n".join(lines)


def peak_rss() -> dict[str, float]:
    """MiB at their peak: this process, and the largest of the processes it started, or they
    started, that have ended (what the kernel reports for waited-for descendants)."""
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    unit = 1 if sys.platform == "darwin" else 1024
    return {
        "this process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20,
        "largest child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20,
    }


class NoTimings(Timings):
    """What a build uses when nobody asked for the split: a stage costs nothing."""

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield
