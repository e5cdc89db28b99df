"""The site builder, behind one small interface: staged docs in, site out.

`build_site(root, docs_dir, out_dir, site, as_of, previous, previous_site)` turns a staged docs
dir into a site and returns its page manifest; `WarmBuilder(root, staged, site, as_of, docs_dir,
out_dir)` is set up once for a list of staged files and then `render`s pages from Markdown.
Today both are MkDocs with Material (generator/assemble/mkdocs_builder/, the only place that
imports them); bench/alternative_builders.py measures what its successors do with the same docs.
"""

from __future__ import annotations

from generator.assemble.mkdocs_builder.build import run_mkdocs as build_site
from generator.assemble.mkdocs_builder.warm import WarmMkDocs as WarmBuilder

__all__ = ["build_site", "WarmBuilder"]
