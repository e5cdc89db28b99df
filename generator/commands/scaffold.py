"""`portal new`: a new record pre-filled from its schema, for staff who are not programmers.

Every required field is written with a Chinese comment saying what goes there.
What the tool can know it fills in (a unique id, status draft, today's date in
date fields); what only a person can give is left empty, so `portal check` names
exactly those fields and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from generator.settings import Settings
from generator.validate.schema import SchemaSet

ID_PREFIX = {"accident": "SG", "evaluation": "EV", "rectification": "ZG", "enforcement": "ZF", "credit": "XY",
             "campaign": "ZZ", "directive": "TZ"}
BODY_HEADINGS = {"accident": ("事故简要经过",), "rectification": ("说明",), "enforcement": ("案情简介", "处理结果"),
                 "credit": ("列入事由",), "directive": ("主要内容",)}


def next_id(root: Path, kind: str, today: dt.date) -> str:
    """The next free `<prefix>-<year>-<nnn>` among existing ids (any collection, any case)."""
    taken = set()
    for path in (root / "content").rglob("*.md"):
        match = re.search(r"^id:\s*['\"]?([A-Za-z0-9-]+)", path.read_text(encoding="utf-8", errors="replace"), re.M)
        if match:
            taken.add(match.group(1).casefold())
    prefix = f"{ID_PREFIX[kind]}-{today.year}-"
    number = 1
    while f"{prefix}{number:03d}".casefold() in taken:
        number += 1
    return f"{prefix}{number:03d}"


def _placeholder(schema: dict[str, Any], today: dt.date) -> str:
    if schema.get("format") == "date":
        return today.isoformat()
    if schema.get("type") == "string":
        return '""'
    return ""  # a number or yes/no only a person can give: left empty on purpose


# Fields a record needs later in its life (generator/rules/lifecycle.py, completeness.py): written
# commented out, so a draft checks clean and nothing is left to discover one round at a time.
LATER = {"evaluation": ("completion_date", "approval", "problems", "recommendations", "good_practices")}
LATER_FOR_ALL = ("publish_date",)
LATER_NOTE = ("# —— 以下字段在报送、审定或公开时填写：到那一步时删去行首的“# ”再填写 ——\n"
              "# (Fields needed on submission, approval or publication: uncomment and fill in then.)")


def _emit(schemas: SchemaSet, kind: str, path: tuple[str | int, ...], indent: str, today: dt.date,
          values: dict[str, str], lines: list[str], first_prefix: str = "",
          names: tuple[str, ...] | None = None) -> None:
    schema = schemas.subschema(kind, path) or {}
    for index, name in enumerate(schema.get("required", []) if names is None else names):
        child_path = path + (name,)
        child = schemas.subschema(kind, child_path) or {}
        prefix = first_prefix if index == 0 and first_prefix else indent
        lines.append(f"{indent}# {child.get('title', name)}：{child.get('description', '')}".rstrip("："))
        if name in values and not path:
            lines.append(f"{prefix}{name}: {values[name]}")
        elif child.get("type") == "object" and not child.get("required"):
            lines.append(f"{prefix}{name}: {{}}")  # nothing inside is required yet: an empty group
        elif child.get("type") == "object":
            lines.append(f"{prefix}{name}:")
            _emit(schemas, kind, child_path, indent + "  ", today, values, lines)
        elif child.get("type") == "array":
            items = schemas.subschema(kind, child_path + (0,)) or {}
            if items.get("type") == "object":
                lines.append(f"{prefix}{name}:")
                _emit(schemas, kind, child_path + (0,), indent + "    ", today, values, lines,
                      first_prefix=indent + "  - ")
            else:
                lines.append(f"{prefix}{name}: []")
        else:
            lines.append(f"{prefix}{name}: {_placeholder(child, today)}".rstrip())


def scaffold(root: Path, kind: str, record_id: str, today: dt.date, settings: Settings,
             schemas: SchemaSet) -> str:
    lines = ["---"]
    _emit(schemas, kind, (), "", today, {"id": record_id, "status": "draft"}, lines)
    later: list[str] = []
    _emit(schemas, kind, (), "", today, {}, later, names=LATER.get(kind, ()) + LATER_FOR_ALL)
    lines += [LATER_NOTE, *(line if line.lstrip().startswith("#") else f"# {line}" for line in later)]
    lines.append("---")
    headings = {"evaluation": settings.evaluation.required_sections,
                "campaign": settings.campaign.required_sections}.get(kind) or BODY_HEADINGS[kind]
    for heading in (entry.split("|", 1)[0] for entry in headings):  # a section's name, before its other words
        lines += ["", f"## {heading}", "", "（在此填写）" if kind != "evaluation" else ""]
    return "\n".join(lines).rstrip() + "\n"
