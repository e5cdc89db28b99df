"""A public record naming a record that is not public: by its id anywhere in its file, or by its
title in 《》 or “” (how Chinese documents cite another). Not a leak of that record's content,
but worth a second look before publishing (W328). The leak guard takes the ids named this way as
published by the author, so the build agrees with the check (generator/site_build.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Iterator

from generator.diagnostics import Diagnostic, make
from generator.model import Record
from generator.publish import is_public
from generator.rules.context import RuleContext

# As the leak guard reads ids: an ASCII token, not part of a longer one.
_ID_TOKEN = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9][A-Za-z0-9-]{2,63}(?![A-Za-z0-9-])")
_CITED = re.compile(r"《([^《》\n]{4,200})》|“([^“”\n]{8,200})”")


def _public(records: Iterable[Record], as_of: dt.date) -> list[Record]:
    return [r for r in records if is_public(r, as_of)]


def _hidden(records: Iterable[Record], as_of: dt.date) -> list[Record]:
    return [r for r in records if not is_public(r, as_of)]


def mentioned_ids(records: list[Record], sources: dict[str, bytes], as_of: dt.date, hidden: set[str]) -> set[str]:
    """The ids in `hidden` that a public record's file names."""
    if not hidden:
        return set()
    named: set[str] = set()
    for record in _public(records, as_of):
        source = sources.get(record.path)
        if source:
            named.update(hidden.intersection(_ID_TOKEN.findall(source.decode("utf-8", errors="replace"))))
    return named


def check_mentions(ctx: RuleContext) -> Iterator[Diagnostic]:
    records = [r for r in ctx.repo.records if r.path not in ctx.repo.rejected_paths]
    hidden = _hidden(records, ctx.as_of)
    if not hidden:
        return
    ids = {r.id: r for r in hidden}
    titles = {r.title: r for r in hidden if len(r.title) >= 4}
    selected = {r.path for r in ctx.records}
    for record in _public(records, ctx.as_of):
        if record.path not in selected or record.path not in ctx.repo.documents:
            continue
        text = ctx.repo.documents[record.path].source_bytes.decode("utf-8", errors="replace")
        told: set[str] = set()  # each record named once per file: its first mention
        for match in _ID_TOKEN.finditer(text):
            named = ids.get(match.group(0))
            if named is not None and named.id != record.id and named.id not in told:
                told.add(named.id)
                yield _at(record, text, match.start(), named, f"编号 {named.id}")
        for match in _CITED.finditer(text):
            cited = match.group(1) or match.group(2)
            named = titles.get(cited)
            if named is not None and named.id != record.id and named.id not in told:
                told.add(named.id)
                yield _at(record, text, match.start(), named, f"标题“{cited[:30]}”")


def _at(record: Record, text: str, offset: int, named: Record, what: str) -> Diagnostic:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return make("W328", record.path, line, column, what=what, target=named.id)
