"""Where a built site's bytes and files go, by kind of file: article pages, printed pages and
issues, lists, each folder of the search index, assets. Standard library only.

    python bench/site_kinds.py SITE [--articles N]

`build_bench.py` prints this table for newsgen's cold build of every size. The static hosts
count files and bytes (GitHub Pages: a 1 GB site; GitLab Pages: 200,000 files; Cloudflare
Pages: 20,000 files on the free plan), so this is the table that says what to cut first.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

# First folder of a site path → its kind. What is not listed is "other pages".
KINDS = {
    "a": "article pages",
    "pages": "printed pages (版)",
    "issues": "issues and calendar",
    "districts": "lists",
    "reporters": "lists",
    "columns": "lists",
    "dates": "lists",
    "page": "lists",
    "sources": "lists",
    "assets": "assets",
}


@dataclass(frozen=True)
class Kind:
    name: str
    files: int
    bytes: int


def kind_of(path: str) -> str:
    head, _, rest = path.partition("/")
    if head == "search":
        sub, _, more = rest.partition("/")
        return f"search {sub}/" if more else "search (code, manifest)"
    if not rest:
        return "lists" if path == "index.html" else "other pages"
    return KINDS.get(head, "other pages")


def site_kinds(site: Path) -> list[Kind]:
    """Files and bytes per kind, largest first; the output's own marker files are left out."""
    files: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, site).replace(os.sep, "/")
            if rel.startswith(".newsgen"):
                continue
            kind = kind_of(rel)
            files[kind] = files.get(kind, 0) + 1
            sizes[kind] = sizes.get(kind, 0) + os.lstat(full).st_size
    return sorted((Kind(k, files[k], sizes[k]) for k in files), key=lambda k: (-k.bytes, k.name))


def table(kinds: list[Kind], articles: int | None = None) -> str:
    total_files, total_bytes = sum(k.files for k in kinds), sum(k.bytes for k in kinds)
    per = " | files per article | bytes per article" if articles else ""
    lines = [f"| kind | files | MiB | share of bytes{per} |", "|---|---:|---:|---:|" + ("---:|---:|" if articles else "")]
    for k in [*kinds, Kind("total", total_files, total_bytes)]:
        share = f"{100 * k.bytes / total_bytes:.1f}%" if total_bytes else "—"
        extra = f" | {k.files / articles:.3f} | {k.bytes / articles:,.0f}" if articles else ""
        lines.append(f"| {k.name} | {k.files:,} | {k.bytes / 2**20:,.1f} | {share}{extra} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--articles", type=int, help="the archive's article count, for per-article figures")
    args = parser.parse_args(argv)
    print(table(site_kinds(args.site), args.articles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
