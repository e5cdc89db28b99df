"""What every rule receives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.repository import Repository
from generator.settings import Settings
from generator.validate.schema import SchemaSet


@dataclass(frozen=True)
class RuleContext:
    repo: Repository
    settings: Settings
    schemas: SchemaSet
    as_of: dt.date

    def title(self, collection: str, *path: str | int) -> str:
        return self.schemas.field_info(collection, tuple(path)).title
