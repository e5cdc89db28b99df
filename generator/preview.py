"""`portal serve`: the public site as `portal build` would make it, on this computer, rebuilt
whenever a watched file is saved.

For staff and reviewers before a pull request. It is the same pipeline as `portal build`
(check, publication gate, leak guard: a draft shows here no more than on the public site),
built into .portal-cache/preview/site and served on 127.0.0.1 only. Watching is by polling
file times and sizes: no extra dependency, and it works on network drives and in containers.
A rebuild waits until saving has settled; one with errors keeps the last good preview and
prints the errors. Rebuilds use the build caches, so they cost what `portal build` costs
after a change. An open page reloads itself after each good rebuild: the server adds a small
script to the HTML it sends (the files on disk stay exactly what `portal build` writes).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import http.server
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.load.cache import CACHE_DIR
from generator.site_build import BuildResult, build

# What a build reads from the repository root: content, schemas, templates and settings.
WATCHED = ("content", "schemas", "site_templates", "portal.toml", "mkdocs.yml")
PREVIEW_DIR = Path(CACHE_DIR) / "preview" / "site"
# A save often writes a file in several steps; rebuild once nothing changed for this long.
SETTLE_SECONDS = 0.3

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """(modification time, size) of every watched file."""
    found: Snapshot = {}
    pending = [root / name for name in WATCHED]
    while pending:
        path = pending.pop()
        try:
            if path.is_dir():
                pending.extend(Path(entry.path) for entry in os.scandir(path))
            elif path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue  # deleted while we looked: the next snapshot sees it gone
    return found


@dataclass(frozen=True)
class Rebuild:
    result: BuildResult
    seconds: float
    as_of: dt.date


class Preview:
    def __init__(self, root: Path, as_of: Callable[[], dt.date], site_dir: Path | None = None) -> None:
        self.root = root
        self.as_of = as_of  # asked at every rebuild: a preview left running overnight moves on a day
        self.site_dir = site_dir or root / PREVIEW_DIR
        self.seen = snapshot(root)

    def rebuild(self) -> Rebuild:
        day = self.as_of()
        started = time.perf_counter()
        result = build(self.root, day, self.site_dir)
        seconds = time.perf_counter() - started
        # A check leaves what it loaded frozen, out of the collector's sight (generator/pipeline.py
        # collector_paused): a preview that runs all day hands each build's objects back, so no
        # reference cycle outlives its build.
        gc.unfreeze()
        gc.collect()
        return Rebuild(result, seconds, day)

    def changed(self) -> bool:
        """Whether a watched file changed since the last look; waits for saving to settle."""
        now = snapshot(self.root)
        if now == self.seen:
            return False
        while True:
            time.sleep(SETTLE_SECONDS)
            later = snapshot(self.root)
            if later == now:
                break
            now = later
        self.seen = now
        return True


# Asked by the script added to every page: the number of the build being served.
VERSION_PATH = "/__portal_preview__/version"
_RELOADER = """<div style="position:fixed;left:.5rem;bottom:.5rem;z-index:10;padding:.2rem .5rem;font-size:.7rem;
background:#fff8e1;color:#5d4037;border:1px solid #5d4037;border-radius:.2rem">本地预览 · 保存后自动刷新</div>
<script>(function () {
  var shown = %d;
  setInterval(function () {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (v) { if (v.version !== shown) { location.reload(); } }).catch(function () {});
  }, 1000);
})();</script>
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    version = 0  # set on the class start_server makes: the count of good builds served

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path.split("?", 1)[0] == VERSION_PATH:
            self._send(b'{"version": %d}' % self.version, "application/json")
            return
        page = self._html_file()
        if page is None:
            super().do_GET()
            return
        try:
            html = page.read_bytes()
        except OSError:
            super().do_GET()  # gone in a swap: let the file server say so
            return
        reloader = (_RELOADER % (self.version, VERSION_PATH)).encode("utf-8")
        at = html.rfind(b"</body>")
        self._send(html[:at] + reloader + html[at:] if at >= 0 else html + reloader, "text/html; charset=utf-8")

    def _html_file(self) -> Path | None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not (path.endswith("/") or path.endswith(".html")):
            return None
        target = Path(self.translate_path(path))  # confined to the site directory by http.server
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        # The preview changes under the reader: a reload must fetch the page again.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass  # the console is for build results, not one line per request


class PreviewServer(http.server.ThreadingHTTPServer):
    handler: type[_Handler]

    def built(self) -> None:
        """A good build is in place: open pages reload."""
        self.handler.version += 1


def start_server(site_dir: Path, host: str, port: int) -> PreviewServer:
    site_dir.mkdir(parents=True, exist_ok=True)
    handler = type("PreviewHandler", (_Handler,), {"version": 1})
    # The handler resolves the directory by name at each request, so it follows the swap.
    server = PreviewServer((host, port), functools.partial(handler, directory=str(site_dir)))
    server.handler = handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(preview: Preview, interval: float, on_rebuild: Callable[[Rebuild], None],
          stop: threading.Event) -> None:
    """Rebuild after every settled change until `stop` is set."""
    while not stop.wait(interval):
        if preview.changed():
            on_rebuild(preview.rebuild())
