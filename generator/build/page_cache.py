"""Reuse a page's HTML from the last build when nothing it is made from has changed.

A page's HTML is a function of its staged Markdown and of what every page shares: the
MkDocs configuration, navigation and theme, the code that renders and sanitises, and
the list of staged files (links are resolved and checked against it). When the shared
part is unchanged, a page whose Markdown is unchanged is copied from the current site
instead of being rendered, provided the file there is still byte for byte what that
build wrote. Anything else, a page added or removed included, renders afresh.

Only public content is ever staged, and the leak guard still scans every file of the
new site, reused or not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from generator.load.cache import CACHE_DIR, read_cache_file, write_cache_file

MANIFEST_FILE = "pages.pickle"
_PACKAGES = ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "nh3", "pymdown-extensions")
_PROJECT = Path(__file__).resolve().parent.parent.parent
# Code and templates every page goes through on its way to HTML.
_RENDERING = [Path(__file__).parent / name for name in ("mkdocs_build.py", "mkdocs_hooks.py", "sanitize.py")]


@dataclass(frozen=True)
class PageManifest:
    key: str  # what every page shares (site_key)
    # src_uri → (digest of its Markdown, digest of the HTML written for it)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)


def site_key(docs_dir: Path, config_file: Path, site_name: str) -> str:
    h = hashlib.sha256(site_name.encode())
    for package in _PACKAGES:
        try:
            h.update(f"{package}={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=-\0".encode())
    overrides = sorted((_PROJECT / "site_templates" / "overrides").rglob("*"))
    for path in [config_file, *_RENDERING, *overrides]:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in sorted(docs_dir.rglob("*")):
        if path.is_file():
            h.update(b"file:" + path.relative_to(docs_dir).as_posix().encode() + b"\0")
    return h.hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reusable(previous: PageManifest | None, key: str, markdown: dict[str, str], site_dir: Path | None,
             dest_of: dict[str, str]) -> dict[str, Path]:
    """src_uri → the current site's file that is exactly what rendering it again would write."""
    if previous is None or site_dir is None or previous.key != key:
        return {}
    found = {}
    for uri, md_digest in markdown.items():
        known = previous.pages.get(uri)
        if known is None or known[0] != md_digest:
            continue
        built = site_dir / dest_of[uri]
        try:
            if digest(built.read_bytes()) == known[1]:
                found[uri] = built
        except OSError:
            continue
    return found


def manifest_for(key: str, markdown: dict[str, str], out_dir: Path, dest_of: dict[str, str]) -> PageManifest:
    return PageManifest(key, {uri: (md_digest, digest((out_dir / dest_of[uri]).read_bytes()))
                              for uri, md_digest in markdown.items()})


def load_manifest(root: Path) -> PageManifest | None:
    stored = read_cache_file(root / CACHE_DIR / MANIFEST_FILE)
    return stored if isinstance(stored, PageManifest) else None  # none yet, or damaged: render all


def save_manifest(root: Path, manifest: PageManifest) -> None:
    """Written only once the new site is in place: it describes the site that is there."""
    write_cache_file(root / CACHE_DIR / MANIFEST_FILE, manifest)
