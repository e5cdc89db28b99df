"""Lifecycle consistency: each status needs its fields, and dates run in order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from generator.diagnostics import Diagnostic, make
from generator.load.strict_yaml import FieldPath
from generator.model import (STATUS_ZH, Accident, Campaign, CreditEntry, Directive, Enforcement, Evaluation, Record,
                             Rectification, Status)
from generator.rules.context import RuleContext

if TYPE_CHECKING:
    from generator.load.document import LoadedDocument
    from generator.validate.schema import SchemaSet

_AFTER_SUBMISSION = {Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN}
_AFTER_APPROVAL = {Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN}


def check_lifecycle_fields(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if record.status is Status.WITHDRAWN and record.publish_date is None:
            yield ctx.repo.at(record, "E313", ("status",))
        needed = fields_for_status(record.collection, record.status, lambda name: getattr(record, name) is not None)
        if needed:  # only then the file's positions are read (most records need nothing)
            yield from _needed(ctx.repo.documents[record.path], record.status, needed,
                               lambda field: ctx.title(record.collection, field))


def fields_for_status(collection: str, status: Status, present: Callable[[str], bool]) -> list[str]:
    """The fields a record's status requires beyond its schema's."""
    wanted = []
    if status is Status.PUBLISHED:
        wanted.append("publish_date")
    if status is Status.WITHDRAWN:
        wanted.append("withdrawal")
    if collection == "evaluation":
        if status in _AFTER_SUBMISSION:
            wanted.append("completion_date")
        if status in _AFTER_APPROVAL:
            wanted.append("approval")
    return [name for name in wanted if not present(name)]


def status_gaps(doc: LoadedDocument, schemas: SchemaSet) -> list[Diagnostic]:
    """The same for a file its schema rejected: reported with the schema's findings, so staff
    see every missing field in one run, not these only after the others are fixed."""
    try:
        status = Status(doc.data.get("status"))
    except ValueError:
        return []
    needed = fields_for_status(doc.collection, status, lambda name: name in doc.data)
    return list(_needed(doc, status, needed, lambda field: schemas.field_info(doc.collection, (field,)).title)) \
        if needed else []


def _needed(doc: LoadedDocument, status: Status, needed: list[str], title: Callable[[str], str]) -> Iterator[Diagnostic]:
    # The missing field has no position of its own: point at the status that requires it.
    pos = doc.value_position(("status",))
    for field in needed:
        yield make("E304", doc.path, pos.line, pos.column, field=field, status=STATUS_ZH[status], title=title(field))


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
              (("request", "date"), record.request.date if record.request else None),
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


def _filed_after_approval(record: Record) -> list[DatedField]:
    """备案 follows 审定 (000 §五), before or after publication: a chain of its own."""
    if isinstance(record, Evaluation) and record.approval and record.filing:
        return [(("approval", "date"), record.approval.date), (("filing", "date"), record.filing.date)]
    return []


def check_date_order(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        collection = record.collection
        pairs = [*out_of_order(_chain(ctx, record)), *out_of_order(_filed_after_approval(record))]
        for (path, day), (earlier_path, earlier) in pairs:
            earlier_title = ("事故结案日期" if earlier_path == ("accident_id",)
                             else ctx.title(collection, *earlier_path))
            yield ctx.repo.at(record, "E305", path, later=day, later_title=ctx.title(collection, *path),
                              later_field=".".join(map(str, path)), earlier=earlier,
                              earlier_title=earlier_title, earlier_field=".".join(map(str, earlier_path)))
