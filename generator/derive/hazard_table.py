"""The hazard deadline table: every hazard item of the public lists, as of a date.

003 §三(二)1(2): a hazard that is not fixed at once has a deadline; past it and
not closed, it is overdue. Overdue first (longest first), then due soonest.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from generator.model import HazardItem, Progress, Rectification


class HazardStatus(str, Enum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OPEN = "open"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    CLOSED = "closed"


HAZARD_STATUS_ZH = {
    HazardStatus.OVERDUE: "逾期未整改",
    HazardStatus.DUE_SOON: "临近期限",
    HazardStatus.OPEN: "整改期内",
    HazardStatus.AWAITING_ACCEPTANCE: "已整改待验收",
    HazardStatus.CLOSED: "已验收销号",
}
_ORDER = list(HazardStatus)


@dataclass(frozen=True)
class HazardRow:
    rectification: Rectification
    item: HazardItem
    status: HazardStatus
    days_overdue: int
    days_left: int | None

    @property
    def status_zh(self) -> str:
        return HAZARD_STATUS_ZH[self.status]

    @property
    def town(self) -> str:
        return self.item.town or self.rectification.jurisdiction

    def as_dict(self) -> dict[str, object]:
        item = self.item
        return {
            "list_id": self.rectification.id, "id": item.id, "description": item.description,
            "unit": item.unit.name, "credit_code": item.unit.credit_code, "town": self.town,
            "sector": item.sector, "level": item.level, "order_number": item.order_number,
            "found_date": item.found_date.isoformat(),
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "progress": item.progress.value, "status": self.status.value, "status_zh": self.status_zh,
            "days_overdue": self.days_overdue,
        }


def hazard_row(rectification: Rectification, item: HazardItem, as_of: dt.date, due_soon_days: int) -> HazardRow:
    days_left = (item.deadline - as_of).days if item.deadline else None
    if item.progress is Progress.CLOSED:
        status = HazardStatus.CLOSED
    elif item.rectified_date is not None or item.progress is Progress.AWAITING_ACCEPTANCE:
        status = HazardStatus.AWAITING_ACCEPTANCE
    elif days_left is not None and days_left < 0:
        status = HazardStatus.OVERDUE
    elif days_left is not None and days_left <= due_soon_days:
        status = HazardStatus.DUE_SOON
    else:
        status = HazardStatus.OPEN
    days_overdue = -days_left if status is HazardStatus.OVERDUE and days_left is not None else 0
    return HazardRow(rectification, item, status, days_overdue, days_left)


def hazard_table(lists: Iterable[Rectification], as_of: dt.date, due_soon_days: int) -> list[HazardRow]:
    rows = [hazard_row(r, item, as_of, due_soon_days) for r in lists for item in r.items]
    return sorted(rows, key=lambda r: (_ORDER.index(r.status), -r.days_overdue,
                                       r.item.deadline or dt.date.max, r.rectification.id, r.item.index))


def overdue_counts(rows: list[HazardRow], key: str) -> list[tuple[str, int, int]]:
    """(group, open items, overdue items) per sector or town, most overdue first."""
    open_items: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for row in rows:
        group = row.item.sector if key == "sector" else row.town
        if row.status is not HazardStatus.CLOSED:
            open_items[group] += 1
        if row.status is HazardStatus.OVERDUE:
            overdue[group] += 1
    return sorted(((g, open_items[g], overdue[g]) for g in open_items), key=lambda t: (-t[2], -t[1], t[0]))
