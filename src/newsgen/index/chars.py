"""Text rules shared by the index builder and the browser (assets/search.js mirrors them).

* Normalisation is per code point: NFKC, then lower case. Full-width Latin letters and
  digits become ASCII, ``Ａ`` and ``a`` are the same letter. Done per code point (not on the
  whole string) so the browser can map a match in normalised text back to the original.
* A *word character* is a letter or a number of any script (Unicode categories L*, N*) after
  normalisation; everything else (punctuation, spaces, symbols) separates *runs*.
* Terms are cut from runs: every character bigram, a run's last character where no bigram
  begins with it, ``X·Y`` for two runs split by one punctuation mark, and the segmenter's words
  of three or more characters (see ``tokens``). A run of two or more characters
  occurs in a text exactly when all its bigrams occur there *in a row*, which is why queries
  of three or more characters are verified against the text in the browser.
* Shards are chosen by a 32-bit FNV-1a hash of UTF-16 code units (what JavaScript strings
  are made of), so Python and the browser agree on every term's shard.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=65536)
def normalize_char(ch: str) -> str:
    if ch < "\x80":
        return ch.lower()
    return unicodedata.normalize("NFKC", ch).lower()


class _NormalTable(dict):
    """code point → its normalised text, filled on first use (``str.translate`` reads it)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = normalize_char(chr(code))
        return value


_NORMAL = _NormalTable()


def normalize(text: str) -> str:
    """Per-code-point NFKC + lower case (the browser does the same, so offsets map back)."""
    if text.isascii():
        return text.lower()
    return text.translate(_NORMAL)


@lru_cache(maxsize=1)
def _bmp_table() -> np.ndarray:
    """Code point → its normalised code point, for every one below 65536; -1 where that is
    not one character (``㎡`` → ``m2``)."""
    table = np.empty(65536, np.int64)
    for code in range(65536):
        ch = chr(code)
        norm = (ch if unicodedata.is_normalized("NFKC", ch) else unicodedata.normalize("NFKC", ch)).lower()
        table[code] = ord(norm) if len(norm) == 1 else -1
    return table


def normalize_all(texts: Sequence[str]) -> list[str]:
    """``normalize`` of each text, through one lookup table for all of them (``str.translate``
    looks every character up in a dict, half a second for 10,000 articles); a text with a
    character outside the table or one that becomes several goes through ``normalize``."""
    joined = "\n".join(texts)
    if joined.isascii():
        return [t.lower() for t in texts]
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    mapped = _bmp_table()[np.minimum(points, 0xFFFF)]
    bad = (mapped < 0) | (points > 0xFFFF)
    plain = np.where(bad, 32, mapped).astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    seen = np.concatenate([[0], np.cumsum(bad)])  # bad characters before each position
    bad_text = seen[starts + [len(t) for t in texts]] > seen[starts]
    return [
        normalize(t) if odd else plain[at : at + len(t)]
        for t, at, odd in zip(texts, starts.tolist(), bad_text.tolist())
    ]


@lru_cache(maxsize=65536)
def is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def run_spans(normalized: str) -> list[tuple[int, int]]:
    """(start, end) of every maximal run of word characters in already normalised text."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, ch in enumerate(normalized):
        if is_word_char(ch):
            if start < 0:
                start = i
        elif start >= 0:
            out.append((start, i))
            start = -1
    if start >= 0:
        out.append((start, len(normalized)))
    return out


def runs(normalized: str) -> list[str]:
    """Maximal runs of word characters in already normalised text."""
    return [normalized[a:b] for a, b in run_spans(normalized)]


GAP = "\u00b7"  # in a term, stands for one character that is neither a word character nor a space


def fnv1a(text: str) -> int:
    """FNV-1a (32 bit) over the UTF-16 code units of ``text``."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def js_sort_key(term: str) -> bytes:
    """Sort strings the way JavaScript compares them (by UTF-16 code unit)."""
    return term.encode("utf-16-be")
