"""`portal serve`: the public site as `portal build` would make it, on this computer, rebuilt
whenever a watched file is saved.

For staff and reviewers before a pull request. It is the same pipeline as `portal build`
(check, publication gate, leak guard: a draft shows here no more than on the public site),
built into .portal-cache/preview/site and served on 127.0.0.1 only. Watching is by polling
file times and sizes: no extra dependency, and it works on network drives and in containers.
A rebuild waits until saving has settled; one with errors keeps the last good preview and
prints the errors. An open page reloads itself after each good rebuild: the server adds a
small script to the HTML it sends (the files on disk stay exactly what `portal build` writes).

After an edit to records, only the pages whose Markdown changed are rendered and put in
place (generator/assemble/quick_update.py): the process keeps what it checked and rendered
(ProcessMemory). A whole `portal build` then runs in the background to bring the search
index and data downloads up to date, and open pages reload once more when it is in; another
save stops it and starts over. Anything else (settings, schemas, templates, a new day, a
record added, removed, hidden or shown) is a whole build at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import http.server
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable

from generator.assemble.quick_update import QuickUpdate
from generator.assemble.swap import lower_priority
from generator.load.cache import CACHE_DIR
from generator.site_build import BuildResult, ProcessMemory, SiteState, build

# What a build reads from the repository root: content, schemas, templates and settings.
# (schemas/, site_templates/ and mkdocs.yml exist in this tool's own checkout, the demo's root.)
WATCHED = ("content", "overrides", "portal.toml", "schemas", "site_templates", "mkdocs.yml")
PREVIEW_DIR = Path(CACHE_DIR) / "preview" / "site"
# MkDocs' working folders for updating single pages.
WARM_DIR = Path(CACHE_DIR) / "preview" / "pages"
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
    # Only the changed pages were updated; the search index and downloads follow (CatchUp).
    pages_only: bool = False


@dataclass(frozen=True)
class CaughtUp:
    ok: bool
    seconds: float
    output: str  # what the whole build printed (its errors when it failed)


class CatchUp:
    """A whole `portal build` of the preview, in a process of its own so a new save can stop it."""

    def __init__(self, root: Path, as_of: dt.date, site_dir: Path) -> None:
        self._log: IO[bytes] = tempfile.TemporaryFile()
        self._started = time.perf_counter()
        command = [sys.executable, "-m", "generator", "build", "--root", str(root), "--as-of", as_of.isoformat(),
                   "--site-dir", str(site_dir)]
        # A session of its own: stopping it stops the processes it forks too.
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                         start_new_session=True)
        # Behind the preview's own work: serving pages and the next page update come first.
        lower_priority(self._process.pid, 10)

    def finished(self) -> CaughtUp | None:
        if self._process.poll() is None:
            return None
        self._log.seek(0)
        output = self._log.read().decode("utf-8", errors="replace")
        self._log.close()
        return CaughtUp(self._process.returncode == 0, time.perf_counter() - self._started, errors_only(output))

    def stop(self) -> None:
        if self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except OSError:
                pass
            self._process.wait()
        self._log.close()


def errors_only(output: str) -> str:
    """A build's text report without its warnings: a large site's thousands of warnings would
    bury the error that stopped the background build (and the page update already showed them)."""
    kept: list[str] = []
    keeping = True
    for line in output.splitlines(keepends=True):
        if not line.startswith(" "):  # a finding's first line, or a line of its own
            keeping = not re.match(r"\S+:\d+:\d+: [A-Z]\d{3} 警告", line)
        if keeping:
            kept.append(line)
    return "".join(kept)


class Preview:
    def __init__(self, root: Path, as_of: Callable[[], dt.date], site_dir: Path | None = None) -> None:
        self.root = root
        self.as_of = as_of  # asked at every rebuild: a preview left running overnight moves on a day
        self.site_dir = site_dir or root / PREVIEW_DIR
        self.seen = snapshot(root)
        self.memory = ProcessMemory()
        self.state: SiteState | None = None  # what the pages in site_dir were made from
        self.quick = QuickUpdate(root, self.site_dir, root / WARM_DIR)
        self.catching_up: CatchUp | None = None
        self._made_for: tuple[object, ...] = ()  # the day and non-record files the memory holds for

    def rebuild(self) -> Rebuild:
        day = self.as_of()
        self.stop_catching_up()  # it would build what is no longer there
        made_for = (day, {path: seen for path, seen in self.seen.items() if not _is_record_file(self.root, path)})
        if made_for != self._made_for:
            self.forget()
        self._made_for = made_for
        started = time.perf_counter()
        result = self.quick.run(day, self.memory, self.state) if self.state is not None else None
        pages_only = result is not None
        if result is None:
            result = build(self.root, day, self.site_dir, memory=self.memory)
        seconds = time.perf_counter() - started
        if result.state is not None:
            self.state = result.state
        if pages_only and result.report.ok:
            self.catching_up = CatchUp(self.root, day, self.site_dir)
        return Rebuild(result, seconds, day, pages_only)

    def forget(self) -> None:
        """Start afresh: settings, schemas, templates or the day changed."""
        self.memory = ProcessMemory()
        self.state = None
        self.quick.reset()

    def tidy(self) -> None:
        # A check leaves what it loaded frozen, out of the collector's sight (generator/pipeline.py
        # collector_paused): a preview that runs all day hands each build's objects back, so no
        # reference cycle outlives its build. Called once open pages have been told to reload.
        gc.unfreeze()
        gc.collect()

    def caught_up(self) -> CaughtUp | None:
        """The background whole build's outcome, once, when it has finished."""
        done = self.catching_up.finished() if self.catching_up is not None else None
        if done is not None:
            self.catching_up = None
        return done

    def stop_catching_up(self) -> None:
        if self.catching_up is not None:
            self.catching_up.stop()
            self.catching_up = None

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


