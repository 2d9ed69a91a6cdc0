"""bench/generate.py: the synthetic archive generator the benchmarks stand on."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench_modules import bench_module

ROOT = Path(__file__).resolve().parents[1]




generate = bench_module("generate")


def _digest(folder: Path) -> dict[str, str]:
    files = sorted(folder.glob("*.txt")) + [generate.manifest_path(folder)]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("gen") / "archive"
    manifest = generate.generate_archive(1000, out)
    return out, manifest


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    first = tmp_path / "a" / "archive"
    second = tmp_path / "b" / "archive"
    generate.generate_archive(250, first, seed=3, per_file=7)
    subprocess.run(
        [sys.executable, "-X", "utf8", str(ROOT / "bench" / "generate.py"), "--articles", "250",
         "--out", str(second), "--seed", "3", "--per-file", "7"],
        check=True, capture_output=True, env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"},
    )
    assert _digest(first) == _digest(second)
    assert len(_digest(first)) == 36 + 1  # ceil(250 / 7) files and the manifest


def test_another_seed_another_archive(tmp_path: Path) -> None:
    generate.generate_archive(50, tmp_path / "s0")
    generate.generate_archive(50, tmp_path / "s1", seed=1)
    assert _digest(tmp_path / "s0") != _digest(tmp_path / "s1")


def test_counts_and_unique_titles(archive) -> None:
    out, manifest = archive
    files = sorted(p.name for p in out.glob("*.txt"))
    assert len(files) == 100 == manifest.header["files"]
    assert manifest.files == files
    assert len(manifest.articles) == 1000
    assert [a["n"] for a in manifest.articles] == list(range(1, 1001))
    assert len({a["title"] for a in manifest.articles}) == 1000
    per_file: dict[str, int] = {}
    for a in manifest.articles:
        per_file[a["file"]] = per_file.get(a["file"], 0) + 1
    assert set(per_file.values()) == {10}
    assert generate.manifest_path(out) == out.parent / "archive.manifest.jsonl"
    assert list(out.iterdir()) == list(out.glob("*.txt"))  # nothing but page files inside
    again = generate.Manifest.read(generate.manifest_path(out))
    assert again.articles == manifest.articles and again.briefs == manifest.briefs


def test_uneven_last_file(tmp_path: Path) -> None:
    manifest = generate.generate_archive(23, tmp_path / "a", per_file=10)
    counts = [sum(a["file"] == f for a in manifest.articles) for f in manifest.files]
    assert counts == [10, 10, 3]


def test_manifest_text_is_in_the_files(archive) -> None:
    out, manifest = archive
    joined = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in out.glob("*.txt")}
    for a in manifest.articles:
        page = joined[a["file"]]
        assert re.sub(r"\s+", "", a["title"]) in page
        for paragraph in a["paragraphs"]:
            assert re.sub(r"\s+", "", paragraph) in page, (a["n"], paragraph[:30])
        assert a["paragraphs"] and all(p[-1] in "。!?!?…”’" for p in a["paragraphs"])
    for b in manifest.briefs:
        for item in b["items"]:
            assert re.sub(r"\s+", "", item["text"]) in joined[b["file"]]


def test_paragraphs_come_from_the_seeds(archive) -> None:
    """Each is a seed paragraph, with the districts it names made the article's own."""
    _, manifest = archive
    corpus = generate.load_corpus()
    for a in manifest.articles[:200]:
        pool = {generate._one_district(p, a["district"]) for p in corpus.paragraphs}
        assert all(p in pool for p in a["paragraphs"][1:])


SEED_FORMS = {
    "h1 headline": r"(?m)^# \S",
    "h2 headline": r"(?m)^## \S",
    "h3 headline or unit subhead": r"(?m)^### \S",
    "h4 subhead": r"(?m)^#### \S",
    "column heading": r"(?m)^## 党旗在基层一线高高飘扬$",
    "bare trailing heading": r"(?m)^## 贯彻落实区委十一届六次全会精神\n*\Z",
    "dateline with a space": r"(?m)^本报讯 \d{1,2}月\d{1,2}日(上午|下午)?,",
    "dateline, half-width brackets": r"(?m)^本报讯\(记者 [^()]+\)",
    "dateline, full-width brackets": r"(?m)^本报讯（记者 [^（）]+）",
    "dateline with correspondent": r"(?m)^本报讯[(（]记者 \S+( \S+)* 通讯员 ",
    "byline before the body": r"(?m)^本报记者 \S+",
    "closing byline on its own line": r"(?m)^记者 \S+( \S+)* 通讯员 \S+",
    "closing byline on two lines": r"(?m)^记者 [^\n]+\n通讯员 ",
    "closing byline with 文/图": r"(?m)^(记者|通讯员) [^\n]* 文/图$",
    "byline in half-width brackets": r"(?m)^\(记者 [^()\n]+\)$",
    "byline in full-width brackets": r"(?m)^（记者 [^（）\n]+）$",
    "byline glued to the last sentence": r"。记者 \S+",
    "markdown hard break before a byline": r"(?m)  \n(记者|通讯员) ",
    "briefs column": r"(?m)^## 简讯\n\n●",
    "brief item with its byline": r"(?m)^●[^\n]+\n\n[(（]记者 ",
    "paragraph broken mid-sentence": r"[\u4e00-\u9fff]\n\n+[\u4e00-\u9fff]",
    "run of blank lines": r"\n\n\n\n",
    "plain headline group (no marks)": r"(?m)^[^#\n●(（记本][^\n。]{2,60}第\d+号\n\n[^#\n][^\n。]{2,60}\n\n本报讯",
}


@pytest.mark.parametrize("form", sorted(SEED_FORMS))
def test_every_seed_form_appears(archive, form: str) -> None:
    out, _ = archive
    pattern = re.compile(SEED_FORMS[form])
    assert any(pattern.search(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.txt"))), form


def test_leads_have_dates_and_districts(archive) -> None:
    _, manifest = archive
    dated = [a for a in manifest.articles if a["date"] and a["date"]["month"]]
    assert len({(a["date"]["month"], a["date"]["day"]) for a in dated}) > 100
    for a in dated[:100]:
        assert a["paragraphs"][0].startswith(f"{a['date']['month']}月{a['date']['day']}日")
    districts = {a["district"] for a in manifest.articles}
    assert {"中原区", "金水区", "上街区峡窝镇", "荥阳市豫龙街道", "郑东新区"} <= districts
    for a in manifest.articles:
        assert a["district"] in a["paragraphs"][0]
        assert set(a["reporters"]) <= set(generate.REPORTERS)


def test_add_page_file_continues_the_archive(tmp_path: Path) -> None:
    out = tmp_path / "archive"
    manifest = generate.generate_archive(30, out)
    before = _digest(out)
    path, records = generate.add_page_file(out, manifest)
    assert path.parent == out and path.name.startswith("000003_")
    articles = [r for r in records if r["kind"] == "article"]
    assert [a["n"] for a in articles] == list(range(31, 41))
    assert len({a["title"] for a in manifest.articles}) == 40
    after = _digest(out)
    assert {k: v for k, v in after.items() if k != path.name} == before
    # the same file as a 40-article archive's fourth file
    whole = generate.generate_archive(40, tmp_path / "whole")
    assert (tmp_path / "whole" / path.name).read_bytes() == path.read_bytes()
    assert [json.dumps(a, sort_keys=True) for a in whole.articles[30:]] == [
        json.dumps(a, sort_keys=True) for a in articles
    ]
