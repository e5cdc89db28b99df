"""List a folder's files as relative POSIX paths: the build walks folders of 10,000+ files
several times, and pathlib's rglob, relative_to and Path sorting cost seconds there."""

from __future__ import annotations

import os
from pathlib import Path


def files_under(folder: Path, suffix: str = "") -> list[str]:
    """Regular files (or links to one) under `folder` whose names end in `suffix`, sorted;
    folders are entered but never followed through a link."""
    found: list[str] = []
    pending = [("", str(folder))]
    while pending:
        prefix, path = pending.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((prefix + entry.name + "/", entry.path))
            elif entry.name.endswith(suffix) and entry.is_file():
                found.append(prefix + entry.name)
    found.sort()
    return found
