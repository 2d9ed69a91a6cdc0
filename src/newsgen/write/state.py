"""What the last build wrote: the build manifest, kept in the cache folder beside the pages.

For every file of the output it records the key the file was made from (see
`newsgen.render.keys`) and what `stat` said right after it was written (size, mtime, inode).
The next build compares keys to know what to render, and compares the output folder with
the recorded stats to know that nobody changed the site behind its back: a file that was
edited, removed or added by hand is rewritten or removed like a changed one.

One manifest per output folder: `<cache>/builds/<digest of the output's absolute path>/`.
Beside it, `trash/` holds what builds took out of the output until a later build deletes it,
and `journal` exists only while an incremental update renames files into the output;
a journal left behind (the process was killed) makes the next build a full one, which
clears it once it has swapped in the whole site.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FORMAT = 4
STATE_FILE = "manifest.pickle"
JOURNAL_FILE = "journal"
OUTPUT_FILE = "output"  # the output folder the manifest is about, in plain text
BUILDS = "builds"
TRASH = "trash"  # what builds took out of the output, waiting to be deleted (`newsgen.write.trash`)

Stat = tuple[int, int, int]  # size, mtime_ns, inode


# What the manifest records of one file of the site: (key, size, mtime_ns, inode), the key
# being what the file was made from (`newsgen.render.keys`, or its bytes' digest) and
# `entry[1:]` its `Stat`. A plain tuple, not a named one: a named tuple is pickled as a call
# of its class, and the manifest holds one a file (the record's save took 0.05 s of it at
# 30,000 articles, plain tuples 0.015).
Entry = tuple[bytes, int, int, int]
KEY, SIZE = 0, 1  # where an entry holds its key and its size


@dataclass
class BuildState:
    output: str
    files: dict[str, Entry] = field(default_factory=dict)  # site path → entry, every file of the site
    inputs: Any = None  # the input stamp of the build that wrote this state (`newsgen.load.Inputs`)
    diagnostics: tuple[Any, ...] = ()  # the loader's notes, for a build that loads nothing
    summary: dict[str, Any] = field(default_factory=dict)  # article and page counts, search stats
    format: int = STATE_FORMAT


def scan_output(root: Path) -> dict[str, Stat]:
    """Every file under `root` (site path → stat); symbolic links count as files."""
    found: dict[str, Stat] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((name + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    found[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


class StateStore:
    """The manifest, journal and lock of one output folder."""

    def __init__(self, folder: Path, output: Path):
        self.folder = folder
        self.cache = folder.parent.parent  # the cache folder the records are kept in
        self.output = output
        self.path = folder / STATE_FILE
        self.journal = folder / JOURNAL_FILE
        self.trash = folder / TRASH

    @classmethod
    def for_output(cls, cache: Path, output: Path) -> StateStore:
        absolute = str(Path(output).absolute())
        name = hashlib.sha256(absolute.encode("utf-8")).hexdigest()[:16]
        return cls(Path(cache) / BUILDS / name, Path(absolute))

    def load(self) -> BuildState | None:
        """The last build's state, or None when there is none to trust."""
        if self.journal.exists():
            return None  # an update was interrupted: what is on disk is not what was recorded
        try:
            with self.path.open("rb") as stream:
                state = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return None
        if not isinstance(state, BuildState) or state.format != STATE_FORMAT or state.output != str(self.output):
            return None
        return state

    def save(self, state: BuildState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / OUTPUT_FILE).write_text(str(self.output) + "\n", encoding="utf-8")
        temporary = self.path.with_name(f"{STATE_FILE}.{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump(state, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)

    def forget(self) -> None:
        """Drop the manifest (before the output is replaced by other means)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def begin_update(self, staging: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.journal.write_text(f"{staging}\n", encoding="utf-8")

    def end_update(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.journal.unlink()

    @contextlib.contextmanager
    def locked(self, notify: Callable[[str], None] = lambda message: None) -> Iterator[None]:
        """One build of this output at a time: a second one says who holds the lock and waits.

        A POSIX record lock (`lockf`) belongs to the process that took it, not to the processes
        it forks, and the kernel drops it when that process dies however it dies: a killed
        build never leaves the output locked, even while a worker of it still runs. The
        holder's pid is kept in the lock file while it builds; finding one there on taking
        the lock means that build was killed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # not on POSIX: no lock
            yield
            return
        shown = self.output.name + "/"
        with open(self.folder / "lock", "a+", encoding="utf-8") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                notify(f"another build of {shown} is running (pid {_holder(handle) or '?'}); waiting for it to finish")
                fcntl.lockf(handle, fcntl.LOCK_EX)
            dead = _holder(handle)
            if dead:
                notify(f"a build of {shown} (pid {dead}) was stopped before it finished; cleaning up after it")
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            try:
                yield
            finally:
                handle.truncate(0)
                handle.flush()
                fcntl.lockf(handle, fcntl.LOCK_UN)


def _holder(handle: Any) -> str:
    """The pid written in a lock file, "" when none is."""
    handle.seek(0)
    text = handle.read().strip()
    return text if text.isdigit() else ""


def prune_states(cache: Path, keep: Path, *, older_than: float = 7 * 24 * 3600) -> None:
    """Forget the manifests of output folders that no longer exist (tests, `serve` sessions),
    once they have not been used for a while."""
    builds = Path(cache) / BUILDS
    try:
        folders = list(builds.iterdir())
    except OSError:
        return
    now = time.time()
    for folder in folders:
        if folder == keep:
            continue
        try:
            output = Path((folder / OUTPUT_FILE).read_text(encoding="utf-8").strip())
            used = (folder / STATE_FILE).stat().st_mtime
        except OSError:
            output, used = None, folder.stat().st_mtime if folder.exists() else now
        if now - used > older_than and (output is None or not output.exists()):
            shutil.rmtree(folder, ignore_errors=True)
