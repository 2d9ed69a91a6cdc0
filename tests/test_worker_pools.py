"""A pool stopped while a worker is halfway through sending its result ends (`kill_pool`):
a build stopped while rendering must not hang."""

from __future__ import annotations

import os
import signal
import struct
import threading
import time
from pathlib import Path

import pytest

from newsgen.runtime import can_fork
from newsgen.runtime.processes import fork_pool

POOL = None  # the pool, as its forked worker sees it


def _send_half_and_die(marker: str) -> None:
    """What a worker killed mid-send leaves: a message's length and part of its bytes."""
    writer = POOL._result_queue._writer  # type: ignore[attr-defined]
    os.write(writer.fileno(), struct.pack("!i", 1_000_000) + b"x" * 100)
    Path(marker).touch()
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(not can_fork(), reason="worker pools fork")
def test_a_pool_stopped_with_half_a_result_in_its_pipe_ends(tmp_path: Path) -> None:
    global POOL
    marker = tmp_path / "sent"
    ended = threading.Event()

    def stop_the_pool() -> None:
        global POOL
        with pytest.raises(KeyboardInterrupt):
            with fork_pool(1) as pool:
                POOL = pool
                pool.submit(_send_half_and_die, str(marker))
                while not marker.exists():
                    time.sleep(0.01)
                raise KeyboardInterrupt  # a Ctrl-C or SIGTERM of the build, as the build sees it
        ended.set()

    # In a thread: before the fix, the pool's shutdown waited for ever for the rest of the
    # message, and the test must fail, not hang.
    threading.Thread(target=stop_the_pool, daemon=True).start()
    assert ended.wait(60), "the stopped pool is still waiting for the rest of a dead worker's result"
    POOL = None
