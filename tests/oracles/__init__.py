"""What the search tests check the package against, and the helpers that write its files.

``plain``: the search index built plainly (``build_index``) and written (``write_files``);
``write_search_index`` writes what ``SearchIndex`` makes. ``codec``: the posting format one
posting at a time. ``terms``: the term rules one character at a time. ``lunr_index``: the same
documents indexed by lunr.py itself (``lunr_reference``).
"""

from oracles.codec import decode_postings, decode_shard, encode_postings, pack
from oracles.lunr_index import lunr_reference
from oracles.plain import BuiltIndex, build_index, write_files, write_search_index, write_tree
from oracles.terms import field_terms_reference, field_token_list, gap_terms

__all__ = [
    "BuiltIndex",
    "build_index",
    "decode_postings",
    "decode_shard",
    "encode_postings",
    "field_terms_reference",
    "field_token_list",
    "gap_terms",
    "lunr_reference",
    "pack",
    "write_files",
    "write_search_index",
    "write_tree",
]
