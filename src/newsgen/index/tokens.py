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

import bisect
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from newsgen.index.chars import GAP, normalize, runs
from newsgen.lexicon import dictionary_text, place_names
from newsgen.model import Article

MIN_WORD = 2


def title_text(article: Article) -> str:
    """The headline group: kicker, title, subtitle (what ranks as "in the title")."""
    return "\n".join(v for v in (article.kicker, article.title, article.subtitle) if v)


def label_text(article: Article) -> str:
    """The labels before the text: the column (where the article owns it), dateline, byline."""
    column = article.column if getattr(article, "column_owner", False) else None
    return "\n".join(v for v in (column, article.dateline, article.byline) if v)


def block_text(article: Article) -> str:
    """The article's own text, its blocks (what a snippet is cut from: never a label)."""
    return "\n".join(text for text in article.block_texts() if text)


def body_text(article: Article) -> str:
    """Every other field that carries the article's text: the labels, then the blocks."""
    return "\n".join(v for v in (label_text(article), block_text(article)) if v)


def archive_names(articles: Iterable[Article]) -> list[str]:
    """The user dictionary: the names bylines credit, districts and Zhengzhou's place names."""
    names: set[str] = set()
    for article in articles:
        names.update(article.reporters)
        names.update(article.correspondents)
        names.update(article.interns)
        names.update(article.photographers)
        if article.district:
            names.add(article.district)
    names.update(place_names())
    cleaned = {normalize(n).strip() for n in names}
    return sorted(n for n in cleaned if len(n) >= MIN_WORD and len(runs(n)) == 1 and runs(n)[0] == n)


class Segmenter:
    """jieba with the archive's names added (one instance per build: no global state)."""

    def __init__(
        self,
        names: Sequence[str] = (),
        backend: str | None = None,
        *,
        freqs: Sequence[tuple[str, int]] | None = None,
    ):
        """``freqs``: the names' frequencies as ``name_frequencies`` gave them (a cache of them
        saves loading Python jieba's dictionary when the Rust backend does the cutting)."""
        self.backend = backend or default_backend()
        if self.backend == "rjieba":
            import rjieba

            self._rs = rjieba.Jieba()
            if freqs is None:  # before any name is added: the default dictionary's cut
                freqs = dictionary_frequencies(names, lambda name: self._rs.cut(name, False))
        else:
            self._py = _python_jieba()
            freqs = name_frequencies(names, self._py)
        self.freqs = list(freqs)
        if self.backend == "rjieba":
            for name, freq in freqs:
                self._rs.add_word(name, freq, None)
            self._cut = self._rs.cut
        else:
            for name, freq in freqs:
                self._py.add_word(name, freq)
            self._cut = lambda text: list(self._py.cut(text))

    def cut(self, text: str) -> list[str]:
        return self._cut(text)


def _python_jieba():  # noqa: ANN202 - jieba.Tokenizer
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def name_frequencies(names: Sequence[str], tokenizer=None) -> list[tuple[str, int]]:  # noqa: ANN001
    """What the user dictionary gives each name: Python jieba's ``suggest_freq(name, False)``
    against its own dictionary (both backends get these same numbers)."""
    tokenizer = tokenizer or _python_jieba()
    return [(name, tokenizer.suggest_freq(name, False)) for name in names]


class _Dictionary:
    """jieba's default dictionary as ``jieba.Tokenizer`` holds it (``FREQ``, ``total``), read
    from its dict.txt: what ``suggest_freq`` reads, in 0.3 s instead of jieba's 0.9 s start."""

    def __init__(self, text: str):
        pairs = re.findall(r"^(\S+) (\d+)", text, re.MULTILINE)
        self.words = {word: int(freq) for word, freq in pairs}  # a word listed twice: the last
        self.total = sum(int(freq) for _, freq in pairs)
        self._sorted: list[str] | None = None

    def freq(self, word: str, default: int) -> int:
        """``FREQ.get(word, default)``: jieba also holds every prefix of a word, at 0."""
        found = self.words.get(word)
        if found is not None:
            return found
        if self._sorted is None:
            self._sorted = sorted(self.words)
        at = bisect.bisect_left(self._sorted, word)
        return 0 if at < len(self._sorted) and self._sorted[at].startswith(word) else default


@lru_cache(maxsize=1)
def _dictionary() -> _Dictionary:
    return _Dictionary(dictionary_text())


def dictionary_frequencies(names: Sequence[str], cut: Callable[[str], list[str]]) -> list[tuple[str, int]]:
    """``name_frequencies`` with ``cut`` (a name cut by the default dictionary, without the
    HMM) in place of Python jieba's: the same numbers (tests compare them), without loading
    Python jieba."""
    dictionary = _dictionary()
    total = float(dictionary.total)
    out = []
    for name in names:
        freq = 1.0
        for seg in cut(name):
            freq *= dictionary.freq(seg, 1) / total
        out.append((name, max(int(freq * dictionary.total) + 1, dictionary.freq(name, 1))))
    return out


@lru_cache(maxsize=1)
def default_backend() -> str:
    """"rjieba" when it is installed (it cuts as jieba does, faster), else "jieba"."""
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


_BIGRAMS = re.compile(r"(?=([^\W_]{2}))")  # every overlapping pair of word characters
_RUN = re.compile(r"[^\W_]+")  # a run of word characters (tests check: same as is_word_char)
_SEPARATORS = re.compile(r"[\W_]+")


def field_terms(text: str, segmenter: Segmenter) -> Counter[str]:
    """Term frequencies of one field (see the module docstring).

    The work is done by the ``re`` module and ``Counter`` in C; the tests check it against
    the same rule written plainly (``tests/oracles/terms.py``)."""
    norm = normalize(text)
    field_runs = _RUN.findall(norm)
    if not field_runs:
        return Counter()
    terms: Counter[str] = Counter(_BIGRAMS.findall(norm))
    firsts = "".join(terms)[::2]  # the first character of every bigram
    for end, count in Counter([run[-1] for run in field_runs]).items():
        if end not in firsts:  # a character that begins no bigram here: say it occurs
            terms[end] += count
    if len(field_runs) > 1:
        separators = _SEPARATORS.findall(norm)
        if norm[0] not in field_runs[0][:1]:
            del separators[0]  # the text opens with a separator: not between two runs
        gaps = [
            a[-1] + GAP + b[0]
            for a, sep, b in zip(field_runs, separators, field_runs[1:])
            if len(sep) == 1 and not sep.isspace()
        ]
        if gaps:
            terms.update(gaps)
    # A two-character word is its bigram, already counted where it occurs.
    words = [word for word in segmenter.cut(norm) if len(word) > 2]
    if words:
        terms.update([word for word in words if _RUN.fullmatch(word)])
    return terms
