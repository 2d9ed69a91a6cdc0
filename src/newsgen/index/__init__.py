"""Stage 5, index: articles → the sharded client-side search index (jieba tokens, lunr).

``SearchIndex(articles, urls, jobs=…, cache_dir=…)`` builds it (``files()`` gives the files,
``stats`` the figures); ``write_search_index(articles, urls, dest)`` writes everything search needs under
``dest/search/`` (see ``newsgen.index.write`` for the files, ``newsgen.index.build`` for the
layout and ``newsgen/assets/search.js`` for the browser side) and returns size statistics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from newsgen.index.build import BuiltIndex, build_index, code_digest
from newsgen.index.search import SearchIndex
from newsgen.index.files import SEARCH_DIR, find_lunr, write_files, write_tree
from newsgen.model import Article

__all__ = ["SEARCH_DIR", "BuiltIndex", "SearchIndex", "build_index", "code_digest", "find_lunr", "write_search_index"]


def write_search_index(
    articles: Sequence[Article],
    urls: Mapping[str, str],
    dest: Path,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> dict:
    """Build the index of ``articles`` and write it under ``dest`` (the site root being written).

    ``urls`` maps article id → page URL relative to the site root. Returns statistics:
    article, term, posting and shard counts and the bytes of each kind of file. (The build
    uses ``SearchIndex`` directly; see it for ``jobs`` and ``cache_dir``.)
    """
    find_lunr()  # fail before the long part if lunr.js is missing
    index = SearchIndex(articles, urls, jobs=jobs, cache_dir=cache_dir)
    write_tree(index.files(), Path(dest))
    return index.stats
