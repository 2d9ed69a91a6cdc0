"""`newsgen export` and `newsgen check` as an archivist runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIELDS = [
    "id", "source", "lines", "column", "kicker", "title", "subtitle", "dateline", "byline",
    "reporters", "correspondents", "interns", "photographers", "date", "district", "blocks", "flags",
]  # fmt: skip


def newsgen(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture(scope="module")
def exported() -> list[dict[str, object]]:
    result = newsgen("export")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_writes_one_record_per_article(exported: list[dict[str, object]]) -> None:
    assert len(exported) == 31
    for record in exported:
        assert list(record)[: len(FIELDS)] == FIELDS
        assert set(record["date"]) == {"year", "month", "day", "year_inferred", "from_issue"}  # type: ignore[arg-type]
        # The seeds' names hold no date or page, and their text no page header.
        assert [record[k] for k in ("paper", "issue_date", "page", "page_name")] == [None] * 4
        assert all(set(b) == {"type", "text", "lost_head"} for b in record["blocks"])  # type: ignore[union-attr]
    assert exported[0]["source"] == "articles/000_122b2b7ff147ba18.txt"
    assert exported[0]["lines"] == [3, 17]
    assert "唐善普" in json.dumps(exported[0], ensure_ascii=False)


def test_export_is_deterministic_whatever_the_hash_seed(tmp_path: Path) -> None:
    shuffled = tmp_path / "archive"
    shuffled.mkdir()
    for path in sorted((ROOT / "articles").glob("*.txt"), reverse=True):  # created in reverse order
        shutil.copy(path, shuffled / path.name)
    outputs = {newsgen("export", "--articles", str(shuffled), env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1


def test_ids_survive_other_files_changing(tmp_path: Path) -> None:
    archive = tmp_path / "articles"
    archive.mkdir()
    shutil.copy(ROOT / "articles" / "000_122b2b7ff147ba18.txt", archive / "b.txt")
    before = [json.loads(x)["id"] for x in newsgen("export", cwd=tmp_path).stdout.splitlines()]
    (archive / "a.txt").write_text("新增的一版\n\n本报讯 这是新的一篇稿件。\n", encoding="utf-8")
    after = [json.loads(x)["id"] for x in newsgen("export", cwd=tmp_path).stdout.splitlines()]
    assert len(before) == 3 and len(after) == 4
    assert after[1:] == before


def test_check_reports_seeds_and_exits_zero() -> None:
    result = newsgen("check")
    assert result.returncode == 0, result.stderr
    assert "articles/002_d5040c997ebba622.txt: 10 articles (utf-8)" in result.stdout
    assert "starts-mid-sentence" in result.stdout and "headline with no body" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("5 files, 31 articles")


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("empty.txt", b"", "empty page file"),
        ("blank.txt", "\n\u3000\n  \n".encode(), "empty page file"),
        ("latin1.txt", "caf\xe9 na\xefve r\xe9sum\xe9 \xff\xfe".encode("latin-1"), "cannot decode"),
        ("front.txt", "---\nyear: [2024\n---\n标题\n".encode(), "front.txt:2: malformed front matter"),
        ("unclosed.txt", "---\nyear: 2024\n标题\n".encode(), "never closed"),
        ("badfact.txt", "---\ndistrict: 火星区\n---\n标题\n".encode(), "unknown district"),
    ],
)
def test_check_on_bad_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = ROOT / "articles" / "004_ad72465be87e4b1c.txt"
    result = newsgen("check", "--articles", str(bad), "--articles", str(good))
    assert result.returncode == 1
    assert message in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "004_ad72465be87e4b1c.txt: 5 articles" in result.stdout  # the other files are still read


def test_front_matter_gives_facts(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("---\nyear: 2021\ndistrict: 上街区\npaper: 上街报\n---\n\n## 我区开展活动\n\n本报讯 5月4日，区委召开会议。\n\n(记者 王明明)\n", encoding="utf-8")
    record = json.loads(newsgen("export", "--articles", str(page)).stdout)
    assert record["date"] == {"year": 2021, "month": 5, "day": 4, "year_inferred": True, "from_issue": False}
    assert record["district"] == "上街区" and record["paper"] == "上街报"
    assert record["lines"] == [7, 11]


def test_malformed_config_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text("title: 档案\narticles: [a, b\n", encoding="utf-8")
    result = newsgen("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "newsgen.yaml:3: malformed YAML" in result.stderr or "newsgen.yaml:2: malformed YAML" in result.stderr
    (tmp_path / "newsgen.yaml").write_text("title: 档案\ncolour: red\n", encoding="utf-8")
    result = newsgen("check", cwd=tmp_path)
    assert result.returncode == 1 and "newsgen.yaml:2: unknown setting 'colour'" in result.stderr
    (tmp_path / "newsgen.yaml").write_text("title: 档案\nper_page: 10\nhome_pages: 0\n", encoding="utf-8")
    result = newsgen("check", cwd=tmp_path)
    assert result.returncode == 1 and "newsgen.yaml:3: home_pages must be a positive number" in result.stderr
    (tmp_path / "newsgen.yaml").write_text("title: 档案\nper_page: yes\n", encoding="utf-8")
    result = newsgen("check", cwd=tmp_path)
    assert result.returncode == 1 and "newsgen.yaml:2: per_page must be a positive number" in result.stderr


def test_usage_errors_exit_two() -> None:
    assert newsgen("check", "--no-such-flag").returncode == 2
    alone = newsgen()  # not a usage error: `newsgen` alone asks what it can do
    assert alone.returncode == 0 and alone.stdout.startswith("usage: newsgen") and alone.stderr == ""
    missing = newsgen("export", "--articles", "no/such/folder")
    assert missing.returncode == 1 and "no/such/folder: no such file or folder" in missing.stderr


def test_the_command_flushes_what_it_printed_before_it_leaves() -> None:
    """`python -m newsgen` leaves with `os._exit` (no interpreter teardown): what argparse and
    the commands printed must still reach a pipe, with their exit codes."""
    version = newsgen("--version")
    assert version.returncode == 0 and version.stdout.strip().startswith("newsgen ")
    helped = newsgen("build", "--help")
    assert helped.returncode == 0 and "--timings" in helped.stdout
