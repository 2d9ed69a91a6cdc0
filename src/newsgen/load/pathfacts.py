"""What a page file's path says of it: the issue's date, the 版次, sometimes the paper and 版名.

Archives name their page files after the issue and the page more often than not. The rules
below are tried after the config's own `pages:` patterns, first match winning; each must
match whole path parts at the end of the path, with a real date, so that a generic name
(`002_d5040c997ebba622.txt`, the seeds' and the generator's) gives no facts at all: a bare
number in a file name is not a page number.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgen.config import PathPattern
from newsgen.model import PageFacts

# (example, pattern): tests/test_page_facts.py reads every example back with its pattern.
RULES: tuple[tuple[str, str], ...] = (
    ("2024-07-05/06.txt", "{date:%Y-%m-%d}/{page}.*"),
    ("2024-07-05/06-区街新闻.txt", "{date:%Y-%m-%d}/{page}-{page_name}.*"),
    ("20240705/A06.txt", "{date:%Y%m%d}/{page}.*"),
    ("20240705/A06-区街新闻.txt", "{date:%Y%m%d}/{page}-{page_name}.*"),
    ("2024/07/05/06.txt", "{date:%Y/%m/%d}/{page}.*"),
    ("2024/07/05/06-区街新闻.txt", "{date:%Y/%m/%d}/{page}-{page_name}.*"),
    ("20240705_06.txt", "{date:%Y%m%d}_{page}.*"),
    ("zzrb20240705006.txt", "{paper:letters}{date:%Y%m%d}{page:3}.*"),
)
BUILT_IN = tuple(PathPattern.compile(pattern) for _, pattern in RULES)


def path_facts(source: str, patterns: Sequence[PathPattern] = ()) -> PageFacts:
    """The facts of the first pattern (the config's, then the built-in rules) the path matches."""
    for pattern in (*patterns, *BUILT_IN):
        facts = pattern.facts(source)
        if facts is not None:
            return facts
    return PageFacts()
