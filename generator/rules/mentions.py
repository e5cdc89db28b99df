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

# As the leak guard reads ids: an ASCII token, not part of a longer one. Searched for in the
# file's UTF-8 bytes, where every Chinese character is bytes this pattern passes over at once
# (decoding 10,000 files to search their text took most of a second).
_ID_TOKEN = re.compile(rb"(?<![A-Za-z0-9-])[A-Za-z0-9][A-Za-z0-9-]{2,63}(?![A-Za-z0-9-])")
# Without the look-arounds three times as fast, and a superset: a hit is confirmed with the above.
_ID_CANDIDATE = re.compile(rb"[A-Za-z0-9][A-Za-z0-9-]{2,63}")
_CITED = re.compile("《([^《》\n]{4,200})》|“([^“”\n]{8,200})”".encode("utf-8"))


def _public(records: Iterable[Record], as_of: dt.date) -> list[Record]:
    return [r for r in records if is_public(r, as_of)]


def _hidden(records: Iterable[Record], as_of: dt.date) -> list[Record]:
    return [r for r in records if not is_public(r, as_of)]


def mentioned_ids(records: list[Record], sources: dict[str, bytes], as_of: dt.date, hidden: set[str]) -> set[str]:
    """The ids in `hidden` that a public record's file names."""
    if not hidden:
        return set()
    wanted = {i.encode("ascii", errors="ignore") for i in hidden}
    named: set[bytes] = set()
    for record in _public(records, as_of):
        source = sources.get(record.path)
        if source:
            found = wanted.intersection(_ID_CANDIDATE.findall(source))
            if found:  # confirmed as whole tokens, as the guard reads them
                named.update(found.intersection(_ID_TOKEN.findall(source)))
    return {i.decode("ascii") for i in named}


def check_mentions(ctx: RuleContext) -> Iterator[Diagnostic]:
    records = [r for r in ctx.repo.records if r.path not in ctx.repo.rejected_paths]
    hidden = _hidden(records, ctx.as_of)
    if not hidden:
        return
    ids = {r.id.encode("ascii", errors="ignore"): r for r in hidden}
    titles = {r.title.encode("utf-8"): r for r in hidden if len(r.title) >= 4}
    selected = {r.path for r in ctx.records}
    for record in _public(records, ctx.as_of):
        if record.path not in selected or record.path not in ctx.repo.documents:
            continue
        source = ctx.repo.documents[record.path].source_bytes
        told: set[str] = set()  # each record named once per file: its first mention
        # Which ids, found in one pass in C; where, only for those (most files name none).
        for token in ids.keys() & set(_ID_CANDIDATE.findall(source)):
            named = ids[token]
            at = next((m.start() for m in _ID_TOKEN.finditer(source) if m.group(0) == token), None)
            if at is not None and named.id != record.id and named.id not in told:
                told.add(named.id)
                yield _at(record, source, at, named, f"编号 {named.id}")
        for match in _CITED.finditer(source) if b"\xe3\x80\x8a" in source or b"\xe2\x80\x9c" in source else ():
            named = titles.get(match.group(1) or match.group(2))
            if named is not None and named.id != record.id and named.id not in told:
                told.add(named.id)
                yield _at(record, source, match.start(), named, f"标题“{named.title[:30]}”")


def _at(record: Record, source: bytes, offset: int, named: Record, what: str) -> Diagnostic:
    line_start = source.rfind(b"\n", 0, offset) + 1
    column = len(source[line_start:offset].decode("utf-8", errors="replace")) + 1  # in characters
    return make("W328", record.path, source.count(b"\n", 0, offset) + 1, column, what=what, target=named.id)
