"""Incremental builds give, byte for byte, what a clean build gives; a no-change build writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsgen.pipeline import BuildResult, build
from newsgen.config import load_config
from newsgen.write.state import StateStore
from trees import assert_same_as_clean

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "articles").glob("*.md")) + sorted((ROOT / "articles").glob("*.txt"))

NEW_PAGE = """# 新增版面的头条标题

本报讯(记者 王小明 通讯员 李青)11月20日,中原区桐柏路街道举办社区文化节,居民踊跃参加。

活动现场还设置了图书角和便民服务点,吸引了许多居民驻足。
"""



def stats_tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    (folder / "articles").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, folder / "articles" / seed.name)
    shutil.copy(ROOT / "newsgen.yaml", folder / "newsgen.yaml")
    (folder / "templates").mkdir()
    monkeypatch.chdir(folder)
    return folder


def incremental(work: Path, **kwargs: object) -> BuildResult:
    return build(load_config(), output=work / "site", cwd=work, jobs=2, **kwargs)  # type: ignore[arg-type]


def test_every_kind_of_change_gives_the_clean_build(work: Path, tmp_path: Path) -> None:
    first = incremental(work)
    assert first.mode == "full" and first.files > 100

    (work / "articles" / "zz-new.md").write_text(NEW_PAGE, encoding="utf-8")
    added = incremental(work)
    assert added.mode == "incremental" and 0 < added.files < first.files
    assert_same_as_clean(work, tmp_path)

    page = work / "articles" / "zz-new.md"
    page.write_text(NEW_PAGE.replace("社区文化节", "社区读书节"), encoding="utf-8")
    edited = incremental(work)
    assert edited.mode == "incremental" and edited.files < first.files
    assert_same_as_clean(work, tmp_path)

    page.unlink()
    deleted = incremental(work)
    assert deleted.deleted > 0
    assert_same_as_clean(work, tmp_path)

    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    (work / "templates" / "base.html").write_text(base.replace("</head>", "<!-- local -->\n</head>"), encoding="utf-8")
    templated = incremental(work)
    assert templated.files >= templated.pages
    assert "<!-- local -->" in (work / "site" / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean(work, tmp_path)

    config = work / "newsgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title:", "title: 新", 1), encoding="utf-8")
    configured = incremental(work)
    assert configured.mode == "incremental"
    assert_same_as_clean(work, tmp_path)


def test_a_no_change_build_writes_nothing(work: Path) -> None:
    incremental(work)
    before = stats_tree(work / "site")
    again = incremental(work)
    assert again.mode == "unchanged" and again.files == 0
    assert stats_tree(work / "site") == before


def test_a_touched_page_file_rewrites_nothing_it_does_not_change(work: Path) -> None:
    incremental(work)
    before = stats_tree(work / "site")
    page = sorted((work / "articles").iterdir())[0]
    page.write_bytes(page.read_bytes())  # new mtime, same bytes
    again = incremental(work)
    assert again.mode == "incremental" and again.files == 0 and again.deleted == 0
    assert stats_tree(work / "site") == before


def test_files_changed_by_hand_in_the_output_are_put_right(work: Path, tmp_path: Path) -> None:
    incremental(work)
    site = work / "site"
    (site / "index.html").write_text("defaced", encoding="utf-8")
    (site / "stray.html").write_text("not ours", encoding="utf-8")
    next(site.rglob("*.js")).unlink()
    repaired = incremental(work)
    assert repaired.mode == "incremental" and repaired.files == 2 and repaired.deleted == 1
    assert_same_as_clean(work, tmp_path)


def test_an_interrupted_update_makes_the_next_build_a_full_one(work: Path, tmp_path: Path) -> None:
    incremental(work)
    store = StateStore.for_output(work / ".newsgen-cache", work / "site")
    store.begin_update(work / "site.tmp-gone")  # as if killed while renaming files in
    (work / "site" / "index.html").write_text("half-updated", encoding="utf-8")
    again = incremental(work)
    assert again.mode == "full"
    assert_same_as_clean(work, tmp_path)


def test_a_page_added_at_the_end_extends_the_search_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """How an archive grows: a page file whose name sorts after the others, by reporters the
    archive already has. The search stage extends the last build's index (it does not build
    it again), the files made for the documents before stay as they were (same inode and
    mtime), and the site is, byte for byte, what a clean build gives."""
    from test_search_support import generate_articles

    from newsgen.index import SearchIndex

    grown = generate_articles(tmp_path / "grown", 210)
    folder = tmp_path / "work"
    shutil.copytree(grown, folder / "articles")
    last = sorted((folder / "articles").glob("*.txt"))[-1]
    last.unlink()
    monkeypatch.chdir(folder)
    incremental(folder)
    before = stats_tree(folder / "site" / "search")

    def build_again(self: SearchIndex) -> None:
        raise AssertionError("the search index was built again, not extended")

    shutil.copy(grown / last.name, last)
    with monkeypatch.context() as patch:
        patch.setattr(SearchIndex, "_build", build_again)  # the stage's child is forked: it sees this
        assert incremental(folder).mode == "incremental"
    after = stats_tree(folder / "site" / "search")
    packs = sorted((path for path in before if path.startswith("d/")), key=lambda path: int(path[2:-3]))
    assert len(packs) > 1 and all(after[path] == before[path] for path in packs[:-1])  # all but the last
    assert after["manifest.js"] != before["manifest.js"]
    assert_same_as_clean(folder, tmp_path)


def test_clean_ignores_the_manifest(work: Path) -> None:
    incremental(work)
    again = incremental(work, clean=True)
    assert again.mode == "full" and again.files > 100


def test_a_template_edit_leaves_the_search_index_alone(work: Path) -> None:
    incremental(work)
    before = {p: s for p, s in stats_tree(work / "site").items() if p.startswith("search/")}
    (work / "templates" / "base.html").write_text(
        (ROOT / "templates" / "base.html").read_text(encoding="utf-8").replace("</head>", "<!-- x -->\n</head>"),
        encoding="utf-8",
    )
    again = incremental(work)
    after = {p: s for p, s in stats_tree(work / "site").items() if p.startswith("search/")}
    assert again.mode == "incremental" and again.search == incremental(work).search
    assert before and after == before


def test_a_new_days_issues_extend_the_search_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An archive filed by issue grows by a day of every paper at once: the first paper's new
    pages sort before the second's old ones by file, but documents are numbered by issue date
    first, so the search stage still only extends its index."""
    from bench_modules import bench_module

    from newsgen.index import SearchIndex

    generate = bench_module("generate")
    folder = tmp_path / "work"
    generate.generate_archive(200, folder / "articles", seed=3, per_file=4, by_issue=True)
    pages = sorted((folder / "articles").rglob("*.txt"))
    # the newest day both papers printed on, and any later one
    newest = max(set.intersection(*({p.parent.name for p in pages if p.parts[-3] == paper} for paper in ("zyqb", "zzrb"))))
    held = tmp_path / "held"
    for page in (p for p in pages if p.parent.name >= newest):
        target = held / page.relative_to(folder / "articles")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.rename(target)
    assert len({p.relative_to(held).parts[0] for p in held.rglob("*.txt")}) == 2  # both papers' issues
    monkeypatch.chdir(folder)
    incremental(folder)

    def build_again(self: SearchIndex) -> None:
        raise AssertionError("the search index was built again, not extended")

    shutil.copytree(held, folder / "articles", dirs_exist_ok=True)
    with monkeypatch.context() as patch:
        patch.setattr(SearchIndex, "_build", build_again)
        assert incremental(folder).mode == "incremental"
    assert_same_as_clean(folder, tmp_path)
