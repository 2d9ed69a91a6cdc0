"""`newsgen export`: every article (or, with --pages, every page file) as one JSON object per line."""

from __future__ import annotations

import argparse
import json
import sys

from newsgen.extract import iter_pages, load_archive
from newsgen.commands.options import add_source_options, config_from_args
from newsgen.errors import NewsgenError
from newsgen.urls import article_url

HELP = "write every article as JSON Lines to stdout"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_options(parser)
    parser.add_argument(
        "--pages",
        action="store_true",
        help="one object per page file instead: its header facts and its furniture lines",
    )


def run(args: argparse.Namespace) -> int:
    if args.pages:
        return _pages(args)
    archive = load_archive(config_from_args(args))
    out = sys.stdout
    for page in archive.pages:
        # What the page is (paper, issue date, 版次, 版名) is each of its articles' too; the
        # page's paper is the article's, from the strongest source that names one.
        facts = page.facts_record()
        for article in page.articles:
            record = {**article.to_record(url=article_url(article)), **facts}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _pages(args: argparse.Namespace) -> int:
    out = sys.stdout
    for page in iter_pages(config_from_args(args)):
        if isinstance(page, NewsgenError):
            raise page
        out.write(json.dumps(page.to_record(), ensure_ascii=False) + "\n")
    out.flush()
    return 0
