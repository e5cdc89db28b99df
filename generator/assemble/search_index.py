"""Index the built site with Pagefind (extended: it segments Chinese text into words).

Pagefind writes a static, sharded index: a reader's first query downloads only the
shards it needs, not one index of the whole site. It reads the built HTML, so it can
only index what the publication gate let through, and only record pages (those marked
data-pagefind-body by the theme override).

Pagefind holds a whole index in memory while it builds it: about eight times the HTML
of its pages, so 1.6 GB for a site of 10,000 records. A large site is therefore indexed as
several bundles of about `[site] search_bundle_bytes` of pages each (110 MB: under 1 GB of
memory) (pagefind/, pagefind-2/, …), which the search page merges at query time (Pagefind's
mergeIndex). Fewer bundles mean a lighter first search: a query fetches one index shard per
word from every bundle. Bundles are indexed side by side, one Pagefind process per core on a
thread each (each stays under 1 GB). The build scans its pages for leaks meanwhile
(`start_indexing` returns at once; `Indexing.finish` waits).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO

from generator.assemble.tree import Folders, files_under
from generator.cores import worker_count

# Names the extra bundles for the search page (site_templates/assets/search.js).
BUNDLE_LIST = "portal-bundles.json"
_MARK = b"data-pagefind-body"
_BODY = b"<div data-pagefind-body>"  # as site_templates/overrides/main.html writes it
_PAGEFIND = [sys.executable, "-m", "pagefind"]
try:
    _PAGEFIND_VERSION = metadata.version("pagefind")
except metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
    _PAGEFIND_VERSION = "-"


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True)
class BundleRecord:
    """What one bundle was indexed from, and the files it wrote (by digest)."""
    source: str
    files: dict[str, str]


def start_indexing(site_dir: Path, bundle_bytes: int, previous: dict[str, BundleRecord] | None = None,
                   previous_site: Path | None = None) -> Indexing:
    """Start indexing the record pages of `site_dir`; `finish()` says what each bundle was built from.

    Pages go to bundles by a hash of their path, so a page stays in its bundle from build to
    build. A bundle whose pages are all byte for byte those of the last build (`previous`)
    is taken from `previous_site` instead of being indexed again, if its files there are
    still the ones written then.
    """
    pages = []
    for rel in files_under(site_dir, ".html"):
        data = (site_dir / rel).read_bytes()
        if _MARK in data:
            pages.append((rel, len(data), _digest(data)))
    groups = _bundles(pages, bundle_bytes)
    names = ["pagefind"] + [f"pagefind-{k}" for k in range(2, len(groups) + 1)]
    sources = {name: _source_of(group) for name, group in zip(names, groups)}
    reused = [name for name in names if previous_site is not None and previous and name in previous
              and previous[name].source == sources[name] and _intact(previous_site / name, previous[name])]
    for name in reused:
        _link_tree(previous_site / name, site_dir / name)  # type: ignore[operator]
    fresh = [(name, group) for name, group in zip(names, groups) if name not in reused]
    indexing = Indexing(site_dir, names, sources, [name for name, _ in fresh])
    if fresh:
        try:
            for name, group in fresh:
                indexing.views.append(_view_of(site_dir, [rel for rel, _, _ in group], name))
            indexing.start([[*_PAGEFIND, "--site", str(view), "--output-path", str(site_dir / name), "--silent"]
                            for view, (name, _) in zip(indexing.views, fresh)])
        except BaseException:
            indexing.abort()
            raise
    return indexing


# A probe page indexed beside the bundles: with Pagefind's standard build, Chinese text stays
# one long word and a search for 事故 finds nothing, silently. Its index must hold 事故 as a
# word of its own (in Pagefind's index a CBOR text string: 0x66, then its 6 bytes of UTF-8).
_PROBE_PAGE = ('<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>probe</title></head><body>'
               "<div data-pagefind-body><h1>分词检查</h1><p>发生一起较大生产安全事故，调查组开展调查。</p></div>"
               "</body></html>")
PROBE_WORD = "事故"


class Indexing:
    """Pagefind runs under way: one per core, the cores' threads shared out (see `_start_pagefind`)."""

    def __init__(self, site_dir: Path, names: list[str], sources: dict[str, str], fresh: list[str]) -> None:
        self.site_dir, self.names, self.sources, self.fresh = site_dir, names, sources, fresh
        self.views: list[Path] = []
        self._waiting: list[list[str]] = []
        self._running: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        self._threads = 1
        self._at_once = 1
        self._probe: Path | None = None  # the segmentation probe's site, while indexing

    def start(self, commands: list[list[str]]) -> None:
        self._waiting = list(commands)
        at_once = max(1, min(worker_count(len(commands), 2), len(commands)))
        # The cores shared out: a lone run (one bundle changed) gets them all.
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self._threads = max(1, cores // at_once)
        self._at_once = at_once
        # The probe takes a third of a second beside the bundles. Named after the build
        # directory, like the page views, so an interrupted build's probe is swept with it.
        self._probe = self.site_dir.parent / f"{self.site_dir.name}.segmentation-probe"
        shutil.rmtree(self._probe, ignore_errors=True)
        (self._probe / "probe").mkdir(parents=True)
        (self._probe / "probe" / "index.html").write_text(_PROBE_PAGE, encoding="utf-8")
        self._running.append(self._launch([*_PAGEFIND, "--site", str(self._probe), "--silent"]))
        for _ in range(at_once):
            self._next()

    def _launch(self, command: list[str]) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
        log = tempfile.TemporaryFile()
        return _start_pagefind(command, log, self._threads), log

    def _next(self) -> None:
        if self._waiting:
            self._running.append(self._launch(self._waiting.pop(0)))

    def finish(self) -> dict[str, BundleRecord]:
        """Wait for every bundle; any failure fails the build."""
        try:
            while self._running:
                process, log = self._running[0]
                if process.wait() != 0:
                    log.seek(0)
                    messages = log.read().decode("utf-8", errors="replace").strip()[-500:]
                    raise SearchIndexError(f"pagefind exited with {process.returncode}: {messages}")
                self._running.pop(0)
                log.close()
                if len(self._running) < self._at_once:
                    self._next()
            if self._probe is not None and not _splits_chinese(self._probe / "pagefind"):
                raise SearchIndexError(
                    "搜索索引程序没有切分中文词语，中文搜索将找不到结果；请安装 Pagefind 扩展版（pip install "
                    "'pagefind[extended]'）/ the search indexer does not split Chinese into words, so Chinese "
                    "searches would find nothing: install Pagefind's extended build (pip install 'pagefind[extended]')")
        finally:
            self.abort()
        for name in self.fresh:
            _drop_unused(self.site_dir / name)
        built = {name: BundleRecord(self.sources[name], _files_of(self.site_dir / name)) for name in self.names}
        (self.site_dir / "pagefind" / BUNDLE_LIST).write_text(json.dumps(self.names[1:]), encoding="utf-8")
        return built

    def abort(self) -> None:
        """Stop what is still running and remove the page views (also after a clean finish)."""
        self._waiting = []
        for process, log in self._running:
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()
        self._running = []
        for view in self.views:
            shutil.rmtree(view, ignore_errors=True)
        self.views = []
        if self._probe is not None:
            shutil.rmtree(self._probe, ignore_errors=True)
            self._probe = None


def _splits_chinese(bundle: Path) -> bool:
    word = PROBE_WORD.encode("utf-8")
    # The word as a CBOR text string: its length in the head byte, or in the next one.
    wanted = (bytes([0x60 + len(word)]) if len(word) < 24 else bytes([0x78, len(word)])) + word
    return any(wanted in gzip.decompress(chunk.read_bytes()) for chunk in (bundle / "index").glob("*.pf_index"))


# Pagefind's ready-made search boxes: the search page uses its search API (pagefind.js)
# with a script of our own instead, so these are never loaded and are not published. Nor is
# its worker script: the search page searches in the page itself (noWorker, assets/search.js).
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")


def _drop_unused(bundle: Path) -> None:
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _bundles(pages: list[tuple[str, int, str]], bundle_bytes: int) -> list[list[tuple[str, int, str]]]:
    """As few bundles as the budget allows; a page's bundle follows from its path alone."""
    count = max(1, -(-sum(size for _, size, _ in pages) // bundle_bytes))
    groups: list[list[tuple[str, int, str]]] = [[] for _ in range(count)]
    for page in pages:
        groups[int(_digest(page[0].encode())[:8], 16) % count].append(page)
    return [group for group in groups if group] or [[]]


def _source_of(group: list[tuple[str, int, str]]) -> str:
    h = hashlib.sha256(_PAGEFIND_VERSION.encode())
    for rel, _, page_digest in group:
        h.update(f"{rel}\0{page_digest}\0".encode())
    return h.hexdigest()


def _files_of(bundle: Path) -> dict[str, str]:
    return {rel: _digest((bundle / rel).read_bytes()) for rel in files_under(bundle)
            if rel.rpartition("/")[2] != BUNDLE_LIST}


def _intact(bundle: Path, record: BundleRecord) -> bool:
    try:
        return _files_of(bundle) == record.files
    except OSError:
        return False


def _link_tree(source: Path, target: Path) -> None:
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)

    shutil.copytree(source, target, copy_function=link)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _view_of(site_dir: Path, group: list[str], name: str) -> Path:
    """A directory beside the site holding only this bundle's pages, at their own paths, so
    Pagefind records the site's own URLs; each page cut down to its language and indexed part."""
    # Named after the build directory, so an interrupted build's leftovers are swept with it.
    view = site_dir.parent / f"{site_dir.name}.{name}"
    shutil.rmtree(view, ignore_errors=True)
    folders = Folders(view)
    for rel in group:
        with open(folders.made_for(rel), "wb") as out:
            out.write(_indexed_part((site_dir / rel).read_bytes()))
    return view


def _indexed_part(page: bytes) -> bytes:
    """The page's <html> tag and its data-pagefind-body part, without the theme around it:
    Pagefind indexes only that part anyway (the same fragments and index shards come out),
    and reading a quarter of the bytes saved a sixth of its time."""
    html_at, body_at = page.find(b"<html"), page.find(_BODY)
    end = page.find(b"</article>", body_at)
    if html_at < 0 or body_at < 0 or end < 0:
        return page
    html_tag = page[html_at:page.index(b">", html_at) + 1]
    return html_tag + b'<head><meta charset="utf-8"></head><body>' + page[body_at:end] + b"</div></body></html>"


def _start_pagefind(command: list[str], log: IO[bytes], threads: int) -> subprocess.Popen[bytes]:
    # No more threads than cores in all: two single-threaded runs side by side took 13 s where
    # two runs with a thread per core each took 34 s side by side and 19 s one after the other.
    environment = {**os.environ, "RAYON_NUM_THREADS": str(threads)}
    # Messages go to a file: a pipe nobody reads while the build scans pages could fill and stall it.
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=environment)

