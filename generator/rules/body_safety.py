"""Reject executable or hidden content in record bodies, with file:line:column.

Python-Markdown passes raw HTML, comments and `javascript:` links straight
through (HAZARDS.md X01–X09, X15); the build sanitizes anyway, but the author
should learn at check time. Code spans and fenced blocks are left alone: there
`<script>` is text.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Iterator

from generator.diagnostics import Diagnostic, make
from generator.model import Record
from generator.rules.body_parse import inspect
from generator.rules.context import RuleContext

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+\1")
_SAFE_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _scheme(url: str) -> str | None:
    # Browsers ignore entities, control characters and whitespace inside a scheme.
    cleaned = _CONTROL.sub("", html.unescape(html.unescape(url)))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def _blank_code_spans(line: str) -> str:
    if "`" not in line:
        return line
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def body_lines(record: Record, indented: bool = False) -> tuple[tuple[int, str], ...]:
    """(file line, text with code spans blanked) outside fenced code; `indented` keeps
    4-space-indented lines, which are code blocks at top level but list content when nested."""
    return _body_lines(record.body, record.body_first_line, indented)


@functools.lru_cache(maxsize=8)  # three rules read the same record's lines in turn
def _body_lines(body: str, first_line: int, indented: bool) -> tuple[tuple[int, str], ...]:
    lines = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and (indented or not line.startswith("    ")):
            lines.append((first_line + offset, _blank_code_spans(line)))
    return tuple(lines)


# Admonitions (!!! type "标题") a record may use: each type is a CSS class of the theme, so an
# open list would let a body dress itself as any part of the page.
ADMONITION_TYPES = ("note", "info", "tip", "warning", "danger")


def check_body_safety(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Raw HTML, unsafe link schemes and unknown admonition types, found where the Markdown
    parser the site is built with finds them (body_parse.py)."""
    for record in ctx.records:
        for found in inspect(record.body, record.body_first_line):
            if found.kind == "html":
                yield make("E321", record.path, found.line, found.column, tag=found.value[:40])
            elif found.kind == "admonition":
                if found.value not in ADMONITION_TYPES:
                    yield make("E327", record.path, found.line, found.column, kind=found.value,
                               allowed="、".join(ADMONITION_TYPES))
            else:
                scheme = _scheme(found.value)
                if scheme is not None and scheme not in _SAFE_SCHEMES:
                    yield make("E322", record.path, found.line, found.column, url=found.value)


# Python-Markdown recurses on nesting: a 600-deep list raised RecursionError and
# 20,000 nested brackets took 91 s (HAZARDS.md X18). Real reports stay far below these.
MAX_BRACKET_DEPTH = 64
MAX_NESTING_DEPTH = 32
_NESTED_BLOCK = re.compile(r"^((?:\s*>)*)(\s*)(?:[-*+]|\d+[.)])\s")
_BRACKET = re.compile(r"[\[\]()]")


# A nesting depth over MAX_NESTING_DEPTH needs a line that starts with at least this many
# blanks or ">" (a tab counts at most 4 columns, so 2 levels). Blanking a code span makes
# blanks, so a body with a backtick always gets the full test.
_DEEP_PREFIX = re.compile(r"^(?:[^\S\n]|>){%d,}" % (MAX_NESTING_DEPTH // 2 + 1), re.MULTILINE)


def _may_be_too_complex(body: str) -> bool:
    # Enough brackets to nest too deep, or a line indented deep enough (or a code span).
    return body.count("[") + body.count("(") > MAX_BRACKET_DEPTH or "`" in body or bool(_DEEP_PREFIX.search(body))


def _too_complex(record: Record) -> tuple[int, str] | None:
    if not _may_be_too_complex(record.body):
        return None
    depth = 0
    for line_number, line in body_lines(record, indented=True):
        match = _NESTED_BLOCK.match(line)
        if match:
            nesting = match.group(1).count(">") + len(match.group(2).expandtabs(4)) // 2
            if nesting > MAX_NESTING_DEPTH:
                return line_number, f"列表或引用嵌套超过 {MAX_NESTING_DEPTH} 层 / nested deeper than {MAX_NESTING_DEPTH}"
        for char in _BRACKET.findall(line):
            if char in "[(":
                depth += 1
                if depth > MAX_BRACKET_DEPTH:
                    return line_number, f"括号嵌套超过 {MAX_BRACKET_DEPTH} 层 / brackets nested deeper than {MAX_BRACKET_DEPTH}"
            elif char in "])" and depth:
                depth -= 1
        if not line.strip():
            depth = 0  # brackets do not span paragraphs
    return None


def check_complexity(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        found = _too_complex(record)
        if found is not None:
            yield make("E323", record.path, found[0], 1, detail=found[1])


# Scraped notices carry pinyin after each character, e.g. 安全生產(chǎn) (seed 003; HAZARDS.md E08).
_PINYIN = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")


def _may_hold_pinyin(body: str) -> bool:
    return _PINYIN.search(body) is not None


def check_pinyin_garbage(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if not _may_hold_pinyin(record.body):
            continue
        for line_number, line in body_lines(record):
            match = _PINYIN.search(line)
            if match:
                yield make("W120", record.path, line_number, match.start() + 1, text=match.group(0))
                break  # once per record is enough to send the author back to the source
