"""What a build took out of the site, deleted beside the next builds instead of during this one.

An update that replaces most of the site (a template edit replaces every page) leaves the
old files in its staging folder, and a full build leaves the whole previous site there.
Deleting them is not free: on a file system that discards the blocks of every file it frees
(ext4 mounted with `discard` and no journal, as cloud disks often are), each unlink waits
for the device, and removing the 116,000 pages a template edit replaced took a
100,000-article build 60 s of its 137.

So the build renames that folder into the output's trash (`<cache>/builds/<output>/trash/`,
one rename) and a later build deletes it: a `Reaper` child process works through the trash
while that build loads, renders and indexes (it waits on the disk, the build on the CPUs),
and is stopped when the build ends, wherever it has got to. Nothing in the trash is part of
any site, so deleting it may stop and start again at any file. The trash holds the leftovers
of at most `HELD` builds: past that, the oldest are deleted at once, so the disk never holds
more than that many old copies of the site.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from newsgen.runtime import Background, can_fork

HELD = 2  # builds whose leftovers may wait in the trash


def throw_away(folder: Path, trash: Path) -> None:
    """Move `folder` into `trash` to be deleted later; delete it now where it cannot move
    there (another file system; no process to delete it beside a build), and the oldest
    when the trash is full."""
    if not os.path.isdir(folder):
        return  # thrown away already
    if not can_fork():
        shutil.rmtree(folder, ignore_errors=True)
        return
    slot: Path | None = None
    try:
        trash.mkdir(parents=True, exist_ok=True)
        slot = Path(tempfile.mkdtemp(prefix="build-", dir=trash))
        os.rename(folder, slot / "files")
    except OSError:
        # Another file system (EXDEV), or a cache that cannot be written: delete it now,
        # as before there was a trash. Never an error: this runs on a failed build's way out.
        if slot is not None:
            with contextlib.suppress(OSError):
                os.rmdir(slot)
        shutil.rmtree(folder, ignore_errors=True)
        return
    _empty(waiting(trash)[:-HELD])


def waiting(trash: Path) -> list[Path]:
    """The trash's folders, oldest first."""
    try:
        found = [p for p in trash.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (_mtime(p), p.name))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _empty(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def reaping(trash: Path) -> Iterator[None]:
    """Delete what is in the trash now in a child process while the block runs; stop it when
    the block ends (what is left waits for the next build)."""
    folders = waiting(trash)
    if not folders:
        yield
        return
    reaper = Background(lambda: _empty(folders), "emptying the trash").start()
    try:
        yield
    finally:
        reaper.cancel()
