"""`portal init`, portal.toml's format version and placeholders, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import AS_OF, PROJECT, build, check_json, run_portal


def _codes(report: dict, code: str) -> list[dict]:
    return [d for d in report["diagnostics"] if d["code"] == code]


def test_a_bare_repository_names_every_placeholder(tmp_path: Path) -> None:
    made = run_portal("init", str(tmp_path / "county"), "--title", "某某县安全生产监管信息公开")
    assert made.exit_code == 0, made.output
    assert "portal.toml [site] publisher" in made.stdout
    code, report = check_json(tmp_path / "county")
    assert code == 1
    placeholders = _codes(report, "E802")
    assert {d["field"] for d in placeholders} == {"site.publisher", "units.towns", "units.departments",
                                                  "units.lead_departments"}
    text = (tmp_path / "county" / "portal.toml").read_text(encoding="utf-8").splitlines()
    for d in placeholders:  # the position is the placeholder's own
        assert text[d["line"] - 1][d["column"] - 1:].startswith("请填写")


def test_a_filled_repository_checks_and_builds(tmp_path: Path) -> None:
    root = tmp_path / "county"
    made = run_portal("init", str(root), "--examples", "--title", "某某县安全生产监管信息公开", "--publisher",
                      "某某县安全生产委员会办公室", "--towns", "甲镇，乙镇", "--departments", "县应急管理局、县住建局",
                      "--lead-departments", "县应急管理局")
    assert made.exit_code == 0, made.output
    settings = (root / "portal.toml").read_text(encoding="utf-8")
    assert 'towns = ["甲镇", "乙镇"]' in settings and 'departments = ["县应急管理局", "县住建局"]' in settings
    assert not (root / "mkdocs.yml").exists() and not (root / "schemas").exists()
    code, report = check_json(root)
    assert code == 0, [d for d in report["diagnostics"] if d["severity"] == "error"]
    result = build(root, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert "某某县安全生产监管信息公开" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_init_refuses_a_non_empty_folder_and_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "county"
    root.mkdir()
    (root / "portal.toml").write_text("format_version = 1\n[site]\ntitle = \"本单位\"\n", encoding="utf-8")
    refused = run_portal("init", str(root))
    assert refused.exit_code == 2 and "--existing" in refused.output
    assert sorted(p.name for p in root.iterdir()) == ["portal.toml"]
    filled = run_portal("init", str(root), "--existing")
    assert filled.exit_code == 0
    assert (root / "portal.toml").read_text(encoding="utf-8") == "format_version = 1\n[site]\ntitle = \"本单位\"\n"
    assert (root / ".gitignore").is_file() and (root / ".forgejo" / "workflows" / "portal.yml").is_file()
    assert "portal.toml" in filled.stdout


def test_an_older_or_newer_format_says_how_to_upgrade(demo_root: Path) -> None:
    settings = demo_root / "portal.toml"
    text = settings.read_text(encoding="utf-8")
    for version, words in (("0", "删除仓库中的 mkdocs.yml"), ("2", "pip install -U safety-portal"),
                           ('"1"', "删除仓库中的 mkdocs.yml")):
        settings.write_text(text.replace("format_version = 1", f"format_version = {version}"), encoding="utf-8")
        code, report = check_json(demo_root)
        assert code == 1
        (finding,) = _codes(report, "E803")
        assert finding["field"] == "format_version" and words in finding["hint"]
        built = build(demo_root, demo_root / "site")
        assert built.exit_code == 1 and "E803" in built.output and "Traceback" not in built.output


def test_a_missing_format_version_is_a_warning(demo_root: Path) -> None:
    settings = demo_root / "portal.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("format_version = 1\n", ""), encoding="utf-8")
    code, report = check_json(demo_root)
    assert code == 0 and len(_codes(report, "W804")) == 1


def test_files_copied_from_the_tool_are_named(demo_root: Path) -> None:
    (demo_root / "mkdocs.yml").write_text((PROJECT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "generator/assemble/mkdocs_builder/hooks.py", "nothing.py"), encoding="utf-8")
    code, report = check_json(demo_root)
    assert code == 0 and [d["path"] for d in _codes(report, "W805")] == ["mkdocs.yml"]
    # It is not read: the packaged configuration (with the sanitising hooks) builds the site.
    result = build(demo_root, demo_root / "site")
    assert result.exit_code == 0, result.output


def test_version_and_chinese_help() -> None:
    version = run_portal("--version")
    assert version.exit_code == 0 and version.stdout.split()[-1][0].isdigit()
    for command in ("check", "build", "serve", "deadlines", "diff", "mirror", "new", "init"):
        helped = run_portal(command, "--help")
        assert helped.exit_code == 0
        summary = helped.stdout.split("\n\n")[1]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in summary) and "/" in summary, (command, summary)
    top = run_portal("--help").stdout
    assert "安全生产" in top and json.dumps(top)


def test_a_new_record_lists_every_field_up_to_publication_and_check_names_them_at_once(tmp_path: Path) -> None:
    root = tmp_path / "county"
    assert run_portal("init", str(root), "--title", "某县", "--publisher", "某县安委办", "--towns", "甲镇",
                      "--departments", "乙局", "--lead-departments", "乙局").exit_code == 0
    assert run_portal("new", "evaluation", "--id", "EV-2026-001", root=root).exit_code == 0
    record = root / "content" / "evaluations" / "EV-2026-001.md"
    text = record.read_text(encoding="utf-8")
    for later in ("# publish_date:", "# approval:", "# completion_date:", "# problems:"):
        assert later in text  # written, commented out until that step
    record.write_text(text.replace("status: draft", "status: published"), encoding="utf-8")
    code, report = check_json(root, as_of=AS_OF)
    found = {(d["code"], d["field"]) for d in report["diagnostics"]}
    assert code == 1 and ("E201", "title") in found
    assert {("E304", "publish_date"), ("E304", "completion_date"), ("E304", "approval")} <= found


def test_an_office_overrides_logo_css_and_a_template(demo_root: Path, tmp_path: Path) -> None:
    overrides = demo_root / "overrides"
    (overrides / "assets").mkdir(parents=True)
    (overrides / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>',
                                                   encoding="utf-8")
    (overrides / "assets" / "local.css").write_text(".md-header { background: #8b0000; }\n", encoding="utf-8")
    (overrides / "partials").mkdir()
    (overrides / "partials" / "copyright.html").write_text('<div class="md-copyright">本单位自己的页脚</div>\n',
                                                          encoding="utf-8")
    settings = demo_root / "portal.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "[site]\n", '[site]\nlogo = "assets/logo.svg"\nextra_css = ["assets/local.css"]\n', 1), encoding="utf-8")
    site = tmp_path / "site"
    result = build(demo_root, site)
    assert result.exit_code == 0, result.output
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/logo.svg"' in home and 'href="assets/local.css"' in home and "本单位自己的页脚" in home
    assert (site / "assets" / "local.css").is_file() and (site / "assets" / "logo.svg").is_file()
    # The packaged overrides still apply beneath the office's: the page keeps its search index marker.
    assert "data-portal-search" in (site / "evaluations" / "EV-2025-001" / "index.html").read_text(encoding="utf-8")
