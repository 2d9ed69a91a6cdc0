"""`newsgen serve`: build, serve on 127.0.0.1, rebuild and reload the browser on changes.

The site is built into the output folder `newsgen build` uses (`site/`, or --output) and
served from there: a site that is up to date is not built again at start, and each change
is an incremental build of it, which leaves it as `newsgen build` would. The reload script
is added to each response, never to the files, so the folder stays fit to publish; a
missing address gets the site's own 404.html, with status 404. A watcher thread notices when a page file, a template, the
stylesheet or the config changes and tells the main thread, which rebuilds; every HTML
response gets a small script that long-polls the server and reloads the page once a newer
build is ready. The built files themselves never contain that script.

Each build runs in a child process: a fresh interpreter (`python -c`, started by
`subprocess` from the main thread), which gets the config on its stdin and answers with
the build's result on its stdout. The build forks workers (render, search, extract); a
process that serves HTTP from threads must not fork, since a lock another thread holds is
copied locked, while the child is single-threaded and forks as `newsgen build` does.
`subprocess` rather than multiprocessing's spawn or forkserver: it puts the child in a
process group of its own, so that Ctrl-C at the terminal reaches only `serve`, which then
stops the child as `newsgen build` is stopped (SIGTERM; SIGKILL if it does not end).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import watchfiles

from newsgen import urls
from newsgen.cli import stopped_exit_code, system_error, terminable
from newsgen.commands.build import add_output_options, site_config, summary
from newsgen.config import CONFIG_NAME, Config
from newsgen.errors import NewsgenError, UsageError
from newsgen.pipeline import BuildResult, build
from newsgen.render import template_dirs
from newsgen.runtime import die_with_parent

HELP = "build, serve on 127.0.0.1 and rebuild when files change"
RELOAD_PATH = "/__newsgen__/reload"
POLL_SECONDS = 25.0
STOP_SECONDS = 10.0  # how long a stopped build child may take to clean up before it is killed
# The build child's whole program: the parent's import path (argv[1]), then `build_child`.
CHILD_CODE = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from newsgen.commands.serve import build_child; sys.exit(build_child(int(sys.argv[2])))"
)


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


@dataclass(frozen=True)
class BuildReply:
    """What a build child answers: its pid, and the build's result or the error that stopped it."""

    pid: int
    result: BuildResult | None = None
    error: str | None = None


def build_child(parent: int) -> int:
    """The build child's main: (config, output, search) pickled on stdin, a `BuildReply`
    pickled on stdout. It runs under the handlers `newsgen build` has, so that the SIGTERM
    `serve` sends when it stops makes the build clean up and end quietly; the kernel sends the
    same SIGTERM if `serve` (pid `parent`) dies without stopping it (killed, out of memory)."""
    die_with_parent(parent, signal.SIGTERM)
    reply_to = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # whatever else is printed goes to stderr
    config, output, search = pickle.load(sys.stdin.buffer)
    try:
        with terminable():
            reply = BuildReply(os.getpid(), result=build(config, output=output, search=search))
    except NewsgenError as exc:
        reply = BuildReply(os.getpid(), error=str(exc))
    except (OSError, MemoryError, BrokenProcessPool) as exc:
        reply = BuildReply(os.getpid(), error=system_error(exc))
    except KeyboardInterrupt as exc:  # serve stopped this build: it has nothing to hear
        return stopped_exit_code(exc)
    with contextlib.suppress(BrokenPipeError), reply_to:  # serve gone: nobody to answer
        pickle.dump(reply, reply_to)
    return 0


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    """Stop a build child and wait for it: SIGTERM (its build removes what it staged), then
    SIGKILL to its whole process group (its workers too) if it takes too long or a second
    Ctrl-C comes. The output folder is replaced atomically, so nothing is half-written."""
    with contextlib.suppress(ProcessLookupError):
        child.terminate()
    try:
        child.wait(timeout=STOP_SECONDS)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


