"""Write generated pages and the published schemas into a fresh docs dir."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.render.pages import SCHEMA_FILES, GeneratedPage
from generator.validate.schema import SCHEMA_DIR

ASSETS_DIR = Path(__file__).resolve().parent.parent.parent / "site_templates" / "assets"


def stage(pages: list[GeneratedPage], docs_dir: Path) -> None:
    docs_dir.mkdir(parents=True)
    for page in pages:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    for name in SCHEMA_FILES:
        shutil.copyfile(SCHEMA_DIR / f"{name}.schema.json", docs_dir / "schemas" / f"{name}.schema.json")
    if ASSETS_DIR.is_dir():
        shutil.copytree(ASSETS_DIR, docs_dir / "assets", dirs_exist_ok=True)
