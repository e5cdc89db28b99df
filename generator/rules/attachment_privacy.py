"""Personal data in attachments (HAZARDS.md P10): a PDF's text is scanned as a record's is;
what cannot be read automatically (images, OFD, a PDF without a text layer) is named for a
reviewer, until one records that they checked it by eye (`personal_data_review`).

Reading a PDF's text is slow next to everything else a check does, so what was found in each
PDF is kept in `.portal-cache/` by the file's SHA-256: a PDF is read once, not on every check
(check_attachments reads and hashes every attachment anyway, and a mismatch is an error).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.load.cache import CACHE_DIR, package_version, read_cache_file, write_cache_file
from generator.model import Record
from generator.rules import privacy
from generator.rules.attachments import attachment_path
from generator.rules.context import RuleContext

CACHE_FILE = "attachment-text.pickle"
_KINDS = {"E401": ("居民身份证号码", "resident ID number"), "E402": ("手机号码", "mobile number"),
          "E403": ("银行卡号", "bank card number")}
_UNREADABLE = {".png": ("是图片", "is an image"), ".jpg": ("是图片", "is an image"),
               ".jpeg": ("是图片", "is an image"), ".ofd": ("是 OFD 文件", "is an OFD file"),
               # Word and Excel files are not read yet: a reviewer confirms them, as an image.
               ".docx": ("是 Word 文件", "is a Word file"), ".xlsx": ("是 Excel 文件", "is an Excel file")}
_NO_TEXT = ("没有可复制的文字（可能是扫描件）", "has no text layer (a scan?)")
_BROKEN = ("不能作为 PDF 读取", "cannot be read as a PDF")


@dataclass(frozen=True)
class Finding:
    page: int  # 1-based
    code: str  # E401, E402 or E403
    number: str  # the digits, to compare with the record's declared public contacts
    masked: str


@dataclass(frozen=True)
class PdfScan:
    """What one PDF holds: the personal numbers in its text, or why its text could not be read."""
    findings: tuple[Finding, ...] = ()
    unreadable: tuple[str, str] | None = None  # (why, in English)


def check_attachment_personal_data(ctx: RuleContext) -> Iterator[Diagnostic]:
    root = ctx.repo.root
    if root is None:
        return
    cache = _ScanCache(root, on_disk=ctx.repo.check_cache is not None)  # none with --no-cache
    for record in ctx.records:
        if record.status in privacy.SCANNED:
            yield from _check_record(ctx, record, root, cache)
    cache.save()


def _check_record(ctx: RuleContext, record: Record, root: Path, cache: _ScanCache) -> Iterator[Diagnostic]:
    declared = {privacy.digits(contact.number) for contact in record.public_contacts}
    limit = ctx.settings.limits.max_attachment_bytes
    for i, attachment in enumerate(record.attachments):
        where = ("attachments", i, "file")
        path = root / attachment_path(record.path, attachment.file)
        # A missing, oversized or altered file is reported by check_attachments (an error: such
        # a record is not published), so a scan kept under the declared SHA-256 is the file's.
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            continue
        suffix = PurePosixPath(attachment.file).suffix.lower()
        scan = PdfScan(unreadable=_UNREADABLE[suffix]) if suffix in _UNREADABLE else cache.scan(attachment.sha256, path)
        if scan is None:
            continue
        for found in scan.findings:
            if found.number not in declared:
                kind, kind_en = _KINDS[found.code]
                yield ctx.repo.at(record, "E407", where, file=attachment.file, page=found.page, kind=kind,
                                  kind_en=kind_en, masked=found.masked)
        if scan.unreadable is not None and attachment.personal_data_review is None:
            why, why_en = scan.unreadable
            yield ctx.repo.at(record, "W408", where, file=attachment.file, why=why, why_en=why_en)


def scan_pdf(data: bytes) -> PdfScan:
    """The personal numbers in a PDF's text, page by page."""
    from pypdf import PdfReader  # only when a PDF is read: most checks read none

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a malformed file's complaints are not ours to print
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return PdfScan(unreadable=_BROKEN)
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a damaged file: all mean unreadable
        return PdfScan(unreadable=_BROKEN)
    if not any(text.strip() for text in pages):
        return PdfScan(unreadable=_NO_TEXT)
    return PdfScan(tuple(Finding(page, code, number, masked)
                         for page, text in enumerate(pages, start=1)
                         for code, _, number, masked in privacy.findings(privacy.normalise(text))))


class _ScanCache:
    """Scans by the PDF's SHA-256, valid while this code, the scanner and pypdf are the same.
    The kept scans are read when the first PDF is asked for: most checks ask for none."""

    def __init__(self, root: Path, on_disk: bool) -> None:
        self.path = root / CACHE_DIR / CACHE_FILE
        self.on_disk = on_disk
        self._scans: dict[str, PdfScan] | None = None
        self.used: set[str] = set()
        self.changed = False

    @staticmethod
    def _key() -> str:
        h = hashlib.sha256(f"pypdf={package_version('pypdf')}".encode())
        for source in (Path(__file__), Path(privacy.__file__)):
            h.update(source.read_bytes())
        return h.hexdigest()

    def _kept(self) -> dict[str, PdfScan]:
        if self._scans is None:
            stored = read_cache_file(self.path) if self.on_disk else None
            fresh = isinstance(stored, dict) and stored.get("key") == self._key()
            self._scans = stored["scans"] if fresh else {}  # type: ignore[index]
        return self._scans

    def scan(self, sha256: str, path: Path) -> PdfScan | None:
        """The scan of the PDF with this SHA-256, read from `path` if not kept; None when the
        file is not that PDF (it is not read again on later checks: check_attachments hashes it)."""
        scans = self._kept()
        known = scans.get(sha256)
        if known is None:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                return None
            known = scans[sha256] = scan_pdf(data)
            self.changed = True
        self.used.add(sha256)
        return known

    def save(self) -> None:
        """Keep the scans of the PDFs used in this check; only when something changed."""
        if self._scans is None or not self.on_disk:
            return  # no PDF asked for: nothing read, nothing to keep
        if self.changed or set(self._scans) != self.used:  # new scans, or PDFs no longer in use
            write_cache_file(self.path, {"key": self._key(), "scans": {k: self._scans[k] for k in self.used}})
