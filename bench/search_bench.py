"""Search benchmark: recall, precision, bytes and query time in a real (headless) Chromium.

    .venv/bin/python bench/search_bench.py [--archives seeds,1000,10000] [--queries 50]
                                           [--out bench/out/search] [--rebuild] [--json FILE]
                                           [--baseline REV]

For each archive (the seed pages, and synthetic archives of N articles made by
bench/generate.py from seed paragraphs, deterministic), builds the site with `newsgen build`,
draws a query set from the archive's own text and asks the built site, over file:// and over
http://127.0.0.1 (Python's http.server with HTTP/1.1 keep-alive, in a separate process):

kinds       2-char words (jieba's two-character words of article bodies), random 3–4 and 5–8
            character substrings of article bodies (no spaces, starting and ending with a letter
            or digit; punctuation inside is kept), and full article titles.
expected    every article whose title or text contains the query (letters compared lower-cased,
            as the search promises); for a title, the whole title with its spaces.
recall      |returned ∩ expected| / min(|expected|, 100), window.newsgen.search(q, {limit: 100})
precision   |returned ∩ expected| / |returned|
title hit   share of title queries whose own article ranks first
first-query bytes
            a fresh browser context opens search.html?q=<the kind's first query> and waits until
            the results list is shown; every file it read (page, stylesheet, scripts, index
            shards, result fragments) is summed at its size on disk. The first table shows the
            largest of the four kinds; the last one, for each kind of query, the worst of its
            first three queries (each in a fresh context) by kind of file, with how many shard,
            pack and filter files it read.
query time  in one page, each query of the set through the API with limit 10 (a page of
            results: ranked, verified, with titles) and, separately, with limit 100; median and
            95th percentile of the time until the promise resolves.
index size  everything the search stage wrote under search/ except lunr.js and search.js;
            "files" counts every file of search/ (lunr.js and search.js too).
--baseline  also builds each archive with git revision REV's newsgen (bench/baseline.py checks
            it out beside the tree) into site-before/ (kept for the next run with the same
            commit, named in site-before.commit) and measures both in the same browser,
            rows "before" and "after"; "same" is the share of queries (limit 100, per way of
            opening the site) whose result list after is the one before, URL for URL, in order.

Not a test: nothing is asserted; it prints a table (and --json writes the numbers).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import baseline  # noqa: E402

from newsgen.index.chars import is_word_char, normalize  # noqa: E402
from newsgen.index.tokens import Segmenter, body_text, title_text  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KINDS = ("2字词", "3–4字", "5–8字", "标题")
LIMIT = 100
INDEX_KINDS = ("shards", "cards", "texts", "fragments", "filters")
FIRSTS = 3  # first queries measured per kind (fresh browser context each)


# --- archives and sites ----------------------------------------------------------------------


def source_for(name: str, out: Path) -> Path:
    if name == "seeds":
        return ROOT / "articles"
    count = int(name)
    folder = out / f"n{count}" / "articles"
    if not folder.is_dir() or not any(folder.iterdir()):
        folder.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--articles", str(count), "--out", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


def build_site(source: Path, site: Path, rebuild: bool, tree: Path = ROOT) -> float | None:
    """Build ``source`` into ``site`` with the newsgen of ``tree`` (its src/ and templates/)."""
    if site.joinpath("search.html").is_file() and not rebuild:
        return None
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    cwd = tree
    if source.resolve().is_relative_to(ROOT / "articles"):  # the seeds: an article's id follows its path in the tree
        source = tree / source.resolve().relative_to(ROOT)
    elif source.resolve().is_relative_to(ROOT):
        # A synthetic archive under bench/out: built from this tree's folder by either side's
        # code, so that its page files' paths, and the articles' ids, are the same.
        cwd = ROOT
    subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--articles", str(source.resolve()), "--output", str(site.resolve())],
        cwd=cwd,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def same_revision(site: Path, tree: Path) -> bool:
    """Whether ``site`` was built by the baseline checkout ``tree`` at its commit (then it is
    kept, as the working tree's site is without --rebuild); the working tree's own site is
    always "the same". Marks the site with the commit when not."""
    if tree == ROOT:
        return True
    commit = baseline.git("rev-parse", "HEAD", repo=tree)
    mark = site.parent / f"{site.name}.commit"
    if mark.is_file() and mark.read_text().strip() == commit and site.joinpath("search.html").is_file():
        return True
    site.parent.mkdir(parents=True, exist_ok=True)
    mark.write_text(commit + "\n")
    return False


def load_articles(source: Path) -> list:
    from newsgen.extract import load_archive
    from newsgen.config import Config

    return list(load_archive(Config(articles=(str(source),)), strict=False).articles)


def index_sizes(site: Path) -> dict[str, int]:
    sizes = {"shards": 0, "fragments": 0, "manifest": 0, "code": 0, "files": 0}
    for path in (site / "search").rglob("*"):
        if not path.is_file():
            continue
        sizes["files"] += 1
        # f/: one fragment a document (before packs); d/: packs of documents
        kind = {"s": "shards", "f": "fragments", "d": "fragments"}.get(path.parent.name)
        if kind is None:
            # the filter table (loaded when a filter is used) is index data too
            kind = "manifest" if path.name in ("manifest.js", "filters.js") or path.parent.name == "filters" else "code"
        sizes[kind] += path.stat().st_size
    sizes["total"] = sizes["shards"] + sizes["fragments"] + sizes["manifest"]
    return sizes


# --- queries ---------------------------------------------------------------------------------


def substring(rng: random.Random, text: str, lo: int, hi: int) -> str | None:
    for _ in range(50):
        length = rng.randint(lo, hi)
        if len(text) < length:
            return None
        start = rng.randrange(len(text) - length + 1)
        piece = text[start : start + length]
        if any(ch.isspace() for ch in piece):
            continue
        if is_word_char(normalize(piece[0])[:1] or " ") and is_word_char(normalize(piece[-1])[-1:] or " "):
            return piece
    return None


def make_queries(articles: list, per_kind: int, seed: str) -> dict[str, list[str]]:
    rng = random.Random(seed)
    segmenter = Segmenter()
    bodies = [a for a in articles if body_text(a).strip()]
    out: dict[str, list[str]] = {kind: [] for kind in KINDS}
    guard = 0
    while any(len(v) < per_kind for v in out.values()) and guard < per_kind * 400:
        guard += 1
        a = rng.choice(bodies)
        text = a.blocks[rng.randrange(len(a.blocks))].text if a.blocks else body_text(a)
        if len(out["2字词"]) < per_kind:
            words = [w for w in segmenter.cut(text) if len(w) == 2 and all(map(is_word_char, normalize(w)))]
            if words:
                out["2字词"].append(rng.choice(words))
        for kind, lo, hi in (("3–4字", 3, 4), ("5–8字", 5, 8)):
            if len(out[kind]) < per_kind:
                piece = substring(rng, text, lo, hi)
                if piece:
                    out[kind].append(piece)
        if len(out["标题"]) < per_kind and a.title and a.title.strip():
            out["标题"].append(a.title.strip())
    return out


def expected(queries: dict[str, list[str]], articles: list, url_of) -> dict[str, set[str]]:
    texts = [(normalize(title_text(a) + "\n" + body_text(a)), url_of(a)) for a in articles]
    truth: dict[str, set[str]] = {}
    for qs in queries.values():
        for q in qs:
            if q not in truth:
                nq = normalize(q)
                truth[q] = {url for text, url in texts if nq in text}
    return truth


# --- browser ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A static file server with HTTP/1.1 keep-alive (http.server's default is HTTP/1.0: a new
# connection per file), in its own process so that it does not share the benchmark's GIL.
SERVER = """
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls
    def log_message(self, *args):
        pass
handler = functools.partial(Handler, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


class HttpServer:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port), str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("http.server did not start")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def resource_bytes(site: Path, base: str, names: list[str]) -> tuple[int, dict[str, int]]:
    """Sum the on-disk sizes of the files the page read, by kind; ``<kind> files`` counts the
    files of the index's kinds (shards, cards, texts, fragments, filters)."""
    kinds: dict[str, int] = {}
    total = 0
    for name in names:
        path = unquote(urlsplit(name).path)
        rel = path[len(urlsplit(base).path) :] if path.startswith(urlsplit(base).path) else path.lstrip("/")
        file = site / rel
        if not file.is_file():
            continue
        size = file.stat().st_size
        total += size
        if rel.startswith("search/s/"):
            kind = "shards"
        elif rel.startswith("search/c/"):
            kind = "cards"
        elif rel.startswith("search/t/"):
            kind = "texts"
        elif rel.startswith(("search/f/", "search/d/")):
            kind = "fragments"
        elif rel.startswith("search/filters/"):
            kind = "filters"
        elif rel.endswith(".js"):
            kind = rel.rsplit("/", 1)[-1]
        elif rel.endswith(".css"):
            kind = "css"
        else:
            kind = "page"
        kinds[kind] = kinds.get(kind, 0) + size
        if kind in INDEX_KINDS:
            kinds[kind + " files"] = kinds.get(kind + " files", 0) + 1
    return total, kinds


def first_query(browser, site: Path, base: str, query: str) -> tuple[int, dict[str, int], float]:
    context = browser.new_context()
    page = context.new_page()
    names: list[str] = []
    page.on("request", lambda request: names.append(request.url))
    started = time.perf_counter()
    page.goto(base + "search.html?q=" + quote(query))
    page.wait_for_selector("#search-results[data-state]", state="attached", timeout=60_000)
    elapsed = (time.perf_counter() - started) * 1000
    context.close()
    total, kinds = resource_bytes(site, base, names)
    return total, kinds, elapsed


TIMED = """async ([qs, limit]) => {
  const out = [];
  for (const q of qs) {
    const t = performance.now();
    const r = await window.newsgen.search(q, {limit});
    out.push({ms: performance.now() - t, urls: r.map(x => x.url)});
  }
  return out;
}"""


def session(browser, base: str, queries: list[str], limit: int) -> list[dict]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "search.html")
    page.wait_for_function("() => window.newsgen && window.newsgen.search")
    results = page.evaluate(TIMED, [queries, limit])
    context.close()
    return results


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def measure(browser, site: Path, base: str, queries: dict[str, list[str]], truth, titles) -> dict:
    flat = [q for kind in KINDS for q in queries[kind]]
    runs100 = session(browser, base, flat, LIMIT)
    runs10 = session(browser, base, flat, 10)
    by_query = dict(zip(flat, runs100))
    row: dict = {"kinds": {}}
    for kind in KINDS:
        recalls, precisions, hits = [], [], []
        for q in queries[kind]:
            got = by_query[q]["urls"]
            want = truth[q]
            good = sum(1 for u in got if u in want)
            recalls.append(good / min(len(want), LIMIT) if want else 1.0)
            if got:
                precisions.append(good / len(got))
            if kind == "标题":
                hits.append(1.0 if got and got[0] in titles.get(normalize(q), set()) else 0.0)
        row["kinds"][kind] = {
            "queries": len(queries[kind]),
            "recall": statistics.fmean(recalls) if recalls else None,
            "min_recall": min(recalls) if recalls else None,
            "precision": statistics.fmean(precisions) if precisions else None,
            "title_hit": statistics.fmean(hits) if hits else None,
        }
    row["urls100"] = {q: r["urls"] for q, r in by_query.items()}
    row["ms10"] = [r["ms"] for r in runs10]
    row["ms100"] = [r["ms"] for r in runs100]
    by_kind = {kind: [first_query(browser, site, base, q) for q in queries[kind][:FIRSTS]] for kind in KINDS}
    firsts = [f for fs in by_kind.values() for f in fs]
    worst = max(firsts, key=lambda f: f[0])
    row["first_bytes"] = worst[0]
    row["first_kinds"] = worst[1]
    row["first_bytes_all"] = [f[0] for f in firsts]
    row["first_by_kind"] = {kind: max(fs, key=lambda f: f[0])[1] | {"total": max(f[0] for f in fs)} for kind, fs in by_kind.items() if fs}
    row["first_ms"] = max(f[2] for f in firsts)
    return row


