"""One reading of a record body: the Markdown parser the site is built with, configured as the
builder's configuration configures it, so `check` finds every link, image, reference definition,
raw HTML and admonition exactly where the page will have one (in an indented list continuation,
through a reference definition, …), and code spans and code blocks stay text.

The rules that judge links and markup (body_safety, body_links) read what this finds; the
build runs the same check before it renders, so what check passes the build renders the same way.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Literal

import markdown
import yaml
from markdown.treeprocessors import Treeprocessor

from generator.resources import BUILDER_CONFIG

Kind = Literal["link", "image", "html", "admonition"]
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


@dataclass(frozen=True)
class Found:
    kind: Kind
    value: str  # the URL, the raw HTML, or the admonition's type
    line: int  # in the record's file
    column: int


def may_hold_markup(body: str) -> bool:
    """Whether a body can hold a link, an image, raw HTML or an admonition at all: every one
    needs `<`, `](`, `]:` (a reference definition) or `!!!`. Most bodies hold none and are not parsed."""
    return "<" in body or "](" in body or "]:" in body or "!!!" in body


class _Keep(Treeprocessor):
    """Keeps the finished tree (after inline processing) for inspection."""

    def run(self, root: ET.Element) -> None:
        self.md.portal_tree = root  # type: ignore[attr-defined]


def _extensions() -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions of the builder's configuration, with their settings."""
    config = yaml.safe_load(BUILDER_CONFIG.read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in config.get("markdown_extensions") or []:
        name, settings = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        names.append(name)
        configs[name] = settings or {}
    return names, configs


@functools.lru_cache(maxsize=1)
def _parser() -> markdown.Markdown:
    names, configs = _extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    md.treeprocessors.register(_Keep(md), "portal_keep", 1)  # after inline (20) and prettify (10)
    if "fenced_code_block" in md.preprocessors:
        # A fenced code block is stashed as finished HTML too: note which stash entries are
        # code blocks, so that only raw HTML an author wrote counts as raw HTML.
        fences = md.preprocessors["fenced_code_block"]
        run = fences.run

        def run_noting_code(lines: list[str]) -> list[str]:
            before = len(md.htmlStash.rawHtmlBlocks)
            out = run(lines)
            md.portal_code_blocks = set(range(before, len(md.htmlStash.rawHtmlBlocks)))  # type: ignore[attr-defined]
            return out

        fences.run = run_noting_code
    return md


@functools.lru_cache(maxsize=8)  # several rules read the same record's findings in turn
def inspect(body: str, first_line: int) -> tuple[Found, ...]:
    if not may_hold_markup(body):
        return ()
    md = _parser()
    md.reset()
    md.portal_tree = None  # type: ignore[attr-defined]
    md.portal_code_blocks = set()  # type: ignore[attr-defined]
    md.convert(body)
    located = _Locator(body, first_line)
    found: list[Found] = []
    for index, raw in enumerate(md.htmlStash.rawHtmlBlocks):
        if index in md.portal_code_blocks:  # type: ignore[attr-defined]
            continue
        text = raw if isinstance(raw, str) else ET.tostring(raw, encoding="unicode")
        if not _ENTITY.fullmatch(text.strip()):  # an entity is text, not markup
            found.append(located("html", text.strip()))
    tree = md.portal_tree  # type: ignore[attr-defined]
    for element in tree.iter() if tree is not None else ():
        if element.tag == "a" and element.get("href") is not None:
            found.append(located("link", element.get("href", "")))
        elif element.tag == "img" and element.get("src") is not None:
            found.append(located("image", element.get("src", "")))
        elif element.tag == "div" and "admonition" in (element.get("class") or "").split():
            kinds = [c for c in (element.get("class") or "").split() if c != "admonition"]
            found.append(located("admonition", " ".join(kinds), marker="!!!"))
    return tuple(found)


class _Locator:
    """Where a finding stands in the body: its text searched for from the last one of its kind
    found (the tree lists them in reading order), else anywhere, else the body's first line."""

    def __init__(self, body: str, first_line: int) -> None:
        self.body, self.first_line = body, first_line
        self.cursor: dict[str, int] = {}

    def __call__(self, kind: Kind, value: str, marker: str = "") -> Found:
        needle = marker or value.split("\n", 1)[0][:80]
        start = self.cursor.get(kind + marker, 0)
        at = self.body.find(needle, start) if needle else -1
        if at < 0 and needle:
            at = self.body.find(needle)
        if at < 0:
            return Found(kind, value, self.first_line, 1)
        self.cursor[kind + marker] = at + max(1, len(needle))
        line_start = self.body.rfind("\n", 0, at) + 1
        return Found(kind, value, self.first_line + self.body.count("\n", 0, at), at - line_start + 1)
