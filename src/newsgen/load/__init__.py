"""Stage 1, load: find page files and turn each into decoded text with its facts."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.load.decode import decode_page
from newsgen.load.frontmatter import split_front_matter
from newsgen.model import Diagnostic, PageFacts

PAGE_SUFFIXES = (".txt", ".md", ".markdown", ".text")


@dataclass(frozen=True)
class RawPage:
    """A page file's text, before any article is found in it."""

    source: str  # posix path relative to the working folder (absolute if outside it)
    lines: tuple[str, ...]  # the page text, one entry per source line, front matter excluded
    first_line: int  # 1-based source line number of lines[0]
    encoding: str
    facts: PageFacts
    digest: str
    diagnostics: tuple[Diagnostic, ...] = ()


def source_name(path: Path, cwd: Path | None = None) -> str:
    """The name a page file goes by: its path from the working folder, else its absolute path.
    `cwd`: the working folder, resolved (callers naming many files resolve it once)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(cwd or Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def discover(locations: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Page files under the given files and folders, sorted by path, each once."""
    found: dict[str, Path] = {}
    cwd = Path.cwd().resolve()
    for location in locations:
        path = Path(location)
        if path.is_dir():
            for candidate in path.rglob("*"):
                if (
                    candidate.is_file()
                    and candidate.suffix.lower() in PAGE_SUFFIXES
                    and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
                ):
                    found[source_name(candidate, cwd)] = candidate
        elif path.is_file():
            found[source_name(path, cwd)] = path
        else:
            raise NewsgenError("no such file or folder", Path(location).as_posix())
    return [found[name] for name in sorted(found)]


def read_page(path: Path, config: Config) -> RawPage:
    source = source_name(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NewsgenError(f"cannot read: {exc.strerror}", source) from None
    decoded = decode_page(data, source)
    lines = decoded.text.split("\n")
    front = split_front_matter(lines, source)
    facts = config.facts_for(source)
    if front.facts != PageFacts():
        # Front matter speaks for this one file, so it wins over the config's patterns.
        facts = replace(
            facts,
            **{k: v for k, v in vars(front.facts).items() if v is not None},
        )
    body = tuple(lines[front.body_start :])
    if not any(line.strip() for line in body):
        raise NewsgenError("empty page file: no text to read", source)
    diagnostics: list[Diagnostic] = []
    if decoded.fallback:
        diagnostics.append(
            Diagnostic(source, None, "warning", "encoding-fallback", f"not UTF-8: decoded as {decoded.encoding.upper()}")
        )
    return RawPage(
        source=source,
        lines=body,
        first_line=front.body_start + 1,
        encoding=decoded.encoding,
        facts=facts,
        digest=hashlib.sha256(data).hexdigest(),
        diagnostics=tuple(diagnostics),
    )
