"""Publication is permanent (DOMAIN.md §2; HAZARDS.md L09).

Against an earlier revision: a record public there may not disappear or stop
being public unless it is withdrawn with a notice, and a change to a public
record's body or fields needs a new corrections entry, which its page shows.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterator

from generator.diagnostics import Diagnostic, make
from generator.model import Record, Status
from generator.publish import is_public
from generator.repository import Repository

_IGNORED_FIELDS = {"corrections"}


def _fingerprint(repo: Repository, record: Record) -> tuple[str, str]:
    data = {k: v for k, v in repo.documents[record.path].data.items() if k not in _IGNORED_FIELDS}
    body = " ".join(record.body.split())
    return json.dumps(data, ensure_ascii=False, sort_keys=True), body


def changed_fields(repo: Repository, record: Record, base_repo: Repository, base: Record) -> list[str]:
    now = repo.documents[record.path].data
    before = base_repo.documents[base.path].data
    fields = sorted(k for k in set(now) | set(before)
                    if k not in _IGNORED_FIELDS and now.get(k) != before.get(k))
    if " ".join(record.body.split()) != " ".join(base.body.split()):
        fields.append("正文/body")
    return fields


def check_permanence(repo: Repository, base_repo: Repository, base_name: str, as_of: dt.date) -> Iterator[Diagnostic]:
    current = {r.id: r for r in repo.records}
    for base in base_repo.records:
        if not is_public(base, as_of):
            continue
        record = current.get(base.id)
        if record is None:
            if base.path in repo.rejected_paths:
                continue  # still there, but failing to load: reported by its own errors
            yield make("E601", base.path, 1, 1, id=base.id, base=base_name)
            continue
        if record.status is Status.WITHDRAWN and record.withdrawal is not None:
            continue
        if not is_public(record, as_of):
            yield repo.at(record, "E602", ("status",), id=record.id, status=record.status.value)
            continue
        if _fingerprint(repo, record) != _fingerprint(base_repo, base) and len(record.corrections) <= len(base.corrections):
            yield repo.at(record, "E603", ("corrections",) if record.corrections else ("id",),
                          changed="、".join(changed_fields(repo, record, base_repo, base)))
