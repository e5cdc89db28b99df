"""The sitemap: exactly the site's pages (only public content is ever staged), each with the date
it last changed for readers, from the records' publication history. Written by the portal, not
the builder, so it does not depend on which builder renders the pages.

Search engines need absolute addresses: without `[site] site_url` the sitemap lists no page (the
theme's script still reads it, so it is there).
"""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.sax.saxutils import escape

from generator.render.writer import GeneratedPage

FILES = ("sitemap.xml", "sitemap.xml.gz")


def page_url(path: str) -> str:
    """`evaluations/EV-1.md` → `evaluations/EV-1/`; `index.md` → ``; `accidents/index.md` → `accidents/`."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def write_sitemap(out_dir: Path, site_url: str, pages: list[GeneratedPage]) -> None:
    base = site_url if site_url.endswith("/") else site_url + "/"
    # A list or index changes when any record on the site does: the newest change stands for it.
    newest = max((page.updated for page in pages if page.updated), default="")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted(pages, key=lambda p: page_url(p.path)) if site_url else []:
        lastmod = page.updated or newest
        lines.append(f"  <url><loc>{escape(base + page_url(page.path))}</loc>"
                     + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    lines.append("</urlset>\n")
    data = "\n".join(lines).encode("utf-8")
    (out_dir / FILES[0]).write_bytes(data)
    (out_dir / FILES[1]).write_bytes(gzip.compress(data, mtime=0))
