"""Each record's history from Git, in one pass over the log (not one `git log` per file)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer date, YYYY-MM-DD


@dataclass
class FileHistory:
    commits: list[Commit] = field(default_factory=list)  # newest first

    @property
    def first(self) -> Commit:
        return self.commits[-1]

    @property
    def last(self) -> Commit:
        return self.commits[0]

    def commit_for(self, day: str) -> Commit | None:
        """The earliest commit on or after `day`: the one that brought a correction dated `day`."""
        later = [c for c in self.commits if c.date >= day]
        return later[-1] if later else None


@dataclass(frozen=True)
class History:
    files: dict[str, FileHistory]
    shallow: bool  # a shallow clone: the oldest commits are missing, so "first" is not known


def read_history(root: Path) -> History | None:
    """None outside a Git work tree. Paths are relative to `root`, POSIX, raw (-z: no octal quoting)."""
    def git(*args: str) -> bytes:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True).stdout

    try:
        prefix = git("rev-parse", "--show-prefix").decode().strip()
        shallow = git("rev-parse", "--is-shallow-repository").decode().strip() == "true"
        log = git("log", "--no-renames", "--format=%x1e%H %cs", "--name-only", "-z", "--", "content")
    except (OSError, subprocess.CalledProcessError):
        return None
    files: dict[str, FileHistory] = {}
    for block in log.decode("utf-8", errors="surrogateescape").split("\x1e"):
        if not block.strip("\x00\n"):
            continue
        header, _, names = block.partition("\n")
        sha, date = header.split(" ", 1)
        commit = Commit(sha[:10], date.strip())
        for name in names.split("\x00"):
            name = name.strip("\n")
            if name.startswith(prefix) and name:
                files.setdefault(name[len(prefix):], FileHistory()).commits.append(commit)
    return History(files, shallow)
