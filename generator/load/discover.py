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
# The column (栏目) each folder's pages form on the site, as its navigation names it.
COLUMN_OF_FOLDER: dict[str, str] = {
    "accidents": "事故",
    "evaluations": "评估报告",
    "rectifications": "隐患整改清单",
    "enforcement": "执法案例",
    "credit": "失信名单",
    "campaigns": "专项整治",
    "directives": "报送要求",
}
# Collections whose files may be far larger than a report (see LimitSettings.max_ledger_bytes).
LEDGER_COLLECTIONS = frozenset({"rectification"})


_FOLDER_OF = {name: folder for folder, name in COLLECTIONS.items()}


def folder_of(collection: str) -> str:
    """`accident` → `accidents`: the folder under content/ (and in the site's URLs)."""
    return _FOLDER_OF[collection]


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # POSIX path relative to the content root's parent, as shown to users
    collection: str | None  # None: not in a known collection folder
    # Set when the entry must be refused without being read (HAZARDS.md G01).
    symlink_target: str | None = None
    nested_repository: bool = False


def discover(root: Path, only: list[Path] | None = None) -> list[SourceFile]:
    """All `*.md` files under `root/content`, sorted; `only` restricts to those paths."""
    found: list[SourceFile] = []
    refused: list[SourceFile] = []
    # os.scandir, not os.walk and pathlib: an entry says whether it is a link without another
    # system call, and 10,000 Path operations cost a second. A link is never followed: a
    # symlinked folder must never pull outside files in (HAZARDS.md G01).
    pending = [(root / "content", "content")]
    while pending:
        folder, rel_folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        if any(entry.name == ".git" for entry in entries):
            refused.append(SourceFile(folder, rel_folder, None, nested_repository=True))
            continue
        parts = rel_folder.split("/")
        collection = COLLECTIONS.get(parts[1]) if len(parts) == 2 else None
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}"
            if entry.is_symlink():
                refused.append(SourceFile(folder / entry.name, rel, None, symlink_target=os.readlink(entry.path)))
            elif entry.is_dir():
                pending.append((folder / entry.name, rel))
            elif entry.name.endswith(".md"):
                found.append(SourceFile(folder / entry.name, rel, collection))
    if only is not None:
        wanted = {p.resolve() for p in only}
        found = [f for f in found if f.path.resolve() in wanted or any(d in f.path.resolve().parents for d in wanted)]
        refused = [r for r in refused if r.path.absolute() in wanted or any(d in r.path.absolute().parents for d in wanted)]
    return sorted(found + refused, key=lambda s: s.rel)
