"""Ids unique across the repository; references between records resolve."""

from __future__ import annotations

from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.model import Evaluation, Status
from generator.publish import is_public
from generator.rules.context import RuleContext


def check_unique_ids(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Every file sharing an id is reported, each naming the others (HAZARDS.md G04)."""
    # Ids become URLs: two ids equal but for case collide on case-insensitive hosting (G06).
    paths_by_id: dict[str, list[str]] = {}
    for record in ctx.repo.records:
        paths_by_id.setdefault(record.id.casefold(), []).append(record.path)
    for record in ctx.records:
        others = [p for p in paths_by_id[record.id.casefold()] if p != record.path]
        if others:
            yield ctx.repo.at(record, "E306", ("id",), id=record.id, other="、".join(others))


def check_references(ctx: RuleContext) -> Iterator[Diagnostic]:
    accidents = ctx.repo.accidents
    for record in ctx.records:
        if isinstance(record, Evaluation) and record.accident_id not in accidents:
            yield ctx.repo.at(record, "E307", ("accident_id",), ref=record.accident_id, target_kind="事故 / accident")


def check_public_accident(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A published report links its accident: the accident must be public by then too."""
    accidents = ctx.repo.accidents
    for record in ctx.records:
        if not isinstance(record, Evaluation) or record.status is not Status.PUBLISHED:
            continue
        accident = accidents.get(record.accident_id)
        if accident is None:
            continue
        accident_public = (accident.status is Status.PUBLISHED and accident.publish_date is not None
                           and (record.publish_date is None or accident.publish_date <= record.publish_date))
        if not accident_public:
            yield ctx.repo.at(record, "E314", ("accident_id",), ref=accident.id)


def check_mirror(ctx: RuleContext) -> Iterator[Diagnostic]:
    """In a public mirror every record must be public (DOMAIN.md §2: nothing before approval)."""
    if not ctx.settings.site.mirror:
        return
    for record in ctx.records:
        if not is_public(record, ctx.as_of):
            yield ctx.repo.at(record, "E701", ("status",), status=record.status.value)
