"""A build killed at any moment (SIGKILL, SIGTERM, Ctrl-C) leaves no process running, no lock
held, no staging folder, and the next build gives the clean build's site, byte for byte.

These run real `newsgen build` processes over a generated 10,000-article archive."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsgen.config import Config
from newsgen.pipeline import build
from newsgen.write.state import StateStore

from bench_modules import bench_module
from trees import digest_tree

ROOT = Path(__file__).resolve().parents[1]
# PYTHONFAULTHANDLER: a build that hangs is sent SIGABRT and prints every thread's stack.
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": "0", "PYTHONFAULTHANDLER": "1"}
NEXT_BUILD_LIMIT = 300  # seconds: the build after a killed one must finish, never hang





@dataclass
class Archive:
    folder: Path  # holds articles/
    clean: dict[str, str]  # the clean build's files


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    folder = tmp_path_factory.mktemp("killed")
    bench_module("generate").generate_archive(10_000, folder / "articles")
    done = run(folder, "build", "--output", str(folder / "clean"))
    assert done.returncode == 0, done.stderr
    return Archive(folder, digest_tree(folder / "clean"))


def run(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsgen", *args], cwd=work, env=ENV, capture_output=True, text=True,
        timeout=NEXT_BUILD_LIMIT,
    )


def start(work: Path, *args: str) -> subprocess.Popen[str]:
    """A build in a session of its own: every process it forks stays in that session."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsgen", *args], cwd=work, env=ENV, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )


