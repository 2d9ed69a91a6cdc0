"""Load + extract over a whole archive: what every later stage starts from."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.extract import extract_page
from newsgen.load import discover, read_page
from newsgen.model import Article, Diagnostic, Page


@dataclass(frozen=True)
class Archive:
    pages: tuple[Page, ...]
    failures: tuple[NewsgenError, ...] = ()  # files that could not be read at all

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for page in self.pages for a in page.articles)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for page in self.pages for d in page.diagnostics)


def iter_pages(config: Config) -> Iterator[Page | NewsgenError]:
    """Pages in stable (sorted path) order; an unreadable file yields its error instead."""
    for path in discover(config.articles):
        try:
            raw = read_page(path, config)
        except NewsgenError as exc:
            yield exc
            continue
        yield extract_page(raw)


def load_archive(config: Config, *, strict: bool = True) -> Archive:
    """Every page of the archive. With strict, the first unreadable file raises."""
    pages: list[Page] = []
    failures: list[NewsgenError] = []
    for item in iter_pages(config):
        if isinstance(item, NewsgenError):
            if strict:
                raise item
            failures.append(item)
        else:
            pages.append(item)
    return Archive(tuple(pages), tuple(failures))


def all_articles(pages: Iterable[Page]) -> list[Article]:
    return [a for page in pages for a in page.articles]