class LiveSite:
    """The site as last built, rebuilt on demand; `generation` counts successful builds.

    Builds are started from the main thread only, each in a child process (`build_child`);
    `built_by` is the pid of the child that made the last successful build."""

    def __init__(
        self,
        load_config: Callable[[], Config],
        *,
        output: Path | None = None,
        log: Callable[[str], None] = print,
        search: bool = True,
    ):
        self.load_config = load_config
        self.log = log
        self.search = search  # build the search index too (tests of reloading turn it off)
        self.config = load_config()
        self.output = (output or Path(self.config.output)).absolute()
        self.generation = 0
        self.built_by: int | None = None
        self._changed = threading.Condition()

    def rebuild(self) -> bool:
        """Build again; on an error keep serving the previous build and say why."""
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("serve builds from the main thread only")
        try:
            self.config = self.load_config()
            result = self._build_in_child()
        except NewsgenError as exc:
            self.log(f"newsgen: error: {exc}")
            return False
        self.log(summary(result))
        with self._changed:
            self.generation += 1
            self._changed.notify_all()
        return True

    def _build_in_child(self) -> BuildResult:
        job = pickle.dumps((self.config, self.output, self.search))
        with subprocess.Popen(
            [sys.executable, "-c", CHILD_CODE, json.dumps(sys.path), str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            process_group=0,  # Ctrl-C at the terminal is serve's to answer, not the child's
        ) as child:
            try:
                answer, _ = child.communicate(job)
            except BaseException:
                _stop_child(child)
                raise
        if child.returncode != 0 or not answer:
            raise NewsgenError(f"the build process failed (exit status {child.returncode})")
        reply: BuildReply = pickle.loads(answer)  # noqa: S301 (our own child's answer)
        if reply.error is not None or reply.result is None:
            raise NewsgenError(reply.error or "the build process gave no result")
        self.built_by = reply.pid
        return reply.result

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
        """Nothing to remove: the built site is the output folder, kept for the next build."""


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class Watcher(threading.Thread):
    """Sets `changed` when watched files change; the main thread rebuilds (`LiveServer.step`).
    watchfiles wakes up at least once a second (yield_on_timeout) so that the config file,
    polled by its mtime, is noticed even when an editor replaces it rather than writing it in
    place, and so that folders a new config names are watched soon after it is built."""

    def __init__(self, site: LiveSite, config_file: Path):
        super().__init__(daemon=True, name="newsgen-watcher")
        self.site = site
        self.config_file = config_file
        self.changed = threading.Event()
        self.stop_event = threading.Event()

    def run(self) -> None:
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
                if changes or stamp != config_stamp:
                    config_stamp = stamp
                    self.changed.set()
                if self.site.watched_paths() != paths:
                    break  # the last build's config names other folders: watch those instead

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

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing file gets the site's own 404 page, as GitHub Pages answers: status 404."""
        page = self.site.output / urls.NOT_FOUND
        if code == HTTPStatus.NOT_FOUND and self.command == "GET" and page.is_file():
            self._html(page, HTTPStatus.NOT_FOUND)
            return
        super().send_error(code, message, explain)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No folder listings: a folder without index.html is missing, as on GitHub Pages."""
        self.send_error(HTTPStatus.NOT_FOUND)

    def _html(self, path: Path, status: int = HTTPStatus.OK) -> None:
        html = path.read_text(encoding="utf-8")
        script = RELOAD_SCRIPT % (self.site.generation, RELOAD_PATH)
        at = html.rfind("</body>")
        html = html[:at] + script + html[at:] if at >= 0 else html + script
        body = html.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LiveServer:
    """The HTTP server and the watcher around a LiveSite. `start()` builds first; then the
    main thread calls `serve_forever()` (or `step()`, in tests), which rebuilds whenever the
    watcher reports a change: builds are the main thread's, HTTP and watching are threads'."""

    def __init__(self, site: LiveSite, port: int, config_file: Path):
        self.site = site
        handler = functools.partial(LiveHandler, site=site)
        try:
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror} (try --port)") from None
        self.httpd.daemon_threads = True
        self.watcher = Watcher(site, config_file)
        self.http = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="newsgen-http")
        host, bound = self.httpd.server_address[:2]
        self.url = f"http://{host}:{bound}/"

    def start(self) -> None:
        if not self.site.rebuild():
            raise NewsgenError("the first build failed: fix the error above and run serve again")
        self.http.start()
        self.watcher.start()

    def step(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the watcher to report a change and, if it does,
        rebuild (changes made meanwhile bring one more build). True if it rebuilt."""
        if not self.watcher.changed.wait(timeout):
            return False
        self.watcher.changed.clear()
        self.site.rebuild()
        return True

    def serve_forever(self) -> None:
        """The main thread's loop, until Ctrl-C or SIGTERM (or the watcher's end)."""
        while self.watcher.is_alive():
            self.step(timeout=1.0)

    def close(self) -> None:
        """Stop what `start()` started (a stop during the first build comes before any of it)."""
        self.watcher.stop()
        if self.http.is_alive():
            self.httpd.shutdown()  # waits for serve_forever(): only if it runs
        self.httpd.server_close()
        if self.watcher.ident is not None:
            self.watcher.join(timeout=5)
        self.site.close()


def run(args: argparse.Namespace) -> int:
    config_file = Path(args.config) if args.config else Path(CONFIG_NAME)
    output = Path(args.output) if args.output else None  # else the config's, as `newsgen build` does
    site = LiveSite(lambda: site_config(args), output=output, log=lambda line: print(line, flush=True))
    print(f"newsgen: serve builds into {site.output}{os.sep}", flush=True)
    try:
        server = LiveServer(site, args.port, config_file)
    except BaseException:
        site.close()
        raise
    try:
        server.start()
        print(f"newsgen: serving on {server.url}index.html (Ctrl-C to stop)", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
