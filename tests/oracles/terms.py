"""The term rules of ``newsgen.index.tokens`` written plainly, one character at a time: what
the tests check the fast ``field_terms`` against, and the token lists lunr.py is given."""

from __future__ import annotations

from collections import Counter

from newsgen.index.chars import GAP, is_word_char, normalize, run_spans
from newsgen.index.tokens import Segmenter, field_terms


def gap_terms(normalized: str, spans: list[tuple[int, int]]) -> list[str]:
    """``X·Y`` for every two runs split by a single punctuation mark or symbol (``里,一``)."""
    out = []
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if start == end + 1 and not normalized[end].isspace():
            out.append(normalized[end - 1] + GAP + normalized[start])
    return out


def field_terms_reference(text: str, segmenter: Segmenter) -> Counter[str]:
    """``field_terms`` written plainly, one character at a time (what the tests compare it with)."""
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
