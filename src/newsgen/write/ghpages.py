"""Publish a built site as a commit on a branch (gh-pages), as ghp-import does.

Only git plumbing is used: the files are hashed into the repository's object store, a tree
is made with a throw-away index file, and a commit on that tree is put on the branch. The
working tree, the real index and HEAD are never touched, so it is safe to deploy with
uncommitted work. `.nojekyll` (GitHub Pages would otherwise run Jekyll, which hides files
starting with `_`) and `CNAME` (a custom domain) are added to the commit only.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsgen.errors import NewsgenError
from newsgen.write.ownership import MARKER

FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "newsgen",
    "GIT_AUTHOR_EMAIL": "newsgen@localhost",
    "GIT_COMMITTER_NAME": "newsgen",
    "GIT_COMMITTER_EMAIL": "newsgen@localhost",
}


@dataclass(frozen=True)
class Deployment:
    branch: str
    remote: str
    commit: str  # the branch's commit after the deploy
    parent: str | None
    files: int
    changed: bool  # False: the branch already had exactly this site


class Git:
    def __init__(self, repo: Path):
        self.repo = repo

    def __call__(
        self,
        *args: str,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        process = subprocess.run(
            ["git", "-C", str(self.repo), *args],
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, **(env or {})},
        )
        if check and process.returncode != 0:
            detail = (process.stderr or process.stdout).strip().splitlines()
            raise NewsgenError(f"git {args[0]} failed: {detail[-1] if detail else process.returncode}")
        return process

    def out(self, *args: str, **kwargs: object) -> str:
        return self(*args, **kwargs).stdout.strip()  # type: ignore[arg-type]

    def ok(self, *args: str) -> bool:
        return self(*args, check=False).returncode == 0


# owner/name in the URLs and scp-like addresses git accepts for a github.com repository.
_GITHUB_REMOTE = re.compile(
    r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?github\.com(?::\d+)?/|[^@/]+@github\.com:)"
    r"(?P<repository>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$"
)


def github_repository(remote_url: str) -> str | None:
    """`owner/name` of a github.com remote URL, or None for any other."""
    found = _GITHUB_REMOTE.match(remote_url.strip())
    return found.group("repository") if found else None


def pages_url(repository: str, cname: str | None = None) -> str:
    """Where GitHub Pages publishes a repository's site: its custom domain, the user's or
    organisation's own site (`owner/owner.github.io`) at the root, any other repository in
    a folder named after it."""
    if cname:
        return f"https://{cname.strip().strip('/')}/"
    owner, name = repository.split("/", 1)
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"


def remote_repository(repo: Path, remote: str) -> str | None:
    """`owner/name` of the GitHub repository a remote (a name or a URL) points at."""
    process = subprocess.run(["git", "-C", str(repo), "remote", "get-url", remote], capture_output=True, text=True)
    return github_repository(process.stdout if process.returncode == 0 else remote)


def find_repository(start: Path) -> Path:
    try:
        process = subprocess.run(
            ["git", "-C", str(start), "rev-parse", "--show-toplevel"], capture_output=True, text=True
        )
    except FileNotFoundError:
        raise NewsgenError("git is not installed") from None
    if process.returncode != 0:
        raise NewsgenError(f"{start} is not in a git repository: deploy commits the site to a branch of one")
    return Path(process.stdout.strip())


def site_files(site: Path) -> list[tuple[str, Path]]:
    """(path in the commit, file) for every file of the site, sorted."""
    files = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            name = path.relative_to(site).as_posix()
            if name == MARKER:  # newsgen's own bookkeeping, not part of what is published
                continue
            if "\n" in name or "\t" in name:
                raise NewsgenError("a file name contains a line break or tab", name)
            files.append((name, path))
    return files


def _identity(git: Git) -> dict[str, str]:
    """The user's git identity when there is one; a neutral one otherwise (CI, fresh machines)."""
    if git.ok("var", "GIT_COMMITTER_IDENT") and git.ok("var", "GIT_AUTHOR_IDENT"):
        return {}
    return {k: v for k, v in FALLBACK_IDENTITY.items() if k not in os.environ}


def _remote_tip(git: Git, remote: str, branch: str) -> str | None:
    """The branch's commit on the remote, fetched so it can be the new commit's parent."""
    listing = git.out("ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if not listing:
        return None
    tip = listing.split()[0]
    git("fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}")
    return tip


def _tree(git: Git, files: Sequence[tuple[str, Path]], extra: Mapping[str, str]) -> str:
    with tempfile.TemporaryDirectory(prefix="newsgen-deploy-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        names = [name for name, _ in files if name not in extra]
        paths = "\n".join(str(path) for name, path in files if name not in extra)
        shas = git.out("hash-object", "-w", "--no-filters", "--stdin-paths", input=paths + "\n").split() if names else []
        entries = list(zip(names, shas, strict=True))
        for name, content in sorted(extra.items()):
            entries.append((name, git.out("hash-object", "-w", "--no-filters", "--stdin", input=content)))
        info = "".join(f"100644 {sha}\t{name}\0" for name, sha in sorted(entries))
        git("update-index", "--add", "-z", "--index-info", input=info, env=env)
        return git.out("write-tree", env=env)


def deploy_site(
    site: Path,
    *,
    repo: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str,
    cname: str | None = None,
    push: bool = True,
) -> Deployment:
    if not (site / "index.html").is_file():
        raise NewsgenError(f"{site} holds no built site (no index.html): run newsgen build first")
    git = Git(repo)
    if not git.ok("check-ref-format", "--branch", branch):
        raise NewsgenError(f"{branch!r} is not a valid branch name")
    head = git("symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
    if head == f"refs/heads/{branch}":
        raise NewsgenError(f"the working tree has {branch} checked out: switch to another branch to deploy")

    parent = _remote_tip(git, remote, branch) if push else None
    local = git("rev-parse", "-q", "--verify", f"refs/heads/{branch}^{{commit}}", check=False).stdout.strip() or None
    parent = parent or local

    files = site_files(site)
    extra = {".nojekyll": ""}
    if cname:
        extra["CNAME"] = cname.strip() + "\n"
    tree = _tree(git, files, extra)
    count = len({name for name, _ in files} | set(extra))

    if parent and git.out("rev-parse", f"{parent}^{{tree}}") == tree:
        commit, changed = parent, False
    else:
        parents = ["-p", parent] if parent else []
        commit = git.out("commit-tree", tree, *parents, "-m", message, env=_identity(git))
        changed = True
    git("update-ref", "-m", "newsgen deploy", f"refs/heads/{branch}", commit)
    if push:
        git("push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
    return Deployment(branch, remote, commit, parent, count, changed)
