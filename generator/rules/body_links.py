"""Where body links and images point (HAZARDS.md G02, X16).

Relative links must resolve inside the repository to an existing file; images
must be local (an off-site image tracks every reader); a record that will be
public may not link a record that will not.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import unquote, urlsplit

from generator.diagnostics import Diagnostic, make
from generator.model import Status
from generator.publish import is_public
from generator.rules.attachments import attachment_path
from generator.rules.body_parse import inspect
from generator.rules.context import RuleContext



def _is_file(path: Path) -> bool:
    """A regular file, not a link to one; a name the file system refuses (too long) is none."""
    try:
        return path.is_file() and not path.is_symlink()
    except OSError:
        return False


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
    """Every link and image the Markdown parser finds (inline, reference-style, autolinks, in
    list continuations: body_parse.py), judged by where it points."""
    root = ctx.repo.root
    by_path = {r.path: r for r in ctx.repo.records}
    for record in ctx.records:
        for found in inspect(record.body, record.body_first_line):
            if found.kind not in ("link", "image"):
                continue
            is_image, url, line_number, column = found.kind == "image", found.value, found.line, found.column
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if is_image and parts.scheme in ("http", "https", ""):
                    yield make("E324", record.path, line_number, column, url=url)
                continue  # other schemes: E322 in body_safety
            if not parts.path:
                continue  # a same-page anchor
            target = _resolve(record.path, unquote(parts.path))
            if target is None or root is None or not _is_file(root / target):
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
            # A public page may link only a page that is public as well: a draft, or a record
            # published later (embargoed), has no page today, and the build would fail on it.
            if linked is not None and record.status is Status.PUBLISHED and (
                    linked.status is not Status.PUBLISHED
                    or (is_public(record, ctx.as_of) and not is_public(linked, ctx.as_of))):
                yield make("E326", record.path, line_number, column, target=linked.id)
