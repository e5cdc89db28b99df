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
