"""Deadline warnings as of the as-of date (000 §二, §四; 政府信息公开条例 art. 26)."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from generator.derive.calendar import OutsideCalendar, calendar_range, working_days_between
from generator.derive.deadline_table import DeadlineStatus, deadline_row, evaluation_window
from generator.diagnostics import Diagnostic
from generator.load.strict_yaml import FieldPath
from generator.model import Evaluation, Record, Status
from generator.publish import is_public
from generator.rules.context import RuleContext


def check_evaluation_window(ctx: RuleContext) -> Iterator[Diagnostic]:
    settings = ctx.settings.evaluation
    for report in ctx.evaluations:
        accident = ctx.repo.accidents.get(report.accident_id)
        if accident is None or report.completion_date is None:
            continue
        opens, due = evaluation_window(accident, settings)
        if not opens <= report.completion_date <= due:
            yield ctx.repo.at(report, "W501", ("completion_date",), completed=report.completion_date,
                              open_months=settings.window_opens_months, due_months=settings.due_months,
                              window_opens=opens, due=due)


def check_group_duration(ctx: RuleContext) -> Iterator[Diagnostic]:
    limit = ctx.settings.evaluation.group_max_days
    for report in ctx.evaluations:
        if report.completion_date is None:
            continue
        days = (report.completion_date - report.group.formed_date).days
        if days > limit:
            yield ctx.repo.at(report, "W502", ("completion_date",), formed=report.group.formed_date,
                              completed=report.completion_date, days=days, limit=limit)


def _working_days(ctx: RuleContext, record: Record, path: FieldPath, start: dt.date,
                  end: dt.date) -> int | Diagnostic:
    try:
        return working_days_between(start, end)
    except OutsideCalendar as exc:
        first, last = calendar_range()
        return ctx.repo.at(record, "W802", path, date=exc.date, first=first, last=last)


def check_publication_delay(ctx: RuleContext) -> Iterator[Diagnostic]:
    limit = ctx.settings.evaluation.publication_working_days
    for report in ctx.evaluations:
        if report.approval is None:
            continue
        approved = report.approval.date
        if report.status is Status.PUBLISHED and report.publish_date is not None:
            days = _working_days(ctx, report, ("publish_date",), approved, report.publish_date)
            code = "W503"
        elif report.status is Status.APPROVED:
            days = _working_days(ctx, report, ("approval", "date"), approved, ctx.as_of)
            code = "W504"
        else:
            continue
        if isinstance(days, Diagnostic):
            yield days
        elif days > limit:
            path: FieldPath = ("publish_date",) if code == "W503" else ("approval", "date")
            yield ctx.repo.at(report, code, path, approved=approved, days=days, limit=limit)


def check_overdue_evaluations(ctx: RuleContext) -> Iterator[Diagnostic]:
    def public(e: Evaluation) -> bool:
        return is_public(e, ctx.as_of)

    for accident in ctx.accidents:
        row = deadline_row(accident, ctx.repo.evaluations_of(accident.id), ctx.settings.evaluation,
                           ctx.as_of, public)
        if row.status is DeadlineStatus.OVERDUE:
            yield ctx.repo.at(accident, "W505", ("closure_date",), closure=accident.closure_date,
                              due=row.due, days=row.days_overdue)
