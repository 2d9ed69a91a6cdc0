"""Errors that reach the user: each names the file (and line) it is about."""

from __future__ import annotations

EXIT_OK = 0
EXIT_CONTENT = 1  # bad input: a page file or the config
EXIT_USAGE = 2  # bad command line


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
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


class UsageError(NewsgenError):
    exit_code = EXIT_USAGE
