"""Check a built site's internal links: every one relative, every one reaching a file.

Used by the tests (and usable by `newsgen check` later). An internal link that starts
with `/` or with the site's own absolute URL would break on file:// or under a GitHub
Pages project sub-path, so it counts as a problem even when the target exists.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "area": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "form": "action",
}
EXTERNAL_SCHEMES = {"http", "https", "mailto"}
# Resources (not navigation) may be inlined: an icon as a data: URL makes no request.
INLINE_OK = {"link", "img", "source", "script"}


@dataclass(frozen=True, order=True)
class LinkProblem:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, URL)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute) is not None:
            self.links.append((tag, values[attribute] or ""))


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


def check_site(root: Path, *, site_url: str | None = None, allow_missing: frozenset[str] = frozenset()) -> list[LinkProblem]:
    """Every problem with the internal links of the HTML pages under `root`, sorted.

    `allow_missing` names site paths that may be linked before they exist (the search page
    while the search stage is not installed).
    """
    pages = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.html"))}
    parsed = {name: _parse(path) for name, path in pages.items()}
    problems: list[LinkProblem] = []
    for page, collector in parsed.items():
        for tag, link in collector.links:
            if tag in INLINE_OK and link.strip().lower().startswith("data:"):
                continue
            reason = _check(page, link, root, parsed, site_url, allow_missing)
            if reason:
                problems.append(LinkProblem(page, link, reason))
    return sorted(problems)


def _check(
    page: str,
    link: str,
    root: Path,
    parsed: dict[str, _Collector],
    site_url: str | None,
    allow_missing: frozenset[str],
) -> str | None:
    link = link.strip()
    if site_url and link.startswith(site_url):
        return "absolute link to the site itself"
    if link.startswith(("/", "\\")):
        return "absolute path"
    parts = urlsplit(link)
    if parts.scheme:
        return None if parts.scheme.lower() in EXTERNAL_SCHEMES else f"{parts.scheme}: link"
    if not parts.path:
        if parts.fragment and unquote(parts.fragment) not in parsed[page].ids:
            return "no such anchor on this page"
        return None
    if parts.path.endswith("/"):
        return "points at a folder, not a file"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if target == ".." or target.startswith("../"):
        return "leaves the site"
    if target in allow_missing:
        return None
    file = root / target
    if file.is_dir():
        return "points at a folder, not a file"
    if not file.is_file():
        return "no such file"
    if parts.fragment and target in parsed and unquote(parts.fragment) not in parsed[target].ids:
        return "no such anchor"
    return None
