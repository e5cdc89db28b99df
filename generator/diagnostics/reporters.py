"""Reporters turn a CheckReport into text for people, JSON for tools, or
GitHub Actions workflow commands for CI. They know nothing about validation."""

from __future__ import annotations

import hashlib
import json
from typing import Callable

from generator.diagnostics.catalogue import Severity
from generator.diagnostics.diagnostic import CheckReport, Diagnostic

_SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


def report_text(report: CheckReport) -> str:
    lines = []
    for d in sorted(report.diagnostics):
        where = f"{d.path}:{d.line}:{d.column}"
        field = f" [{d.field}]" if d.field else ""
        lines.append(f"{where}: {d.code} {_SEVERITY_ZH[d.severity]}{field} {d.message}")
        lines.append(f"    {d.message_en}")
        if d.hint or d.hint_en:
            lines.append(f"    提示：{d.hint} | Hint: {d.hint_en}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: CheckReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    return (f"检查了 {report.files_checked} 个文件：{errors} 个错误，{warnings} 个警告 | "
            f"checked {report.files_checked} files: {errors} errors, {warnings} warnings")


def report_json(report: CheckReport) -> str:
    payload = {
        "status": "ok" if report.ok else "fail",
        "files_checked": report.files_checked,
        "counts": {"error": len(report.errors), "warning": len(report.warnings)},
        "diagnostics": [d.as_dict() for d in sorted(report.diagnostics)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_line(d: Diagnostic) -> str:
    level = "error" if d.severity is Severity.ERROR else "warning"
    title = _escape_property(f"{d.code} {d.slug}")
    body = f"{d.message}\n{d.message_en}"
    if d.hint:
        body += f"\n提示：{d.hint} | Hint: {d.hint_en}"
    return (f"::{level} file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"title={title}::{_escape_data(body)}")


def report_github(report: CheckReport) -> str:
    lines = [_github_line(d) for d in sorted(report.diagnostics)]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def report_gitlab(report: CheckReport) -> str:
    """GitLab code-quality report (a JSON array), shown on merge requests."""
    issues = [{
        "description": f"{d.code} {d.message} | {d.message_en}",
        "check_name": f"{d.code}-{d.slug}",
        # Stable across runs for the same finding, so GitLab can tell new findings from old.
        "fingerprint": hashlib.sha256(f"{d.path}:{d.line}:{d.column}:{d.code}:{d.field}".encode()).hexdigest(),
        "severity": "major" if d.severity is Severity.ERROR else "minor",
        "location": {"path": d.path, "lines": {"begin": d.line}},
    } for d in sorted(report.diagnostics)]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


REPORTER_BY_NAME: dict[str, Callable[[CheckReport], str]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "gitlab": report_gitlab,
}
