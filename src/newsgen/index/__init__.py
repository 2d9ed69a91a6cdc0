"""Stage 4, index: articles → the sharded client-side search index (jieba tokens, lunr).

``SearchIndex(articles, page_urls, jobs=…, cache_dir=…, previous=…)`` makes the files of the
site's ``search/`` folder: ``files()`` gives them as (site path, bytes), ``kept`` the paths it
keeps from the last build (``previous``, a ``PreviousOutput``), ``stats`` the figures. It never
writes a file. ``lunr_stamp()`` names the one input it reads from outside the package, lunr.js.

Inside: ``tokens`` (article text → terms, with ``chars``' text rules), ``termblocks`` (the
terms counted, in blocks, by ``blockcut``, cached), ``postings`` (inverted and encoded by
``listcodec``, many lists at once, in ``codec``'s format), ``shards`` (which shard holds a
term), ``tail`` (the newest documents' postings, apart from the shards), ``documents`` and
``manifest`` (what the browser shows and loads first), ``files`` (every file's path and
bytes), ``builder`` (``SearchIndex``) and ``stage`` (the stage as the build runs it: beside
the rendering, in a child process, its files handed to the site writer).
``newsgen/assets/search.js`` is the browser side.
"""

from __future__ import annotations

from newsgen.index.builder import PreviousOutput, SearchIndex
from newsgen.index.files import SEARCH_DIR, find_lunr, lunr_stamp
from newsgen.index.stage import SearchJob, SearchSink, search_beside, search_signature

__all__ = [
    "SEARCH_DIR",
    "PreviousOutput",
    "SearchIndex",
    "SearchJob",
    "SearchSink",
    "find_lunr",
    "lunr_stamp",
    "search_beside",
    "search_signature",
]
