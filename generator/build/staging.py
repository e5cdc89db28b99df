"""Write generated pages and the published schemas into a fresh docs dir."""

from __future__ import annotations

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
    for item in generated:
        target = docs_dir / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.content)
    for file in files:
        target = docs_dir / file.target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file.source, target, follow_symlinks=False)
    for page in pages:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    for name in SCHEMA_FILES:
        shutil.copyfile(SCHEMA_DIR / f"{name}.schema.json", docs_dir / "schemas" / f"{name}.schema.json")
    if ASSETS_DIR.is_dir():
        shutil.copytree(ASSETS_DIR, docs_dir / "assets", dirs_exist_ok=True)
