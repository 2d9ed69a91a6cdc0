"""Stage 2e: the district an article's news happens in.

Articles often name only a street, town or office (桐柏路街道, 峡窝镇, 梧桐办事处). Those are
mapped to their district through the gazetteer (`newsgen.lexicon`). 我区 / 区委 / 全区 point
at the page's home district.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from newsgen.lexicon import alias_groups, gazetteer

# 我区, 全区, or 区 opening a clause before an office (区委, 区政府, 区人社局…), not 区域.
HOME_REFERENCE = re.compile(r"我区|本区|全区(?!域)|(?<![\u4e00-\u9fff])区(?![域块位间分别])[\u4e00-\u9fff]")
_WEIGHTS = {"title": 3, "lead": 2, "body": 1}
# Every city has a 高新区 and an 经开区: after another city's name they are that city's. The
# other districts' names are Zhengzhou's alone (towns and streets repeat everywhere).
_EVERY_CITY_HAS = frozenset({"高新区", "经开区"})
# The leading district must score this many times the next one; closer is "about equally".
CLEAR_LEAD = 1.5


@dataclass(frozen=True)
class Verdict:
    """An article's district, or why it has none."""

    district: str | None
    doubt: str | None = None  # "tie", "ambiguous" (a town in several districts) or "outside"
    candidates: tuple[str, ...] = ()


# (position, candidate districts, named): named is a district's own name, not a street or
# town in it. Plain tuples: a page makes thousands, and a dataclass takes twice as long.
Mention = tuple[int, tuple[str, ...], bool]


def mentions(text: str) -> list[Mention]:
    """Every district or township named in the text, but not one of another city's
    (洛阳高新区, 开封市东风路街道): a name right after an outside place is that place's."""
    gz = gazetteer()
    groups = alias_groups()
    found: list[Mention] = []
    for m in gz.aliases.finditer(text):
        district = groups[m.lastgroup][0] if m.lastgroup else ""
        if district and not (district in _EVERY_CITY_HAS and _after_outside_place(text, m.start())):
            found.append((m.start(), (district,), True))
    spans: list[tuple[int, int]] = []
    for end_match in gz.unit_ends.finditer(text):
        end = end_match.end()
        for length in gz.unit_lengths[end_match.group()]:
            if length <= end and text[end - length : end] in gz.units:
                spans.append((end - length, end))
                break
    # 梧桐街道办事处 also ends a 梧桐街道 inside it: keep the longest of overlapping names.
    spans.sort(key=lambda span: (span[0], span[0] - span[1]))
    covered_to = -1
    ends = gz.before_zone_ends
    for start, end in spans:
        if start >= covered_to:
            if not (start and text[start - 1] in ends and _after_outside_place(text, start)):
                found.append((start, gz.units[text[start:end]], False))
            covered_to = end
    found.sort()
    return found


def _after_outside_place(text: str, position: int) -> bool:
    gz = gazetteer()
    for length in gz.before_zone_ends.get(text[position - 1], ()) if position else ():
        if length <= position and text[position - length : position] in gz.before_zone:
            return True
    return False


def names_outside_place(text: str) -> bool:
    """Does the text name a province, city or county outside Zhengzhou?"""
    gz = gazetteer()
    if gz.near.search(text):
        return True
    for end_match in gz.outside_ends.finditer(text):
        end = end_match.end()
        for length in range(3, min(gz.outside_longest, end) + 1):
            if text[end - length : end] in gz.outside:
                return True
    return False


def infer_home(page_texts: Iterable[str]) -> str | None:
    """A page that says 我区 / 区委 without naming itself belongs to the district it names most."""
    text = "\n".join(page_texts)
    if not HOME_REFERENCE.search(text):
        return None
    counts: Counter[str] = Counter()
    for _, candidates, _ in mentions(text):
        if len(candidates) == 1:
            counts[candidates[0]] += 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best if score >= 2 and score >= 2 * runner_up else None


class _Tally(NamedTuple):
    """An article's evidence: districts it names, districts its streets and towns are in."""

    named: dict[str, int]
    inferred: dict[str, int]
    ambiguous: list[tuple[int, tuple[str, ...]]]


def _tally(parts: dict[str, str], home: str | None, home_inferred: bool) -> _Tally:
    named: dict[str, int] = {}
    inferred: dict[str, int] = {}
    ambiguous: list[tuple[int, tuple[str, ...]]] = []
    head_names: set[str] = set()
    for part, text in parts.items():
        weight = _WEIGHTS[part]
        for _, candidates, is_name in mentions(text):
            if is_name:
                named[candidates[0]] = named.get(candidates[0], 0) + weight
                if part != "body":
                    head_names.add(candidates[0])
            elif len(candidates) == 1:
                inferred[candidates[0]] = inferred.get(candidates[0], 0) + weight
            else:
                ambiguous.append((weight, candidates))
    # A home inferred from the page (the district it names most) is a guess: on a city
    # paper's page of district news, `二七区召开… 全区…` means 二七区's 全区, whatever the
    # other stories name. Where the title or lead names a district of its own, the article's
    # 我区 / 全区 / 区委 may be that one's as well as the page's, and count for neither.
    if home is not None and not (home_inferred and head_names - {home}):
        for part, text in parts.items():
            # 我区 / 区委 name the paper's home district as surely as its name would.
            references = len(HOME_REFERENCE.findall(text))
            if references:
                named[home] = named.get(home, 0) + _WEIGHTS[part] * references
    return _Tally(named, inferred, ambiguous)


def district_verdict(parts: dict[str, str], home: str | None, home_inferred: bool = False) -> Verdict:
    """A weighted vote over the title, the lead and the rest of the text.

    A district the text names (or 我区 for the home district) beats one inferred from a street
    or town; a town in several districts counts only for the one the text (or the page's home)
    says; a vote that ends about even, or a text naming only places outside Zhengzhou,
    gives no district. Never a guess. `home_inferred`: the page's home is the district the
    page names most, not a fact of the page (front matter, config, path)."""
    named, inferred, ambiguous = _tally(parts, home, home_inferred)
    if named:
        scores = dict(named)
        for district, score in inferred.items():
            if district in named:
                scores[district] += score  # streets support a district named
    elif names_outside_place(" ".join(parts.values())):
        return Verdict(None, "outside")
    else:
        scores = dict(inferred)
    unresolved: set[str] = set()
    for weight, candidates in ambiguous:
        # 三官庙街道 is in both 中原区 and 航空港区: the article or the page must say which.
        chosen = [c for c in candidates if c in scores or c == home]
        if len(chosen) == 1:
            scores[chosen[0]] = scores.get(chosen[0], 0) + weight
        else:
            unresolved.update(candidates)
    if not scores:
        return Verdict(None, "ambiguous", tuple(sorted(unresolved))) if unresolved else Verdict(None)
    return _winner(scores)


def _winner(scores: dict[str, int]) -> Verdict:
    if len(scores) == 1:
        return Verdict(next(iter(scores)))
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best, score = ranked[0]
    if score < CLEAR_LEAD * ranked[1][1]:
        close = tuple(sorted(d for d, n in ranked if n * CLEAR_LEAD > score))
        return Verdict(None, "tie", close)
    return Verdict(best)


def article_district(parts: dict[str, str], home: str | None) -> str | None:
    return district_verdict(parts, home).district
