"""Stage generated pages, data, attachments and the published schemas as the docs dir MkDocs builds."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generator.assemble.tree import Folders, files_under
from generator.load.cache import CACHE_DIR
from generator.load.discover import folder_of
from generator.publish import PublicView
from generator.render.data import GeneratedFile
from generator.render.pages import GeneratedPage
from generator.resources import ASSETS_DIR
from generator.rules.attachments import attachment_path


@dataclass(frozen=True)
class StagedFile:
    source: Path  # absolute, inside the repository
    target: str  # relative to the docs dir, POSIX


def public_attachments(view: PublicView, root: Path) -> list[StagedFile]:
    """Attachments of public records only: a withdrawn or hidden record's files never leave."""
    staged = []
    for record in view.records:
        folder = folder_of(record.collection)
        for attachment in record.attachments:
            source = root / attachment_path(record.path, attachment.file)
            staged.append(StagedFile(source, f"{folder}/{attachment.file}"))
    return staged


def stage(pages: list[GeneratedPage], docs_dir: Path, files: list[StagedFile] = (),  # type: ignore[assignment]
          generated: list[GeneratedFile] = ()) -> None:  # type: ignore[assignment]
    """Make `docs_dir` hold exactly these files. A page whose bytes are already there is not
    written again (a reused docs dir: writing 10,000 new files cost seconds), and any file
    not in the new set is removed: a record hidden since the last build leaves no page."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    folders = Folders(docs_dir)
    for item in generated:
        with open(folders.made_for(item.path), "wb") as out:
            out.write(item.content)
    for file in files:
        shutil.copyfile(file.source, folders.made_for(file.target), follow_symlinks=False)
    for page in pages:
        target = folders.made_for(page.path)
        content = page.markdown.encode("utf-8")
        if _read_or_none(target) != content:
            with open(target, "wb") as out:
                out.write(content)
    for rel in _assets():
        shutil.copyfile(ASSETS_DIR / rel, folders.made_for(f"assets/{rel}"))
    wanted = staged_paths(pages, files, generated)
    for rel in files_under(docs_dir):
        if rel not in wanted:
            os.unlink(docs_dir / rel)
    for folder in sorted(_folders_under(docs_dir), reverse=True):  # deepest first
        with contextlib.suppress(OSError):  # not empty
            os.rmdir(folder)


def staged_paths(pages: list[GeneratedPage], files: list[StagedFile] = (),  # type: ignore[assignment]
                 generated: list[GeneratedFile] = ()) -> set[str]:  # type: ignore[assignment]
    """Every file `stage` puts in the docs dir, relative to it."""
    return ({item.path for item in generated} | {file.target for file in files} | {page.path for page in pages}
            | {f"assets/{rel}" for rel in _assets()})


def _assets() -> list[str]:
    return files_under(ASSETS_DIR) if ASSETS_DIR.is_dir() else []


def _read_or_none(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, IsADirectoryError):
        return None


def _folders_under(root: Path) -> list[str]:
    return [os.path.join(path, name) for path, names, _ in os.walk(root) for name in names]


@contextlib.contextmanager
def docs_dir_for(root: Path, reuse: bool) -> Iterator[Path]:
    """The folder to stage the docs into: with `reuse`, .portal-cache/docs, kept from the last
    build, unless another build (a preview, say) holds it; otherwise a new temporary folder."""
    if reuse:
        lock_path = root / CACHE_DIR / "docs.lock"
        try:
            lock_path.parent.mkdir(exist_ok=True)
            lock = open(lock_path, "wb")  # noqa: SIM115 - held until the build is done with the folder
        except OSError:
            lock = None  # a read-only checkout builds in a temporary folder
        if lock is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
            else:
                try:
                    yield root / CACHE_DIR / "docs"
                finally:
                    lock.close()  # closing releases the lock
                return
    with tempfile.TemporaryDirectory(prefix="portal-docs-") as temporary:
        yield Path(temporary) / "docs"
