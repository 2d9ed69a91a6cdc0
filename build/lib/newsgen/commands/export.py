"""`newsgen export`: every article as one JSON object per line."""

from __future__ import annotations

import argparse
import json
import sys

from newsgen.archive import load_archive
from newsgen.commands.options import add_source_options, config_from_args
from newsgen.urls import article_url

HELP = "write every article as JSON Lines to stdout"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_options(parser)


def run(args: argparse.Namespace) -> int:
    archive = load_archive(config_from_args(args))
    out = sys.stdout
    for article in archive.articles:
        record = article.to_record(url=article_url(article))
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0
