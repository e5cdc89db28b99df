"""Find record files under content/ and map each folder to its collection."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Folder under content/ → collection name (also the schema's file stem).
COLLECTIONS: dict[str, str] = {
    "accidents": "accident",
    "evaluations": "evaluation",
    "rectifications": "rectification",
    "enforcement": "enforcement",
    "credit": "credit",
    "campaigns": "campaign",
    "directives": "directive",
}
# Collections whose files may be far larger than a report (see LimitSettings.max_ledger_bytes).
LEDGER_COLLECTIONS = frozenset({"rectification"})


def folder_of(collection: str) -> str:
    """`accident` → `accidents`: the folder under content/ (and in the site's URLs)."""
    return next(folder for folder, name in COLLECTIONS.items() if name == collection)


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # POSIX path relative to the content root's parent, as shown to users
    collection: str | None  # None: not in a known collection folder
    # Set when the entry must be refused without being read (HAZARDS.md G01).
    symlink_target: str | None = None
    nested_repository: bool = False


def _collection_of(content_dir: Path, file: Path) -> str | None:
    parts = file.relative_to(content_dir).parts
    return COLLECTIONS.get(parts[0]) if len(parts) == 2 else None


def discover(root: Path, only: list[Path] | None = None) -> list[SourceFile]:
    """All `*.md` files under `root/content`, sorted; `only` restricts to those paths."""
    content_dir = root / "content"
    found: list[Path] = []
    refused: list[SourceFile] = []
    # followlinks=False: a symlinked folder must never pull outside files in.
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        here = Path(dirpath)
        if ".git" in dirnames or ".git" in filenames:
            refused.append(SourceFile(here, here.relative_to(root).as_posix(), None, nested_repository=True))
            dirnames.clear()
            continue
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                refused.append(_symlink(root, here / name))
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink())
        for name in filenames:
            if (here / name).is_symlink():
                refused.append(_symlink(root, here / name))
            elif name.endswith(".md"):
                found.append(here / name)
    if only is not None:
        wanted = {p.resolve() for p in only}
        found = [p for p in found if p.resolve() in wanted or any(d in p.resolve().parents for d in wanted)]
        refused = [r for r in refused if r.path.absolute() in wanted or any(d in r.path.absolute().parents for d in wanted)]
    files = [SourceFile(path=p, rel=p.relative_to(root).as_posix(), collection=_collection_of(content_dir, p))
             for p in found]
    return sorted(files + refused, key=lambda s: s.rel)


def _symlink(root: Path, link: Path) -> SourceFile:
    return SourceFile(link, link.relative_to(root).as_posix(), None, symlink_target=os.readlink(link))
