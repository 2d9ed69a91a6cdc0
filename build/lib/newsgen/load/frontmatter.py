"""An optional YAML block (`---` … `---`) at the top of a page file giving its facts."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from newsgen.config import parse_facts, yaml_error_line
from newsgen.errors import NewsgenError
from newsgen.model import PageFacts

FENCE = "---"


@dataclass(frozen=True)
class FrontMatter:
    facts: PageFacts
    body_start: int  # index into the file's lines where the page text begins


def split_front_matter(lines: list[str], source: str) -> FrontMatter:
    """Facts from a leading front-matter block; the block's lines are metadata, not text."""
    if not lines or lines[0].strip() != FENCE:
        return FrontMatter(PageFacts(), 0)
    for end in range(1, len(lines)):
        if lines[end].strip() in (FENCE, "..."):
            break
    else:
        raise NewsgenError("front matter opened with '---' on line 1 is never closed", source, 1)
    block = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        inner = yaml_error_line(exc)
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise NewsgenError(f"malformed front matter: {problem}", source, inner + 1 if inner else 1) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NewsgenError("front matter must be a YAML mapping (paper / district / year)", source, 2)
    line_of = {str(k): i for i, text in enumerate(lines[1:end], 2) for k in data if text.lstrip().startswith(f"{k}:")}
    first_key = str(next(iter(data), ""))
    facts = parse_facts(data, source, line_of.get(first_key, 2))
    return FrontMatter(facts, end + 1)
