"""An older commit checked out beside the working tree, for before/after benchmarks.

    with baseline.checkout("HEAD~1") as tree:   # tree/src, tree/templates, tree/node_modules
        ...

``checkout(rev)`` runs ``git worktree add --detach`` into a temporary folder, symlinks the
working tree's ``node_modules`` into it (newsgen looks for lunr.js above its sources), compiles
its ``src/`` (so the first timed run does not pay for the .pyc files) and removes the worktree
when the block ends, also on an error, Ctrl-C or SIGTERM (turned into KeyboardInterrupt while
the block runs). Used by build_bench.py and load_bench.py (``--baseline REV``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(*args: str, repo: Path = ROOT) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def describe(rev: str, repo: Path = ROOT) -> str:
    """``<short hash> <subject>`` of a revision, for a report."""
    return git("log", "-1", "--format=%h %s", rev, repo=repo)[:100]


def working_tree(repo: Path = ROOT) -> str:
    """The working tree as a report names it: HEAD, and whether src/ or templates/ are edited."""
    dirty = git("status", "--porcelain", "--", "src", "templates", repo=repo)
    return f"working tree ({describe('HEAD', repo)}{', with uncommitted changes' if dirty else ''})"


def compile_sources(src: Path) -> None:
    """Write the .pyc files now, so neither side's first timed run writes them."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=False,
                   capture_output=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def checkout(rev: str, repo: Path = ROOT) -> Iterator[Path]:
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}", repo=repo)
    folder = Path(tempfile.mkdtemp(prefix="newsgen-baseline-"))
    tree = folder / "tree"
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        git("worktree", "add", "--detach", str(tree), commit, repo=repo)
        modules = repo / "node_modules"
        if modules.exists() and not (tree / "node_modules").exists():
            (tree / "node_modules").symlink_to(modules.resolve())
        compile_sources(tree / "src")
        yield tree
    finally:
        if in_main:  # a second SIGTERM (timeout(1) signals the whole group) must not stop this
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            if tree.exists():
                done = subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)],
                                      capture_output=True, text=True)
                if done.returncode != 0:  # deleted by hand then, and git told it is gone
                    print(f"git worktree remove: {done.stderr.strip()}", file=sys.stderr)
                    shutil.rmtree(tree, ignore_errors=True)
                    subprocess.run(["git", "-C", str(repo), "worktree", "prune"], capture_output=True)
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            if in_main:
                signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # a quick look: python bench/baseline.py REV
    with checkout(sys.argv[1] if len(sys.argv) > 1 else "HEAD") as tree:
        print(tree, os.listdir(tree))
