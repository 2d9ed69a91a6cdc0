"""Digests of code: a cache keyed by one is void as soon as the code it names changes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_digest(paths: Iterable[Path], base: Path, *extra: str) -> str:
    """A digest of each file's name (relative to `base`) and bytes, and of the `extra` strings
    (versions, formats). A missing file counts as one more state, not as an error."""
    digest = hashlib.blake2b(digest_size=16)
    for part in extra:
        digest.update(part.encode("utf-8") + b"\0")
    for path in paths:
        digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
        digest.update((path.read_bytes() if path.is_file() else b"(missing)") + b"\0")
    return digest.hexdigest()
