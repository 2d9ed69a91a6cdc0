"""Where a build's time goes, stage by stage (`newsgen build --timings`).

A benchmark gives a build's whole time; deciding what to make faster needs the split, and
the split has to come from the build itself so that anyone can repeat it. The stages are
timed in the parent process; a stage that runs beside others (the search stage, in a child)
shows as the time the parent waited for it.
"""

from __future__ import annotations

import contextlib
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
        return "\n".join(lines)


class NoTimings(Timings):
    """What a build uses when nobody asked for the split: a stage costs nothing."""

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield
