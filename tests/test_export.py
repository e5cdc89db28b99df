"""`portal export`: one bundle per column for a consolidated (集约化) platform, from the built
site, checked as the platform would: the manifest against its schema, every file against
SHA256SUMS and the manifest's hashes, and nothing that is not public."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import jsonschema

from generator.resources import BUNDLE_SCHEMA
from tests.conftest import NON_PUBLIC, run_portal
from tests.test_open_data import PUBLIC


def _export(site: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_portal("export", "--site-dir", str(site), "--out", str(out), *args)


def test_every_column_exports_its_public_records_with_checksums(built_site: Path, tmp_path: Path) -> None:
    result = _export(built_site, tmp_path / "out")
    assert result.exit_code == 0, result.output
    schema = json.loads(BUNDLE_SCHEMA.read_text(encoding="utf-8"))
    assert (built_site / "data" / BUNDLE_SCHEMA.name).read_bytes() == BUNDLE_SCHEMA.read_bytes()  # published
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{c}.zip" for c in PUBLIC)
    for column, public in PUBLIC.items():
        with zipfile.ZipFile(tmp_path / "out" / f"{column}.zip") as bundle:
            files = {name: bundle.read(name) for name in bundle.namelist()}
        manifest = json.loads(files["manifest.json"])
        jsonschema.Draft202012Validator(schema).validate(manifest)
        assert manifest["column"]["id"] == column and manifest["as_of"] == "2026-11-22"
        assert {r["id"] for r in manifest["records"]} == public
        sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
        assert set(sums) == set(files) - {"SHA256SUMS"}
        for name, digest in sums.items():
            assert hashlib.sha256(files[name]).hexdigest() == digest, name
        for record in manifest["records"]:
            assert hashlib.sha256(files[record["record"]]).hexdigest() == record["sha256"]
            content = json.loads(files[record["record"]])
            assert content["front_matter"]["id"] == record["id"]
            assert content["body_html"] and "<script" not in content["body_html"]
            assert record["url"].startswith("https://gongkai.qilin.example/")
            for attachment in record["attachments"]:
                assert hashlib.sha256(files[attachment["path"]]).hexdigest() == attachment["sha256"]
        for name, data in files.items():
            for record_id, sentinel in NON_PUBLIC.items():
                assert record_id.encode() not in data and sentinel.encode() not in data, (column, name, record_id)
    with zipfile.ZipFile(tmp_path / "out" / "evaluations.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        assert any(a["media_type"].endswith("wordprocessingml.document") for r in manifest["records"]
                   for a in r["attachments"])
        assert [n["id"] for n in manifest["withdrawn"]] == ["EV-2025-003"]


def test_an_export_is_the_same_bytes_every_time(built_site: Path, tmp_path: Path) -> None:
    assert _export(built_site, tmp_path / "a", "--column", "evaluations").exit_code == 0
    assert _export(built_site, tmp_path / "b", "--column", "evaluations").exit_code == 0
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["evaluations.zip"]
    assert (tmp_path / "a/evaluations.zip").read_bytes() == (tmp_path / "b/evaluations.zip").read_bytes()


def test_a_site_that_is_not_what_it_says_is_not_exported(built_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (site / "evaluations/files/EV-2025-001/signed-report.pdf").write_bytes(b"%PDF-1.4 altered")
    result = _export(site, tmp_path / "out", "--column", "evaluations")
    assert result.exit_code == 1
    assert "附件与记录中的 SHA-256 不符" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "evaluations.zip").exists()
    result = _export(tmp_path / "nowhere", tmp_path / "out")
    assert result.exit_code == 1 and "不是 portal build 生成的网站" in result.output
