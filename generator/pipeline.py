"""The pipeline, top to bottom: load → validate → model → check → derive → render → build.

Every stage collects all its problems; only the caller decides to stop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import CheckReport, Diagnostic
from generator.load.discover import discover
from generator.load.document import LoadedDocument, load_document
from generator.model import BUILDERS
from generator.repository import Repository
from generator.rules.context import RuleContext
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
                    only: list[Path] | None = None) -> tuple[Repository, list[Diagnostic], int]:
    """Load, validate and type every record file. Bad files are kept out of the Repository."""
    repo = Repository()
    diagnostics: list[Diagnostic] = []
    sources = discover(root, only)
    for source in sources:
        loaded = load_document(source, settings.limits.max_file_bytes)
        if isinstance(loaded, Diagnostic):
            diagnostics.append(loaded)
            repo.rejected_paths.add(source.rel)
            continue
        problems = schemas.validate(loaded)
        if problems:
            diagnostics.extend(problems)
            repo.rejected_paths.add(source.rel)
            continue
        repo.documents[loaded.path] = loaded
        repo.records.append(_to_record(loaded))
    return repo, diagnostics, len(sources)


def _to_record(doc: LoadedDocument):  # type: ignore[no-untyped-def]
    return BUILDERS[doc.collection](doc.data, doc.path, doc.body, doc.body_first_line)


def check(root: Path, as_of: dt.date, only: list[Path] | None = None) -> CheckResult:
    settings = load_settings(root)
    schemas = SchemaSet()
    if isinstance(settings, Diagnostic):
        return CheckResult(CheckReport([settings], 0), Repository(), Settings(), schemas)
    repo, diagnostics, count = load_repository(root, settings, schemas, only)
    # Cross-record rules always see the whole repository, even when checking some paths:
    # unique ids and references are repository-wide facts.
    if only is not None:
        full, _, _ = load_repository(root, settings, schemas)
        selected = set(repo.documents)
        rule_diagnostics = [d for d in run_rules(RuleContext(full, settings, schemas, as_of)) if d.path in selected]
    else:
        rule_diagnostics = run_rules(RuleContext(repo, settings, schemas, as_of))
    report = CheckReport(sorted(diagnostics + rule_diagnostics), count)
    return CheckResult(report, repo, settings, schemas)
