"""MkDocs hooks named in mkdocs.yml.

Running `mkdocs build` or `mkdocs serve` directly would skip the publication
gate, so the build refuses unless its docs dir was staged by `portal build`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from generator.build.sanitize import sanitize_html

STAGED_MARKER = ".portal-staged"


def on_config(config: Any, **kwargs: Any) -> Any:
    if not (Path(config["docs_dir"]) / STAGED_MARKER).is_file():
        raise Abort("请使用 portal build 生成站点（直接运行 mkdocs 会绕过公开审核）"
                    " | Build with `portal build`: running mkdocs directly bypasses the publication gate")
    return config


def on_page_content(html: str, **kwargs: Any) -> str:
    """Sanitize each page's content before the theme wraps it (never the theme's own markup)."""
    return sanitize_html(html)
