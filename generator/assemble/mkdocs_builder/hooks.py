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

from generator.assemble.sanitize import sanitize_html

STAGED_MARKER = ".portal-staged"
# A sharded build (generator/assemble/mkdocs_builder/build.py): which process renders which page.
SHARDS_FILE = ".portal-shards.json"
SHARD_VARIABLE = "PORTAL_MKDOCS_SHARD"
# A page another process renders gets an empty template: nothing is written for it here.
PLACEHOLDER_TEMPLATE = "portal-placeholder.html"
# The owner of a page copied unchanged from the previous build (generator/assemble/page_cache.py).
REUSED = -1

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


def on_pre_page(page: Any, **kwargs: Any) -> Any:
    """A page another process renders, or one copied from the last build, is left empty here:
    it is not read, converted or themed, and nothing is written for it.

    It stays in the site's file list, so links to it are still checked, and the navigation
    and sitemap still hold it. Its owner renders it in full.
    """
    shard = os.environ.get(SHARD_VARIABLE)
    if shard and _owners.get(page.file.src_uri, 0) != int(shard):
        def read_nothing(config: Any) -> None:
            page.markdown, page.meta = "", {"template": PLACEHOLDER_TEMPLATE}

        def render_nothing(config: Any, files: Any) -> None:
            page.content, page.toc = "", []

        # Bound to this one Page object only: MkDocs calls these next for it.
        page.read_source, page.render = read_nothing, render_nothing
    return page


def on_page_content(html: str, **kwargs: Any) -> str:
    """Sanitize each page's content before the theme wraps it (never the theme's own markup)."""
    return sanitize_html(html)


def on_env(env: Any, config: Any, files: Any, **kwargs: Any) -> Any:
    """The site navigation is the same on every page outside it that sits at the same place
    relative to its links; main.html renders it once per such place (see nav_key)."""
    env.globals["portal_nav_key"] = nav_key
    env.globals["portal_nav_cache"] = {}
    return env


def nav_key(page: Any, nav: Any) -> tuple[str, ...] | None:
    """What the navigation's HTML depends on for this page; None to render it afresh.

    A page in the navigation is marked active in it: rendered afresh. For any other page
    only the relative links differ, and a link from a page to a target depends only on the
    parts of the page's URL that match the target's at the same place. Parts no link target
    has there are masked, so every record page of a collection shares one key.
    """
    if page is None or nav is None or page.is_homepage or any(p is page for p in nav.pages):
        return None
    targets = [item.url.strip("/").split("/") for item in nav.pages] + [[""]]
    parts = page.url.strip("/").split("/")
    return tuple(part if any(len(t) > i and t[i] == part for t in targets) else "\0"
                 for i, part in enumerate(parts))