def measure_site(browser, name: str, side: str, site: Path, articles: list, queries, truth, titles) -> dict:
    """One built site's sizes and its measures over file:// and http."""
    sizes = index_sizes(site)
    entry = {
        "archive": name,
        "side": side,
        "articles": len(articles),
        "index": sizes,
        "index_bytes": sizes["total"],
        "per_article": sizes["total"] / max(1, len(articles)),
        "modes": {},
    }
    server = HttpServer(site)
    try:
        for mode, base in (("file://", site.resolve().as_uri() + "/"), ("http", server.url)):
            entry["modes"][mode] = measure(browser, site, base, queries, truth, titles)
            print(f"  {name} {side} {mode} done", file=sys.stderr)
    finally:
        server.close()
    return entry


def same_results(before: dict, after: dict) -> dict[str, float]:
    """Per way of opening the site: the share of queries whose result lists are equal."""
    out = {}
    for mode, row in after["modes"].items():
        old = before["modes"][mode]["urls100"]
        out[mode] = statistics.fmean(old[q] == urls for q, urls in row["urls100"].items())
    return out


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archives", default="seeds,1000,10000")
    parser.add_argument("--queries", type=int, default=50, help="queries per kind (default 50)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "search"))
    parser.add_argument("--rebuild", action="store_true", help="rebuild sites that exist")
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--baseline", help="git revision to measure beside the working tree")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTHONHASHSEED", "0")

    from newsgen import urls
    from playwright.sync_api import sync_playwright

    report = []
    with contextlib.ExitStack() as stack:
        before_tree = stack.enter_context(baseline.checkout(args.baseline)) if args.baseline else None
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in args.archives.split(","):
            source = source_for(name, out)
            folder = out / (name if name == "seeds" else f"n{name}")
            articles = load_articles(source)
            queries = make_queries(articles, args.queries, f"newsgen-search-bench/{name}")
            truth = expected(queries, articles, urls.article_url)
            titles: dict[str, set[str]] = {}
            for a in articles:
                if a.title:
                    titles.setdefault(normalize(a.title.strip()), set()).add(urls.article_url(a))
            sides = [("before", folder / "site-before", before_tree)] if before_tree else []
            sides.append(("after" if before_tree else "", folder / "site", ROOT))
            entries = []
            for side, site, tree in sides:
                built = build_site(source, site, args.rebuild or not same_revision(site, tree), tree)
                entry = measure_site(browser, name, side, site, articles, queries, truth, titles)
                entry["build_s"] = built
                entries.append(entry)
            if len(entries) == 2:
                entries[1]["same"] = same_results(entries[0], entries[1])
            report += entries
        browser.close()
    print(table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def table(report: list[dict]) -> str:
    head = (
        "| archive | side | articles | via | recall 2字词 / 3–4 / 5–8 / 标题 | precision (min of kinds) "
        "| title hit | same results | first query bytes | query ms, limit 10: median / p95 | limit 100: median / p95 "
        "| index total | per article | search/ files |"
    )
    lines = [head, "|" + "---|" * 14]
    for e in report:
        for mode, row in e["modes"].items():
            k = row["kinds"]
            rec = " / ".join(f"{k[kind]['recall']:.2f}" if k[kind]["recall"] is not None else "–" for kind in KINDS)
            precs = [k[kind]["precision"] for kind in KINDS if k[kind]["precision"] is not None]
            same = f"{e['same'][mode]:.3f}" if "same" in e else "–"
            lines.append(
                f"| {e['archive']} | {e['side']} | {e['articles']} | {mode} | {rec} | {min(precs):.3f} "
                f"| {k['标题']['title_hit']:.2f} | {same} | {row['first_bytes'] / 1000:.0f} kB "
                f"| {statistics.median(row['ms10']):.0f} / {pct(row['ms10'], 95):.0f} "
                f"| {statistics.median(row['ms100']):.0f} / {pct(row['ms100'], 95):.0f} "
                f"| {e['index_bytes'] / 1e6:.1f} MB | {e['per_article'] / 1000:.2f} kB | {e['index']['files']} |"
            )
    lines += [
        "",
        "| archive | side | via | first query: bytes by kind of file (largest of the four kinds) | first results in "
        "| shards / fragments or packs / manifest + filters | search code (lunr.min.js + search.js) | site build |",
        "|" + "---|" * 8,
    ]
    for e in report:
        for mode, row in e["modes"].items():
            parts = ", ".join(f"{k} {v / 1000:.1f}" if not k.endswith(" files") else f"{k} {v}" for k, v in sorted(row["first_kinds"].items(), key=lambda kv: -kv[1]))
            ix = e["index"]
            build = f"{e['build_s']:.0f} s" if e.get("build_s") else "(reused)"
            lines.append(
                f"| {e['archive']} | {e['side']} | {mode} | {parts} (kB) | {row['first_ms']:.0f} ms "
                f"| {ix['shards'] / 1e6:.2f} / {ix['fragments'] / 1e6:.2f} / {ix['manifest'] / 1e3:.1f} kB "
                f"| {ix['code'] / 1000:.1f} kB | {build} |"
            )
    lines += [
        "",
        f"| archive | side | via | query kind | first query (worst of its first {FIRSTS}): kB by kind of file, files of the index's kinds |",
        "|" + "---|" * 5,
    ]
    for e in report:
        for mode, row in e["modes"].items():
            for kind, parts in row.get("first_by_kind", {}).items():
                text = ", ".join(
                    f"{k} {v}" if k.endswith(" files") else f"{k} {v / 1000:.1f}"
                    for k, v in sorted(parts.items(), key=lambda kv: (kv[0] != "total", kv[0].endswith(" files"), -kv[1]))
                )
                lines.append(f"| {e['archive']} | {e['side']} | {mode} | {kind} | {text} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
