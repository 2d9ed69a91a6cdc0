"""What real archives bring that the seeds do not show: the same pages, written differently."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from loader_helpers import counted, exported_characters, page_from_bytes, page_from_text
from newsgen.extract.lines import headline_like
from newsgen.model import Page

SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[1] / "articles").glob("*.txt")}
_HALF_TO_FULL = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？"})


def summary(page: Page) -> list[tuple[object, ...]]:
    return [
        (a.column, a.kicker, a.title, a.subtitle, a.byline, a.reporters, a.correspondents, a.district,
         (a.date.month, a.date.day), [(b.type, b.text) for b in a.blocks])
        for a in page.articles
    ]  # fmt: skip


def comparable(page: Page) -> list[tuple[object, ...]]:
    """Like summary, with punctuation widths folded (what full-width input changes)."""
    fold = str.maketrans({v: k for k, v in {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？"}.items()})
    return [tuple(str(x).translate(fold) for x in row) for row in summary(page)]


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_full_width_punctuation(tmp_path: Path, key: str) -> None:
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    full = SEEDS[key].translate(_HALF_TO_FULL)
    widened = page_from_text(tmp_path, full, "b.txt")
    assert comparable(widened) == comparable(original)
    assert exported_characters(widened) == counted(full)


@pytest.mark.parametrize("key", ["003", "004"])
def test_headlines_without_marks(tmp_path: Path, key: str) -> None:
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    bare = re.sub(r"(?m)^#{1,6} ", "", SEEDS[key])
    unmarked = page_from_text(tmp_path, bare, "b.txt")
    assert [a.title or a.column for a in unmarked.articles] == [a.title or a.column for a in original.articles]
    assert [a.byline for a in unmarked.articles] == [a.byline for a in original.articles]
    assert exported_characters(unmarked) == counted(bare)


def test_crlf_with_bom(tmp_path: Path) -> None:
    for key, text in SEEDS.items():
        data = codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")
        page = page_from_bytes(tmp_path, data, f"{key}.txt")
        assert summary(page) == summary(page_from_text(tmp_path, text, f"{key}-plain.txt"))
        assert page.encoding == "utf-8-sig"


def test_old_mac_line_endings_and_utf16(tmp_path: Path) -> None:
    text = SEEDS["004"]
    mac = page_from_bytes(tmp_path, text.replace("\n", "\r").encode("utf-8"), "mac.txt")
    utf16 = page_from_bytes(tmp_path, text.encode("utf-16"), "u16.txt")
    assert summary(mac) == summary(utf16) == summary(page_from_text(tmp_path, text, "plain.txt"))
    assert utf16.encoding == "utf-16"


def test_gb18030(tmp_path: Path) -> None:
    for key, text in SEEDS.items():
        page = page_from_bytes(tmp_path, text.encode("gb18030"), f"{key}.txt")
        assert page.encoding == "gb18030"
        assert summary(page) == summary(page_from_text(tmp_path, text, f"{key}-u8.txt"))
        assert [d.code for d in page.diagnostics if d.code == "encoding-fallback"] == ["encoding-fallback"]


def one_paragraph_per_line(text: str) -> str:
    """No blank lines; body lines indented with two ideographic spaces, headlines flush."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        is_heading = line.startswith("#") or headline_like(line.strip())
        out.append(line if is_heading else "\u3000\u3000" + line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_one_paragraph_per_line_indented(tmp_path: Path, key: str) -> None:
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    packed_text = one_paragraph_per_line(SEEDS[key])
    packed = page_from_text(tmp_path, packed_text, "b.txt")
    assert summary(packed) == summary(original)
    assert exported_characters(packed) == counted(packed_text)


@pytest.mark.parametrize("first,second", [("004", "002"), ("002", "003"), ("001", "000")])
def test_two_pages_run_together(tmp_path: Path, first: str, second: str) -> None:
    joined = SEEDS[first].rstrip("\n") + "\n\n" + SEEDS[second]
    page = page_from_text(tmp_path, joined, "joined.txt")
    expected = summary(page_from_text(tmp_path, SEEDS[first], "a.txt")) + summary(
        page_from_text(tmp_path, SEEDS[second], "b.txt")
    )
    titles = [row[2] for row in summary(page)]
    assert titles == [row[2] for row in expected]
    assert exported_characters(page) == counted(joined)
