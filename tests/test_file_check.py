"""Files checked side by side in worker processes give the report one process gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.file_check import PARALLEL_FROM
from tests.conftest import CASES, PROJECT, check_json


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(PROJECT / "bench" / "generate_corpus.py"), str(PARALLEL_FROM + 50), str(root)],
                   check=True, capture_output=True)
    # Findings of each kind, so positions and single-file findings cross the process boundary too.
    for case in ("E201-missing-closure", "E401-resident-id", "E204-level-not-allowed"):
        found = sorted((CASES / "invalid" / "accidents").glob(f"{case}*.md"))
        for path in found[:1]:
            shutil.copyfile(path, root / "content" / "accidents" / path.name)
    return root


def test_workers_report_what_one_process_reports(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_WORKERS", "1")
    one = check_json(corpus)
    monkeypatch.setenv("PORTAL_WORKERS", "2")
    (corpus / ".portal-cache").exists() and shutil.rmtree(corpus / ".portal-cache")
    two = check_json(corpus)
    codes = {d["code"] for d in one[1]["diagnostics"]}
    assert one == two and len(codes) >= 3, codes
