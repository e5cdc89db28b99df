"""The check cache: what loading and schema validation found for each file, by content hash.

A file whose bytes are unchanged is not parsed or validated again: its data, body,
warnings and schema findings come from `.portal-cache/check.pickle`. Cross-record rules
always run on the whole repository. The cache is keyed on everything that could change
those results (the loader, validator and schema sources, the diagnostics catalogue and the
size limits): a change to any of them discards it. Delete the folder to start afresh.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
import os
import pickle
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load.strict_yaml import FieldPath, LineColumn
from generator.resources import SCHEMA_DIR
from generator.settings import COPIED_TOOL_FILES, LimitSettings

CACHE_DIR = ".portal-cache"
CACHE_FILE = "check.pickle"
REPORT_FILE = "report.pickle"
_PACKAGE = Path(__file__).resolve().parent.parent
_INPUTS = ("load", "validate", "diagnostics", "rules")


@dataclass(frozen=True)
class CachedFile:
    digest: str
    data: dict[str, Any]
    body: str
    body_first_line: int
    warnings: tuple[Diagnostic, ...]
    problems: tuple[Diagnostic, ...]  # schema findings; empty for a valid file
    # Field positions as a blob unpacked on demand (unpickling them all made up most of reading
    # the cache): the top two levels of every file, all of them for a hazard list or a file
    # whose findings needed more (LoadedDocument.positions_blob). About a tenth of the cache.
    positions: bytes | None = None
    # Findings of the rules that read only this file (privacy, body safety); None: not yet run.
    single_file: tuple[Diagnostic, ...] | None = None


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _fingerprint(schema_dir: Path, limits: LimitSettings) -> str:
    h = hashlib.sha256(repr(limits).encode())
    h.update(f"stdnum={package_version('python-stdnum')}".encode())  # the privacy rules' checksums
    sources = [p for folder in _INPUTS for p in sorted((_PACKAGE / folder).glob("*.py"))]
    for path in sources + sorted(schema_dir.glob("*.schema.json")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class CheckCache:
    def __init__(self, root: Path, schema_dir: Path, limits: LimitSettings) -> None:
        self.path = root / CACHE_DIR / CACHE_FILE
        self.fingerprint = _fingerprint(schema_dir, limits)
        self.entries: dict[str, CachedFile] = {}
        # Digest of each file as read in this run: entries of files changed since are stale.
        self.current: dict[str, str] = {}
        self.dirty = False
        stored = read_cache_file(self.path)
        # No cache, a damaged one, or one from another version: start afresh.
        if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
            self.entries = stored.get("entries", {})

    def get(self, rel: str, file_digest: str) -> CachedFile | None:
        self.current[rel] = file_digest
        entry = self.entries.get(rel)
        return entry if entry is not None and entry.digest == file_digest else None

    def put(self, rel: str, entry: CachedFile) -> None:
        self.current[rel] = entry.digest
        self.entries[rel] = entry
        self.dirty = True

    def _fresh(self, rel: str) -> CachedFile | None:
        entry = self.entries.get(rel)
        return entry if entry is not None and entry.digest == self.current.get(rel) else None

    def single_file_findings(self, rel: str) -> tuple[Diagnostic, ...] | None:
        entry = self._fresh(rel)
        return entry.single_file if entry is not None else None

    def keep_single_file_findings(self, rel: str, found: list[Diagnostic]) -> None:
        entry = self._fresh(rel)
        if entry is not None:
            self.entries[rel] = replace(entry, single_file=tuple(found))
            self.dirty = True

    def keep_positions(self, rel: str, packed: bytes) -> None:
        entry = self._fresh(rel)
        # Replaces shallow positions kept at loading with all of them, once a finding needed more.
        if entry is not None and entry.positions != packed:
            self.entries[rel] = replace(entry, positions=packed)
            self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write atomically, keeping only files that still exist; a failure leaves no cache."""
        if not self.dirty and set(self.entries) <= keep:
            return
        entries = {rel: entry for rel, entry in self.entries.items() if rel in keep}
        write_cache_file(self.path, {"fingerprint": self.fingerprint, "entries": entries})


def pack_positions(keys: dict[FieldPath, LineColumn], values: dict[FieldPath, LineColumn],
                   depth: int | None) -> bytes:
    """`depth`: the longest field path recorded (None: all were)."""
    return pickle.dumps((keys, values, depth), protocol=pickle.HIGHEST_PROTOCOL)


def unpack_positions(blob: bytes) -> tuple[dict[FieldPath, LineColumn], dict[FieldPath, LineColumn], int | None]:
    """(line, column) pairs, which LoadedDocument turns into Positions when asked."""
    keys, values, depth = pickle.loads(blob)
    return keys, values, depth


def write_cache_file(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        pass  # a read-only checkout still checks, only without a cache


def read_cache_file(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def state_key(root: Path, as_of: str, tracked: frozenset[str] | None) -> str:
    """Everything a full check's report depends on: the code, schemas and settings, the as-of
    date, what Git tracks, and every file under content/ (by size, modification time and inode)."""
    h = hashlib.sha256(as_of.encode())
    for package in ("chinesecalendar", "jsonschema", "jsonschema-rs", "python-stdnum", "PyYAML", "pypdf"):  # their rules count too
        h.update(f"{package}={package_version(package)}".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*.py")) + sorted(SCHEMA_DIR.glob("*.json")):
        h.update(path.read_bytes())
    settings = root / "portal.toml"
    h.update(settings.read_bytes() if settings.is_file() else b"-")
    h.update(bytes((root / name).exists() for name in COPIED_TOOL_FILES))  # W805
    h.update("\0".join(sorted(tracked)).encode() if tracked is not None else b"untracked")
    content = root / "content"
    for dirpath, dirnames, filenames in os.walk(content, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]):
            path = Path(dirpath) / name
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            if path.is_symlink():
                h.update(b"link:" + os.readlink(path).encode())
            else:
                # Size, modification time and inode, as Git's own index does: reading and
                # hashing 10,000 records would cost more than the rest of this shortcut.
                stat = path.stat()
                h.update(f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}".encode())
    return h.hexdigest()


def package_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def cached_report(root: Path, key: str) -> Any:
    stored = read_cache_file(root / CACHE_DIR / REPORT_FILE)
    return stored["report"] if isinstance(stored, dict) and stored.get("key") == key else None


def store_report(root: Path, key: str, report: Any) -> None:
    write_cache_file(root / CACHE_DIR / REPORT_FILE, {"key": key, "report": report})
