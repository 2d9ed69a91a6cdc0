"""One digest of a built site: every file's relative path and bytes; or two sites compared.

    python bench/tree_digest.py SITE [SITE2] [--mask-search-id]

Prints ``sha256:<hex>``, the number of files and their total bytes. The digest is SHA-256
over the files in sorted order of their relative paths (``/``-separated), each as
``path NUL sha256(bytes) LF``: the same tree gives the same digest wherever it lies and
whatever order the file system lists it in. Every file counts, the marker ``.newsgen-site``
too; a symbolic link counts as its target's name, not followed; empty folders do not count.

``--mask-search-id``: in ``search/manifest.js`` the value of the JSON key ``"id"`` names the
code that built the index, so it changes with any code change by design; it is replaced by a
fixed string before hashing (the file's size on disk is still counted as it is).

With two sites: the digest of each, then ``match`` (exit 0) or ``differ`` with the files that
differ or are only in one of them, the first 20 (exit 1). Standard library only; also
imported by build_bench.py (``site_digest``, ``differences``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEARCH_MANIFEST = "search/manifest.js"
SEARCH_ID = re.compile(rb'("id"\s*:\s*)"[^"]*"')
MASK = b'\\1"<masked>"'
SHOWN = 20


@dataclass
class SiteDigest:
    digest: str  # "sha256:<hex>"
    files: int
    bytes: int
    entries: dict[str, str] = field(default_factory=dict, repr=False)  # path -> sha256 of its bytes

    def line(self) -> str:
        return f"{self.digest}  {self.files:,} files  {self.bytes:,} bytes"


def _file_hash(path: str, masked: bool) -> tuple[str, int]:
    if os.path.islink(path):
        target = os.readlink(path).encode("utf-8", "surrogateescape")
        return "symlink:" + hashlib.sha256(target).hexdigest(), 0
    if masked:
        with open(path, "rb") as f:
            data = f.read()
        return hashlib.sha256(SEARCH_ID.sub(MASK, data, count=1)).hexdigest(), len(data)
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def site_digest(site: Path | str, mask_search_id: bool = False) -> SiteDigest:
    root = os.fspath(site)
    if not os.path.isdir(root):
        raise NotADirectoryError(f"not a folder: {root}")
    entries: dict[str, str] = {}
    total = 0
    for dirpath, dirs, names in os.walk(root):
        # a symbolic link to a folder is listed in dirs and not walked into: count it as a link
        names = names + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]
        rel_dir = os.path.relpath(dirpath, root)
        for name in names:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            rel = rel.replace(os.sep, "/")
            digest, size = _file_hash(os.path.join(dirpath, name), mask_search_id and rel == SEARCH_MANIFEST)
            entries[rel] = digest
            total += size
    whole = hashlib.sha256()
    for rel in sorted(entries):
        whole.update(rel.encode("utf-8", "surrogateescape") + b"\0" + entries[rel].encode() + b"\n")
    return SiteDigest("sha256:" + whole.hexdigest(), len(entries), total, entries)


def differences(a: SiteDigest, b: SiteDigest) -> list[str]:
    """Every path whose bytes differ (``differs``) or that only one side has, sorted."""
    out = []
    for rel in sorted(a.entries.keys() | b.entries.keys()):
        if rel not in b.entries:
            out.append(f"only in first:  {rel}")
        elif rel not in a.entries:
            out.append(f"only in second: {rel}")
        elif a.entries[rel] != b.entries[rel]:
            out.append(f"differs:        {rel}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("site2", type=Path, nargs="?")
    parser.add_argument("--mask-search-id", action="store_true",
                        help=f'hash {SEARCH_MANIFEST} with its "id" value replaced by a fixed string')
    args = parser.parse_args(argv)
    try:
        first = site_digest(args.site, args.mask_search_id)
        second = site_digest(args.site2, args.mask_search_id) if args.site2 else None
    except OSError as exc:
        parser.error(str(exc))
    if second is None:
        print(first.line())
        return 0
    print(f"{first.line()}  {args.site}")
    print(f"{second.line()}  {args.site2}")
    diff = differences(first, second)
    if not diff:
        print("match")
        return 0
    print(f"differ: {len(diff)} path(s)" + (f", the first {SHOWN}:" if len(diff) > SHOWN else ":"))
    for line in diff[:SHOWN]:
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
