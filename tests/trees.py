"""A built site (or any folder) as data the tests compare: site path → digest of its bytes;
and the check every incremental test ends with, that a build equals a clean one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from newsgen.config import Config, load_config
from newsgen.pipeline import build


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


def assert_same_as_clean(work: Path, tmp_path: Path, config: Config | None = None, **options: Any) -> None:
    """`work/site`, built incrementally, is byte for byte what a clean build of `work` gives
    (into `tmp_path/clean`, with a cache of its own). `config`: the working folder's by default."""
    config = config or load_config()
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(config, output=clean, cwd=work, jobs=1, clean=True, cache_dir=tmp_path / "clean-cache", **options)
    got, want = digest_tree(work / "site"), digest_tree(clean)
    assert sorted(p for p in got.keys() | want.keys() if got.get(p) != want.get(p)) == []
