"""The product as a county office meets it: a wheel built from this checkout, installed into a
fresh virtual environment (not editable), `portal init` in a temporary folder, and every command
run from inside that content repository and with --root from elsewhere; this checkout's
pre-commit hook tried against it; the CI templates checked against the workflow schema and the
GitLab job run as a shell script.

Slow (a wheel, a virtual environment, pre-commit's own environment): `pytest -m "not slow"`
leaves it out; `pytest -m slow` runs it alone.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import AS_OF, NON_PUBLIC, PROJECT

pytestmark = pytest.mark.slow

GIT_ENV = {"GIT_AUTHOR_NAME": "区安委办", "GIT_AUTHOR_EMAIL": "office@example.invalid",
           "GIT_COMMITTER_NAME": "区安委办", "GIT_COMMITTER_EMAIL": "office@example.invalid"}
OFFICE = ["--title", "麒麟区安全生产监管信息公开", "--publisher", "曲靖市麒麟区安全生产委员会办公室",
          "--towns", "南宁街道,沿江街道,建宁街道,白石江街道,潇湘街道,寥廓街道,益宁街道,太和街道,三宝街道,文华街道,珠街街道,茨营镇,越州镇,东山镇",
          "--departments", "区应急管理局,区住房和城乡建设局,区交通运输局,区市场监督管理局,区消防救援大队",
          "--lead-departments", "区应急管理局,区住房和城乡建设局"]


class Installed:
    def __init__(self, venv: Path, wheel: Path, repo: Path, elsewhere: Path) -> None:
        self.venv, self.wheel, self.repo, self.elsewhere = venv, wheel, repo, elsewhere
        self.bin = venv / "bin"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(GIT_ENV, PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(self.venv))
        return env

    def portal(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "portal"), *args], cwd=cwd or self.repo, env=self.env(),
                              capture_output=True, text=True, timeout=600)

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.repo, env=self.env(), capture_output=True, text=True,
                              check=True).stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("installed")
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(PROJECT)],
                   check=True, capture_output=True, text=True, cwd=work)
    wheel = next(dist.glob("safety_portal-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-c", str(PROJECT / ".ci" / "constraints.txt"),
                    str(wheel)], check=True, capture_output=True, text=True, cwd=work)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    made = Installed(venv, wheel, work / "county", elsewhere)
    # The office's CI installs this very wheel (--install), so the GitLab job below can run as written.
    init = made.portal("init", str(made.repo), "--examples", *OFFICE, "--install", str(wheel), "--owner", "qilin",
                       "--hook-repo", str(PROJECT), "--hook-rev", "HEAD", cwd=work)
    assert init.returncode == 0, init.stderr
    made.git("commit", "-q", "-m", "初始化内容仓库")
    return made


def test_the_wheel_carries_what_it_runs_on_and_is_not_this_checkout(installed: Installed) -> None:
    probe = subprocess.run([str(installed.bin / "python"), "-c",
                            "import generator, generator.resources as r; print(generator.__file__); "
                            "print(r.SCHEMA_DIR); print(r.BUILDER_CONFIG)"],
                           capture_output=True, text=True, check=True, cwd=installed.elsewhere)
    package, schemas, config = probe.stdout.split()
    assert str(installed.venv) in package and str(PROJECT) not in package
    assert Path(schemas).is_dir() and str(installed.venv) in schemas and Path(config).is_file()
    assert installed.wheel.stat().st_size < 2_000_000
    version = installed.portal("--version")
    assert version.returncode == 0 and "0." in version.stdout


def test_init_writes_a_ready_repository_and_refuses_a_non_empty_folder(installed: Installed) -> None:
    for rel in (".gitignore", ".pre-commit-config.yaml", ".github/workflows/portal.yml", ".gitlab-ci.yml",
                ".gitea/workflows/portal.yml", ".forgejo/workflows/portal.yml", ".github/CODEOWNERS",
                ".github/pull_request_template.md", "README.md", "docs/staff-guide.md", "portal.toml"):
        assert (installed.repo / rel).is_file(), rel
    assert "format_version = 1" in (installed.repo / "portal.toml").read_text(encoding="utf-8")
    assert ".portal-cache/" in (installed.repo / ".gitignore").read_text(encoding="utf-8")
    readme = (installed.repo / "README.md").read_text(encoding="utf-8")
    assert "portal new" in readme and "portal check" in readme and "合并请求" in readme
    again = installed.portal("init", str(installed.repo), cwd=installed.elsewhere)
    assert again.returncode == 2 and "--existing" in again.stderr
    before = (installed.repo / "README.md").read_bytes()
    (installed.repo / "README.md").write_text("本单位自己的说明\n", encoding="utf-8")
    filled = installed.portal("init", str(installed.repo), "--existing", cwd=installed.elsewhere)
    assert filled.returncode == 0 and "README.md" in filled.stdout
    assert (installed.repo / "README.md").read_text(encoding="utf-8") == "本单位自己的说明\n"  # never overwritten
    (installed.repo / "README.md").write_bytes(before)


def test_placeholders_are_refused_until_filled(installed: Installed, tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    assert installed.portal("init", str(bare), cwd=tmp_path).returncode == 0
    checked = installed.portal("check", "--format", "json", cwd=bare)
    assert checked.returncode == 1
    found = json.loads(checked.stdout)["diagnostics"]
    assert {d["field"] for d in found if d["code"] == "E802"} == {
        "site.title", "site.publisher", "units.towns", "units.departments", "units.lead_departments"}
    assert all(d["line"] > 1 for d in found if d["code"] == "E802")


def test_check_build_deadlines_new_mirror_inside_and_with_root(installed: Installed, tmp_path: Path) -> None:
    checked = installed.portal("check", "--as-of", AS_OF)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 个错误" in checked.stdout
    built = installed.portal("build", "--as-of", AS_OF)
    assert built.returncode == 0, built.stderr
    index = (installed.repo / "site" / "index.html").read_text(encoding="utf-8")
    assert "麒麟区安全生产监管信息公开" in index
    site_text = "".join(p.read_text(encoding="utf-8", errors="replace")
                        for p in (installed.repo / "site").rglob("*") if p.suffix in (".html", ".json", ".csv", ".xml"))
    assert not [s for s in NON_PUBLIC.values() if s in site_text]
    # The same from elsewhere with --root, into a site folder outside the repository.
    other_site = tmp_path / "public"
    built_elsewhere = installed.portal("build", "--as-of", AS_OF, "--root", str(installed.repo), "--site-dir",
                                       str(other_site), cwd=installed.elsewhere)
    assert built_elsewhere.returncode == 0, built_elsewhere.stderr
    assert (other_site / "evaluations" / "EV-2025-001" / "index.html").is_file()
    for table in ("evaluations", "hazards"):
        for cwd, root in ((installed.repo, []), (installed.elsewhere, ["--root", str(installed.repo)])):
            table_out = installed.portal("deadlines", "--table", table, "--as-of", AS_OF, *root, cwd=cwd)
            assert table_out.returncode == 0 and "None" not in table_out.stdout
            assert len(table_out.stdout.splitlines()) > 3
    mirror = installed.portal("mirror", str(tmp_path / "mirror"), "--as-of", AS_OF, "--root", str(installed.repo),
                              cwd=installed.elsewhere)
    assert mirror.returncode == 0, mirror.stderr
    assert not (tmp_path / "mirror" / "content" / "evaluations" / "EV-2026-008.md").exists()
    created = installed.portal("new", "evaluation", "--id", "EV-2026-101")
    assert created.returncode == 0, created.stderr
    try:
        assert (installed.repo / "content" / "evaluations" / "EV-2026-101.md").is_file()
    finally:
        (installed.repo / "content" / "evaluations" / "EV-2026-101.md").unlink()


def test_rollup_and_export_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    """A province rolls the county's built site up, and a platform takes its bundles, with the
    installed package only (templates, schemas and the bundle format come from the wheel)."""
    site = tmp_path / "county-site"
    built = installed.portal("build", "--as-of", AS_OF, "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    province = tmp_path / "province"
    province.mkdir()
    (province / "portal.toml").write_text(f"""format_version = 1
