"""Run one stage of the build in a forked child process while the parent goes on.

The search stage needs only the articles; rendering needs the pages planned from them. On
two cores the two run side by side: the child is forked once the archive is loaded (it
inherits the articles without copying them) and sends back only its small result, by pipe.

Where `fork` is not available the stage runs in the calling process when its result is
asked for: the same result, later.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from newsgen.errors import NewsgenError
from newsgen.workers import can_fork, worker_started

T = TypeVar("T")


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
    """`job = Background(work); job.start(); ...; value = job.result()` (re-raises its error)."""

    def __init__(self, work: Callable[[], T]):
        self.work = work
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
            raise NewsgenError(f"the search stage stopped before it finished ({how}: out of memory?)") from None
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
