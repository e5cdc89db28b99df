"""Enforcement cases and credit lists: outcomes that fit together, removal by the rules (DOMAIN.md §5)."""

from __future__ import annotations

from typing import Iterator

from generator.derive.calendar import add_months
from generator.diagnostics import Diagnostic
from generator.model import CreditEntry, Enforcement
from generator.rules.context import RuleContext

NO_PENALTY = "不予行政处罚"


def check_outcomes(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if not isinstance(record, Enforcement):
            continue
        for index, outcome in enumerate(record.outcomes):
            if outcome.target == "主要负责人" and record.principal is None:
                yield ctx.repo.at(record, "E347", ("outcomes", index, "target"))
            if outcome.type == NO_PENALTY:
                others = [o.type for o in record.outcomes if o.target == outcome.target and o.type != NO_PENALTY]
                if others:
                    yield ctx.repo.at(record, "E346", ("outcomes", index, "type"), others="、".join(others),
                                      target=outcome.target)


def check_early_removal(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Credit repair: early removal only after the minimum period (应急管理部令第11号)."""
    months = ctx.settings.credit.early_removal_months
    for record in ctx.records:
        if not isinstance(record, CreditEntry) or record.removal is None or record.removal.kind != "信用修复":
            continue
        earliest = add_months(record.entry_date, months)
        if record.removal.date < earliest:
            yield ctx.repo.at(record, "E348", ("removal", "date"), removed=record.removal.date,
                              entered=record.entry_date, months=months, earliest=earliest)
