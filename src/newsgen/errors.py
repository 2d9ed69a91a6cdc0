"""Errors that reach the user: each names the file (and line) it is about."""

from __future__ import annotations

import re

EXIT_OK = 0
EXIT_CONTENT = 1  # bad input: a page file or the config
EXIT_USAGE = 2  # bad command line

# C0 controls, DEL and C1 controls: in a file name they could end the user's line or
# recolour the terminal, so that a crafted name forges what newsgen appears to print.
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with its control characters shown as `\\xNN` escapes, safe to print on one line."""
    return CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def located(source: str, line: int | None) -> str:
    """`source:line` (or just `source`) as a message starts, its controls escaped."""
    shown = printable(source)
    return f"{shown}:{line}" if line else shown


class NewsgenError(Exception):
    """A problem with the user's input, reported without a traceback."""

    exit_code = EXIT_CONTENT

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        if self.source is None:
            return self.message
        return f"{located(self.source, self.line)}: {self.message}"


class UsageError(NewsgenError):
    exit_code = EXIT_USAGE
