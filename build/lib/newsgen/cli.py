"""The `newsgen` command line: one module per command under `newsgen.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newsgen import __version__
from newsgen.errors import EXIT_USAGE, NewsgenError

COMMANDS = ("build", "serve", "deploy", "export", "check")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message short
        self.print_usage(sys.stderr)
        print(f"newsgen: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsgen", description="Static archive sites for Chinese local newspapers.")
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"newsgen.commands.{name}")
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except NewsgenError as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("newsgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
