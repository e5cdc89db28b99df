"""Completeness of an evaluation report (000 §五; 安委办〔2021〕4号 art. 5).

Applies once a report leaves draft: a draft is work in progress.
"""

from __future__ import annotations

import re
from typing import Iterator

from generator.diagnostics import Diagnostic, make
from generator.model import Campaign, Evaluation, Record, Status
from generator.rules.context import RuleContext

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LISTS = ("problems", "recommendations", "good_practices")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _finished(ctx: RuleContext) -> Iterator[Evaluation]:
    for record in ctx.records:
        if isinstance(record, Evaluation) and record.status is not Status.DRAFT:
            yield record


def _sections(body: str) -> dict[str, tuple[int, str]]:
    """Heading text → (body line offset, text under it up to the next heading of any level)."""
    sections: dict[str, tuple[int, list[str]]] = {}
    current: list[str] | None = None
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            current = []
            # Tolerate numbering such as 一、 or 1. before the section name.
            name = re.sub(r"^[（(]?[一二三四五六七八九十0-9]+[）)、.．]\s*", "", match.group(2))
            sections.setdefault(name, (offset, current))
        elif current is not None:
            current.append(line)
    return {name: (offset, "\n".join(lines)) for name, (offset, lines) in sections.items()}


def _missing_sections(record: Record, required: tuple[str, ...]) -> Iterator[Diagnostic]:
    sections = _sections(record.body)
    for name in required:
        if name not in sections:
            yield make("E301", record.path, record.body_first_line, section=name)
        elif not sections[name][1].strip():
            yield make("E302", record.path, record.body_first_line + sections[name][0], section=name)


def check_sections(ctx: RuleContext) -> Iterator[Diagnostic]:
    for report in _finished(ctx):
        yield from _missing_sections(report, ctx.settings.evaluation.required_sections)
    # A campaign's body is its overall evaluation report: the nine contents of 001 art. 5
    # are due once the re-evaluation is recorded.
    for record in ctx.records:
        if isinstance(record, Campaign) and record.re_evaluation is not None:
            yield from _missing_sections(record, ctx.settings.campaign.required_sections)


def check_lists(ctx: RuleContext) -> Iterator[Diagnostic]:
    for report in _finished(ctx):
        for field in _LISTS:
            if getattr(report, field) is None:
                pos = ctx.repo.documents[report.path].value_position(("status",))
                yield make("E303", report.path, pos.line, pos.column, field=field,
                           title=ctx.title("evaluation", field))


def check_measure_verdicts(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Every ordered measure has exactly one verdict from the vocabulary, and no verdict is stray."""
    vocabulary = ctx.settings.evaluation.verdicts
    for record in ctx.records:
        if not isinstance(record, Evaluation):
            continue
        for i, verdict in enumerate(record.measures):
            if verdict.verdict not in vocabulary:
                yield ctx.repo.at(record, "E311", ("measures", i, "verdict"), value=verdict.verdict,
                                  allowed="、".join(vocabulary))
        seen: set[str] = set()
        for i, verdict in enumerate(record.measures):
            if verdict.measure_id in seen:
                yield ctx.repo.at(record, "E310", ("measures", i, "measure_id"), measure=verdict.measure_id)
            seen.add(verdict.measure_id)
        accident = ctx.repo.accidents.get(record.accident_id)
        if accident is None:
            continue  # reported by check_references
        known = [m.id for m in accident.measures]
        for i, verdict in enumerate(record.measures):
            if verdict.measure_id not in known:
                yield ctx.repo.at(record, "E309", ("measures", i, "measure_id"), measure=verdict.measure_id,
                                  accident=accident.id, known="、".join(known))
        if record.status is Status.DRAFT:
            continue
        for measure in accident.measures:
            if measure.id not in seen:
                yield ctx.repo.at(record, "E308", ("measures",), key=True, accident=accident.id,
                                  measure=measure.id, measure_text=measure.text)


def check_accident_measures(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.accidents:
        seen: set[str] = set()
        for i, measure in enumerate(record.measures):
            if measure.id in seen:
                yield ctx.repo.at(record, "E310", ("measures", i, "id"), measure=measure.id)
            seen.add(measure.id)


def check_placeholders(ctx: RuleContext) -> Iterator[Diagnostic]:
    for report in _finished(ctx):
        if report.status not in (Status.APPROVED, Status.PUBLISHED):
            continue
        # Only the tokens the body holds at all are looked for line by line (most bodies hold none).
        tokens = [token for token in ctx.settings.evaluation.placeholder_tokens if token in report.body]
        if not tokens:
            continue
        for offset, line in enumerate(report.body.split("\n")):
            for token in tokens:
                column = line.find(token)
                if column >= 0:
                    yield make("E312", report.path, report.body_first_line + offset, column + 1, token=token)
