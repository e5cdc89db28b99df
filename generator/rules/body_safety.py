"""Reject executable or hidden content in record bodies, with file:line:column.

Python-Markdown passes raw HTML, comments and `javascript:` links straight
through (HAZARDS.md X01–X09, X15); the build sanitizes anyway, but the author
should learn at check time. Code spans and fenced blocks are left alone: there
`<script>` is text.
"""

from __future__ import annotations

import html
import re
from typing import Iterator

from generator.diagnostics import Diagnostic, make
from generator.model import Record
from generator.rules.context import RuleContext

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+\1")
_RAW_HTML = re.compile(r"<(?:!--|[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|/[A-Za-z]|[A-Za-z][A-Za-z0-9+.-]*:)")
# Inline links/images, reference definitions.
_LINK_TARGETS = (re.compile(r"\]\(\s*<?([^)\s>]+)"), re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)"))
_SAFE_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _scheme(url: str) -> str | None:
    # Browsers ignore entities, control characters and whitespace inside a scheme.
    cleaned = _CONTROL.sub("", html.unescape(html.unescape(url)))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def _blank_code_spans(line: str) -> str:
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _body_lines(record: Record) -> Iterator[tuple[int, str]]:
    in_fence = False
    for offset, line in enumerate(record.body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and not line.startswith("    "):
            yield record.body_first_line + offset, _blank_code_spans(line)


def check_body_safety(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.repo.records:
        for line_number, line in _body_lines(record):
            for match in _RAW_HTML.finditer(line):
                tag = line[match.start():match.start() + 20].split(">")[0] + ">"
                yield make("E321", record.path, line_number, match.start() + 1, tag=tag)
            for pattern in _LINK_TARGETS:
                for match in pattern.finditer(line):
                    url = match.group(1)
                    scheme = _scheme(url)
                    if scheme is not None and scheme not in _SAFE_SCHEMES:
                        yield make("E322", record.path, line_number, match.start(1) + 1, url=url)
