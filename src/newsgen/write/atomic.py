"""Write a whole site atomically: into `<output>.tmp-XXXX` beside the output, then swap.

A build that fails or is interrupted removes its temporary folder and leaves the previous
site exactly as it was. The swap exchanges the two folders in one system call
(`renameat2(RENAME_EXCHANGE)`), so there is no moment without a site, not even for a build
killed in the middle of it. Where the file system cannot exchange, it is two renames (the
old site moves aside to `<output>.old-XXXX`, the new one moves in); a build killed between
them leaves the old site beside the output, and the next build puts it back
(`recover_output`) before it does anything else.

Every staging folder carries the site marker (`newsgen.write.ownership`) from the moment it
is made: `remove_leftovers` deletes the staging folders of killed builds, and only those.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

from newsgen.write.ownership import is_marked, mark
from newsgen.write.trash import throw_away

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def staging_folder(output: Path) -> Path:
    """A new empty folder beside `output` (same file system, so renames into place work)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=f"{output.name}.tmp-", dir=output.parent))
    # A stop (Ctrl-C, SIGTERM from a dying `newsgen serve`) can land here, before the caller's
    # `with` holds the folder to remove it: the folder is removed here then.
    try:
        # mkdtemp makes the folder private (0700); a published site must be readable.
        os.chmod(root, 0o755)
        mark(root)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return root


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system or file system cannot."""
    if _renameat2 is None:
        return False
    done = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _beside(output: Path, kind: str) -> list[Path]:
    """The marked folders beside `output` named as this module names its staging ("tmp")
    or set-aside ("old") folders, oldest first."""
    try:
        found = [p for p in output.parent.glob(f"{output.name}.{kind}-*") if p.is_dir() and not p.is_symlink()]
    except OSError:
        return []
    return sorted((p for p in found if is_marked(p)), key=lambda p: (p.stat().st_mtime_ns, p.name))


def recover_output(output: Path) -> Path | None:
    """Put back the site a build killed in the middle of a two-rename swap left beside the
    output (the output itself is then missing). Returns the folder it put back."""
    if output.exists() or output.is_symlink():
        return None
    aside = _beside(output, "old")
    if not aside:
        return None
    os.rename(aside[-1], output)
    return aside[-1]


def remove_leftovers(output: Path, trash: Path) -> list[Path]:
    """Throw away the staging and set-aside folders that killed builds of `output` left
    beside it. Only call this while holding the output's build lock: a running build's
    staging folder looks the same."""
    removed = []
    for kind in ("tmp", "old"):
        for folder in _beside(output, kind):
            throw_away(folder, trash)
            removed.append(folder)
    return removed


class Staging:
    """What both ways of writing a site share: on entering, a fresh staging folder beside the
    output becomes `root`, where the build writes. Subclasses decide what leaving does."""

    def __init__(self, output: Path, trash: Path):
        self.output = Path(output).absolute()
        self.trash = trash  # where what the output no longer holds goes (`newsgen.write.trash`)
        self.root: Path = self.output  # the staging folder once entered

    def __enter__(self) -> Self:
        self.root = staging_folder(self.output)
        return self


class AtomicSite(Staging):
    """`with AtomicSite(output, trash) as site: write the whole site under site.root`; on a clean exit
    the folder replaces the output, on an error it is removed."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            return
        try:
            self._swap()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _swap(self) -> None:
        if not self.output.exists():
            os.rename(self.root, self.output)
            return
        if exchange(self.root, self.output):
            throw_away(self.root, self.trash)  # now the previous site
            return
        old = Path(tempfile.mkdtemp(prefix=f"{self.output.name}.old-", dir=self.output.parent))
        os.rmdir(old)  # only its unique name is wanted: rename needs the target absent
        os.rename(self.output, old)
        try:
            os.rename(self.root, self.output)
        except BaseException:
            os.rename(old, self.output)  # put the previous site back
            raise
        throw_away(old, self.trash)
