"""bench/generate.py --form: the same archive reshaped, deterministically, with its truth."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from bench_modules import bench_module

ROOT = Path(__file__).resolve().parents[1]




generate = bench_module("generate")


def _digest(folder: Path) -> dict[str, str]:
    files = sorted(folder.glob("*.txt")) + [generate.manifest_path(folder)]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.parametrize("form", ["pdf", "pdf+furniture", "indented", "unmarked", "bylines"])
def test_forms_are_deterministic_and_keep_the_text(tmp_path: Path, form: str) -> None:
    first = generate.generate_archive(60, tmp_path / "a" / "archive", form=form)
    generate.generate_archive(60, tmp_path / "b" / "archive", form=form)
    assert _digest(tmp_path / "a" / "archive") == _digest(tmp_path / "b" / "archive")
    plain = generate.generate_archive(60, tmp_path / "c" / "archive")
    assert [a["title"] for a in first.articles] == [a["title"] for a in plain.articles]
    furniture = {f["text"] for f in first.furniture}  # lines set between a paragraph's pieces
    for article in first.articles:
        lines = (tmp_path / "a" / "archive" / article["file"]).read_text(encoding="utf-8").split("\n")
        page = re.sub(r"\s+", "", "".join(ln for ln in lines if ln.strip() not in furniture))
        assert all(re.sub(r"\s+", "", p) in page for p in article["paragraphs"])


def test_pdf_pages_are_wrapped_and_furnished(tmp_path: Path) -> None:
    manifest = generate.generate_archive(60, tmp_path / "archive", form="pdf+furniture")
    assert len(manifest.pages) == len(manifest.files) and manifest.furniture
    for name in manifest.files:
        lines = (tmp_path / "archive" / name).read_text(encoding="utf-8").split("\n")
        texts = {ln.strip() for ln in lines}
        assert all(f["text"] in texts for f in manifest.furniture if f["file"] == name)
        assert not any(ln.startswith("#") for ln in lines)


def test_the_bylines_form_reprints_every_byline_and_records_whom_it_credits(tmp_path: Path) -> None:
    """Each byline line in another printed form; the credits name its reporters and
    correspondents as the manifest does, plus the made-up interns and photographers it adds."""
    forms = bench_module("forms")
    manifest = generate.generate_archive(200, tmp_path / "archive", form="bylines")
    assert manifest.credits and all(c["file"] in manifest.files for c in manifest.credits)
    added = [name for c in manifest.credits for role in ("interns", "photographers") for name in c[role]]
    assert added and set(added) <= set(forms.ADDED_PEOPLE)
    text = "".join((tmp_path / "archive" / name).read_text(encoding="utf-8") for name in manifest.files)
    assert "实习生" in text and "摄影" in text
    assert any(role in text for role in forms.ROLES) and any(paper in text for paper in forms.BYLINE_PAPERS)
    people = {name for a in manifest.articles for name in a["reporters"] + a["correspondents"]}
    assert {name for c in manifest.credits for name in c["reporters"] + c["correspondents"]} <= people


def test_the_truth_says_where_the_text_cannot_tell(tmp_path: Path) -> None:
    """`readings`: only a column page without its marks, whose first story's headline is a
    lone 主题, reads otherwise too; `also_named`: the districts a title or lead calls by a
    short name the generator leaves (as-is or not, the same)."""
    shaped = generate.generate_archive(300, tmp_path / "u" / "archive", form="unmarked")
    plain = generate.generate_archive(300, tmp_path / "p" / "archive")
    assert not any(a["readings"] for a in plain.articles)
    with_readings = [a for a in shaped.articles if a["readings"]]
    assert with_readings and all(a["style"] == "md-column" for a in with_readings)
    for a in with_readings:
        first = a["n"] == min(b["n"] for b in shaped.articles if b["file"] == a["file"])
        assert len(a["readings"]) == (2 if first else 1)
        assert not first or a["subtitle"] is None
    assert [a["also_named"] for a in shaped.articles] == [a["also_named"] for a in plain.articles]
    short = {full: name for name, full in generate._SHORT_NAMES.items()}
    named = [a for a in plain.articles if a["also_named"]]
    assert named and all(short[d] in a["title"] + a["paragraphs"][0] for a in named for d in a["also_named"])
