"""The pipeline, top to bottom: load → validate → model → check → derive → render → build.

Every stage collects all its problems; only the caller decides to stop.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.build import leak_guard
from generator.build.mkdocs_build import run_mkdocs
from generator.build.search_index import index_site
from generator.build.staging import public_attachments, stage
from generator.build.swap import new_build_dir, swap_in
from generator.derive.deadline_table import deadline_table
from generator.derive.hazard_table import hazard_table
from generator.diagnostics import CheckReport, Diagnostic, make
from generator.load.discover import SourceFile, discover
from generator.load.document import LoadedDocument, load_document
from generator.history.base import checkout_at
from generator.history.log import read_history
from generator.model import BUILDERS
from generator.publish import is_public, public_view
from generator.render.campaign_pages import render_charts
from generator.render.data import render_data
from generator.render.pages import render_pages
from generator.repository import Repository
from generator.rules.context import RuleContext
from generator.rules.permanence import check_permanence
from generator.rules.registry import run_rules
from generator.settings import Settings, load_settings
from generator.validate.schema import SchemaSet


@dataclass
class CheckResult:
    report: CheckReport
    repo: Repository
    settings: Settings
    schemas: SchemaSet


def load_repository(root: Path, settings: Settings, schemas: SchemaSet,
                    only: list[Path] | None = None, related: bool = False,
                    ) -> tuple[Repository, list[Diagnostic], int]:
    """Load, validate and type record files. Bad files are kept out of the Repository.

    With `only`, every file is still read (ids and references are repository-wide
    facts) but only the selected ones, plus with `related` the records they link
    or that link them, are validated and reported; the rest join the Repository
    when they fit the model and are otherwise quietly left out.
    """
    repo = Repository(root=root, tracked=tracked_files(root))
    diagnostics: list[Diagnostic] = []
    documents: list[LoadedDocument] = []
    sources = discover(root)
    selected = None if only is None else {s.rel for s in discover(root, only)}
    by_rel = {source.rel: source for source in sources}
    for source in sources:
        loaded = load_document(source, settings.limits, positions=selected is None or source.rel in selected)
        if isinstance(loaded, Diagnostic):
            if selected is None or source.rel in selected:
                diagnostics.append(loaded)
            repo.rejected_paths.add(source.rel)
        else:
            documents.append(loaded)
    if selected is not None and related:
        extra = _related_paths(documents, selected) - selected
        selected |= extra
        # Related records are reported too: load them again, this time with positions.
        documents = [_reload(by_rel[d.path], settings) if d.path in extra else d for d in documents]
    repo.selected_paths = selected
    for doc in documents:
        if selected is None or doc.path in selected:
            diagnostics.extend(doc.warnings)
            problems = schemas.validate(doc)
            if problems:
                diagnostics.extend(problems)
                repo.rejected_paths.add(doc.path)
                continue
            record = _to_record(doc, settings)
        else:
            try:
                record = _to_record(doc, settings)
            except (KeyError, TypeError, ValueError, AttributeError):
                repo.rejected_paths.add(doc.path)
                continue
        repo.documents[doc.path] = doc
        repo.records.append(record)
    return repo, diagnostics, len(sources) if selected is None else len(selected)


def _reload(source: SourceFile, settings: Settings) -> LoadedDocument:
    loaded = load_document(source, settings.limits)
    assert isinstance(loaded, LoadedDocument)  # it loaded a moment ago without positions
    return loaded


def _referenced_ids(doc: LoadedDocument) -> list[str]:
    """Ids a document refers to, read from raw data before validation (so a broken file still counts)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    nested = [data.get("source"), data.get("related")]
    found = [data.get("accident_id"), data.get("enforcement_id")]
    found += [part.get(key) for part in nested if isinstance(part, dict)
              for key in ("evaluation_id", "accident_id", "rectification_id")]
    return [str(ref) for ref in found if ref is not None]


def _related_paths(documents: list[LoadedDocument], selected: set[str]) -> set[str]:
    """Records the selected ones refer to, and records that refer to them: a change on either
    side of a reference can break it (an evaluation's accident, a list's source evaluation, …)."""
    path_of = {str(d.data.get("id")): d.path for d in documents if isinstance(d.data, dict)}
    related: set[str] = set()
    for d in documents:
        refs = _referenced_ids(d)
        if d.path in selected:
            related.update(path_of[ref] for ref in refs if ref in path_of)
        if any(path_of.get(ref) in selected for ref in refs):
            related.add(d.path)
    return related


