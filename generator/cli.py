"""The `portal` command: parse options, call the pipeline, return an exit code.

Exit codes: 0 no errors (warnings allowed), 1 errors, 2 usage.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import os
import re
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from generator.derive.deadline_table import deadline_table
from generator.derive.hazard_table import hazard_table
from generator.diagnostics import CheckReport, Diagnostic, make
from generator.diagnostics.reporters import REPORTER_BY_NAME
from generator.history.base import GitError, changed_paths, checkout_at
from generator.pipeline import check
from generator.load.discover import COLLECTIONS, folder_of
from generator.publish import is_public
from generator.commands.scaffold import next_id, scaffold
from generator.settings import load_settings
from generator.validate.schema import SchemaSet

if TYPE_CHECKING:
    from generator.commands.preview import Rebuild


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"日期应为 YYYY-MM-DD，例如 2026-11-22 / expected YYYY-MM-DD, got {value!r}", param, ctx)
        if not 1900 <= day.year <= 2099:  # as records' dates: deadlines are counted from it
            self.fail(f"年份应在 1900 至 2099 之间 / the year must be 1900 to 2099, got {value!r}", param, ctx)
        return day


def _today_in_china() -> dt.date:
    # Embargoes lift at midnight Beijing time, whatever the CI clock's zone (HAZARDS.md L05).
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


as_of_option = click.option("--as-of", "as_of", type=IsoDate(), default=None,
                            help="按此日期计算期限和公开状态（默认：北京时间今天）/ compute deadlines and visibility as of this date (default: today, Beijing time).")
root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                           show_default=True, help="内容仓库的根目录（含 content/ 和 portal.toml）/ repository root holding content/ and portal.toml.")


def _guarded(run: Callable[[], int], fmt: str = "text") -> None:
    """Never show a traceback to a user: an unexpected failure becomes E904 and exit 1, in the
    output format asked for (a CI reading --format json gets valid JSON, on standard output)."""
    try:
        code = run()
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except BrokenPipeError:
        # `portal deadlines | head`: the reader left; that is not an error. Point stdout at
        # devnull so Python's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except Exception as exc:  # noqa: BLE001 - the CLI edge is the one place that catches all
        if "PORTAL_DEBUG" in os.environ:
            traceback.print_exc()
        diagnostic = make("E904", "-", detail=f"{type(exc).__name__}: {exc}")
        machine = fmt if fmt in REPORTER_BY_NAME and fmt != "text" else None
        click.echo(REPORTER_BY_NAME[machine or "text"](CheckReport([diagnostic], 0)), err=machine is None, nl=False)
        code = 1
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="safety-portal", message="%(prog)s %(version)s",
                      help="显示版本 / Show the version and exit.")
def main() -> None:
    """安全生产监管信息公开平台 / Safety transparency portal generator.

    常用：portal init 新建内容仓库，portal new 新建记录，portal check 检查，portal serve 预览，portal build 生成网站。
    每个命令的说明：portal 命令 --help / Help for each command: portal COMMAND --help.
    """
    # Loading builds millions of small objects and few cycles: with the default thresholds
    # the collector rescans them all again and again (a fifth of a 10,000-record check).
    gc.set_threshold(50_000, 20, 100)


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTER_BY_NAME)), default="text", show_default=True,
              help="输出格式：text 供人阅读，github/gitlab 供 CI 标注，json 供程序读取 / output format.")
@click.option("--base", default=None, metavar="REF",
              help="同时检查在此 Git 版本已公开的记录仍然公开（公开是长期的）/ also enforce that records public at REF stay public.")
@click.option("--changed", is_flag=True,
              help="只检查自 --base（默认 HEAD）以来修改的文件及相关记录 / only files changed since --base (default HEAD) and related records.")
@click.option("--no-cache", is_flag=True, help="不使用缓存，全部重新检查 / parse and validate every file again (ignore .portal-cache/).")
@as_of_option
@root_option
def check_command(paths: tuple[Path, ...], fmt: str, base: str | None, changed: bool, no_cache: bool,
                  as_of: dt.date | None, root: Path) -> None:
    """检查内容 / Validate content: exit 0 when there are no errors (warnings allowed), 1 otherwise."""

    def run() -> int:
        try:
            only = list(paths) if paths else None
            if changed:
                only = changed_paths(root, base or "HEAD")
            result = check(root, as_of or _today_in_china(), only, base, related=changed, use_cache=not no_cache,
                           need_records=False)
        except GitError as exc:
            raise click.UsageError(f"无法读取 Git 版本 {base}：{exc} / cannot read revision {base}") from exc
        click.echo(REPORTER_BY_NAME[fmt](result.report), nl=False)
        return 0 if result.report.ok else 1

    _guarded(run, fmt)


@main.command("deadlines")
@click.option("--table", type=click.Choice(["evaluations", "hazards"]), default="evaluations", show_default=True,
              help="evaluations：每起事故的评估期限；hazards：每项隐患的整改期限 / evaluation windows, or every hazard.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="输出格式 / output format.")
@as_of_option
@root_option
def deadlines_command(table: str, fmt: str, as_of: dt.date | None, root: Path) -> None:
    """期限表（含未公开记录，供工作人员使用）/ Print a deadline table over all records, public or not."""

    def run() -> int:
        day = as_of or _today_in_china()
        result = check(root, day)
        if table == "hazards":
            lists = [r for r in result.repo.rectifications.values() if r.path not in result.repo.rejected_paths]
            dicts = [row.as_dict() for row in hazard_table(lists, day, result.settings.hazards.due_soon_days)]
            title = f"隐患整改期限表（截至 {day}）| Hazard deadlines as of {day}"
            line = ("{list_id:<14} {id:<8} 期限 {deadline}  {status_zh}{overdue}  {level} {sector} {town}  "
                    "{description}")
        else:
            rows = deadline_table(list(result.repo.accidents.values()), result.repo, result.settings.evaluation,
                                  day, lambda e: is_public(e, day))
            dicts = [row.as_dict() for row in rows]
            title = f"评估期限表（截至 {day}）| Evaluation deadlines as of {day}"
            line = "{id:<16} 结案 {closure_date}  评估期 {window_opens}～{due}  {status_zh}{overdue}  {title}"
        if fmt == "json":
            click.echo(json.dumps({"as_of": day.isoformat(), "rows": dicts}, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(dicts[0]) if dicts else ["id"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(dicts)
            click.echo(out.getvalue(), nl=False)
        else:
            click.echo(title)
            for d in dicts:
                overdue = f" 逾期 {d['days_overdue']} 天" if d["days_overdue"] else ""
                # A value a record leaves out (a hazard fixed on the spot has no deadline) shows as —.
                click.echo(line.format(**{k: "—" if v is None or v == "" else v for k, v in d.items()}, overdue=overdue))
        if not result.report.ok:
            click.echo(f"注意：内容有 {len(result.report.errors)} 个错误，未通过检查的记录不在表中；请运行 portal check。"
                       f" | {len(result.report.errors)} records failed the check and are not listed.", err=True)
        return 0

    _guarded(run, fmt)


@main.command("build")
@as_of_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="网站输出目录（生成成功后才替换）/ where the public site is written (replaced only after a clean build).")
@click.option("--no-cache", is_flag=True, help="不使用缓存，全部重新检查 / parse and validate every file again (ignore .portal-cache/).")
@click.option("--timings", is_flag=True, help="显示各阶段耗时 / print the seconds each build stage took (to standard error).")
@root_option
def build_command(as_of: dt.date | None, site_dir: Path, no_cache: bool, timings: bool, root: Path) -> None:
    """检查后生成公开网站，有错误时拒绝生成 / Check the content, then build the public site; refuses on errors."""

    def run() -> int:
        day = as_of or _today_in_china()
        from generator.site_build import build  # the site builder's imports cost half a second

        result = build(root, day, site_dir, use_cache=not no_cache)
        if timings:
            click.echo("各阶段耗时 / stage timings: " + ", ".join(f"{stage} {seconds} s"
                                                             for stage, seconds in result.timings.items()), err=True)
        if result.report.diagnostics:
            click.echo(REPORTER_BY_NAME["text"](result.report), nl=False, err=True)
        if not result.report.ok:
            click.echo(f"未生成站点，原有 {site_dir} 未改动。 | Site not built; {site_dir} left untouched.", err=True)
            return 1
        click.echo(f"已生成 {result.pages} 个页面到 {site_dir}（截至 {day}）。 | Built {result.pages} pages into "
                   f"{site_dir} as of {day}.")
        return 0

    _guarded(run)


@main.command("serve")
@as_of_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="本机端口（0：任一空闲端口）/ port on this computer (0: any free port).")
@click.option("--interval", type=click.FloatRange(0.05, 60), default=1.0, show_default=True,
              help="检查文件变化的间隔秒数 / seconds between looks for changed files.")
@root_option
def serve_command(as_of: dt.date | None, port: int, interval: float, root: Path) -> None:
    """在本机预览公开网站，保存文件后自动更新 / Preview the public site on this computer, rebuilt on every save."""

    def run() -> int:
        import threading

        from generator.commands.preview import CaughtUp, Preview, start_server, watch

        preview = Preview(root, lambda: as_of or _today_in_china())
        try:  # the port first: a taken port should not cost a whole build
            server = start_server(preview.site_dir, "127.0.0.1", port)
        except OSError as exc:
            click.echo(f"无法在端口 {port} 上预览（{exc.strerror}），请用 --port 换一个端口。 | "
                       f"Cannot serve on port {port} ({exc.strerror}); choose another with --port.", err=True)
            return 1

        def shown(rebuild: Rebuild) -> None:
            _show_rebuild(rebuild)
            if rebuild.result.report.ok:
                server.built()

        def caught_up(done: CaughtUp) -> None:
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            if done.ok:
                server.built()
                click.echo(f"[{stamp}] 搜索索引和数据下载已更新（后台完整生成用时 {done.seconds:.1f} 秒）。"
                           f" | Search index and downloads brought up to date (whole build in the background: "
                           f"{done.seconds:.1f} s).")
            else:
                click.echo(done.output, nl=False, err=True)
                click.echo(f"[{stamp}] 后台完整生成失败，搜索索引和数据下载未更新。 | The whole build in the background "
                           "failed: the search index and downloads were not updated.", err=True)

        try:
            shown(preview.rebuild())
            preview.tidy()
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            click.echo(f"预览地址 {url}（仅本机可访问），保存文件后自动重新生成，按 Ctrl+C 停止。 | "
                       f"Previewing at {url} (this computer only); rebuilt on save; Ctrl+C stops.")
            watch(preview, interval, shown, threading.Event(), caught_up)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
        click.echo("已停止预览。 | Preview stopped.")
        return 0

    _guarded(run)


def _show_rebuild(rebuild: Rebuild) -> None:
    result = rebuild.result
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    if result.report.diagnostics:
        click.echo(REPORTER_BY_NAME["text"](result.report), nl=False, err=True)
    if result.report.ok and rebuild.pages_only:
        count = len(result.updated)
        click.echo(f"[{stamp}] 已更新预览中有变化的页面 {count} 个，用时 {rebuild.seconds:.1f} 秒（截至 {rebuild.as_of}）；"
                   f"搜索索引和数据下载正在后台更新。 | {count} changed pages updated in {rebuild.seconds:.1f} s as of "
                   f"{rebuild.as_of}; the search index and downloads follow in the background.")
    elif result.report.ok:
        click.echo(f"[{stamp}] 已生成预览：{result.pages} 个页面，用时 {rebuild.seconds:.1f} 秒（截至 {rebuild.as_of}）。"
                   f" | Preview built: {result.pages} pages in {rebuild.seconds:.1f} s as of {rebuild.as_of}.")
    else:
        click.echo(f"[{stamp}] 有错误，预览未更新，仍显示上一次成功生成的版本。 | Errors: the preview keeps the "
                   "last good build.", err=True)


@main.command("new")
@click.argument("kind", type=click.Choice(sorted(COLLECTIONS.values())))
@click.option("--id", "record_id", default=None, help="记录编号（默认：下一个未用的编号，如 SG-2026-001）/ record id (default: the next free one).")
@root_option
def new_command(kind: str, record_id: str | None, root: Path) -> None:
    """新建一条草稿记录，列出直到公开所需的全部字段 / Write a new draft with every field it needs, commented."""

    def run() -> int:
        today = _today_in_china()
        settings = load_settings(root)
        if isinstance(settings, Diagnostic):
            click.echo(REPORTER_BY_NAME["text"](CheckReport([settings], 0)), err=True, nl=False)
            return 1
        chosen = record_id or next_id(root, kind, today)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{2,63}", chosen):
            raise click.UsageError("编号只能用英文字母、数字和连字符，例如 SG-2026-001 / ids use letters, digits and -")
        target = root / "content" / folder_of(kind) / f"{chosen}.md"
        if target.exists():
            raise click.UsageError(f"{target} 已存在 / already exists")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(scaffold(root, kind, chosen, today, settings, SchemaSet()), encoding="utf-8")
        click.echo(f"已创建 {target.relative_to(root).as_posix()}；填写后运行 portal check。 | "
                   f"Created {target.relative_to(root).as_posix()}; fill it in and run portal check.")
        return 0

    _guarded(run)


@main.command("rollup")
@click.argument("members", nargs=-1)
@as_of_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="汇总网站输出目录（生成成功后才替换）/ where the roll-up site is written (replaced only after a clean build).")
@click.option("--no-cache", is_flag=True, help="重新读取全部成员 / read every member again (ignore .portal-cache/rollup/).")
@click.option("--jobs", type=click.IntRange(1, 64), default=8, show_default=True,
              help="同时读取的成员数 / members read at the same time.")
@click.option("--strict", is_flag=True, help="有成员未纳入时以 1 退出 / exit 1 when a member was left out.")
@click.option("--timings", is_flag=True, help="显示各阶段耗时 / print the seconds each stage took (to standard error).")
@root_option
def rollup_command(members: tuple[str, ...], as_of: dt.date | None, site_dir: Path, no_cache: bool, jobs: int,
                   strict: bool, timings: bool, root: Path) -> None:
    """汇总各成员网站已公开的数据，生成市级或省级网站 / Build a city's or province's site from its members' published data.

    成员在 portal.toml 的 [[rollup.members]] 中登记（source：已生成网站的文件夹、网址，或 git 仓库中的文件夹）；
    也可直接给出 MEMBERS（已生成网站的文件夹或网址）快速查看。
    Members are listed in portal.toml as [[rollup.members]], or given as MEMBERS (built sites' folders or addresses).
    """

    def run() -> int:
        from generator.rollup.build import build_rollup
        from generator.rollup.config import RollupConfig, member_from_argument, read_rollup
        from generator.settings import load_settings

        day = as_of or _today_in_china()
        config = RollupConfig([member_from_argument(m) for m in members]) if members else read_rollup(root)
        settings = load_settings(root)
        for problem in (config, settings):
            if isinstance(problem, Diagnostic):
                click.echo(REPORTER_BY_NAME["text"](CheckReport([problem], 0)), nl=False, err=True)
                return 1
        result = build_rollup(root, config, settings, site_dir, day, use_cache=not no_cache, jobs=jobs)
        if timings:
            click.echo("各阶段耗时 / stage timings: " + ", ".join(f"{stage} {seconds} s"
                                                             for stage, seconds in result.timings.items()), err=True)
        if result.report.diagnostics:
            click.echo(REPORTER_BY_NAME["text"](result.report), nl=False, err=True)
        if not result.built:
            click.echo(f"未生成汇总网站，原有 {site_dir} 未改动。 | Roll-up not built; {site_dir} left untouched.", err=True)
            return 1
        included = sum(1 for o in result.outcomes if o.summary is not None)
        reused = sum(1 for o in result.outcomes if o.reused)
        left_out = len(result.outcomes) - included
        click.echo(f"已汇总 {included}/{len(result.outcomes)} 个成员（{reused} 个未变化，未重新读取），"
                   f"生成 {result.pages} 个页面、{result.search_pages} 个可搜索页面到 {site_dir}（截至 {day}）。 | "
                   f"Rolled up {included} of {len(result.outcomes)} members ({reused} unchanged, not read again): "
                   f"{result.pages} pages, {result.search_pages} searchable, into {site_dir} as of {day}.")
        return 1 if strict and left_out else 0

    _guarded(run)


@main.command("export")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="portal build 已生成的网站 / the site portal build wrote.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="数据包输出目录 / where the bundles are written.")
@click.option("--column", "columns", multiple=True, type=click.Choice(["accidents", "evaluations", "rectifications",
              "enforcement", "credit", "campaigns", "directives"]), help="只导出这些专栏（可重复）/ only these columns.")
def export_command(site_dir: Path, out_dir: Path, columns: tuple[str, ...]) -> None:
    """为集约化平台导出每个专栏的数据包 / Write one bundle per column for a consolidated platform to import.

    只读取已生成的公开网站，格式见网站“开放数据”页和 data/column-bundle-1.schema.json。
    Reads only the built public site; the format is on the site's 开放数据 page.
    """

    def run() -> int:
        from generator.commands.export import ExportError, export_site

        try:
            bundles = export_site(site_dir, out_dir, list(columns) or None)
        except ExportError as exc:
            click.echo(f"未导出：{exc} | Not exported: {exc}", err=True)
            return 1
        for bundle in bundles:
            click.echo(f"{bundle.path}：{bundle.records} 条记录，{bundle.attachments} 个附件 | "
                       f"{bundle.records} record(s), {bundle.attachments} attachment(s)")
        return 0

    _guarded(run)


@main.command("mirror")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@as_of_option
@root_option
def mirror_command(target: Path, as_of: dt.date | None, root: Path) -> None:
    """把已公开的记录和附件写入公开镜像仓库 TARGET / Write the public records into TARGET, a public Git mirror."""

    def run() -> int:
        day = as_of or _today_in_china()
        result = check(root, day)
        if not result.report.ok:
            click.echo(REPORTER_BY_NAME["text"](result.report), nl=False, err=True)
            click.echo("内容有错误，未写入镜像。 | Content has errors; mirror not written.", err=True)
            return 1
        settings_file = root / "portal.toml"
        settings_text = settings_file.read_text(encoding="utf-8") if settings_file.is_file() else ""
        from generator.commands.mirror import write_mirror

        count = write_mirror(result.repo, root, target, day, settings_text)
        click.echo(f"已把 {count} 条公开记录写入 {target}（截至 {day}）。 | Wrote {count} public records to {target}.")
        return 0

    _guarded(run)


@main.command("diff")
@click.option("--base", required=True, metavar="REF", help="对比的 Git 版本，如 origin/main / Git revision to compare with, e.g. origin/main.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="输出格式 / output format.")
@as_of_option
@root_option
def diff_command(base: str, fmt: str, as_of: dt.date | None, root: Path) -> None:
    """说明本次修改对公开网站的影响，供合并请求审核 / Print the public impact of the work tree against REF."""

    def run() -> int:
        day = as_of or _today_in_china()
        try:
            with checkout_at(root, base) as base_root:
                before = check(base_root, day)
        except GitError as exc:
            raise click.UsageError(f"无法读取 Git 版本 {base}：{exc} / cannot read revision {base}") from exc
        from generator.commands.diff import public_impact, render_json, render_markdown

        impact = public_impact(check(root, day, base=base, base_repo=before.repo), before, base, day)
        click.echo(render_markdown(impact) if fmt == "markdown" else render_json(impact), nl=False)
        return 0

    _guarded(run, fmt)


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in re.split(r"[,，、]", value) if name.strip())


@main.command("init")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="", help="网站名称 / site title, e.g. 某某区安全生产监管信息公开.")
@click.option("--publisher", default="", help="主办单位 / publishing office.")
@click.option("--towns", default="", help="镇（街道），用逗号分隔 / towns and streets, comma-separated.")
@click.option("--departments", default="", help="安委会成员部门，逗号分隔 / member departments, comma-separated.")
@click.option("--lead-departments", default="", help="牵头部门，逗号分隔 / lead departments, comma-separated.")
@click.option("--owner", default="", help="代码托管平台上的组织或群组名，用于 CODEOWNERS / Git host group for CODEOWNERS.")
@click.option("--install", default="", metavar="REQUIREMENT",
              help="CI 安装本软件的 pip 写法（默认：本版本）/ pip requirement CI installs (default: this release).")
@click.option("--hook-repo", default="", metavar="URL", help="本软件的 Git 仓库地址，供 pre-commit 使用 / this tool's Git URL.")
@click.option("--hook-rev", default="", metavar="REV", help="pre-commit 使用的版本标签 / tag or commit for pre-commit.")
@click.option("--examples", is_flag=True, help="同时写入示例记录 / also write the demo records.")
@click.option("--existing", is_flag=True,
              help="允许写入非空文件夹（已有文件一律不覆盖）/ allow a non-empty folder (no file is overwritten).")
def init_command(target: Path, title: str, publisher: str, towns: str, departments: str, lead_departments: str,
                 owner: str, install: str, hook_repo: str, hook_rev: str, examples: bool, existing: bool) -> None:
    """新建内容仓库 / Create a content repository in TARGET, ready for staff, reviewers and CI."""

    def run() -> int:
        from generator.commands.init import NotEmpty, Office, Tooling, init_repository

        office = Office(title, publisher, _names(towns), _names(departments), _names(lead_departments), owner)
        try:
            result = init_repository(target, office, Tooling(install, hook_repo, hook_rev), examples, existing)
        except NotEmpty:
            raise click.UsageError(f"{target} 不是空文件夹；要在其中补齐缺少的文件请加 --existing（已有文件不会被覆盖）"
                                   f" / {target} is not empty; add --existing to fill in what is missing") from None
        click.echo(f"已在 {target} 新建内容仓库：写入 {len(result.written)} 个文件"
                   + (f"，保留已有文件 {len(result.kept)} 个" if result.kept else "") + "。"
                   f" | Content repository in {target}: {len(result.written)} files written"
                   + (f", {len(result.kept)} existing files kept" if result.kept else "") + ".")
        for rel in result.kept:
            click.echo(f"  未覆盖（已存在）/ kept: {rel}")
        if result.to_fill:
            click.echo("还需要填写（portal.toml 中的由 portal check 指出位置）/ still to fill in (check points at portal.toml's):")
            for what in result.to_fill:
                click.echo(f"  - {what}")
        click.echo(f"下一步：cd {target}，运行 portal check，再用 portal new 新建记录。 | Next: cd {target}; portal check; "
                   "portal new.")
        return 0

    _guarded(run)
