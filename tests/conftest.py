"""Shared fixtures: a copy of the demo content in a temp repository, and a CLI runner."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

PROJECT = Path(__file__).resolve().parent.parent
CASES = PROJECT / "tests" / "cases"
# The date the demo content is written against: every deadline status occurs on it.
AS_OF = "2026-11-22"
AS_OF_DATE = dt.date(2026, 11, 22)


@pytest.fixture
def demo_root(tmp_path: Path) -> Path:
    """A repository root holding a copy of the shipped demo content and settings."""
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copyfile(PROJECT / "portal.toml", root / "portal.toml")
    return root


def run_portal(*args: str, root: Path | None = None) -> Result:
    full = list(args)
    if root is not None:
        full += ["--root", str(root)]
    return CliRunner().invoke(main, full, catch_exceptions=False)


def check_json(root: Path, *paths: str, as_of: str = AS_OF) -> tuple[int, dict[str, Any]]:
    result = run_portal("check", "--format", "json", "--as-of", as_of, *paths, root=root)
    return result.exit_code, json.loads(result.stdout)


# Records that must never reach the site as of AS_OF, with the sentinel planted in each body.
NON_PUBLIC = {
    "SG-2026-013": "draft-sentinel-ACC013",  # accident, submitted
    "SG-2026-012": "embargo-sentinel-ACC012",  # accident, published with a future date
    "EV-2026-008": "draft-sentinel-EV008",  # draft
    "EV-2026-006": "submitted-sentinel-EV006",  # submitted
    "EV-2026-004": "approved-sentinel-EV004",  # approved, not yet published
    "EV-2026-005": "embargo-sentinel-EV005",  # published with publish_date 2026-12-01
    "ZG-2026-003": "draft-sentinel-ZG003",  # rectification list, draft
    "ZF-2026-005": "submitted-sentinel-ZF005",  # enforcement case, submitted
    "XY-2023-001": "expired-sentinel-XY2023",  # credit entry, 3-year listing ended 2026-10-20
    "XY-2025-002": "removed-sentinel-XY2025",  # credit entry, removed by credit repair 2026-08-01
}


def build(root: Path, site: Path, as_of: str = AS_OF) -> Result:
    return run_portal("build", "--as-of", as_of, "--site-dir", str(site), root=root)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("built") / "site"
    result = build(PROJECT, site)
    assert result.exit_code == 0, result.output
    return site


def git(root: Path, *args: str) -> None:
    """Run git in a throwaway repository with a fixed identity."""
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"})
