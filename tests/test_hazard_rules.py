"""Rules for the new collections that need more than one committed case file."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from bench.generate_corpus import write_list
from generator.derive.hazard_table import hazard_table
from generator.pipeline import check
from tests.conftest import AS_OF_DATE, check_json


def test_a_large_ledger_names_ten_overdue_hazards_then_sums_up(demo_root: Path) -> None:
    write_list(demo_root, "ZG-2026-950", 300, random.Random(1), dt.date(2026, 3, 1), "draft")
    code, report = check_json(demo_root)
    mine = [d for d in report["diagnostics"] if d["path"] == "content/rectifications/ZG-2026-950.md"]
    assert code == 0, mine
    overdue = [d for d in mine if d["code"] == "W506"]
    summary = [d for d in mine if d["code"] == "W507"]
    assert len(overdue) == 10 and len(summary) == 1
    named = sorted((int(d["message_en"].split(", ")[1].split(" days")[0]) for d in overdue), reverse=True)
    # The ten named are the ten longest overdue of the whole list.
    checked = check(demo_root, AS_OF_DATE)
    ledger = checked.repo.rectifications["ZG-2026-950"]
    every = sorted((r.days_overdue for r in hazard_table([ledger], AS_OF_DATE, 30)), reverse=True)
    assert named == every[:10] and summary[0]["message_en"].startswith(f"{sum(1 for d in every if d) - 10} more")
    assert "隐患整改期限表" in summary[0]["message"]


def test_privacy_guard_scans_the_new_collections(demo_root: Path) -> None:
    path = demo_root / "content/rectifications/ZG-2026-002.md"
    text = path.read_text(encoding="utf-8").replace("responsible: 钱某某", "responsible: 钱某某（13912345678）")
    path.write_text(text, encoding="utf-8")
    case = demo_root / "content/enforcement/ZF-2026-004.md"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "对当事人予以警告", "对当事人（身份证号 11010519491231002X）予以警告"), encoding="utf-8")
    code, report = check_json(demo_root)
    found = {(d["path"].rsplit("/", 1)[1], d["code"]) for d in report["diagnostics"] if d["code"].startswith("E40")}
    assert found == {("ZG-2026-002.md", "E402"), ("ZF-2026-004.md", "E401")} and code == 1
