"""One page file read: its bytes decoded, its front matter split off, its facts merged."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.load.discover import source_name
from newsgen.load.decode import MIXED, Decoded, decode_page
from newsgen.load.frontmatter import split_front_matter
from newsgen.load.pathfacts import path_facts
from newsgen.model import Diagnostic, PageFacts



@dataclass(frozen=True)
class RawPage:
    """A page file's text, before any article is found in it."""

    source: str  # posix path relative to the working folder (absolute if outside it)
    lines: tuple[str, ...]  # the page text, one entry per source line, front matter excluded
    first_line: int  # 1-based source line number of lines[0]
    encoding: str
    facts: PageFacts  # from the config and the front matter, which wins
    digest: str
    diagnostics: tuple[Diagnostic, ...] = ()
    path_facts: PageFacts = PageFacts()  # what the file's path says (weaker than its text)
    fact_lines: tuple[tuple[str, int], ...] = ()  # (fact, line) of each front-matter fact
    columns: tuple[str, ...] = ()  # the paper's columns by name (the config's `columns`)


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
    if decoded.encoding == MIXED:
        diagnostics.append(_mixed_encodings(decoded, source))
    elif decoded.fallback:
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
        path_facts=path_facts(source, config.pages),
        fact_lines=front.lines,
        columns=config.columns,
    )


def _mixed_encodings(decoded: Decoded, source: str) -> Diagnostic:
    """Which lines of a file were read in which encoding, for the archivist to look over."""
    message = (
        f"mixed encodings: {_line_ranges(decoded.utf8_lines)} read as UTF-8,"
        f" {_line_ranges(decoded.legacy_lines)} as GB18030"
    )
    return Diagnostic(source, decoded.legacy_lines[0], "warning", "encoding-mixed", message)


def _line_ranges(numbers: tuple[int, ...], most: int = 8) -> str:
    """"lines 1-4, 9, 12-20": runs of line numbers, at most `most` of them spelt out."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    shown = [f"{first}-{last}" if last > first else str(first) for first, last in runs[:most]]
    more = f" and {len(runs) - most} more runs" if len(runs) > most else ""
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(shown) + more