def session_processes(sid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":  # field 6 of stat: the session id
                found.append(int(entry.name))
    return found


def assert_nothing_left_running(sid: int) -> None:
    # The kernel kills a dead build's workers at once (PR_SET_PDEATHSIG): the grace here is
    # for a loaded machine, far less than the seconds a stray worker would go on working.
    deadline = time.monotonic() + 3
    while session_processes(sid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert session_processes(sid) == [], "processes of the killed build are still running"


def kill_when(process: subprocess.Popen[str], ready, how: int, group: bool = False) -> tuple[int, str]:  # noqa: ANN001
    """Send `how` to the build once `ready()` holds; the build must still be running then."""
    while not ready() and process.poll() is None:
        time.sleep(0.02)
    if process.poll() is None:
        (os.killpg if group else os.kill)(process.pid, how)
    try:
        _, err = process.communicate(timeout=NEXT_BUILD_LIMIT)
    except subprocess.TimeoutExpired:
        left = session_processes(process.pid)
        for pid in left:  # each prints where its threads are (PYTHONFAULTHANDLER), and ends
            os.kill(pid, signal.SIGABRT)
        _, err = process.communicate(timeout=30)
        pytest.fail(f"the stopped build had not ended after {NEXT_BUILD_LIMIT} s (processes {left}):\n{err}")
    assert process.returncode != 0, "the build finished before it was killed: the test tested nothing"
    return process.returncode, err


def staged(work: Path, out: Path) -> int:
    """Files in the build's staging folder so far (-1 before it is made)."""
    folders = list(work.glob(f"{out.name}.tmp-*"))
    return sum(len(files) for folder in folders for _, _, files in os.walk(folder)) if folders else -1


def moment(work: Path, out: Path, total: int, name: str):  # noqa: ANN201
    """When to kill, by what the build has done: a second in (loading), the staging folder
    made (rendering begins), half or four fifths of the site's files written."""
    started = time.monotonic()
    return {
        "loading": lambda: time.monotonic() - started > 1.0,
        "staging": lambda: staged(work, out) >= 0,
        "half": lambda: staged(work, out) >= total // 2,
        "most": lambda: staged(work, out) >= total * 4 // 5,
    }[name]


def fresh_output(archive: Archive, name: str) -> Path:
    out = archive.folder / name
    shutil.rmtree(out, ignore_errors=True)
    return out


def assert_next_build_is_clean(archive: Archive, out: Path) -> None:
    done = run(archive.folder, "build", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    got = digest_tree(out)
    assert sorted(p for p in got.keys() | archive.clean.keys() if got.get(p) != archive.clean.get(p)) == []
    assert not list(archive.folder.glob(f"{out.name}.tmp-*")) and not list(archive.folder.glob(f"{out.name}.old-*"))


@pytest.mark.parametrize(
    ("how", "when"),
    [
        (signal.SIGKILL, "loading"),
        (signal.SIGKILL, "half"),
        (signal.SIGKILL, "most"),
        (signal.SIGTERM, "staging"),
        (signal.SIGTERM, "most"),
    ],
)
def test_a_killed_full_build(archive: Archive, how: int, when: str) -> None:
    out = fresh_output(archive, f"site-{how}-{when}")
    # --clean: with the caches the clean build left, loading would be over before a second.
    process = start(archive.folder, "build", "--clean", "--output", str(out))
    code, err = kill_when(process, moment(archive.folder, out, len(archive.clean), when), how)
    assert_nothing_left_running(process.pid)
    if how == signal.SIGTERM:
        assert code == 128 + signal.SIGTERM and err.strip() == "newsgen: stopped", err
    assert_next_build_is_clean(archive, out)


def test_a_killed_update_and_an_interrupted_one(archive: Archive) -> None:
    """Builds over a site that exists: killed while the incremental update renders or moves
    files in (SIGKILL), and interrupted by Ctrl-C at the terminal (SIGINT to the group)."""
    out = fresh_output(archive, "site-update")
    assert run(archive.folder, "build", "--output", str(out)).returncode == 0
    templates = archive.folder / "templates"
    for number, (how, group, when) in enumerate([(signal.SIGKILL, False, "half"), (signal.SIGINT, True, "staging")]):
        templates.mkdir(exist_ok=True)
        shutil.copy(ROOT / "templates" / "base.html", templates / "base.html")
        text = (templates / "base.html").read_text(encoding="utf-8")
        (templates / "base.html").write_text(text.replace("</body>", f"<!-- {number} --></body>"), encoding="utf-8")
        process = start(archive.folder, "build", "--output", str(out))
        pages = sum(1 for path in archive.clean if path.endswith(".html"))  # what a template edit re-renders
        code, err = kill_when(process, moment(archive.folder, out, pages, when), how, group=group)
        assert_nothing_left_running(process.pid)
        if how == signal.SIGINT:
            assert code == 130 and err.strip() == "newsgen: interrupted", err
        shutil.rmtree(templates)
        assert_next_build_is_clean(archive, out)


def test_a_lock_left_by_a_dead_build_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    store = StateStore.for_output(tmp_path / "cache", tmp_path / "site")
    store.folder.mkdir(parents=True)
    (store.folder / "lock").write_text(dead.stdout)
    said: list[str] = []
    build(Config(), output=tmp_path / "site", articles=[], cwd=tmp_path, cache_dir=tmp_path / "cache", search=False,
          notify=said.append)
    assert said == [f"a build of site/ (pid {dead.stdout.strip()}) was stopped before it finished; cleaning up after it"]
    assert (store.folder / "lock").read_text() == ""


def test_a_live_lock_holder_is_named_and_waited_for(tmp_path: Path) -> None:
    store = StateStore.for_output(tmp_path / ".newsgen-cache", (tmp_path / "site").resolve())
    store.folder.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         f"f = open({str(store.folder / 'lock')!r}, 'a+'); fcntl.lockf(f, fcntl.LOCK_EX)\n"
         "f.write(f'{os.getpid()}\\n'); f.flush(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        (tmp_path / "articles").mkdir()
        shutil.copy(sorted((ROOT / "articles").glob("*.txt"))[0], tmp_path / "articles" / "p.txt")
        waiting = start(tmp_path, "build", "--jobs", "1")
        assert waiting.stderr is not None
        line = waiting.stderr.readline()
        assert line.strip() == f"newsgen: another build of site/ is running (pid {holder.pid}); waiting for it to finish"
        assert waiting.poll() is None
    finally:
        holder.kill()
        holder.wait()
    assert waiting.wait(timeout=NEXT_BUILD_LIMIT) == 0
