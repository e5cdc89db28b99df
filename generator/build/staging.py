"""Write generated pages and the published schemas into a fresh docs dir."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.load.discover import folder_of
from generator.publish import PublicView
from generator.render.data import GeneratedFile
from generator.render.pages import SCHEMA_FILES, GeneratedPage
from generator.rules.attachments import attachment_path
from generator.validate.schema import SCHEMA_DIR

ASSETS_DIR = Path(__file__).resolve().parent.parent.parent / "site_templates" / "assets"


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
    docs_dir.mkdir(parents=True)
    folders = _Folders(docs_dir)
    for item in generated:
        with open(folders.made_for(item.path), "wb") as out:
            out.write(item.content)
    for file in files:
        shutil.copyfile(file.source, folders.made_for(file.target), follow_symlinks=False)
    for page in pages:
        with open(folders.made_for(page.path), "w", encoding="utf-8") as out:
            out.write(page.markdown)
    for name in SCHEMA_FILES:
        shutil.copyfile(SCHEMA_DIR / f"{name}.schema.json", docs_dir / "schemas" / f"{name}.schema.json")
    if ASSETS_DIR.is_dir():
        shutil.copytree(ASSETS_DIR, docs_dir / "assets", dirs_exist_ok=True)


class _Folders:
    """Makes each folder of the docs dir once: thousands of pages share a few folders, and
    asking the file system again for every page cost seconds at 10,000 records."""

    def __init__(self, docs_dir: Path) -> None:
        self.docs_dir = str(docs_dir)
        self.made: set[str] = set()

    def made_for(self, relative: str) -> str:
        """The absolute path of `relative` (POSIX, under the docs dir), its folder made."""
        folder, _, _ = relative.rpartition("/")
        if folder not in self.made:
            os.makedirs(os.path.join(self.docs_dir, folder), exist_ok=True)
            self.made.add(folder)
        return os.path.join(self.docs_dir, relative)
