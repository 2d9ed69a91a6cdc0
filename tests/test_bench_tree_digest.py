"""bench/tree_digest.py: the digest that checks a reshaped package builds the same site."""

from __future__ import annotations

from pathlib import Path

from bench_modules import bench_module

ROOT = Path(__file__).resolve().parents[1]




tree_digest = bench_module("tree_digest")


def _site(folder: Path, search_id: str = "0123456789abcdef0123") -> Path:
    (folder / "search").mkdir(parents=True)
    (folder / ".newsgen-site").write_text("marker\n")
    (folder / "index.html").write_text("<p>首页</p>\n", encoding="utf-8")
    (folder / "search" / "manifest.js").write_text(
        f'newsgenSearch.m({{"b":0,"id":"{search_id}","n":2}});\n')
    return folder


def test_same_tree_same_digest_wherever_it_lies(tmp_path: Path) -> None:
    a = tree_digest.site_digest(_site(tmp_path / "a"))
    b = tree_digest.site_digest(_site(tmp_path / "elsewhere" / "b"))
    assert a.digest == b.digest and a.files == 3 and a.bytes == b.bytes
    assert tree_digest.differences(a, b) == []


def test_every_file_counts_the_marker_too(tmp_path: Path) -> None:
    a = tree_digest.site_digest(_site(tmp_path / "a"))
    (tmp_path / "a" / ".newsgen-site").write_text("marker!\n")
    b = tree_digest.site_digest(tmp_path / "a")
    assert a.digest != b.digest
    assert tree_digest.differences(a, b) == ["differs:        .newsgen-site"]


def test_mask_search_id_hides_only_the_search_id(tmp_path: Path, capsys) -> None:
    a, b = _site(tmp_path / "a"), _site(tmp_path / "b", search_id="ffffffffffffffffffff")
    assert tree_digest.main([str(a), str(b)]) == 1
    assert "differs:        search/manifest.js" in capsys.readouterr().out
    assert tree_digest.main([str(a), str(b), "--mask-search-id"]) == 0
    assert capsys.readouterr().out.endswith("match\n")
    (b / "search" / "manifest.js").write_text('newsgenSearch.m({"b":1,"id":"x","n":2});\n')
    assert tree_digest.main([str(a), str(b), "--mask-search-id"]) == 1


def test_files_only_in_one_site_are_listed(tmp_path: Path, capsys) -> None:
    a, b = _site(tmp_path / "a"), _site(tmp_path / "b")
    (a / "feed.xml").write_text("<feed/>")
    (b / "index.html").unlink()
    assert tree_digest.main([str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "only in first:  feed.xml" in out and "only in first:  index.html" in out
