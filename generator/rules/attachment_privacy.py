"""Personal data in attachments (HAZARDS.md P10): the text of a PDF, a Word (.docx) or an
Excel (.xlsx) file is scanned as a record's is; what cannot be read automatically (images, OFD,
a PDF without a text layer) is named for a reviewer, until one records that they checked it by
eye (`personal_data_review`).

Reading an attachment's text is slow next to everything else a check does, so what was found
in each is kept in `.portal-cache/` by the file's SHA-256: a file is read once, not on every
check (check_attachments reads and hashes every attachment anyway, and a mismatch is an error).
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from bisect import bisect_right
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
               ".jpeg": ("是图片", "is an image"), ".ofd": ("是 OFD 文件", "is an OFD file")}
_NO_TEXT = ("没有可复制的文字（可能是扫描件）", "has no text layer (a scan?)")
_BROKEN = {".pdf": ("不能作为 PDF 读取", "cannot be read as a PDF"),
           ".docx": ("不能作为 Word 文件读取", "cannot be read as a Word file"),
           ".xlsx": ("不能作为 Excel 文件读取", "cannot be read as an Excel file")}
_READERS = ("pypdf", "python-docx", "openpyxl")
# Word and Excel files are ZIP containers: one that would unpack to more than this is not read
# (a "ZIP bomb" in a pull request must not exhaust the check's memory).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_TOO_BIG = ("解压后超过 200 MB，不自动读取", "unpacks to over 200 MB and is not read")


@dataclass(frozen=True)
class Finding:
    place: tuple[str, str]  # where in the file, in Chinese and English: 第 2 页 / page 2
    code: str  # E401, E402 or E403
    number: str  # the digits, to compare with the record's declared public contacts
    masked: str


@dataclass(frozen=True)
class AttachmentScan:
    """What one file holds: the personal numbers in its text, or why its text could not be read."""
    findings: tuple[Finding, ...] = ()
    unreadable: tuple[str, str] | None = None  # (why, in English)


@dataclass(frozen=True)
class Piece:
    """A run of an attachment's text and where it is: a PDF page, a Word paragraph, an Excel cell."""
    place: tuple[str, str]
    text: str


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
        if suffix in _UNREADABLE:
            scan: AttachmentScan | None = AttachmentScan(unreadable=_UNREADABLE[suffix])
        else:
            scan = cache.scan(attachment.sha256, path, suffix)
        if scan is None:
            continue
        for found in scan.findings:
            if found.number not in declared:
                kind, kind_en = _KINDS[found.code]
                place, place_en = found.place
                yield ctx.repo.at(record, "E407", where, file=attachment.file, place=place, place_en=place_en,
                                  kind=kind, kind_en=kind_en, masked=found.masked)
        if scan.unreadable is not None and attachment.personal_data_review is None:
            why, why_en = scan.unreadable
            yield ctx.repo.at(record, "W408", where, file=attachment.file, why=why, why_en=why_en)


def scan_attachment(data: bytes, suffix: str) -> AttachmentScan:
    """The personal numbers in an attachment's text, with where each is."""
    reader = {".pdf": _pdf_pieces, ".docx": _docx_pieces, ".xlsx": _xlsx_pieces}[suffix]
    try:
        if suffix != ".pdf" and _unpacked_size(data) > MAX_UNPACKED_BYTES:
            return AttachmentScan(unreadable=_TOO_BIG)
        pieces = list(reader(data))
    except Exception:  # noqa: BLE001 - the readers raise many kinds on a damaged file: all mean unreadable
        return AttachmentScan(unreadable=_BROKEN[suffix])
    if suffix == ".pdf" and not any(piece.text.strip() for piece in pieces):
        return AttachmentScan(unreadable=_NO_TEXT)
    return AttachmentScan(tuple(_findings(pieces)))


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _findings(pieces: list[Piece]) -> Iterator[Finding]:
    """Scanned as one text, so that a context word (开户行, 银行卡) anywhere in the file counts
    as it does in a record; each finding is then placed by its offset."""
    starts, texts, at = [], [], 0
    for piece in pieces:
        flat = piece.text.replace("\r", " ").replace("\n", " ")  # one line per piece
        starts.append(at)
        texts.append(flat)
        at += len(flat) + 1
    for code, offset, number, masked in privacy.findings(privacy.normalise("\n".join(texts))):
        yield Finding(pieces[bisect_right(starts, offset - 1) - 1].place, code, number, masked)


