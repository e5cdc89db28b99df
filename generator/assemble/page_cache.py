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

from generator.assemble.tree import files_under


# Code every page goes through on its way to HTML (besides the builder's hooks).
_RENDERING = [Path(__file__).parent / name for name in ("sanitize.py", "fast_inline.py")]


@dataclass(frozen=True)
class PageManifest:
    key: str  # what every page shares (site_key)
    # src_uri → (digest of its Markdown, digest of the HTML written for it)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)


def site_key(docs_dir: Path, config: str, theme_folders: list[Path], hooks: Path, site_name: str) -> str:
    """`config`: the builder's configuration as text; `theme_folders`: every template folder
    it reads, the office's own overrides included; `hooks`: the builder's hook module."""
    h = hashlib.sha256(site_name.encode() + b"\0" + config.encode())
    # Every installed package and its version: the theme, MkDocs, Markdown and any plugin.
    for name, version in sorted(_installed()):
        h.update(f"{name}={version}\0".encode())
    builder_code = sorted(hooks.parent.glob("*.py"))
    for path in [*_RENDERING, *builder_code, *sorted(p for folder in theme_folders for p in folder.rglob("*"))]:
        if path.is_file():
            h.update(str(path).encode() + b"\0" + path.read_bytes())
    for rel in files_under(docs_dir):
        h.update(b"file:" + rel.encode() + b"\0")
    return h.hexdigest()


def _installed() -> set[tuple[str, str]]:
    return {(str(dist.metadata["Name"]), dist.version) for dist in metadata.distributions()}


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


def manifest_for(key: str, markdown: dict[str, str], out_dir: Path, dest_of: dict[str, str],
                 previous: PageManifest | None = None, reused: dict[str, Path] | None = None) -> PageManifest:
    """What was written for each page. A page copied from the last build (`reused`, found there
    byte for byte as `previous` says) keeps its digest: reading 8,000 pages again cost a second."""
    def html_digest(uri: str) -> str:
        if reused and previous is not None and uri in reused:
            return previous.pages[uri][1]
        return digest((out_dir / dest_of[uri]).read_bytes())
    return PageManifest(key, {uri: (md_digest, html_digest(uri)) for uri, md_digest in markdown.items()})
