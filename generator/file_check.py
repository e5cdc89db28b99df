"""The per-file half of a check: load → validate → type → the rules that read one file alone.

Each file's outcome depends on its own bytes only, so files are checked side by side in
worker processes (one per core) when there are enough of them to repay starting the
workers. So do the rules that read one record and the as-of date (RECORD_RULES). Rules that
span records run afterwards, in the parent, on the whole repository.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from functools import partial

from generator.cores import forked_map, worker_count
from generator.diagnostics import Diagnostic
from generator.load.discover import LEDGER_COLLECTIONS, SourceFile
from generator.load.document import LoadedDocument, load_document
from generator.model import BUILDERS, Record
from generator.repository import Repository
from generator.rules.context import RuleContext
from generator.rules.registry import RECORD_RULES, SINGLE_FILE_RULES
from generator.settings import Settings
from generator.validate.schema import SchemaSet

# Below this many files the workers cost more to start than they save.
PARALLEL_FROM = 200
# Field paths at most this long get their positions found while loading any file.
SHALLOW_POSITIONS = 2
# Files handed to a worker at a time: large enough to amortise the round trip.
_CHUNK = 64


@dataclass(frozen=True)
class FileOutcome:
    loaded: LoadedDocument | Diagnostic  # a Diagnostic when the file could not be loaded
    problems: tuple[Diagnostic, ...]  # schema findings; empty when valid
    record: Record | None  # None when invalid or when it did not fit the model
    single_file: tuple[Diagnostic, ...] | None  # findings of SINGLE_FILE_RULES; None without a record
    # Findings of RECORD_RULES for the check's as-of date; None without a record or a date.
    record_findings: tuple[Diagnostic, ...] | None = None


def build_record(doc: LoadedDocument, settings: Settings) -> Record:
    return BUILDERS[doc.collection](doc.data, doc.path, doc.body, doc.body_first_line, settings)


def check_file(source: SourceFile, settings: Settings, schemas: SchemaSet,
               as_of: dt.date | None = None) -> FileOutcome:
    # A hazard list nearly always has findings once its deadlines pass (one per overdue item):
    # find its positions here, beside the other files, not later in the one parent process.
    # Of other files only the top two levels: where nearly all findings point (a date, a
    # report's approval date), at a fraction of the cost of all.
    ledger = source.collection in LEDGER_COLLECTIONS
    loaded = load_document(source, settings.limits, depth=None if ledger else SHALLOW_POSITIONS)
    if isinstance(loaded, Diagnostic):
        return FileOutcome(loaded, (), None, None)
    doc = loaded
    problems = tuple(schemas.validate(doc))
    record = None
    single_file = None
    record_findings = None
    if not problems:
        # A schema-valid record always fits the model: a failure here is a bug and is reported as one.
        record = build_record(doc, settings)
        repo = Repository(records=[record], documents={doc.path: doc})
        # The as-of date plays no part in these rules: their findings are cached by content.
        ctx = RuleContext(repo, settings, schemas, dt.date.min)
        single_file = tuple(d for rule in SINGLE_FILE_RULES for d in rule(ctx))
        if as_of is not None:
            record_findings = record_rule_findings(ctx, as_of)
    # The positions found (the top two levels, all of a hazard list's, or all that a schema
    # finding asked for) travel packed beside the document: as thousands of small tuples they
    # made up a third of passing a hazard list back.
    packed = doc.positions_blob()
    return FileOutcome(replace(doc, keys={}, values={}, packed_positions=packed), problems, record, single_file,
                       record_findings)


def record_rule_findings(ctx: RuleContext, as_of: dt.date) -> tuple[Diagnostic, ...]:
    """What RECORD_RULES find in the context's one record on `as_of`."""
    dated = replace(ctx, as_of=as_of)
    return tuple(d for rule in RECORD_RULES for d in rule(dated))


RACY_NS = 2_000_000_000
Signature = tuple[int, int, int]  # (modification time in ns, size, inode), read before the file's bytes


@dataclass
class KnownFiles:
    """Outcomes a long-running process (`portal serve`) keeps between checks, by path.

    A file whose signature is what it was when its outcome was found is not read again,
    the way Git trusts its index. Outcomes hold for one as-of date (RECORD_RULES read it),
    settings and schemas: the owner starts afresh when any of those change.
    """

    as_of: dt.date | None = None
    # rel → (signature, outcome, racy): a racy file was modified within RACY_NS of the check that
    # read it, so a second save in the same clock tick with the same size would look unchanged
    # (Git's "racily clean" entries); its bytes are compared before its outcome is trusted.
    outcomes: dict[str, tuple[Signature, FileOutcome, bool]] = field(default_factory=dict)

    def get(self, source: SourceFile, sig: Signature | None, as_of: dt.date | None) -> FileOutcome | None:
        known = self.outcomes.get(source.rel)
        if known is None or sig is None or known[0] != sig or as_of != self.as_of:
            return None
        if known[2]:
            loaded = known[1].loaded
            try:
                if not isinstance(loaded, LoadedDocument) or source.path.read_bytes() != loaded.source_bytes:
                    return None
            except OSError:
                return None
        return known[1]

    def keep(self, signatures: dict[str, Signature | None], outcomes: dict[str, FileOutcome], settings: Settings,
             schemas: SchemaSet, as_of: dt.date, started_ns: int) -> None:
        """Remember these outcomes (and only these paths) for `as_of`; record findings are
        worked out here for outcomes that came without them (from the check cache)."""
        if self.as_of != as_of:
            self.outcomes = {}
        self.as_of = as_of
        kept: dict[str, tuple[Signature, FileOutcome, bool]] = {}
        for rel, outcome in outcomes.items():
            sig = signatures.get(rel)
            if sig is None:
                continue
            racy = sig[0] >= started_ns - RACY_NS
            previous = self.outcomes.get(rel)
            if previous is not None and previous[1] is outcome:
                kept[rel] = (sig, outcome, previous[2] and racy)
                continue
            if outcome.record is not None and outcome.record_findings is None \
                    and isinstance(outcome.loaded, LoadedDocument):
                repo = Repository(records=[outcome.record], documents={rel: outcome.loaded})
                findings = record_rule_findings(RuleContext(repo, settings, schemas, dt.date.min), as_of)
                outcome = replace(outcome, record_findings=findings)
            kept[rel] = (sig, outcome, racy)
        self.outcomes = kept


def keepable(source: SourceFile) -> bool:
    """Whether a file's outcome may be remembered (check cache, KnownFiles): never a refused link
    or repository, nor a file outside the collections."""
    return source.collection is not None and source.symlink_target is None and not source.nested_repository


def signature(source: SourceFile) -> Signature | None:
    """None for what is never kept (see keepable) and for a file that vanished."""
    if not keepable(source):
        return None
    try:
        stat = os.stat(source.path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def check_files(sources: list[SourceFile], settings: Settings, schemas: SchemaSet,
                as_of: dt.date | None = None) -> list[FileOutcome]:
    """Outcomes in the order of `sources`; in worker processes when that pays. With `as_of`,
    the RECORD_RULES run too, for that date."""
    workers = worker_count(len(sources), PARALLEL_FROM)
    if workers > 1:
        schemas.fast_validators, schemas.validators  # compiled once, inherited by every worker
    check = partial(check_file, settings=settings, schemas=schemas, as_of=as_of)
    return forked_map(check, sources, workers, _CHUNK)
