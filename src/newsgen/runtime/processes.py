"""How a build starts processes, so that none outlives the build: the one place that forks.

Two shapes, one start: a pool of workers for a stage that spreads its work (`fork_pool`,
`fork_map`), and one child that runs a whole stage beside the build (`Background`: the
search stage needs only the articles, rendering needs the pages planned from them; on two
cores the two run side by side, the child forked once the archive is loaded, inheriting the
articles without copying them and sending back only its small result, by pipe). Where fork is
not available the work runs in the calling process: the same result, later.

Every process started here:

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
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from newsgen.errors import NewsgenError

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def can_fork() -> bool:
    """Fork is safe here (Linux; macOS's fork is not, and Windows has none)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    """The processes a build may use: the CPUs this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def die_with_parent(parent: int, signum: int = signal.SIGKILL) -> None:
    """Have the kernel send `signum` to this process when its parent (pid `parent`) dies,
    however it dies; exit at once if it is dead already."""
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signum)
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)


def worker_started(parent: int) -> None:
    """What every forked worker does first. `parent`: the pid of the process that forks it."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A build's parent collects rarely (`collector`); its workers make garbage.
    gc.enable()


@contextlib.contextmanager
def fork_pool(jobs: int, inherit: Any = None) -> Iterator[ProcessPoolExecutor]:
    """A pool of `jobs` forked workers; if the block fails or is interrupted, they are killed.

    `inherit`: what the workers read through `inherited()`, passed by fork rather than by
    pickling (a Jinja environment, a stage's in-memory archive). The pool forks its workers
    when the first task is submitted, inside the block."""
    global _INHERITED
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=worker_started,
        initargs=(os.getpid(),),
    )
    outer, _INHERITED = _INHERITED, inherit
    try:
        yield pool
    except BaseException:
        kill_pool(pool)
        raise
    finally:
        _INHERITED = outer
    pool.shutdown(wait=True)


_INHERITED: Any = None


def inherited() -> Any:
    """In a worker of `fork_pool(jobs, inherit=x)` or a task of `fork_map(…, inherit=x)`: x,
    as the parent held it at the fork."""
    return _INHERITED


def kill_pool(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop a running task: shutdown() waits for each one
    # (seconds of rendering after a Ctrl-C). Its processes are only reachable here.
    processes = list(getattr(pool, "_processes", None) or {})
    for pid in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    # A worker killed halfway through sending a result leaves part of a message in the pipe,
    # and the executor's thread that reads it (which shutdown waits for) would wait for the
    # rest for ever: a build stopped while rendering hung so. With the parent's own writing
    # end closed too, that thread reads the end of the pipe once the workers are gone.
    results = getattr(pool, "_result_queue", None)
    if results is not None:
        results._writer.close()
    pool.shutdown(wait=True, cancel_futures=True)


def fork_map(
    func: Callable[[Any], Any],
    tasks: list[Any],
    jobs: int,
    inherit: Any = None,
    release: Callable[[], None] | None = None,
) -> list[Any]:
    """`[func(t) for t in tasks]` in up to `jobs` forked workers, in order; `func` reads
    `inherited()` (`inherit`) wherever it runs. `release`: called once the workers are forked
    (each holds its copy of what it inherits), so that the parent can let go of its own while
    the results come in; not called when the tasks run in this process."""
    global _INHERITED
    if jobs <= 1 or len(tasks) <= 1 or not can_fork():
        outer, _INHERITED = _INHERITED, inherit
        try:
            return [func(task) for task in tasks]
        finally:
            _INHERITED = outer
    with fork_pool(min(jobs, len(tasks)), inherit) as pool:
        # Every task is submitted here, and a "fork" pool starts all its workers at the first.
        results = pool.map(func, tasks)
        if release is not None:
            release()
        return list(results)


def _child(work: Callable[[], Any], conn: Connection, parent: int) -> None:
    worker_started(parent)
    # A process group of its own, which the processes it forks join: `cancel` stops them
    # all at once. Stopping only this one left its pool's workers to die on a broken pipe,
    # each printing a traceback under the build's own error message.
    os.setpgid(0, 0)
    try:
        outcome: tuple[str, Any] = ("ok", work())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent
        outcome = ("error", exc)
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)  # an exception that cannot be rebuilt must not kill the parent
    except Exception:  # noqa: BLE001
        text = "".join(traceback.format_exception(outcome[1])) if outcome[0] == "error" else "unpicklable result"
        data = pickle.dumps(("error", RuntimeError(text)))
    conn.send_bytes(data)
    conn.close()
    os._exit(0)  # skip the parent's atexit handlers and buffered streams


class Background(Generic[T]):
    """`job = Background(work); job.start(); ...; value = job.result()` (re-raises its error).
    `name`: what the work is, for the error if its process dies."""

    def __init__(self, work: Callable[[], T], name: str = "a background process"):
        self.work = work
        self.name = name
        self._process: Any = None
        self._conn: Connection | None = None

    def start(self) -> Background[T]:
        if can_fork():
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(self.work, send, os.getpid()), name="newsgen-background")
            self._process.start()
            send.close()
            self._conn = receive
        return self

    def result(self) -> T:
        if self._process is None:
            return self.work()
        assert self._conn is not None
        try:
            data = self._conn.recv_bytes()  # before join: a large result would fill the pipe
        except EOFError:
            self._process.join()
            code = self._process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            raise NewsgenError(f"{self.name} stopped before it finished ({how}: out of memory?)") from None
        finally:
            self._conn.close()
        self._process.join()
        self._process = None
        status, value = pickle.loads(data)
        if status == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it is still running (the build failed elsewhere)."""
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGTERM)
            self._process.terminate()  # in case it had not made its group yet
            self._process.join()
            self._process = None
        if self._conn is not None:
            self._conn.close()
