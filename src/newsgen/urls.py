"""The one place that decides every URL (and so every output file name) in the site.

Paths here are *site paths*: posix paths relative to the site root, naming a file
(`a/<id>.html`, `districts/index.html`), never a folder and never starting with `/`.
They are also the file names written to disk, so they must be safe on every OS.
Templates turn a site path into a link with the `url` filter, which prefixes the
page's `root` (`../` per folder level) and percent-encodes what must be: the same build then
works on file://, on http://127.0.0.1/ and under a GitHub Pages project sub-path.

Permalinks are pure functions of the thing they name (an article's id, a district's
name, a source file's path): adding, removing or editing other page files never
moves an existing page.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import quote

HOME = "index.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
STYLESHEET = "assets/site.css"
FAVICON = "assets/favicon.svg"
DISTRICTS = "districts/index.html"
REPORTERS = "reporters/index.html"
COLUMNS = "columns/index.html"
DATES = "dates/index.html"
UNDATED = "dates/unknown.html"
SOURCES = "sources/index.html"  # before printed pages had their own URLs: see `legacy_source_url`
ISSUES = "issues/index.html"  # 往期: every paper's years of issues
PRINTED_PAGES = "pages/index.html"  # the printed pages no issue date places

# A slug longer than this is cut and made unique with a digest. 60 CJK characters are
# 180 UTF-8 bytes: under every file system's 255-byte name limit, with room for ".html".
MAX_SLUG = 60
_DIGEST = 8
# Names Windows refuses whatever the extension (CON.html is still the console).
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_DASHES = re.compile(r"-{2,}")


class HasId(Protocol):
    id: str


def digest(text: str, length: int = _DIGEST) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def _clean(text: str) -> str:
    """Letters and digits of any script, lower-cased, everything else folded into '-'."""
    if text.isascii() and text.isalnum() and text == text.lower():
        return text  # already clean: every article id, for one (the loop costs 10 µs a name)
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch)[0] in "LN" or ch in "-_":
            out.append(ch.lower())
        else:
            out.append("-")
    return _DASHES.sub("-", "".join(out)).strip("-_")


@functools.lru_cache(maxsize=1 << 16)  # names repeat on every page that links to them
def slug(name: str) -> str:
    """A file-name-safe, stable, collision-free slug for a name.

    A name that is already clean (letters, digits, '-', '_'; lower case; short) is its own
    slug, so `中原区` stays readable. Any other name gets a digest of the *original* text
    appended: two names that clean to the same text (`a/b`, `a.b`, `A-B`) still get different
    files, also on case-insensitive file systems.
    """
    clean = _clean(name)
    if clean == name and clean and len(clean) <= MAX_SLUG and clean not in _RESERVED:
        return clean
    head = clean[: MAX_SLUG - _DIGEST - 1].strip("-_")
    return f"{head}-{digest(name)}" if head else digest(name)


# --- pages ------------------------------------------------------------------------------


def article_url(article: HasId) -> str:
    """The article page's site path. Depends on the (stable) id alone."""
    return f"a/{slug(article.id)}.html"


def article_anchor(article: HasId) -> str:
    """The id of an article's entry on its source (edition) page."""
    return f"a-{slug(article.id)}"


def home_url(page: int = 1) -> str:
    return HOME if page == 1 else f"page/{page}.html"


def paged(first: str, page: int) -> str:
    """Page `page` of a list whose first page is `first`: `districts/中原区.html` goes on in
    `districts/中原区/2.html`. A folder named after the page's own stem cannot meet another
    page's file (those end in `.html`), so no name in the site can collide with it."""
    if page == 1:
        return first
    return f"{_stem(first)}/{page}.html"


def list_page(first: str, newest_id: str) -> str:
    """A later page of an article list whose first page is `first`, named after the newest
    article on it (`newsgen.render.paging.stable_chunks`): `districts/中原区.html` goes on in
    `districts/中原区/p-<id>.html`. The name stays while that article is on the page, however
    many articles the list gains; like `paged`, it cannot meet another page's file."""
    return f"{_stem(first)}/p-{slug(newest_id)}.html"


def _stem(first: str) -> str:
    """The folder a list's later pages go in: its first page's path without `.html`."""
    return first[: -len(".html")] if first.endswith(".html") else first


def district_url(name: str) -> str:
    return f"districts/{slug(name)}.html"


def reporter_url(name: str) -> str:
    return f"reporters/{slug(name)}.html"


def column_url(name: str) -> str:
    return f"columns/{slug(name)}.html"


def year_url(year: int) -> str:
    return f"dates/{year:04d}.html"


