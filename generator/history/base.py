"""Read the content repository as it was at a Git revision, without touching the work tree."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class GitError(Exception):
    pass


def _git(root: Path, *args: str) -> bytes:
    try:
        completed = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True)
    except FileNotFoundError as exc:
        raise GitError("git 未安装 / git is not installed") from exc
    except subprocess.CalledProcessError as exc:
        raise GitError(exc.stderr.decode("utf-8", errors="replace").strip()) from exc
    return completed.stdout


@contextmanager
def checkout_at(root: Path, revision: str) -> Iterator[Path]:
    """A temporary directory holding content/ and portal.toml as they were at `revision`."""
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="portal-base-") as tmp:
        archive = Path(tmp) / "base.tar"
        paths = [f"{prefix}content"]
        listed = _git(root, "ls-tree", "--name-only", revision, f"{prefix}portal.toml").decode().strip()
        if listed:
            paths.append(f"{prefix}portal.toml")
        archive.write_bytes(_git(root, "archive", "--format=tar", revision, "--", *paths))
        out = Path(tmp) / "tree"
        with tarfile.open(archive) as tar:
            tar.extractall(out, filter="data")  # refuses links and paths outside `out`
        yield out / prefix if prefix else out


def changed_paths(root: Path, revision: str) -> list[Path] | None:
    """Record files under content/ changed since `revision` (committed, staged, unstaged or new).

    `-z` keeps Chinese names raw (no core.quotepath octal escapes, HAZARDS.md G07).
    A changed attachment counts as a change to its record; None means "check
    everything" (the settings changed, and with them every rule).
    """
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    listed = _git(root, "diff", "--name-only", "-z", revision, "--", ".").split(b"\0")
    listed += _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".").split(b"\0")
    paths: set[Path] = set()
    for raw in filter(None, listed):
        name = raw.decode("utf-8", errors="surrogateescape")
        rel = name[len(prefix):] if name.startswith(prefix) else name
        if rel == "portal.toml":
            return None
        parts = Path(rel).parts
        if len(parts) >= 4 and parts[0] == "content" and parts[2] == "files":
            # content/<folder>/files/<id>/<name>: the record that lists it
            paths.update(p for p in (root / "content" / parts[1]).glob("*.md") if _declares_id(p, parts[3]))
        elif rel.startswith("content/") and rel.endswith(".md") and (root / rel).exists():
            paths.add(root / rel)
    return sorted(paths)


def _declares_id(path: Path, record_id: str) -> bool:
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    return any(line.strip().strip("'\"") == f"id: {record_id}" or line.strip() == f"id: {record_id}"
               for line in head.splitlines())
