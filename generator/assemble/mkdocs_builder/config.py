"""The builder's configuration for one content repository, made from the packaged mkdocs.yml.

Only the packaged configuration is used: a content repository cannot swap out the hooks that
refuse unstaged docs and sanitise every page. What an office may change it changes through
`portal.toml` ([site] logo, extra_css) and an `overrides/` folder of its own, whose templates
and files take precedence over the packaged theme overrides.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.resources import BUILDER_CONFIG, THEME_OVERRIDES_DIR
from generator.settings import IDENTITY_FIELDS, SiteSettings

HOOKS_FILE = Path(__file__).resolve().parent / "hooks.py"
# A content repository's own theme overrides (templates, a logo, CSS), layered over ours.
LOCAL_OVERRIDES = "overrides"


def local_overrides(root: Path) -> Path | None:
    folder = root / LOCAL_OVERRIDES
    return folder.resolve() if folder.is_dir() else None


def theme_folders(root: Path) -> list[Path]:
    """Template folders in the order a page's template is looked up: the office's, then ours."""
    local = local_overrides(root)
    return ([local] if local else []) + [THEME_OVERRIDES_DIR]


def config_text(site: SiteSettings) -> str:
    """The packaged mkdocs.yml with every path made absolute, so it builds from any directory,
    and the office's identity for the footer and the head of every page (extra.portal)."""
    config: dict[str, Any] = yaml.safe_load(BUILDER_CONFIG.read_text(encoding="utf-8"))
    config["hooks"] = [str(HOOKS_FILE)]
    theme = config.setdefault("theme", {})
    theme["custom_dir"] = str(THEME_OVERRIDES_DIR)
    if site.logo:
        theme["logo"] = site.logo
    config["extra_css"] = list(config.get("extra_css") or []) + list(site.extra_css)
    if site.site_url:
        config["site_url"] = site.site_url  # canonical links
    identity = {name: getattr(site, name) for name in IDENTITY_FIELDS}
    identity["police_record_url"] = site.police_record_url
    identity["site_domain"] = urlsplit(site.site_url).hostname or ""
    config.setdefault("extra", {})["portal"] = identity
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def load_site_config(root: Path, text: str, **values: Any) -> MkDocsConfig:
    """MkDocs' validated configuration for `text` (config_text), with the office's overrides first."""
    # MkDocs resolves relative paths against the configuration file, which is in the package.
    for name in ("docs_dir", "site_dir"):
        if name in values:
            values[name] = str(Path(values[name]).resolve())
    config = load_config(config_file=io.StringIO(text), config_file_path=str(BUILDER_CONFIG), **values)
    local = local_overrides(root)
    if local is not None:
        config.theme.dirs.insert(0, str(local))
    return config
