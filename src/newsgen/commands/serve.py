"""`newsgen serve`: build, serve on 127.0.0.1, rebuild and reload the browser on changes.

The site is built into a private temporary folder (the real output folder is left alone)
and served from there. A watcher rebuilds when a page file, a template, the stylesheet or
the config changes; every HTML response gets a small script that long-polls the server
and reloads the page once a newer build is ready. The built files themselves never
contain that script.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from newsgen.pipeline import build
from newsgen.commands.build import add_output_options, site_config, summary
from newsgen.config import CONFIG_NAME, Config
from newsgen.errors import NewsgenError, UsageError
from newsgen.render.environment import template_dirs

HELP = "build, serve on 127.0.0.1 and rebuild when files change"
RELOAD_PATH = "/__newsgen__/reload"
POLL_SECONDS = 25.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_output_options(parser)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")


RELOAD_SCRIPT = """<script>
(function () {
  var seen = %d;
  function poll() {
    fetch("%s?since=" + seen, {cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (t) { if (parseInt(t, 10) > seen) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>
"""


class LiveSite:
    """The site as last built, rebuilt on demand; `generation` counts successful builds."""

    def __init__(self, load_config: Callable[[], Config], *, log: Callable[[str], None] = print):
        self.load_config = load_config
        self.log = log
        self.config = load_config()
        self._workdir = Path(tempfile.mkdtemp(prefix="newsgen-serve-"))
        self.output = self._workdir / "site"
        self.generation = 0
        self._changed = threading.Condition()
        self._lock = threading.Lock()

    def rebuild(self) -> bool:
        """Build again; on an error keep serving the previous build and say why."""
        with self._lock:
            try:
                self.config = self.load_config()
                result = build(self.config, output=self.output)
            except NewsgenError as exc:
                self.log(f"newsgen: error: {exc}")
                return False
            self.log(summary(result))
            with self._changed:
                self.generation += 1
                self._changed.notify_all()
            return True

    def wait_for_change(self, seen: int, timeout: float = POLL_SECONDS) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.generation > seen, timeout=timeout)
            return self.generation

    def watched_paths(self) -> list[Path]:
        """Page files, template folders and the package's assets (the config is polled)."""
        paths = [Path(p) for p in self.config.articles]
        paths += template_dirs(self.config)
        paths.append(Path(__file__).resolve().parents[1] / "assets")
        existing: list[Path] = []
        for path in paths:
            path = path.resolve()
            if path.exists() and path not in existing:
                existing.append(path)
        return sorted(existing)

    def close(self) -> None:
        shutil.rmtree(self._workdir, ignore_errors=True)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class Watcher(threading.Thread):
    """Rebuilds the live site when watched files change. watchfiles wakes up at least once a
    second (yield_on_timeout) so that the config file, polled by its mtime, is noticed even
    when an editor replaces it rather than writing it in place."""

    def __init__(self, site: LiveSite, config_file: Path):
        super().__init__(daemon=True, name="newsgen-watcher")
        self.site = site
        self.config_file = config_file
        self.stop_event = threading.Event()

    def run(self) -> None:
        import watchfiles

        config_stamp = _stat(self.config_file)
        while not self.stop_event.is_set():
            paths = self.site.watched_paths()
            for changes in watchfiles.watch(
                *paths,
                stop_event=self.stop_event,
                debounce=200,
                rust_timeout=1000,
                yield_on_timeout=True,
                raise_interrupt=False,
            ):
                stamp = _stat(self.config_file)
                if not changes and stamp == config_stamp:
                    continue
                config_stamp = stamp
                self.site.rebuild()
                if self.site.watched_paths() != paths:
                    break  # the config now names other folders: watch those instead

    def stop(self) -> None:
        self.stop_event.set()


class LiveHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the live site's folder; HTML gets the reload script, nothing is cached."""

    site: LiveSite

    def __init__(self, *args: object, site: LiveSite, **kwargs: object):
        self.site = site
        super().__init__(*args, directory=str(site.output), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        if parts.path == RELOAD_PATH:
            self._reload(parts.query)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._html(path)
            return
        super().do_GET()

    def _reload(self, query: str) -> None:
        try:
            seen = int(parse_qs(query).get("since", ["0"])[0])
        except ValueError:
            seen = 0
        body = str(self.site.wait_for_change(seen)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _html(self, path: Path) -> None:
        html = path.read_text(encoding="utf-8")
        script = RELOAD_SCRIPT % (self.site.generation, RELOAD_PATH)
        at = html.rfind("</body>")
        html = html[:at] + script + html[at:] if at >= 0 else html + script
        body = html.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LiveServer:
    """The HTTP server and the watcher around a LiveSite; `start()` builds first."""

    def __init__(self, site: LiveSite, port: int, config_file: Path):
        self.site = site
        handler = functools.partial(LiveHandler, site=site)
        try:
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror} (try --port)") from None
        self.httpd.daemon_threads = True
        self.watcher = Watcher(site, config_file)
        host, bound = self.httpd.server_address[:2]
        self.url = f"http://{host}:{bound}/"

    def start(self) -> None:
        if not self.site.rebuild():
            raise NewsgenError("the first build failed: fix the error above and run serve again")
        threading.Thread(target=self.httpd.serve_forever, daemon=True, name="newsgen-http").start()
        self.watcher.start()

    def close(self) -> None:
        self.watcher.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.watcher.join(timeout=5)
        self.site.close()


def run(args: argparse.Namespace) -> int:
    if args.output:
        print("newsgen: serve builds into a temporary folder; --output is ignored", file=sys.stderr)
    config_file = Path(args.config) if args.config else Path(CONFIG_NAME)
    site = LiveSite(lambda: site_config(args), log=lambda line: print(line, flush=True))
    try:
        server = LiveServer(site, args.port, config_file)
    except BaseException:
        site.close()
        raise
    try:
        server.start()
        print(f"newsgen: serving on {server.url}index.html (Ctrl-C to stop)", flush=True)
        server.watcher.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
