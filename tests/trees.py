"""A built site (or any folder) as data the tests compare: site path → digest of its bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest_tree(folder: Path, *, folders: bool = False) -> dict[str, str]:
    """Every file's SHA-256 by its path under `folder`; with `folders`, every folder too (as
    "name/": an undone update must leave no new folder behind)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif folders and path.is_dir():
            found[name + "/"] = ""
    return found
