"""`portal serve` after an edit: only the pages whose Markdown changed are rendered again and
put in place, in a second or two where a whole build of a large site takes tens of seconds.

The same pipeline up to the pages: check (of the files that changed, generator/file_check.py
KnownFiles), publication gate, derived tables, every page's Markdown (unchanged pages from
the render memo). Then, while nothing else about the site changed (the same pages, the same
attachments, the same secrets for the leak guard), the changed pages go through MkDocs held
ready (generator/assemble/mkdocs_builder/warm.py), the leak guard scans them, and each replaces its old
file. Anything else — a page added or removed, a record hidden or shown, a draft edited —
needs a whole build: `QuickUpdate.run` says so by returning None.

What a quick update leaves stale, the search index and the data downloads, a whole build
then brings up to date (generator/commands/preview.py runs one in the background).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from generator.assemble import leak_guard
from generator.assemble.builder import WarmBuilder
from generator.assemble.staging import public_attachments
from generator.assemble.swap import recover
from generator.diagnostics import CheckReport, make
from generator.pipeline import check
from generator.settings import SiteSettings
from generator.site_build import (BuildResult, ProcessMemory, SiteState, Stopwatch, guard_inputs, refused,
                                  render_site)


class QuickUpdate:
    def __init__(self, root: Path, site_dir: Path, work_dir: Path) -> None:
        self.root, self.site_dir, self.work_dir = root, site_dir, work_dir
        self.mkdocs: WarmBuilder | None = None
        self._mkdocs_for: tuple[object, ...] = ()

    def reset(self) -> None:
        self.mkdocs, self._mkdocs_for = None, ()

    def run(self, as_of: dt.date, memory: ProcessMemory, state: SiteState) -> BuildResult | None:
        """Update the changed pages of the site `state` describes; None when this change needs
        a whole build. The site is left as it was on any error, leak or refusal."""
        watch = Stopwatch()
        recover(self.site_dir)  # a whole build stopped mid-swap puts the site back first
        if not self.site_dir.is_dir():
            return None
        checked = check(self.root, as_of, use_cache=False, known=memory.known)
        watch.lap("check")
        if not checked.report.ok:
            return refused(checked)
        rendered = render_site(checked, self.root, as_of, memory)
        pages = {page.path: page.markdown for page in rendered.pages}
        attachments = frozenset(file.target for file in public_attachments(rendered.view, self.root))
        if pages.keys() != state.pages.keys() or attachments != state.attachments:
            return None
        watch.lap("render")
        hidden, secret, key = guard_inputs(checked, as_of, memory)
        if key != state.guard_key:
            return None  # what is secret changed: every file must be scanned again
        watch.lap("leak guard inputs")
        changed = {path: markdown for path, markdown in pages.items()
                   if markdown is not state.pages[path] and markdown != state.pages[path]}
        try:
            mkdocs = self._mkdocs(checked.settings.site, as_of, state.staged)
            out_dir = mkdocs.out_dir
            shutil.rmtree(out_dir, ignore_errors=True)  # only this update's pages are scanned and moved
            written = mkdocs.render(dict(changed))
        except Exception as exc:  # noqa: BLE001 - MkDocs' failure, reported as a whole build would
            self.reset()
            failed = make("E901", "-", detail=f"{type(exc).__name__}: {exc}")
            return BuildResult(CheckReport(checked.report.diagnostics + [failed], checked.report.files_checked))
        watch.lap("mkdocs")
        scanned = leak_guard.scan(out_dir, hidden, secret)
        if scanned.leaks:
            found = [make("E903", "-", file=leak.file, id=f"{leak.what}（{leak.kind}）") for leak in scanned.leaks]
            return BuildResult(CheckReport(checked.report.diagnostics + found, checked.report.files_checked))
        for built in written.values():
            target = self.site_dir / built.relative_to(out_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(built, target)  # each page whole: a reader sees the old page or the new one
        watch.lap("leak guard and swap")
        return BuildResult(checked.report, len(pages), watch.timings,
                           SiteState(pages, state.staged, state.attachments, key), tuple(sorted(changed)))

    def _mkdocs(self, site: SiteSettings, as_of: dt.date, staged: frozenset[str]) -> WarmBuilder:
        wanted = (site, as_of, staged)
        if self.mkdocs is None or self._mkdocs_for != wanted:
            self.mkdocs = WarmBuilder(self.root, set(staged), site, as_of, self.work_dir / "docs",
                                     self.work_dir / "out")
            self._mkdocs_for = wanted
        return self.mkdocs
