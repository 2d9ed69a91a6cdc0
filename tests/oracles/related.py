"""Related articles the slow way: what `newsgen.render.taxonomy.neighbours` promises, per
article, with nothing shared between articles. Each article's keys are its people (each
once), its column and its district; another article within `window` places of it, in reading
order, among the articles of a key they share scores that key's weight; the best have the
highest score, then are the nearest, then come first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from newsgen.model import Article
from newsgen.render.taxonomy import _WEIGHTS, people_of, reading_key


def keys(article: Article) -> list[tuple[str, str]]:
    found = [("person", name) for name in people_of(article)]
    if article.column:
        found.append(("column", article.column))
    if article.district:
        found.append(("district", article.district))
    return found


def neighbours_by_brute_force(
    items: Sequence[Article], *, related: int = 3, window: int = 6, order_key: Callable[[Article], Any] = reading_key
) -> dict[str, tuple[str | None, str | None, tuple[str, ...]]]:
    """Article id → (previous id, next id, related ids) in reading order."""
    order = sorted(items, key=order_key)
    by_key: dict[tuple[str, str], list[int]] = {}
    for position, item in enumerate(order):
        for key in keys(item):
            by_key.setdefault(key, []).append(position)
    found = {}
    for position, item in enumerate(order):
        scores: dict[int, int] = {}
        for key in keys(item):
            positions = by_key[key]
            at = positions.index(position)
            for other in positions[max(0, at - window) : at + window + 1]:
                if other != position:
                    scores[other] = scores.get(other, 0) + _WEIGHTS[key[0]]
        ranked = sorted(scores, key=lambda o: (-scores[o], abs(o - position), o))
        found[item.id] = (
            order[position - 1].id if position > 0 else None,
            order[position + 1].id if position < len(order) - 1 else None,
            tuple(order[o].id for o in ranked[:related]),
        )
    return found