[site]
title = "某市安全生产监管信息公开汇总"
publisher = "某市安全生产委员会办公室"

[[rollup.members]]
name = "麒麟区"
source = "{site}"
""", encoding="utf-8")
    rolled = installed.portal("rollup", "--as-of", AS_OF, cwd=province)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert "已汇总 1/1 个成员" in rolled.stdout
    assert "SG-2025-007" in (province / "site" / "evaluations" / "index.html").read_text(encoding="utf-8")
    assert (province / "site" / "search-index" / "index.json").is_file()
    exported = installed.portal("export", "--site-dir", str(site), "--out", str(tmp_path / "bundles"),
                                cwd=installed.elsewhere)
    assert exported.returncode == 0, exported.stderr
    assert (site / "data" / "column-bundle-1.schema.json").is_file()
    assert sorted(p.name for p in (tmp_path / "bundles").iterdir()) == [
        "accidents.zip", "campaigns.zip", "credit.zip", "directives.zip", "enforcement.zip", "evaluations.zip",
        "rectifications.zip"]


def test_diff_against_the_last_commit(installed: Installed) -> None:
    record = installed.repo / "content" / "evaluations" / "EV-2026-004.md"
    original = record.read_text(encoding="utf-8")
    record.write_text(original.replace("status: approved", "status: published\npublish_date: 2026-11-20", 1)
                      if "publish_date" not in original else original.replace("status: approved", "status: published"),
                      encoding="utf-8")
    try:
        for cwd, root in ((installed.repo, []), (installed.elsewhere, ["--root", str(installed.repo)])):
            diff = installed.portal("diff", "--base", "HEAD", "--as-of", AS_OF, *root, cwd=cwd)
            assert diff.returncode == 0, diff.stderr
            assert "EV-2026-004" in diff.stdout
    finally:
        record.write_text(original, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_shows_a_waiting_page_then_the_site(installed: Installed) -> None:
    port = _free_port()
    server = subprocess.Popen([str(installed.bin / "portal"), "serve", "--port", str(port), "--as-of", AS_OF,
                               "--root", str(installed.repo)], cwd=installed.elsewhere, env=installed.env(),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    pages = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    pages.append(response.read().decode("utf-8"))
                    break
            except urllib.error.HTTPError as waiting:
                pages.append(waiting.read().decode("utf-8"))
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert pages and "麒麟区安全生产监管信息公开" in pages[-1]
    assert all("正在生成预览" in page for page in pages[:-1])
    assert "Index of" not in "".join(pages)


def test_pre_commit_hook_of_this_checkout(installed: Installed, tmp_path: Path) -> None:
    env = {**installed.env(), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(PROJECT), "portal-check", "--all-files"]
    good = subprocess.run(pre_commit, cwd=installed.repo, env=env, capture_output=True, text=True, timeout=900)
    # Today's date moves the demo's deadlines but raises only warnings: the hook passes.
    assert good.returncode == 0, good.stdout[-3000:]
    broken = installed.repo / "content" / "accidents" / "SG-2026-099.md"
    broken.write_text("---\nid: SG-2026-099\ntitle: 某公司“5·6”较大坍塌事故\n---\n正文\n", encoding="utf-8")
    try:
        bad = subprocess.run(pre_commit, cwd=installed.repo, env=env, capture_output=True, text=True, timeout=900)
    finally:
        broken.unlink()
    assert bad.returncode == 1 and "E201" in bad.stdout and "SG-2026-099.md" in bad.stdout


def test_actions_templates_match_the_workflow_schema(installed: Installed) -> None:
    workflows = [installed.repo / rel for rel in (".github/workflows/portal.yml", ".gitea/workflows/portal.yml",
                                                   ".forgejo/workflows/portal.yml")]
    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                              *map(str, workflows)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The schema accepts any string for a step's command: pin what each must run.
    for workflow in workflows:
        text = workflow.read_text(encoding="utf-8")
        assert str(installed.wheel) in text and "portal check" in text and "portal build" in text


def test_gitlab_job_runs_as_a_shell_script(installed: Installed, tmp_path: Path) -> None:
    config = yaml.safe_load((installed.repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    before = config["default"]["before_script"]
    # A second commit, so the job's default base (HEAD~1) exists, as on a GitLab branch pipeline.
    (installed.repo / "content" / "accidents" / "SG-2026-011.md").open("a", encoding="utf-8").write("\n")
    installed.git("commit", "-q", "-am", "补充")
    try:
        for job in ("portal-check", "portal-build"):
            script = "\n".join(["set -eo pipefail", *before, *config[job]["script"]])
            env = {**installed.env(), **{k: str(v) for k, v in (config[job].get("variables") or {}).items()}}
            ran = subprocess.run(["bash", "-c", script], cwd=installed.repo, env=env, capture_output=True, text=True,
                                 timeout=600)
            assert ran.returncode == 0, f"{job}: {ran.stdout[-2000:]} {ran.stderr[-2000:]}"
        report = json.loads((installed.repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
        assert isinstance(report, list)
        assert (installed.repo / "public" / "index.html").is_file()
    finally:
        installed.git("reset", "-q", "--hard", "HEAD~1")
        shutil.rmtree(installed.repo / "public", ignore_errors=True)
        (installed.repo / "gl-code-quality-report.json").unlink(missing_ok=True)
