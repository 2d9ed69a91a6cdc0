"""bench/generate.py --editions: the generated pages filed by issue under page header lines,
and newsgen reads every page's facts back as the manifest records them."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from bench_modules import bench_module
from loader_helpers import counted, exported_characters
from newsgen.config import Config
from newsgen.extract import load_archive
from newsgen.model import Date

ROOT = Path(__file__).resolve().parents[1]
generate = bench_module("generate")


def digests(out: Path) -> dict[str, str]:
    files = sorted(p for p in out.rglob("*.txt")) + [generate.manifest_path(out)]
    return {p.relative_to(out.parent).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("editions") / "archive"
    return out, generate.generate_archive(300, out, seed=2, per_file=4, by_issue=True)


def test_same_arguments_same_bytes(archive, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, _ = archive
    again = tmp_path / "archive"
    subprocess.run(
        [sys.executable, "-X", "utf8", str(ROOT / "bench" / "generate.py"), "--articles", "300", "--out", str(again),
         "--seed", "2", "--per-file", "4", "--editions"],
        check=True, capture_output=True, env={"PYTHONHASHSEED": "7", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert digests(again) == digests(out)


def test_the_pages_are_the_flat_archives_under_their_headers(archive, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, manifest = archive
    flat = generate.generate_archive(300, tmp_path / "flat", seed=2, per_file=4)
    assert "editions" not in flat.header and not flat.editions
    flat_texts = [(tmp_path / "flat" / name).read_text(encoding="utf-8") for name in sorted({a["file"] for a in flat.articles} | {b["file"] for b in flat.briefs})]
    texts = [(out / e["file"]).read_text(encoding="utf-8") for e in manifest.editions]
    assert texts == [e["header"] + "\n" + text for e, text in zip(manifest.editions, flat_texts, strict=True)]
    # the same articles, each re-filed at its page's path
    assert [a["title"] for a in manifest.articles] == [a["title"] for a in flat.articles]
    assert {a["file"] for a in manifest.articles} <= {e["file"] for e in manifest.editions}


def test_one_issue_a_day_per_paper_of_4_to_12_pages(archive) -> None:  # type: ignore[no-untyped-def]
    out, manifest = archive
    issues: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in manifest.editions:
        issues[(e["issue_date"], e["code"])].append(e["page"])
        assert e["file"] == f"{e['code']}/{e['issue_date']}/{e['page']}.txt"
    assert len(issues) > 4 and {code for _, code in issues} == {"zzrb", "zyqb"}
    *whole, last = issues.values()
    assert all(4 <= len(pages) <= 12 for pages in whole) and 1 <= len(last) <= 12
    assert all(pages == [f"{n:02d}" for n in range(1, len(pages) + 1)] for pages in issues.values())
    assert sum(1 for p in out.rglob("*.txt")) == manifest.header["files"] == len(manifest.editions)


def test_newsgen_reads_every_pages_facts(archive) -> None:  # type: ignore[no-untyped-def]
    out, manifest = archive
    pages = {p.source.split("/archive/", 1)[1]: p for p in load_archive(Config(articles=(out.as_posix(),))).pages}
    assert sorted(pages) == sorted(e["file"] for e in manifest.editions)
    for e in manifest.editions:
        page = pages[e["file"]]
        year, month, day = map(int, e["issue_date"].split("-"))
        assert (page.paper, page.issue_date, page.page_number, page.page_name) == (
            e["paper"], Date(year, month, day), e["page"], e["page_name"],
        )  # fmt: skip
        assert not [d for d in page.diagnostics if d.severity == "note"]  # header and path agree
        assert all(a.paper == e["paper"] and a.date.year is not None for a in page.articles)
        assert exported_characters(page) == counted((out / e["file"]).read_text(encoding="utf-8"))  # nothing lost


def test_editions_refuse_a_second_header(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="second one"):
        generate.generate_archive(10, tmp_path / "x", form="pdf+furniture", by_issue=True)


def test_the_page_added_after_the_last_is_the_next_in_filing_order(tmp_path: Path) -> None:
    """build_bench's add-page scenario on an archive filed by issue: the next 版 of the last
    issue (or page 01 of the next), under its header, numbered after the last article."""
    out = tmp_path / "archive"
    manifest = generate.generate_archive(40, out, seed=2, per_file=4, by_issue=True)
    last = manifest.editions[-1]
    # as build_bench calls it: with a copy of the manifest that lists the articles only
    copy = generate.Manifest(dict(manifest.header), list(manifest.articles))
    path, records = generate.add_page_file(tmp_path / "extra", copy)
    assert not (out / path.relative_to(tmp_path / "extra")).exists()
    (edition,) = [r for r in records if r["kind"] == "edition"]
    following = (edition["issue_date"], edition["paper"]) == (last["issue_date"], last["paper"]) and \
        int(edition["page"]) == int(last["page"]) + 1
    assert following or (edition["issue_date"], edition["page"]) > (last["issue_date"], "01") or \
        edition["paper"] != last["paper"] and edition["page"] == "01"
    assert path == tmp_path / "extra" / edition["file"]
    assert path.read_text(encoding="utf-8").split("\n", 1)[0] == edition["header"]
    assert min(r["n"] for r in records if r["kind"] == "article") == 41
    # the archive with it, as newsgen reads it: the page's facts are its header's
    (out / edition["file"]).parent.mkdir(parents=True, exist_ok=True)
    (out / edition["file"]).write_bytes(path.read_bytes())
    page = next(p for p in load_archive(Config(articles=(out.as_posix(),))).pages if p.source.endswith(edition["file"]))
    assert page.page_number == edition["page"] and page.paper == edition["paper"]
