"""Split a Markdown file into its YAML front matter and body, keeping line numbers.

We do not use python-frontmatter here: it strips leading whitespace before
splitting, which shifts every reported line (see ../shared/STYLE.md §3.6).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostic, make

_OPEN = "---"
_CLOSE = ("---", "...")


@dataclass(frozen=True)
class SplitDocument:
    front_matter: str
    fm_first_line: int  # file line (1-based) of the first YAML line
    body: str
    body_first_line: int  # file line (1-based) of the first body line


def split(text: str, path: str) -> SplitDocument | Diagnostic:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _OPEN:
        return make("E102", path, line=1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSE:
            return SplitDocument(
                front_matter="\n".join(lines[1:index]) + "\n",
                fm_first_line=2,
                body="\n".join(lines[index + 1:]),
                body_first_line=index + 2,
            )
    return make("E103", path, line=1)
