"""Article bodies to HTML through markdown-it-py, with raw HTML off and links made safe.

Each block is rendered *inline* inside the element its type asks for (paragraph, subhead,
brief): newspaper text that happens to start with "1." or "#" stays a paragraph instead
of turning into a list or a heading that would break the page's heading order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from newsgen.model import Block

# Links may leave the site, but only to the web or a mail client: no javascript:, data:,
# file:, and no relative links (they would point at files the site does not have).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_link(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return False
    return parts.scheme.lower() == "mailto" or bool(parts.netloc)


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # an image would be fetched from the network by every reader
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


_MD = make_markdown()


# Characters that can start inline markdown (escapes, code, emphasis, links, autolinks,
# entities) or a line break. Newspaper text rarely has any: without them markdown-it would
# only escape the text, which is done here directly, at a tenth of the cost.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&!\n\r\0]")


def inline(text: str) -> Markup:
    """One block's text as inline HTML (escaped; markdown emphasis and safe links kept)."""
    if _MARKDOWN_SPECIAL.search(text) is None:
        return Markup(text.replace('"', "&quot;").strip())  # markdown-it's escapeHtml
    return Markup(_MD.renderInline(text).strip())


# What marks a paragraph whose beginning the page lost: the ellipsis is what a reader of
# Chinese expects for omitted text; the label says what is omitted, for a screen reader too.
GAP_LABEL = "原版面上此段开头缺失"
GAP = f'<span class="gap" role="img" aria-label="{GAP_LABEL}" title="{GAP_LABEL}">…</span>'
# The bullets 简讯 items are printed with: shown as printed, in place of the list's own marker
# (the stylesheet drops that), and hidden from screen readers, which announce the list item.
_BULLET = re.compile(r"^\s*([●○■□◆◇▲△★☆·•▪])\s*")


def _brief(text: str) -> str:
    bullet = _BULLET.match(text)
    if bullet is None:
        return f"<li>{inline(text)}</li>"
    mark = f'<span class="bullet" aria-hidden="true">{bullet.group(1)}</span>'
    return f'<li class="pb">{mark}{inline(text[bullet.end() :])}</li>'


def render_blocks(blocks: Iterable[Block], dateline: str | None = None) -> Markup:
    """The article body: paragraphs, subheads (h2, under the page's h1) and briefs (a list).
    `dateline` (本报讯) opens the first paragraph, the lead, as it is printed."""
    out: list[str] = []
    in_briefs = False
    for block in blocks:
        if block.type == "brief" and not in_briefs:
            out.append('<ul class="briefs">')
            in_briefs = True
        elif block.type != "brief" and in_briefs:
            out.append("</ul>")
            in_briefs = False
        if block.type == "subhead":
            out.append(f'<h2 class="subhead">{inline(block.text)}</h2>')
        elif block.type == "brief":
            out.append(_brief(block.text))
        else:
            lead = f'<span class="dateline">{escape(dateline)}</span>' if dateline else ""
            dateline = None
            if block.lost_head:
                out.append(f'<p class="cut">{lead}{GAP}{inline(block.text)}</p>')
            else:
                out.append(f"<p>{lead}{inline(block.text)}</p>")
    if in_briefs:
        out.append("</ul>")
    return Markup("\n".join(out))
