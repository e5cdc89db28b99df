"""W121: Traditional characters in records (HAZARDS.md E05)."""

from __future__ import annotations

from pathlib import Path

from generator.rules.script import _found, traditional_only
from tests.conftest import check_json

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_traditional_table_comes_from_opencc() -> None:
    table = traditional_only()
    assert set("產業發體擊報導") <= table
    # Simplified characters, characters both scripts share, and those Simplified still writes.
    assert not set("产业发体击报导的事故调查著台周范乾於餘") & table


def test_the_traditional_seed_notice_is_found() -> None:
    seed = next(SEEDS.glob("003_*.txt"), None)
    text = seed.read_text(encoding="utf-8") if seed else "云南省安全生產委員會關於印發"
    assert len(_found(text)) >= 2


def test_one_quoted_traditional_character_in_the_text_is_not_a_warning(demo_root: Path) -> None:
    record = demo_root / "content/accidents/SG-2025-009.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n现场标牌写有“廠”字。\n", encoding="utf-8")
    _, report = check_json(demo_root)
    assert not [d for d in report["diagnostics"] if d["code"] == "W121"]
    record.write_text(record.read_text(encoding="utf-8") + "\n現場管理混亂。\n", encoding="utf-8")
    _, report = check_json(demo_root)
    assert [d["path"] for d in report["diagnostics"] if d["code"] == "W121"] == ["content/accidents/SG-2025-009.md"]
