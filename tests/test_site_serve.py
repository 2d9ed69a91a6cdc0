"""`newsgen serve`: builds, serves on 127.0.0.1, rebuilds and tells the browser to reload.

Builds are the main thread's (`LiveServer.step`, `serve_forever`), each in a child process:
the tests call `step` where `serve` loops on it, and poll the server from threads."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from newsgen.commands.serve import RELOAD_PATH, LiveServer, LiveSite
from newsgen.config import load_config
from test_killed_builds import ENV, assert_nothing_left_running, session_processes

PAGE = "# 中原区召开会议\n\n本报讯（记者 杨丽萍）7月4日上午，中原区召开会议。\n"


def fetch(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
        return response.read().decode("utf-8")


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "p1.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "newsgen.yaml").write_text("title: 第一版标题\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()  # the working folder's template overrides, empty for now
    logs: list[str] = []
    # Rebuilding and reloading is what is tested here; the search stage has its own tests.
    site = LiveSite(lambda: load_config(), log=logs.append, search=False)
    live = LiveServer(site, 0, tmp_path / "newsgen.yaml")
    try:
        live.start()
    except BaseException:
        live.close()
        raise
    yield live, logs
    live.close()
    assert site.output == tmp_path / "site"  # built where `newsgen build` builds, and kept
    assert (site.output / "index.html").is_file()


def wait_for_generation(live: LiveServer, seen: int) -> tuple[threading.Thread, list[str]]:
    """Start the browser's long poll in a thread, as the injected script does."""
    result: list[str] = []
    poll = threading.Thread(target=lambda: result.append(fetch(f"{live.url}{RELOAD_PATH[1:]}?since={seen}")))
    poll.start()
    return poll, result


def build_until(live: LiveServer, done: Callable[[], bool], timeout: float = 30) -> None:
    """Be serve's main thread until `done()`: rebuild whenever the watcher reports a change."""
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        live.step(timeout=0.1)


def test_serve_builds_serves_and_reloads_on_changes(server, tmp_path: Path) -> None:
    live, logs = server
    home = fetch(live.url + "index.html")
    assert "第一版标题" in home and RELOAD_PATH in home  # the reload script is injected...
    assert RELOAD_PATH not in (live.site.output / "index.html").read_text(encoding="utf-8")  # ...not written
    assert "中原区召开会议" in home
    assert fetch(live.url).count("第一版标题")  # a folder URL gets its index.html

    # A page file changes: the long poll answers with a newer generation, the page shows it.
    poll, result = wait_for_generation(live, live.site.generation)
    time.sleep(0.3)
    (tmp_path / "articles" / "p1.txt").write_text(PAGE.replace("召开会议", "召开大会"), encoding="utf-8")
    build_until(live, lambda: not poll.is_alive())
    assert result and int(result[0]) >= 2
    assert "中原区召开大会" in fetch(live.url + "index.html")

    # The config changes: rebuilt with the new title.
    seen = live.site.generation
    poll, result = wait_for_generation(live, seen)
    time.sleep(0.3)
    (tmp_path / "newsgen.yaml").write_text("title: 第二版标题\n", encoding="utf-8")
    build_until(live, lambda: not poll.is_alive())
    assert result and int(result[0]) > seen
    assert "第二版标题" in fetch(live.url + "index.html")

    # A template changes: rebuilt with it.
    seen = live.site.generation
    poll, result = wait_for_generation(live, seen)
    time.sleep(0.3)
    (tmp_path / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>自定义的404页</p>{% endblock %}', encoding="utf-8"
    )
    build_until(live, lambda: not poll.is_alive())
    assert result and int(result[0]) > seen
    assert "自定义的404页" in fetch(live.url + "404.html")

    # A broken config: the error is reported and the last good site keeps being served.
    seen = live.site.generation
    (tmp_path / "newsgen.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    build_until(live, lambda: any("malformed YAML" in line for line in logs), timeout=20)
    assert any("malformed YAML" in line for line in logs)
    assert live.site.generation == seen
    assert "第二版标题" in fetch(live.url + "index.html")


def fetch_status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback only)
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_serve_answers_a_missing_address_with_the_sites_404_page(server) -> None:
    live, _ = server
    status, body = fetch_status(live.url + "a/b/missing.html")
    assert status == 404
    assert "页面未找到" in body and 'class="site-header"' in body  # the site's page, not http.server's
    assert RELOAD_PATH in body
    assert fetch_status(live.url + "a/")[0] == 404


def test_serve_does_not_build_again_a_site_that_is_up_to_date(server, tmp_path: Path) -> None:
    """A second serve of the same folder finds site/ as the first left it: nothing is built,
    and the log names the folder it serves."""
    live, logs = server
    live.close()
    assert any("built 1 article into site/" in line for line in logs), logs
    again: list[str] = []
    site = LiveSite(lambda: load_config(), log=again.append, search=False)
    second = LiveServer(site, 0, tmp_path / "newsgen.yaml")
    try:
        second.start()
        assert any("site/ is up to date" in line for line in again), again
        assert "中原区召开会议" in fetch(second.url + "index.html")
    finally:
        second.close()


