"""Hazard rectification lists: one record per hazard, a closed loop, dates in order (DOMAIN.md §4)."""

from __future__ import annotations

from typing import Iterator

from generator.derive.hazard_table import HazardStatus, hazard_row
from generator.diagnostics import Diagnostic
from generator.model import HazardItem, Rectification
from generator.rules.context import RuleContext
from generator.rules.lifecycle import DatedField, out_of_order


def _lists(ctx: RuleContext) -> Iterator[Rectification]:
    for record in ctx.records:
        if isinstance(record, Rectification):
            yield record


def check_item_ids(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in _lists(ctx):
        first: dict[str, HazardItem] = {}
        for item in record.items:
            # Anchors are case-insensitive in practice: H1 and h1 would collide.
            earlier = first.setdefault(item.id.casefold(), item)
            if earlier is not item:
                line = ctx.repo.documents[record.path].value_position(("items", earlier.index, "id")).line
                yield ctx.repo.at(record, "E343", ("items", item.index, "id"), id=item.id, other_line=line)


def check_problem_links(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Items from an evaluation's problem list name the problem they carry out."""
    for record in _lists(ctx):
        evaluation_id = record.source.evaluation_id
        if evaluation_id is not None and evaluation_id not in ctx.repo.evaluations:
            yield ctx.repo.at(record, "E307", ("source", "evaluation_id"), ref=evaluation_id,
                              target_kind="评估报告 / evaluation")
            continue
        evaluation = ctx.repo.evaluations.get(evaluation_id) if evaluation_id else None
        problems = {p.id for p in (evaluation.problems or ())} if evaluation else set()
        for item in record.items:
            if item.problem_id is not None and item.problem_id not in problems:
                yield ctx.repo.at(record, "E342", ("items", item.index, "problem_id"), ref=item.problem_id,
                                  evaluation=evaluation_id or "（清单来源不是评估报告 / source is not an evaluation）")


def check_acceptance_evidence(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in _lists(ctx):
        attached = {a.file for a in record.attachments}
        for item in record.items:
            evidence = item.acceptance.evidence if item.acceptance else ""
            if evidence.startswith("files/") and evidence not in attached:
                yield ctx.repo.at(record, "E344", ("items", item.index, "acceptance", "evidence"), evidence=evidence)


def _item_chains(item: HazardItem) -> list[list[DatedField]]:
    at = ("items", item.index)
    found = (at + ("found_date",), item.found_date)
    return [
        [found, (at + ("started_date",), item.started_date), (at + ("rectified_date",), item.rectified_date),
         (at + ("acceptance", "date"), item.acceptance.date if item.acceptance else None)],
        [found, (at + ("reported_to", "date"), item.reported_to.date if item.reported_to else None)],
        [found, (at + ("deadline",), item.deadline)],
    ]


def check_item_dates(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Nothing is closed before it was found (and the rest of the loop runs forward)."""
    for record in _lists(ctx):
        for item in record.items:
            for chain in _item_chains(item):
                for (path, day), (earlier_path, earlier) in out_of_order(chain):
                    yield ctx.repo.at(record, "E345", path, later=day, later_title=ctx.title("rectification", *path),
                                      later_field=".".join(map(str, path)), earlier=earlier,
                                      earlier_title=ctx.title("rectification", *earlier_path),
                                      earlier_field=".".join(map(str, earlier_path)))


def check_overdue_hazards(ctx: RuleContext) -> Iterator[Diagnostic]:
    """One warning per overdue hazard, the longest overdue first, up to a cap per list;
    past the cap one summary, so a province's ledger does not bury every other finding."""
    cap = ctx.settings.hazards.overdue_warnings_per_list
    for record in _lists(ctx):
        rows = [hazard_row(record, item, ctx.as_of, ctx.settings.hazards.due_soon_days) for item in record.items]
        overdue = sorted((r for r in rows if r.status is HazardStatus.OVERDUE),
                         key=lambda r: (-r.days_overdue, r.item.index))
        for row in overdue[:cap]:
            item = row.item
            yield ctx.repo.at(record, "W506", ("items", item.index, "deadline"), item=item.id,
                              deadline=item.deadline, days=row.days_overdue, progress=item.progress.value)
        if len(overdue) > cap:
            yield ctx.repo.at(record, "W507", ("items",), key=True, count=len(overdue) - cap, total=len(overdue))
