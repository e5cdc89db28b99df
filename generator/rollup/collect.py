"""Read every member, in parallel, each at most once per change: a member whose catalog and
search head are unchanged (same ETag, or for a folder the same SHA-256) is taken from the
roll-up's cache (.portal-cache/rollup/members/) without reading its other files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic, make
from generator.diagnostics import Severity
from generator.rollup.config import _URL, MemberConfig, RollupConfig
from generator.rollup.member_data import MemberError, MemberSummary, Reader, Stamp, read_stamp, stale, summarise
from generator.rollup.sources import FolderSource, Unreadable, source_for

STATE_FILE = "state.json"
SPOOL_FILE = "pages.jsonl.gz"


@dataclass
class MemberOutcome:
    config: MemberConfig
    name: str  # as the roll-up shows it
    summary: MemberSummary | None  # None: left out (see diagnostics)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    spool: Path | None = None  # its search pages
    link_base: str = ""  # its pages' addresses start with this (absolute, or from the roll-up site's root); "" no links
    reused: bool = False  # taken from the cache
    stamp: str = ""  # what identified its published state when read (catalog and search head ETags)


def collect(root: Path, config: RollupConfig, cache: Path, site_dir: Path, as_of: dt.date,
            use_cache: bool = True, jobs: int = 8) -> list[MemberOutcome]:
    def one(member: MemberConfig) -> MemberOutcome:
        return _member(root, member, cache, site_dir, as_of, use_cache, config.stale_days)
    with ThreadPoolExecutor(max(1, min(jobs, len(config.members)))) as pool:
        return list(pool.map(one, config.members))


def _member(root: Path, member: MemberConfig, cache: Path, site_dir: Path, as_of: dt.date,
            use_cache: bool, stale_days: int) -> MemberOutcome:
    key = hashlib.sha256(f"{member.source}\n{member.git}\n{member.ref}".encode()).hexdigest()[:20]
    folder = cache / "members" / key
    folder.mkdir(parents=True, exist_ok=True)
    label = member.name or member.source
    try:
        source = source_for(member, root, cache)
    except Unreadable as exc:
        return MemberOutcome(member, label, None, [make("E951", member.git or member.source, member=label,
                                                        file="git", detail=str(exc))])
    reader = Reader(source, label)
    state_path, spool = folder / STATE_FILE, folder / SPOOL_FILE
    known = _load_state(state_path) if use_cache else None
    try:
        stamp, catalog, head = read_stamp(reader, known[0] if known else None)
        reused = known is not None and catalog is None and head is None
        if reused:
            summary = known[1]
        else:
            if catalog is None or (head is None and stamp.search):  # one of the two changed: read both
                stamp, catalog, head = read_stamp(reader, None)
            state_path.unlink(missing_ok=True)
            summary = summarise(reader, catalog or b"", head, spool)
            _save_state(state_path, stamp, summary)
    except MemberError as exc:
        state_path.unlink(missing_ok=True)
        return MemberOutcome(member, label, None, [exc.diagnostic])
    name = member.name or summary.title
    diagnostics = [Diagnostic(**{**w, "severity": Severity(w["severity"])}) for w in summary.warnings]
    if stale(summary, as_of, stale_days):
        diagnostics.append(make("W951", f"{source.label.rstrip('/')}/data/catalog.json", member=name,
                                as_of=summary.as_of, days=stale_days))
    return MemberOutcome(member, name, summary, diagnostics, spool if summary.pages else None,
                         _link_base(member, summary, source, site_dir), reused, f"{stamp.catalog} {stamp.search}")


def _link_base(member: MemberConfig, summary: MemberSummary, source: object, site_dir: Path) -> str:
    """Where the member's pages are: its configured address, the address its catalog gives,
    the address it was read from, or (a folder) the way there from the roll-up site's root."""
    for candidate in (member.url, summary.site_url, member.source if member.is_url else ""):
        if candidate and _URL.fullmatch(candidate):
            return candidate if candidate.endswith("/") else candidate + "/"
    if isinstance(source, FolderSource) and not member.git:
        relative = os.path.relpath(source.folder, site_dir.resolve()).replace(os.sep, "/")
        return relative + "/"
    return ""


def _load_state(path: Path) -> tuple[Stamp, MemberSummary] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        return Stamp(**value["stamp"]), MemberSummary.from_json(value["summary"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no state, or one from another version: read the member afresh


def _save_state(path: Path, stamp: Stamp, summary: MemberSummary) -> None:
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps({"stamp": asdict(stamp), "summary": summary.to_json()}, ensure_ascii=False),
                   encoding="utf-8")
    tmp.replace(path)