def _is_record_file(root: Path, path: str) -> bool:
    return Path(path).is_relative_to(root / "content")


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


# Until the first build is in: a page that says so and looks again (never a directory listing).
_WAITING = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="2">
<title>正在生成预览</title></head><body style="font-family:sans-serif;margin:3em auto;max-width:36em;padding:0 1em">
<h1>正在生成预览……</h1><p>第一次生成需要一点时间，完成后本页会自动显示网站。命令行窗口中会显示检查结果；
如果内容有错误，请按提示修改并保存，预览会重新生成。</p>
<p lang="en">Building the preview; this page shows the site when the first build is in.</p></body></html>
""".encode("utf-8")


class _Handler(http.server.SimpleHTTPRequestHandler):
    version = 0  # set on the class start_server makes: the count of good builds served

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path.split("?", 1)[0] == VERSION_PATH:
            self._send(b'{"version": %d}' % self.version, "application/json")
            return
        page = self._html_file()
        if page is None and self._wants_page() and not Path(self.directory, "index.html").is_file():
            self._send(_WAITING, "text/html; charset=utf-8", status=503)  # no build in yet
            return
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

    def _wants_page(self) -> bool:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        return path.endswith("/") or path.endswith(".html")

    def _html_file(self) -> Path | None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not self._wants_page():
            return None
        target = Path(self.translate_path(path))  # confined to the site directory by http.server
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        if status == 503:
            self.send_header("Retry-After", "2")
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
          stop: threading.Event, on_caught_up: Callable[[CaughtUp], None] = lambda done: None) -> None:
    """Rebuild after every settled change until `stop` is set; report a background whole build's end."""
    try:
        while not stop.wait(interval):
            if preview.changed():
                on_rebuild(preview.rebuild())
                preview.tidy()
            elif (done := preview.caught_up()) is not None:
                on_caught_up(done)
    finally:
        preview.stop_catching_up()
