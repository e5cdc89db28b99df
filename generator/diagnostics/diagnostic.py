"""A Diagnostic is one finding at one place; a CheckReport collects them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from generator.diagnostics.catalogue import CATALOGUE, Severity


class _Blank(dict):
    """Template fields a caller did not give render as empty, never as a KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    code: str
    severity: Severity = dataclasses.field(compare=False)
    field: str = dataclasses.field(default="", compare=False)
    message: str = dataclasses.field(default="", compare=False)
    message_en: str = dataclasses.field(default="", compare=False)
    hint: str = dataclasses.field(default="", compare=False)
    hint_en: str = dataclasses.field(default="", compare=False)

    @property
    def slug(self) -> str:
        return CATALOGUE[self.code].slug

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "slug": self.slug,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "message_en": self.message_en,
            "hint": self.hint,
            "hint_en": self.hint_en,
        }


def make(code: str, path: str, line: int = 1, column: int = 1, field: str = "",
         **values: Any) -> Diagnostic:
    """Render catalogue entry `code` with `values` at a 1-based position."""
    rule = CATALOGUE[code]
    fields = _Blank(field=field, **{k: _text(v, 400 if k in ("detail", "upgrade", "upgrade_en") else 80) for k, v in values.items()})
    return Diagnostic(
        path=path,
        line=max(1, line),
        column=max(1, column),
        code=code,
        severity=rule.severity,
        field=field,
        message=rule.message_zh.format_map(fields),
        message_en=rule.message_en.format_map(fields),
        hint=rule.hint_zh.format_map(fields),
        hint_en=rule.hint_en.format_map(fields),
    )


def _text(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else str(value)
    # A diagnostic quotes user input; keep it one line and bounded. A `detail` is our own
    # explanation of a failure (which MkDocs warning, say) and may run longer.
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 3] + "…"


@dataclass
class CheckReport:
    diagnostics: list[Diagnostic]
    files_checked: int

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors
