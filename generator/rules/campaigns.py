"""Campaign evaluations (001; 002 附件3) and directives with required submissions (DOMAIN.md §3, §6)."""

from __future__ import annotations

from typing import Iterator

from generator.derive.calendar import calendar_range
from generator.derive.campaign_schedule import StageStatus, decide_extension, schedule
from generator.derive.submissions import GROUPS, SubmissionStatus, required_units, submission_rows
from generator.diagnostics import Diagnostic, make
from generator.model import Campaign, Directive
from generator.rules.context import RuleContext

SELF_ASSESSMENT_LISTS = ("自评报告", "目标任务完成情况清单", "问题隐患整改情况清单", "典型经验做法清单")


def _campaigns(ctx: RuleContext) -> Iterator[Campaign]:
    for record in ctx.records:
        if isinstance(record, Campaign):
            yield record


def check_extensions(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An extension counts only if it reached the office enough working days before the due date.

    The due date is the stage's own before the extension, as the schedule computes it (its
    previous stage's actual date, or extended due date, plus the stage's days).
    """
    settings = ctx.settings.campaign
    for campaign in _campaigns(ctx):
        stages = {stage.key: stage for stage in schedule(campaign, settings, ctx.as_of)}
        for extension in campaign.extensions:
            stage = stages[extension.stage]
            due = stage.extension.original_due if stage.extension else stage.due
            decision = decide_extension(extension, due, settings)
            at = ("evaluation", "extensions", extension.index, "requested")
            if decision.notice_working_days is None:
                first, last = calendar_range()
                yield ctx.repo.at(campaign, "E351", at, requested=extension.requested, due=due,
                                  first=first, last=last)
            elif not decision.granted:
                yield ctx.repo.at(campaign, "E350", at, requested=extension.requested, due=due,
                                  days=decision.notice_working_days, needed=settings.extension_notice_working_days)


def check_towns(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Every participating town reports its four lists; once re-evaluated, every town has a grade
    and a sub-report; nothing names a town outside the campaign."""
    for campaign in _campaigns(ctx):
        towns = set(campaign.towns)
        reported = set()
        for index, assessment in enumerate(campaign.self_assessments):
            at = ("evaluation", "self_assessments", index)
            reported.add(assessment.town)
            if assessment.town not in towns:
                yield ctx.repo.at(campaign, "E355", at + ("town",), town=assessment.town)
            missing = [name for name in SELF_ASSESSMENT_LISTS if name not in assessment.lists]
            if missing:
                yield ctx.repo.at(campaign, "E354", at + ("lists",), town=assessment.town, missing="、".join(missing))
        re_evaluation = campaign.re_evaluation
        if re_evaluation is None:
            continue
        graded = {g.unit for g in re_evaluation.grades}
        for index, grade in enumerate(re_evaluation.grades):
            if grade.unit not in towns:
                yield ctx.repo.at(campaign, "E355", ("evaluation", "re_evaluation", "grades", index, "town"),
                                  town=grade.unit)
        for town in campaign.towns:
            gaps = [what for what, done in (("自评材料", town in reported), ("等级认定", town in graded),
                                             ("子项报告", town in re_evaluation.sub_reports)) if not done]
            if gaps:
                yield ctx.repo.at(campaign, "E352", ("evaluation", "re_evaluation"), key=True, town=town,
                                  missing="、".join(gaps))


def check_statistics(ctx: RuleContext) -> Iterator[Diagnostic]:
    """002 附件3: minimum (and for documents maximum) counts per unit and topic."""
    s = ctx.settings.campaign
    limits = {
        "牵头部门": ((s.experience_min_lead, None), (s.documents_min_lead, s.documents_max_lead)),
        "其他部门": ((s.experience_min_other, None), (s.documents_min_other, s.documents_max_other)),
        "镇（街道）": ((s.experience_min_town, None), (0, None)),
    }
    for campaign in _campaigns(ctx):
        for row in campaign.statistics:
            for field, value, (low, high) in (("experience", row.experience, limits[row.role][0]),
                                              ("documents", row.documents, limits[row.role][1])):
                if value < low or (high is not None and value > high):
                    wanted = f"{low}～{high}" if high is not None else f"不少于 {low}"
                    yield ctx.repo.at(campaign, "E356", ("statistics", row.index, field), unit=row.unit,
                                      role=row.role, topic=row.topic, value=value, wanted=wanted,
                                      title=ctx.title("campaign", "statistics", 0, field))


def check_stage_deadlines(ctx: RuleContext) -> Iterator[Diagnostic]:
    for campaign in _campaigns(ctx):
        for stage in schedule(campaign, ctx.settings.campaign, ctx.as_of):
            if stage.status is StageStatus.OVERDUE:
                yield ctx.repo.at(campaign, "W508", ("end_date",), stage=stage.name, due=stage.due, days=stage.days)


def check_requirements(ctx: RuleContext) -> Iterator[Diagnostic]:
    for directive in (r for r in ctx.records if isinstance(r, Directive)):
        ids = {r.id for r in directive.requirements}
        for requirement in directive.requirements:
            at = ("requirements", requirement.index)
            if (requirement.due is None) == (requirement.after_accident_days is None):
                yield ctx.repo.at(directive, "E357", at + ("id",), id=requirement.id)
            if bool(requirement.units) == (requirement.group is not None):
                yield ctx.repo.at(directive, "E358", at + ("id",), id=requirement.id,
                                  groups="、".join(GROUPS))
            elif requirement.group is not None and not required_units(requirement, ctx.settings.units):
                yield ctx.repo.at(directive, "E358", at + ("group",), id=requirement.id, groups="、".join(GROUPS))
        by_id = {r.id: r for r in directive.requirements}
        for submission in directive.submissions:
            at = ("submissions", submission.index)
            requirement = by_id.get(submission.requirement)
            if requirement is None:
                yield ctx.repo.at(directive, "E359", at + ("requirement",), ref=submission.requirement,
                                  known="、".join(sorted(ids)))
            elif submission.unit not in required_units(requirement, ctx.settings.units):
                yield ctx.repo.at(directive, "E360", at + ("unit",), unit=submission.unit, id=requirement.id)
            elif (requirement.after_accident_days is not None and requirement.due is None
                  and submission.accident_id is None):
                pos = ctx.repo.documents[directive.path].key_position(at)
                yield make("E201", directive.path, pos.line, pos.column,
                           field=f"submissions[{submission.index}].accident_id", title="事故",
                           description="按事故起算的报送要求，填写事故编号")
            elif submission.accident_id is not None and submission.accident_id not in ctx.repo.accidents:
                yield ctx.repo.at(directive, "E307", at + ("accident_id",), ref=submission.accident_id,
                                  target_kind="事故 / accident")


def check_missing_submissions(ctx: RuleContext) -> Iterator[Diagnostic]:
    accidents = list(ctx.repo.accidents.values())
    for directive in (r for r in ctx.records if isinstance(r, Directive)):
        for row in submission_rows(directive, accidents, ctx.settings.units, ctx.as_of):
            if row.status is SubmissionStatus.MISSING:
                what = row.requirement.item + (f"（{row.accident.id}）" if row.accident else "")
                yield ctx.repo.at(directive, "W509", ("requirements", row.requirement.index, "id"), unit=row.unit,
                                  item=what, due=row.due, days=row.days)
