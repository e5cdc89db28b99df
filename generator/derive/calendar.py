"""Calendar arithmetic: calendar months with clamping, and official working days.

Working days follow the State Council's holiday arrangements including adjusted
workdays (调休). We use the maintained `chinesecalendar` package for them rather
than a hand-kept table; a date it does not cover raises OutsideCalendar, which
callers turn into a diagnostic, never a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

import chinese_calendar


class OutsideCalendar(Exception):
    def __init__(self, date: dt.date) -> None:
        super().__init__(f"{date} is outside the working-day calendar")
        self.date = date


@functools.cache
def calendar_range() -> tuple[dt.date, dt.date]:
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)


@functools.cache
def _special_days() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    return frozenset(chinese_calendar.holidays), frozenset(chinese_calendar.workdays)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` calendar months later; a missing day clamps to month end (DOMAIN.md E1)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_workday(day: dt.date) -> bool:
    # The library's own is_workday re-scans its whole table on every call; the same
    # rule over its data as sets is ~100x faster for day-by-day counting.
    first, last = calendar_range()
    if not first <= day <= last:
        raise OutsideCalendar(day)
    holidays, adjusted_workdays = _special_days()
    return day in adjusted_workdays or (day.weekday() < 5 and day not in holidays)


@functools.cache
def _workdays_before() -> tuple[int, tuple[int, ...]]:
    """(first ordinal, counts): counts[i] is the number of working days before calendar day i."""
    first, last = calendar_range()
    counts = [0]
    day = first
    while day <= last:
        counts.append(counts[-1] + is_workday(day))
        day += dt.timedelta(days=1)
    return first.toordinal(), tuple(counts)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    if end <= start:
        return 0
    first, last = calendar_range()
    for day in (start + dt.timedelta(days=1), end):
        if not first <= day <= last:
            raise OutsideCalendar(day)
    # Prefix sums over the calendar: O(1) per question instead of a walk day by day.
    base, counts = _workdays_before()
    return counts[end.toordinal() - base + 1] - counts[start.toordinal() - base + 1]
