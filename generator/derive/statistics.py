"""Accident statistics from the accident records (004 §二; 001 art. 5(4)): counts, deaths,
injuries and direct economic loss by period and by sector, level and jurisdiction, with
year-on-year and period-on-period change. Only the records passed in are counted: the
public site passes public accidents only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable

from generator.derive.calendar import add_months
from generator.model import Accident


@dataclass(frozen=True)
class Totals:
    count: int = 0
    deaths: int = 0
    injuries: int = 0
    loss: float = 0.0  # 万元

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.count + other.count, self.deaths + other.deaths, self.injuries + other.injuries,
                      round(self.loss + other.loss, 2))


@dataclass(frozen=True)
class Row:
    label: str
    totals: Totals
    previous: Totals | None = None  # the period before (环比)
    year_before: Totals | None = None  # the same period a year before (同比)

    @property
    def count_change(self) -> str:
        return change(self.totals.count, self.previous.count if self.previous else None)

    @property
    def count_yoy(self) -> str:
        return change(self.totals.count, self.year_before.count if self.year_before else None)

    @property
    def deaths_yoy(self) -> str:
        return change(self.totals.deaths, self.year_before.deaths if self.year_before else None)


def of(accident: Accident) -> Totals:
    return Totals(1, accident.deaths, accident.injuries, accident.direct_loss)


def total(accidents: Iterable[Accident]) -> Totals:
    out = Totals()
    for accident in accidents:
        out = out + of(accident)
    return out


def change(now: float, before: float | None) -> str:
    """'+25.0%', '-50.0%', '持平'; '—' when there is nothing to compare with (no base or a zero base)."""
    if before is None or before == 0:
        return "—"
    if now == before:
        return "持平"
    return f"{(now - before) / before * 100:+.1f}%"


def by(accidents: Iterable[Accident], key: Callable[[Accident], str]) -> list[Row]:
    groups: dict[str, Totals] = {}
    for accident in accidents:
        groups[key(accident)] = groups.get(key(accident), Totals()) + of(accident)
    return [Row(label, groups[label]) for label in sorted(groups, key=lambda g: (-groups[g].count, g))]


def by_year(accidents: list[Accident]) -> list[Row]:
    years = sorted({a.occurred_date.year for a in accidents})
    totals = {y: total(a for a in accidents if a.occurred_date.year == y) for y in years}
    return [Row(f"{y}年", totals[y], totals.get(y - 1), totals.get(y - 1)) for y in years]


def by_quarter(accidents: list[Accident]) -> list[Row]:
    def quarter(day: dt.date) -> tuple[int, int]:
        return day.year, (day.month - 1) // 3 + 1
    if not accidents:
        return []
    first, last = quarter(min(a.occurred_date for a in accidents)), quarter(max(a.occurred_date for a in accidents))
    keys = [(y, q) for y in range(first[0], last[0] + 1) for q in range(1, 5) if first <= (y, q) <= last]
    totals = {k: total(a for a in accidents if quarter(a.occurred_date) == k) for k in keys}
    rows = []
    for year, q in keys:
        previous = (year, q - 1) if q > 1 else (year - 1, 4)
        rows.append(Row(f"{year}年第{q}季度", totals[(year, q)], totals.get(previous), totals.get((year - 1, q))))
    return rows


def by_month(accidents: list[Accident], as_of: dt.date, months: int = 12) -> list[Row]:
    """The last `months` calendar months up to the as-of date, each with month-on-month and year-on-year change."""
    def key(day: dt.date) -> tuple[int, int]:
        return day.year, day.month
    counts: dict[tuple[int, int], Totals] = {}
    for accident in accidents:
        counts[key(accident.occurred_date)] = counts.get(key(accident.occurred_date), Totals()) + of(accident)
    first = add_months(as_of.replace(day=1), -(months - 1))
    rows = []
    for n in range(months):
        day = add_months(first, n)
        rows.append(Row(f"{day.year}年{day.month}月", counts.get(key(day), Totals()),
                        counts.get(key(add_months(day, -1)), Totals()), counts.get(key(add_months(day, -12)), Totals())))
    return rows


def period(accidents: list[Accident], start: dt.date, end: dt.date) -> Row:
    """A campaign's period against the same period a year before (001 art. 5(4))."""
    now = total(a for a in accidents if start <= a.occurred_date <= end)
    before = total(a for a in accidents if add_months(start, -12) <= a.occurred_date <= add_months(end, -12))
    return Row(f"{start.isoformat()} 至 {end.isoformat()}", now, None, before)
