"""MkDocs hooks named in mkdocs.yml.

Running `mkdocs build` or `mkdocs serve` directly would skip the publication
gate, so the build refuses unless its docs dir was staged by `portal build`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from generator.build.sanitize import sanitize_html

STAGED_MARKER = ".portal-staged"
# A sharded build (generator/build/mkdocs_build.py): which process renders which page.
SHARDS_FILE = ".portal-shards.json"
SHARD_VARIABLE = "PORTAL_MKDOCS_SHARD"
# A page another process renders gets an empty template: nothing is written for it here.
PLACEHOLDER_TEMPLATE = "portal-placeholder.html"

_owners: dict[str, int] = {}


def on_config(config: Any, **kwargs: Any) -> Any:
    if not (Path(config["docs_dir"]) / STAGED_MARKER).is_file():
        raise Abort("请使用 portal build 生成站点（直接运行 mkdocs 会绕过公开审核）"
                    " | Build with `portal build`: running mkdocs directly bypasses the publication gate")
    shards = Path(config["docs_dir"]) / SHARDS_FILE
    _owners.clear()
    if os.environ.get(SHARD_VARIABLE) and shards.is_file():
        _owners.update(json.loads(shards.read_text(encoding="utf-8")))
    return config


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """In a sharded build, pages of other shards are left empty: no Markdown, no theme, no file.

    They stay in the site's file list, so links to them are still checked, the navigation
    and sitemap still hold them, and their own shard renders them in full.
    """
    shard = os.environ.get(SHARD_VARIABLE)
    if shard and _owners.get(page.file.src_uri, 0) != int(shard):
        page.meta["template"] = PLACEHOLDER_TEMPLATE
        return ""
    return markdown


def on_page_content(html: str, **kwargs: Any) -> str:
    """Sanitize each page's content before the theme wraps it (never the theme's own markup)."""
    return sanitize_html(html)
