"""Where a member's published files are read from: a built site's folder, its public address
(with ETag revalidation, so an unchanged file costs a 304), or a Git repository holding it.
Every read is bounded: a file over its limit is refused, never read whole."""

from __future__ import annotations

import hashlib
import os
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.rollup.config import MemberConfig

TIMEOUT = 30  # seconds per request
_AGENT = "safety-portal-rollup/1"
_LAST_MODIFIED = "lm:"


class Unreadable(Exception):
    """A file that could not be read: the message says why (shown in E951)."""


@dataclass(frozen=True)
class Fetched:
    data: bytes | None  # None: unchanged since the ETag given
    etag: str


class Source(Protocol):
    label: str  # where the files are, as messages show it

    def read(self, rel: str, limit: int, etag: str = "") -> Fetched: ...


class FolderSource:
    def __init__(self, folder: Path, label: str) -> None:
        self.folder, self.label = folder, label

    def read(self, rel: str, limit: int, etag: str = "") -> Fetched:
        path = self.folder / rel
        try:
            if path.is_symlink():
                raise Unreadable("是符号链接 / is a symbolic link")
            size = path.stat().st_size
            if size > limit:
                raise Unreadable(f"超过 {limit} 字节 / larger than {limit} bytes")
            data = path.read_bytes()
        except FileNotFoundError:
            raise Unreadable("文件不存在 / no such file") from None
        except OSError as exc:
            raise Unreadable(exc.strerror or str(exc)) from None
        # A folder's "ETag" is the content's hash: unchanged bytes are not parsed again.
        tag = hashlib.sha256(data).hexdigest()
        return Fetched(None if tag == etag else data, tag)


class HttpSource:
    def __init__(self, base: str) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.label = self.base

    def read(self, rel: str, limit: int, etag: str = "") -> Fetched:
        request = urllib.request.Request(self.base + rel, headers={"User-Agent": _AGENT})
        # Revalidate by ETag where the server gives one, else by Last-Modified (kept as "lm:…").
        if etag.startswith(_LAST_MODIFIED):
            request.add_header("If-Modified-Since", etag.removeprefix(_LAST_MODIFIED))
        elif etag:
            request.add_header("If-None-Match", etag)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > limit:
                    raise Unreadable(f"超过 {limit} 字节 / larger than {limit} bytes")
                data = response.read(limit + 1)
                if len(data) > limit:
                    raise Unreadable(f"超过 {limit} 字节 / larger than {limit} bytes")
                tag = response.headers.get("ETag") or ""
                modified = response.headers.get("Last-Modified")
                return Fetched(data, tag or (_LAST_MODIFIED + modified if modified else ""))
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Fetched(None, etag)
            raise Unreadable(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise Unreadable(str(getattr(exc, "reason", exc))) from None


def git_checkout(config: MemberConfig, cache: Path) -> Path:
    """A shallow checkout of the member's Git repository in the roll-up's cache, brought up to
    date; the folder of the built site inside it."""
    folder = cache / "git" / hashlib.sha256(f"{config.git}\n{config.ref}".encode()).hexdigest()[:16]
    ref = [config.ref] if config.ref else []
    try:
        if not (folder / ".git").is_dir():
            folder.parent.mkdir(parents=True, exist_ok=True)
            branch = ["--branch", config.ref] if config.ref else []
            _git("clone", "-q", "--depth", "1", *branch, config.git, str(folder))
        else:
            _git("-C", str(folder), "fetch", "-q", "--depth", "1", "origin", *ref)
            _git("-C", str(folder), "checkout", "-q", "-f", "FETCH_HEAD")
    except subprocess.CalledProcessError as exc:
        raise Unreadable(f"git: {(exc.stderr or '').strip()[:200]}") from None
    except subprocess.TimeoutExpired:
        raise Unreadable("git: 超时 / timed out") from None
    return folder / config.source


def _git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, capture_output=True, text=True, timeout=300,
                   env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})


def source_for(config: MemberConfig, root: Path, cache: Path) -> Source:
    if config.git:
        folder = git_checkout(config, cache)
        return FolderSource(folder, f"{config.git} {config.source}")
    if config.is_url:
        return HttpSource(config.source)
    folder = (root / config.source).resolve()
    return FolderSource(folder, config.source)
