"""Evaluation windows (000 §二), the deadline table, and working days (政府信息公开条例 art. 26)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.derive.calendar import OutsideCalendar, add_months, working_days_between
from tests.conftest import AS_OF, PROJECT, run_portal


@pytest.mark.parametrize("start, months, expected", [
    ("2025-03-18", 10, "2026-01-18"),
    ("2025-03-18", 12, "2026-03-18"),
    ("2026-04-30", 10, "2027-02-28"),  # February has no 30th: clamp to its last day
    ("2023-04-30", 10, "2024-02-29"),  # leap year
    ("2025-12-31", 2, "2026-02-28"),
])
def test_add_months_clamps_to_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(dt.date.fromisoformat(start), months) == dt.date.fromisoformat(expected)


def test_working_days_follow_adjusted_workdays() -> None:
    # National Day 2025: 10-01..10-08 off; Saturday 10-11 is an adjusted workday (调休).
    assert working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 12)) == 3  # 10-09, 10-10, 10-11
    # Spring Festival 2026: 02-15..02-23 off; Saturdays 02-14 and 02-28 are workdays.
    assert working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 28)) == 6


def test_working_days_outside_calendar_raise() -> None:
    with pytest.raises(OutsideCalendar):
        working_days_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5))


def _rows(root: Path, as_of: str = AS_OF) -> dict[str, dict[str, object]]:
    result = run_portal("deadlines", "--format", "json", "--as-of", as_of, root=root)
    assert result.exit_code == 0
    return {row["id"]: row for row in json.loads(result.stdout)["rows"]}


def test_demo_covers_every_status(demo_root: Path) -> None:
    rows = _rows(demo_root)
    assert {r["status"] for r in rows.values()} == {"not_due", "in_window", "overdue", "evaluated", "published"}
    assert rows["SG-2025-007"] == {
        "id": "SG-2025-007", "title": "麒麟区某建材市场“5·6”起重伤害事故", "jurisdiction": "曲靖市麒麟区",
        "closure_date": "2025-08-31", "window_opens": "2026-06-30", "due": "2026-08-31",
        "status": "overdue", "status_zh": "已逾期未评估", "days_overdue": 83}
    # A draft report does not count as an evaluation: the case stays overdue.
    assert rows["SG-2025-008"]["status"] == "overdue"
    # Approved, submitted and embargoed reports count as evaluated, not published.
    assert {rows[i]["status"] for i in ("SG-2025-004", "SG-2025-005", "SG-2025-006")} == {"evaluated"}
    assert rows["SG-2026-011"]["window_opens"] == "2027-02-28"


def test_status_moves_with_the_as_of_date(demo_root: Path) -> None:
    assert _rows(demo_root, "2026-10-30")["SG-2025-009"]["status"] == "not_due"
    assert _rows(demo_root, "2026-10-31")["SG-2025-009"]["status"] == "in_window"
    assert _rows(demo_root, "2026-12-31")["SG-2025-009"]["status"] == "in_window"
    assert _rows(demo_root, "2027-01-01")["SG-2025-009"]["days_overdue"] == 1
    # The embargoed report becomes public on its publish date.
    assert _rows(demo_root, "2026-11-30")["SG-2025-005"]["status"] == "evaluated"
    assert _rows(demo_root, "2026-12-01")["SG-2025-005"]["status"] == "published"


def test_overdue_rows_come_first_and_csv_matches(demo_root: Path) -> None:
    result = run_portal("deadlines", "--format", "csv", "--as-of", AS_OF, root=demo_root)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["status"] for r in rows[:2]] == ["overdue", "overdue"]
    assert int(rows[0]["days_overdue"]) >= int(rows[1]["days_overdue"])
    text = run_portal("deadlines", "--as-of", AS_OF, root=demo_root).stdout
    assert "截至 2026-11-22" in text and "已逾期未评估 逾期 83 天" in text


def test_hazard_table_for_staff_includes_unpublished_lists(demo_root: Path) -> None:
    result = run_portal("deadlines", "--table", "hazards", "--format", "json", "--as-of", AS_OF, root=demo_root)
    rows = json.loads(result.stdout)["rows"]
    assert [(r["list_id"], r["id"], r["days_overdue"]) for r in rows[:2]] == [("ZG-2026-002", "H003", 53),
                                                                              ("ZG-2026-002", "H002", 22)]
    assert ("ZG-2026-003", "H001") in {(r["list_id"], r["id"]) for r in rows}  # a draft list: staff see it
    text = run_portal("deadlines", "--table", "hazards", "--as-of", AS_OF, root=demo_root).stdout
    assert "隐患整改期限表" in text and "逾期未整改 逾期 53 天" in text


def test_a_reader_that_leaves_early_is_not_an_error() -> None:
    """`portal deadlines | head`: head closes the pipe; the command must not report E904."""
    script = ("from generator.cli import _guarded\n"
              "def run():\n    raise BrokenPipeError(32, 'Broken pipe')\n"
              "_guarded(run)\n")
    completed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True)
    assert completed.returncode == 0 and "E904" not in completed.stderr, completed.stderr


def test_is_workday_agrees_with_the_library_every_day() -> None:
    import chinese_calendar

    from generator.derive.calendar import calendar_range, is_workday

    first, last = calendar_range()
    day = dt.date(2019, 1, 1)
    while day <= last:
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_working_days_between_matches_a_day_by_day_count() -> None:
    """The prefix-sum count agrees with walking the calendar one day at a time."""
    import random

    from generator.derive.calendar import calendar_range, is_workday

    first, last = calendar_range()
    rng = random.Random(7)
    span = (last - first).days
    for _ in range(300):
        start = first + dt.timedelta(days=rng.randint(0, span))
        end = min(last, start + dt.timedelta(days=rng.randint(-5, 400)))
        walk = sum(is_workday(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))
        assert working_days_between(start, end) == walk, (start, end)
    with pytest.raises(OutsideCalendar):
        working_days_between(last - dt.timedelta(days=3), last + dt.timedelta(days=3))
