"""What every rule receives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model import Accident, Evaluation, Record
from generator.repository import Repository
from generator.settings import Settings
from generator.validate.schema import SchemaSet


@dataclass(frozen=True)
class RuleContext:
    repo: Repository
    settings: Settings
    schemas: SchemaSet
    as_of: dt.date
    # Narrower still: the files whose single-file findings are not in the check cache.
    only_paths: frozenset[str] | None = None

    @property
    def records(self) -> list[Record]:
        """The records whose findings are reported: all of them, or the selection of check --changed.

        Rules iterate these; indices over the whole repository (ids, references) use ctx.repo.
        """
        selected = self.repo.selected_paths
        records = self.repo.records if selected is None else [r for r in self.repo.records if r.path in selected]
        return records if self.only_paths is None else [r for r in records if r.path in self.only_paths]

    @property
    def accidents(self) -> list[Accident]:
        return [r for r in self.records if isinstance(r, Accident) and self.repo.accidents.get(r.id) is r]

    @property
    def evaluations(self) -> list[Evaluation]:
        return [r for r in self.records if isinstance(r, Evaluation) and self.repo.evaluations.get(r.id) is r]

    def title(self, collection: str, *path: str | int) -> str:
        return self.schemas.field_info(collection, tuple(path)).title
