"""The submission deadline table of a directive: every required unit × item, as of a date.

A requirement names its units, or a group from the settings ([units]); its due date is
fixed, or counted from each accident's date (004 §二.4: 24 hours, 7 days, 30 days).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from generator.model import Accident, Directive, Requirement, Submission
from generator.settings import UnitSettings

GROUPS = {"全部镇（街道）": "towns", "全部部门": "departments", "牵头部门": "lead_departments"}


class SubmissionStatus(str, Enum):
    MISSING = "missing"
    LATE = "late"
    ON_TIME = "on_time"
    NOT_DUE = "not_due"


SUBMISSION_STATUS_ZH = {SubmissionStatus.ON_TIME: "按时", SubmissionStatus.LATE: "逾期提交",
                        SubmissionStatus.MISSING: "未提交", SubmissionStatus.NOT_DUE: "未到期"}
_ORDER = list(SubmissionStatus)


@dataclass(frozen=True)
class SubmissionRow:
    directive: Directive
    requirement: Requirement
    unit: str
    accident: Accident | None
    due: dt.date
    submitted: Submission | None
    status: SubmissionStatus
    days: int  # late by (逾期提交) or overdue by (未提交)

    @property
    def status_zh(self) -> str:
        return SUBMISSION_STATUS_ZH[self.status]


def required_units(requirement: Requirement, units: UnitSettings) -> tuple[str, ...]:
    if requirement.group is not None:
        return getattr(units, GROUPS[requirement.group]) if requirement.group in GROUPS else ()
    return requirement.units


def _status(due: dt.date, submitted: Submission | None, as_of: dt.date) -> tuple[SubmissionStatus, int]:
    if submitted is not None:
        late = (submitted.date - due).days
        return (SubmissionStatus.LATE, late) if late > 0 else (SubmissionStatus.ON_TIME, 0)
    if as_of > due:
        return SubmissionStatus.MISSING, (as_of - due).days
    return SubmissionStatus.NOT_DUE, 0


# Where a jurisdiction's name ends a level: 云南省 / 曲靖市 / 麒麟区 …
_LEVEL_END = re.compile(r"(?<=[省市州盟区县旗])")


def within(place: str, jurisdiction: str) -> bool:
    """Whether `place` lies in `jurisdiction`, read from their names: 曲靖市麒麟区 lies in 曲靖市 and
    in itself, not in 曲靖市马龙区. Names that do not share their first level (a province's name
    left out of a district's, say) cannot be compared and count as within: a warning too many is
    better than a deadline that slips unseen. Two names of one level that differ are apart."""
    if place.startswith(jurisdiction):
        return True
    ours, theirs = _LEVEL_END.split(place), _LEVEL_END.split(jurisdiction)
    shared = 0
    while shared < min(len(ours), len(theirs)) and ours[shared] == theirs[shared]:
        shared += 1
    if shared == 0 and ours[0][-1:] == theirs[0][-1:]:
        return False  # two different places of one level: 玉溪市 and 曲靖市
    return shared == 0  # no level in common, of different levels: not comparable


def submission_rows(directive: Directive, accidents: Iterable[Accident], units: UnitSettings,
                    as_of: dt.date) -> list[SubmissionRow]:
    """Overdue and missing first, then late, on time and not yet due."""
    first: dict[tuple[str, str, str | None], Submission] = {}
    for s in directive.submissions:  # the first submission counts; a resubmission does not make it late
        key = (s.requirement, s.unit, s.accident_id)
        if key not in first or s.date < first[key].date:
            first[key] = s
    # Event-relative requirements apply to accidents that happened once the directive was in force,
    # in its own jurisdiction: a district's directive does not cover the next district's accidents.
    in_force = [a for a in accidents if a.occurred_date >= directive.issued_date
                and within(a.jurisdiction, directive.jurisdiction)]
    rows: list[SubmissionRow] = []
    for requirement in directive.requirements:
        if (requirement.due is None) == (requirement.after_accident_days is None):
            continue  # ambiguous or no deadline: check reports it (E357), the table cannot place it
        for unit in required_units(requirement, units):
            if requirement.after_accident_days is not None:
                for accident in in_force:
                    due = accident.occurred_date + dt.timedelta(days=requirement.after_accident_days)
                    found = first.get((requirement.id, unit, accident.id))
                    rows.append(SubmissionRow(directive, requirement, unit, accident, due, found,
                                              *_status(due, found, as_of)))
            else:
                assert requirement.due is not None
                found = first.get((requirement.id, unit, None))
                rows.append(SubmissionRow(directive, requirement, unit, None, requirement.due, found,
                                          *_status(requirement.due, found, as_of)))
    return sorted(rows, key=lambda r: (_ORDER.index(r.status), -r.days, r.due, r.requirement.index, r.unit))
