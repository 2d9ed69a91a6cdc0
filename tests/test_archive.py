"""The whole-archive loader: process pool and page cache give exactly the serial result."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from newsgen.extract import archive as archive_module
from newsgen.extract import PageCache, load_archive
from newsgen.config import Config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def archive_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "articles"
    folder.mkdir()
    for copy in range(4):
        for seed in sorted((ROOT / "articles").glob("*.txt")):
            shutil.copy(seed, folder / f"{copy}_{seed.name}")
    return folder


def test_parallel_and_cached_loads_match_serial(archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(articles=("articles",))
    serial = load_archive(config, jobs=1)
    monkeypatch.setattr(archive_module, "PARALLEL_THRESHOLD", 2)
    parallel = load_archive(config, jobs=2)
    cache = PageCache(archive_dir.parent / ".cache")
    cold = load_archive(config, jobs=2, cache=cache)
    warm = load_archive(config, jobs=2, cache=cache)
    assert serial.pages == parallel.pages == cold.pages == warm.pages
    assert len(serial.articles) == 4 * 31


def test_cache_notices_changed_file_and_facts(archive_dir: Path) -> None:
    cache = PageCache(archive_dir.parent / ".cache")
    config = Config(articles=("articles",))
    load_archive(config, cache=cache)
    page = archive_dir / "0_000_122b2b7ff147ba18.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("唐善普", "唐某某"), encoding="utf-8")
    changed = load_archive(config, cache=cache)
    assert "唐某某" in changed.pages[0].articles[0].byline  # type: ignore[operator]
    from newsgen.config import FactRule
    from newsgen.model import PageFacts

    with_year = Config(articles=("articles",), facts=(FactRule("articles", PageFacts(year=1999)),))
    assert load_archive(with_year, cache=cache).pages[1].articles[0].date.year == 1999


def test_unreadable_file_is_reported_not_cached(archive_dir: Path) -> None:
    (archive_dir / "z.txt").write_bytes(b"\x00\x01")
    cache = PageCache(archive_dir.parent / ".cache")
    result = load_archive(Config(articles=("articles",)), strict=False, cache=cache)
    assert [str(f) for f in result.failures] == ["articles/z.txt: binary file (it contains NUL bytes), not a page of text"]


def test_article_digests_follow_the_page_files(archive_dir: Path) -> None:
    """What keys a page by its articles: the same for a cached load, new for every article
    of an edited page file, and unchanged for the articles of the other files."""
    config = Config(articles=("articles",))
    cache = PageCache(archive_dir.parent / ".cache")
    first = load_archive(config, jobs=1)
    cached = load_archive(config, jobs=1, cache=cache)
    before = [digest for _, digest in first.article_digests()]
    assert [digest for _, digest in cached.article_digests()] == before
    assert len(set(before)) == len(before) == len(first.articles)

    page = archive_dir / "0_000_122b2b7ff147ba18.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("唐善普", "唐某某"), encoding="utf-8")
    edited = load_archive(config, jobs=1, cache=cache)
    after = {article.id: digest for article, digest in edited.article_digests()}
    for article, digest in first.article_digests():
        assert (after[article.id] == digest) == (article.source != "articles/0_000_122b2b7ff147ba18.txt")


def test_cache_reads_only_the_files_whose_stat_changed(archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page file with the stat and facts it had is not read again (its key is remembered);
    one whose stat changed is, even at the same size."""
    config = Config(articles=("articles",))
    cache = PageCache(archive_dir.parent / ".cache")
    first = load_archive(config, cache=cache)
    read: list[str] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        read.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    again = load_archive(config, cache=cache)
    assert again.pages == first.pages
    assert [name for name in read if name.endswith(".txt")] == []

    page = archive_dir / "0_000_122b2b7ff147ba18.txt"
    text = page.read_text(encoding="utf-8")
    assert "唐善普" in text
    page.write_text(text.replace("唐善普", "唐某某"), encoding="utf-8")  # same length in UTF-8
    edited = load_archive(config, cache=cache)
    assert {name for name in read if name.endswith(".txt")} == {page.name}  # for its key, then to extract it
    assert "唐某某" in edited.pages[0].articles[0].byline  # type: ignore[operator]

    from newsgen.config import FactRule
    from newsgen.model import PageFacts

    read.clear()
    with_year = Config(articles=("articles",), facts=(FactRule("articles/0_*", PageFacts(year=1999)),))
    load_archive(with_year, cache=cache)
    assert {name for name in read if name.endswith(".txt")} == {p.name for p in archive_dir.glob("0_*.txt")}


