"""Shared fixtures: a copy of the demo content in a temp repository, and a CLI runner."""

from __future__ import annotations

import datetime as dt
import json
import shutil
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
