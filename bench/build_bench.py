"""Build benchmark: newsgen against Hugo, Pelican and MkDocs-Material on the same articles.

    python bench/build_bench.py --sizes 1000,10000 [--peers hugo,pelican,mkdocs] [--out bench/out]
                                [--repeat N]

For each size it generates a synthetic archive (bench/generate.py), gives the peers the same
articles as one Markdown file each (title + the manifest's paragraphs), and runs five scenarios
per tool, each a fresh child process measured with ``os.wait4``:

  cold      output (and any build cache) moved away first (see ``Trash``)
  noop      the same build again, nothing changed
  add-page  one more page file (the generator's next file, ``per_file`` articles) added
  template  a comment appended to the base template (newsgen: templates/base.html in a copy
            of the repo's templates/; Hugo: layouts/_default/baseof.html; Pelican: a copy of
            the ``simple`` theme's base.html; MkDocs: overrides/main.html via custom_dir)
  add-after a second page file added after the template edit: what the build after an
            update of every page pays (newsgen deletes the files that update replaced while
            the builds after it run: ``newsgen.write.trash``)

Figures: wall time, CPU time (user+sys of the child and everything it waited for), peak RSS
(``ru_maxrss`` of the largest process in that tree), output size and file count, and the
search index size (newsgen: its output's ``search/`` folder; Material: search/search_index.json;
Hugo and Pelican have none).  A command that fails or times out is reported as such; the
harness itself carries on.  Peers are set up by the harness: Debian's ``hugo`` (apt-get install
if missing) and a scratch virtual environment ``<out>/peers-venv`` with pelican, markdown,
mkdocs, mkdocs-material and jieba; none of them is a project dependency.

With ``--repeat N`` every tool runs its five scenarios N times, from a fresh folder each time,
the tools taking turns (so a slow spell of the shared machine falls on all of them); the table
shows the median wall and CPU time of the rounds and the largest peak RSS.

Results: a Markdown table on stdout, also written to ``<out>/results.md`` and
``<out>/results.json``.  Never run as a test.

Before and after, side by side (no peers):

    python bench/build_bench.py --sizes 10000 --baseline REV [--repeat N]

newsgen at git revision REV ("before": ``git worktree add --detach`` in a temporary folder,
removed at the end, also on an error, Ctrl-C or SIGTERM; see bench/baseline.py) and the
working tree's ("after") build the same archive, each ``python -m newsgen`` with PYTHONPATH
at its own tree's src/ and its own templates/, in its own working folder. At each scenario
before and after run in turn, the order swapped every round. The table gives per scenario
the median wall seconds of each side and after/before, and the same for CPU seconds (steadier
on a busy machine). After each scenario of the first round the two sites' tree digests
(bench/tree_digest.py, search id masked) are compared. Written to ``<out>/results-baseline.md``
and ``.json``; exit status 1 if a build failed or the sites differ.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402  (bench/baseline.py: --baseline's checkout)
import generate  # noqa: E402  (bench/generate.py, stdlib only)
import site_kinds  # noqa: E402  (bench/site_kinds.py: where a site's files and bytes go)
import tree_digest  # noqa: E402  (bench/tree_digest.py)

SCENARIOS = ("cold", "noop", "add-page", "template", "add-after")
PEERS = ("hugo", "pelican", "mkdocs")
PEER_PACKAGES = ("pelican", "markdown", "mkdocs", "mkdocs-material", "jieba")
YEAR = 2024
MiB = 1024 * 1024
Page = tuple[Path, list[dict[str, Any]]]  # a page file the benchmark adds, and its manifest records


# --- running one measured command ------------------------------------------------------------


@dataclass
class Measure:
    tool: str
    size: int
    scenario: str
    status: str = "ok"  # ok | failed | timeout | skipped
    detail: str = ""
    wall_s: float | None = None
    cpu_s: float | None = None
    rss_mib: float | None = None
    output_mib: float | None = None
    pages_mb: float | None = None  # the GitHub Pages artifact (a tar), decimal MB
    upload_mb: float | None = None  # that tar as uploaded (deflated, level 6), decimal MB
    files: int | None = None
    search_mib: float | None = None
    command: list[str] = field(default_factory=list)
    log: str = ""
    rounds: list[dict[str, Any]] = field(default_factory=list)  # with --repeat: each round's figures
    kinds: list[dict[str, Any]] = field(default_factory=list)  # newsgen's cold site, by kind of file


def run_measured(cmd: list[str], cwd: Path, log: Path, timeout: float,
                 env: dict[str, str] | None = None) -> tuple[int | None, float, float, float, str]:
    """Run ``cmd``; return (exit code or None on timeout, wall s, cpu s, peak RSS MiB, error)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        except OSError as exc:
            return 127, 0.0, 0.0, 0.0, f"{type(exc).__name__}: {exc}"
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C / SIGTERM: the build is in its own session, stop it too
            kill()
            try:
                os.waitpid(proc.pid, 0)
            except BaseException:  # a second signal (timeout(1) signals the group too)
                pass
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss / 1024  # KiB on Linux
    if timed_out.is_set():
        return None, wall, cpu, rss, f"timed out after {timeout:.0f} s"
    return proc.returncode, wall, cpu, rss, ""


