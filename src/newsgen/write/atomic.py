"""Write a whole site atomically: into `<output>.tmp-XXXX` beside the output, then swap.

A build that fails or is interrupted removes its temporary folder and leaves the previous
site exactly as it was. The swap is two renames on the same file system (the old site
moves aside, the new one moves in), so readers never see a half-written site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self


def staging_folder(output: Path) -> Path:
    """A new empty folder beside `output` (same file system, so renames into place work)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=f"{output.name}.tmp-", dir=output.parent))
    # mkdtemp makes the folder private (0700); a published site must be readable.
    os.chmod(root, 0o755)
    return root


class Staging:
    """What both ways of writing a site share: on entering, a fresh staging folder beside the
    output becomes `root`, where the build writes. Subclasses decide what leaving does."""

    def __init__(self, output: Path):
        self.output = Path(output).absolute()
        self.root: Path = self.output  # the staging folder once entered

    def __enter__(self) -> Self:
        self.root = staging_folder(self.output)
        return self


class AtomicSite(Staging):
    """`with AtomicSite(output) as site: write the whole site under site.root`; on a clean exit
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
        old = Path(tempfile.mkdtemp(prefix=f"{self.output.name}.old-", dir=self.output.parent))
        os.rmdir(old)  # only its unique name is wanted: rename needs the target absent
        os.rename(self.output, old)
        try:
            os.rename(self.root, self.output)
        except BaseException:
            os.rename(old, self.output)  # put the previous site back
            raise
        shutil.rmtree(old, ignore_errors=True)
