"""A Markdown extension (named in mkdocs.yml) that skips inline parsing for plain text.

Python-Markdown tries each of its ~14 inline patterns on every piece of text, one after
another. Our pages are mostly table cells of plain Chinese text, so that was the largest
part of MkDocs' time. Every built-in pattern needs one of a few characters to match (a
backtick, a backslash, `[`, `<`, `&`, `*`, `_`, or two spaces before a line end); text
without any of them comes out of the patterns unchanged, so it is left as it is.

The shortcut is taken only when every registered pattern is one whose characters are
known here: an extension that adds its own pattern turns it off, and the stock processor
runs as before. tests/test_fast_inline.py compares the two on random and real text.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# What each built-in pattern needs in the text to match at all: characters, or "  \n".
_NEEDS: dict[str, str | tuple[str, ...]] = {
    "backtick": "`", "escape": "\\",
    "reference": "[", "link": "[", "image_link": "[", "image_reference": "[",
    "short_reference": "[", "short_image_ref": "[",
    "autolink": "<", "automail": "<", "html": "<", "entity": "&",
    "linebreak": ("  \n",),  # a hard line break: two spaces at the end of a line
    # Emphasis: one delimiter processor in Markdown 3.10+, three patterns before.
    "em_strong": "*_", "em_strong2": "_", "not_strong": "*_", "strong_em": "*_", "strong": "*_", "emphasis": "*_",
}


def trigger_pattern(md: Markdown) -> re.Pattern[str] | None:
    """What some registered pattern needs; None when a pattern is not known here."""
    characters: set[str] = set()
    strings: set[str] = set()
    for item in md.inlinePatterns._priority:  # the registry's names, in use by every version since 3.0
        if item.name not in _NEEDS:
            return None
        needs = _NEEDS[item.name]
        (strings if isinstance(needs, tuple) else characters).update(needs)
    # Markdown 3.10+ handles emphasis with delimiters that an extension may add to.
    characters.update(getattr(getattr(md, "delimiters", None), "tokens", ()))
    alternatives = [re.escape(s) for s in sorted(strings)]
    if characters:
        alternatives.append("[" + "".join(re.escape(c) for c in sorted(characters)) + "]")
    return re.compile("|".join(alternatives) or "(?!)")


class PlainTextInlineProcessor(InlineProcessor):
    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # Found at run time, when every extension has registered its patterns.
        self._trigger = trigger_pattern(self.md)
        return super().run(tree, ancestors)

    # InlineProcessor.run calls this (a name-mangled private method) for each element's
    # text and tail: text with no trigger character goes through unchanged.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if patternIndex == 0 and self._trigger is not None and self._trigger.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


class PlainTextInlineExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(PlainTextInlineProcessor(md), "inline", 20)


def makeExtension(**kwargs: Any) -> PlainTextInlineExtension:  # noqa: N802 - Markdown's API
    return PlainTextInlineExtension(**kwargs)
