"""Each file under tests/cases/invalid/<folder>/ is a real content file with one
mistake; its .expect sibling names the code and the line:column it must produce."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.diagnostics import CATALOGUE, Severity
from tests.conftest import CASES, check_json

INVALID = CASES / "invalid"
CASE_FILES = sorted(p for p in INVALID.rglob("*.md") if "files" not in p.parts)


def _expectation(case: Path) -> tuple[str, int, int]:
    code, position = case.with_suffix(".expect").read_text(encoding="utf-8").split()
    line, column = position.split(":")
    return code, int(line), int(column)


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_invalid_case_reports_its_code_at_its_position(case: Path, demo_root: Path) -> None:
    code, line, column = _expectation(case)
    target = demo_root / "content" / case.parent.name / case.name
    shutil.copyfile(case, target)
    if (case.parent / "files").is_dir():  # attachments the cases refer to
        shutil.copytree(case.parent / "files", target.parent / "files", dirs_exist_ok=True)

    exit_code, report = check_json(demo_root)

    rel = f"content/{case.parent.name}/{case.name}"
    found = [(d["code"], d["line"], d["column"]) for d in report["diagnostics"] if d["path"] == rel]
    assert (code, line, column) in found, found
    expected_exit = 1 if CATALOGUE[code].severity is Severity.ERROR else 0
    assert exit_code == expected_exit


# Codes whose trigger cannot be a committed content file (or, E95x, concerns a member's built
# site, not content); each has its own test elsewhere.
COVERED_ELSEWHERE = {
    "E112": "test_check_cli.py::test_oversized_file",
    "E114": "test_check_cli.py::test_file_outside_collections",
    "E117": "test_check_cli.py::test_symlinks_are_refused_and_never_followed",
    "E118": "test_check_cli.py::test_nested_repository_is_refused",
    "E333": "test_check_cli.py::test_oversized_attachment_is_not_read",
    "E336": "test_check_cli.py::test_links_and_attachments_must_be_tracked_by_git",
    "E601": "test_permanence.py::test_deleting_a_published_record_fails",
    "E602": "test_permanence.py::test_unpublishing_quietly_fails",
    "E603": "test_permanence.py::test_editing_without_a_correction_fails_and_with_one_passes",
    "E701": "test_mirror.py::test_check_on_a_mirror_fails_on_a_non_public_record",
    "W507": "test_hazard_rules.py::test_a_large_ledger_names_ten_overdue_hazards_then_sums_up",
    "E801": "test_check_cli.py::test_invalid_settings",
    "E802": "test_init.py::test_a_bare_repository_names_every_placeholder",
    "E803": "test_init.py::test_an_older_or_newer_format_says_how_to_upgrade",
    "W804": "test_init.py::test_a_missing_format_version_is_a_warning",
    "W805": "test_init.py::test_files_copied_from_the_tool_are_named",
    "W328": "test_hardening.py::test_naming_a_draft_is_a_warning_in_check_and_no_refusal_in_build",
    "W806": "test_gov_site.py::test_a_site_without_identity_is_warned_and_a_stale_or_empty_one_too",
    "W807": "test_gov_site.py::test_a_site_without_identity_is_warned_and_a_stale_or_empty_one_too",
    "W808": "test_gov_site.py::test_a_site_without_identity_is_warned_and_a_stale_or_empty_one_too",
    "E950": "test_rollup.py::test_a_missing_member_and_a_bad_member_list_say_what_is_wrong",
    "E951": "test_rollup.py::test_a_missing_member_and_a_bad_member_list_say_what_is_wrong",
    "E952": "test_rollup.py::test_a_tampered_or_malformed_member_is_named_and_left_out",
    "E953": "test_rollup.py::test_a_tampered_or_malformed_member_is_named_and_left_out",
    "E954": "test_rollup.py::test_a_tampered_or_malformed_member_is_named_and_left_out",
    "E955": "test_rollup.py::test_a_tampered_or_malformed_member_is_named_and_left_out",
    "W951": "test_rollup.py::test_a_stale_member_and_one_without_search_data_are_warned_and_still_rolled_up",
    "W952": "test_rollup.py::test_a_stale_member_and_one_without_search_data_are_warned_and_still_rolled_up",
    "E901": "test_build_site.py::test_mkdocs_failure_leaves_site_untouched",
    "E902": "test_build_site.py::test_build_refused_on_errors",
    "E903": "test_build_site.py::test_leak_guard_trips_when_gate_bypassed",
    "E904": "test_check_cli.py::test_internal_error_is_a_diagnostic",
}


def test_every_code_has_a_case() -> None:
    with_case = {_expectation(case)[0] for case in CASE_FILES}
    missing = set(CATALOGUE) - with_case - set(COVERED_ELSEWHERE)
    assert not missing, f"codes without an invalid case: {sorted(missing)}"


def test_every_code_renders_in_both_languages() -> None:
    for rule in CATALOGUE.values():
        assert rule.message_zh and rule.message_en and rule.slug, rule.code
        assert rule.code[0] == ("E" if rule.severity is Severity.ERROR else "W")
