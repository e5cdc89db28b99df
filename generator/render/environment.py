"""The Jinja environment for generated pages.

Every `{{ value }}` is escaped twice over, for Markdown and then for HTML, unless
the template marks it trusted with `|safe_md` (only for fragments this module
builds). Staff text therefore cannot open a link, an emphasis or an HTML tag in
a metadata table, whatever it contains (HAZARDS.md X05, X11).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import jinja2
from markupsafe import Markup

from generator.resources import PAGE_TEMPLATE_DIR

# Python-Markdown's backslash-escapable characters plus the table pipe, each escaped by a
# backslash; line breaks become spaces (a value never starts a new Markdown block).
_MD_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\`*_{}[]()#+-.!|"}, "\r": " ", "\n": " "})


def md_escape(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    return html.escape(str(value).translate(_MD_ESCAPES), quote=True)


def date_text(value: dt.date | None) -> str:
    """One date format on the whole public site, in tables and text alike: 2026-11-22."""
    return value.isoformat() if value else "—"


def money(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def link(text: Any, target: str) -> Markup:
    """A Markdown link to another generated page; only targets we build ourselves."""
    if not re.fullmatch(r"[A-Za-z0-9./_-]+(#[A-Za-z0-9_-]+)?", target):
        raise ValueError(f"refusing to link to {target!r}")
    return Markup(f"[{md_escape(text)}]({target})")


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGE_TEMPLATE_DIR),
        auto_reload=False,  # templates do not change during a build: no stat per page
        autoescape=False,  # escaping is md_escape, applied by finalize to every expression
        finalize=md_escape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(date=lambda v: Markup(md_escape(date_text(v))), money=money, link=link,
                       safe_md=Markup)
    return env
