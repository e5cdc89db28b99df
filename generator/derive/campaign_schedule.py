"""The evaluation stages of a campaign, each due a number of days after the one before
(001 art. 8-13), with extensions granted only on enough notice in working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from generator.derive.calendar import OutsideCalendar, add_months, working_days_between
from generator.model import Campaign, Extension
from generator.settings import CampaignSettings


class StageStatus(str, Enum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"


STAGE_STATUS_ZH = {StageStatus.ON_TIME: "按时完成", StageStatus.LATE: "逾期完成", StageStatus.OVERDUE: "逾期未完成",
                   StageStatus.NOT_DUE: "未到期"}


@dataclass(frozen=True)
class ExtensionDecision:
    extension: Extension
    original_due: dt.date
    notice_working_days: int | None  # None: a date outside the official calendar
    granted: bool


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    due: dt.date
    done: dt.date | None
    status: StageStatus
    days: int  # late or overdue by
    extension: ExtensionDecision | None

    @property
    def status_zh(self) -> str:
        return STAGE_STATUS_ZH[self.status]


def full_procedure(campaign: Campaign, settings: CampaignSettings) -> bool:
    """001 art. 13: a campaign of one year or more (one year included) goes through the office's review."""
    return campaign.end_date >= add_months(campaign.start_date, settings.full_procedure_months) - dt.timedelta(days=1)


def notice_working_days(requested: dt.date, due: dt.date) -> int:
    """Working days from the request day through the day before the due date. "提前7个工作日以上"
    holds when this is at least 7: the latest valid request is the 7th working day counted back
    from the day before the due date, and a request on a holiday after it is late."""
    day_before = dt.timedelta(days=1)
    return working_days_between(requested - day_before, due - day_before)


def decide_extension(extension: Extension, due: dt.date, settings: CampaignSettings) -> ExtensionDecision:
    try:
        notice = notice_working_days(extension.requested, due)
    except OutsideCalendar:
        return ExtensionDecision(extension, due, None, False)
    granted = extension.requested < due and notice >= settings.extension_notice_working_days
    return ExtensionDecision(extension, due, notice, granted)


def _self_assessment_done(campaign: Campaign) -> dt.date | None:
    """The stage is done when every participating town has reported; then it is the last date."""
    dates = {s.town: s.date for s in campaign.self_assessments}
    if not campaign.towns or any(town not in dates for town in campaign.towns):
        return None
    return max(dates[town] for town in campaign.towns)


def schedule(campaign: Campaign, settings: CampaignSettings, as_of: dt.date) -> list[Stage]:
    full = full_procedure(campaign, settings)
    extensions = {x.stage: x for x in campaign.extensions}
    review_name = "综合评议" if full else "综合评议（牵头部门，报区安委办备案）"
    plan = [
        ("preparation", "评估准备", campaign.end_date, settings.preparation_days, campaign.preparation_date),
        ("self_assessment", "基层自评", campaign.end_date, settings.self_assessment_days, _self_assessment_done(campaign)),
        ("re_evaluation", "行业复评", None, settings.re_evaluation_days,
         campaign.re_evaluation.date if campaign.re_evaluation else None),
        ("review", review_name, None, settings.review_days, campaign.review.date if campaign.review else None),
    ]
    stages: list[Stage] = []
    for key, name, anchor, days, done in plan:
        if anchor is None:  # counted from the previous stage: its actual date, or its due date
            previous = stages[-1]
            anchor = previous.done or previous.due
        due = anchor + dt.timedelta(days=days)
        decision = None
        if key in extensions:
            decision = decide_extension(extensions[key], due, settings)
            if decision.granted:
                due = decision.extension.new_due
        stages.append(_stage(key, name, due, done, as_of, decision))
    return stages


def _stage(key: str, name: str, due: dt.date, done: dt.date | None, as_of: dt.date,
           decision: ExtensionDecision | None) -> Stage:
    if done is not None:
        status, days = (StageStatus.ON_TIME, 0) if done <= due else (StageStatus.LATE, (done - due).days)
    elif as_of > due:
        status, days = StageStatus.OVERDUE, (as_of - due).days
    else:
        status, days = StageStatus.NOT_DUE, 0
    return Stage(key, name, due, done, status, days, decision)
