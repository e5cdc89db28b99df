"""Personal data in attachments (HAZARDS.md P10): PDF text is scanned; what cannot be read is
named for a reviewer until one records a check."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from generator.load.cache import CACHE_DIR
from generator.rules import attachment_privacy
from generator.rules.attachment_privacy import CACHE_FILE, Finding, scan_attachment
from tests.conftest import CASES, check_json

CASE = CASES / "invalid" / "accidents" / "E407-id-number-in-pdf.md"
IMAGE_CASE = CASES / "invalid" / "accidents" / "W408-image-not-reviewed.md"
RECORD = "content/accidents/SG-2099-901.md"


def minimal_pdf(pages: list[str]) -> bytes:
    """A PDF whose pages show these ASCII lines (no line: a page without text, as a scan has)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET" if text else ""
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {len(objects)} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def test_a_pdf_is_scanned_page_by_page() -> None:
    scan = scan_attachment(minimal_pdf(["Report", "Witness ID 360426199101010071", "Call 138 0013 8000, code 11330800002618015K"]),
                           ".pdf")
    assert scan.unreadable is None
    assert scan.findings == (Finding(("第 2 页", "page 2"), "E401", "360426199101010071", "360426********0071"),
                             Finding(("第 3 页", "page 3"), "E402", "13800138000", "138****8000"))  # a credit code is no ID number
    assert scan_attachment(minimal_pdf(["Qilin District evaluation report"]), ".pdf").findings == ()


def test_a_pdf_without_text_or_broken_is_named_for_a_reviewer() -> None:
    assert scan_attachment(minimal_pdf(["", ""]), ".pdf").unreadable == ("没有可复制的文字（可能是扫描件）", "has no text layer (a scan?)")
    assert scan_attachment(b"%PDF-1.4\n% not really\n%%EOF\n", ".pdf").unreadable == ("不能作为 PDF 读取", "cannot be read as a PDF")


def _add_case(root: Path, case: Path, replace: tuple[str, str] | None = None) -> Path:
    target = root / RECORD
    text = case.read_text(encoding="utf-8")
    target.write_text(text.replace(*replace) if replace else text, encoding="utf-8")
    shutil.copytree(case.parent / "files", target.parent / "files", dirs_exist_ok=True)
    return target


def _codes(root: Path) -> list[tuple[str, str]]:
    _, report = check_json(root)
    return [(d["code"], d["message"]) for d in report["diagnostics"] if d["path"] == RECORD]


def test_only_attachments_of_records_to_be_published_are_scanned(demo_root: Path) -> None:
    _add_case(demo_root, CASE)
    found = _codes(demo_root)
    assert [code for code, _ in found] == ["E407"]
    assert "第 2 页" in found[0][1] and "360426********0071" in found[0][1]
    _add_case(demo_root, CASE, ("status: published\npublish_date: 2026-03-01\n", "status: draft\n"))
    assert "E407" not in [code for code, _ in _codes(demo_root)]


def test_a_declared_public_contact_may_stand_in_a_pdf(demo_root: Path) -> None:
    folder = demo_root / "content" / "accidents" / "files" / "SG-2099-901"
    folder.mkdir(parents=True)
    (folder / "duty.pdf").write_bytes(minimal_pdf(["Duty phone 13800138000"]))
    sha = hashlib.sha256((folder / "duty.pdf").read_bytes()).hexdigest()
    text = CASE.read_text(encoding="utf-8").replace("witness-list.pdf", "duty.pdf")
    text = text.replace(text.split("sha256: ")[1].split("\n")[0], sha)
    (demo_root / RECORD).write_text(text, encoding="utf-8")
    assert [code for code, _ in _codes(demo_root)] == ["E407"]
    declared = text.replace("occurred_date:", "public_contacts:\n  - number: \"13800138000\"\n    holder: 区应急管理局值班室\n"
                            "    reason: 对外公布的值班电话\noccurred_date:")
    (demo_root / RECORD).write_text(declared + "\n值班电话 13800138000。\n", encoding="utf-8")
    assert [code for code, _ in _codes(demo_root)] == ["W405"]


def test_a_recorded_review_silences_the_image_warning(demo_root: Path) -> None:
    _add_case(demo_root, IMAGE_CASE)
    assert [code for code, _ in _codes(demo_root)] == ["W408"]
    reviewed = ("    sha256:", "    personal_data_review:\n      by: 区应急管理局办公室\n      date: 2026-02-28\n    sha256:")
    _add_case(demo_root, IMAGE_CASE, reviewed)
    assert _codes(demo_root) == []


def test_each_pdf_is_read_once_and_no_cache_keeps_nothing(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_case(demo_root, CASE)
    read: list[int] = []
    real = attachment_privacy.scan_attachment
    monkeypatch.setattr(attachment_privacy, "scan_attachment",
                        lambda data, suffix: read.append(len(data)) or real(data, suffix))
    from tests.conftest import run_portal
    run_portal("check", "--no-cache", "--as-of", "2026-11-22", root=demo_root)
    assert not (demo_root / CACHE_DIR / CACHE_FILE).exists() and len(read) >= 3  # the demo's two PDFs and the case's
    read.clear()
    assert [code for code, _ in _codes(demo_root)] == ["E407"]
    first = len(read)
    (demo_root / "content" / "accidents" / "SG-2024-001.md").write_text(
        (demo_root / "content" / "accidents" / "SG-2024-001.md").read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    assert [code for code, _ in _codes(demo_root)] == ["E407"]
    assert first >= 3 and len(read) == first  # the second check read no PDF again
