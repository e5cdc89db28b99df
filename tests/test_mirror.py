"""`portal mirror`: a public Git mirror with exactly the public records."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import AS_OF, NON_PUBLIC, check_json, run_portal


def test_mirror_holds_exactly_the_public_records_and_checks_clean(demo_root: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    result = run_portal("mirror", str(mirror), "--as-of", AS_OF, root=demo_root)
    assert result.exit_code == 0, result.output
    names = {p.stem for p in (mirror / "content").rglob("*.md")}
    assert len(names) == 28 and not names & set(NON_PUBLIC) and "EV-2025-003" not in names
    assert (mirror / "content/evaluations/files/EV-2025-001/signed-report.pdf").is_file()
    assert not (mirror / "content/evaluations/files/EV-2026-008").exists()
    for path in (mirror / "content").rglob("*"):
        if path.is_file():
            text = path.read_bytes()
            assert not any(s.encode() in text for s in NON_PUBLIC.values()), path
            # Not even a mention: a directive's reports on accidents not public yet are left out.
            assert not any(record_id.encode() in text for record_id in NON_PUBLIC), path
    code, report = check_json(mirror)
    assert code == 0, [d for d in report["diagnostics"] if d["severity"] == "error"]


def test_check_on_a_mirror_fails_on_a_non_public_record(demo_root: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    assert run_portal("mirror", str(mirror), "--as-of", AS_OF, root=demo_root).exit_code == 0
    draft = demo_root / "content/evaluations/EV-2026-008.md"
    (mirror / "content/evaluations/EV-2026-008.md").write_bytes(draft.read_bytes())
    code, report = check_json(mirror)
    assert code == 1
    assert ("E701", "content/evaluations/EV-2026-008.md") in {(d["code"], d["path"]) for d in report["diagnostics"]}


def test_mirror_drops_records_that_stopped_being_public(demo_root: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    assert run_portal("mirror", str(mirror), "--as-of", AS_OF, root=demo_root).exit_code == 0
    path = demo_root / "content/accidents/SG-2026-011.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: published", "status: withdrawn\nwithdrawal:\n"
                                                             "  date: 2026-11-21\n  reason: 重复发布"), encoding="utf-8")
    assert run_portal("mirror", str(mirror), "--as-of", AS_OF, root=demo_root).exit_code == 0
    assert not (mirror / "content/accidents/SG-2026-011.md").exists()
