"""Open data and feeds round-trip: every public record, no other, fields equal to the front matter."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from tests.conftest import AS_OF, NON_PUBLIC, PROJECT, run_portal

PUBLIC_ACCIDENTS = {"SG-2024-001", "SG-2024-002", "SG-2024-003", "SG-2025-004", "SG-2025-005", "SG-2025-006",
                    "SG-2025-007", "SG-2025-008", "SG-2025-009", "SG-2026-010", "SG-2026-011"}
PUBLIC_EVALUATIONS = {"EV-2025-001", "EV-2026-002", "EV-2026-003"}
PUBLIC_RECTIFICATIONS = {"ZG-2026-001", "ZG-2026-002"}
PUBLIC_ENFORCEMENT = {"ZF-2026-001", "ZF-2026-002", "ZF-2026-003", "ZF-2026-004", "ZF-2026-006"}
# XY-2023-001's listing period ended and XY-2025-002 was removed: publication has stopped.
PUBLIC_CREDIT = {"XY-2024-001", "XY-2026-003"}
PUBLIC_CAMPAIGNS = {"ZZ-2025-001", "ZZ-2026-002"}
PUBLIC_DIRECTIVES = {"TZ-2021-001", "TZ-2022-001", "TZ-2023-001"}
PUBLIC = {"accidents": PUBLIC_ACCIDENTS, "evaluations": PUBLIC_EVALUATIONS, "rectifications": PUBLIC_RECTIFICATIONS,
          "enforcement": PUBLIC_ENFORCEMENT, "credit": PUBLIC_CREDIT, "campaigns": PUBLIC_CAMPAIGNS,
          "directives": PUBLIC_DIRECTIVES}


def _front_matter(record_id: str) -> dict:
    path = next((PROJECT / "content").rglob(f"{record_id}.md"))
    data = yaml.load(path.read_text(encoding="utf-8").split("---")[1], Loader=yaml.BaseLoader)
    return data


def _typed(value):  # type: ignore[no-untyped-def]
    """Compare JSON values with YAML BaseLoader strings."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def test_json_exports_hold_exactly_the_public_records(built_site: Path) -> None:
    catalog = json.loads((built_site / "data/catalog.json").read_text(encoding="utf-8"))
    assert catalog["as_of"] == "2026-11-22"
    counts = {d["name"]: d["records"] for d in catalog["datasets"]}
    assert counts == {"accidents": 11, "evaluations": 3, "rectifications": 2, "enforcement": 5, "credit": 2,
                      "campaigns": 2, "directives": 3, "withdrawn": 1, "deadlines": 11, "hazards": 8}
    for name, expected in PUBLIC.items():
        page = json.loads((built_site / f"data/{name}-1.json").read_text(encoding="utf-8"))
        assert page["pages"] == 1 and page["next"] is None
        ids = [r["front_matter"]["id"] for r in page["records"]]
        assert set(ids) == expected
        for record in page["records"]:
            expected = _front_matter(record["front_matter"]["id"])
            if "submissions" in expected:  # reports on accidents that are not public yet are left out
                expected["submissions"] = [s for s in expected["submissions"]
                                           if s.get("accident_id", "SG-2024-001") in PUBLIC_ACCIDENTS]
            assert _typed(record["front_matter"]) == expected
            assert (built_site / record["url"] / "index.html").is_file()
    withdrawn = json.loads((built_site / "data/withdrawn.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in withdrawn["records"]] == ["EV-2025-003"]
    assert "body" not in withdrawn["records"][0]


def test_csv_has_a_bom_and_the_same_records(built_site: Path) -> None:
    raw = (built_site / "data/evaluations-1.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # Headers are the schema's Chinese titles (the data page maps them to the JSON keys).
    assert {r["编号"] for r in rows} == PUBLIC_EVALUATIONS
    assert json.loads(rows[0]["评估组"])["members"]


def test_feeds_list_public_records_newest_first(built_site: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(built_site / "feeds/publications.xml").getroot()
    entries = feed.findall("a:entry", ns)
    ids = [e.find("a:id", ns).text.rsplit(":", 1)[1] for e in entries]
    assert set(ids) == set().union(*PUBLIC.values())
    dates = [e.find("a:updated", ns).text for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert ET.parse(built_site / "feeds/corrections.xml").getroot().findall("a:entry", ns) == []


def test_no_export_names_a_non_public_record(built_site: Path) -> None:
    for folder in ("data", "feeds"):
        for path in (built_site / folder).rglob("*"):  # data/doc-numbers/ too
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8-sig")
            for record_id, sentinel in NON_PUBLIC.items():
                assert record_id not in text and sentinel not in text, (path.name, record_id)


def test_csv_cells_that_a_spreadsheet_would_run_are_text(demo_root: Path, tmp_path: Path) -> None:
    """OWASP's rule for CSV injection: a cell beginning with = + - @ tab or CR begins with ' instead."""
    accident = demo_root / "content" / "accidents" / "SG-2024-001.md"
    text = accident.read_text(encoding="utf-8")
    accident.write_text(re.sub(r"(?m)^place: .*$", 'place: "=HYPERLINK(\\"http://evil.example\\",\\"详情\\")"', text),
                        encoding="utf-8")
    ledger = demo_root / "content" / "rectifications" / "ZG-2026-002.md"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        "    description: 液化石油气", '    description: "@SUM(1+1)"  # 液化石油气', 1), encoding="utf-8")
    site = tmp_path / "site"
    result = run_portal("build", "--as-of", AS_OF, "--site-dir", str(site), root=demo_root)
    assert result.exit_code == 0, result.output
    seen = []
    for name in ("accidents-1.csv", "hazards.csv", "rectifications-1.csv"):
        for row in csv.reader(io.StringIO((site / "data" / name).read_bytes().decode("utf-8-sig"))):
            # What a spreadsheet looks at: the first character of each cell.
            assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], (name, row)
            seen += row
    assert "'=HYPERLINK(\"http://evil.example\",\"详情\")" in seen and "'@SUM(1+1)" in seen
    # The JSON keeps the value as written: it is data, not a spreadsheet.
    assert '=HYPERLINK(' in (site / "data" / "accidents-1.json").read_text(encoding="utf-8")


def test_published_schemas_resolve_their_references_for_other_tools(demo_root: Path, tmp_path: Path) -> None:
    """check-jsonschema given a schema's address on the site resolves the references between the
    schemas from that site, and agrees with `portal check` on valid and invalid records."""
    import functools
    import http.server
    import subprocess
    import sys
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    site = tmp_path / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    settings = demo_root / "portal.toml"
    settings.write_text(re.sub(r"(?m)^site_url = .*$", f'site_url = "{base}"', settings.read_text(encoding="utf-8")),
                        encoding="utf-8")
    assert run_portal("build", "--as-of", AS_OF, "--site-dir", str(site), root=demo_root).exit_code == 0
    published = json.loads((site / "schemas" / "accident.schema.json").read_text(encoding="utf-8"))
    assert published["$id"] == base + "schemas/accident.schema.json"
    packaged = json.loads((PROJECT / "schemas" / "accident.schema.json").read_text(encoding="utf-8"))
    assert packaged["$id"].startswith("https://") and packaged["$id"].endswith("/accident.schema.json")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for folder, collection in (("accidents", "accident"), ("evaluations", "evaluation"),
                                   ("enforcement", "enforcement"), ("rectifications", "rectification")):
            records = sorted((demo_root / "content" / folder).glob("*.md"))
            cases = sorted((PROJECT / "tests" / "cases" / "invalid" / folder).glob("E2*.md"))
            for source in records + cases:
                try:
                    front = yaml.safe_load(source.read_text(encoding="utf-8").split("---\n")[1])
                except ValueError:  # a date no calendar has: not even YAML to another tool
                    continue
                target = tmp_path / "fm" / folder / (source.stem + ".json")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(front, ensure_ascii=False, default=str), encoding="utf-8")
                tool = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                                       f"{base}schemas/{collection}.schema.json", str(target)],
                                      capture_output=True, text=True, timeout=120)
                ours = run_portal("check", "--format", "json", "--as-of", AS_OF, str(source), root=demo_root
                                  ) if source in records else None
                expect_valid = source in records and json.loads(ours.stdout)["counts"]["error"] == 0
                assert (tool.returncode == 0) == expect_valid, (source.name, tool.stdout[-800:], tool.stderr[-800:])
    finally:
        server.shutdown()
