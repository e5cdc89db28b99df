"""The one form in which page text and queries are compared (search.js does the same steps):
full-width forms as ASCII (NFKC), Traditional characters as Simplified, lower case, every
bracket as 〔 or 〕 (so 安委办[2021]4号, 安委办(2021)4号 and 安委办〔2021〕4号 are one 文号),
and no spaces. Character by character, so that a position in the normalised text maps back
to the page, and the browser can do the same with a table instead of OpenCC's phrase rules.
"""

from __future__ import annotations

import functools
import re
import unicodedata

OPENING, CLOSING = "〔", "〕"
_BRACKETS = {**dict.fromkeys("[(【〖〘﹝", OPENING), **dict.fromkeys("])】〗〙﹞", CLOSING)}
_SPACE = re.compile(r"\s+")
# The CJK blocks OpenCC's Traditional-to-Simplified table covers.
_HAN = [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), *range(0xF900, 0xFB00)]


@functools.cache
def traditional_to_simplified() -> dict[str, str]:
    """Each Traditional character that has one Simplified form (about 4,200), from OpenCC."""
    import opencc  # the reference converter, a dependency already (W121)

    chars = [chr(code) for code in _HAN]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {a: b for a, b in zip(chars, converted) if a != b and len(b) == 1}


@functools.cache
def _table() -> dict[int, str]:
    return str.maketrans({**traditional_to_simplified(), **_BRACKETS})


def normalise(text: str) -> str:
    """A run of text (one paragraph or table cell) as it is searched: spaces dropped."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower().translate(_table()))


def query_terms(query: str) -> list[str]:
    """A query's terms: what spaces separate, each normalised; a page must contain all of them."""
    terms = (normalise(part) for part in _SPACE.split(unicodedata.normalize("NFKC", query)))
    return list(dict.fromkeys(term for term in terms if term))
