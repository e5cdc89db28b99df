"""The Repository: every schema-valid record, typed, with a way back to positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.load.document import LoadedDocument
from generator.load.strict_yaml import FieldPath, dotted
from generator.model import Accident, Enforcement, Evaluation, Record, Rectification


@dataclass
class Repository:
    records: list[Record] = field(default_factory=list)
    documents: dict[str, LoadedDocument] = field(default_factory=dict)  # by path
    # Paths whose front matter failed to load or validate: never published.
    rejected_paths: set[str] = field(default_factory=set)
    root: Path | None = None
    # Repository-relative POSIX paths Git tracks; None outside a Git work tree.
    tracked: frozenset[str] | None = None
    # Paths checked and reported when only some files were asked for; None: all.
    selected_paths: set[str] | None = None
    # The check cache in use (generator/load/cache.py) and every file discovered, for saving it.
    check_cache: Any = None
    # Findings of the rules that read one file alone, by path, found while loading.
    single_file_findings: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    # Findings of the RECORD_RULES for the as-of date of this check, where they ran beside loading.
    record_findings: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    source_paths: set[str] | None = None

    # Indices over `records`, built on first use: read them only once loading is done.
    @cached_property
    def accidents(self) -> dict[str, Accident]:
        return _first_by_id(r for r in self.records if isinstance(r, Accident))

    @cached_property
    def evaluations(self) -> dict[str, Evaluation]:
        return _first_by_id(r for r in self.records if isinstance(r, Evaluation))

    @cached_property
    def rectifications(self) -> dict[str, Rectification]:
        return _first_by_id(r for r in self.records if isinstance(r, Rectification))

    @cached_property
    def enforcement(self) -> dict[str, Enforcement]:
        return _first_by_id(r for r in self.records if isinstance(r, Enforcement))

    @cached_property
    def _evaluations_by_accident(self) -> dict[str, list[Evaluation]]:
        index: dict[str, list[Evaluation]] = {}
        for evaluation in self.evaluations.values():
            index.setdefault(evaluation.accident_id, []).append(evaluation)
        return index

    def evaluations_of(self, accident_id: str) -> list[Evaluation]:
        return self._evaluations_by_accident.get(accident_id, [])

    def at(self, record: Record, code: str, path: FieldPath, *, key: bool = False, **values: object) -> Diagnostic:
        """A diagnostic for `record` pointing at field `path` in its file."""
        doc = self.documents[record.path]
        pos = doc.key_position(path) if key else doc.value_position(path)
        return make(code, record.path, pos.line, pos.column, field=dotted(path), **values)


def _first_by_id(records) -> dict:  # type: ignore[no-untyped-def]
    out: dict = {}
    for record in records:
        out.setdefault(record.id, record)
    return out
