"""How a build starts worker processes, so that none outlives the build.

Every stage that works in parallel forks its workers through this module:

- each worker asks the kernel to kill it when its parent dies (`PR_SET_PDEATHSIG`): a build
  killed by SIGKILL, the OOM killer or a CI cancel takes its workers with it, and the workers
  of a forked stage go with that stage;
- a worker ignores SIGINT (the terminal sends Ctrl-C to the whole process group: only the
  build itself answers it, with one line) and dies quietly on SIGTERM (the build's own
  handler, inherited through fork, would make it print a traceback);
- a pool whose work failed or was interrupted is killed at once, not waited for.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def can_fork() -> bool:
    """Fork is safe here (Linux; macOS's fork is not, and Windows has none)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def worker_started(parent: int) -> None:
    """What every forked worker does first. `parent`: the pid of the process that forks it."""
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A build's parent collects rarely (`newsgen.collector`); its workers make garbage.
    gc.enable()


@contextlib.contextmanager
def fork_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `jobs` forked workers; if the block fails or is interrupted, they are killed."""
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=worker_started,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        kill_pool(pool)
        raise
    pool.shutdown(wait=True)


def kill_pool(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop a running task: shutdown() waits for each one
    # (seconds of rendering after a Ctrl-C). Its processes are only reachable here.
    processes = list(getattr(pool, "_processes", None) or {})
    for pid in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    pool.shutdown(wait=True, cancel_futures=True)


def fork_map(func: Callable[[Any], Any], tasks: list[Any], jobs: int) -> list[Any]:
    """`[func(t) for t in tasks]` in up to `jobs` forked workers, in order."""
    if jobs <= 1 or len(tasks) <= 1 or not can_fork():
        return [func(task) for task in tasks]
    with fork_pool(min(jobs, len(tasks))) as pool:
        return list(pool.map(func, tasks))
