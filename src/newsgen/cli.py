"""The `newsgen` command line: one module per command under `newsgen.commands`."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool

from newsgen import __version__
from newsgen.errors import EXIT_CONTENT, EXIT_USAGE, NewsgenError

COMMANDS = ("build", "serve", "deploy", "export", "check")


def count(n: int, noun: str) -> str:
    """`1 article`, `2 articles`: English messages say the number as a reader would."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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


class Stopped(KeyboardInterrupt):
    """SIGTERM (`kill`, `timeout`, a CI cancel), handled as Ctrl-C is: the build cleans up."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_forking = False  # between the first and the last of Python's at-fork hooks, in this process
_deferred: int | None = None  # a stop that arrived then


def _stop(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM: raise, unless inside an at-fork hook, where Python ignores what is
    raised (printing "Exception ignored") and the build would go on to the end. There the
    stop is kept and delivered a millisecond later, in the build's own code."""
    global _deferred
    if _forking:
        _deferred = signum
        return
    raise KeyboardInterrupt if signum == signal.SIGINT else Stopped(signum)


def _deliver_deferred(signum: int, frame: object) -> None:
    global _deferred
    pending, _deferred = _deferred, None
    if pending is not None:
        _stop(pending, frame)


def _fork_begins() -> None:
    global _forking
    _forking = True


def _fork_ends_in_parent() -> None:
    global _forking
    _forking = False
    if _deferred is not None:
        signal.setitimer(signal.ITIMER_REAL, 0.001)


def _fork_ends_in_child() -> None:
    global _forking, _deferred
    _forking, _deferred = False, None  # the stop was the parent's


_fork_guarded = False


def _guard_forks() -> None:
    """Keep a stop from landing inside an at-fork hook (see `_stop`). Registered once, after
    every module that registers hooks of its own is imported (logging, and
    concurrent.futures.thread, which the pools import later): its `before` runs first and its
    `after_in_parent` last, so the window covers every other hook."""
    global _fork_guarded
    if _fork_guarded:
        return
    _fork_guarded = True
    importlib.import_module("concurrent.futures.thread")
    os.register_at_fork(before=_fork_begins, after_in_parent=_fork_ends_in_parent, after_in_child=_fork_ends_in_child)


@contextlib.contextmanager
def terminable() -> Iterator[None]:
    _guard_forks()
    handlers = {how: signal.signal(how, _stop) for how in (signal.SIGINT, signal.SIGTERM)}
    handlers[signal.SIGALRM] = signal.signal(signal.SIGALRM, _deliver_deferred)
    try:
        yield
    finally:
        for how, previous in handlers.items():
            signal.signal(how, previous)


def stopped_exit_code(exc: KeyboardInterrupt) -> int:
    """The exit code of a process a signal stopped, as a shell reports it: 128 + the signal."""
    return 128 + (exc.signum if isinstance(exc, Stopped) else signal.SIGINT)


def system_error(exc: BaseException) -> str:
    """One line for an error of the system, not of newsgen's input: what failed, on what path."""
    if isinstance(exc, MemoryError):
        return "out of memory (try --jobs 1, or a machine with more memory)"
    if isinstance(exc, BrokenProcessPool):
        return "a worker process died (out of memory, or killed): try --jobs 1"
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
        return f"{' → '.join(paths)}: {reason}" if paths else reason
    return str(exc)


def run() -> None:
    """The `newsgen` command: `main()`, then leave without tearing the interpreter down.

    A build at 100,000 articles leaves millions of objects (module caches, the collector's
    frozen generation) that an orderly exit frees one by one, for seconds, to no purpose:
    the process ends anyway. Every file and lock is closed and every child is reaped before
    `main()` returns, so only the standard streams need flushing (Mercurial exits the same way).
    """
    try:
        code = main()
    except SystemExit as exc:  # --help, --version, a usage error: argparse's own exits
        if not (exc.code is None or isinstance(exc.code, int)):
            raise
        code = exc.code or 0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken pipe
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        # `newsgen` alone asks what it can do: the help, on stdout, and exit 0, as `newsgen
        # --help` does, rather than argparse's "the following arguments are required".
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    try:
        with terminable():
            return int(args.run(args))
    except NewsgenError as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt as exc:
        print("newsgen: stopped" if isinstance(exc, Stopped) else "newsgen: interrupted", file=sys.stderr)
        return stopped_exit_code(exc)
    except (OSError, MemoryError, BrokenProcessPool) as exc:
        print(f"newsgen: error: {system_error(exc)}", file=sys.stderr)
        return EXIT_CONTENT
