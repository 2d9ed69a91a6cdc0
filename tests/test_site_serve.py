"""`newsgen serve`: builds, serves on 127.0.0.1, rebuilds and tells the browser to reload."""

from __future__ import annotations

import contextlib

import threading
import time
import urllib.request
from pathlib import Path

import pytest

from newsgen.commands.serve import RELOAD_PATH, LiveServer, LiveSite
from newsgen.config import load_config

PAGE = "# 中原区召开会议\n\n本报讯（记者 杨丽萍）7月4日上午，中原区召开会议。\n"


def fetch(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
        return response.read().decode("utf-8")


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    # Rebuilding and reloading is what is tested here; the search stage has its own tests.
    monkeypatch.setattr("newsgen.pipeline._search", lambda *args, **kwargs: contextlib.nullcontext())
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "p1.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "newsgen.yaml").write_text("title: 第一版标题\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()  # the working folder's template overrides, empty for now
    logs: list[str] = []
    site = LiveSite(lambda: load_config(), log=logs.append)
    live = LiveServer(site, 0, tmp_path / "newsgen.yaml")
    try:
        live.start()
    except BaseException:
        live.close()
        raise
    yield live, logs
    live.close()
    assert not site.output.exists()  # the temporary build is cleaned up


def wait_for_generation(live: LiveServer, seen: int) -> tuple[threading.Thread, list[str]]:
    """Start the browser's long poll in a thread, as the injected script does."""
    result: list[str] = []
    poll = threading.Thread(target=lambda: result.append(fetch(f"{live.url}{RELOAD_PATH[1:]}?since={seen}")))
    poll.start()
    return poll, result


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
    poll.join(timeout=30)
    assert result and int(result[0]) >= 2
    assert "中原区召开大会" in fetch(live.url + "index.html")

    # The config changes: rebuilt with the new title.
    seen = live.site.generation
    poll, result = wait_for_generation(live, seen)
    time.sleep(0.3)
    (tmp_path / "newsgen.yaml").write_text("title: 第二版标题\n", encoding="utf-8")
    poll.join(timeout=30)
    assert result and int(result[0]) > seen
    assert "第二版标题" in fetch(live.url + "index.html")

    # A template changes: rebuilt with it.
    seen = live.site.generation
    poll, result = wait_for_generation(live, seen)
    time.sleep(0.3)
    (tmp_path / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>自定义的404页</p>{% endblock %}', encoding="utf-8"
    )
    poll.join(timeout=30)
    assert result and int(result[0]) > seen
    assert "自定义的404页" in fetch(live.url + "404.html")

    # A broken config: the error is reported and the last good site keeps being served.
    seen = live.site.generation
    (tmp_path / "newsgen.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    deadline = time.time() + 20
    while not any("malformed YAML" in line for line in logs) and time.time() < deadline:
        time.sleep(0.2)
    assert any("malformed YAML" in line for line in logs)
    assert live.site.generation == seen
    assert "第二版标题" in fetch(live.url + "index.html")


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
