"""What the last clean build leaves for the next one, in .portal-cache/.

Two things, each keyed on everything its reuse depends on (see their modules): the page
manifest (page_cache.py) and the files the leak guard found clean (leak_guard.py). Read at the start of a build, written only
once a clean build has been swapped in, so they always describe the site that is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.assemble.page_cache import PageManifest
from generator.load.cache import CACHE_DIR, read_cache_file, write_cache_file

MEMORY_FILE = "build.pickle"


@dataclass(frozen=True)
class BuildMemory:
    pages: PageManifest | None = None
    guard_key: str = ""
    clean_files: dict[str, str] | None = None  # rel → digest, found clean under guard_key

    def clean_under(self, key: str) -> dict[str, str] | None:
        return self.clean_files if self.guard_key == key else None


def recall(root: Path) -> BuildMemory:
    """The last clean build's memory; none (everything afresh) when missing, damaged or old."""
    stored = read_cache_file(root / CACHE_DIR / MEMORY_FILE)
    return stored if isinstance(stored, BuildMemory) else BuildMemory()


def remember(root: Path, memory: BuildMemory) -> None:
    write_cache_file(root / CACHE_DIR / MEMORY_FILE, memory)
