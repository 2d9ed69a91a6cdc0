"""An optional YAML block (`---` … `---`) at the top of a page file giving its facts."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from newsgen.config import FACT_KEYS, parse_facts
from newsgen.guarded_yaml import RefusedYamlError, load_yaml, yaml_error_line
from newsgen.errors import NewsgenError
from newsgen.model import PageFacts

FENCE = "---"


@dataclass(frozen=True)
class FrontMatter:
    facts: PageFacts
    body_start: int  # index into the file's lines where the page text begins
    lines: tuple[tuple[str, int], ...] = ()  # (fact, its 1-based line in the file)


def split_front_matter(lines: list[str], source: str) -> FrontMatter:
    """Facts from a leading front-matter block; the block's lines are metadata, not text."""
    if not lines or lines[0].strip() != FENCE:
        return FrontMatter(PageFacts(), 0)
    for end in range(1, len(lines)):
        if lines[end].strip() in (FENCE, "..."):
            break
    else:
        raise NewsgenError("front matter opened with '---' on line 1 is never closed", source, 1)
    try:
        document = load_yaml("\n".join(lines[1:end]))
    except RefusedYamlError as exc:
        raise NewsgenError(f"front matter refused: {exc.problem}", source, _file_line(exc)) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise NewsgenError(f"malformed front matter: {problem}", source, _file_line(exc)) from None
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        raise NewsgenError(f"front matter must be a YAML mapping ({' / '.join(FACT_KEYS)})", source, 2)
    # The block starts on the file's line 2.
    key_lines = {key: line + 1 for key, line in document.lines_under().items()}
    facts = parse_facts(data, source, 2, key_lines)
    return FrontMatter(facts, end + 1, tuple(sorted(key_lines.items())))


def _file_line(exc: yaml.YAMLError) -> int:
    inner = yaml_error_line(exc)
    return inner + 1 if inner else 1
