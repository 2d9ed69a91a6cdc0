"""Static files the site needs (its stylesheet and icon), copied from the package, never fetched."""

from __future__ import annotations

import hashlib

from newsgen import urls
from newsgen.minify import asset

# package asset → site path. Only the site's own files: the search stage copies its own.
# The icon is a file, not a data: URL inlined in every page: at 100,000 articles the inlined
# icon came to about 46 MB (380 bytes on each of 121,000 pages).
ASSETS = {"site.css": urls.STYLESHEET, "favicon.svg": urls.FAVICON}


def asset_version() -> str:
    """A digest of the assets as served, appended to their links so browsers refetch changed CSS."""
    digest = hashlib.sha256()
    for name in sorted(ASSETS):
        digest.update(asset(name))
    return digest.hexdigest()[:10]


def asset_files() -> list[tuple[str, bytes]]:
    """(site path, bytes) of every asset, in a fixed order."""
    return [(site_path, asset(name)) for name, site_path in sorted(ASSETS.items())]

