"""Record what an older newsgen's search answers, for tests/test_search_same_results.py.

    PYTHONPATH=src .venv/bin/python tests/oracles/record_results.py --rev REV [--out FILE]

Builds the seed pages and a 1,000-article synthetic archive (bench/generate.py, seed 0) with
git revision REV's newsgen (checked out beside the tree by bench/baseline.py), asks each site
in Chromium over file:// a fixed set of queries (substrings of one to eight characters of the
articles' text, two-word queries, titles, some with a district or year filter) through
``window.newsgen.search(q, {limit: 20, …})``, and writes every query with the articles it
returned, in order, to FILE (default tests/oracles/search_results.json). An article is named
``<page file name>#<place on the page>`` (``result_key``): its id depends on where the build
ran. The queries are drawn with a fixed seed from the articles as this tree loads them; they
are kept in the file, so the test replays exactly them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import baseline  # noqa: E402
from newsgen.index.chars import is_word_char, normalize  # noqa: E402
from newsgen.index.tokens import body_text, title_text  # noqa: E402
from test_search_support import generate_articles, load_articles  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LIMIT = 20
ASK = """async (qs) => { const out = [];
  for (const [q, o] of qs) out.push((await newsgen.search(q, Object.assign({limit: %d}, o))).map(r => r.url));
  return out; }""" % LIMIT


def draw_queries(articles: list, seed: str, count: int) -> list[list]:
    """[query, options] pairs: substrings, two words, titles, and filtered ones."""
    rng = random.Random(seed)
    texts = [normalize(title_text(a) + "\n" + body_text(a)) for a in articles]
    pieces: list[str] = []
    while len(pieces) < count:
        text = rng.choice(texts)
        n = rng.choice([1, 2, 2, 3, 4, 6, 8])
        at = rng.randrange(max(1, len(text) - n))
        piece = text[at : at + n]
        if len(piece) == n and not any(c.isspace() for c in piece) and is_word_char(piece[0]) and is_word_char(piece[-1]):
            pieces.append(piece)
    queries: list[list] = [[p, {}] for p in pieces]
    queries += [[f"{a} {b}", {}] for a, b in zip(pieces[0:20:2], pieces[1:20:2])]
    queries += [[a.title, {}] for a in rng.sample([a for a in articles if a.title], 10)]
    districts = sorted({a.district for a in articles if a.district})
    years = sorted({a.date.year for a in articles if a.date.year})
    for p in pieces[:10]:
        queries.append([p, {"district": rng.choice(districts)}])
        queries.append([p, {"year": rng.choice(years)}])
    return queries


def result_key(article: object) -> str:
    """An article as the record names it, whatever folder the site was built from."""
    return f"{Path(article.source).name}#{article.order}"  # type: ignore[attr-defined]


def keys_by_url(articles: list) -> dict[str, str]:
    from newsgen import urls

    return {urls.article_url(a): result_key(a) for a in articles}


def answers(site: Path, queries: list[list]) -> list[list[str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto((site / "search.html").as_uri())
        page.wait_for_function("() => window.newsgen && window.newsgen.search")
        got = page.evaluate(ASK, queries)
        browser.close()
    return got


def build(tree: Path, source: Path, site: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONHASHSEED": "0"}
    cmd = [sys.executable, "-m", "newsgen", "build", "--articles", str(source), "--output", str(site)]
    subprocess.run(cmd, cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", required=True)
    parser.add_argument("--out", default=str(Path(__file__).with_name("search_results.json")))
    args = parser.parse_args()
    record: dict = {"rev": baseline.describe(args.rev), "limit": LIMIT, "archives": {}}
    with tempfile.TemporaryDirectory() as scratch, baseline.checkout(args.rev) as tree:
        sources = {"seeds": tree / "articles", "1000": generate_articles(Path(scratch) / "n1000", 1000)}
        os.chdir(tree)  # where the builds run: the articles' ids are those of the sites
        for name, source in sources.items():
            articles = load_articles(source)
            queries = draw_queries(articles, f"same-results/{name}", 60)
            site = Path(scratch) / f"site-{name}"
            build(tree, source, site)
            key = keys_by_url(articles)
            got = answers(site, queries)
            record["archives"][name] = [[q, o, [key[u] for u in urls]] for (q, o), urls in zip(queries, got)]
    Path(args.out).write_text(dumps(record), encoding="utf-8")
    return 0


def dumps(record: dict) -> str:
    """The record as JSON with one query a line (readable diffs)."""
    one = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    lines = ["{", f'"rev":{one(record["rev"])},', f'"limit":{one(record["limit"])},', '"archives":{']
    names = list(record["archives"])
    for i, name in enumerate(names):
        rows = record["archives"][name]
        lines.append(f"{one(name)}:[")
        lines += [one(row) + ("," if j < len(rows) - 1 else "") for j, row in enumerate(rows)]
        lines.append("]" + ("," if i < len(names) - 1 else ""))
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
