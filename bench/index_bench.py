"""Search stage benchmark: ``SearchIndex`` of a synthetic archive, before and after, side by side.

    PYTHONPATH=src .venv/bin/python bench/index_bench.py --size 10000 --baseline REV [--repeat 5] [--jobs 1,2]

The archive (``out/n<size>/articles``, made by generate.py when missing) is loaded once per
run and per side, from a page cache of that side's own (not timed). Then, in a fresh process
per measurement, the index is built from nothing (no term cache) and every file of
``search/`` made, as the build's search child does: wall seconds, CPU seconds of the process
and the workers it forks, and the largest peak RSS of them. With ``--jobs 1`` everything runs
in one process, and the CPU is also split by phase: ``cut`` (every article's terms,
``cut_blocks``), ``postings`` (inverted and encoded, of which ``encode`` the posting lists'
text), ``packs`` (the documents' packs, deflated) and ``files`` (the shards deflated, the
manifest). Git revision REV's ``src/`` ("before", checked out by ``baseline.py``) and the
working tree's ("after") take turns, the order swapped every round; the table gives medians,
and whether both sides' files are the same bytes (the manifest's ``id``, which names the code,
masked). Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHASES = ("cut", "postings", "encode", "packs", "files")


def child(args: argparse.Namespace) -> None:
    """One measurement, printed as JSON (run with NEWSGEN_SRC at a side's sources)."""
    sys.path.insert(0, os.environ["NEWSGEN_SRC"])
    from newsgen import urls
    from newsgen.config import load_config
    from newsgen.extract import PageCache, load_archive
    from newsgen.index import SearchIndex, builder, postings

    os.chdir(args.articles.parent)
    cache = PageCache(Path(args.page_cache))
    # loaded in this process: no worker of the load counts in the figures
    articles = load_archive(load_config(None), jobs=1, cache=cache, paths=None).articles
    page_urls = {a.id: urls.article_url(a) for a in articles}
    spent = dict.fromkeys(PHASES, 0.0)

    def timed(module: object, name: str, phase: str) -> None:
        inner = getattr(module, name)

        def wrapper(*a: object, **k: object) -> object:
            started = time.process_time()
            try:
                return inner(*a, **k)
            finally:
                spent[phase] += time.process_time() - started

        setattr(module, name, wrapper)

    timed(builder, "cut_blocks", "cut")
    timed(postings, "_postings", "postings")
    timed(postings, "_packs", "packs")
    timed(postings, "encode_lists" if hasattr(postings, "encode_lists") else "encode_packed_entry", "encode")
    kids_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    index = SearchIndex(articles, page_urls, jobs=args.jobs, cache_dir=None)
    files_cpu = time.process_time()
    digest = hashlib.sha256()
    for path, data in index.files():
        if path.endswith("manifest.js"):
            data = re.sub(rb'"id":"[^"]*"', b'"id":"-"', data)
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    spent["files"] = time.process_time() - files_cpu
    wall = time.perf_counter() - wall
    own = time.process_time() - cpu
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, kids.ru_maxrss)
    kids_cpu = kids.ru_utime + kids.ru_stime - kids_before.ru_utime - kids_before.ru_stime
    print(json.dumps({"wall": wall, "cpu": own + kids_cpu, "rss_kb": rss, "digest": digest.hexdigest(), **spent}))


def run_side(src: Path, articles: Path, jobs: int, page_cache: Path) -> dict:
    """One measurement in a fresh process, with ``src`` as newsgen's sources."""
    env = {**os.environ, "NEWSGEN_SRC": str(src)}
    cmd = [sys.executable, __file__, "--child", "--articles", str(articles), "--page-cache", str(page_cache)]
    return json.loads(subprocess.run(cmd + ["--jobs", str(jobs)], env=env, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--baseline", metavar="REV", default="HEAD", help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--page-cache", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.jobs = int(args.jobs)
        return child(args)
    sys.path.insert(0, str(HERE))
    import baseline
    import generate

    args.out = args.out.resolve()
    articles = args.out / f"n{args.size}" / "articles"
    if not articles.is_dir():
        generate.generate_archive(args.size, articles)
    with baseline.checkout(args.baseline) as tree:
        baseline.compile_sources(HERE.parent / "src")
        sides = {"before": tree / "src", "after": HERE.parent / "src"}
        rows: dict[tuple[str, int], list[dict]] = {}
        for jobs in (int(j) for j in args.jobs.split(",")):
            for r in range(args.repeat):
                order = list(sides) if r % 2 == 0 else list(reversed(sides))
                for label in order:
                    cache = args.out / f"n{args.size}" / f"index-bench-pages-{label}"
                    got = run_side(sides[label], articles, jobs, cache)
                    rows.setdefault((label, jobs), []).append(got)
                    print(f"  round {r + 1} {label} jobs={jobs}: {got['wall']:.2f} s wall, {got['cpu']:.2f} s CPU", file=sys.stderr)
        report(rows, args, baseline.describe(args.baseline), baseline.working_tree())


def report(rows: dict[tuple[str, int], list[dict]], args: argparse.Namespace, before: str, after: str) -> None:
    med = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    print(f"SearchIndex at {args.size:,} articles (cold: no term cache), medians of {args.repeat} rounds")
    print(f"before: {before}\nafter: {after}\n")
    print("| side | jobs | wall s | CPU s | CPU after/before | cut | postings | (encode) | packs | files | peak RSS MiB | same bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for (label, jobs), runs in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0] != "before")):
        base = rows[("before", jobs)]
        ratio = f"{med(runs, 'cpu') / med(base, 'cpu'):.2f}" if label == "after" else ""
        phases = " | ".join(f"{med(runs, p):.2f}" if jobs == 1 else "" for p in PHASES)
        same = {r["digest"] for r in runs} == {r["digest"] for r in base} and len({r["digest"] for r in runs}) == 1
        rss = max(r["rss_kb"] for r in runs) / 1024
        print(f"| {label} | {jobs} | {med(runs, 'wall'):.2f} | {med(runs, 'cpu'):.2f} | {ratio} | {phases} | {rss:.0f} | {'yes' if same else 'NO'} |")
    print("\nphases (CPU s, jobs 1 only): cut = terms of every article; postings = inverted and encoded "
          "(encode: the lists' text, part of it); packs = documents' packs; files = shards deflated, manifest")


if __name__ == "__main__":
    main()
