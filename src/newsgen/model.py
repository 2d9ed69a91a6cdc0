"""The content model every stage after `extract` reads.

Small frozen dataclasses: a stage may build new objects but never mutates
what an earlier stage produced, so stages can run (and be tested) alone.
"""

from __future__ import annotations

import copyreg
from dataclasses import dataclass, field
from typing import Any, Literal

from newsgen.errors import located

BlockType = Literal["paragraph", "subhead", "brief"]
# A note: something an archivist may want to know that changed nothing (two sources of a
# page fact disagreed, and the stronger one was kept).
Severity = Literal["note", "warning", "error"]


@dataclass(frozen=True)
class Date:
    """A date exactly as precise as the source makes it; never invented."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_inferred: bool = False
    # The article's text gives no date: it is its page's issue date (a daily prints the day's
    # news), told apart so that a reader or a check can say so.
    from_issue: bool = False

    @property
    def full(self) -> bool:
        return self.year is not None and self.month is not None and self.day is not None

    def iso(self) -> str | None:
        """"YYYY-MM-DD" for a full date, else None."""
        if not self.full:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def known(self) -> bool:
        return self.year is not None or self.month is not None or self.day is not None

    def sort_key(self) -> tuple[int, int, int]:
        # Unknown parts sort first so that dated articles are "newer".
        return (self.year or 0, self.month or 0, self.day or 0)

    def to_record(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "year_inferred": self.year_inferred,
            "from_issue": self.from_issue,
        }


@dataclass(frozen=True)
class Block:
    type: BlockType
    text: str
    # The page lost this paragraph's beginning: it starts mid-sentence (or mid-quote).
    lost_head: bool = False


# A block's kind and whether it lost its head, as one character of a packed body.
_BLOCK_CODES = {(kind, lost): (kind[0].upper() if lost else kind[0]) for kind in ("paragraph", "subhead", "brief")
                for lost in (False, True)}  # fmt: skip
_CODE_BLOCKS = {code: key for key, code in _BLOCK_CODES.items()}


# A packed body: (one code character a block, its blocks' texts). The texts are one UTF-8
# string of bytes, split at NUL, which no text of a block holds in practice: unpickling then
# makes one bytes object an article instead of decoding every paragraph (most of the time a
# page cache took to load, its bodies' text); a text with a NUL keeps the tuple of strings.
Body = tuple[str, bytes | tuple[str, ...]]
_SPLIT = "\0"


def pack_blocks(blocks: tuple[Block, ...]) -> Body:
    """An article's blocks as (one code character a block, the blocks' texts)."""
    codes = "".join([_BLOCK_CODES[b.type, b.lost_head] for b in blocks])
    texts = [b.text for b in blocks]
    if any(_SPLIT in text for text in texts):
        return codes, tuple(texts)
    return codes, _SPLIT.join(texts).encode("utf-8", "surrogatepass")


def body_texts(body: Body) -> tuple[str, ...]:
    codes, texts = body
    if isinstance(texts, tuple):
        return texts
    return tuple(texts.decode("utf-8", "surrogatepass").split(_SPLIT)) if codes else ()


def unpack_blocks(body: Body) -> tuple[Block, ...]:
    blocks = []
    for code, text in zip(body[0], body_texts(body)):
        kind, lost = _CODE_BLOCKS[code]
        blocks.append(Block(kind, text, lost))
    return tuple(blocks)


@dataclass(frozen=True)
class Diagnostic:
    """Something a human should look at, located in a page file."""

    source: str
    line: int | None
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{located(self.source, self.line)}: {self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class PageFacts:
    """Facts about a page file that its text may lack (config or front matter), or that its
    path gives (`newsgen.load.pathfacts`)."""

    paper: str | None = None
    district: str | None = None  # the paper's home district (我区 / 区委 refer to it)
    year: int | None = None
    date: Date | None = None  # the issue's date: always a full one
    page: str | None = None  # 版次 as printed: "06", "A03"
    page_name: str | None = None  # 版名


@dataclass(frozen=True)
class Article:
    id: str
    source: str  # posix path relative to the working folder
    lines: tuple[int, int]  # 1-based, inclusive
    order: int  # position of the article on its page, from 0
    column: str | None
    kicker: str | None
    title: str
    subtitle: str | None
    dateline: str | None
    byline: str | None
    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]
    date: Date
    district: str | None
    blocks: tuple[Block, ...]
    flags: tuple[str, ...]
    paper: str | None = None
    # A column heading covering several articles is repeated in each; exactly one carries
    # the heading's own characters (the nothing-lost invariant counts it there).
    column_owner: bool = False
    interns: tuple[str, ...] = ()  # 实习生: not reporters
    photographers: tuple[str, ...] = ()  # 摄影 X, X 摄, 图/X
    issue_date: str | None = None  # "YYYY-MM-DD": the date of the issue its page is in, if known

    # Pickled (the page cache, the load workers' results) with the body as two plain values,
    # its blocks' kinds in one string and their texts in a tuple, instead of a Block object
    # a paragraph. The blocks are made again only when something reads them: a build that
    # adds a page to a big archive renders a few hundred articles' bodies, but loads them
    # all (unpickling a 10,000-article page cache took 0.43 s with Block objects, 0.13 s so).
    def __reduce__(self) -> tuple[Any, ...]:
        state = dict(self.__dict__)
        blocks = state.pop("blocks", None)
        if blocks is not None:
            state["_body"] = pack_blocks(blocks)
        return (copyreg.__newobj__, (type(self),), state)

    def block_texts(self) -> tuple[str, ...]:
        """The blocks' texts, read without making an unpickled article's blocks (the search
        stage reads every article's text, and renders none)."""
        body = self.__dict__.get("_body")
        return body_texts(body) if body is not None else tuple([b.text for b in self.blocks])

    def block_bytes(self) -> bytes:
        """The blocks' texts in UTF-8, a NUL between two: what the search stage digests an
        article's text by, read as it was unpickled, not decoded and encoded again."""
        body = self.__dict__.get("_body")
        if body is not None and isinstance(body[1], bytes):
            return body[1]
        return _SPLIT.join(self.block_texts()).encode("utf-8", "surrogatepass")

    def __getattr__(self, name: str) -> Any:
        # Only reached when an unpickled article's blocks are first read (`__reduce__`).
        body = self.__dict__.get("_body") if name == "blocks" else None
        if body is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        blocks = unpack_blocks(body)
        self.__dict__["blocks"] = blocks  # a frozen instance: set as its __init__ would
        del self.__dict__["_body"]
        return blocks

    @property
    def display_title(self) -> str:
        """What a list shows: the 简讯 column has items but no headline of its own."""
        return self.title or self.column or self.kicker or "(无标题)"

    def text_fields(self) -> list[str]:
        """Every field that carries this article's share of the source text."""
        values = [self.column if self.column_owner else None, self.kicker, self.title, self.subtitle]
        values += [self.dateline, self.byline]
        return [v for v in values if v] + [b.text for b in self.blocks]

    def to_record(self, url: str | None = None) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "lines": list(self.lines),
            "column": self.column,
            "kicker": self.kicker,
            "title": self.title,
            "subtitle": self.subtitle,
            "dateline": self.dateline,
            "byline": self.byline,
            "reporters": list(self.reporters),
            "correspondents": list(self.correspondents),
            "interns": list(self.interns),
            "photographers": list(self.photographers),
            "date": self.date.to_record(),
            "district": self.district,
            "blocks": [{"type": b.type, "text": b.text, "lost_head": b.lost_head} for b in self.blocks],
            "flags": list(self.flags),
            "paper": self.paper,
        }
        if url is not None:
            record["url"] = url
        return record


