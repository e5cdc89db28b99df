"""Find record files under content/ and map each folder to its collection."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Folder under content/ → collection name (also the schema's file stem).
COLLECTIONS: dict[str, str] = {
    "accidents": "accident",
    "evaluations": "evaluation",
}


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # POSIX path relative to the content root's parent, as shown to users
    collection: str | None  # None: not in a known collection folder


def _collection_of(content_dir: Path, file: Path) -> str | None:
    parts = file.relative_to(content_dir).parts
    return COLLECTIONS.get(parts[0]) if len(parts) == 2 else None


def discover(root: Path, only: list[Path] | None = None) -> list[SourceFile]:
    """All `*.md` files under `root/content`, sorted; `only` restricts to those paths."""
    content_dir = root / "content"
    found: list[Path] = []
    # followlinks=False: a symlinked folder must never pull outside files in.
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames.sort()
        for name in filenames:
            if name.endswith(".md"):
                found.append(Path(dirpath) / name)
    if only is not None:
        wanted = {p.resolve() for p in only}
        found = [p for p in found if p.resolve() in wanted or any(d in p.resolve().parents for d in wanted)]
    return [
        SourceFile(path=p, rel=p.relative_to(root).as_posix(), collection=_collection_of(content_dir, p))
        for p in sorted(found)
    ]
