"""The check cache: unchanged files are not parsed or validated again, and nothing changes but time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import generator.file_check
import generator.load.document
import generator.pipeline
from generator.load.cache import CACHE_DIR, CACHE_FILE, REPORT_FILE
from tests.conftest import check_json, run_portal


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files read as YAML from here on: loaded, or read again for their positions."""
    seen: list[str] = []
    real_load = generator.file_check.load_document
    real_positions = generator.load.document._read_positions

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(source.rel)
        return real_load(source, *args, **kwargs)

    def counting_positions(raw: bytes, path: str):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real_positions(raw, path)

    monkeypatch.setattr(generator.file_check, "load_document", counting)
    monkeypatch.setattr(generator.load.document, "_read_positions", counting_positions)
    return seen


def test_a_second_check_reads_the_cache_and_reports_the_same(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first_code, first = check_json(demo_root)
    assert (demo_root / CACHE_DIR / CACHE_FILE).is_file()
    (demo_root / CACHE_DIR / REPORT_FILE).unlink()  # go through the per-file cache, not the report memo
    parsed = _parses(monkeypatch)
    second_code, second = check_json(demo_root)
    # Same findings at the same line and column; positions of files with findings were cached too.
    assert (second_code, second["diagnostics"]) == (first_code, first["diagnostics"]) and parsed == []


def test_positions_are_read_again_when_a_cached_file_gets_a_new_finding(demo_root: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    check_json(demo_root, as_of="2025-01-01")  # before most deadlines: few findings, few positions kept
    parsed = _parses(monkeypatch)
    code, report = check_json(demo_root)
    assert parsed  # some files now have findings they did not have: their positions are re-read
    expected = run_portal("check", "--no-cache", "--format", "json", "--as-of", "2026-11-22", root=demo_root)
    assert report["diagnostics"] == json.loads(expected.stdout)["diagnostics"]


def test_a_changed_file_is_read_again_and_its_new_errors_reported(demo_root: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    check_json(demo_root)
    path = demo_root / "content/accidents/SG-2024-001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("level: 一般", "level: 很大"), encoding="utf-8")
    parsed = _parses(monkeypatch)
    code, report = check_json(demo_root)
    assert code == 1 and ("E204", "content/accidents/SG-2024-001.md") in {(d["code"], d["path"])
                                                                         for d in report["diagnostics"]}
    assert "content/accidents/SG-2024-001.md" in parsed
    # The invalid file's findings come from the cache next time, still refusing it.
    code_again, again = check_json(demo_root)
    assert code_again == 1 and again["diagnostics"] == report["diagnostics"]


def test_a_damaged_cache_is_ignored(demo_root: Path) -> None:
    code, first = check_json(demo_root)
    (demo_root / CACHE_DIR / CACHE_FILE).write_bytes(b"not a pickle")
    assert check_json(demo_root) == (code, first)


def test_no_cache_parses_everything(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import run_portal

    check_json(demo_root)
    parsed = _parses(monkeypatch)
    run_portal("check", "--no-cache", "--as-of", "2026-11-22", root=demo_root)
    # Every file, each at least once (a file with findings is read again for their positions).
    assert set(parsed) == {p.relative_to(demo_root).as_posix() for p in (demo_root / "content").rglob("*.md")}


def test_nothing_changed_gives_the_last_report_without_reading_records(demo_root: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import run_portal

    first = run_portal("check", "--format", "json", "--as-of", "2026-11-22", root=demo_root).stdout
    parsed = _parses(monkeypatch)
    monkeypatch.setattr(generator.pipeline, "load_repository", lambda *a, **k: pytest.fail("records were read"))
    again = run_portal("check", "--format", "json", "--as-of", "2026-11-22", root=demo_root).stdout
    assert again == first and parsed == []


@pytest.mark.parametrize("change", ["as_of", "attachment", "settings", "new_file"])
def test_any_change_defeats_the_report_memo(demo_root: Path, change: str) -> None:
    from tests.conftest import run_portal

    args = ["check", "--format", "json", "--as-of", "2026-11-22"]
    run_portal(*args, root=demo_root)
    if change == "as_of":
        args[-1] = "2026-11-23"
    elif change == "attachment":  # same size, different bytes and time: E331 hash mismatch must appear
        pdf = demo_root / "content/evaluations/files/EV-2025-001/signed-report.pdf"
        data = bytearray(pdf.read_bytes())
        data[-2] ^= 1
        pdf.write_bytes(bytes(data))
        os.utime(pdf, ns=(1, 1))
    elif change == "settings":
        (demo_root / "portal.toml").write_text("[evaluation]\ngroup_max_days = 5\n", encoding="utf-8")
    else:
        (demo_root / "content/accidents/x.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    fresh = run_portal(*args, "--no-cache", root=demo_root).stdout
    assert run_portal(*args, root=demo_root).stdout == fresh


def test_single_file_findings_come_from_the_cache(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.rules.privacy as privacy

    path = demo_root / "content/enforcement/ZF-2026-004.md"
    path.write_text(path.read_text(encoding="utf-8").replace("对当事人予以警告", "对当事人（13912345678）予以警告"),
                    encoding="utf-8")
    code, first = check_json(demo_root)
    assert code == 1 and any(d["code"] == "E402" for d in first["diagnostics"])
    (demo_root / CACHE_DIR / REPORT_FILE).unlink()
    scanned: list[str] = []
    real = privacy._scan
    monkeypatch.setattr(privacy, "_scan", lambda ctx, record: scanned.append(record.path) or real(ctx, record))
    again_code, again = check_json(demo_root)
    assert (again_code, again["diagnostics"]) == (code, first["diagnostics"]) and scanned == []
    # Change the file: only it is scanned again, and the finding follows the new text.
    path.write_text(path.read_text(encoding="utf-8").replace("13912345678", "139****5678"), encoding="utf-8")
    final_code, final = check_json(demo_root)
    assert scanned == ["content/enforcement/ZF-2026-004.md"] and final_code == 0
    assert not any(d["code"] == "E402" for d in final["diagnostics"])
