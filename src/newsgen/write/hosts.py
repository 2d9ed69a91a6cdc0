"""What the free static hosts accept, and a warning for each limit a site passes.

A site over a host's limit fails at publishing time, often after a long upload, with an
error about an artifact rather than about the archive: the build says so first. Limits as
the hosts document them (checked 2026-12): GitHub Pages publishes at most 1 GB; GitLab Pages
serves at most 1 GB and 200,000 files; Cloudflare Pages takes 20,000 files on its free plan
and 100,000 on paid ones; Netlify has no file limit but warns past 100,000 files a deploy.
"""

from __future__ import annotations

from dataclasses import dataclass

GB = 1_000_000_000


@dataclass(frozen=True)
class HostLimit:
    host: str
    files: int | None = None
    bytes: int | None = None


LIMITS = (
    HostLimit("GitHub Pages", bytes=1 * GB),
    HostLimit("GitLab Pages", files=200_000, bytes=1 * GB),
    HostLimit("Cloudflare Pages (paid plans)", files=100_000),
    HostLimit("Cloudflare Pages (free plan)", files=20_000),
)
# Below these, say nothing: the free plan's 20,000 files is met by most archives past 10,000
# articles, and a warning on every build would be noise to the archivist who publishes elsewhere.
WARN_FILES = 100_000
WARN_BYTES = 1 * GB


def host_warnings(files: int, size: int) -> list[str]:
    """One line naming the limits a site of `files` files and `size` bytes breaks, or none."""
    if files <= WARN_FILES and size <= WARN_BYTES:
        return []
    broken = []
    for limit in LIMITS:
        over = []
        if limit.files is not None and files > limit.files:
            over.append(f"{limit.files:,} files")
        if limit.bytes is not None and size > limit.bytes:
            over.append(f"{limit.bytes / GB:g} GB")
        if over:
            broken.append(f"{limit.host} ({' and '.join(over)})")
    if not broken:
        return []
    return [
        f"the site is {size / GB:.2f} GB in {files:,} files, over what these hosts accept: "
        + "; ".join(broken)
        + ". Publish it elsewhere (an object store behind a CDN) or split the archive (see ARCHITECTURE.md)"
    ]
