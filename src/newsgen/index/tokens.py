"""From an article's text to the terms the index stores.

Each field (title, body) becomes a bag of terms:

* every character bigram of every run (so any run of two or more characters can be found:
  a query run matches where all its bigrams occur, and the browser verifies they are in a row);
* the last character of a run when no bigram of the field begins with it (so that, for every
  character, some term of the field begins with it exactly when the field contains it: a
  one-character query is a prefix scan);
* ``X·Y`` where two runs are split by a single punctuation mark (``里,一`` gives ``里·一``), so
  that a query with punctuation inside finds few documents to verify;
* jieba's words of three or more characters (a two-character word is one of the bigrams
  already there); they rank "the word as written" above chance runs of its characters.

jieba gets a user dictionary of the archive's own names, so that 桐柏路街道 or 唐善普 stay
whole. ``rjieba`` (jieba's Rust port) is used when installed: the tests check that it cuts the
seeds and a synthetic archive exactly as jieba does, with the same dictionary.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from newsgen.index.text import gap_terms, is_word_char, normalize, run_spans, runs
from newsgen.model import Article

MIN_WORD = 2


def title_text(article: Article) -> str:
    """The headline group: kicker, title, subtitle (what ranks as "in the title")."""
    return "\n".join(v for v in (article.kicker, article.title, article.subtitle) if v)


def body_text(article: Article) -> str:
    """Every other field that carries the article's text."""
    column = article.column if getattr(article, "column_owner", False) else None
    values = [column, article.dateline, article.byline] + [b.text for b in article.blocks]
    return "\n".join(v for v in values if v)


def archive_names(articles: Iterable[Article]) -> list[str]:
    """The user dictionary: reporters, correspondents, districts and Zhengzhou's place names."""
    names: set[str] = set()
    for article in articles:
        names.update(article.reporters)
        names.update(article.correspondents)
        if article.district:
            names.add(article.district)
    try:  # the extract stage's gazetteer: districts and every township-level unit
        from newsgen.extract.districts import CANONICAL, gazetteer

        names.update(CANONICAL)
        names.update(gazetteer().units)
    except Exception:  # noqa: BLE001 - the dictionary is an aid to ranking, never required
        logging.getLogger(__name__).debug("no gazetteer: user dictionary has names only")
    cleaned = {normalize(n).strip() for n in names}
    return sorted(n for n in cleaned if len(n) >= MIN_WORD and len(runs(n)) == 1 and runs(n)[0] == n)


class Segmenter:
    """jieba with the archive's names added (one instance per build: no global state)."""

    def __init__(self, names: Sequence[str] = (), backend: str | None = None):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._py = jieba.Tokenizer()
        self._py.initialize()
        freqs = [(name, self._py.suggest_freq(name, False)) for name in names]
        self.backend = backend or ("rjieba" if _has_rjieba() else "jieba")
        if self.backend == "rjieba":
            import rjieba

            self._rs = rjieba.Jieba()
            for name, freq in freqs:
                self._rs.add_word(name, freq, None)
            self._cut = self._rs.cut
        else:
            for name, freq in freqs:
                self._py.add_word(name, freq)
            self._cut = lambda text: list(self._py.cut(text))

    def cut(self, text: str) -> list[str]:
        return self._cut(text)


@lru_cache(maxsize=1)
def _has_rjieba() -> bool:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


def field_terms(text: str, segmenter: Segmenter) -> Counter[str]:
    """Term frequencies of one field (see the module docstring)."""
    norm = normalize(text)
    terms: Counter[str] = Counter()
    spans = run_spans(norm)
    field_runs = [norm[a:b] for a, b in spans]
    terms.update(gap_terms(norm, spans))
    starts = set()
    for run in field_runs:
        for i in range(len(run) - 1):
            terms[run[i : i + 2]] += 1
        starts.update(run[:-1])
    for run in field_runs:
        if run[-1] not in starts:  # a character that begins no bigram here: say it occurs
            terms[run[-1]] += 1
    if field_runs:
        for word in segmenter.cut(norm):
            # A two-character word is its bigram, already counted where it occurs.
            if len(word) > 2 and all(map(is_word_char, word)):
                terms[word] += 1
    return terms


def field_token_list(text: str, segmenter: Segmenter) -> list[str]:
    """The same bag as a token list (for lunr.py, which counts the frequencies itself)."""
    return [term for term, tf in sorted(field_terms(text, segmenter).items()) for _ in range(tf)]
