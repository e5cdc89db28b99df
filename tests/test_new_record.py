"""`portal new`: a draft that passes check except for what only a person can give."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.cli import _today_in_china
from tests.conftest import check_json, run_portal

YEAR = _today_in_china().year

PERSON_ONLY = {
    "accident": {"title", "jurisdiction", "place", "sector", "level", "deaths", "injuries", "direct_loss",
                 "investigation.doc_number", "investigation.organiser", "measures[0].id", "measures[0].text",
                 "measures[0].units"},
    "evaluation": {"title", "jurisdiction", "accident_id", "organiser", "lead_department", "group.leader",
                   "group.members", "group.discipline_inspection", "methods", "measures[0].measure_id",
                   "measures[0].verdict", "measures[0].finding"},
    "rectification": {"title", "jurisdiction", "source.kind", "issuer", "items[0].id", "items[0].description",
                      "items[0].unit.name", "items[0].unit.credit_code", "items[0].sector", "items[0].level",
                      "items[0].fixed_on_spot", "items[0].progress"},
    "enforcement": {"title", "jurisdiction", "case_number", "decision_number", "agency", "party.kind", "party.name",
                    "violations", "legal_basis", "outcomes[0].type", "outcomes[0].target", "typical"},
    "credit": {"title", "jurisdiction", "list", "subject.name", "subject.credit_code", "basis", "decided_by"},
    "campaign": {"title", "jurisdiction", "topics", "lead_department", "towns"},
    "directive": {"title", "jurisdiction", "issuer", "requirements[0].id", "requirements[0].item"},
}


def test_new_records_leave_only_what_a_person_must_fill(demo_root: Path) -> None:
    for kind, folder, expected_id in (("accident", "accidents", f"SG-{YEAR}-001"),
                                      ("evaluation", "evaluations", f"EV-{YEAR}-001"),
                                      ("rectification", "rectifications", f"ZG-{YEAR}-00{4 if YEAR == 2026 else 1}"),
                                      ("enforcement", "enforcement", f"ZF-{YEAR}-00{7 if YEAR == 2026 else 1}"),
                                      ("credit", "credit", f"XY-{YEAR}-001"),
                                      ("campaign", "campaigns", f"ZZ-{YEAR}-001"),
                                      ("directive", "directives", f"TZ-{YEAR}-001")):
        result = run_portal("new", kind, root=demo_root)
        assert result.exit_code == 0, result.output
        path = f"content/{folder}/{expected_id}.md"
        assert path in result.stdout
        text = (demo_root / path).read_text(encoding="utf-8")
        assert "# 编号：" in text and "# 辖区：" in text  # Chinese guidance beside each field
        front = yaml.safe_load(text.split("---")[1])
        assert front["id"] == expected_id and front["status"] == "draft"

        code, report = check_json(demo_root)
        mine = [d for d in report["diagnostics"] if d["path"] == path]
        assert code == 1
        assert {d["code"] for d in mine} == {"E201"}
        assert {d["field"] for d in mine} == PERSON_ONLY[kind]


def test_new_refuses_an_existing_id(demo_root: Path) -> None:
    result = run_portal("new", "accident", "--id", "SG-2024-001", root=demo_root)
    assert result.exit_code == 2
    assert "已存在" in result.output


def test_new_id_is_unique_across_collections_and_case(demo_root: Path) -> None:
    (demo_root / "content/evaluations/x.md").write_text(f"---\nid: sg-{YEAR}-001\n---\n", encoding="utf-8")
    result = run_portal("new", "accident", root=demo_root)
    assert f"SG-{YEAR}-002" in result.stdout
