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
from generator.scaffold import next_id, scaffold
from generator.settings import load_settings
from generator.validate.schema import SchemaSet

if TYPE_CHECKING:
    from generator.preview import Rebuild


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"日期应为 YYYY-MM-DD，例如 2026-11-22 / expected YYYY-MM-DD, got {value!r}", param, ctx)


def _today_in_china() -> dt.date:
    # Embargoes lift at midnight Beijing time, whatever the CI clock's zone (HAZARDS.md L05).
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


as_of_option = click.option("--as-of", "as_of", type=IsoDate(), default=None,
                            help="Compute deadlines and visibility as of this date (default: today, Beijing time).")
root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                           show_default=True, help="Repository root holding content/ and portal.toml.")


def _guarded(run: Callable[[], int]) -> None:
    """Never show a traceback to a user: an unexpected failure becomes E904 and exit 1."""
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
        click.echo(REPORTER_BY_NAME["text"](CheckReport([diagnostic], 0)), err=True, nl=False)
        code = 1
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="safety-portal")
def main() -> None:
    """安全生产监管信息公开平台 / Safety transparency portal generator."""
    # Loading builds millions of small objects and few cycles: with the default thresholds
    # the collector rescans them all again and again (a fifth of a 10,000-record check).
    gc.set_threshold(50_000, 20, 100)


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTER_BY_NAME)), default="text", show_default=True)
@click.option("--base", default=None, metavar="REF",
              help="Also enforce that records public at this Git revision stay public (publication is permanent).")
@click.option("--changed", is_flag=True,
              help="Check only files changed since --base (default HEAD) and the records they link or that link them.")
@click.option("--no-cache", is_flag=True, help="Parse and validate every file again (ignore .portal-cache/).")
@as_of_option
@root_option
def check_command(paths: tuple[Path, ...], fmt: str, base: str | None, changed: bool, no_cache: bool,
                  as_of: dt.date | None, root: Path) -> None:
    """Validate content; exit 0 when there are no errors (warnings allowed), 1 otherwise."""

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

    _guarded(run)


@main.command("deadlines")
@click.option("--table", type=click.Choice(["evaluations", "hazards"]), default="evaluations", show_default=True,
              help="evaluations: every accident case's evaluation window; hazards: every hazard of every list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@as_of_option
@root_option
def deadlines_command(table: str, fmt: str, as_of: dt.date | None, root: Path) -> None:
    """Print a deadline table over all records, public or not (for staff)."""

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
                click.echo(line.format(**d, overdue=overdue))
        if not result.report.ok:
            click.echo(f"注意：内容有 {len(result.report.errors)} 个错误，未通过检查的记录不在表中；请运行 portal check。"
                       f" | {len(result.report.errors)} records failed the check and are not listed.", err=True)
        return 0

    _guarded(run)


@main.command("build")
@as_of_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Where the public site is written (replaced only after a clean build).")
@click.option("--no-cache", is_flag=True, help="Parse and validate every file again (ignore .portal-cache/).")
@click.option("--timings", is_flag=True, help="Print the seconds each build stage took (to standard error).")
@root_option
def build_command(as_of: dt.date | None, site_dir: Path, no_cache: bool, timings: bool, root: Path) -> None:
    """Check the content, then build the public site; refuses to build when check finds errors."""

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
              help="Port on this computer (0: any free port).")
@click.option("--interval", type=click.FloatRange(0.05, 60), default=1.0, show_default=True,
              help="Seconds between looks for changed files.")
@root_option
def serve_command(as_of: dt.date | None, port: int, interval: float, root: Path) -> None:
    """Preview the public site on this computer, rebuilt whenever a file is saved."""

    def run() -> int:
        import threading

        from generator.preview import CaughtUp, Preview, start_server, watch

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
@click.option("--id", "record_id", default=None, help="Record id (default: the next free one, e.g. SG-2026-001).")
@root_option
def new_command(kind: str, record_id: str | None, root: Path) -> None:
    """Write a new draft record pre-filled from its schema, and print its path."""

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


@main.command("mirror")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@as_of_option
@root_option
def mirror_command(target: Path, as_of: dt.date | None, root: Path) -> None:
    """Write the public records (and their attachments) into TARGET, a public Git mirror."""

    def run() -> int:
        day = as_of or _today_in_china()
        result = check(root, day)
        if not result.report.ok:
            click.echo(REPORTER_BY_NAME["text"](result.report), nl=False, err=True)
            click.echo("内容有错误，未写入镜像。 | Content has errors; mirror not written.", err=True)
            return 1
        settings_file = root / "portal.toml"
        settings_text = settings_file.read_text(encoding="utf-8") if settings_file.is_file() else ""
        from generator.mirror import write_mirror

        count = write_mirror(result.repo, root, target, day, settings_text)
        click.echo(f"已把 {count} 条公开记录写入 {target}（截至 {day}）。 | Wrote {count} public records to {target}.")
        return 0

    _guarded(run)


@main.command("diff")
@click.option("--base", required=True, metavar="REF", help="Git revision to compare with, e.g. origin/main.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@as_of_option
@root_option
def diff_command(base: str, fmt: str, as_of: dt.date | None, root: Path) -> None:
    """Print the public impact of the work tree against REF, ready to post on a pull request."""

    def run() -> int:
        day = as_of or _today_in_china()
        try:
            with checkout_at(root, base) as base_root:
                before = check(base_root, day)
        except GitError as exc:
            raise click.UsageError(f"无法读取 Git 版本 {base}：{exc} / cannot read revision {base}") from exc
        from generator.diff import public_impact, render_json, render_markdown

        impact = public_impact(check(root, day, base=base, base_repo=before.repo), before, base, day)
        click.echo(render_markdown(impact) if fmt == "markdown" else render_json(impact), nl=False)
        return 0

    _guarded(run)
