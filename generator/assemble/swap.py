"""Replace site/ only after a complete, clean build: readers never see half a site.

The swap is two renames (site → old, new → site). A kill between them leaves no
site/ but the old one intact beside it; the next build puts it back before doing
anything else. Two builds into the same site directory at once are not supported.

The replaced site is then renamed to trash and deleted by a detached process: unlinking a
large site's files took seconds that the build no longer waits for. Trash is never swept in
the foreground (a second delete of a folder the detached process is deleting only doubled
the work, in the next build's time); each swap's deleter takes whatever trash there is,
so what a stopped deleter left goes with the next one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _siblings(site_dir: Path, kind: str) -> list[Path]:
    return sorted(site_dir.parent.glob(f".{site_dir.name}-{kind}-*"))


def recover(site_dir: Path) -> None:
    """Undo what an interrupted build left: restore the old site, drop half-built ones."""
    old = _siblings(site_dir, "old")
    if not site_dir.exists() and old:
        old[-1].rename(site_dir)
    for leftover in _siblings(site_dir, "new") + _siblings(site_dir, "old"):
        shutil.rmtree(leftover, ignore_errors=True)


def new_build_dir(site_dir: Path) -> Path:
    """A fresh directory beside site/, on the same file system so rename is atomic."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(site_dir)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))


def swap_in(new_dir: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = _fresh_name(site_dir, "old")
        site_dir.rename(old)
    new_dir.rename(site_dir)
    if old is not None:
        old.rename(_fresh_name(site_dir, "trash"))
    trash = _siblings(site_dir, "trash")
    if trash:
        _delete_in_background(trash)


def _fresh_name(site_dir: Path, kind: str) -> Path:
    name = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-{kind}-", dir=site_dir.parent))
    name.rmdir()
    return name


def _delete_in_background(paths: list[Path]) -> None:
    try:
        deleter = subprocess.Popen([sys.executable, "-c", "import shutil, sys\nfor path in sys.argv[1:]:\n"
                                    "    shutil.rmtree(path, ignore_errors=True)", *map(str, paths)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        return
    lower_priority(deleter.pid, 19)  # a preview's next page update, say, should not wait for it


def lower_priority(pid: int, niceness: int) -> None:
    """Let other work go first (the processes it starts inherit this); best effort."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except (AttributeError, OSError):  # not on this system, or the process has already ended
        pass
