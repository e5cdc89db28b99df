"""`portal init`: a new content repository, ready for staff, reviewers and CI.

Writes the office's `portal.toml` (what it was not told is left as a 请填写 placeholder, which
`check` refuses with E802), the CI for GitHub, GitLab and Gitea/Forgejo, the pre-commit
configuration, CODEOWNERS, pull-request templates, a staff README and the staff guide, and
with `examples` the demo records. It never overwrites a file.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.resources import EXAMPLE_CONTENT_DIR, STAFF_DOCS_DIR, STARTER_DIR
from generator.settings import PLACEHOLDER

# Template file → where it goes, when that is not the same path.
_RENAMED = {"_gitignore": ".gitignore"}
# One template, several places: Gitea and Forgejo read the same workflow syntax from their own
# folders (runner labels differ); GitLab reads the pull-request template from its own folder.
_ACTIONS = ".gitea/workflows/portal.yml"
_ALSO = {_ACTIONS: [".forgejo/workflows/portal.yml"],
         ".github/pull_request_template.md": [".gitlab/merge_request_templates/Default.md"]}
_RUNS_ON = {".gitea/workflows/portal.yml": "ubuntu-latest", ".forgejo/workflows/portal.yml": "docker"}


@dataclass(frozen=True)
class Office:
    """What `portal init` is told about the office; empty means a placeholder."""

    title: str = ""
    publisher: str = ""
    towns: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    lead_departments: tuple[str, ...] = ()
    owner: str = ""  # the Git host's organisation or group, for CODEOWNERS


@dataclass(frozen=True)
class Tooling:
    """How the content repository's CI and hooks get this tool."""

    install: str = ""  # a pip requirement; default: this release by name
    hook_repo: str = ""  # the Git URL of this tool's repository, for pre-commit
    hook_rev: str = ""


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already there: left as they were
    to_fill: list[str] = field(default_factory=list)  # placeholders left for a person


class NotEmpty(Exception):
    """The target directory holds files and the caller did not allow that."""


def this_version() -> str:
    try:
        return version("safety-portal")
    except PackageNotFoundError:
        return "0+unknown"


def init_repository(target: Path, office: Office, tooling: Tooling, examples: bool = False,
                    existing: bool = False) -> InitResult:
    if target.exists() and any(p.name != ".git" for p in target.iterdir()) and not existing:
        raise NotEmpty(str(target))
    target.mkdir(parents=True, exist_ok=True)
    result = InitResult()
    tokens = _tokens(office, tooling, result)
    for source in sorted(p for p in STARTER_DIR.rglob("*") if p.is_file()):
        rel = source.relative_to(STARTER_DIR).as_posix()
        text = source.read_text(encoding="utf-8")
        for dest in [_RENAMED.get(rel, rel), *_ALSO.get(rel, [])]:
            filled = text.replace("__RUNS_ON__", _RUNS_ON.get(dest, ""))
            for token, value in tokens.items():
                filled = filled.replace(token, value)
            _write(target, dest, filled.encode("utf-8"), result)
    for source in sorted(p for p in STAFF_DOCS_DIR.rglob("*") if p.is_file()):
        _write(target, "docs/" + source.relative_to(STAFF_DOCS_DIR).as_posix(), source.read_bytes(), result)
    if examples:
        for source in sorted(p for p in EXAMPLE_CONTENT_DIR.rglob("*") if p.is_file()):
            _write(target, "content/" + source.relative_to(EXAMPLE_CONTENT_DIR).as_posix(), source.read_bytes(), result)
    if not (target / ".git").exists() and shutil.which("git"):
        # A repository of its own, with what was written staged: checks see the attachments
        # as tracked (E336), and the first commit is the office's to make.
        made = subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=False, capture_output=True)
        if made.returncode == 0 and result.written:
            subprocess.run(["git", "-C", str(target), "add", "--", *result.written], check=False, capture_output=True)
    return result


def _tokens(office: Office, tooling: Tooling, result: InitResult) -> dict[str, str]:
    def given(value: str, what: str, hint: str) -> str:
        if value:
            return value
        result.to_fill.append(what)
        return f"{PLACEHOLDER}：{hint}"

    def names(values: tuple[str, ...], what: str, hint: str) -> str:
        if values:
            return ", ".join(_toml_string(v) for v in values)
        result.to_fill.append(what)
        return _toml_string(f"{PLACEHOLDER}：{hint}")

    return {
        "__TITLE__": _toml_inner(given(office.title, "portal.toml [site] title", "网站名称，如“某某区安全生产监管信息公开”")),
        "__PUBLISHER__": _toml_inner(given(office.publisher, "portal.toml [site] publisher",
                                           "主办单位，如“某某区安全生产委员会办公室”")),
        "__TOWNS__": names(office.towns, "portal.toml [units] towns", "本辖区的镇（街道）"),
        "__DEPARTMENTS__": names(office.departments, "portal.toml [units] departments", "安委会成员部门"),
        "__LEAD_DEPARTMENTS__": names(office.lead_departments, "portal.toml [units] lead_departments", "牵头部门"),
        "__OWNER__": office.owner or "your-group",
        "__PORTAL_INSTALL__": tooling.install or f"safety-portal=={this_version()}",
        "__HOOK_REPO__": given(tooling.hook_repo, ".pre-commit-config.yaml repo", "本软件的 Git 仓库地址"),
        "__HOOK_REV__": tooling.hook_rev or f"v{this_version()}",
    }


def _toml_string(value: str) -> str:
    return '"' + _toml_inner(value) + '"'


def _toml_inner(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _write(root: Path, rel: str, data: bytes, result: InitResult) -> None:
    path = root / rel
    if path.exists() or path.is_symlink():
        result.kept.append(rel)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as out:  # never over a file that appeared meanwhile
        out.write(data)
    result.written.append(rel)
