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


def test_shallow_positions_answer_every_path_as_all_positions_do() -> None:
    # Files are loaded with the positions of their top two levels only; a deeper path is
    # found by reading the file again. Every key and value, of every shipped record and
    # fixture, must get the position a load with all positions gives.
    from generator.load.discover import SourceFile, discover
    from generator.load.document import LoadedDocument, load_document
    from generator.settings import LimitSettings

    limits = LimitSettings()
    fixtures = [SourceFile(path, path.name, path.parent.name) for path in sorted((CASES / "invalid").glob("*/*.md"))]
    compared = 0
    for source in discover(PROJECT) + fixtures:
        full = load_document(source, limits)
        if not isinstance(full, LoadedDocument):
            continue
        paths = list(full.keys) + list(full.values) + [("no_such_field",), ("measures", 99, "x")]
        shallow = load_document(source, limits, depth=2)
        assert isinstance(shallow, LoadedDocument) and all(len(p) <= 2 for p in shallow.values)
        for path in sorted(paths, key=len):  # the shallow ones first: a deeper one reads all
            assert shallow.key_position(path) == full.key_position(path), (source.rel, path)
            assert shallow.value_position(path) == full.value_position(path), (source.rel, path)
            if len(path) <= 2:
                assert shallow.positions_depth == 2  # answered without reading the file again
            compared += 1
    assert compared > 1000
