"""Completeness of an evaluation report (000 §五; 安委办〔2021〕4号 art. 5).

Applies once a report leaves draft: a draft is work in progress.
"""

from __future__ import annotations

import re
from typing import Iterator

from generator.diagnostics import Diagnostic, make
from generator.load.strict_yaml import dotted
from generator.model import Campaign, Evaluation, Record, Status
from generator.rules.context import RuleContext

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LISTS = ("problems", "recommendations", "good_practices")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _finished(ctx: RuleContext) -> Iterator[Evaluation]:
    for record in ctx.records:
        if isinstance(record, Evaluation) and record.status is not Status.DRAFT:
            yield record


# Numbering a real report puts before a heading: 一、 （一） 1. 1、 (1) 第一部分 第二章 …
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十百0-9]+[部分章节条]+|[（(]?[一二三四五六七八九十0-9]+[）)、.．])\s*")


def _sections(body: str) -> list[tuple[str, int, str]]:
    """Each heading as (its words without numbering, body line offset, the text under it up to the
    next heading of the same or a higher level: a subsection's text is its section's too)."""
    headings: list[tuple[int, str, int]] = []
    lines = body.split("\n")
    in_fence = False
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            headings.append((len(match.group(1)), _NUMBERING.sub("", match.group(2)), offset))
    out = []
    for index, (level, words, offset) in enumerate(headings):
        end = next((o for lv, _, o in headings[index + 1:] if lv <= level), len(lines))
        content = "\n".join(line for line in lines[offset + 1:end] if not _HEADING.match(line))
        out.append((words, offset, content))
    return out


def _missing_sections(record: Record, required: tuple[str, ...]) -> Iterator[Diagnostic]:
    sections = _sections(record.body)
    for entry in required:
        name, *others = entry.split("|")
        words = (name, *others)
        found = [(offset, content) for heading, offset, content in sections if any(w in heading for w in words)]
        if not found:
            yield make("E301", record.path, record.body_first_line, section=name)
        elif not any(content.strip() for _, content in found):
            yield make("E302", record.path, record.body_first_line + found[0][0], section=name)


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
    """Cut marks and placeholders, in the body and in every text of the front matter, once a
    report leaves draft; and 见附件 with no attachment listed."""
    for report in _finished(ctx):
        # Only the tokens the text holds at all are looked for line by line (most texts hold none).
        tokens = [token for token in ctx.settings.evaluation.placeholder_tokens if token in report.body]
        if not report.attachments and "见附件" in report.body:
            tokens.append("见附件")
        for offset, line in enumerate(report.body.split("\n") if tokens else ()):
            for token in tokens:
                column = line.find(token)
                if column >= 0:
                    yield make("E312", report.path, report.body_first_line + offset, column + 1, token=token)
        doc = ctx.repo.documents.get(report.path)
        if doc is not None:
            yield from _placeholders_in(doc.data, (), doc, report.path, ctx.settings.evaluation.placeholder_tokens)


def _placeholders_in(value: object, path: tuple[str | int, ...], doc: object, file: str,
                     tokens: tuple[str, ...]) -> Iterator[Diagnostic]:
    if isinstance(value, str):
        for token in tokens:
            if token in value:
                pos = doc.value_position(path)  # type: ignore[attr-defined]
                yield make("E312", file, pos.line, pos.column, field=dotted(path), token=token)
                return
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders_in(item, path + (key,), doc, file, tokens)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders_in(item, path + (index,), doc, file, tokens)