def tracked_files(root: Path) -> frozenset[str] | None:
    """Files Git tracks under root, or None when root is not a Git work tree.

    `-z` gives raw names: without it Git quotes non-ASCII paths as octal escapes
    (core.quotepath), and a Chinese file name would never match (HAZARDS.md G07).
    """
    try:
        inside = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"], capture_output=True)
        if inside.returncode != 0:
            return None
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return frozenset(name for name in listed.stdout.decode("utf-8", errors="surrogateescape").split("\0") if name)


def _to_record(doc: LoadedDocument, settings: Settings):  # type: ignore[no-untyped-def]
    return BUILDERS[doc.collection](doc.data, doc.path, doc.body, doc.body_first_line,
                                    listing_years=settings.credit.listing_years)


def check(root: Path, as_of: dt.date, only: list[Path] | None = None, base: str | None = None,
          related: bool = False, base_repo: Repository | None = None) -> CheckResult:
    """`base` names a Git revision for the permanence rules; a caller that has already
    loaded that revision passes it as `base_repo` so it is not read twice."""
    settings = load_settings(root)
    schemas = SchemaSet()
    if isinstance(settings, Diagnostic):
        return CheckResult(CheckReport([settings], 0), Repository(), Settings(), schemas)
    repo, diagnostics, count = load_repository(root, settings, schemas, only, related)
    # Cross-record rules always see the whole repository, even when checking some paths:
    # unique ids and references are repository-wide facts. Only the selection is reported.
    rule_diagnostics = run_rules(RuleContext(repo, settings, schemas, as_of))
    if repo.selected_paths is not None:
        rule_diagnostics = [d for d in rule_diagnostics if d.path in repo.selected_paths]
    if base is not None:
        # Publication is permanent: compare with what was public at `base` (GitError reaches the CLI).
        if base_repo is None:
            with checkout_at(root, base) as base_root:
                base_repo, _, _ = load_repository(base_root, settings, schemas)
        rule_diagnostics += list(check_permanence(repo, base_repo, base, as_of))
    report = CheckReport(sorted(diagnostics + rule_diagnostics), count)
    return CheckResult(report, repo, settings, schemas)


@dataclass
class BuildResult:
    report: CheckReport
    pages: int = 0


def build(root: Path, as_of: dt.date, site_dir: Path) -> BuildResult:
    """check → publish gate → derive → render → MkDocs → leak guard → swap. site/ changes only at the end."""
    checked = check(root, as_of)
    if not checked.report.ok:
        refused = make("E902", "-", count=len(checked.report.errors))
        return BuildResult(CheckReport(checked.report.diagnostics + [refused], checked.report.files_checked))
    repo, settings = checked.repo, checked.settings

    view = public_view(repo, as_of)
    rows = deadline_table(list(view.accidents), repo, settings.evaluation, as_of, lambda e: is_public(e, as_of))
    hazard_rows = hazard_table(view.rectifications, as_of, settings.hazards.due_soon_days)
    pages = render_pages(view, rows, hazard_rows, settings, checked.schemas, read_history(root))
    data_files = render_charts(view) + render_data(view, rows, hazard_rows, {r.id: repo.documents[r.path].data for r in repo.records
                                          if r.path in repo.documents}, settings.site.title)

    out_dir = new_build_dir(site_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="portal-docs-") as docs:
            stage(pages, Path(docs) / "docs", public_attachments(view, root), data_files)
            run_mkdocs(root, Path(docs) / "docs", out_dir, settings.site.title, as_of)
        index_site(out_dir)
        schema_text = [json.dumps(schema, ensure_ascii=False) for schema in checked.schemas.raw.values()]
        leaks = leak_guard.scan(out_dir, leak_guard.forbidden_ids(repo.records, as_of), leak_guard.fingerprints(
                repo.records, {path: doc.source_bytes for path, doc in repo.documents.items()}, as_of, schema_text))
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
    return BuildResult(checked.report, len(pages))
