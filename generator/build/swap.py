"""Replace site/ only after a complete, clean build: readers never see half a site."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def new_build_dir(site_dir: Path) -> Path:
    """A fresh directory beside site/, on the same file system so rename is atomic."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))


def swap_in(new_dir: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    new_dir.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
