"""The same index built by lunr.py: the reference the compact shards are tested against.

newsgen writes lunr's serialised format itself (lunr.py's builder takes about 2.8 ms a document
and its JSON repeats every posting twice), and the browser expands the postings of a query's
terms into a small lunr index. ``test_search_lunr.py`` loads this lunr.py index in lunr.js
next to the shards and checks that every query returns the same documents with the same scores.
"""

from __future__ import annotations

from typing import Any

from newsgen.index.manifest import B, FIELDS, K1, PIPELINE, TITLE_BOOST
from newsgen.index.tokens import Segmenter, body_text, title_text
from oracles.plain import BuiltIndex
from oracles.terms import field_token_list


def _identity(token: Any, i: int | None = None, tokens: Any = None) -> Any:
    return token


def lunr_reference(built: BuiltIndex, segmenter: Segmenter) -> dict:
    """lunr.py's serialised index of ``built``'s documents: same tokens, numbering and scoring."""
    from lunr.builder import Builder
    from lunr.pipeline import Pipeline

    if PIPELINE not in Pipeline.registered_functions:
        Pipeline.register_function(_identity, PIPELINE)
    builder = Builder()
    builder.pipeline = Pipeline()  # tokens arrive finished: no trimmer, stemmer or stop words
    builder.search_pipeline = Pipeline()
    builder.search_pipeline.add(Pipeline.registered_functions[PIPELINE])
    builder.ref("id")
    for name in FIELDS:
        builder.field(name, boost=TITLE_BOOST if name == "title" else 1)
    builder.b(B)
    builder.k1(K1)
    for doc in built.docs:
        a = doc.article
        builder.add(
            {
                "id": str(doc.number),
                "title": field_token_list(title_text(a), segmenter),
                "body": field_token_list(body_text(a), segmenter),
            }
        )
    return builder.build().serialize()
