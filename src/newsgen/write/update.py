"""Update a built site in place: changed files are written beside it, then renamed into it.

`newsgen build` has two ways to write the output folder:

- **Full** (no trustworthy manifest: first build, `--clean`, an interrupted update): the whole
  site is written into `<output>.tmp-XXXX` and swapped in with two renames
  (`newsgen.write.atomic.AtomicSite`). The site changes in one step.
- **Incremental** (this module): only the files whose key changed are written, into a
  staging folder `<output>.tmp-XXXX` beside the output (same file system). Nothing in the
  output is touched until every file is written, so a failed or interrupted build leaves
  the old site exactly as it was. Then, with a journal in the cache folder, each file is
  renamed into the output (`rename(2)` replaces a file atomically: a reader sees the old
  file or the new one, never a partial one), in an order that never leaves a link dangling:
  files that did not exist first (nothing links to them yet), then changed files (which may
  now link to the new ones), then the files no longer in the site are deleted (nothing links
  to them any more). The renames of a whole-site change (a template edit) take well under a
  second; if the process dies among them, the journal is still there and the next build is
  a full one, which replaces the whole folder in one swap.

  Renaming only what changed is what keeps a rebuild fast at any size: the alternatives
  (hard-linking every unchanged file into a fresh tree and swapping it in, then deleting the
  old tree) cost a system call or two per file of the site — about a second per 60,000
  files here — whatever the size of the change.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from newsgen.write.atomic import Staging
from newsgen.write.state import StateStore


class SiteUpdate(Staging):
    """`with SiteUpdate(output, store) as update: write under update.root; update.apply(...)`."""

    def __init__(self, output: Path, store: StateStore):
        super().__init__(output)
        self.store = store

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever is left in the staging folder was not needed (or the build failed).
        shutil.rmtree(self.root, ignore_errors=True)

    def apply(self, new: Iterable[str], changed: Iterable[str], deleted: Iterable[str]) -> None:
        """Move the staged files into the output and delete the files no longer in the site.
        The caller saves the new manifest, then calls `store.end_update()`."""
        deleted = sorted(set(deleted))
        doomed = set(deleted)
        self.store.begin_update(self.root)
        made: set[str] = set()
        for group in (new, changed):
            for site_path in group:
                parent = os.path.dirname(site_path)
                if parent and parent not in made:
                    self._make_folder(parent, doomed)
                    made.add(parent)
                self._move(site_path, doomed)
        emptied: set[str] = set()
        for site_path in deleted:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.output / site_path)
            parent = os.path.dirname(site_path)
            while parent:
                emptied.add(parent)
                parent = os.path.dirname(parent)
        for folder in sorted(emptied, key=lambda p: -p.count("/")):
            with contextlib.suppress(OSError):  # not empty, or gone already
                os.rmdir(self.output / folder)

    def _make_folder(self, folder: str, doomed: set[str]) -> None:
        try:
            os.makedirs(self.output / folder, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            # A file that is leaving the site stands where a folder must go: remove it first.
            parts = folder.split("/")
            for end in range(1, len(parts) + 1):
                prefix = "/".join(parts[:end])
                target = self.output / prefix
                if target.is_file() or target.is_symlink():
                    if prefix not in doomed:
                        raise
                    os.unlink(target)
            os.makedirs(self.output / folder, exist_ok=True)

    def _move(self, site_path: str, doomed: set[str]) -> None:
        try:  # strings, not Paths: making two Paths per file cost a tenth of its rename
            os.replace(os.path.join(self.root, site_path), os.path.join(self.output, site_path))
        except (IsADirectoryError, OSError) as exc:
            target = self.output / site_path
            # A folder of files that are leaving the site stands where this file goes.
            if not target.is_dir() or target.is_symlink():
                raise
            inside = [p.relative_to(self.output).as_posix() for p in target.rglob("*") if not p.is_dir()]
            if not all(p in doomed for p in inside):
                raise exc
            shutil.rmtree(target)
            os.replace(self.root / site_path, target)
