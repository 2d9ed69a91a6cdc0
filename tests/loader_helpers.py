"""Helpers the loader tests share: run load + extract on text or bytes."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

from newsgen.config import Config
from newsgen.extract import extract_page
from newsgen.load import read_page
from newsgen.model import Page


def page_from_bytes(tmp_path: Path, data: bytes, name: str = "page.txt", config: Config | None = None) -> Page:
    path = tmp_path / name
    path.write_bytes(data)
    return extract_page(read_page(path, config or Config()))


def page_from_text(tmp_path: Path, text: str, name: str = "page.txt") -> Page:
    return page_from_bytes(tmp_path, text.encode("utf-8"), name)


def counted(text: str) -> Counter[str]:
    """The characters the nothing-lost invariant counts: letters (Han included) and digits."""
    return Counter(c for c in text if unicodedata.category(c)[0] in "LN")


def exported_characters(page: Page) -> Counter[str]:
    """Every character a page's reading keeps: its articles' fields (a column heading counted
    once) and its furniture lines."""
    total: Counter[str] = Counter()
    for article in page.articles:
        for text in article.text_fields():
            total += counted(text)
    for item in page.furniture:
        total += counted(item.text)
    return total
