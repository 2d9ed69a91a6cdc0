"""`newsgen serve` (not implemented yet)."""

from __future__ import annotations

import argparse

from newsgen.commands.options import add_source_options
from newsgen.errors import NewsgenError

HELP = "serve the site (not implemented yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_options(parser)


def run(args: argparse.Namespace) -> int:
    raise NewsgenError("'serve' is not implemented yet")
