"""Publication is permanent: `portal check --base REF` on a throwaway repository with two commits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import AS_OF, git, run_portal

RECORD = "content/evaluations/EV-2026-002.md"


@pytest.fixture
def repo(demo_root: Path) -> Path:
    git(demo_root, "init", "-q", "-b", "main")
    git(demo_root, "add", "-A")
    git(demo_root, "commit", "-qm", "published")
    return demo_root


def _second_commit(root: Path) -> tuple[int, list[tuple[str, str]]]:
    git(root, "add", "-A")
    git(root, "commit", "-qm", "change", "--allow-empty")
    return _check_base(root)


def _check_base(root: Path) -> tuple[int, list[tuple[str, str]]]:
    result = run_portal("check", "--format", "json", "--as-of", AS_OF, "--base", "HEAD~1", root=root)
    report = json.loads(result.stdout)
    return result.exit_code, [(d["code"], d["path"]) for d in report["diagnostics"] if d["code"].startswith("E6")]


def _edit(root: Path, old: str, new: str) -> None:
    path = root / RECORD
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_content_passes(repo: Path) -> None:
    assert _second_commit(repo) == (0, [])


def test_deleting_a_published_record_fails(repo: Path) -> None:
    (repo / RECORD).unlink()
    # Its accident still links nothing missing: only the permanence rule speaks.
    assert _second_commit(repo) == (1, [("E601", RECORD)])


def test_unpublishing_quietly_fails(repo: Path) -> None:
    _edit(repo, "status: published", "status: draft")
    assert _second_commit(repo) == (1, [("E602", RECORD)])


def test_withdrawing_with_a_notice_passes(repo: Path) -> None:
    _edit(repo, "status: published", "status: withdrawn\nwithdrawal:\n  date: 2026-11-20\n  reason: 报告数据有误，更正后重新公开")
    assert _second_commit(repo) == (0, [])


def test_editing_without_a_correction_fails_and_with_one_passes(repo: Path, tmp_path: Path) -> None:
    _edit(repo, "尚有4家未完成复核", "尚有3家未完成复核")
    code, found = _second_commit(repo)
    assert (code, found) == (1, [("E603", RECORD)])

    _edit(repo, "accident_id:", "corrections:\n  - date: 2026-11-20\n    what: 措施M2评估发现中的企业数量\n"
                                "    why: 复核清单统计错误\naccident_id:")
    git(repo, "commit", "-qam", "add correction")
    result = run_portal("check", "--format", "json", "--as-of", AS_OF, "--base", "HEAD~2", root=repo)
    assert result.exit_code == 0, result.stdout
    site = tmp_path / "site"
    assert run_portal("build", "--as-of", AS_OF, "--site-dir", str(site), root=repo).exit_code == 0
    page = (site / "evaluations/EV-2026-002/index.html").read_text(encoding="utf-8")
    assert "更正记录" in page and "复核清单统计错误" in page


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    result = run_portal("check", "--base", "no-such-branch", root=repo)
    assert result.exit_code == 2
    assert "no-such-branch" in result.output


def test_records_public_only_later_are_free_to_change(repo: Path) -> None:
    # The embargoed report (public from 2026-12-01) may still be edited before it goes up.
    path = repo / "content/evaluations/EV-2026-005.md"
    path.write_text(path.read_text(encoding="utf-8").replace("燃气企业入户安检覆盖率98%", "燃气企业入户安检覆盖率99%"),
                    encoding="utf-8")
    assert _second_commit(repo) == (0, [])


def test_diff_reports_the_public_impact(repo: Path) -> None:
    _edit(repo, "尚有4家未完成复核", "尚有3家未完成复核")
    approved = repo / "content/evaluations/EV-2026-004.md"
    approved.write_text(approved.read_text(encoding="utf-8").replace(
        "status: approved", "status: published\npublish_date: 2026-11-21"), encoding="utf-8")
    result = run_portal("diff", "--base", "HEAD", "--format", "json", "--as-of", AS_OF, root=repo)
    assert result.exit_code == 0, result.output
    impact = json.loads(result.stdout)
    assert [r["id"] for r in impact["becomes_public"]] == ["EV-2026-004"]
    assert impact["changed_while_public"] == [{"id": "EV-2026-002", "title": impact["changed_while_public"][0]["title"],
                                               "path": RECORD, "publish_date": "2025-12-26", "fields": ["measures"],
                                               "correction_added": False}]
    assert impact["deadline_changes"][0] == {"id": "SG-2025-004", "title": "麒麟区某化工公司“1·9”中毒窒息较大事故",
                                             "before": "已评估未公开", "after": "已公开"}
    assert {d["code"] for d in impact["new_diagnostics"]} == {"E603", "W503"}
    markdown = run_portal("diff", "--base", "HEAD", "--as-of", AS_OF, root=repo).stdout
    assert "### 将公开 / Becomes public（1）" in markdown and "⚠ 缺少更正记录" in markdown


def test_diff_with_no_change(repo: Path) -> None:
    result = run_portal("diff", "--base", "HEAD", "--as-of", AS_OF, root=repo)
    assert "公开网站没有变化" in result.stdout


def test_check_changed_sees_changed_files_and_their_links(repo: Path) -> None:
    # Break one evaluation, and leave an older broken file elsewhere that --changed must not report.
    (repo / "content/accidents/stale.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "an old broken file")
    _edit(repo, "verdict: 未落实", "verdict: 没落实")
    result = run_portal("check", "--changed", "--format", "json", "--as-of", AS_OF, root=repo)
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {(d["code"], d["path"]) for d in report["diagnostics"] if d["severity"] == "error"} == {("E311", RECORD)}
    # The evaluation and its accident were checked.
    assert report["files_checked"] == 2
    # An untracked new record with a Chinese name is picked up too (git -z, no octal quoting).
    _edit(repo, "verdict: 没落实", "verdict: 未落实")
    (repo / "content/evaluations/新评估.md").write_text((repo / RECORD).read_text(encoding="utf-8"), encoding="utf-8")
    report = json.loads(run_portal("check", "--changed", "--format", "json", "--as-of", AS_OF, root=repo).stdout)
    assert ("E306", "content/evaluations/新评估.md") in {(d["code"], d["path"]) for d in report["diagnostics"]}


def test_check_changed_reports_records_that_refer_to_the_changed_one(repo: Path) -> None:
    # Renumber a problem in an evaluation: the rectification list built from it now points nowhere.
    path = repo / "content/evaluations/EV-2025-001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: P1", "  - id: P2"), encoding="utf-8")
    report = json.loads(run_portal("check", "--changed", "--format", "json", "--as-of", AS_OF, root=repo).stdout)
    found = {(d["code"], d["path"]) for d in report["diagnostics"]}
    assert ("E342", "content/rectifications/ZG-2026-001.md") in found


def test_record_pages_show_their_git_history(repo: Path, tmp_path: Path) -> None:
    _edit(repo, "accident_id:", "corrections:\n  - date: 2026-11-20\n    what: 补充佐证材料\n    why: 原文遗漏\naccident_id:")
    _edit(repo, "尚有4家未完成复核", "尚有4家未完成复核（已列入清单）")
    git(repo, "commit", "-qam", "correction")
    site = tmp_path / "site"
    assert run_portal("build", "--as-of", AS_OF, "--site-dir", str(site), root=repo).exit_code == 0
    html = (site / "evaluations/EV-2026-002/index.html").read_text(encoding="utf-8")
    history = html[html.rindex("公开和更正记录"):]
    shas = subprocess.run(["git", "-C", str(repo), "log", "--format=%h", "--abbrev=10"], capture_output=True,
                          text=True, check=True).stdout.split()
    assert shas[0] in history and shas[-1] in history  # last change, and the commit that published it
    assert "更正：补充佐证材料" in history and "浅克隆" not in history

    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    site2 = tmp_path / "site2"
    assert run_portal("build", "--as-of", AS_OF, "--site-dir", str(site2), root=shallow).exit_code == 0
    assert "历史不完整（浅克隆）" in (site2 / "evaluations/EV-2026-002/index.html").read_text(encoding="utf-8")


def test_pages_say_when_there_is_no_git_history(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run_portal("build", "--as-of", AS_OF, "--site-dir", str(site), root=demo_root).exit_code == 0
    assert "没有仓库版本号" in (site / "evaluations/EV-2026-002/index.html").read_text(encoding="utf-8")
