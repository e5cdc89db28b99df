"""Every cross-record rule, in the order they run."""

from __future__ import annotations

from typing import Callable, Iterator

from generator.diagnostics import Diagnostic
from generator.rules import (attachments, body_links, body_safety, campaigns, completeness, deadlines, enforcement,
                             hazards, identities, lifecycle, privacy, references)
from generator.rules.context import RuleContext

RuleFunction = Callable[[RuleContext], Iterator[Diagnostic]]

RULES: tuple[RuleFunction, ...] = (
    references.check_unique_ids,
    references.check_references,
    references.check_public_accident,
    references.check_mirror,
    references.check_links,
    lifecycle.check_lifecycle_fields,
    lifecycle.check_date_order,
    completeness.check_accident_measures,
    completeness.check_measure_verdicts,
    completeness.check_sections,
    completeness.check_lists,
    completeness.check_placeholders,
    body_safety.check_complexity,
    body_safety.check_body_safety,
    body_safety.check_pinyin_garbage,
    body_links.check_body_links,
    attachments.check_attachments,
    privacy.check_personal_data,
    identities.check_credit_codes,
    identities.check_personal_names,
    hazards.check_item_ids,
    hazards.check_problem_links,
    hazards.check_acceptance_evidence,
    hazards.check_item_dates,
    enforcement.check_outcomes,
    enforcement.check_early_removal,
    campaigns.check_extensions,
    campaigns.check_towns,
    campaigns.check_statistics,
    campaigns.check_requirements,
    deadlines.check_evaluation_window,
    deadlines.check_group_duration,
    deadlines.check_publication_delay,
    deadlines.check_overdue_evaluations,
    hazards.check_overdue_hazards,
    campaigns.check_stage_deadlines,
    campaigns.check_missing_submissions,
)


def run_rules(ctx: RuleContext) -> list[Diagnostic]:
    return [d for rule in RULES for d in rule(ctx)]
