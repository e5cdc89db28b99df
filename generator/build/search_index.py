"""Index the built site with Pagefind (extended: it segments Chinese text into words).

Pagefind writes a static, sharded index: a reader's first query downloads only the
shards it needs, not one index of the whole site. It reads the built HTML, so it can
only index what the publication gate let through, and only record pages (those marked
data-pagefind-body by the theme override).

Pagefind holds a whole index in memory while it builds it: about 7 bytes for each byte
of HTML, so 1.7 GB for a site of 10,000 records. A large site is therefore indexed as
several bundles of at most `[site] search_bundle_bytes` of pages each (60 MB) (pagefind/, pagefind-2/, …),
built side by side, which the search page merges at query time (Pagefind's mergeIndex).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.cores import worker_count

# Names the extra bundles for the search page (site_templates/assets/search.js).
BUNDLE_LIST = "portal-bundles.json"
_MARK = b"data-pagefind-body"
_PAGEFIND = [sys.executable, "-m", "pagefind"]


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path, bundle_bytes: int) -> None:
    pages = [(path, path.stat().st_size) for path in sorted(site_dir.rglob("*.html")) if _MARK in path.read_bytes()]
    groups = _bundles(pages, bundle_bytes)
    names = ["pagefind"] + [f"pagefind-{k}" for k in range(2, len(groups) + 1)]
    if len(groups) <= 1:
        _run([[*_PAGEFIND, "--site", str(site_dir), "--silent"]])
    else:
        views = [_view_of(site_dir, group, k) for k, group in enumerate(groups, start=1)]
        try:
            _run([[*_PAGEFIND, "--site", str(view), "--output-path", str(site_dir / name), "--silent"]
                  for view, name in zip(views, names)])
        finally:
            for view in views:
                shutil.rmtree(view, ignore_errors=True)
    (site_dir / "pagefind" / BUNDLE_LIST).write_text(json.dumps(names[1:]), encoding="utf-8")


def _bundles(pages: list[tuple[Path, int]], bundle_bytes: int) -> list[list[Path]]:
    """As few bundles as the budget allows, filled evenly (largest page first, to the lightest)."""
    count = max(1, -(-sum(size for _, size in pages) // bundle_bytes))
    groups: list[list[Path]] = [[] for _ in range(count)]
    load = [0] * count
    for path, size in sorted(pages, key=lambda page: (-page[1], page[0])):
        k = load.index(min(load))
        groups[k].append(path)
        load[k] += size
    return [sorted(group) for group in groups if group]


def _view_of(site_dir: Path, group: list[Path], k: int) -> Path:
    """A directory beside the site holding only this bundle's pages, at their own paths
    (hard links: nothing is copied), so Pagefind records the site's own URLs."""
    view = site_dir.parent / f".{site_dir.name}.search-{k}"
    shutil.rmtree(view, ignore_errors=True)
    for page in group:
        target = view / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, target)
        except OSError:
            shutil.copyfile(page, target)
    return view


def _run(commands: list[list[str]]) -> None:
    """Run the indexers, as many at a time as there are cores; any failure fails the build."""
    at_once = worker_count(len(commands), 2)
    failures = []
    for start in range(0, len(commands), at_once):
        running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for command in commands[start:start + at_once]]
        for process in running:
            _, stderr = process.communicate()
            if process.returncode != 0:
                failures.append(f"pagefind exited with {process.returncode}: {stderr.strip()[-500:]}")
    if failures:
        raise SearchIndexError(" | ".join(failures))
