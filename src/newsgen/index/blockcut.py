"""Many fields' terms counted at once, with numpy: what ``tokens.field_terms`` counts in each
field, as the records of a ``termblocks.Block``.

``field_terms`` finds a field's bigrams with a look-ahead regex and counts them in a
``Counter``; numbering every term of every field after it took an object, a dictionary
look-up or two for each of the millions of bigrams of a big archive. Here the
normalised text of every field of a block is one array of code points, and each kind of term
made of code points is a position where a pattern of word characters holds:

* a bigram: word, word (``a << 21 | b``: code points fit in 21 bits);
* ``X·Y``: word, one character that is neither a word character nor a space, word;
* a run's last character: word, then not (kept where no bigram of the field begins with it).

Each occurrence becomes one integer (its field, its kind, its code points), and one
``np.unique`` counts them all; the distinct terms are numbered by a second one. jieba's words
(three characters or more) are still cut field by field and counted in a ``Counter``. The
tests check the counts equal ``field_terms``' (``tests/test_search_blockcut.py``).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from newsgen.index.chars import GAP
from newsgen.index.tokens import _RUN

_POINT = 21  # bits of a code point
_KIND = 2 * _POINT  # a term's kind above its two code points
BIGRAM, GAP_TERM, END = 0, 1, 2
_FIELD = _KIND + 2  # the field above the term


@lru_cache(maxsize=2)
def _classes(planes: int) -> tuple[np.ndarray, np.ndarray]:
    """For every code point below ``planes * 65536``: is it a word character (``[^\\W_]``, as
    ``tokens`` cuts runs), is it a gap character (neither a word character nor a space, as a
    gap term's separator)? Read off ``re`` itself, so the rules cannot part."""
    every = "".join(map(chr, range(planes * 65536)))
    marks = re.sub(r"[^\W_]", "\x01", every)
    marks = re.sub(r"[^\x01\s]", "\x02", marks)  # what is left that is not a space
    codes = np.frombuffer(marks.encode("utf-32-le", "surrogatepass"), np.uint32)
    return codes == 1, codes == 2


# A field's counts: the numbers and counts of its terms made of code points, then of its words.
Counted = tuple[np.ndarray, np.ndarray, list[int], list[int]]
CHUNK_CHARS = 1 << 16  # characters cut at once: bounds the temporaries (about 60 bytes each)


def count_fields(fields: Sequence[str], cut: Callable[[str], list[str]]) -> tuple[list[str], list[Counted]]:
    """The terms of each (already normalised) field: the vocabulary, and per field the
    vocabulary numbers of its terms and their frequencies (``field_terms``' counts)."""
    if not fields:
        return [], []
    founds, counts = [], []
    first = 0
    while first < len(fields):
        last, chars = first, 0
        while last < len(fields) and (last == first or chars + len(fields[last]) < CHUNK_CHARS):
            chars += len(fields[last]) + 1
            last += 1
        found, count = _occurrences(fields[first:last])
        founds.append(found + (first << _FIELD))
        counts.append(count)
        first = last
    found = np.concatenate(founds)
    terms, numbers = _numbered(found & ((1 << _FIELD) - 1))
    vocab = [_term(key) for key in terms.tolist()]
    bounds = np.searchsorted(found >> _FIELD, np.arange(len(fields) + 1))
    return _with_words(fields, cut, vocab, numbers, np.concatenate(counts), bounds.tolist())


def _occurrences(fields: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each field's distinct terms made of code points, as ``field << _FIELD | term key``
    in order, and how often each occurs."""
    joined = "\n".join(fields)  # a space between fields: no term spans two
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    planes = 1 if not len(points) or points.max() < 65536 else 17
    word_table, gap_table = _classes(planes)
    word = np.append(word_table[points], False)
    gap = gap_table[points]
    starts = np.cumsum([0] + [len(f) + 1 for f in fields[:-1]])
    points = points.astype(np.int64)

    two = np.flatnonzero(word[:-1] & word[1:])
    bigrams = points[two] << _POINT | points[two + 1]
    middle = np.flatnonzero(gap[1:-1] & word[:-3] & word[2:-1]) + 1
    gaps = GAP_TERM << _KIND | points[middle - 1] << _POINT | points[middle + 1]
    last = np.flatnonzero(word[:-1] & ~word[1:])
    ends = END << _KIND | points[last]
    field_of = lambda at: np.searchsorted(starts, at, side="right") - 1  # noqa: E731
    found, counts = _counted(np.concatenate([field_of(two) << _FIELD | bigrams, field_of(middle) << _FIELD | gaps]))
    # A run's last character counts where no bigram of its field begins with it: the
    # bigrams' (field, first character) are in order in ``found``.
    begins = (found >> _FIELD) << _POINT | (found >> _POINT) & 0x1FFFFF
    begins = begins[(found >> _KIND) & 3 == BIGRAM]
    end_found, end_counts = _counted(field_of(last) << _FIELD | ends)
    end_keys = (end_found >> _FIELD) << _POINT | end_found & 0x1FFFFF
    at = np.minimum(np.searchsorted(begins, end_keys), max(len(begins) - 1, 0))
    keep = begins[at] != end_keys if len(begins) else np.ones(len(end_keys), bool)
    into = np.searchsorted(found, end_found[keep])  # an end sorts after its field's others
    return np.insert(found, into, end_found[keep]), np.insert(counts, into, end_counts[keep])


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, in order, and how often each occurs."""
    keys = np.sort(keys)
    if not len(keys):
        return keys, np.zeros(0, np.int64)
    new = np.flatnonzero(np.diff(keys, prepend=-1))
    return keys[new], np.diff(np.append(new, len(keys)))


def _numbered(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys in order, and each key's number among them (a sort and a binary
    search: cheaper than an argsort)."""
    ordered = np.sort(keys)
    distinct = ordered[np.diff(ordered, prepend=-1) != 0]
    return distinct, np.searchsorted(distinct, keys)


def _term(key: int) -> str:
    kind, a, b = key >> _KIND, (key >> _POINT) & 0x1FFFFF, key & 0x1FFFFF
    if kind == BIGRAM:
        return chr(a) + chr(b)
    return chr(a) + GAP + chr(b) if kind == GAP_TERM else chr(b)


def _with_words(
    fields: Sequence[str],
    cut: Callable[[str], list[str]],
    vocab: list[str],
    numbers: np.ndarray,
    counts: np.ndarray,
    bounds: list[int],
) -> tuple[list[str], list[Counted]]:
    """jieba's words of three characters or more added to each field's counts (a word is
    never a bigram, a gap term or one character: no number is shared), as two more lists."""
    known: dict[str, int] = {}
    out: list[Counted] = []
    for f, text in enumerate(fields):
        ids, freqs = numbers[bounds[f] : bounds[f + 1]], counts[bounds[f] : bounds[f + 1]]
        words = Counter(_words(cut(text), text)) if len(ids) else None  # no run, no word
        if words:
            extra = [known.setdefault(w, len(vocab) + len(known)) for w in words]
            out.append((ids, freqs, extra, list(words.values())))
        else:
            out.append((ids, freqs, [], []))
    return vocab + list(known), out


_SEP = "\x00"
_LONG_RUN = re.compile(r"\x00([^\W_]{3,})(?=\x00)")  # a whole token, 3+ word characters


def _words(tokens: list[str], text: str) -> list[str]:
    """The tokens of three characters or more that are a run of word characters: one regex
    over the tokens joined by NUL (a NUL in the text: token by token)."""
    if _SEP in text:
        return [w for w in tokens if len(w) > 2 and _RUN.fullmatch(w)]
    return _LONG_RUN.findall(_SEP + _SEP.join(tokens) + _SEP)


def records(vocab_size: int, counted: Sequence[Counted]) -> list[tuple[array, array, array, array]]:
    """(title ids, title tfs, body ids, body tfs) per article from the fields' counts (title,
    body, title, body, …), each array in its smallest type (``Block``'s records)."""
    code = "H" if vocab_size <= 0xFFFF else "I"
    out = []
    for j in range(0, len(counted), 2):
        rec = []
        for ids, freqs, word_ids, word_counts in counted[j : j + 2]:
            top = max(int(freqs.max()) if len(freqs) else 0, max(word_counts, default=0))
            tf = "B" if top <= 0xFF else "H" if top <= 0xFFFF else "I"
            numbers, tfs = _array(code, ids), _array(tf, freqs)
            numbers.extend(word_ids)
            tfs.extend(word_counts)
            rec += [numbers, tfs]
        out.append(tuple(rec))
    return out


# The numpy type of each typecode a term block's arrays use (`termblocks.Block`).
DTYPES = {"B": np.uint8, "H": np.uint16, "I": np.uint32}


def _array(code: str, values: np.ndarray) -> array:
    out = array(code)
    out.frombytes(values.astype(DTYPES[code]).tobytes())
    return out
