"""The evaluation deadline table: one row per accident case, as of a date.

000 §二: evaluation 10 months to 1 year after closure, "到期一起评估一起".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from generator.derive.calendar import add_months
from generator.model import Accident, Evaluation, Status
from generator.repository import Repository
from generator.settings import EvaluationSettings


class DeadlineStatus(str, Enum):
    NOT_DUE = "not_due"
    IN_WINDOW = "in_window"
    OVERDUE = "overdue"
    EVALUATED = "evaluated"
    PUBLISHED = "published"


DEADLINE_STATUS_ZH = {
    DeadlineStatus.NOT_DUE: "未到评估期",
    DeadlineStatus.IN_WINDOW: "评估期内",
    DeadlineStatus.OVERDUE: "已逾期未评估",
    DeadlineStatus.EVALUATED: "已评估未公开",
    DeadlineStatus.PUBLISHED: "已公开",
}

# Overdue first, then what needs attention soonest.
_ORDER = [DeadlineStatus.OVERDUE, DeadlineStatus.IN_WINDOW, DeadlineStatus.EVALUATED,
          DeadlineStatus.NOT_DUE, DeadlineStatus.PUBLISHED]

# A completed evaluation that is merely waiting for approval or publication counts as done.
_EVALUATED_STATUSES = {Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED}


@dataclass(frozen=True)
class DeadlineRow:
    accident: Accident
    window_opens: dt.date
    due: dt.date
    status: DeadlineStatus
    days_overdue: int

    @property
    def status_zh(self) -> str:
        return DEADLINE_STATUS_ZH[self.status]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.accident.id,
            "title": self.accident.title,
            "jurisdiction": self.accident.jurisdiction,
            "closure_date": self.accident.closure_date.isoformat(),
            "window_opens": self.window_opens.isoformat(),
            "due": self.due.isoformat(),
            "status": self.status.value,
            "status_zh": self.status_zh,
            "days_overdue": self.days_overdue,
        }


def evaluation_window(accident: Accident, settings: EvaluationSettings) -> tuple[dt.date, dt.date]:
    return (add_months(accident.closure_date, settings.window_opens_months),
            add_months(accident.closure_date, settings.due_months))


def deadline_row(accident: Accident, evaluations: list[Evaluation], settings: EvaluationSettings,
                 as_of: dt.date, is_public: Callable[[Evaluation], bool]) -> DeadlineRow:
    opens, due = evaluation_window(accident, settings)
    completed = [e for e in evaluations if e.status in _EVALUATED_STATUSES
                 and e.completion_date is not None and e.completion_date <= as_of]
    if any(is_public(e) for e in evaluations):
        status = DeadlineStatus.PUBLISHED
    elif completed:
        status = DeadlineStatus.EVALUATED
    elif as_of > due:
        status = DeadlineStatus.OVERDUE
    elif as_of >= opens:
        status = DeadlineStatus.IN_WINDOW
    else:
        status = DeadlineStatus.NOT_DUE
    days_overdue = (as_of - due).days if status is DeadlineStatus.OVERDUE else 0
    return DeadlineRow(accident, opens, due, status, days_overdue)


def deadline_table(accidents: list[Accident], repo: Repository, settings: EvaluationSettings,
                   as_of: dt.date, is_public: Callable[[Evaluation], bool]) -> list[DeadlineRow]:
    rows = [deadline_row(a, repo.evaluations_of(a.id), settings, as_of, is_public) for a in accidents]
    return sorted(rows, key=lambda r: (_ORDER.index(r.status), -r.days_overdue, r.due, r.accident.id))
