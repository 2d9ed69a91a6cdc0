"""Segmentation against ground truth: a synthetic archive written in the seeds' forms.

bench/generate.py shuffles real seed paragraphs into new pages and records what each
article is. Its shuffles make some pages genuinely ambiguous (a subhead followed by a
paragraph that opens like a dated lead), so this is a floor, not a target.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from newsgen.config import Config
from newsgen.extract import load_archive

from bench_modules import bench_module

ROOT = Path(__file__).resolve().parents[1]




def test_article_boundaries_on_a_synthetic_archive(tmp_path: Path) -> None:
    generate = bench_module("generate")
    out = tmp_path / "articles"
    generate.generate_archive(1000, out, seed=7)
    manifest = generate.manifest_path(out)
    import json

    expected: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        record = json.loads(line)
        expected[record["file"]].append(record)
    archive = load_archive(Config(articles=(str(out),)), jobs=2)
    wrong_pages = 0
    for page in archive.pages:
        want = expected[Path(page.source).name]
        heads = [" ".join(x for x in (a.column, a.kicker, a.title, a.subtitle) if x) for a in page.articles]
        names = [str(w.get("title") or w.get("column") or "") for w in want]
        if len(heads) != len(names) or not all(name in head for name, head in zip(names, heads)):
            wrong_pages += 1
    assert len(archive.pages) == 100
    print(f"synthetic boundaries: {wrong_pages} of 100 pages split differently from the generator's truth")
    assert wrong_pages <= 3, f"{wrong_pages} of 100 pages split differently from the generator's truth"