def month_url(year: int, month: int) -> str:
    return f"dates/{year:04d}-{month:02d}.html"


@functools.lru_cache(maxsize=65536)  # asked once per article, for a few thousand page files
def source_url(source: str) -> str:
    """The page (版) of one page file: a digest of its path, never its name (readers see the
    paper, date and 版 instead). The facts a page file gains later (a date, a 版次) do not
    move it, so its URL needs no redirect; the digest is the one `legacy_source_url` ends in,
    which lets the 404 page send an old link on."""
    return f"pages/{digest(source)}.html"


def legacy_source_url(source: str) -> str:
    """Where a page file's page was before it had its own URL: a readable stem of the file
    name, then the digest `source_url` keeps."""
    stem = _clean(PurePosixPath(source).stem)[:40].strip("-_") or "page"
    return f"sources/{stem}-{digest(source)}.html"


def source_anchor_url(article_source: str, article: HasId) -> str:
    return f"{source_url(article_source)}#{article_anchor(article)}"


def paper_key(paper: str | None) -> str:
    """The folder of one paper's issues; a page that names no paper is in `unnamed/`, which
    no slug of a real name can be (slugs of names that are not already clean end in a digest)."""
    return slug(paper) if paper else "unnamed"


def paper_anchor(paper: str | None) -> str:
    return f"paper-{paper_key(paper)}"


def paper_url(paper: str | None) -> str:
    """A paper's years, where 往期 lists them."""
    return f"{ISSUES}#{paper_anchor(paper)}"


def paper_year_url(paper: str | None, year: int) -> str:
    """A paper's year of issues: a calendar of its months."""
    return f"issues/{paper_key(paper)}/{year:04d}.html"


def issue_url(paper: str | None, year: int, month: int, day: int) -> str:
    """One issue: one date of one paper, with its pages in order."""
    return f"issues/{paper_key(paper)}/{year:04d}-{month:02d}-{day:02d}.html"


# --- links ------------------------------------------------------------------------------


def _encode(part: str, safe: str) -> str:
    # Non-ASCII letters and digits stay as they are (an IRI, valid in HTML and resolved the
    # same by browsers on file:// and http): `districts/中原区.html` is 9 bytes shorter per
    # name than its percent-encoded form, on every link of every page.
    if part.isascii():
        return quote(part, safe=safe)
    return "".join(ch if not ch.isascii() and ch.isalnum() else quote(ch, safe=safe) for ch in part)


@functools.lru_cache(maxsize=65536)  # pages link to the same few hundred paths over and over
def href(path: str) -> str:
    """Percent-encode a site path (and its #fragment) for an href attribute: ASCII outside
    the unreserved set and any non-ASCII character that is not a letter or digit."""
    return _with_fragment(path, _encode)


def root_prefix(page_path: str) -> str:
    """From a page at `page_path`, the relative prefix that reaches the site root."""
    return "../" * page_path.count("/")


def rel(from_path: str, to_path: str) -> str:
    """The relative href from the page at `from_path` to `to_path` (both site paths)."""
    target, sep, fragment = to_path.partition("#")
    base = posixpath.dirname(from_path) or "."
    relative = posixpath.relpath(target, base)
    return href(relative + (sep + fragment if sep else ""))


def link(from_path: str, to_path: str) -> str:
    """What templates emit: the link from the page at `from_path` up to the folder it shares
    with `to_path`, then down to it (what `rel` gives, without a relpath per link): an
    article's links to its neighbours are `x.html`, not `../a/x.html`. Relative links resolve
    the same on file://, under a sub-path and on the 404 page (at the root)."""
    return _folder_link(from_path.rpartition("/")[0], to_path)


@functools.lru_cache(maxsize=65536)
def _folder_link(folder: str, path: str) -> str:
    ups, shared = 0, folder
    while shared and not path.startswith(shared + "/"):
        shared = shared.rpartition("/")[0]
        ups += 1
    return "../" * ups + href(path[len(shared) + 1 :] if shared else path)


@functools.lru_cache(maxsize=65536)
def uri(path: str) -> str:
    """A site path fully percent-encoded (a URI, not an IRI), for the sitemap and feed:
    the sitemap protocol requires it, and feed readers and crawlers are not all browsers."""
    return _with_fragment(path, quote)


def _with_fragment(path: str, encode: Callable[[str, str], str]) -> str:
    """`encode(part, safe)` applied to a path and to its #fragment, which keeps no "/"."""
    target, sep, fragment = path.partition("#")
    return encode(target, "/-_.~") + (sep + encode(fragment, "-_.~") if sep else "")
