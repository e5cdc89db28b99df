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


class Folders:
    """Makes each folder under `base` once: thousands of files share few folders, and asking
    the file system again for every file cost seconds at 10,000 records."""

    def __init__(self, base: Path) -> None:
        self.base = str(base)
        self.made: set[str] = set()

    def made_for(self, relative: str) -> str:
        """The absolute path of `relative` (POSIX, under `base`), its folder made."""
        folder, _, _ = relative.rpartition("/")
        if folder not in self.made:
            os.makedirs(os.path.join(self.base, folder), exist_ok=True)
            self.made.add(folder)
        return os.path.join(self.base, relative)
