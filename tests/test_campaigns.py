"""Campaign stages and extensions on the official calendar, directive submission tables,
accident statistics and their pages (DOMAIN.md §3, §6; seeds 001-004)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator.derive import statistics
from generator.derive.campaign_schedule import StageStatus, decide_extension, full_procedure, schedule
from generator.derive.submissions import SubmissionStatus, submission_rows
from generator.model import Extension
from generator.pipeline import CheckResult, check
from generator.settings import CampaignSettings
from tests.conftest import AS_OF_DATE, NON_PUBLIC, PROJECT, check_json

D = dt.date


def _decision(requested: dt.date, due: dt.date) -> tuple[int | None, bool]:
    decision = decide_extension(Extension(0, "re_evaluation", requested, due + dt.timedelta(days=30), "x"), due,
                                CampaignSettings())
    return decision.notice_working_days, decision.granted


@pytest.mark.parametrize("requested, due, notice, granted", [
    # Working days from the request day through the day before the due date (提前7个工作日以上):
    # the latest valid request is the 7th working day counted back from the day before.
    # National Day 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are adjusted workdays.
    (D(2025, 9, 26), D(2025, 10, 13), 7, True),   # Friday 09-26 is the 7th working day back from 10-12
    (D(2025, 9, 27), D(2025, 10, 13), 6, False),  # a Saturday after it is late, 16 calendar days or not
    (D(2025, 9, 29), D(2025, 10, 13), 5, False),  # 14 calendar days but only 5 working days
    # Labour Day 2026: 05-01..05-05 off; Saturday 05-09 is an adjusted workday.
    (D(2026, 4, 29), D(2026, 5, 12), 7, True),
    (D(2026, 4, 30), D(2026, 5, 12), 6, False),
    (D(2026, 5, 1), D(2026, 5, 12), 5, False),   # a request in the holiday counts from the next working day
    # Due 2026-10-12: the latest valid request is 09-24; the Mid-Autumn holiday 09-25 and the
    # weekend after it are later, and late.
    (D(2026, 9, 24), D(2026, 10, 12), 7, True),
    (D(2026, 9, 25), D(2026, 10, 12), 6, False),
    (D(2026, 9, 27), D(2026, 10, 12), 6, False),
    # Spring Festival 2026: 02-15..02-23 off; Saturday 02-14 is an adjusted workday.
    (D(2026, 2, 10), D(2026, 2, 26), 7, True),
    (D(2026, 2, 11), D(2026, 2, 26), 6, False),
    # An ordinary fortnight: 7 working days need 9 calendar days around a weekend.
    (D(2026, 6, 1), D(2026, 6, 10), 7, True),
    (D(2026, 6, 2), D(2026, 6, 10), 6, False),
    (D(2026, 6, 10), D(2026, 6, 10), 0, False),  # on the due date itself
])
def test_extension_needs_seven_working_days_of_notice(requested: dt.date, due: dt.date, notice: int,
                                                      granted: bool) -> None:
    assert _decision(requested, due) == (notice, granted)


def test_extension_outside_the_calendar_is_never_guessed() -> None:
    assert _decision(D(2031, 3, 1), D(2031, 3, 20)) == (None, False)


@pytest.fixture(scope="module")
def demo() -> CheckResult:
    return check(PROJECT, AS_OF_DATE, use_cache=False)


def test_demo_campaign_stages_follow_one_another(demo: CheckResult) -> None:
    repo = demo.repo
    gas = next(r for r in repo.records if r.id == "ZZ-2025-001")
    stages = {s.key: s for s in schedule(gas, CampaignSettings(), AS_OF_DATE)}  # type: ignore[arg-type]
    assert full_procedure(gas, CampaignSettings())  # type: ignore[arg-type]
    assert stages["preparation"].due == D(2025, 6, 10) and stages["self_assessment"].due == D(2025, 6, 30)
    # Granted extension: 2025-07-15 is 9 working days before 2025-07-30.
    assert stages["re_evaluation"].extension.granted and stages["re_evaluation"].due == D(2025, 8, 15)
    # The review is due 30 days after the re-evaluation was actually done (2025-08-12).
    assert stages["review"].due == D(2025, 9, 11) and stages["review"].status is StageStatus.ON_TIME
    short = next(r for r in repo.records if r.id == "ZZ-2026-002")
    assert not full_procedure(short, CampaignSettings())  # type: ignore[arg-type]
    self_assessment = schedule(short, CampaignSettings(), AS_OF_DATE)[1]  # type: ignore[arg-type]
    assert (self_assessment.status, self_assessment.days) == (StageStatus.OVERDUE, 23)  # 东山镇 has not reported


def test_submission_table_states(demo: CheckResult) -> None:
    repo, units = demo.repo, demo.settings.units
    leizhou = next(r for r in repo.records if r.id == "TZ-2022-001")
    rows = {(r.requirement.id, r.unit): r for r in submission_rows(leizhou, [], units, AS_OF_DATE)}  # type: ignore[arg-type]
    assert rows[("R1", "市交通运输局")].status is SubmissionStatus.LATE and rows[("R1", "市交通运输局")].days == 2
    assert rows[("R2", "市教育局")].status is SubmissionStatus.ON_TIME
    assert rows[("R1", "市农业农村局")].status is SubmissionStatus.MISSING
    assert rows[("R1", "市农业农村局")].days == (AS_OF_DATE - D(2022, 10, 12)).days
    assert rows[("R3", "附城镇")].days == 5
    # Relative to each accident: 24 hours, 7 days, 30 days after the accident date (004 §二).
    reporting = next(r for r in repo.records if r.id == "TZ-2021-001")
    accident = repo.accidents["SG-2026-011"]
    relative = submission_rows(reporting, [accident], units, AS_OF_DATE)  # type: ignore[arg-type]
    assert {(r.requirement.id, r.due, r.status) for r in relative} == {
        ("N1", D(2025, 12, 3), SubmissionStatus.ON_TIME), ("N2", D(2025, 12, 9), SubmissionStatus.LATE),
        ("N3", D(2026, 1, 1), SubmissionStatus.MISSING)}
    # The district's directive asks nothing about the next district's accidents (马龙区).
    assert submission_rows(reporting, [repo.accidents["SG-2025-006"]], units, AS_OF_DATE) == []  # type: ignore[arg-type]


def test_statistics_year_on_year_and_period_on_period(demo: CheckResult) -> None:
    accidents = list(demo.repo.accidents.values())
    years = {r.label: r for r in statistics.by_year(accidents)}
    assert years["2025年"].totals.count == 8 and years["2024年"].totals.count == 3
    assert years["2025年"].count_yoy == "+166.7%"
    assert statistics.change(2, 2) == "持平" and statistics.change(3, 0) == "—"
    quarters = statistics.by_quarter(accidents)
    labels = [q.label for q in quarters]
    assert labels[0] == "2024年第2季度" and "2024年第4季度" in labels  # empty quarters are listed too
    months = statistics.by_month(accidents, D(2025, 12, 31))
    assert [m.label for m in months][0] == "2025年1月" and len(months) == 12
    december = months[-1]  # SG-2026-011 occurred on 2025-12-02; nothing in 2025-11 or 2024-12
    assert december.totals.count == 1 and december.count_change == "—" and december.count_yoy == "—"


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_campaign_page_shows_timeline_grades_and_period_statistics(built_site: Path) -> None:
    html = _html(built_site, "campaigns/ZZ-2025-001")
    assert re.search(r'<span class="grade grade-d">差</span>', html)  # the word, not only the colour
    text = re.sub(r"<[^>]+>", " ", html)
    assert "经申请延期，原期限 2025-07-30" in text and "按时完成" in text
    assert "上年同期" in text
    short = re.sub(r"<[^>]+>", " ", _html(built_site, "campaigns/ZZ-2026-002"))
    assert "逾期未完成 23 天" in short and "由牵头部门综合评议" in short


def test_statistics_page_has_charts_and_tables(built_site: Path) -> None:
    html = _html(built_site, "statistics")
    for chart in ("by-year", "by-quarter", "by-sector"):
        assert f'src="../charts/{chart}.svg"' in html
        svg = (built_site / "charts" / f"{chart}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<script" not in svg and "<title>" in svg
    assert "<table>" in html and "起数同比" in html


def test_directive_pages_name_public_accidents_only(built_site: Path) -> None:
    html = _html(built_site, "directives/TZ-2021-001")
    assert "⚠ 未提交" in html and "SG-2026-011" in html
    assert "SG-2026-010" not in html  # the next district's accident (马龙区): not this directive's
    export = (built_site / "data/directives-1.json").read_text(encoding="utf-8")
    for record_id in ("SG-2026-013", "SG-2026-012"):  # reported on, but not public yet
        assert record_id not in html and record_id not in export
    assert NON_PUBLIC["SG-2026-013"] not in html
    data = json.loads(export)
    reporting = next(r for r in data["records"] if r["front_matter"]["id"] == "TZ-2021-001")
    assert all(s.get("accident_id") != "SG-2026-013" for s in reporting["front_matter"]["submissions"])


def test_a_named_group_expands_to_the_units_in_the_settings(demo_root: Path) -> None:
    (demo_root / "content/directives/TZ-2026-950.md").write_text("""---
id: TZ-2026-950
title: 关于报送第四季度隐患排查情况的通知
jurisdiction: 曲靖市麒麟区
status: draft
issuer: 麒麟区安全生产委员会办公室
issued_date: 2026-11-02
requirements:
  - id: R1
    item: 第四季度隐患排查情况
    group: 全部镇（街道）
    due: 2026-11-20
submissions:
  - {requirement: R1, unit: 越州镇, date: 2026-11-19}
---

## 主要内容

各镇（街道）报送第四季度隐患排查情况。
""", encoding="utf-8")
    code, report = check_json(demo_root)
    mine = [d for d in report["diagnostics"] if d["path"] == "content/directives/TZ-2026-950.md"]
    assert code == 0 and [d["code"] for d in mine] == ["W509"] * 13  # 14 towns in portal.toml, one reported
    assert all("已逾期 2 天" in d["message"] for d in mine)
