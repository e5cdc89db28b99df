"""Ids unique across the repository; references between records resolve."""

from __future__ import annotations

from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.load.strict_yaml import FieldPath
from generator.model import CreditEntry, Enforcement, Evaluation, Record, Rectification, Status
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


def _links(record: Record) -> Iterator[tuple[FieldPath, str, str]]:
    """(field, collection, id) for every reference the new collections make."""
    if isinstance(record, Rectification) and record.source.evaluation_id:
        yield ("source", "evaluation_id"), "evaluation", record.source.evaluation_id
    elif isinstance(record, Enforcement) and record.related is not None:
        if record.related.accident_id:
            yield ("related", "accident_id"), "accident", record.related.accident_id
        if record.related.rectification_id:
            yield ("related", "rectification_id"), "rectification", record.related.rectification_id
    elif isinstance(record, CreditEntry) and record.enforcement_id:
        yield ("enforcement_id",), "enforcement", record.enforcement_id


_KIND = {"accident": "事故 / accident", "evaluation": "评估报告 / evaluation",
         "rectification": "隐患整改清单 / rectification list", "enforcement": "执法案例 / enforcement case"}


def check_links(ctx: RuleContext) -> Iterator[Diagnostic]:
    """References resolve, and a published record links only records public by its own publish date:
    otherwise its page (or its data download) would name a record the public may not see yet."""
    index: dict[str, dict[str, Record]] = {
        "accident": ctx.repo.accidents, "evaluation": ctx.repo.evaluations,  # type: ignore[dict-item]
        "rectification": ctx.repo.rectifications, "enforcement": ctx.repo.enforcement}  # type: ignore[dict-item]
    for record in ctx.records:
        for path, collection, ref in _links(record):
            target = index[collection].get(ref)
            if target is None:
                if path != ("source", "evaluation_id"):  # reported with its problem links (hazards.py)
                    yield ctx.repo.at(record, "E307", path, ref=ref, target_kind=_KIND[collection])
                continue
            if record.status is Status.PUBLISHED and not (
                    target.status in (Status.PUBLISHED, Status.WITHDRAWN) and target.publish_date is not None
                    and record.publish_date is not None and target.publish_date <= record.publish_date):
                yield ctx.repo.at(record, "E315", path, ref=ref, target_kind=_KIND[collection].split(" / ")[0])
        if (isinstance(record, Enforcement) and record.related and record.related.hazard_id
                and record.related.rectification_id in ctx.repo.rectifications):
            items = {i.id for i in ctx.repo.rectifications[record.related.rectification_id].items}
            if record.related.hazard_id not in items:
                yield ctx.repo.at(record, "E307", ("related", "hazard_id"), ref=record.related.hazard_id,
                                  target_kind="隐患 / hazard")


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
