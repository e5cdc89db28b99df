"""Defence in depth: an allowlist sanitizer over every page's rendered content.

`portal check` already rejects raw HTML and unsafe links in content (E321, E322);
this runs anyway, so a bypassed check still cannot publish executable content
(HAZARDS.md X01–X09). nh3 (ammonia) parses like a browser does. The policy keeps
heading ids (table of contents anchors), the classes the theme needs, and table
alignment; everything else is nh3's default allowlist, with only http, https and
mailto URLs.
"""

from __future__ import annotations

import nh3

_ATTRIBUTES: dict[str, set[str]] = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _heading in ("h1", "h2", "h3", "h4", "h5", "h6"):
    _ATTRIBUTES.setdefault(_heading, set()).add("id")
for _tag in ("div", "span", "p", "code", "pre", "table"):
    _ATTRIBUTES.setdefault(_tag, set()).add("class")
for _cell in ("th", "td"):
    _ATTRIBUTES.setdefault(_cell, set()).add("align")
_ATTRIBUTES.setdefault("a", set()).update({"href", "title", "class"})

_CLEANER = nh3.Cleaner(
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    strip_comments=True,
    link_rel=None,
)


def sanitize_html(html: str) -> str:
    return _CLEANER.clean(html)