def _pdf_pieces(data: bytes) -> Iterator[Piece]:
    from pypdf import PdfReader  # only when a PDF is read: most checks read none

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a malformed file's complaints are not ours to print
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    for number, page in enumerate(reader.pages, start=1):
        yield Piece((f"第 {number} 页", f"page {number}"), page.extract_text() or "")


def _docx_pieces(data: bytes) -> Iterator[Piece]:
    """Paragraphs and table rows of the body in order, then headers and footers."""
    import docx  # python-docx, only when a Word file is read
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            for row_number, row in enumerate(block.rows, start=1):
                text = " ".join(cell.text for cell in row.cells)
                yield Piece((f"第 {tables} 个表格第 {row_number} 行", f"table {tables}, row {row_number}"), text)
        else:
            paragraphs += 1
            yield Piece((f"第 {paragraphs} 段", f"paragraph {paragraphs}"), block.text)
    for section in document.sections:
        for part, name, name_en in ((section.header, "页眉", "header"), (section.footer, "页脚", "footer")):
            if not part.is_linked_to_previous:
                yield Piece((name, name_en), " ".join(p.text for p in part.paragraphs))


def _xlsx_pieces(data: bytes) -> Iterator[Piece]:
    """Every cell with a value, by sheet and cell reference (工作表“名单” C5)."""
    import openpyxl  # only when an Excel file is read

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        continue
                    # A number typed into a cell (a 15-digit ID number fits a float exactly) is
                    # read as its digits, not as 3.6042619910101e+14.
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    ref = cell.coordinate
                    yield Piece((f"工作表“{sheet.title}” {ref} 单元格", f"sheet {sheet.title!r}, cell {ref}"), str(value))
    finally:
        book.close()


class _ScanCache:
    """Scans by the file's SHA-256, valid while this code, the scanner and the readers are the
    same. The kept scans are read when the first file is asked for: most checks ask for none."""

    def __init__(self, root: Path, on_disk: bool) -> None:
        self.path = root / CACHE_DIR / CACHE_FILE
        self.on_disk = on_disk
        self._scans: dict[str, AttachmentScan] | None = None
        self.used: set[str] = set()
        self.changed = False

    @staticmethod
    def _key() -> str:
        h = hashlib.sha256(" ".join(f"{name}={package_version(name)}" for name in _READERS).encode())
        for source in (Path(__file__), Path(privacy.__file__)):
            h.update(source.read_bytes())
        return h.hexdigest()

    def _kept(self) -> dict[str, AttachmentScan]:
        if self._scans is None:
            stored = read_cache_file(self.path) if self.on_disk else None
            fresh = isinstance(stored, dict) and stored.get("key") == self._key()
            self._scans = stored["scans"] if fresh else {}  # type: ignore[index]
        return self._scans

    def scan(self, sha256: str, path: Path, suffix: str) -> AttachmentScan | None:
        """The scan of the file with this SHA-256, read from `path` if not kept; None when the
        file is not that one (it is not read again on later checks: check_attachments hashes it)."""
        scans = self._kept()
        known = scans.get(sha256)
        if known is None:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                return None
            known = scans[sha256] = scan_attachment(data, suffix)
            self.changed = True
        self.used.add(sha256)
        return known

    def save(self) -> None:
        """Keep the scans of the PDFs used in this check; only when something changed."""
        if self._scans is None or not self.on_disk:
            return  # no file asked for: nothing read, nothing to keep
        if self.changed or set(self._scans) != self.used:  # new scans, or files no longer in use
            write_cache_file(self.path, {"key": self._key(), "scans": {k: self._scans[k] for k in self.used}})
