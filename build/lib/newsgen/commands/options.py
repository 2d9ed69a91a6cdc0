"""Options several commands share, and turning them into a Config."""

from __future__ import annotations

import argparse

from newsgen.config import Config, load_config


def add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--articles",
        action="append",
        metavar="DIR_OR_FILE",
        help="page files or folders of them (repeatable; default: the config's articles folder)",
    )
    parser.add_argument("--config", metavar="FILE", help="config file (default: ./newsgen.yaml if present)")


def config_from_args(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    if getattr(args, "articles", None):
        config = config.with_overrides(articles=tuple(args.articles))
    return config