def test_a_few_new_files_are_extracted_beside_the_cache_reads(archive_dir: Path) -> None:
    """A day's new page files go to a worker while the rest come from the cache; a damaged
    cache entry is extracted again: the result is the serial load's, and the cache then
    knows every file."""
    config = Config(articles=("articles",))
    held = sorted(archive_dir.glob("3_*.txt"))
    for path in held:
        path.rename(archive_dir.parent / path.name)
    cache = PageCache(archive_dir.parent / ".cache")
    load_archive(config, jobs=2, cache=cache)
    for path in held:
        (archive_dir.parent / path.name).rename(path)
    known = cache.known()
    damaged = known[sorted(known)[0]].key
    (archive_dir.parent / ".cache" / "pages" / damaged[:2] / f"{damaged}.pickle").write_bytes(b"not a pickle")
    assert len(held) < archive_module.PARALLEL_THRESHOLD  # the worker's case, not the pool's
    loaded = load_archive(config, jobs=2, cache=cache)
    assert loaded.pages == load_archive(config, jobs=1).pages
    assert set(cache.known()) == {f"articles/{path.name}" for path in archive_dir.glob("*.txt")}


def _entries(cache: PageCache) -> dict[str, Path]:
    return {p.name[: -len(".pickle")]: p for p in (cache.folder / "pages").glob("*/*.pickle")}


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 24 * 3600
    os.utime(path, (then, then))


def test_the_page_cache_forgets_what_no_page_file_has_used_for_a_month(archive_dir: Path) -> None:
    """Edits and new versions of newsgen leave entries nobody reads: they go once unused for
    `UNUSED_DAYS`; entries a build of some of the page files did not read stay that long."""
    cache, config = PageCache(archive_dir.parent / ".cache"), Config(articles=("articles",))
    load_archive(config, cache=cache)
    first = _entries(cache)
    assert len(first) == 20
    page = archive_dir / "0_000_122b2b7ff147ba18.txt"
    edited = cache.known()["articles/" + page.name].key
    page.write_text(page.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    load_archive(config, cache=cache)
    assert edited in _entries(cache) and len(_entries(cache)) == 21  # unused since today: kept
    stale = _entries(cache)[edited]
    _age(stale, PageCache.UNUSED_DAYS + 1)
    half_written = stale.with_name("x.123.tmp")
    half_written.write_bytes(b"")
    _age(half_written, 2)
    # a build of one folder of the page files: the others' entries, used a month ago, stay
    only = archive_dir.parent / "some"
    only.mkdir()
    shutil.copy(page, only / page.name)
    for other in _entries(cache).values():
        if other != stale:
            _age(other, PageCache.UNUSED_DAYS - 1)
    load_archive(Config(articles=("some",)), cache=cache)
    assert _entries(cache).get(edited) == stale  # pruned once a day: not again today
    _age(cache.folder / "pages" / PageCache.PRUNED_FILE, 1.01)
    load_archive(Config(articles=("some",)), cache=cache)
    left = _entries(cache)
    assert edited not in left and not half_written.exists()
    assert len(left) == 21  # the 19 unedited files', the edited one's new entry, some/'s copy
    warm = load_archive(config, cache=cache)  # nothing to extract again
    assert {e.key for e in cache.known().values()} <= set(left) and len(warm.pages) == 20


def test_an_entry_read_a_week_after_it_was_written_is_renewed(archive_dir: Path) -> None:
    cache, config = PageCache(archive_dir.parent / ".cache"), Config(articles=("articles",))
    load_archive(config, cache=cache)
    entries = _entries(cache)
    for path in entries.values():
        _age(path, PageCache.RENEW_DAYS + 1)
    (archive_dir / "0_000_122b2b7ff147ba18.txt").touch()  # its stat changed: read from the cache again
    load_archive(config, cache=cache)
    renewed = [p for p in entries.values() if time.time() - p.stat().st_mtime < 3600]
    assert len(renewed) == 20
