"""What a build reads, found and stamped before anything is read: the up-to-date check.

The stamp is every input's stat (as make trusts a file's mtime): the page files, the
template folders' files, the config as parsed, the working folder, and the code
(`newsgen.fingerprint`) plus what the other stages add (lunr.js). Equal stamps, and an
output left as the last build left it, mean the site is up to date: the build stops there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.config import Config
from newsgen.fingerprint import code_fingerprint
from newsgen.load.discover import named_page_files


@dataclass(frozen=True)
class Inputs:
    paths: tuple[Path, ...]  # the page files, sorted
    stamp: tuple[Any, ...]
    names: tuple[str, ...] = ()  # each page file's source name (`source_name`), as `paths`


def _tree_stat(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                found.append((path.as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(found)


def find_inputs(config: Config, cwd: Path, *, folders: Sequence[Path], extra: Sequence[str] = ()) -> Inputs:
    """The config's page files and the stamp of everything the build reads. `folders`: more
    folders whose files it reads (the templates); `extra`: other stages' inputs, as text."""
    named = named_page_files(config)
    paths = tuple(path for _name, path in named)
    pages = tuple((path.as_posix(), st.st_size, st.st_mtime_ns) for path in paths for st in (path.stat(),))
    stamp = (repr(config), str(cwd.resolve()), code_fingerprint(), *extra, _tree_stat(folders), pages)
    return Inputs(paths, stamp, tuple(name for name, _path in named))
