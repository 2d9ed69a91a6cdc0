"""Which folders newsgen may replace or delete: only the ones it made.

Every site newsgen writes carries a marker file at its root (`MARKER`). A build replaces an
output folder only when it is missing, empty, carries the marker, or is exactly the site the
last build recorded (a site built before the marker existed); any other folder is somebody
else's and is refused, naming it and what is in it. `--force` takes such a folder over, and
even then a folder that is or holds a git repository, the home folder, the working folder,
the page files, the config, the templates or the cache is refused.

The same marker tells a staging folder left by a killed build from a user's folder that
happens to have a similar name: only marked folders are ever cleaned up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from newsgen.errors import NewsgenError, UsageError

MARKER = ".newsgen-site"
MARKER_TEXT = (
    b"This folder was written by newsgen (a static site generator) and is rewritten by each\n"
    b"`newsgen build`. newsgen replaces or deletes a folder only when this file is in it.\n"
)
SHOWN_ENTRIES = 5  # names of a refused folder's entries put in the message


def output_path(output: str | os.PathLike[str], cwd: Path) -> Path:
    """The folder a build writes, as a shell would read the setting (`~` expanded), with
    symbolic links followed: a link to a folder elsewhere stays, and its target gets the site."""
    expanded = Path(os.path.expanduser(os.fspath(output)))
    if str(expanded).startswith("~"):
        raise UsageError(f"cannot expand {os.fspath(output)!r}: no such user")
    return (cwd / expanded).resolve()


def is_marked(folder: Path) -> bool:
    try:
        return (folder / MARKER).is_file()
    except OSError:
        return False


def mark(folder: Path) -> None:
    (folder / MARKER).write_bytes(MARKER_TEXT)


def _contents(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name + ("/" if entry.is_dir() else "") for entry in entries)
    except OSError as exc:
        raise NewsgenError(f"cannot read the output folder: {exc.strerror}", str(folder)) from None


def _holds(folder: Path, path: Path) -> bool:
    """`folder` is `path` or one of its parents."""
    return folder == path or folder in path.parents


def protected(
    out: Path, *, cwd: Path, articles: Iterable[Path], config: Path | None, templates: Iterable[Path], cache: Path
) -> str | None:
    """Why `out` must never be replaced, whatever the user says; None when it may be."""
    home = Path(os.path.expanduser("~")).resolve()
    reasons: list[tuple[bool, str]] = [
        (out == Path(out.anchor), "it is the root of the file system"),
        (_holds(out, cwd.resolve()), "it holds the working folder"),
        (_holds(out, home), "it holds your home folder"),
        (out.name == ".git" or any(p.name == ".git" for p in out.parents), "it is inside a git repository's .git"),
        ((out / ".git").exists(), "it is a git repository (it holds .git)"),
        (_holds(out, cache.resolve()), "it holds newsgen's cache"),
    ]
    reasons += [(_holds(out, a.resolve()), f"it holds the page files in {a}") for a in articles]
    reasons += [(_holds(out, t.resolve()), f"it holds the templates in {t}") for t in templates]
    if config is not None:
        reasons.append((_holds(out, config.resolve()), f"it holds the config file {config}"))
    for refused, why in reasons:
        if refused:
            return why
    return None


def check_output(out: Path, *, force: bool, recorded: frozenset[str] | None, **holds: object) -> None:
    """Refuse to build into `out` unless newsgen may replace it (see the module's doc).

    `recorded`: the files of the site the last build of `out` recorded, if any. `holds`: what
    `protected` needs (cwd, articles, config, templates, cache)."""
    why = protected(out, **holds)  # type: ignore[arg-type]
    if why is not None:
        raise UsageError(f"refusing to build into {out}: {why}")
    if not out.exists():
        return
    if not out.is_dir():
        raise UsageError(f"refusing to build into {out}: it is a file, not a folder")
    if force or is_marked(out):
        return
    names = _contents(out)
    if not names:
        return
    if recorded is not None and _only_recorded(out, recorded):
        return
    shown = ", ".join(names[:SHOWN_ENTRIES]) + (f" and {len(names) - SHOWN_ENTRIES} more" if len(names) > SHOWN_ENTRIES else "")
    raise NewsgenError(
        f"refusing to build into {out}: it is a folder newsgen did not make, holding {len(names)} "
        f"entries ({shown}). Choose another --output, empty it, or pass --force to replace it"
    )


def _only_recorded(out: Path, recorded: frozenset[str]) -> bool:
    """Every file under `out` is one the last build wrote there (a site built before the marker)."""
    for folder, _dirs, files in os.walk(out):
        prefix = Path(folder).relative_to(out).as_posix()
        for name in files:
            path = name if prefix == "." else f"{prefix}/{name}"
            if path not in recorded:
                return False
    return True
