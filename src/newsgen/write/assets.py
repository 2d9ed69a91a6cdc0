"""Static files the site needs (its stylesheet), copied from the package, never fetched."""

from __future__ import annotations

import hashlib
from importlib import resources
from urllib.parse import quote

from markupsafe import Markup

from newsgen import urls

# package asset → site path. Only the site's own files: the search stage copies its own.
ASSETS = {"site.css": urls.STYLESHEET}


def _read(name: str) -> bytes:
    return resources.files("newsgen").joinpath("assets", name).read_bytes()


def favicon_data_url() -> str:
    """The icon inlined as a data: URL. Without an icon, browsers ask for /favicon.ico at the
    server root (a failed request, outside the site under a project sub-path); as a file, its
    late, low-priority request is aborted whenever a reader clicks on quickly."""
    svg = _read("favicon.svg").decode("utf-8").strip()
    # Markup: quote() leaves no character that HTML would need escaped but the apostrophes
    # the SVG quotes its attributes with, which are harmless inside href="…" (and escaping
    # them would cost five bytes each, on every page).
    return Markup("data:image/svg+xml," + quote(svg, safe=" =:/'.,"))


def asset_version() -> str:
    """A digest of the assets, appended to their links so browsers refetch changed CSS."""
    digest = hashlib.sha256()
    for name in sorted(ASSETS):
        digest.update(_read(name))
    return digest.hexdigest()[:10]


def asset_files() -> list[tuple[str, bytes]]:
    """(site path, bytes) of every asset, in a fixed order."""
    return [(site_path, _read(name)) for name, site_path in sorted(ASSETS.items())]

