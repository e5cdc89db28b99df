"""`portal diff --base REF`: the public impact of a branch, for the reviewer.

Instead of a YAML diff, a reviewer reads what the public will see change:
records that become public (or are scheduled to), change while public, are
withdrawn or disappear; deadline statuses that move; new errors and warnings.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from generator.derive.deadline_table import deadline_table
from generator.diagnostics import Diagnostic
from generator.model import Record, Status
from generator.pipeline import CheckResult
from generator.publish import is_public
from generator.rules.permanence import changed_fields


@dataclass
class PublicImpact:
    base: str
    as_of: dt.date
    becomes_public: list[Record] = field(default_factory=list)
    scheduled: list[Record] = field(default_factory=list)  # published with a later publish_date
    changed_while_public: list[tuple[Record, list[str], bool]] = field(default_factory=list)
    withdrawn: list[Record] = field(default_factory=list)
    no_longer_public: list[Record] = field(default_factory=list)
    deadline_changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, title, before, after
    new_diagnostics: list[Diagnostic] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def brief(r: Record) -> dict[str, str]:
            return {"id": r.id, "title": r.title, "path": r.path,
                    "publish_date": r.publish_date.isoformat() if r.publish_date else ""}
        return {
            "base": self.base, "as_of": self.as_of.isoformat(),
            "becomes_public": [brief(r) for r in self.becomes_public],
            "scheduled": [brief(r) for r in self.scheduled],
            "changed_while_public": [{**brief(r), "fields": f, "correction_added": c}
                                     for r, f, c in self.changed_while_public],
            "withdrawn": [brief(r) for r in self.withdrawn],
            "no_longer_public": [brief(r) for r in self.no_longer_public],
            "deadline_changes": [{"id": i, "title": t, "before": b, "after": a}
                                 for i, t, b, a in self.deadline_changes],
            "new_diagnostics": [d.as_dict() for d in self.new_diagnostics],
        }


def public_impact(now: CheckResult, before: CheckResult, base: str, as_of: dt.date) -> PublicImpact:
    impact = PublicImpact(base, as_of)
    base_by_id = {r.id: r for r in before.repo.records}
    now_by_id = {r.id: r for r in now.repo.records}
    for record in now.repo.records:
        old = base_by_id.get(record.id)
        was_public = old is not None and is_public(old, as_of)
        if is_public(record, as_of):
            if not was_public:
                impact.becomes_public.append(record)
            elif old is not None:
                fields = changed_fields(now.repo, record, before.repo, old)
                if fields:
                    impact.changed_while_public.append((record, fields, len(record.corrections) > len(old.corrections)))
        elif record.status is Status.PUBLISHED and (old is None or old.status is not Status.PUBLISHED):
            impact.scheduled.append(record)
        elif was_public and record.status is Status.WITHDRAWN:
            impact.withdrawn.append(record)
        elif was_public:
            impact.no_longer_public.append(record)
    impact.no_longer_public += [old for old in before.repo.records
                                if is_public(old, as_of) and old.id not in now_by_id]

    def statuses(result: CheckResult) -> dict[str, tuple[str, str]]:
        rows = deadline_table(list(result.repo.accidents.values()), result.repo, result.settings.evaluation,
                              as_of, lambda e: is_public(e, as_of))
        return {row.accident.id: (row.accident.title, row.status_zh) for row in rows}

    old_status, new_status = statuses(before), statuses(now)
    for accident_id, (title, status) in sorted(new_status.items()):
        previous = old_status.get(accident_id, (title, "（无）"))[1]
        if previous != status:
            impact.deadline_changes.append((accident_id, title, previous, status))

    def key(d: Diagnostic) -> tuple[str, str, str, str]:
        return (d.path, d.code, d.field, d.message)

    known = {key(d) for d in before.report.diagnostics}
    impact.new_diagnostics = [d for d in now.report.diagnostics if key(d) not in known]
    return impact


def _cell(text: str) -> str:
    return text.replace("|", "\\\\|").replace("\\n", " ")


def render_markdown(impact: PublicImpact) -> str:
    out = [f"## 公开影响 / Public impact（对比 `{impact.base}`，截至 {impact.as_of}）", ""]

    def section(title: str, rows: list[str], header: str) -> None:
        if rows:
            out.extend([f"### {title}（{len(rows)}）", "", header, "| --- | --- | --- |", *rows, ""])

    section("将公开 / Becomes public", [f"| {r.id} | {_cell(r.title)} | {r.publish_date} |"
                                        for r in impact.becomes_public], "| 编号 | 标题 | 发布日期 |")
    section("定时公开 / Scheduled", [f"| {r.id} | {_cell(r.title)} | {r.publish_date} |" for r in impact.scheduled],
            "| 编号 | 标题 | 发布日期 |")
    section("公开后修改 / Changed while public",
            [f"| {r.id} | {_cell('、'.join(f))} | {'有更正记录' if c else '⚠ 缺少更正记录'} |"
             for r, f, c in impact.changed_while_public], "| 编号 | 修改的字段 | 更正 |")
    section("撤回 / Withdrawn", [f"| {r.id} | {_cell(r.title)} | "
                                 f"{_cell(r.withdrawal.reason) if r.withdrawal else ''} |" for r in impact.withdrawn],
            "| 编号 | 标题 | 理由 |")
    section("⚠ 不再公开 / No longer public", [f"| {r.id} | {_cell(r.title)} | {r.path} |"
                                            for r in impact.no_longer_public], "| 编号 | 标题 | 文件 |")
    section("评估期限状态变化 / Deadline status", [f"| {i} | {_cell(t)} | {b} → {a} |"
                                           for i, t, b, a in impact.deadline_changes], "| 事故 | 名称 | 状态 |")
    section("新的错误和警告 / New diagnostics", [f"| {d.path}:{d.line} | {d.code} | {_cell(d.message)} |"
                                          for d in impact.new_diagnostics], "| 位置 | 代码 | 说明 |")
    if len(out) == 2:
        out.append("公开网站没有变化。 / No change to the public site.")
    return "\n".join(out).rstrip() + "\n"


def render_json(impact: PublicImpact) -> str:
    return json.dumps(impact.as_dict(), ensure_ascii=False, indent=2) + "\n"
