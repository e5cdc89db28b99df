"""After the build, before the swap: scan every output file for non-public records.

A hit means the publication gate was bypassed somewhere; the build is refused
and the previous site stays in place.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.model import Record


def forbidden_ids(records: Iterable[Record], as_of: dt.date) -> set[str]:
    """Ids that must not appear in the site, decided without the publication gate.

    Deliberately a second, independent reading of the rule in publish.py: if the
    gate is ever wrong, the two disagree and the guard catches it.
    """
    allowed_statuses = {"published", "withdrawn"}
    return {r.id for r in records
            if r.status.value not in allowed_statuses or r.publish_date is None or r.publish_date > as_of}


@dataclass(frozen=True)
class Leak:
    file: str
    record_id: str


def scan(site_dir: Path, forbidden_ids: set[str]) -> list[Leak]:
    if not forbidden_ids:
        return []
    # Ids are ASCII slugs; bound them so SG-2024-001 does not match SG-2024-0011.
    pattern = re.compile(rb"(?<![A-Za-z0-9-])(" + b"|".join(re.escape(i.encode()) for i in sorted(forbidden_ids))
                         + rb")(?![A-Za-z0-9-])")
    leaks: list[Leak] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        for match in pattern.finditer(data):
            leaks.append(Leak(path.relative_to(site_dir).as_posix(), match.group(1).decode()))
            break
    return leaks
