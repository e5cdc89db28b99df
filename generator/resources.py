"""Where the files the portal runs on live: schemas, page templates, theme overrides, assets, the
builder's configuration, the staff guide and the example records.

The project's top-level `schemas/`, `site_templates/`, `mkdocs.yml`, `docs/` and `content/` are
the single source. A wheel carries them under `generator/_bundled/` (pyproject.toml's
force-include); a source checkout or an editable install reads the top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"
DATA_DIR = _BUNDLED if _BUNDLED.is_dir() else _PACKAGE.parent

SCHEMA_DIR = DATA_DIR / "schemas"
# The format of `portal export`'s bundles, published with every site (data/).
BUNDLE_SCHEMA = SCHEMA_DIR / "export" / "column-bundle-1.schema.json"
TEMPLATES_DIR = DATA_DIR / "site_templates"
PAGE_TEMPLATE_DIR = TEMPLATES_DIR / "pages"
THEME_OVERRIDES_DIR = TEMPLATES_DIR / "overrides"
ASSETS_DIR = TEMPLATES_DIR / "assets"
BUILDER_CONFIG = DATA_DIR / "mkdocs.yml"
STAFF_DOCS_DIR = DATA_DIR / "docs"
_EXAMPLES = _BUNDLED / "examples" if _BUNDLED.is_dir() else DATA_DIR / "examples"
# What `portal init` writes into a new content repository (CI, hooks, staff README), and the
# demo records `portal init --examples` adds.
STARTER_DIR = _EXAMPLES / "content-repository"
EXAMPLE_CONTENT_DIR = _EXAMPLES / "content" if _BUNDLED.is_dir() else DATA_DIR / "content"
