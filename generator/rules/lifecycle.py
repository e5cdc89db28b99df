"""Lifecycle consistency: each status needs its fields, and dates run in order."""

from __future__ import annotations

from typing import Iterator

from generator.diagnostics import Diagnostic, make
from generator.load.strict_yaml import FieldPath
from generator.model import (STATUS_ZH, Accident, Campaign, CreditEntry, Directive, Enforcement, Evaluation, Record,
                             Rectification, Status)
from generator.rules.context import RuleContext

_AFTER_SUBMISSION = {Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN}
_AFTER_APPROVAL = {Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN}


def check_lifecycle_fields(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if record.status is Status.WITHDRAWN and record.publish_date is None:
            yield ctx.repo.at(record, "E313", ("status",))
        needed: list[str] = []
        if record.status is Status.PUBLISHED and record.publish_date is None:
            needed.append("publish_date")
        if record.status is Status.WITHDRAWN and record.withdrawal is None:
            needed.append("withdrawal")
        if isinstance(record, Evaluation):
            if record.status in _AFTER_SUBMISSION and record.completion_date is None:
                needed.append("completion_date")
            if record.status in _AFTER_APPROVAL and record.approval is None:
                needed.append("approval")
        if not needed:
            continue
        # The missing field has no position of its own: point at the status that requires it.
        pos = ctx.repo.documents[record.path].value_position(("status",))
        for field in needed:
            yield make("E304", record.path, pos.line, pos.column, field=field,
                       status=STATUS_ZH[record.status], title=ctx.title(record.collection, field))


DatedField = tuple[FieldPath, object]


def _chain(ctx: RuleContext, record: Record) -> list[DatedField]:
    """The dates that must not decrease, in lifecycle order, as (field path, date)."""
    if isinstance(record, Accident):
        return [(("occurred_date",), record.occurred_date), (("closure_date",), record.closure_date),
                (("publish_date",), record.publish_date)]
    if isinstance(record, Rectification):
        return [(("issued_date",), record.issued_date), (("publish_date",), record.publish_date)]
    if isinstance(record, Enforcement):
        return [(("decision_date",), record.decision_date),
                (("batch", "date"), record.batch.date if record.batch else None),
                (("publish_date",), record.publish_date)]
    if isinstance(record, CreditEntry):
        return [(("entry_date",), record.entry_date), (("publish_date",), record.publish_date),
                (("removal", "date"), record.removal.date if record.removal else None)]
    if isinstance(record, Campaign):
        return [(("start_date",), record.start_date), (("end_date",), record.end_date),
                (("evaluation", "re_evaluation", "date"), record.re_evaluation.date if record.re_evaluation else None),
                (("evaluation", "review", "date"), record.review.date if record.review else None)]
    if isinstance(record, Directive):
        return [(("issued_date",), record.issued_date), (("publish_date",), record.publish_date)]
    assert isinstance(record, Evaluation)
    accident = ctx.repo.accidents.get(record.accident_id)
    chain: list[tuple[FieldPath, object]] = []
    if accident is not None:
        chain.append((("accident_id",), accident.closure_date))
    chain += [(("group", "formed_date"), record.group.formed_date),
              (("completion_date",), record.completion_date),
              (("approval", "date"), record.approval.date if record.approval else None),
              (("publish_date",), record.publish_date)]
    return chain


def out_of_order(chain: list[DatedField]) -> Iterator[tuple[DatedField, DatedField]]:
    """(later, earlier) for each date earlier than the last date before it; empty dates are skipped."""
    previous: DatedField | None = None
    for path, day in chain:
        if day is None:
            continue
        if previous is not None and day < previous[1]:  # type: ignore[operator]
            yield (path, day), previous
        previous = (path, day)


def check_date_order(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        collection = record.collection
        for (path, day), (earlier_path, earlier) in out_of_order(_chain(ctx, record)):
            earlier_title = ("事故结案日期" if earlier_path == ("accident_id",)
                             else ctx.title(collection, *earlier_path))
            yield ctx.repo.at(record, "E305", path, later=day, later_title=ctx.title(collection, *path),
                              later_field=".".join(map(str, path)), earlier=earlier,
                              earlier_title=earlier_title, earlier_field=".".join(map(str, earlier_path)))
