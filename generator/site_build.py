"""The pipeline's second half: check → publication gate → derive → render → MkDocs →
search index → leak guard → swap. The site directory changes only at the very end."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.assemble import leak_guard
from generator.assemble.memory import BuildMemory, recall, remember
from generator.assemble.builder import build_site
from generator.assemble.sitemap import write_sitemap
from generator.assemble.search_index import write_search_index
from generator.assemble.staging import docs_dir_for, public_attachments, stage, staged_paths
from generator.assemble.swap import new_build_dir, swap_in
from generator.derive.deadline_table import DeadlineRow, deadline_table
from generator.derive.hazard_table import HazardRow, hazard_table
from generator.diagnostics import CheckReport, make
from generator.file_check import KnownFiles
from generator.history.log import History, read_history
from generator.pipeline import CheckResult, check
from generator.publish import PublicView, is_public, public_view
from generator.render.campaign_pages import render_charts
from generator.render.data import column_titles, published_schemas, render_data
from generator.render.pages import render_pages
from generator.render.writer import GeneratedPage, RenderMemo
from generator.rules.mentions import mentioned_ids


@dataclass(frozen=True)
class SiteState:
    """What a good build published, as `portal serve` needs it to update pages alone
    (generator/assemble/quick_update.py)."""
    pages: dict[str, str]  # staged page path → its Markdown
    staged: frozenset[str]  # every file staged for MkDocs
    attachments: frozenset[str]  # the staged attachments among them
    guard_key: str  # what the leak guard held secret


@dataclass
class BuildResult:
    report: CheckReport
    pages: int = 0
    # Seconds spent in each stage, in order: what `portal build --timings` prints.
    timings: dict[str, float] = field(default_factory=dict)
    state: SiteState | None = None  # with a ProcessMemory only
    updated: tuple[str, ...] = ()  # pages a quick update wrote (generator/assemble/quick_update.py)


@dataclass
class ProcessMemory:
    """What a long-running process (`portal serve`) keeps from one build to the next: the files
    it checked, the pages it rendered, the Git history it read. Its owner starts a new one
    whenever anything but record files changed (settings, schemas, templates)."""
    known: KnownFiles = field(default_factory=KnownFiles)
    render: RenderMemo = field(default_factory=RenderMemo)
    history: History | None = None
    runs: leak_guard.RunMemo = field(default_factory=dict)  # the leak guard's word runs of each file

    def same_history(self, history: History | None) -> History | None:
        """The history last seen when it is unchanged: pages that show it then compare by identity."""
        if history is not None and history == self.history:
            return self.history
        self.history = history
        return history


class Stopwatch:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(now - self._last, 2)
        self._last = now


@dataclass
class Rendered:
    """The publication gate, the derived tables and the pages, for one checked repository."""
    view: PublicView
    rows: list[DeadlineRow]
    hazard_rows: list[HazardRow]
    pages: list[GeneratedPage]


def refused(checked: CheckResult) -> BuildResult:
    """A check with errors publishes nothing."""
    failed = make("E902", "-", count=len(checked.report.errors))
    return BuildResult(CheckReport(checked.report.diagnostics + [failed], checked.report.files_checked))


def render_site(checked: CheckResult, root: Path, as_of: dt.date, memory: ProcessMemory | None = None) -> Rendered:
    repo, settings = checked.repo, checked.settings
    view = public_view(repo, as_of)
    rows = deadline_table(list(view.accidents), repo, settings.evaluation, as_of, lambda e: is_public(e, as_of))
    hazard_rows = hazard_table(view.rectifications, as_of, settings.hazards.due_soon_days)
    history = read_history(root)
    if memory is not None:
        history = memory.same_history(history)
    pages = render_pages(view, rows, hazard_rows, settings, checked.schemas, history,
                         memory.render if memory is not None else None)
    return Rendered(view, rows, hazard_rows, pages)


def guard_inputs(checked: CheckResult, as_of: dt.date, memory: ProcessMemory | None = None,
                 ) -> tuple[set[str], set[str], str]:
    """What the leak guard holds secret: hidden ids, word runs of hidden text, and their key."""
    repo = checked.repo
    sources = {path: doc.source_bytes for path, doc in repo.documents.items()}
    hidden = leak_guard.forbidden_ids(repo.records, as_of)
    # Ids a public record names itself are published by its author (check warns: W328).
    hidden -= mentioned_ids(repo.records, sources, as_of, hidden)
    schema_text = [json.dumps(schema, ensure_ascii=False) for schema in checked.schemas.raw.values()]
    secret = leak_guard.fingerprints(repo.records, sources, as_of, schema_text,
                                     memory.runs if memory is not None else None)
    return hidden, secret, leak_guard.guard_key(hidden, secret)


def build(root: Path, as_of: dt.date, site_dir: Path, use_cache: bool = True,
          memory: ProcessMemory | None = None) -> BuildResult:
    """check → publish gate → derive → render → MkDocs → leak guard → swap. site/ changes only at the end.
    `memory`: a long-running process's (see ProcessMemory)."""
    watch = Stopwatch()
    checked = check(root, as_of, use_cache=use_cache, known=memory.known if memory is not None else None)
    watch.lap("check")
    if not checked.report.ok:
        return refused(checked)
    repo, settings = checked.repo, checked.settings

    rendered = render_site(checked, root, as_of, memory)
    view, rows, hazard_rows, pages = rendered.view, rendered.rows, rendered.hazard_rows, rendered.pages
    front_matter = {r.id: repo.documents[r.path].data for r in repo.records if r.path in repo.documents}
    data_files = (render_charts(view)
                  + render_data(view, rows, hazard_rows, front_matter, settings.site, column_titles(checked.schemas))
                  + published_schemas(checked.schemas, settings.site.site_url))
    attachments = public_attachments(view, root)
    watch.lap("render")

    last = recall(root) if use_cache else BuildMemory()  # what can be reused from the current site
    out_dir = new_build_dir(site_dir)
    try:
        # From scratch (no cache): a new folder. Otherwise the last build's, where only changed pages are written.
        with docs_dir_for(root, reuse=use_cache) as docs:
            stage(pages, docs, attachments, data_files)
            watch.lap("stage")
            manifest = build_site(root, docs, out_dir, settings.site, as_of, last.pages, site_dir)
            write_sitemap(out_dir, settings.site.site_url, pages)
            watch.lap("mkdocs")
        hidden, secret, guard_key = guard_inputs(checked, as_of, memory)
        known_clean = last.clean_under(guard_key)
        scanned = leak_guard.scan(out_dir, hidden, secret, known_clean, part="pages")
        watch.lap("leak guard on pages")
        write_search_index(out_dir)
        watch.lap("search index")
        scanned += leak_guard.scan(out_dir, hidden, secret, known_clean, part="index")
        leaks = scanned.leaks
        watch.lap("leak guard on the index")
    except Exception as exc:  # noqa: BLE001 - any MkDocs failure becomes E901, site/ untouched
        shutil.rmtree(out_dir, ignore_errors=True)
        failed = make("E901", "-", detail=f"{type(exc).__name__}: {exc}")
        return BuildResult(CheckReport(checked.report.diagnostics + [failed], checked.report.files_checked))
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    if leaks:
        shutil.rmtree(out_dir, ignore_errors=True)
        found = [make("E903", "-", file=leak.file, id=f"{leak.what}（{leak.kind}）") for leak in leaks]
        return BuildResult(CheckReport(checked.report.diagnostics + found, checked.report.files_checked))
    swap_in(out_dir, site_dir)
    # Only now: a refused or failed build leaves the memory of the site that is still there.
    remember(root, BuildMemory(manifest, guard_key, scanned.clean))
    watch.lap("swap")
    state = None
    if memory is not None:  # only a long-running process updates pages alone later
        state = SiteState({page.path: page.markdown for page in pages},
                          frozenset(staged_paths(pages, attachments, data_files)),
                          frozenset(file.target for file in attachments), guard_key)
    return BuildResult(checked.report, len(pages), watch.timings, state)
