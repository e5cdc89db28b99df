"""Where body links and images point (HAZARDS.md G02, X16).

Relative links must resolve inside the repository to an existing file; images
must be local (an off-site image tracks every reader); a record that will be
public may not link a record that will not.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Iterator
from urllib.parse import unquote, urlsplit

from generator.diagnostics import Diagnostic, make
from generator.model import Status
from generator.rules.attachments import attachment_path
from generator.rules.body_safety import body_lines
from generator.rules.context import RuleContext

_INLINE = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)")


def _resolve(record_path: str, target: str) -> PurePosixPath | None:
    """Repository-relative path of `target` linked from `record_path`, or None if it escapes."""
    parts: list[str] = []
    for part in (PurePosixPath(record_path).parent / target).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return PurePosixPath(*parts)


def check_body_links(ctx: RuleContext) -> Iterator[Diagnostic]:
    root = ctx.repo.root
    by_path = {r.path: r for r in ctx.repo.records}
    for record in ctx.records:
        if "](" not in record.body:
            continue  # no inline link or image: most records (and splitting every body into lines is not free)
        for line_number, line in body_lines(record):
            for match in _INLINE.finditer(line):
                is_image, url = match.group(1) == "!", match.group(2)
                column = match.start(2) + 1
                parts = urlsplit(url)
                if parts.scheme or url.startswith("//"):
                    if is_image and parts.scheme in ("http", "https", "") :
                        yield make("E324", record.path, line_number, column, url=url)
                    continue  # other schemes: E322 in body_safety
                if not parts.path:
                    continue  # a same-page anchor
                target = _resolve(record.path, unquote(parts.path))
                if target is None or root is None or not (root / target).is_file() or (root / target).is_symlink():
                    yield make("E325", record.path, line_number, column, url=url)
                    continue
                if ctx.repo.tracked is not None and target.as_posix() not in ctx.repo.tracked:
                    yield make("E336", record.path, line_number, column, url=url, file=target.as_posix())
                    continue
                linked = by_path.get(target.as_posix())
                listed = {attachment_path(record.path, a.file) for a in record.attachments}
                if linked is None and target not in listed:
                    yield make("E325", record.path, line_number, column, url=url)
                    continue
                if (linked is not None and record.status is Status.PUBLISHED
                        and linked.status is not Status.PUBLISHED):
                    yield make("E326", record.path, line_number, column, target=linked.id)
