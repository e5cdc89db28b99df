"""The pipeline's first half: load → validate → model → check. `site_build.py` goes on:
publication gate → derive → render → build.

Every stage collects all its problems; only the caller decides to stop. This module
imports nothing of the site builder, so `portal check` starts quickly.
"""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generator.diagnostics import CheckReport, Diagnostic
from generator.load.cache import CachedFile, CheckCache, cached_report, digest, state_key, store_report
from generator.load.discover import SourceFile, discover
from generator.file_check import FileOutcome, KnownFiles, build_record, check_files, keepable, signature
from generator.load.document import LoadedDocument
from generator.history.base import checkout_at
from generator.repository import Repository
from generator.rules.context import RuleContext
from generator.rules.lifecycle import status_gaps
from generator.rules.permanence import check_permanence
from generator.rules.registry import run_rules
from generator.settings import Settings, identity_findings, load_settings, settings_findings
from generator.validate.schema import SchemaSet


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading and the rules make millions of small objects and next to no reference cycles.
    The cyclic garbage collector would only rescan them, again and again as they pile up,
    in the parent and in every forked worker; reference counting still frees them. What is
    left at the end is frozen (kept out of later collections): the records live until the
    process ends, and a full collection of them took a twentieth of a 10,000-record check.
    A long-running process (`portal serve`) unfreezes and collects between builds."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@dataclass
class CheckResult:
    report: CheckReport
    repo: Repository
    settings: Settings
    schemas: SchemaSet


def load_repository(root: Path, settings: Settings, schemas: SchemaSet,
                    only: list[Path] | None = None, related: bool = False, use_cache: bool = False,
                    as_of: dt.date | None = None, known: KnownFiles | None = None,
                    ) -> tuple[Repository, list[Diagnostic], int]:
    """Load, validate and type record files. Bad files are kept out of the Repository.

    With `only`, every file is still read (ids and references are repository-wide
    facts) but only the selected ones, plus with `related` the records they link
    or that link them, are reported; the rest join the Repository when they fit the
    model and are otherwise quietly left out. With `use_cache`, files whose bytes are
    unchanged since the last check are neither parsed nor validated again (see
    generator/load/cache.py); the others go through generator/file_check.py, on every core,
    where with `as_of` the rules that read one record and the date run too. With `known`
    (a long-running process's memory, see KnownFiles), files unchanged since it last saw
    them are not even read, and what this load found is remembered there.
    """
    repo = Repository(root=root, tracked=tracked_files(root))
    diagnostics: list[Diagnostic] = []
    cache = CheckCache(root, schemas.schema_dir, settings.limits) if use_cache else None
    started_ns = time.time_ns()
    sources = discover(root)
    signatures = {source.rel: signature(source) for source in sources} if known is not None else {}
    outcomes: dict[str, FileOutcome] = {}
    misses = []
    for source in sources:
        hit = known.get(source, signatures[source.rel], as_of) if known is not None else None
        if hit is None and cache is not None:
            hit = _from_cache(cache, source, settings)
        if hit is not None:
            outcomes[source.rel] = hit
        else:
            misses.append(source)
    for source, outcome in zip(misses, check_files(misses, settings, schemas, as_of)):
        loaded = outcome.loaded
        if isinstance(loaded, LoadedDocument):
            if cache is not None:
                cache.put(source.rel, CachedFile(digest(loaded.source_bytes), loaded.data, loaded.body,
                                                 loaded.body_first_line, loaded.warnings, outcome.problems,
                                                 positions=loaded.packed_positions,
                                                 single_file=outcome.single_file))
        outcomes[source.rel] = outcome
    if known is not None and as_of is not None:
        known.keep(signatures, outcomes, settings, schemas, as_of, started_ns)
        # Outcomes from the check cache come back with their record findings worked out.
        outcomes.update({rel: kept[1] for rel, kept in known.outcomes.items() if rel in outcomes})
    selected = None if only is None else {s.rel for s in discover(root, only)}
    documents = [o.loaded for o in outcomes.values() if isinstance(o.loaded, LoadedDocument)]
    if selected is not None and related:
        selected |= _related_paths(documents, selected)
    repo.selected_paths = selected
    for source in sources:
        outcome = outcomes[source.rel]
        wanted = selected is None or source.rel in selected
        doc = outcome.loaded
        if isinstance(doc, Diagnostic):
            if wanted:
                diagnostics.append(doc)
            repo.rejected_paths.add(source.rel)
            continue
        record = outcome.record
        if wanted:
            diagnostics.extend(doc.warnings)
            diagnostics.extend(outcome.problems)
        elif record is None:
            try:  # not reported: it joins when it fits the model, as before validation
                record = build_record(doc, settings)
            except (KeyError, TypeError, ValueError, AttributeError):
                record = None
        if record is None:
            if wanted:
                diagnostics.extend(status_gaps(doc, schemas))
            repo.rejected_paths.add(doc.path)
            continue
        if outcome.single_file is not None:
            repo.single_file_findings[doc.path] = outcome.single_file
        if outcome.record_findings is not None:
            repo.record_findings[doc.path] = outcome.record_findings
        repo.documents[doc.path] = doc
        repo.records.append(record)
    repo.check_cache = cache
    repo.source_paths = {source.rel for source in sources}
    return repo, diagnostics, len(sources) if selected is None else len(selected)


