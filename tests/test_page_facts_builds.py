"""A page's facts reach its articles' pages, and the caches know it: changing a `pages:`
pattern or a config fact re-reads the page files it concerns, and the incremental build
equals a clean one byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsgen.config import load_config
from newsgen.extract import PageCache, load_archive
from newsgen.model import Date
from newsgen.pipeline import BuildResult, build
from trees import assert_same_as_clean

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "articles").glob("*.txt"))
# Named as no built-in rule reads: paper code, then 0705 (month, day) and the page.
NAMES = ["zzrb/2024/0705-p01.txt", "zzrb/2024/0705-p02.txt", "zzwb/2024/0706-p01.txt"]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    for seed, name in zip(SEEDS, NAMES):
        target = folder / "articles" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, target)
    (folder / "templates").mkdir()
    monkeypatch.chdir(folder)
    return folder


def configure(work: Path, text: str) -> None:
    (work / "newsgen.yaml").write_text("title: 版面档案\narticles: articles\n" + text, encoding="utf-8")


def incremental(work: Path) -> BuildResult:
    return build(load_config(), output=work / "site", cwd=work, jobs=1)


def dates(work: Path) -> dict[str, set[object]]:
    archive = load_archive(load_config(), cache=PageCache(work / ".newsgen-cache"))
    return {p.source: {(p.issue_date, p.page_number), *(a.date.year for a in p.articles)} for p in archive.pages}


def test_a_changed_pattern_or_fact_rebuilds_as_clean(work: Path, tmp_path: Path) -> None:
    configure(work, "")
    first = incremental(work)
    assert first.mode == "full"
    assert all((None, None) in found for found in dates(work).values())  # no issue date, no 版次

    configure(work, "pages: '{paper}/{date:%Y/%m%d}-p{page}.txt'\n")
    patterned = incremental(work)
    assert patterned.mode == "incremental" and patterned.files > 0
    assert_same_as_clean(work, tmp_path)
    # Seed 000: its 7月4日 takes the year of its issue of 2024-07-05.
    assert dates(work)["articles/" + NAMES[0]] == {(Date(2024, 7, 5), "01"), 2024}

    configure(work, "pages: '{paper}/{date:%Y/%m%d}-p{page}.txt'\nfacts:\n  articles/zzwb:\n    date: 2023-07-15\n")
    facted = incremental(work)
    assert facted.mode == "incremental" and facted.files > 0
    assert_same_as_clean(work, tmp_path)
    assert 2023 in dates(work)["articles/" + NAMES[2]]

    again = incremental(work)
    assert again.mode == "unchanged" and again.files == 0
