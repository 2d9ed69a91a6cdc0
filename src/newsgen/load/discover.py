"""Finding page files: the articles folders walked, links followed only where they may be."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from newsgen.config import Config
from newsgen.errors import NewsgenError, printable

PAGE_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def source_name(path: Path, cwd: Path | None = None) -> str:
    """The name a page file goes by: its path from the working folder, else its absolute path.
    `cwd`: the working folder, resolved (callers naming many files resolve it once)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(cwd or Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def discover(locations: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> list[Path]:
    """Page files under the given files and folders (`discover_named`), sorted, each once."""
    return [path for _name, path in discover_named(locations, follow_links=follow_links)]


def discover_named(
    locations: Iterable[str | os.PathLike[str]], *, follow_links: bool = False
) -> list[tuple[str, Path]]:
    """Page files under the given files and folders, sorted by path, each once, with the name
    each goes by (`source_name`, known here without resolving each file again).
    A link inside a folder is followed only while it stays inside the given folders, unless
    `follow_links` (the config's `follow_links: true`): a link to /etc/passwd must not be published.
    An unreadable folder is an error: skipping it would publish an archive with pages missing."""
    found: dict[str, Path] = {}
    cwd = Path.cwd().resolve()
    paths = [Path(location) for location in locations]
    kinds = [_location_kind(path) for path in paths]
    if None in kinds:
        raise NewsgenError("no such file or folder", paths[kinds.index(None)].as_posix())
    walker = _Walker(tuple(path.resolve() for path, kind in zip(paths, kinds) if kind == "folder"), follow_links)
    for path, kind in zip(paths, kinds):
        if kind == "file":
            found[source_name(path, cwd)] = path
            continue
        for candidate, real in walker.walk(path.as_posix(), path.resolve().as_posix()):
            # source_name(candidate), without resolving each file again: `real` is resolved.
            found[_relative_name(real, cwd)] = Path(candidate)
    return [(name, found[name]) for name in sorted(found)]


def _relative_name(real: str, cwd: Path) -> str:
    try:
        return PurePosixPath(real).relative_to(cwd).as_posix()
    except ValueError:
        return real


def page_files(config: Config) -> list[Path]:
    """The config's page files: `discover` over its articles, links followed as it says."""
    return discover(config.articles, follow_links=config.follow_links)


def named_page_files(config: Config) -> list[tuple[str, Path]]:
    """The config's page files with their source names (`discover_named`)."""
    return discover_named(config.articles, follow_links=config.follow_links)


def _location_kind(path: Path) -> str | None:
    """"folder", "file", or None when nothing is there; a place that cannot be looked at is
    an error rather than absent, so that it is never taken for an empty archive."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise NewsgenError(f"cannot read: {exc.strerror}", path.as_posix()) from None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else None


class _Walker:
    """Walks folders for page files, refusing what must not be published from them."""

    def __init__(self, roots: tuple[Path, ...], follow_links: bool):
        self.roots = roots  # the articles folders, resolved
        self.follow_links = follow_links
        # Folders already walked, by (device, inode): a link back to an ancestor would loop,
        # and a folder reached twice holds nothing new (pages go by their resolved name).
        self.seen: set[tuple[int, int]] = set()

    def walk(self, folder: str, real: str) -> Iterator[tuple[str, str]]:
        """(path, resolved path) of each page file under `folder`, whose resolved path is `real`.
        Strings rather than Paths: an archive has a hundred thousand of them."""
        for entry in self._entries(folder):
            if entry.name.startswith("."):  # hidden: .git, editors' backups
                continue
            path = f"{folder}/{entry.name}"
            kind, target = self._kind(entry, path)
            resolved = target or f"{real}/{entry.name}"  # not a link: its folder's real path, and its name
            if kind == "folder":
                yield from self.walk(path, resolved)
            elif kind == "file" and entry.name.lower().endswith(PAGE_SUFFIXES):
                yield path, resolved

    def _entries(self, folder: str) -> list[os.DirEntry[str]]:
        """The folder's entries; none for a folder walked before."""
        try:
            identity = os.stat(folder)
            if (identity.st_dev, identity.st_ino) in self.seen:
                return []
            self.seen.add((identity.st_dev, identity.st_ino))
            with os.scandir(folder) as listing:
                return sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            raise NewsgenError(f"cannot read folder: {exc.strerror}", folder) from None

    def _kind(self, entry: os.DirEntry[str], path: str) -> tuple[str | None, str | None]:
        """"folder" or "file" once links are followed, and for a link its resolved target. The
        kind is None for what holds no pages (a dangling link, a device): those were never
        read and still are not."""
        try:
            if not entry.is_symlink():  # the common case, answered from the listing itself
                if entry.is_dir(follow_symlinks=False):
                    return "folder", None
                return ("file" if entry.is_file(follow_symlinks=False) else None), None
            target = self._target(Path(path))
            mode = target.stat().st_mode if target is not None else 0
        except OSError as exc:
            raise NewsgenError(f"cannot read: {exc.strerror}", path) from None
        kind = "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else None
        return kind, target.as_posix() if target is not None else None

    def _target(self, link: Path) -> Path | None:
        """Where a link leads, if it may be followed; None when it leads nowhere."""
        try:
            target = link.resolve(strict=True)
        except FileNotFoundError:
            return None
        except RuntimeError:  # Python 3.11's resolve() on a loop of links
            raise NewsgenError("link loop: this link leads back to itself", link.as_posix()) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise NewsgenError("link loop: this link leads back to itself", link.as_posix()) from None
            raise
        if self.follow_links or any(target.is_relative_to(root) for root in self.roots):
            return target
        raise NewsgenError(
            f"link to {printable(target.as_posix())}, outside the articles folders: not published"
            " (set follow_links: true in newsgen.yaml to publish what links lead to)",
            link.as_posix(),
        )
