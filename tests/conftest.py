"""Shared fixtures: seed paths, a real Chromium driven by Playwright, a loopback server."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "articles"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five real seed page files built once, with search, for every browser test (read only)."""
    from newsgen.pipeline import build
    from newsgen.config import load_config

    out = tmp_path_factory.mktemp("seed-site") / "site"
    cwd = os.getcwd()
    os.chdir(ROOT)  # the config's relative articles/ folder
    try:
        build(load_config(), output=out, cwd=ROOT)
    finally:
        os.chdir(cwd)
    return out


# Where the http tests serve a site: under a sub-path, as GitHub Pages serves a project site
# (https://user.github.io/<repo>/), so a link that climbs to the server's root breaks there.
SUB_PATH = "/newsgen-archive/"


def root_url(site: Path, via: str) -> Iterator[str]:
    """For a fixture to `yield from`: the site's root URL over "file" (file://) or "http"
    (http://127.0.0.1 under `SUB_PATH`, served for as long as the fixture lives)."""
    if via == "file":
        yield site.as_uri() + "/"
        return
    server = serve_directory(site, SUB_PATH)
    yield server.url
    server.close()


@pytest.fixture(scope="module", params=["file", "http"])
def site_url(request: pytest.FixtureRequest, seed_site: Path) -> Iterator[str]:
    """The seed site's root URL, once over file:// and once over http://127.0.0.1."""
    yield from root_url(seed_site, request.param)


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    base = "/"  # the URL path the folder is served under; anything outside it is a 404

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.base):
            return str(Path(self.directory) / ".not-under-the-sub-path")
        return super().translate_path("/" + path[len(self.base) :])


@dataclass
class LoopbackServer:
    root: Path
    url: str
    _server: http.server.ThreadingHTTPServer = field(repr=False)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve_directory(directory: Path, base: str = "/") -> LoopbackServer:
    """Serve `directory` at http://127.0.0.1:<free port><base>."""
    handler = functools.partial(type("Handler", (_QuietHandler,), {"base": base}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return LoopbackServer(directory, f"http://{host}:{port}{base}", server)


@pytest.fixture
def loopback() -> Iterator[Callable[[Path], LoopbackServer]]:
    """Factory: serve a folder on http://127.0.0.1:<free port>/ for the test's length."""
    servers: list[LoopbackServer] = []

    def start(directory: Path) -> LoopbackServer:
        server = serve_directory(directory)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None and not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class PageProbe:
    """A browser tab that records what a reader should never see."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.failed_requests == [], self.failed_requests
        assert self.dialogs == [], self.dialogs


def _aborted(request: object) -> bool:
    """The browser dropped the fetch itself (net::ERR_ABORTED): the reader (or a test) moved
    on before it ended, e.g. the site icon, fetched late, or a style sheet of a page left at
    once. Not a failure a reader could see: a missing file is a 404 over http and
    ERR_FILE_NOT_FOUND over file://, both still counted."""
    return request.failure == "net::ERR_ABORTED"  # type: ignore[attr-defined]


@pytest.fixture
def tab(browser: object) -> Iterator[PageProbe]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    probe = PageProbe(page)
    page.on("console", lambda m: m.type == "error" and probe.console_errors.append(m.text))
    page.on("pageerror", lambda e: probe.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: _aborted(r) or probe.failed_requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and probe.failed_requests.append(f"{r.status} {r.url}"))

    def on_dialog(dialog: object) -> None:
        probe.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    yield probe
    context.close()