def tree_size(folder: Path) -> tuple[int, int]:
    total, count, _ = tree_sizes(folder)
    return total, count


def tree_sizes(folder: Path) -> tuple[int, int, int]:
    """(bytes of the files, files, bytes of a tar of the folder). The tar is what
    upload-pages-artifact packs and GitHub Pages' 1 GB limit is checked on: a 512-byte header
    per entry, each file padded to 512 bytes (a plain ustar estimate: no long-name records)."""
    total = count = tar = 0
    for dirpath, _dirs, names in os.walk(folder):
        tar += 512
        for name in names:
            try:
                size = os.lstat(os.path.join(dirpath, name)).st_size
            except FileNotFoundError:
                continue
            total += size
            count += 1
            tar += 512 + -(-size // 512) * 512
    return total, count, -(-(tar + 1024) // 10240) * 10240


def uploaded_size(folder: Path) -> int:
    """Bytes of the site as GitHub uploads it: upload-pages-artifact runs GNU tar over the
    folder (the command below) and hands the tar to upload-artifact@v4, which zips it at its
    default compression level, 6. deploy-pages compares the size of that upload with Pages'
    1 GB ("Uploaded artifact size of … bytes exceeds the allowed size of 1 GB"). Measured as
    the same tar deflated at level 6 by zlib (zip's few bytes of framing left out)."""
    import zlib

    tar = subprocess.Popen(
        ["tar", "--dereference", "--hard-dereference", "--directory", str(folder), "-cf", "-",
         "--exclude=.git", "--exclude=.github", "."], stdout=subprocess.PIPE)
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    size = 0
    assert tar.stdout is not None
    while chunk := tar.stdout.read(1 << 20):
        size += len(deflate.compress(chunk))
    if tar.wait() != 0:
        raise RuntimeError(f"tar failed on {folder}")
    return size + len(deflate.flush())


def edit_reached_output(folder: Path, stamp: str, limit: int = 200) -> bool:
    """Whether the stamp of the template edit shows in one of the first HTML files."""
    seen = 0
    for dirpath, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".html"):
                seen += 1
                with open(os.path.join(dirpath, name), "rb") as f:
                    if stamp.encode() in f.read():
                        return True
                if seen >= limit:
                    return False
    return False


def log_tail(log: Path, lines: int = 3) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text[-lines:])[:300]


# --- the tools -------------------------------------------------------------------------------


def _md_date(article: dict[str, Any]) -> str:
    date = article.get("date") or {}
    return f"{YEAR}-{date.get('month') or 1:02d}-{date.get('day') or 1:02d}"


def _slug(article: dict[str, Any]) -> str:
    return f"a{article['n']:07d}"


class Tool:
    """One site generator set up in its own working folder for one archive size."""

    name = "?"

    def __init__(self, work: Path, timeout: float) -> None:
        self.work = work
        self.timeout = timeout

    # set-up and the three mutations
    def prepare(self, articles_dir: Path, manifest: generate.Manifest) -> None: ...
    def add_articles(self, records: list[dict[str, Any]], new_page: Path) -> None: ...
    def edit_template(self, stamp: str) -> None: ...

    # the build itself
    def command(self) -> list[str]: ...
    def output(self) -> Path: ...
    def caches(self) -> list[Path]:
        return []

    def search_index(self) -> Path | None:
        return None

    def env(self) -> dict[str, str] | None:
        return None


class Newsgen(Tool):
    """newsgen from a source tree (the working tree, or --baseline's checkout of an older
    commit): ``python -m newsgen`` with PYTHONPATH=<tree>/src, the tree's templates/ copied
    into the working folder."""

    name = "newsgen"

    def __init__(self, work: Path, timeout: float, tree: Path = ROOT, name: str = "newsgen") -> None:
        super().__init__(work, timeout)
        self.tree = tree
        self.name = name

    def env(self) -> dict[str, str] | None:
        # PYTHONPATH replaced, not extended: an inherited one must not bring the other tree in
        return {**os.environ, "PYTHONPATH": str(self.tree / "src")}

    def prepare(self, articles_dir: Path, manifest: generate.Manifest) -> None:
        self.articles = self.work / "articles"
        shutil.copytree(articles_dir, self.articles)
        self.manifest = manifest
        # a private copy of the tree's templates/, so the template scenario edits no repo file
        shutil.copytree(self.tree / "templates", self.work / "templates")
        for extra in ("node_modules",):  # lunr.js etc., if newsgen looks beside the working folder
            source = ROOT / extra
            if source.exists() and not (self.work / extra).exists():
                (self.work / extra).symlink_to(source)
        self.exe = [sys.executable, "-m", "newsgen"]
        self.flags: list[str] = []
        # pass the template folder explicitly if the command offers a way to
        try:
            helptext = subprocess.run([*self.exe, "build", "--help"], capture_output=True,
                                      text=True, timeout=60, cwd=self.work, env=self.env()).stdout
        except (OSError, subprocess.SubprocessError):
            helptext = ""
        if "--templates" in helptext:
            self.flags = ["--templates", str(self.work / "templates")]
        if "--timings" in helptext:  # each build's split by stage, in its log
            self.flags.append("--timings")

    def add_articles(self, records: list[dict[str, Any]], new_page: Path) -> None:
        # at the path the manifest files it under (an editions archive: PAPER/DATE/NN.txt)
        target = self.articles / records[0].get("file", new_page.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new_page, target)

    def edit_template(self, stamp: str) -> None:
        base = self.work / "templates" / "base.html"
        if not base.exists():
            raise FileNotFoundError("templates/base.html does not exist (yet) in the repo")
        with open(base, "a", encoding="utf-8") as f:
            f.write(f"\n{{# bench edit {stamp} #}}<!-- bench edit {stamp} -->\n")

    def command(self) -> list[str]:
        return [*self.exe, "build", "--articles", str(self.articles), "--output",
                str(self.output()), *self.flags]

    def output(self) -> Path:
        return self.work / "site"

    def caches(self) -> list[Path]:
        return [self.work / ".newsgen-cache"]

    def search_index(self) -> Path | None:
        return self.output() / "search"


