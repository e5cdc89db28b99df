"""The members of a roll-up, from `[[rollup.members]]` in the roll-up repository's portal.toml,
or from the command line (a built site's folder or address each)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, make
from generator.settings import SETTINGS_FILE

_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%/-]*)?")


@dataclass(frozen=True)
class MemberConfig:
    name: str  # as the roll-up shows it; "" for the member's own site title
    source: str  # a built site's folder (relative to the roll-up repository), or its http(s) address
    url: str = ""  # the member's public address, for links; "" for the catalog's own, or the source's
    git: str = ""  # a Git repository holding the built site (source is then the folder inside it)
    ref: str = ""  # the branch or tag of `git`

    @property
    def is_url(self) -> bool:
        return self.source.startswith(("http://", "https://")) and not self.git


@dataclass(frozen=True)
class RollupConfig:
    members: list[MemberConfig]
    # A member whose data is older than this many days is flagged (W951): 30, a month of
    # the fortnightly updates the yearly inspections expect.
    stale_days: int = 30


def member_from_argument(argument: str) -> MemberConfig:
    return MemberConfig("", argument)


def read_rollup(root: Path) -> RollupConfig | Diagnostic:
    """The members listed in portal.toml; a Diagnostic (E950) when the list is missing or wrong."""
    path = root / SETTINGS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return make("E950", SETTINGS_FILE, detail=str(exc))
    section = raw.get("rollup") if isinstance(raw.get("rollup"), dict) else {}
    members = section.get("members")
    stale_days = section.get("stale_days", RollupConfig.stale_days)
    if type(stale_days) is not int or stale_days < 1:
        return make("E950", SETTINGS_FILE, field="rollup.stale_days", detail="应为正整数 / must be a positive integer")
    unknown = set(section) - {"members", "stale_days"}
    if unknown:
        return make("E950", SETTINGS_FILE, field="rollup", detail=f"未知设置 / unknown setting: {', '.join(sorted(unknown))}")
    if not isinstance(members, list) or not members:
        return make("E950", SETTINGS_FILE, detail="没有 [[rollup.members]] / no [[rollup.members]]")
    out: list[MemberConfig] = []
    for number, entry in enumerate(members, start=1):
        problem = _problem(entry)
        if problem:
            return make("E950", SETTINGS_FILE, field=f"rollup.members[{number}]", detail=problem)
        out.append(MemberConfig(entry.get("name", ""), entry["source"], entry.get("url", ""), entry.get("git", ""),
                                entry.get("ref", "")))
    names = [m.name for m in out if m.name]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        return make("E950", SETTINGS_FILE, field="rollup.members", detail=f"成员名称重复 / name twice: {twice}")
    return RollupConfig(out, stale_days)


def _problem(entry: object) -> str:
    if not isinstance(entry, dict):
        return "每个成员应为一个表 / each member must be a table"
    unknown = set(entry) - {"name", "source", "url", "git", "ref"}
    if unknown:
        return f"未知设置 / unknown setting: {', '.join(sorted(unknown))}"
    if not all(isinstance(value, str) for value in entry.values()):
        return "各项设置应为文字 / every setting must be text"
    if not entry.get("source"):
        return "缺少 source（已生成网站的文件夹或网址）/ source (a built site's folder or address) is missing"
    if entry.get("url") and not _URL.fullmatch(entry["url"]):
        return f"url 不是 http(s) 网址 / url is not an http(s) address: {entry['url']}"
    return ""
