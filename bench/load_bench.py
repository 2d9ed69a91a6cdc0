"""Loader benchmark: load + extract a synthetic archive, serial, over processes and from the cache.

    .venv/bin/python bench/load_bench.py [--sizes 1000,10000] [--out bench/out]
    .venv/bin/python bench/load_bench.py --sizes 10000 --baseline main [--repeat 3]

Prints a table: articles, page files, wall seconds with one process, with one per core, and
with a warm page cache, and articles per second. With ``--baseline REV`` the loader of git
revision REV ("before", checked out beside it by bench/baseline.py) and the working tree's
("after") load the same archive in one run, each in a fresh process, interleaved ``--repeat``
times; the table gives median seconds and the change. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The loader under test: the working tree's, or (for --baseline) the one NEWSGEN_SRC names.
sys.path.insert(0, os.environ.get("NEWSGEN_SRC", str(HERE.parent / "src")))
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402  (bench/baseline.py: REV checked out beside the working tree)
import generate  # noqa: E402

from newsgen.config import Config  # noqa: E402

try:
    from newsgen.extract import PageCache, load_archive
    from newsgen.runtime import default_jobs
except ImportError:  # a --baseline revision from before the package was reshaped (issue 22)
    from newsgen.archive import PageCache, default_jobs, load_archive  # type: ignore[no-redef]


def timed(config: Config, **kwargs: object) -> tuple[float, int]:
    started = time.perf_counter()
    archive = load_archive(config, **kwargs)  # type: ignore[arg-type]
    return time.perf_counter() - started, len(archive.articles)


def cpu_timed(config: Config) -> float:
    """CPU seconds of a serial load: what other processes on the machine do not change."""
    started = time.process_time()
    load_archive(config, jobs=1)
    return time.process_time() - started


def archive_folder(out: Path, size: int) -> Path:
    folder = out / f"load-n{size}" / "articles"
    if not folder.is_dir():
        generate.generate_archive(size, folder)
    return folder


def measure(folder: Path, jobs: int) -> tuple[int, int, float, float, float, float]:
    os.chdir(folder.parent)
    config = Config(articles=("articles",))
    files = len(list(folder.iterdir()))
    serial, n = timed(config, jobs=1)
    cpu = cpu_timed(config)
    parallel, _ = timed(config, jobs=jobs)
    cache_dir = Path(tempfile.mkdtemp(prefix="load-cache-"))
    try:
        timed(config, jobs=jobs, cache=PageCache(cache_dir))
        warm, _ = timed(config, jobs=jobs, cache=PageCache(cache_dir))
    finally:
        shutil.rmtree(cache_dir)
    return n, files, serial, parallel, warm, cpu


def compare(args: argparse.Namespace, jobs: int) -> None:
    """Before (REV's loader) and after (the working tree's), interleaved, in fresh processes."""
    with baseline.checkout(args.baseline) as tree:
        baseline.compile_sources(HERE.parent / "src")
        sources = {"before": str(tree / "src"), "after": str(HERE.parent / "src")}
        runs: dict[tuple[str, int], list[list[float]]] = {}
        for size in (int(s) for s in args.sizes.split(",")):
            archive_folder(args.out, size)
            for _ in range(args.repeat):
                for label, src in sources.items():
                    result = subprocess.run(
                        [sys.executable, __file__, "--sizes", str(size), "--out", str(args.out), "--json"],
                        env={**os.environ, "NEWSGEN_SRC": src}, check=True, capture_output=True, text=True,
                    )
                    runs.setdefault((label, size), []).append(json.loads(result.stdout)[0])
    print(f"| loader | articles | 1 process s | 1 process CPU s | {jobs} processes s | warm cache s "
          f"| change (1 process / CPU / {jobs}) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (label, size), rows in runs.items():
        n, serial, parallel, warm, cpu = (statistics.median(r[i] for r in rows) for i in (0, 2, 3, 4, 5))
        base = runs[("before", size)]
        change = ""
        if label == "after":
            b_serial, b_parallel, b_cpu = (statistics.median(r[i] for r in base) for i in (2, 3, 5))
            pairs = ((serial, b_serial), (cpu, b_cpu), (parallel, b_parallel))
            change = " / ".join(f"{100 * (a / b - 1):+.1f}%" for a, b in pairs)
        name = f"{label} ({args.baseline})" if label == "before" else f"{label} (working tree)"
        print(f"| {name} | {int(n):,} | {serial:.2f} | {cpu:.2f} | {parallel:.2f} | {warm:.2f} | {change} |")
    print(f"medians of {args.repeat} runs each, interleaved")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--baseline", metavar="REV", help="also time git revision REV's loader (before vs after)")
    parser.add_argument("--repeat", type=int, default=1, help="with --baseline: runs of each, interleaved")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out = args.out.resolve()
    jobs = default_jobs()
    if args.baseline:
        compare(args, jobs)
        return
    rows = [measure(archive_folder(args.out, int(size)), jobs) for size in args.sizes.split(",")]
    if args.json:
        print(json.dumps(rows))
        return
    print(f"| articles | page files | 1 process s | {jobs} processes s | warm cache s "
          f"| articles/s ({jobs} processes) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, files, serial, parallel, warm, _ in rows:
        print(f"| {n:,} | {files:,} | {serial:.2f} | {parallel:.2f} | {warm:.2f} | {n / parallel:,.0f} |")


if __name__ == "__main__":
    main()