class Hugo(Tool):
    name = "hugo"
    CONFIG = """baseURL = "/"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
title = "报纸档案"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term"]
paginate = 20
"""
    BASEOF = """<!DOCTYPE html>
<html lang="zh">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
    SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "2006-01-02" }}</time>
{{ .Content }}</article>{{ end }}
"""
    LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
<ul>{{ range (.Paginate $pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""

    def prepare(self, articles_dir: Path, manifest: generate.Manifest) -> None:
        (self.work / "content" / "posts").mkdir(parents=True)
        layouts = self.work / "layouts" / "_default"
        layouts.mkdir(parents=True)
        (self.work / "config.toml").write_text(self.CONFIG, encoding="utf-8")
        (layouts / "baseof.html").write_text(self.BASEOF, encoding="utf-8")
        (layouts / "single.html").write_text(self.SINGLE, encoding="utf-8")
        (layouts / "list.html").write_text(self.LIST, encoding="utf-8")
        self.add_articles(manifest.articles, None)

    def add_articles(self, records: list[dict[str, Any]], new_page: Path | None) -> None:
        posts = self.work / "content" / "posts"
        for a in records:
            if a["kind"] != "article":
                continue
            front = (f"---\ntitle: {json.dumps(a['title'], ensure_ascii=False)}\n"
                     f"date: {_md_date(a)}\n---\n\n")
            (posts / f"{_slug(a)}.md").write_text(front + "\n\n".join(a["paragraphs"]) + "\n",
                                                  encoding="utf-8")

    def edit_template(self, stamp: str) -> None:
        # Go's html/template drops HTML comments, so the edit is a tag that reaches the output
        base = self.work / "layouts" / "_default" / "baseof.html"
        text = base.read_text(encoding="utf-8")
        base.write_text(text.replace("</head>", f'<meta name="bench-edit" content="{stamp}"></head>', 1),
                        encoding="utf-8")

    def command(self) -> list[str]:
        return [shutil.which("hugo") or "hugo", "--quiet", "--destination", str(self.output())]

    def output(self) -> Path:
        return self.work / "public"

    def caches(self) -> list[Path]:
        return [self.work / "resources", self.work / ".hugo_build.lock"]


class Pelican(Tool):
    name = "pelican"
    CONFIG = """AUTHOR = "本报"
SITENAME = "报纸档案"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_PAGINATION = 20
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
# Pelican's own content cache, so that the rebuild scenarios can use it
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""

    def __init__(self, work: Path, timeout: float, venv: Path) -> None:
        super().__init__(work, timeout)
        self.venv = venv

    def prepare(self, articles_dir: Path, manifest: generate.Manifest) -> None:
        (self.work / "content").mkdir(parents=True)
        (self.work / "pelicanconf.py").write_text(self.CONFIG, encoding="utf-8")
        theme = subprocess.run(
            [str(self.venv / "bin" / "python"), "-c",
             "import pelican, os; print(os.path.join(os.path.dirname(pelican.__file__), 'themes', 'simple'))"],
            capture_output=True, text=True, check=True, timeout=120).stdout.strip()
        shutil.copytree(theme, self.work / "theme")
        self.add_articles(manifest.articles, None)

    def add_articles(self, records: list[dict[str, Any]], new_page: Path | None) -> None:
        content = self.work / "content"
        for a in records:
            if a["kind"] != "article":
                continue
            head = f"Title: {a['title']}\nDate: {_md_date(a)}\nSlug: {_slug(a)}\n\n"
            (content / f"{_slug(a)}.md").write_text(head + "\n\n".join(a["paragraphs"]) + "\n",
                                                    encoding="utf-8")

    def edit_template(self, stamp: str) -> None:
        with open(self.work / "theme" / "templates" / "base.html", "a", encoding="utf-8") as f:
            f.write(f"<!-- bench edit {stamp} -->\n")

    def command(self) -> list[str]:
        return [str(self.venv / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o",
                str(self.output()), "-q"]

    def output(self) -> Path:
        return self.work / "output"

    def caches(self) -> list[Path]:
        return [self.work / "cache"]


class MkDocs(Tool):
    name = "mkdocs"
    # nav lists only the home page: without it every page would carry a 10,000-link nav tree
    # (quadratic output); the search plugin still indexes every page.
    CONFIG = """site_name: 报纸档案
nav:
  - index.md
theme:
  name: material
  language: zh
  custom_dir: overrides
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
"""
    MAIN = """{% extends "base.html" %}
"""

    def __init__(self, work: Path, timeout: float, venv: Path) -> None:
        super().__init__(work, timeout)
        self.venv = venv

    def prepare(self, articles_dir: Path, manifest: generate.Manifest) -> None:
        docs = self.work / "docs"
        docs.mkdir(parents=True)
        (self.work / "overrides").mkdir()
        (self.work / "mkdocs.yml").write_text(self.CONFIG, encoding="utf-8")
        (self.work / "overrides" / "main.html").write_text(self.MAIN, encoding="utf-8")
        (docs / "index.md").write_text("# 报纸档案\n\n区县报纸的可检索档案。\n", encoding="utf-8")
        self.add_articles(manifest.articles, None)

    def add_articles(self, records: list[dict[str, Any]], new_page: Path | None) -> None:
        docs = self.work / "docs"
        for a in records:
            if a["kind"] != "article":
                continue
            text = f"# {a['title']}\n\n" + "\n\n".join(a["paragraphs"]) + "\n"
            (docs / f"{_slug(a)}.md").write_text(text, encoding="utf-8")

    def edit_template(self, stamp: str) -> None:
        # a child template prints only its blocks: the edit overrides one
        (self.work / "overrides" / "main.html").write_text(
            self.MAIN + "{% block extrahead %}<!-- bench edit " + stamp + " -->{% endblock %}\n",
            encoding="utf-8")

    def command(self) -> list[str]:
        return [str(self.venv / "bin" / "mkdocs"), "build", "--quiet", "--site-dir",
                str(self.output())]

    def output(self) -> Path:
        return self.work / "site"

    def search_index(self) -> Path | None:
        return self.output() / "search" / "search_index.json"


# --- peer set-up -----------------------------------------------------------------------------


def setup_hugo(log: Callable[[str], None]) -> str:
    if shutil.which("hugo") is None:
        log("hugo missing: apt-get install -y hugo")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        done = subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], env=env,
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=900)
            subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], env=env,
                           capture_output=True, timeout=900, check=True)
    return subprocess.run(["hugo", "version"], capture_output=True, text=True,
                          timeout=60).stdout.strip()


def setup_venv(venv: Path, log: Callable[[str], None]) -> str:
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    probe = [str(python), "-c", "import pelican, markdown, mkdocs, material, jieba"]
    if subprocess.run(probe, capture_output=True, timeout=300).returncode != 0:
        log(f"installing {' '.join(PEER_PACKAGES)} into {venv}")
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        *PEER_PACKAGES], check=True, timeout=1800)
    freeze = subprocess.run([str(python), "-m", "pip", "freeze", "--disable-pip-version-check"],
                            capture_output=True, text=True, timeout=300).stdout
    wanted = {"pelican", "markdown", "mkdocs", "mkdocs-material", "jieba"}
    return ", ".join(line for line in freeze.splitlines()
                     if line.split("==")[0].lower() in wanted)


class Trash:
    """Where the benchmark puts the folders it is done with, deleted once every figure is taken.

    This machine's root file system is ext4 without a journal, and there ext4 will not reuse
    an inode freed in the last minute (six, while its inode table block is unwritten):
    ``find_inode_bit`` walks past every such free inode of a block group, a buffer lookup each
    (``recently_deleted``), before it takes one. Deleting the last round's folders right
    before a timed build made each file that build created cost up to 0.65 ms of kernel time
    instead of about 0.05 ms (perf: 68% of the samples of a create loop in
    ``recently_deleted``/``find_get_block_common``); a 10,000-article cold build spent 4.8–5.4 s
    in the kernel instead of 2.8 s. That cost belongs to the harness's deletions, not to the
    tool being timed, and it fell hardest on whichever tool writes the most files. Folders
    are therefore moved aside (a rename frees no inode) and deleted at the end of the run."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._count = 0

    def discard(self, path: Path) -> None:
        if not (path.exists() or path.is_symlink()):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        while (target := self.folder / f"{self._count:06d}-{path.name}").exists():
            self._count += 1
        path.rename(target)

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)



# --- one size --------------------------------------------------------------------------------


def ensure_archive(size: int, folder: Path, seed: int, per_file: int,
                   log: Callable[[str], None], by_issue: bool = False) -> generate.Manifest:
    articles = folder / "articles"
    path = generate.manifest_path(articles)
    if path.exists() and articles.is_dir():
        manifest = generate.Manifest.read(path)
        expected = {"articles": size, "seed": seed, "per_file": per_file,
                    "generator": generate.GENERATOR, "editions": by_issue or None}
        if all(manifest.header.get(k) == v for k, v in expected.items()) and \
                len(list(articles.rglob("*.txt"))) == manifest.header["files"]:
            return manifest
    started = time.perf_counter()
    manifest = generate.generate_archive(size, articles, seed=seed, per_file=per_file, by_issue=by_issue)
    log(f"generated {size} articles in {manifest.header['files']} files "
        f"({time.perf_counter() - started:.1f} s)")
    return manifest


def start_round(tool: Tool, size: int, articles: Path, manifest: generate.Manifest,
                trash: Trash) -> list[Measure]:
    """A fresh working folder for ``tool``, set up; on failure, a failed measure per scenario."""
    trash.discard(tool.work)
    tool.work.mkdir(parents=True)
    try:
        tool.prepare(articles, manifest)
    except Exception as exc:  # noqa: BLE001 - a broken set-up fails this tool only
        return [Measure(tool.name, size, s, "failed", f"set-up: {type(exc).__name__}: {exc}")
                for s in SCENARIOS]
    return []


def run_scenario(tool: Tool, size: int, scenario: str, extra: list[Page],
                 stamp: str, logs: Path, log: Callable[[str], None], trash: Trash,
                 round_: int = 0, upload: bool = True) -> Measure:
    """One scenario's change to the working folder, then its build, measured."""
    m = Measure(tool.name, size, scenario)
    try:
        if scenario == "cold":
            for path in [tool.output(), *tool.caches()]:
                trash.discard(path)
        elif scenario in ("add-page", "add-after"):
            page, records = extra[0 if scenario == "add-page" else 1]
            tool.add_articles(records, page)
        elif scenario == "template":
            tool.edit_template(stamp)
    except Exception as exc:  # noqa: BLE001
        m.status, m.detail = "failed", f"{type(exc).__name__}: {exc}"
        log(f"  {tool.name:8} {scenario:9} failed: {m.detail}")
        return m
    m.command = tool.command()
    logfile = logs / f"{tool.name}-{size}-{scenario}{f'-r{round_}' if round_ else ''}.log"
    m.log = str(logfile)
    # The last scenario's dirty pages are written back now, not during this one's timing.
    os.sync()
    code, wall, cpu, rss, error = run_measured(m.command, tool.work, logfile, tool.timeout,
                                                tool.env())
    m.wall_s, m.cpu_s, m.rss_mib = wall, cpu, rss
    if code is None:
        m.status, m.detail = "timeout", error
    elif code != 0:
        m.status = "failed"
        m.detail = error or f"exit {code}: {log_tail(logfile)}"
    if tool.output().exists():
        size_b, count, tar_b = tree_sizes(tool.output())
        m.output_mib, m.files, m.pages_mb = size_b / MiB, count, tar_b / 1e6
        # a minute at 100,000 articles; the other scenarios and rounds differ by bytes
        if upload and scenario == "cold" and round_ == 0:
            m.upload_mb = uploaded_size(tool.output()) / 1e6
        if scenario == "cold" and round_ == 0 and isinstance(tool, Newsgen):
            m.kinds = [asdict(k) for k in site_kinds.site_kinds(tool.output())]
    index = tool.search_index()
    if index is not None and index.exists():
        m.search_mib = (tree_size(index)[0] if index.is_dir() else index.stat().st_size) / MiB
    if scenario == "template" and m.status == "ok" and not edit_reached_output(tool.output(), stamp):
        m.detail = "the template edit did not reach the output (template not used?)"
    log(f"  {tool.name:8} {scenario:9} {m.status:7} wall {wall:7.2f} s  cpu {cpu:7.2f} s  "
        f"rss {rss:7.1f} MiB  out {m.output_mib or 0:8.1f} MiB  files {m.files or 0}"
        + (f"  {m.detail}" if m.detail else ""))
    return m


def bench_tool(tool: Tool, size: int, articles: Path, manifest: generate.Manifest,
               extra: list[Page], logs: Path,
               log: Callable[[str], None], trash: Trash, round_: int = 0) -> list[Measure]:
    """One round of the five scenarios for one tool, from a fresh working folder."""
    failed = start_round(tool, size, articles, manifest, trash)
    if failed:
        return failed
    stamp = f"{size}-{time.time_ns()}"
    return [run_scenario(tool, size, scenario, extra, stamp, logs, log, trash, round_)
            for scenario in SCENARIOS]


ROUND_FIGURES = ("wall_s", "cpu_s", "rss_mib")  # what varies from round to round


def median_of_rounds(rounds: list[Measure]) -> Measure:
    """One measure for several rounds of a scenario: the median wall and CPU time (the
    machine is shared: one slow round says little), the largest peak RSS, the sizes of the
    first round (a build gives the same output every time), every round's figures kept in
    ``rounds``. A round that did not succeed makes the whole measure that round's status."""
    first = rounds[0]
    merged = Measure(**{**asdict(first), "rounds": []})
    merged.rounds = [{k: getattr(m, k) for k in ROUND_FIGURES} | {"status": m.status} for m in rounds]
    bad = [m for m in rounds if m.status != "ok"]
    if bad:
        merged.status, merged.detail = bad[0].status, bad[0].detail
    for key in ROUND_FIGURES:
        values = [getattr(m, key) for m in rounds if getattr(m, key) is not None]
        # A memory limit holds only if it holds every time: the largest peak, not the median.
        pick = max if key == "rss_mib" else statistics.median
        setattr(merged, key, pick(values) if values else None)
    return merged


# --- the report ------------------------------------------------------------------------------


def _fmt(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


FIGURES = (("wall_s", "wall s"), ("cpu_s", "CPU s"), ("rss_mib", "peak RSS MiB"),
           ("output_mib", "output MiB"), ("pages_mb", "as a Pages tar, MB"),
           ("upload_mb", "uploaded (zipped tar), MB"), ("files", "files"),
           ("search_mib", "search index MiB"))


def report(results: list[Measure], sizes: list[int], peers: list[str], meta: dict[str, Any]) -> str:
    lines = ["# newsgen build benchmark", ""]
    for key, value in meta.items():
        lines.append(f"- {key}: {value}")
    lines.append("")
    by = {(m.tool, m.size, m.scenario): m for m in results}
    for size in sizes:
        lines += [f"## {size:,} articles", "",
                  "| tool | scenario | status | " + " | ".join(h for _, h in FIGURES) + " |",
                  "|---|---|---|" + "---:|" * len(FIGURES)]
        for tool in ("newsgen", *peers):
            for scenario in SCENARIOS:
                m = by.get((tool, size, scenario))
                if m is None:
                    continue
                status = m.status if m.status == "ok" else f"**{m.status}**"
                cells = [_fmt(getattr(m, k), 1 if k in ("rss_mib", "output_mib", "pages_mb", "upload_mb") else 2)
                         for k, _ in FIGURES]
                if m.status != "ok":  # figures of a failed run, for what they are worth
                    cells = [f"({c})" if c != "—" else c for c in cells]
                lines.append(f"| {tool} | {scenario} | {status} | " + " | ".join(cells) + " |")
        notes = [m for m in results if m.size == size and m.detail]
        if notes:
            lines.append("")
            for m in notes:
                lines.append(f"- {m.tool} {m.scenario}: {m.status}: {m.detail}")
        ratio_peers = [p for p in peers if any(k[0] == p and k[1] == size for k in by)]
        if ratio_peers:
            lines += ["", f"Ratios newsgen / peer ({size:,} articles; below 1 means newsgen is "
                          "smaller or faster; — where either side failed or has no figure):", "",
                      "| scenario | peer | " + " | ".join(h.replace(" MiB", "").replace(" s", "")
                                                         for _, h in FIGURES) + " |",
                      "|---|---|" + "---:|" * len(FIGURES)]
            for scenario in SCENARIOS:
                ours = by.get(("newsgen", size, scenario))
                for peer in ratio_peers:
                    theirs = by.get((peer, size, scenario))
                    cells = []
                    for key, _ in FIGURES:
                        a = getattr(ours, key) if ours and ours.status == "ok" else None
                        b = getattr(theirs, key) if theirs and theirs.status == "ok" else None
                        cells.append(f"{a / b:.2f}×" if a is not None and b else "—")
                    lines.append(f"| {scenario} | {peer} | " + " | ".join(cells) + " |")
        lines += kinds_tables(results, size)
        lines.append("")
    return "\n".join(lines)


def kinds_tables(results: list[Measure], size: int) -> list[str]:
    """Where each newsgen site of this size puts its files and bytes (its cold build)."""
    lines = []
    for m in results:
        if m.size == size and m.scenario == "cold" and m.kinds:
            kinds = [site_kinds.Kind(**k) for k in m.kinds]
            lines += ["", f"Where {m.tool}'s site goes ({size:,} articles, cold build):", "",
                      site_kinds.table(kinds, size)]
    return lines


def prepare_size(size: int, folder: Path, args: argparse.Namespace, meta: dict[str, Any],
                 log: Callable[[str], None]) -> tuple[generate.Manifest, list[Page]]:
    """The archive of ``size`` articles in ``folder/articles`` and the pages the add-page and
    add-after scenarios add (the generator's next two files, in ``folder/extra``); described
    in ``meta``."""
    manifest = ensure_archive(size, folder, args.seed, args.per_file, log, args.editions)
    articles = folder / "articles"
    scratch = folder / "extra"
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir()
    extra_manifest = generate.Manifest(dict(manifest.header), list(manifest.articles))
    extra = [generate.add_page_file(scratch, extra_manifest) for _ in range(2)]
    chars = sum(len(p) for a in manifest.articles for p in a["paragraphs"])
    meta[f"archive {size:,}"] = (
        f"{manifest.header['files']:,} page files, {len(manifest.articles):,} articles, "
        f"{chars / len(manifest.articles):.0f} body characters per article on average, "
        f"{sum(f.stat().st_size for f in articles.rglob('*.txt')) / MiB:.1f} MiB"
        f"{', filed by issue (--editions)' if args.editions else ''}"
        + "; added pages " + ", ".join(f"{page.name} ({sum(r['kind'] == 'article' for r in records)} articles)"
                                         for page, records in extra))
    return manifest, extra


# --- before and after: --baseline REV --------------------------------------------------------


def side_by_side(args: argparse.Namespace, sizes: list[int], out: Path, meta: dict[str, Any],
                 log: Callable[[str], None]) -> int:
    """newsgen at ``args.baseline`` ("before", a git worktree in a temporary folder) and the
    working tree's ("after") on the same archive, scenario by scenario: before and after take
    turns at each scenario (the order swapped every round), each in its own working folder.
    After each scenario of the first round, the two sites' tree digests (search id masked)."""
    repeat = max(1, args.repeat)
    meta["before"] = f"{args.baseline} = {baseline.describe(args.baseline)}"
    meta["after"] = baseline.working_tree()
    meta["rounds"] = (f"{repeat}: per scenario before and after in turn (order swapped every "
                      "round), each side from a fresh folder every round; times are medians")
    results: list[Measure] = []
    digests: list[tuple[int, str, tree_digest.SiteDigest | None, tree_digest.SiteDigest | None, list[str]]] = []
    trash = Trash(out / "trash")
    try:
        with baseline.checkout(args.baseline) as tree:
            baseline.compile_sources(ROOT / "src")
            for size in sizes:
                folder = out / (f"n{size}-editions" if args.editions else f"n{size}")
                log(f"== {size:,} articles: before {args.baseline} ({tree}) / after (working tree)")
                manifest, extra = prepare_size(size, folder, args, meta, log)
                articles = folder / "articles"
                sides = (Newsgen(folder / "work" / "before", args.timeout, tree, "before"),
                         Newsgen(folder / "work" / "after", args.timeout, ROOT, "after"))
                rounds: dict[tuple[str, str], list[Measure]] = {}
                for round_ in range(repeat):
                    log(f"-- round {round_ + 1} of {repeat}")
                    order = sides if round_ % 2 == 0 else sides[::-1]
                    ready = {}
                    for tool in order:
                        failed = start_round(tool, size, articles, manifest, trash)
                        ready[tool.name] = not failed
                        for m in failed:
                            rounds.setdefault((m.tool, m.scenario), []).append(m)
                    stamp = f"{size}-{time.time_ns()}"  # the same edit on both sides
                    for scenario in SCENARIOS:
                        for tool in order:
                            if ready[tool.name]:
                                m = run_scenario(tool, size, scenario, extra, stamp, out / "logs",
                                                 log, trash, round_, upload=False)
                                rounds.setdefault((m.tool, m.scenario), []).append(m)
                        if round_ == 0:
                            sites = [site_digest_or_none(t.output()) for t in sides]
                            diff = (tree_digest.differences(*sites) if None not in sites
                                    else ["a site is missing"])
                            digests.append((size, scenario, *sites, diff))
                            log(f"  digest    {scenario:9} {'match' if not diff else 'DIFFER'}")
                results += [median_of_rounds(ms) if len(ms) > 1 else ms[0] for ms in rounds.values()]
    finally:
        log(f"deleting the folders the benchmark is done with ({trash.folder})")
        trash.empty()
    text = side_by_side_report(results, digests, sizes, meta)
    (out / "results-baseline.md").write_text(text, encoding="utf-8")
    (out / "results-baseline.json").write_text(
        json.dumps({"meta": meta, "results": [asdict(m) for m in results],
                    "digests": [{"size": s, "scenario": sc, "before": a and a.line(),
                                 "after": b and b.line(), "differences": d}
                                for s, sc, a, b, d in digests]},
                   ensure_ascii=False, indent=1), encoding="utf-8")
    print(text)
    bad = any(m.status != "ok" for m in results) or any(d for _, _, _, _, d in digests)
    return 1 if bad else 0


def site_digest_or_none(site: Path) -> tree_digest.SiteDigest | None:
    return tree_digest.site_digest(site, mask_search_id=True) if site.is_dir() else None


def side_by_side_report(results: list[Measure], digests: list, sizes: list[int],
                        meta: dict[str, Any]) -> str:
    lines = ["# newsgen build benchmark: before and after, side by side", ""]
    lines += [f"- {key}: {value}" for key, value in meta.items()]
    by = {(m.tool, m.size, m.scenario): m for m in results}

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}" if a is not None and b else "—"

    for size in sizes:
        lines += ["", f"## {size:,} articles", "",
                  "| scenario | before (median s) | after (median s) | after/before "
                  "| before CPU s | after CPU s | CPU after/before |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for scenario in SCENARIOS:
            b, a = by.get(("before", size, scenario)), by.get(("after", size, scenario))
            cells = []
            for key in ("wall_s", "cpu_s"):
                vb = getattr(b, key) if b and b.status == "ok" else None
                va = getattr(a, key) if a and a.status == "ok" else None
                cells.append([_fmt(vb), _fmt(va), ratio(va, vb)])
            lines.append(f"| {scenario} | " + " | ".join(cells[0] + cells[1]) + " |")
        notes = [m for m in results if m.size == size and (m.detail or m.status != "ok")]
        if notes:
            lines.append("")
            lines += [f"- {m.tool} {m.scenario}: {m.status}: {m.detail}" for m in notes]
        lines += ["", "Tree digests (tree_digest.py --mask-search-id) after each scenario of the "
                  "first round:", "", "| scenario | before | after | same bytes |", "|---|---|---|---|"]
        for s, scenario, before, after, diff in digests:
            if s != size:
                continue
            lines.append(f"| {scenario} | {before.line() if before else '—'} | "
                         f"{after.line() if after else '—'} | {'yes' if not diff else '**no**'} |")
            if diff:
                lines += [f"  - {d}" for d in diff[:tree_digest.SHOWN]]
        lines += kinds_tables(results, size)
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="newsgen build benchmark against its peers")
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated article counts (default 1000,10000)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="comma-separated peers among hugo,pelican,mkdocs ('' for none)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-file", type=int, default=10)
    parser.add_argument("--editions", action="store_true",
                        help="the archive filed by issue under page header lines (generate.py --editions)")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds allowed to one build (default 3600)")
    parser.add_argument("--peers-up-to", type=int, default=10000, metavar="N",
                        help="run peers only for sizes up to N articles (default 10000)")
    parser.add_argument("--no-newsgen", action="store_true", help="measure the peers only")
    parser.add_argument("--no-peers", action="store_true", help="measure newsgen only (= --peers '')")
    parser.add_argument("--baseline", metavar="REV",
                        help="before and after: newsgen at git revision REV (a worktree in a "
                             "temporary folder) against the working tree's, interleaved; no peers")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="rounds of every tool's scenarios, interleaved; the table shows the "
                             "median times and the largest peak RSS (default 1)")
    args = parser.parse_args(argv)

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    peers = [] if args.no_peers or args.baseline else [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = sorted(set(peers) - set(PEERS))
    if unknown:
        parser.error(f"unknown peer(s): {', '.join(unknown)}")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    meta: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": ", ".join(f"{s:,}" for s in sizes),
        "measured": "wall = elapsed; CPU = user+sys of the build process tree (os.wait4); "
                    "peak RSS = ru_maxrss of the largest process in that tree",
    }
    if args.baseline:
        return side_by_side(args, sizes, out, meta, log)
    if args.repeat > 1:
        meta["rounds"] = (f"{args.repeat}: every tool's five scenarios from a fresh folder, the tools "
                          "taking turns; wall and CPU are the median of the rounds, peak RSS the largest "
                          "(each round's figures: results.json)")
    venv = out / "peers-venv"
    available: list[str] = []
    if "hugo" in peers:
        try:
            meta["hugo"] = setup_hugo(log)
            available.append("hugo")
        except Exception as exc:  # noqa: BLE001
            meta["hugo"] = f"unavailable: {exc}"
    if {"pelican", "mkdocs"} & set(peers):
        try:
            meta["peers venv"] = setup_venv(venv, log)
            available += [p for p in ("pelican", "mkdocs") if p in peers]
        except Exception as exc:  # noqa: BLE001
            meta["peers venv"] = f"unavailable: {exc}"
    peers = [p for p in PEERS if p in available]

    results: list[Measure] = []
    trash = Trash(out / "trash")  # emptied at the end: see Trash
    for size in sizes:
        folder = out / (f"n{size}-editions" if args.editions else f"n{size}")
        log(f"== {size:,} articles")
        manifest, extra = prepare_size(size, folder, args, meta, log)
        articles = folder / "articles"
        tools: list[Tool] = []
        if not args.no_newsgen:
            tools.append(Newsgen(folder / "work" / "newsgen", args.timeout))
        if size <= args.peers_up_to:
            for peer in peers:
                work = folder / "work" / peer
                tools.append(Hugo(work, args.timeout) if peer == "hugo"
                             else Pelican(work, args.timeout, venv) if peer == "pelican"
                             else MkDocs(work, args.timeout, venv))
        elif peers:
            meta[f"peers at {size:,}"] = f"not run (size above --peers-up-to {args.peers_up_to})"
        rounds: dict[tuple[str, str], list[Measure]] = {}
        for round_ in range(max(1, args.repeat)):
            if args.repeat > 1:
                log(f"-- round {round_ + 1} of {args.repeat}")
            for tool in tools:
                for m in bench_tool(tool, size, articles, manifest, extra, out / "logs", log, trash, round_):
                    rounds.setdefault((m.tool, m.scenario), []).append(m)
        results += [median_of_rounds(ms) if len(ms) > 1 else ms[0] for ms in rounds.values()]

    text = report(results, sizes, peers, meta)
    (out / "results.md").write_text(text, encoding="utf-8")
    (out / "results.json").write_text(
        json.dumps({"meta": meta, "results": [asdict(m) for m in results]}, ensure_ascii=False,
                   indent=1), encoding="utf-8")
    print(text)
    log(f"deleting the folders the benchmark is done with ({trash.folder})")
    trash.empty()
    return 0


if __name__ == "__main__":
    sys.exit(main())
