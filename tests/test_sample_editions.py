"""samples/editions: the seeds filed by issue, each under a page header line (made-up facts,
real text). Every page's paper, issue date, 版次 and 版名 as the README's table gives them."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loader_helpers import counted, exported_characters
from newsgen.config import Config
from newsgen.extract import Archive, load_archive
from newsgen.model import Date

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "editions"
PAPER = "郑州区县报"
# page file → (issue date, 版次, 版名, seed it is made from)
PAGES = {
    "zzqx/2023-07-19/01.txt": (Date(2023, 7, 19), "01", "要闻", "004_ad72465be87e4b1c.txt"),
    "zzqx/2023-07-19/02.txt": (Date(2023, 7, 19), "02", "区县新闻", "002_d5040c997ebba622.txt"),
    "zzqx/2023-07-19/03.txt": (Date(2023, 7, 19), "03", "郑东新闻", "001_0429a0f6955e58f0.txt"),
    "zzqx/2024-07-05/01.txt": (Date(2024, 7, 5), "01", "要闻", "000_122b2b7ff147ba18.txt"),
    "zzqx/2024-07-05/02.txt": (Date(2024, 7, 5), "02", "上街新闻", "003_75508fda1e388424.txt"),
}
WEEKDAYS = "一二三四五六日"


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load_archive(Config(articles=((SAMPLE / "pages").as_posix(),)))


def test_each_page_is_a_seed_under_its_header_line() -> None:
    found = sorted(p.relative_to(SAMPLE / "pages").as_posix() for p in (SAMPLE / "pages").rglob("*") if p.is_file())
    assert found == sorted(PAGES)
    for name, (date, page, page_name, seed) in PAGES.items():
        weekday = WEEKDAYS[datetime.date(date.year, date.month, date.day).weekday()]
        header = f"{PAPER} {date.year}年{date.month}月{date.day}日 星期{weekday} 第{page}版：{page_name}\n"
        data = (SAMPLE / "pages" / name).read_bytes()
        assert data == header.encode() + (ROOT / "articles" / seed).read_bytes()


def test_every_pages_facts(archive: Archive) -> None:
    got = {p.source.split("/pages/")[-1]: p for p in archive.pages}
    assert sorted(got) == sorted(PAGES)
    for name, (date, number, page_name, _) in PAGES.items():
        page = got[name]
        assert (page.paper, page.issue_date, page.page_number, page.page_name) == (PAPER, date, number, page_name)
        assert not [d for d in page.diagnostics if d.severity == "note"]  # path and header agree
        assert {a.paper for a in page.articles} == {PAPER}
        # Every article is dated, in its issue's year: its own date, or its issue's.
        assert all(a.date.year == date.year and a.date.month and a.date.day for a in page.articles)
        assert any(a.date.from_issue for a in page.articles) or name.endswith("03.txt")
        text = (SAMPLE / "pages" / name).read_text(encoding="utf-8")
        assert exported_characters(page) == counted(text)  # nothing lost, the header included


def test_the_sample_builds(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--articles", str(SAMPLE / "pages"), "--output", str(tmp_path / "site")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "built 31 articles" in done.stdout
    assert (tmp_path / "site" / "index.html").is_file()
