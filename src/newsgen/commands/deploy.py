"""`newsgen deploy` (not implemented yet)."""

from __future__ import annotations

import argparse

from newsgen.commands.options import add_source_options
from newsgen.errors import NewsgenError

HELP = "deploy the site (not implemented yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_options(parser)


def run(args: argparse.Namespace) -> int:
    raise NewsgenError("'deploy' is not implemented yet")
