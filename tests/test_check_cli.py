"""`portal check` through click's runner: exit codes, output formats, edge cases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import generator.pipeline
from tests.conftest import AS_OF, CASES, PROJECT, check_json, git, run_portal


def test_demo_content_has_no_errors(demo_root: Path) -> None:
    code, report = check_json(demo_root)
    assert code == 0
    assert report["status"] == "ok"
    assert report["files_checked"] == len(list((demo_root / "content").rglob("*.md")))
    # The demo is written to show deadline warnings: two overdue cases, one report not published in time,
    # a site last updated more than two weeks before the as-of date (W807), and a public directive
    # whose requirements name two accident cases not yet public (W328).
    assert sorted(d["code"] for d in report["diagnostics"]) == (["W328", "W328", "W504", "W505", "W505", "W506",
                                                                "W506", "W508"] + ["W509"] * 5 + ["W807"])


def test_errors_exit_1_and_text_names_file_line_field(demo_root: Path) -> None:
    (demo_root / "content/accidents/bad.md").write_bytes(
        (CASES / "invalid/accidents/E202-misspelled-key.md").read_bytes())
    result = run_portal("check", "--as-of", AS_OF, root=demo_root)
    assert result.exit_code == 1
    assert "content/accidents/bad.md:5:1: E202 错误 [stauts] 未知字段 stauts" in result.stdout
    assert "是不是 status（状态）？" in result.stdout
    assert "Unknown field stauts" in result.stdout


def test_github_format_emits_annotations(demo_root: Path) -> None:
    (demo_root / "content/accidents/bad.md").write_bytes(
        (CASES / "invalid/accidents/E108-chinese-date.md").read_bytes())
    result = run_portal("check", "--format", "github", "--as-of", AS_OF, root=demo_root)
    assert result.exit_code == 1
    line = next(l for l in result.stdout.splitlines() if "bad.md" in l)
    assert line.startswith("::error file=content/accidents/bad.md,line=18,col=15,title=E108 chinese-date::")
    assert "请改为 2026-02-10" in line
    assert "::warning file=content/accidents/SG-2025-007.md" in result.stdout


def test_json_diagnostic_has_every_field(demo_root: Path) -> None:
    _, report = check_json(demo_root)
    assert set(report["diagnostics"][0]) == {"code", "slug", "severity", "path", "line", "column", "field",
                                            "message", "message_en", "hint", "hint_en"}


def test_usage_errors_exit_2(demo_root: Path) -> None:
    assert run_portal("check", "--format", "xml", root=demo_root).exit_code == 2
    bad_date = run_portal("check", "--as-of", "2026年11月22日", root=demo_root)
    assert bad_date.exit_code == 2
    assert "YYYY-MM-DD" in bad_date.output


def test_check_selected_paths_keeps_repository_rules(demo_root: Path) -> None:
    # Checking one file still sees the whole repository: a duplicate id is caught.
    dup = demo_root / "content/accidents/dup.md"
    dup.write_bytes((CASES / "invalid/accidents/E306-duplicate-id.md").read_bytes())
    code, report = check_json(demo_root, str(dup))
    assert code == 1
    assert report["files_checked"] == 1
    assert {d["path"] for d in report["diagnostics"]} == {"content/accidents/dup.md"}
    assert report["diagnostics"][0]["code"] == "E306"


def test_oversized_file(demo_root: Path) -> None:
    (demo_root / "content/accidents/huge.md").write_bytes(b"---\nid: x\n---\n" + b"a" * 1_100_000)
    _, report = check_json(demo_root)
    assert ("E112", "content/accidents/huge.md") in {(d["code"], d["path"]) for d in report["diagnostics"]}


def test_file_outside_collections(demo_root: Path) -> None:
    (demo_root / "content/notes.md").write_text("---\nid: x\n---\n", encoding="utf-8")
    code, report = check_json(demo_root)
    assert code == 1
    assert ("E114", "content/notes.md") in {(d["code"], d["path"]) for d in report["diagnostics"]}


def test_invalid_settings(demo_root: Path) -> None:
    (demo_root / "portal.toml").write_text("[evaluation]\ngroup_max_days = \"三十\"\n", encoding="utf-8")
    code, report = check_json(demo_root)
    assert code == 1
    assert report["diagnostics"][0]["code"] == "E801"
    assert "group_max_days" in report["diagnostics"][0]["message"]


def test_settings_change_the_rules(demo_root: Path) -> None:
    # Sichuan gives the group 60 days: the same content then raises no W502.
    case = CASES / "invalid/evaluations/W502-group-over-time.md"
    (demo_root / "content/evaluations/w502.md").write_bytes(case.read_bytes())
    _, before = check_json(demo_root)
    assert "W502" in {d["code"] for d in before["diagnostics"]}
    with (demo_root / "portal.toml").open("a", encoding="utf-8") as f:
        f.write("group_max_days = 90\n")
    _, after = check_json(demo_root)
    assert "W502" not in {d["code"] for d in after["diagnostics"]}


def test_internal_error_is_a_diagnostic(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("generator.cli.check", explode)
    result = run_portal("check", root=demo_root)
    assert result.exit_code == 1
    assert "E904" in result.stderr and "Traceback" not in result.output + result.stderr
    # A CI asking for JSON gets JSON, internal errors included; so do the other machine formats.
    for command in (["check", "--format", "json"], ["deadlines", "--format", "json"]):
        as_json = run_portal(*command, root=demo_root)
        report = json.loads(as_json.stdout)
        assert as_json.exit_code == 1 and report["status"] == "fail" and report["diagnostics"][0]["code"] == "E904"
    annotations = run_portal("check", "--format", "github", root=demo_root)
    assert annotations.stdout.startswith("::error") and "E904" in annotations.stdout


def test_python_dash_m_works_like_portal(demo_root: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "json", "--as-of", AS_OF,
                                "--root", str(demo_root)], capture_output=True, text=True, cwd=PROJECT)
    assert completed.returncode == 0
    assert json.loads(completed.stdout)["status"] == "ok"


def test_yaml_typing_is_yaml_1_2(demo_root: Path) -> None:
    from generator.load.strict_yaml import load_yaml

    loaded = load_yaml("a: \"NO\"\nb: 0012\nc: 12:30:00\nd: 1e3\ne: true\nf: 2024-01-01\ng: 3\nh: ~\n", "x.md", 2)
    assert not isinstance(loaded, generator.pipeline.Diagnostic)
    assert loaded.data == {"a": "NO", "b": "0012", "c": "12:30:00", "d": "1e3", "e": True, "f": "2024-01-01",
                           "g": 3, "h": None}
    assert loaded.keys[("c",)] == (4, 1)
    # Unquoted YAML 1.1 booleans are refused outright: PyYAML (and MkDocs) would read them as False.
    for word in ("NO", "no", "off", "Yes", "y", "False"):
        refused = load_yaml(f"a: {word}\n", "x.md", 2)
        assert isinstance(refused, generator.pipeline.Diagnostic) and refused.code == "E115", word


def test_bom_and_crlf_are_accepted(demo_root: Path) -> None:
    path = demo_root / "content/accidents/SG-2024-001.md"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    code, report = check_json(demo_root)
    assert code == 0, report["diagnostics"]


def test_code_is_text_not_html(demo_root: Path) -> None:
    path = demo_root / "content/accidents/SG-2024-001.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n代码 `<script>` 不是标签，[链接](https://example.org)和[另一起事故](SG-2024-002.md)可以。\n\n"
                    "```\n<div onclick=x>示例</div>\n```\n", encoding="utf-8")
    code, report = check_json(demo_root)
    assert code == 0, report["diagnostics"]


def test_symlinks_are_refused_and_never_followed(demo_root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "leak.md").write_text("---\nid: LEAK-1\n---\nsecret\n", encoding="utf-8")
    (demo_root / "content/accidents/etc").symlink_to(secret, target_is_directory=True)
    (demo_root / "content/evaluations/passwd.md").symlink_to(secret / "leak.md")
    code, report = check_json(demo_root)
    assert code == 1
    found = {(d["code"], d["path"]) for d in report["diagnostics"]}
    assert ("E117", "content/accidents/etc") in found
    assert ("E117", "content/evaluations/passwd.md") in found
    assert not any("leak" in d["path"] for d in report["diagnostics"])


def test_nested_repository_is_refused(demo_root: Path) -> None:
    nested = demo_root / "content/accidents/vendor"
    (nested / ".git").mkdir(parents=True)
    (nested / "x.md").write_text("---\nid: X-1\n---\n", encoding="utf-8")
    code, report = check_json(demo_root)
    assert code == 1
    assert ("E118", "content/accidents/vendor") in {(d["code"], d["path"]) for d in report["diagnostics"]}


def test_oversized_attachment_is_not_read(demo_root: Path) -> None:
    files = demo_root / "content/accidents/files/SG-2024-001"
    files.mkdir(parents=True)
    with (files / "huge.pdf").open("wb") as f:  # sparse: 3 GB on paper, nothing on disk
        f.truncate(3 * 1024**3)
    path = demo_root / "content/accidents/SG-2024-001.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "occurred_date:", "attachments:\n  - file: files/SG-2024-001/huge.pdf\n    title: 大文件\n    sha256: "
        + "0" * 64 + "\noccurred_date:", 1), encoding="utf-8")
    code, report = check_json(demo_root)
    assert code == 1
    assert "E333" in {d["code"] for d in report["diagnostics"]}


def test_chinese_file_name_is_checked_like_any_other(demo_root: Path) -> None:
    # HAZARDS.md G07: a listing with quoted octal names must never skip a file.
    (demo_root / "content/evaluations/评估报告.md").write_bytes(
        (CASES / "invalid/evaluations/E307-unknown-accident.md").read_bytes())
    code, report = check_json(demo_root)
    assert code == 1
    assert ("E307", "content/evaluations/评估报告.md") in {(d["code"], d["path"]) for d in report["diagnostics"]}
    result = run_portal("check", "--as-of", AS_OF, root=demo_root)
    assert "content/evaluations/评估报告.md:" in result.stdout


def test_deeply_nested_yaml_is_a_diagnostic() -> None:
    from generator.load.strict_yaml import load_yaml

    for text in ("a: " + "[" * 5000 + "]" * 5000 + "\n", "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40))):
        result = load_yaml(text, "x.md", 2)
        assert isinstance(result, generator.pipeline.Diagnostic), text[:20]


def test_links_and_attachments_must_be_tracked_bygit(demo_root: Path) -> None:
    git(demo_root, "init", "-q")
    git(demo_root, "add", "-A")
    git(demo_root, "commit", "-qm", "demo")
    code, _ = check_json(demo_root)
    assert code == 0
    # A new attachment under a Chinese folder name, present on disk but never added.
    source = demo_root / "content/evaluations/files/EV-2025-001/signed-report.pdf"
    path = demo_root / "content/evaluations/EV-2025-001.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n另见[签章版](files/EV-2025-001/副本.pdf)。\n",
                    encoding="utf-8")
    copy = source.with_name("副本.pdf")
    copy.write_bytes(source.read_bytes())
    code, report = check_json(demo_root)
    assert code == 1
    assert [d["code"] for d in report["diagnostics"] if d["severity"] == "error"] == ["E336"]
    git(demo_root, "add", "-A")
    # Tracked now, but not listed in attachments: E325, which says how to list it.
    code, report = check_json(demo_root)
    assert [d["code"] for d in report["diagnostics"] if d["severity"] == "error"] == ["E325"]


def test_gitlab_code_quality_format(demo_root: Path) -> None:
    (demo_root / "content/accidents/bad.md").write_bytes(
        (CASES / "invalid/accidents/E108-chinese-date.md").read_bytes())
    result = run_portal("check", "--format", "gitlab", "--as-of", AS_OF, root=demo_root)
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    mine = [i for i in issues if i["location"]["path"] == "content/accidents/bad.md"]
    assert mine[0]["check_name"] == "E108-chinese-date" and mine[0]["severity"] == "major"
    assert mine[0]["location"]["lines"]["begin"] == 18
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_today_is_beijing_date_around_midnight(monkeypatch: pytest.MonkeyPatch) -> None:
    # HAZARDS.md L05: 16:30 UTC on 31 May is already 1 June in Beijing, when an embargo lifts.
    import datetime as dt

    import generator.cli

    class FrozenClock(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return dt.datetime(2024, 5, 31, 16, 30, tzinfo=dt.timezone.utc).astimezone(tz)

    monkeypatch.setattr(generator.cli.dt, "datetime", FrozenClock)
    assert generator.cli._today_in_china() == dt.date(2024, 6, 1)


def test_an_ordinary_comment_after_a_value_is_not_flagged() -> None:
    from generator.load.strict_yaml import load_yaml

    loaded = load_yaml("status: draft  # 起草中\ntitle: 第2次评估 #2 复核\nnote: '含 #号 的文字'\n", "x.md", 2)
    assert [(w.code, w.line) for w in loaded.warnings] == [("W119", 3)]


def test_a_directive_covers_only_its_own_jurisdiction() -> None:
    from generator.derive.submissions import within

    assert within("曲靖市麒麟区", "曲靖市麒麟区") and within("曲靖市麒麟区南宁街道", "曲靖市麒麟区")
    assert within("曲靖市麒麟区", "曲靖市") and within("曲靖市麒麟区", "云南省")  # a province's name left out
    assert not within("曲靖市马龙区", "曲靖市麒麟区") and not within("玉溪市红塔区", "曲靖市")