def test_serve_reports_a_busy_port(server) -> None:
    live, _ = server
    port = int(live.url.rsplit(":", 1)[1].strip("/"))
    from newsgen.errors import UsageError

    site = LiveSite(lambda: load_config())
    try:
        with pytest.raises(UsageError, match="cannot listen"):
            LiveServer(site, port, Path("newsgen.yaml"))
    finally:
        site.close()


_forks: list[str] | None = None  # while a list: the threads of this process that called fork()


def _fork_seen() -> None:
    if _forks is not None:
        _forks.append(threading.current_thread().name)


os.register_at_fork(before=_fork_seen)


def test_serve_builds_in_a_child_process_started_by_the_main_thread(server, tmp_path: Path) -> None:
    """The serving process never forks (its HTTP and watcher threads would be copied
    mid-whatever, locks held): the main thread starts each build in a child process, whose
    answer is the build's result, and the edited page is served."""
    global _forks
    live, logs = server
    callers: list[int] = []
    rebuild = live.site.rebuild

    def recorded_rebuild() -> bool:
        callers.append(threading.get_ident())
        return rebuild()

    live.site.rebuild = recorded_rebuild  # type: ignore[method-assign]
    first_child = live.site.built_by
    _forks = []
    try:
        poll, result = wait_for_generation(live, live.site.generation)
        time.sleep(0.3)
        (tmp_path / "articles" / "p1.txt").write_text(PAGE.replace("召开会议", "召开大会"), encoding="utf-8")
        build_until(live, lambda: not poll.is_alive())
        forks = _forks
    finally:
        _forks = None
    assert result and int(result[0]) >= 2
    assert callers and set(callers) == {threading.main_thread().ident}
    assert forks == []  # no os.fork() here: the build's workers were forked in the child
    child = live.site.built_by
    assert child is not None and child not in (os.getpid(), first_child)
    assert not Path(f"/proc/{child}").exists()  # it has ended and been reaped
    assert logs[-1].startswith("newsgen: built 1 article ")  # the child's BuildResult, summed up here
    assert "中原区召开大会" in fetch(live.url + "index.html")


def test_a_build_is_refused_outside_the_main_thread(server) -> None:
    live, _ = server
    failed: list[BaseException] = []

    def build_in_a_thread() -> None:
        try:
            live.site.rebuild()
        except RuntimeError as exc:
            failed.append(exc)

    thread = threading.Thread(target=build_in_a_thread)
    thread.start()
    thread.join()
    assert failed and "main thread" in str(failed[0])


def serve_while_staging(tmp_path: Path, pages: int) -> tuple[subprocess.Popen[str], Path]:
    """A real `newsgen serve` over `pages` page files, in a session of its own, once its first
    build is staging the site (beside site/); and the TMPDIR it was given."""
    (tmp_path / "articles").mkdir()
    for n in range(pages):
        text = PAGE.replace("召开会议", f"召开第{n}次会议")
        (tmp_path / "articles" / f"p{n}.txt").write_text(text, encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    serve = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "serve", "--port", "0"], cwd=tmp_path, env={**ENV, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("site.tmp-*")) and time.monotonic() < deadline:
        if serve.poll() is not None:
            raise AssertionError(serve.communicate())
        time.sleep(0.02)
    return serve, temp


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_serve_leaves_no_build_running(tmp_path: Path, how: int) -> None:
    """Ctrl-C (SIGINT to serve's process group) or SIGTERM while a build runs: serve stops
    the build's child, waits for it, which removes its staging folder, and exits as ever."""
    serve, temp = serve_while_staging(tmp_path, 400)
    try:
        children = [pid for pid in session_processes(serve.pid) if pid != serve.pid]
        assert children, "no build child while the site is staged"
        (os.killpg if how == signal.SIGINT else os.kill)(serve.pid, how)
        _, err = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
    assert serve.returncode == 0 and "Traceback" not in err, err
    assert_nothing_left_running(serve.pid)
    assert list(temp.iterdir()) == [] and list(tmp_path.glob("site.tmp-*")) == []


def test_a_killed_serve_takes_its_build_with_it(tmp_path: Path) -> None:
    """SIGKILL (the OOM killer, `kill -9`) gives serve no chance to stop its build: the kernel
    sends the build's child SIGTERM, and it removes what it staged and ends."""
    serve, temp = serve_while_staging(tmp_path, 6000)  # a build far longer than its child takes to stop
    try:
        assert [pid for pid in session_processes(serve.pid) if pid != serve.pid], "no build child"
        os.kill(serve.pid, signal.SIGKILL)
        serve.wait()
        deadline = time.monotonic() + 4
        while session_processes(serve.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session_processes(serve.pid) == []
        assert list(tmp_path.glob("site.tmp-*")) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
