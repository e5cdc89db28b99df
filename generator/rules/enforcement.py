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


def check_parties(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Who a case is against, as published lists give it: a unit with its credit code, a unit
    the list masks (with the reason), or a person by masked name only (003 §三(三))."""
    for record in ctx.records:
        if not isinstance(record, Enforcement):
            continue
        party = record.party
        if party.kind == "个人":
            for field in ("credit_code", "masked_reason"):
                if getattr(party, field):
                    yield ctx.repo.at(record, "E339", ("party", field), what_en=field,
                                      what=ctx.title("enforcement", "party", field))
        elif party.masked_reason:
            if party.credit_code:
                yield ctx.repo.at(record, "E338", ("party", "credit_code"), reason=party.masked_reason,
                                  shown="仍写了统一社会信用代码", shown_en="its credit code is given")
            if "某" not in party.name:
                yield ctx.repo.at(record, "E338", ("party", "name"), reason=party.masked_reason,
                                  shown=f"名称 {party.name} 没有隐去", shown_en=f"its name {party.name} is not masked")
        elif not party.credit_code:
            yield ctx.repo.at(record, "E337", ("party", "kind"), name=party.name)


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
