"""Loader benchmark: load + extract a synthetic archive, serial, over processes and from the cache.

    .venv/bin/python bench/load_bench.py [--sizes 1000,10000] [--out bench/out]

Prints a table: articles, page files, wall seconds with one process, with one per core, and
with a warm page cache, and articles per second. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from newsgen.archive import PageCache, default_jobs, load_archive  # noqa: E402
from newsgen.config import Config  # noqa: E402


def timed(config: Config, **kwargs: object) -> tuple[float, int]:
    started = time.perf_counter()
    archive = load_archive(config, **kwargs)  # type: ignore[arg-type]
    return time.perf_counter() - started, len(archive.articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    jobs = default_jobs()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = args.out / f"load-n{size}" / "articles"
        if not folder.is_dir():
            generate.generate_archive(size, folder)
        os.chdir(folder.parent)
        config = Config(articles=("articles",))
        files = len(list(folder.iterdir()))
        serial, n = timed(config, jobs=1)
        parallel, _ = timed(config, jobs=jobs)
        cache_dir = Path(tempfile.mkdtemp(prefix="load-cache-"))
        try:
            timed(config, jobs=jobs, cache=PageCache(cache_dir))
            warm, _ = timed(config, jobs=jobs, cache=PageCache(cache_dir))
        finally:
            shutil.rmtree(cache_dir)
        rows.append((n, files, serial, parallel, warm))
    print(f"| articles | page files | 1 process s | {jobs} processes s | warm cache s | articles/s ({jobs} processes) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, files, serial, parallel, warm in rows:
        print(f"| {n:,} | {files:,} | {serial:.2f} | {parallel:.2f} | {warm:.2f} | {n / parallel:,.0f} |")


if __name__ == "__main__":
    main()
