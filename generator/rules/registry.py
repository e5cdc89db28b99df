"""Every cross-record rule, in the order they run."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterator

from generator.diagnostics import Diagnostic
from generator.rules import (attachment_privacy, attachments, body_links, body_safety, campaigns, completeness, deadlines, enforcement,
                             hazards, identities, lifecycle, mentions, privacy, references, script, site_health)
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
    script.check_traditional_characters,
    body_links.check_body_links,
    mentions.check_mentions,
    attachments.check_attachments,
    privacy.check_personal_data,
    attachment_privacy.check_attachment_personal_data,
    identities.check_credit_codes,
    identities.check_personal_names,
    hazards.check_item_ids,
    hazards.check_problem_links,
    hazards.check_acceptance_evidence,
    hazards.check_item_dates,
    enforcement.check_outcomes,
    enforcement.check_parties,
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
    site_health.check_site_health,
)


# Rules whose findings depend on one file's bytes alone: the check cache keeps them per file.
SINGLE_FILE_RULES: tuple[RuleFunction, ...] = (
    body_safety.check_complexity,
    body_safety.check_body_safety,
    body_safety.check_pinyin_garbage,
    script.check_traditional_characters,
    privacy.check_personal_data,
)


# Rules that read one record, the settings and the as-of date, and nothing else of the
# repository: for a file that was read in this check they ran beside its loading, on every
# core (generator/file_check.py); for a file from the check cache they run here. Their
# findings depend on the date and the settings, so the cache never keeps them.
RECORD_RULES: tuple[RuleFunction, ...] = (
    completeness.check_sections,
    completeness.check_placeholders,
    hazards.check_item_dates,
    hazards.check_overdue_hazards,
)


def run_rules(ctx: RuleContext) -> list[Diagnostic]:
    found = [d for rule in RULES if rule not in SINGLE_FILE_RULES and rule not in RECORD_RULES for d in rule(ctx)]
    beside_loading = ctx.repo.record_findings
    for record in ctx.records:
        found.extend(beside_loading.get(record.path, ()))
    rest = frozenset(record.path for record in ctx.records if record.path not in beside_loading)
    if rest:
        found.extend(d for rule in RECORD_RULES for d in rule(replace(ctx, only_paths=rest)))
    # Single-file findings were found while loading (generator/file_check.py) or come from the
    # check cache; records that arrived another way are scanned here.
    known = ctx.repo.single_file_findings
    missing = frozenset(record.path for record in ctx.records if record.path not in known)
    for record in ctx.records:
        found.extend(known.get(record.path, ()))
    if missing:
        fresh = [d for rule in SINGLE_FILE_RULES for d in rule(replace(ctx, only_paths=missing))]
        cache = ctx.repo.check_cache
        if cache is not None:
            by_path: dict[str, list[Diagnostic]] = {path: [] for path in missing}
            for diagnostic in fresh:
                by_path.setdefault(diagnostic.path, []).append(diagnostic)
            for path, diagnostics in by_path.items():
                cache.keep_single_file_findings(path, diagnostics)
        found.extend(fresh)
    return found