def _from_cache(cache: CheckCache, source: SourceFile, settings: Settings) -> FileOutcome | None:
    """The file's cached outcome if its bytes are unchanged (positions on demand)."""
    if not keepable(source):
        return None
    raw = source.path.read_bytes()
    hit = cache.get(source.rel, digest(raw))
    if hit is None:
        return None
    doc = LoadedDocument(source.rel, source.collection, hit.data, {}, {}, hit.body, hit.body_first_line, raw,
                         hit.warnings, packed_positions=hit.positions)
    record = build_record(doc, settings) if not hit.problems else None
    return FileOutcome(doc, hit.problems, record, hit.single_file if record is not None else None)


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


def check(root: Path, as_of: dt.date, only: list[Path] | None = None, base: str | None = None,
          related: bool = False, base_repo: Repository | None = None, use_cache: bool = True,
          need_records: bool = True, known: KnownFiles | None = None) -> CheckResult:
    """`base` names a Git revision for the permanence rules; a caller that has already
    loaded that revision passes it as `base_repo` so it is not read twice. `use_cache`
    reuses the load and schema results of unchanged files (generator/load/cache.py); a caller
    that wants only the report passes `need_records=False` and, when nothing at all changed
    since the last full check, gets that check's report without reading any record.
    `known`: see load_repository (a long-running preview's memory of files it has checked)."""
    settings = load_settings(root)
    schemas = SchemaSet()
    if isinstance(settings, Diagnostic):
        return CheckResult(CheckReport([settings], 0), Repository(), Settings(), schemas)
    memo_key = None
    if use_cache and only is None and base is None:
        # Nothing changed since the last full check (code, settings, date, files, Git): same report.
        memo_key = state_key(root, as_of.isoformat(), tracked_files(root))
        if not need_records and (report := cached_report(root, memo_key)) is not None:
            return CheckResult(report, Repository(root=root), settings, schemas)
    with collector_paused():
        repo, diagnostics, count = load_repository(root, settings, schemas, only, related, use_cache, as_of, known)
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
    if repo.selected_paths is None:
        rule_diagnostics += settings_findings(root) + identity_findings(settings)
    report = CheckReport(sorted(diagnostics + rule_diagnostics), count)
    if repo.check_cache is not None:
        # Files with findings will be asked for positions again: keep theirs.
        for path in {d.path for d in report.diagnostics}:
            doc = repo.documents.get(path)
            blob = doc.positions_blob() if doc is not None else None
            if blob is not None:
                repo.check_cache.keep_positions(path, blob)
        repo.check_cache.save(repo.source_paths or set())
    if memo_key is not None:
        store_report(root, memo_key, report)
    return CheckResult(report, repo, settings, schemas)
