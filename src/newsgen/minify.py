"""The site's own stylesheet and scripts as they are served: without comments and spaces.

The sources in ``newsgen/assets`` keep their comments for whoever reads them; a reader's
browser fetches the stylesheet with every first page and the search engine with every first
query, so the site carries them minified (rcssmin, rjsmin: the same output for the same input,
whitespace and comments only, no renaming). The render stage serves the stylesheet, the search
stage its scripts: both read their sources through here.
"""

from __future__ import annotations

from importlib import resources

import rcssmin
import rjsmin


def css(source: str) -> str:
    return rcssmin.cssmin(source) + "\n"


def js(source: str, banner: str = "") -> str:
    """The script minified, after a one-line comment (``banner``) saying where its source is."""
    body = rjsmin.jsmin(source)
    return (f"/* {banner} */\n" if banner else "") + body + "\n"


def asset(name: str) -> bytes:
    """A file of ``newsgen/assets`` as the site serves it: CSS and scripts minified, others as they are."""
    data = resources.files("newsgen").joinpath("assets", name).read_bytes()
    if name.endswith(".css"):
        return css(data.decode("utf-8")).encode("utf-8")
    if name.endswith(".js"):
        return js(data.decode("utf-8"), f"newsgen: minified; the source is newsgen/assets/{name}").encode("utf-8")
    return data