@dataclass(frozen=True)
class Furniture:
    """A line that belongs to the printed page, not to a story: kept, never body text."""

    line: int  # 1-based line number in the page file
    kind: str  # header | editor | jump | photo-credit | caption | page-number | duplicate
    text: str


@dataclass(frozen=True)
class Page:
    """One page file after loading and extraction."""

    source: str
    encoding: str
    facts: PageFacts
    articles: tuple[Article, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    digest: str = ""  # sha256 of the file's bytes: cache keys and change detection
    furniture: tuple[Furniture, ...] = ()
    # What the page is: from its facts (front matter, config), else its header line (版头),
    # else its path (`newsgen.extract.pagefacts`).
    paper: str | None = None
    issue_date: Date | None = None
    page_number: str | None = None  # 版次 as printed: "06", "A03"
    page_name: str | None = None  # 版名: 要闻, 区街新闻…

    def to_record(self) -> dict[str, Any]:
        """The page itself, for `newsgen export --pages`: what its header says and every line
        kept as its furniture (what no article holds)."""
        return {
            "source": self.source,
            "encoding": self.encoding,
            "articles": len(self.articles),
            **self.facts_record(),
            "furniture": [{"line": f.line, "kind": f.kind, "text": f.text} for f in self.furniture],
        }

    def facts_record(self) -> dict[str, Any]:
        """What this page is (paper, issue date, 版次, 版名): export adds it to each of its
        articles' records."""
        return {
            "paper": self.paper,
            "issue_date": self.issue_date.iso() if self.issue_date else None,
            "page": self.page_number,
            "page_name": self.page_name,
        }
