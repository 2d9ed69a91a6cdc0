"""The search stage as the build runs it: beside the rendering, in a child process.

The stage needs only the articles, so it is forked as soon as they are loaded and runs while
the parent plans and renders the pages. It hands its files to the site writer it inherited
(`SearchSink`), which writes them into the site being built; the child sends back only what
the writer recorded and the stage's report.

When nothing the index is made from changed since the last build (`search_signature`) and
the last build's files are on disk as it wrote them, they are kept and nothing runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from newsgen import urls
from newsgen.digests import ArticleDigests
from newsgen.fingerprint import code_fingerprint
from newsgen.index.builder import PreviousOutput, SearchIndex
from newsgen.index.files import SEARCH_DIR
from newsgen.model import Article
from newsgen.runtime import Background

Report = Mapping[str, Any]


class SearchSink(PreviousOutput, Protocol):
    """What the search stage needs of the site writer: the last build's files (`has`, `read`,
    as `SearchIndex` reads them to extend its index) and a place for this build's."""

    def put(self, path: str, data: bytes) -> None: ...
    def keep(self, path: str) -> None: ...  # keep the last build's file as it is
    def keep_folder(self, prefix: str) -> bool: ...  # keep all of them under `prefix`, if all are as written
    def branch(self) -> SearchSink: ...  # a writer of the same site, for this stage's process
    def taken(self) -> Any: ...  # what this writer recorded, to send to the parent's
    def merge(self, taken: Any) -> None: ...


def search_signature(articles: Sequence[Article], digests: ArticleDigests, lunr: str) -> str:
    """Everything the search stage reads: every field of every article (its URL follows from
    them), the code and lunr.js. Equal signatures give equal search files."""
    # zlib writes the packs (files.pack_file): another zlib may give other bytes.
    digest = hashlib.blake2b(f"{code_fingerprint()}\0{lunr}\0{zlib.ZLIB_RUNTIME_VERSION}".encode(), digest_size=16)
    for text in sorted(map(digests.of, articles)):
        digest.update(text.encode())
    return digest.hexdigest()


def _write_index(
    articles: Sequence[Article], sink: SearchSink, jobs: int, cache_dir: Path | None, extend: bool
) -> tuple[Any, Report]:
    """Build the index and hand its files to `sink`. `extend`: the last build's index may be
    extended (see `SearchIndex`)."""
    page_urls = {a.id: urls.article_url(a) for a in articles}
    index = SearchIndex(articles, page_urls, jobs=jobs, cache_dir=cache_dir, previous=sink if extend else None)
    for path, data in index.files():
        sink.put(path, data)
    for path in index.kept:  # on disk as the last build wrote them (the stage checked)
        sink.keep(path)
    return sink.taken(), dict(index.stats)


class SearchJob:
    """The stage once started: `report()` waits for it and merges what it wrote."""

    def __init__(self, sink: SearchSink, job: Background[tuple[Any, Report]] | None, report: Report | None):
        self.sink = sink
        self.job = job
        self._report = report

    def report(self) -> Report | None:
        if self.job is not None:
            taken, self._report = self.job.result()
            self.job = None
            self.sink.merge(taken)
        return self._report


@contextlib.contextmanager
def search_beside(
    articles: Sequence[Article],
    sink: SearchSink,
    *,
    signature: str,
    last_signature: str | None,
    last_report: Report | None,
    jobs: int,
    cache_dir: Path | None,
    extend: bool,
) -> Iterator[SearchJob]:
    """Run the stage in a child process for the length of the block (stopped if the block
    fails), or keep the last build's index when its signature is this one's."""
    if signature == last_signature and sink.keep_folder(f"{SEARCH_DIR}/"):
        yield SearchJob(sink, None, last_report)
        return
    job = Background(lambda: _write_index(articles, sink.branch(), jobs, cache_dir, extend), "the search stage").start()
    try:
        yield SearchJob(sink, job, None)
    finally:
        job.cancel()
