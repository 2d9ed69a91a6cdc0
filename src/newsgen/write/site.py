"""The site writer: the only code that writes into the output folder.

A build goes through it in four steps:

1. `claim_output`: where the site goes, refused before anything else if no build may replace
   it (`ownership`);
2. `locked`: one build of an output at a time, after cleaning up what a killed build left;
3. `last_build`: what the last build recorded of the output, and the output as it is now;
4. `open_site`: a `SiteWriter` over a staging folder. Render workers and the search stage's
   process hand it their files (it is forked with them); on leaving, the staged files are
   renamed into the output one by one (`update`, when the last build's record can be trusted)
   or the whole staged site is swapped in (`atomic`), and the build's record is saved.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.errors import NewsgenError
from newsgen.runtime import Background, NoTimings, Timings
from newsgen.write.atomic import AtomicSite, recover_output, remove_leftovers
from newsgen.write.ownership import MARKER, MARKER_TEXT, check_output, is_marked, output_path
from newsgen.write.state import KEY, SIZE, BuildState, Entry, Stat, StateStore, prune_states, scan_output
from newsgen.write.trash import reaping
from newsgen.write.update import SiteUpdate


@dataclass(frozen=True)
class Target:
    """An output folder a build may write, and where its record is kept."""

    output: Path
    store: StateStore
    holds: Mapping[str, Any]  # what `ownership.protected` must never let a build replace


def claim_output(output: str | os.PathLike[str], *, cwd: Path, cache: Path, holds: Mapping[str, Any]) -> Target:
    """The output folder, refused at once if it is one no build may replace (before any lock)."""
    out = output_path(output, cwd)
    check_output(out, force=True, recorded=None, **holds)
    return Target(out, StateStore.for_output(cache, out), holds)


@contextlib.contextmanager
def locked(target: Target, notify: Callable[[str], None]) -> Iterator[None]:
    """Hold the output's build lock; first put back or remove what a killed build left: the
    previous site set aside mid-swap, staging folders beside the output. While the lock is
    held, what earlier builds threw away is deleted beside the build (`trash.reaping`)."""
    out, store = target.output, target.store
    with store.locked(notify):
        put_back = recover_output(out)
        if put_back is not None:
            notify(f"put back {out.name}/, which an interrupted build had left as {put_back.name}/")
        with reaping(store.trash):
            for folder in remove_leftovers(out, store.trash):
                notify(f"removed {folder.name}/, left by an interrupted build")
            yield


class OutputScan:
    """The output's files as they are (site path → stat): 36,000 stats at 30,000 articles, a
    tenth of a second of the build's own process. Scanned when first asked for, or, once
    `beside` has started it, in a child while the build loads its archive (the writer is the
    first to need it when the inputs changed)."""

    def __init__(self, root: Path | None):
        self.root = root  # None: nothing to scan (no record to compare the output with)
        self._found: dict[str, Stat] | None = None if root is not None else {}
        self._job: Background[dict[str, Stat]] | None = None

    def result(self) -> dict[str, Stat]:
        if self._found is None:
            assert self.root is not None
            job, self._job = self._job, None
            try:
                self._found = job.result() if job is not None else scan_output(self.root)
            except NewsgenError:  # the child died (out of memory?): scanned here, as before
                self._found = scan_output(self.root)
        return self._found

    @contextlib.contextmanager
    def beside(self) -> Iterator[None]:
        """Scan in a child while the block runs; stopped if the block fails before `result`."""
        if self._found is None and self._job is None and self.root is not None:
            self._job = Background(functools.partial(scan_output, self.root), "the output's scan").start()
        try:
            yield
        finally:
            if self._job is not None:
                self._job.cancel()
                self._job = None


@dataclass(frozen=True)
class LastBuild:
    """The last build's record, if it can be trusted, and the output's files as they are."""

    state: BuildState | None
    scan: OutputScan
    existed: bool  # a build made this output before (even if its record is not trusted now)

    @property
    def on_disk(self) -> Mapping[str, Stat]:
        return self.scan.result()

    def up_to_date(self, stamp: Any) -> bool:
        """Every input has the stat it had at the last build, and the output is as it was left."""
        state = self.state
        return (
            state is not None
            and stamp is not None
            and state.inputs == stamp
            and self.on_disk == {path: entry[1:] for path, entry in state.files.items()}
        )

    def summary(self, name: str, default: Any = None) -> Any:
        return self.state.summary.get(name, default) if self.state is not None else default


def last_build(target: Target, *, clean: bool, force: bool) -> LastBuild:
    """Read the record, and refuse an output newsgen did not make (unless `force`). The output
    is scanned when first needed (`LastBuild.on_disk`, or beside the build: `scan.beside()`)."""
    store, out = target.store, target.output
    prune_states(store.cache, store.folder)
    recorded = store.load()
    check_output(out, force=force, recorded=frozenset(recorded.files) if recorded else None, **target.holds)
    state = None if clean or not out.is_dir() else recorded
    return LastBuild(state, OutputScan(out if state is not None else None), existed=recorded is not None or is_marked(out))


class SiteWriter:
    """Puts files into the site being built and records each one's manifest entry.

    `root` is the staging folder. A forked process (a render worker, the search stage) calls
    `write` or `put` on its inherited copy; what that copy recorded goes back to the parent's
    through `taken` and `merge`."""

    def __init__(self, root: Path, output: Path, last: LastBuild):
        self.root = root
        self.output = output
        self.old: Mapping[str, Entry] = last.state.files if last.state is not None else {}
        self.on_disk = last.on_disk
        self.entries: dict[str, Entry] = {}
        self.written: list[str] = []
        self._folders: set[str] = set()
        self.record: BuildState | None = None  # what `finish` was given
        self.done = Written(incremental=last.state is not None)

    def finish(self, record: BuildState) -> None:
        """The build's record, saved once the site is in (its files are this writer's)."""
        self.record = record

    # --- the last build's files ---

    def has(self, path: str) -> bool:
        """The output holds this file as the last build wrote it."""
        entry = self.old.get(path)
        return entry is not None and self.on_disk.get(path) == entry[1:]

    def read(self, path: str) -> bytes | None:
        if not self.has(path):
            return None
        try:
            return (self.output / path).read_bytes()
        except OSError:
            return None

    def unchanged(self, path: str, key: bytes) -> bool:
        """The output already holds this file as the last build wrote it from this key (it is
        then kept)."""
        entry = self.old.get(path)
        if entry is not None and entry[KEY] == key and self.has(path):
            self.entries[path] = entry
            return True
        return False

    def keep(self, path: str) -> None:
        self.entries[path] = self.old[path]

    def keep_folder(self, prefix: str) -> bool:
        """Keep every file the last build wrote under `prefix`, if each is on disk as written."""
        paths = [path for path in self.old if path.startswith(prefix)]
        if not paths or not all(map(self.has, paths)):
            return False
        for path in paths:
            self.keep(path)
        return True

    # --- this build's files ---

    def write(self, path: str, data: bytes) -> Stat:
        """Write a file (in whichever process made it); its stat, for `wrote`."""
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(self.root / folder, exist_ok=True)
            self._folders.add(folder)
        with open(self.root / path, "wb") as handle:
            handle.write(data)
            handle.flush()  # the recorded size must be the file's whole size
            st = os.fstat(handle.fileno())
        return (st.st_size, st.st_mtime_ns, st.st_ino)

    def wrote(self, path: str, key: bytes, stat: Stat) -> None:
        self.entries[path] = (key, *stat)
        self.written.append(path)

    def put(self, path: str, data: bytes) -> None:
        """A file keyed by its bytes: written only if the output does not hold them already."""
        key = content_key(data)
        if not self.unchanged(path, key):
            self.wrote(path, key, self.write(path, data))

    def changes(self) -> Iterator[tuple[str, str]]:
        """Each file this build wrote or removed, and what the last build's record says of it:
        "new" (not in it), "touched" (not on disk as it was left), "remade" (made from other
        inputs) or "gone" (no longer in the site)."""
        for path in sorted(self.written):
            entry = self.old.get(path)
            yield path, "new" if entry is None else "remade" if self.has(path) else "touched"
        for path in sorted(set(self.on_disk) - self.entries.keys()):
            yield path, "gone"

    def branch(self) -> SiteWriter:
        """A writer of the same site with nothing recorded yet, for another process's files
        (its `taken()` is then only what that process wrote)."""
        other = copy.copy(self)
        other.entries, other.written, other._folders = {}, [], set(self._folders)
        return other

    def taken(self) -> tuple[dict[str, Entry], list[str]]:
        return self.entries, self.written

    def merge(self, taken: tuple[dict[str, Entry], list[str]]) -> None:
        entries, written = taken
        self.entries.update(entries)
        self.written.extend(written)


def content_key(data: bytes) -> bytes:
    """The key of a file whose bytes are known (assets, the search index's files)."""
    digest = hashlib.blake2b(b"content\0", digest_size=16)
    digest.update(data)  # not concatenated: a search shard or fragment is not copied to be hashed
    digest.update(b"\0")
    return digest.digest()


@dataclass
class Written:
    """What `open_site` did, once it is done."""

    files: int = 0  # files this build wrote
    deleted: int = 0  # files it removed from the output (an incremental build)
    incremental: bool = False
    site_files: int = 0  # files the site holds now, and their bytes: what the hosts count
    site_bytes: int = 0


@contextlib.contextmanager
def open_site(target: Target, last: LastBuild, timings: Timings | None = None) -> Iterator[SiteWriter]:
    """A writer over a fresh staging folder. When the block ends without error the staged files
    go into the output and the record given to `SiteWriter.finish` is saved; on an error the
    output is left as it was."""
    store, out = target.store, target.output
    stage = (timings or NoTimings()).stage
    incremental = last.state is not None
    staging = SiteUpdate(out, store) if incremental else AtomicSite(out, store.trash)
    with staging as site:
        writer = SiteWriter(site.root, out, last)
        writer.put(MARKER, MARKER_TEXT)
        yield writer
        state, done = writer.record, writer.done
        assert state is not None, "a build finishes its writer before leaving it"
        state.files = writer.entries
        done.files = len(writer.written)
        done.site_files = len(writer.entries)
        done.site_bytes = sum(entry[SIZE] for entry in writer.entries.values())
        if isinstance(site, SiteUpdate):
            deleted = sorted(set(last.on_disk) - writer.entries.keys())
            done.deleted = len(deleted)
            kept, swapped = sorted(writer.entries.keys() - set(writer.written)), False
            if len(kept) < len(writer.written):  # most of the site changed: one swap is cheaper
                with stage(f"swap in the whole site ({len(kept)} files kept, linked)"):
                    swapped = site.swap_whole(kept)
            if not swapped:
                fresh = set(writer.written) - writer.old.keys()
                with stage(f"apply ({len(writer.written)} files, {len(deleted)} deleted)"):
                    site.apply(sorted(fresh), sorted(set(writer.written) - fresh), deleted)
            with stage("save the build's record"):
                store.save(state)
            with stage("set aside what the update replaced"):
                site.discard()
        else:
            store.forget()  # the swap keeps every file's inode and mtime: the recorded stats stay true
    if not incremental:
        with stage("save the build's record"):
            store.save(state)
    store.end_update()  # a whole new site makes an interrupted update's journal moot
