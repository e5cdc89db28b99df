"""Replace site/ only after a complete, clean build: readers never see half a site.

The swap is two renames (site → old, new → site). A kill between them leaves no
site/ but the old one intact beside it; the next build puts it back before doing
anything else. Two builds into the same site directory at once are not supported.

The replaced site is deleted by a detached process: unlinking a large site's files took
seconds that the build no longer waits for. Whatever it leaves (say, the machine stops)
the next build sweeps first.
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
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    new_dir.rename(site_dir)
    if old is not None:
        _delete_in_background(old)


def _delete_in_background(path: Path) -> None:
    try:
        deleter = subprocess.Popen([sys.executable, "-c",
                                    "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(path)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return
    lower_priority(deleter.pid, 19)  # a preview's next page update, say, should not wait for it


def lower_priority(pid: int, niceness: int) -> None:
    """Let other work go first (the processes it starts inherit this); best effort."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except (AttributeError, OSError):  # not on this system, or the process has already ended
        pass
