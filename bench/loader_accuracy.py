"""How well the loader reads each form of page text, against ground truth.

    PYTHONPATH=src python bench/loader_accuracy.py [--articles 1000] [--forms pdf,indented] [--out DIR]
    NEWSGEN_SRC=/path/to/other/src python bench/loader_accuracy.py   # another loader: "before"

For every form of bench/forms.py, the five seed pages (truth: bench/seeds.manifest.jsonl) and
a synthetic archive of ``--articles`` articles (truth: its generator manifest) are reshaped,
loaded and scored. Prints one table row per (corpus, form):

- boundaries: F1 of articles found whole (exactly one article holds a true headline, and it
  holds no other);
- title, heading parts (栏目/引题/副题 all equal, or equal to another reading the page's text
  supports: the generator's `readings`), heading parts as printed (equal to the truth alone,
  whether the text can tell or not), reporters, correspondents, date (month and
  day), district: the share of the articles found whole that have them right;
- subheads: F1 over (article, subhead) pairs;
- furniture: the share of the furniture lines the loader kept as furniture, and header: the
  share of page headers whose paper, date, 版次 and 版名 all became the page's (pdf+furniture).

``--freeze-seeds`` writes the seed truth from what the loader reads in the seeds as they are
(to be reviewed by hand before it is committed: tests/test_extract_seeds.py pins most of it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The loader under test: the working tree's, or another's `src/` (NEWSGEN_SRC: the "before").
sys.path.insert(0, os.environ.get("NEWSGEN_SRC", str(ROOT / "src")))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from forms import ADDED_PEOPLE, FORMS, MARKLESS_FORMS, reshape  # noqa: E402

from newsgen.config import Config, load_config  # noqa: E402
from newsgen.extract import extract_page  # noqa: E402

try:
    from newsgen.extract import load_archive
except ImportError:  # NEWSGEN_SRC: a revision from before the package was reshaped (issue 22)
    from newsgen.archive import load_archive  # type: ignore[no-redef]
from newsgen.load import read_page  # noqa: E402
from newsgen.model import Article, Page  # noqa: E402

SEED_TRUTH = HERE / "seeds.manifest.jsonl"
TOP_DISTRICTS = generate.DISTRICTS[:16]
SHOW: set[str] = set()  # --show: the columns whose misses are printed
COLUMNS = ("boundaries", "title", "heading parts", "heading parts as printed", "subheads", "reporters", "correspondents", "date", "district")
ADDED_ROLES = ("interns", "photographers")  # scored against the people the bylines form adds


@dataclass
class Score:
    true_articles: int = 0
    found_articles: int = 0
    whole: int = 0
    right: Counter[str] | None = None
    subheads: Counter[str] | None = None  # tp, predicted, expected
    furniture: Counter[str] | None = None  # kept, expected, headers, headers right
    credits: Counter[str] | None = None  # per role: "<role> tp", "<role> predicted", "<role> expected"

    def __post_init__(self) -> None:
        self.right = Counter()
        self.subheads = Counter()
        self.furniture = Counter()
        self.credits = Counter()

    def row(self) -> list[float | None]:
        assert self.right is not None and self.subheads is not None and self.furniture is not None
        f1 = _f1(self.whole, self.found_articles, self.true_articles)
        cells: list[float | None] = [f1]
        for name in COLUMNS[1:]:
            if name == "subheads":
                s = self.subheads
                cells.append(_f1(s["tp"], s["predicted"], s["expected"]) if s["expected"] or s["predicted"] else 1.0)
            else:
                cells.append(self.right[name] / self.whole if self.whole else None)
        for role in ADDED_ROLES:
            c = self.credits
            tp, predicted, expected = c[f"{role} tp"], c[f"{role} predicted"], c[f"{role} expected"]
            cells.append(_f1(tp, predicted, expected) if expected else None)
        f = self.furniture
        cells.append(f["kept"] / f["expected"] if f["expected"] else None)
        cells.append(f["header right"] / f["headers"] if f["headers"] else None)
        return cells


def _f1(tp: int, predicted: int, expected: int) -> float:
    if not predicted or not expected:
        return 1.0 if predicted == expected else 0.0
    precision, recall = tp / predicted, tp / expected
    return 2 * precision * recall / (precision + recall) if tp else 0.0


def _key(truth: dict[str, Any]) -> str:
    return truth.get("title") or truth.get("column") or truth.get("heading") or ""


def _headline(article: Article) -> str:
    return " ".join(x for x in (article.column, article.kicker, article.title, article.subtitle) if x)


def _district(truth: str | None) -> str | None:
    if truth is None:
        return None
    return next((d for d in TOP_DISTRICTS if truth.startswith(d)), truth)


def _text_date(article: Any) -> tuple[Any, Any]:
    """The month and day the article's text gives: not its issue's date, which an undated
    article takes where its page has one (a --baseline revision has no from_issue)."""
    if getattr(article.date, "from_issue", False):
        return (None, None)
    return (article.date.month, article.date.day)


def _date(truth: dict[str, Any] | None) -> tuple[Any, Any]:
    return (truth["month"], truth["day"]) if truth else (None, None)


def score_page(
    score: Score,
    page: Page,
    truths: list[dict[str, Any]],
    furniture: list[dict[str, Any]],
    header: dict[str, Any] | None,
    credits: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> None:
    assert score.right is not None and score.subheads is not None and score.furniture is not None
    _score_credits(score, page, credits)
    score.true_articles += len(truths)
    score.found_articles += len(page.articles)
    heads = [_headline(a) for a in page.articles]
    for truth in truths:
        key = _key(truth)
        holders = [i for i, head in enumerate(heads) if key and key in head]
        if len(holders) != 1:
            _show("boundaries", page.source, key, [heads[i] for i in holders], "one article")
            continue
        article = page.articles[holders[0]]
        if sum(1 for t in truths if _key(t) and _key(t) in heads[holders[0]] and _key(t) != key and key not in _key(t)):
            continue  # the article holds another true headline too
        score.whole += 1
        _score_fields(score, article, truth)
    if header is not None:
        score.furniture["headers"] += 1
        # getattr: a loader from before furniture has no such fields (NEWSGEN_SRC).
        date, number = getattr(page, "issue_date", None), getattr(page, "page_number", None)
        got = {
            "paper": getattr(page, "paper", None),
            "date": [date.year, date.month, date.day] if date else None,
            "page": int("".join(c for c in number if c.isdigit())) if number else None,
            "page_name": getattr(page, "page_name", None),
        }
        if got == {k: header[k] for k in got}:
            score.furniture["header right"] += 1
        else:
            _show("header", page.source, "", got, header)
    kept = Counter(f.text for f in getattr(page, "furniture", ()))
    for line in furniture:
        score.furniture["expected"] += 1
        if kept[line["text"]]:
            kept[line["text"]] -= 1
            score.furniture["kept"] += 1


def _score_credits(score: Score, page: Page, credits: list[dict[str, Any]]) -> None:
    """The interns and photographers the bylines form added: each must be credited in the
    article its byline signs (one whose reporters include that byline's: a 简讯 column
    gathers the bylines of its items), and nowhere else."""
    assert score.credits is not None
    made_up = set(ADDED_PEOPLE)
    for role in ADDED_ROLES:
        found = [(set(a.reporters), name) for a in page.articles for name in getattr(a, role, ()) if name in made_up]
        score.credits[f"{role} predicted"] += len(found)
        for credit in credits:
            for name in credit[role]:
                score.credits[f"{role} expected"] += 1
                match = next((f for f in found if f[1] == name and set(credit["reporters"]) <= f[0]), None)
                if match is not None:
                    found.remove(match)
                    score.credits[f"{role} tp"] += 1
                else:
                    _show(role, page.source, name, "not credited", credit)


def _headline_ok(article: Article, truth: dict[str, Any]) -> tuple[bool, bool, bool]:
    """(title, heading parts) right by the truth or by another reading the text supports, and
    heading parts right by the truth alone: the page as printed, whether its text can tell or not."""
    title_ok = parts_ok = False
    printed = True
    for reading in [truth, *truth.get("readings", ())]:
        one_line = f"{reading.get('title')} {reading.get('subtitle')}"
        title_ok |= article.title == (reading.get("title") or "") or article.title == one_line
        parts_ok |= (article.column, article.kicker) == (reading.get("column"), reading.get("kicker")) and (
            article.subtitle == reading.get("subtitle") or (article.subtitle is None and article.title == one_line)
        )
        if reading is truth:
            printed = parts_ok
    return title_ok, parts_ok, printed


def _score_fields(score: Score, article: Article, truth: dict[str, Any]) -> None:
    assert score.right is not None and score.subheads is not None
    title_ok, parts_ok, printed = _headline_ok(article, truth)
    got = Counter(b.text for b in article.blocks if b.type == "subhead")
    want = Counter(truth.get("subheads", []))
    if got != want:
        _show("subheads", article.source, _key(truth), sorted(got), sorted(want))
    score.subheads["tp"] += sum((got & want).values())
    score.subheads["predicted"] += sum(got.values())
    score.subheads["expected"] += sum(want.values())
    if truth["kind"] != "article":
        score.right.update(["title", "heading parts", "heading parts as printed", "reporters", "correspondents",
                            "date", "district"])
        return
    checks = {
        "title": title_ok,
        "heading parts": parts_ok,
        "heading parts as printed": printed,
        "reporters": list(article.reporters) == truth["reporters"],
        "correspondents": list(article.correspondents) == truth["correspondents"],
        "date": _text_date(article) == _date(truth["date"]),
        # A text that also names another district (the generator's also_named) may get none.
        "district": article.district == _district(truth["district"])
        or (article.district is None and bool(truth.get("also_named"))),
    }
    score.right.update(name for name, ok in checks.items() if ok)
    got = {"title": article.title, "heading parts": (article.column, article.kicker, article.subtitle),
           "heading parts as printed": (article.column, article.kicker, article.subtitle),
           "reporters": article.reporters, "correspondents": article.correspondents,
           "date": _text_date(article), "district": article.district}
    parts = (truth.get("column"), truth.get("kicker"), truth.get("subtitle"))
    want = {"title": truth.get("title"), "heading parts": parts, "heading parts as printed": parts,
            "reporters": truth["reporters"], "correspondents": truth["correspondents"],
            "date": _date(truth["date"]), "district": _district(truth["district"])}
    for name, ok in checks.items():
        if not ok:
            _show(name, article.source, _key(truth), got[name], want[name])


def _show(column: str, source: str, key: str, got: object, want: object) -> None:
    if column in SHOW:
        print(f"{column}: {source}: {key[:30]}\n    got  {got!r}\n    want {want!r}", file=sys.stderr)


# --- the seeds --------------------------------------------------------------------------------


def _seed_pages() -> list[Page]:
    config = load_config(ROOT / "newsgen.yaml")
    pages = []
    for name in generate.SEED_FILES:
        pages.append(_extract(ROOT / "articles" / name, config.facts_for(f"articles/{name}")))
    return pages


def _extract(path: Path, facts: Any) -> Page:
    return extract_page(replace(read_page(path, Config()), facts=facts))


def freeze_seeds() -> None:
    with open(SEED_TRUTH, "w", encoding="utf-8", newline="\n") as out:
        for name, page in zip(generate.SEED_FILES, _seed_pages()):
            for a in page.articles:
                kind = "article" if a.title and "headline-only" not in a.flags else "briefs" if a.column else "trailer"
                record = {
                    "kind": kind, "file": name, "title": a.title, "column": a.column, "kicker": a.kicker,
                    "subtitle": a.subtitle, "reporters": list(a.reporters), "correspondents": list(a.correspondents),
                    "date": {"month": a.date.month, "day": a.date.day} if a.date.month or a.date.day else None,
                    "district": a.district, "subheads": [b.text for b in a.blocks if b.type == "subhead"],
                    "paragraphs": [b.text for b in a.blocks if b.type != "subhead"],
                }
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def _seed_truth() -> dict[str, list[dict[str, Any]]]:
    truth: dict[str, list[dict[str, Any]]] = {}
    for line in SEED_TRUTH.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        truth.setdefault(record["file"], []).append(record)
    return truth


def score_seeds(form: str, work: Path) -> Score:
    config = load_config(ROOT / "newsgen.yaml")
    score = Score()
    for name, truths in sorted(_seed_truth().items()):
        headings = {t[k] for t in truths for k in ("title", "column", "kicker", "subtitle") if t.get(k)}
        headings |= {s for t in truths for s in t["subheads"]}
        text = (ROOT / "articles" / name).read_text(encoding="utf-8")
        shaped = reshape(text, form, random.Random(f"seeds/{name}/{form}"), headings)
        path = work / name
        path.write_text(shaped.text, encoding="utf-8")
        page = _extract(path, config.facts_for(f"articles/{name}"))
        score_page(score, page, truths, shaped.furniture, shaped.page, shaped.credits)
    return score


# --- a synthetic archive ----------------------------------------------------------------------


def named_columns() -> tuple[str, ...]:
    """The generated paper's columns (`generate.COLUMNS`), as its archivist names them in
    newsgen.yaml's `columns` for pages printed without marks. Not every column heading of the
    seeds: `稳经济 促发展 强信心` heads a column in one seed and is a 引题 in the generator."""
    return tuple(generate.COLUMNS)


def score_synthetic(form: str, n: int, work: Path, columns: tuple[str, ...] = ()) -> Score:
    folder = work / f"synthetic-{form}{'-columns' if columns else ''}" / "articles"
    manifest = generate.generate_archive(n, folder, seed=0, form=form)
    truths: dict[str, list[dict[str, Any]]] = {}
    for record in manifest.articles + manifest.briefs + manifest.trailers:
        truths.setdefault(record["file"], []).append(record)
    furniture: dict[str, list[dict[str, Any]]] = {}
    for record in manifest.furniture:
        furniture.setdefault(record["file"], []).append(record)
    headers = {record["file"]: record for record in manifest.pages}
    credits: dict[str, list[dict[str, Any]]] = {}
    for record in manifest.credits:
        credits.setdefault(record["file"], []).append(record)
    archive = load_archive(Config(articles=(str(folder),), columns=columns))
    score = Score()
    for page in archive.pages:
        name = Path(page.source).name
        score_page(score, page, truths.get(name, []), furniture.get(name, []), headers.get(name), credits.get(name, []))
    return score


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(rows: Iterable[tuple[str, str, Score]]) -> str:
    head = ["corpus", "form", *COLUMNS, *ADDED_ROLES, "furniture kept", "header facts"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for corpus, form, score in rows:
        lines.append("| " + " | ".join([corpus, form, *(_cell(v) for v in score.row())]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic archive size (0: seeds only)")
    parser.add_argument("--forms", default=",".join(FORMS))
    parser.add_argument("--out", type=Path, help="keep the reshaped pages here (default: a temporary folder)")
    parser.add_argument("--show", default="", help="print the misses of these columns (comma-separated) on stderr")
    parser.add_argument("--freeze-seeds", action="store_true", help=f"write {SEED_TRUTH.name} and stop")
    args = parser.parse_args(argv)
    SHOW.update(c for c in args.show.split(",") if c)
    if args.freeze_seeds:
        freeze_seeds()
        return 0
    with tempfile.TemporaryDirectory(prefix="loader-accuracy-") as tmp:
        work = args.out or Path(tmp)
        rows = []
        for form in args.forms.split(","):
            seeds = work / f"seeds-{form}"
            seeds.mkdir(parents=True, exist_ok=True)
            rows.append(("seeds", form, score_seeds(form, seeds)))
            if args.articles:
                rows.append((f"synthetic {args.articles}", form, score_synthetic(form, args.articles, work)))
            if args.articles and form in MARKLESS_FORMS:
                rows.append((f"synthetic {args.articles}, columns named", form,
                             score_synthetic(form, args.articles, work, named_columns())))
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
