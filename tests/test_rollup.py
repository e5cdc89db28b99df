"""`portal rollup`: a province's site from its members' built sites, through the CLI, opened as
built HTML and data. Members are real builds: the demo county, and a generated one."""

from __future__ import annotations

import csv
import functools
import hashlib
import http.server
import io
import json
import shutil
import sys
import threading
from pathlib import Path

import pytest

from generator.search.query import IndexReader
from tests.conftest import AS_OF, NON_PUBLIC, PROJECT, run_portal
from tests.test_build_site import _all_bytes

sys.path.insert(0, str(PROJECT / "bench"))
from rollup_members import write_member  # noqa: E402


@pytest.fixture(scope="session")
def member_sites(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding two built member sites: qilin/ (the demo) and county007/ (generated)."""
    base = tmp_path_factory.mktemp("members")
    shutil.copytree(built_site, base / "qilin")
    repo = base / "county007-repo"
    write_member(7, repo, 30)
    result = run_portal("build", "--as-of", AS_OF, "--site-dir", str(base / "county007"), "--no-cache", root=repo)
    assert result.exit_code == 0, result.output
    return base


def _rollup_repo(tmp_path: Path, member_sites: Path, extra: str = "") -> Path:
    """A roll-up repository beside copies of the member sites (so a test may alter them)."""
    for name in ("qilin", "county007"):
        shutil.copytree(member_sites / name, tmp_path / name)
    repo = tmp_path / "province"
    repo.mkdir()
    (repo / "portal.toml").write_text(f"""format_version = 1
[site]
title = "某省安全生产监管信息公开汇总"
publisher = "某省安全生产委员会办公室"

[[rollup.members]]
name = "麒麟区"
source = "../qilin"

[[rollup.members]]
name = "南川县"
source = "../county007"
{extra}""", encoding="utf-8")
    return repo


def _rollup(repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_portal("rollup", "--as-of", AS_OF, "--site-dir", str(repo / "site"), *args, root=repo)


def _text(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def _rows(site: Path, name: str) -> list[dict]:
    return json.loads(_text(site, f"data/{name}.json"))["rows"]


def test_a_rollup_tables_every_member_and_links_their_pages(tmp_path: Path, member_sites: Path) -> None:
    repo = _rollup_repo(tmp_path, member_sites)
    result = _rollup(repo)
    assert result.exit_code == 0, result.output
    assert "已汇总 2/2 个成员" in result.output
    site = repo / "site"
    members = json.loads(_text(site, "data/members.json"))["members"]
    assert [(m["name"], m["included"], m["accidents"]) for m in members] == [("麒麟区", True, 11),
                                                                            ("南川县", True, 12)]
    # The demo county's overdue evaluation, linked to its page on the county's own site.
    overdue = _text(site, "evaluations/index.html")
    assert '<a href="https://gongkai.qilin.example/accidents/SG-2025-007/">' in overdue
    row = next(r for r in _rows(site, "overdue-evaluations") if r["id"] == "SG-2025-007")
    assert row["member"] == "麒麟区" and row["days_overdue"] == 83
    # Campaign grades and credit entries come through as the members published them.
    grades = {(r["member"], r["unit"], r["grade"]) for r in _rows(site, "campaign-grades")}
    assert {("麒麟区", "南宁街道", "优"), ("麒麟区", "越州镇", "差")} <= grades
    assert "曲靖市麒麟区某化工贸易有限公司" in _text(site, "credit/index.html")
    hazards = _rows(site, "overdue-hazards")
    assert {r["member"] for r in hazards} == {"麒麟区", "南川县"}
    assert hazards == sorted(hazards, key=lambda r: -r["days_overdue"])
    # The CSV opens in Excel (BOM) and has the same rows.
    table = list(csv.DictReader(io.StringIO((site / "data/overdue-hazards.csv").read_bytes().decode("utf-8-sig"))))
    assert len(table) == len(hazards)
    home = _text(site, "index.html")
    assert "某省安全生产监管信息公开汇总" in home and "https://county007.example.gov.cn/" in home


def test_nothing_a_member_did_not_publish_reaches_the_rollup(tmp_path: Path, member_sites: Path) -> None:
    repo = _rollup_repo(tmp_path, member_sites)
    assert _rollup(repo).exit_code == 0
    files = _all_bytes(repo / "site")
    assert any(name == "search-index/pages.bin" for name, _ in files)
    for name, data in files:
        for record_id, sentinel in NON_PUBLIC.items():
            assert record_id.encode() not in data and sentinel.encode() not in data, (record_id, name)


def test_one_search_finds_every_members_pages_at_their_sites(tmp_path: Path, member_sites: Path) -> None:
    repo = _rollup_repo(tmp_path, member_sites)
    assert _rollup(repo).exit_code == 0
    reader = IndexReader(repo / "site" / "search-index")
    urls = reader.urls("安委办〔2021〕4号")
    assert "https://gongkai.qilin.example/evaluations/EV-2025-001/" in urls
    assert all(url.startswith("https://gongkai.qilin.example/") for url in urls)
    everywhere = reader.urls("评估")
    assert {url.split("/")[2] for url in everywhere} == {"gongkai.qilin.example", "county007.example.gov.cn"}
    # As many pages as the two members indexed, no more.
    counts = [json.loads(_text(member_sites / m, "search-index/index.json"))["pages"] for m in ("qilin", "county007")]
    assert json.loads(_text(repo / "site", "search-index/index.json"))["pages"] == sum(counts)


def _rewrite(site: Path, rel: str, change, fix_catalog: bool) -> None:  # type: ignore[no-untyped-def]
    path = site / rel
    path.write_bytes(change(path.read_bytes()))
    if fix_catalog:  # a forger who also rewrites the catalog's checksum
        catalog = json.loads(_text(site, "data/catalog.json"))
        data = path.read_bytes()
        catalog["checksums"][rel.removeprefix("data/")] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        (site / "data/catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(("rel", "change", "fix_catalog", "code"), [
    ("data/hazards.json", lambda b: b.replace("逾期".encode(), "按期".encode(), 1), False, "E952"),
    ("data/catalog.json", lambda b: b[:-20], False, "E953"),
    ("data/deadlines.json", lambda b: b.replace(b'"url": "accidents/', b'"url": "javascript:alert(1)//', 1), True,
     "E955"),
    ("data/deadlines.json", lambda b: b.replace(b'"days_overdue": ', b'"days_overdue": "', 1), True, "E953"),
    ("data/catalog.json", lambda b: b.replace(b'"format": 1', b'"format": 9'), False, "E954"),
    ("search-index/pages.bin", lambda b: b[:-1] + b"x", False, "E952"),
])
def test_a_tampered_or_malformed_member_is_named_and_left_out(tmp_path: Path, member_sites: Path, rel: str, change,  # type: ignore[no-untyped-def]
                                                            fix_catalog: bool, code: str) -> None:
    repo = _rollup_repo(tmp_path, member_sites)
    _rewrite(tmp_path / "county007", rel, change, fix_catalog)
    result = _rollup(repo)
    assert result.exit_code == 0, result.output
    assert f"{code} 错误 成员“南川县”" in result.output, result.output
    assert "Traceback" not in result.output and "已汇总 1/2 个成员" in result.output
    site = repo / "site"
    members = {m["name"]: m for m in json.loads(_text(site, "data/members.json"))["members"]}
    assert members["麒麟区"]["included"] and not members["南川县"]["included"]
    assert members["南川县"]["problem"].startswith(code)
    assert "未纳入汇总的成员" in _text(site, "index.html")
    assert not any("county007" in url for url in IndexReader(site / "search-index").urls("评估"))
    # --strict: the site is still built, and the exit code says a member was left out.
    assert _rollup(repo, "--strict").exit_code == 1


def test_a_missing_member_and_a_bad_member_list_say_what_is_wrong(tmp_path: Path, member_sites: Path) -> None:
    repo = _rollup_repo(tmp_path, member_sites, '\n[[rollup.members]]\nname = "无此县"\nsource = "../nowhere"\n')
    result = _rollup(repo)
    assert result.exit_code == 0
    assert "E951 错误 成员“无此县”的文件 data/catalog.json 无法读取：文件不存在" in result.output
    (repo / "portal.toml").write_text('format_version = 1\n[[rollup.members]]\nname = "甲"\n', encoding="utf-8")
    result = _rollup(repo)
    assert result.exit_code == 1 and "E950" in result.output and "source" in result.output
    assert "Traceback" not in result.output


def test_a_stale_member_and_one_without_search_data_are_warned_and_still_rolled_up(
        tmp_path: Path, member_sites: Path) -> None:
    repo = _rollup_repo(tmp_path, member_sites, "\n[rollup]\nstale_days = 5\n")
    shutil.rmtree(tmp_path / "county007" / "search-index")
    result = run_portal("rollup", "--as-of", "2026-12-20", "--site-dir", str(repo / "site"), root=repo)
    assert result.exit_code == 0, result.output
    assert "W951" in result.output and "已超过 5 天未更新" in result.output
    assert "W952 警告 成员“南川县”没有可读的搜索数据" in result.output
    members = {m["name"] for m in json.loads(_text(repo / "site", "data/members.json"))["members"]}
    assert members == {"麒麟区", "南川县"}
    reader = IndexReader(repo / "site" / "search-index")
    assert reader.urls("隐患") and all("county007" not in url for url in reader.urls("隐患"))


def test_an_unchanged_member_is_not_read_again_and_a_changed_one_is(tmp_path: Path, member_sites: Path) -> None:
    repo = _rollup_repo(tmp_path, member_sites)
    assert "0 个未变化" in _rollup(repo).output
    assert "2 个未变化" in _rollup(repo).output
    # A member that publishes again (a new catalog) is read again, and its new data shows.
    _rewrite(tmp_path / "county007", "data/credit-1.json", lambda b: b, True)
    catalog = tmp_path / "county007" / "data/catalog.json"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("2026-11-22", "2026-11-23", 1), encoding="utf-8")
    result = _rollup(repo)
    assert "1 个未变化" in result.output
    members = {m["name"]: m for m in json.loads(_text(repo / "site", "data/members.json"))["members"]}
    assert members["南川县"]["as_of"] == "2026-11-23"
    assert "0 个未变化" in _rollup(repo, "--no-cache").output


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_members_read_over_http_are_revalidated_not_downloaded_again(tmp_path: Path, member_sites: Path) -> None:
    repo = _rollup_repo(tmp_path, member_sites)
    requests: list[str] = []

    class Counting(_Quiet):
        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = _rollup(repo, f"{base}/qilin/", f"{base}/county007/")
        assert result.exit_code == 0, result.output
        first = len(requests)
        assert first > 4
        site = repo / "site"
        links = json.loads(_text(site, "data/members.json"))["members"]
        assert [m["url"] for m in links] == ["https://gongkai.qilin.example/", "https://county007.example.gov.cn/"]
        result = _rollup(repo, f"{base}/qilin/", f"{base}/county007/")
        assert "2 个未变化" in result.output
        assert len(requests) - first == 4  # catalog and search head of each, answered 304
    finally:
        server.shutdown()


EXAMPLE = PROJECT / "examples" / "province-rollup"


def test_the_province_example_lists_what_its_ci_builds() -> None:
    import yaml

    from generator.rollup.config import RollupConfig, read_rollup

    config = read_rollup(EXAMPLE)
    assert isinstance(config, RollupConfig), config
    assert config.stale_days == 30 and len(config.members) == 5
    assert [m.is_url for m in config.members] == [False, False, False, True, False]
    assert config.members[4].git and config.members[4].ref == "pages"
    hosted = {m.source.removeprefix("members/") for m in config.members if m.source.startswith("members/")}
    workflow = yaml.safe_load((EXAMPLE / ".github/workflows/rollup.yml").read_text(encoding="utf-8"))
    assert {m["name"] for m in workflow["jobs"]["member-site"]["strategy"]["matrix"]["member"]} == hosted
    gitlab = yaml.safe_load((EXAMPLE / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert set(gitlab["member-site"]["parallel"]["matrix"][0]["MEMBER"]) == hosted


@pytest.mark.parametrize(("path", "schema"), [(".github/workflows/rollup.yml", "vendor.github-workflows"),
                                              (".gitlab-ci.yml", "vendor.gitlab-ci")])
def test_the_province_example_ci_files_are_valid(path: str, schema: str) -> None:
    import subprocess

    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(EXAMPLE / path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _index_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "search-index").rglob("*"))
            if p.is_file()}


def test_the_search_index_is_rebuilt_exactly_when_a_member_publishes_again(tmp_path: Path, member_sites: Path) -> None:
    import gzip

    repo = _rollup_repo(tmp_path, member_sites)
    assert _rollup(repo).exit_code == 0
    first = _index_files(repo / "site")
    assert "2 个未变化" in _rollup(repo).output
    assert _index_files(repo / "site") == first  # taken over from the site in place: the same bytes
    # The generated county publishes again with one page fewer: the index follows.
    member = tmp_path / "county007" / "search-index"
    lines = gzip.decompress((member / "pages.bin").read_bytes()).splitlines(keepends=True)
    packed = gzip.compress(b"".join(lines[1:]), mtime=0)
    (member / "pages.bin").write_bytes(packed)
    head = json.loads((member / "index.json").read_text(encoding="utf-8"))
    head["pages_file"] = {"bytes": len(packed), "sha256": hashlib.sha256(packed).hexdigest()}
    (member / "index.json").write_text(json.dumps(head, ensure_ascii=False), encoding="utf-8")
    assert "1 个未变化" in _rollup(repo).output
    pages = json.loads(_text(repo / "site", "search-index/index.json"))["pages"]
    assert pages == json.loads(first["search-index/index.json"])["pages"] - 1
    # And a roll-up without the cache gives the same index.
    rebuilt = _index_files(repo / "site")
    assert _rollup(repo, "--no-cache").exit_code == 0
    assert _index_files(repo / "site") == rebuilt


def test_long_tables_are_paged_a_hundred_rows_a_page() -> None:
    import datetime as dt

    from generator.rollup.collect import MemberOutcome
    from generator.rollup.config import MemberConfig
    from generator.rollup.member_data import MemberSummary
    from generator.rollup.render import render_rollup
    from generator.settings import Settings

    rows = [{"list_id": "ZG-1", "id": f"H{n:03d}", "description": f"隐患{n}", "unit": "某公司", "town": "甲镇",
             "level": "一般", "deadline": "2026-01-01", "days_overdue": n, "url": f"rectifications/ZG-1/#h{n:03d}"}
            for n in range(250)]
    summary = MemberSummary("甲县", "甲县安委办", "https://a.example/", "2026-11-22", {}, {}, [], {}, rows, [], [], {})
    outcome = MemberOutcome(MemberConfig("甲县", "a"), "甲县", summary, link_base="https://a.example/")
    pages, files = render_rollup([outcome], Settings(), dt.date(2026, 11, 22))
    hazards = {p.path: p.markdown for p in pages if p.path.startswith("hazards")}
    assert sorted(hazards) == ["hazards-2.md", "hazards-3.md", "hazards.md"]
    assert hazards["hazards.md"].count('<a href="https://a.example/rectifications/ZG-1/#h') == 100
    assert "H249" not in hazards["hazards.md"] and "#h249" in hazards["hazards.md"]  # longest overdue first
    assert "[下一页](hazards-2.md)" in hazards["hazards.md"] and "[上一页](hazards-2.md)" in hazards["hazards-3.md"]
    data = next(f for f in files if f.path == "data/overdue-hazards.json")
    assert len(json.loads(data.content)["rows"]) == 250
