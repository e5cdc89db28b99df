"""Attachments: present, inside the repository, the type they claim, within size, hashed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import PurePosixPath
from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.rules.context import RuleContext

# Leading bytes of each allowed type; OFD (GB/T 33190), Word and Excel files are ZIP containers,
# told apart by the part each must hold (ZIP_PART).
MAGIC = {
    ".pdf": (b"%PDF-",),
    ".ofd": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
ZIP_PART = {".ofd": "OFD.xml", ".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_LFS = b"version https://git-lfs"


def _holds_part(data: bytes, part: str) -> bool:
    """Whether a ZIP container holds this part (its directory read, nothing unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def attachment_path(record_path: str, file: str) -> PurePosixPath:
    return PurePosixPath(record_path).parent / file


def check_attachments(ctx: RuleContext) -> Iterator[Diagnostic]:
    root = ctx.repo.root
    limit = ctx.settings.limits.max_attachment_bytes
    for record in ctx.records:
        seen: set[str] = set()
        for i, attachment in enumerate(record.attachments):
            where = ("attachments", i, "file")
            if attachment.file in seen:
                yield ctx.repo.at(record, "E335", where, file=attachment.file)
                continue
            seen.add(attachment.file)
            if not attachment.file.startswith(f"files/{record.id}/"):
                yield ctx.repo.at(record, "E330", where, file=f"files/{record.id}/…")
                continue
            path = root / attachment_path(record.path, attachment.file) if root else None
            if path is None or path.is_symlink() or not path.is_file():
                yield ctx.repo.at(record, "E330", where, file=attachment.file)
                continue
            rel = attachment_path(record.path, attachment.file).as_posix()
            if ctx.repo.tracked is not None and rel not in ctx.repo.tracked:
                yield ctx.repo.at(record, "E336", where, url=attachment.file, file=rel)
                continue
            size = path.stat().st_size  # before reading: a 2 GB file must not be read
            if size > limit:
                yield ctx.repo.at(record, "E333", where, file=attachment.file, size=size, limit=limit)
                continue
            data = path.read_bytes()
            suffix = PurePosixPath(attachment.file).suffix.lower()
            if data.startswith(_LFS):
                yield ctx.repo.at(record, "E334", where, file=attachment.file)
            elif not data.startswith(MAGIC[suffix]) or (suffix in ZIP_PART and not _holds_part(data, ZIP_PART[suffix])):
                yield ctx.repo.at(record, "E332", where, file=attachment.file, expected=suffix[1:].upper())
            elif (actual := hashlib.sha256(data).hexdigest()) != attachment.sha256:
                yield ctx.repo.at(record, "E331", ("attachments", i, "sha256"), file=attachment.file, actual=actual)
