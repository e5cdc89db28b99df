"""Run MkDocs on a staged docs dir into a fresh output dir."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

from generator.assemble import page_cache
from generator.assemble.mkdocs_builder.config import HOOKS_FILE, config_text, load_site_config, theme_folders
from generator.assemble.mkdocs_builder.hooks import REUSED, SHARD_VARIABLE, SHARDS_FILE, STAGED_MARKER
from generator.assemble.page_cache import PageManifest
from generator.assemble.tree import Folders, files_under
from generator.cores import worker_count
from generator.settings import SiteSettings

# Below this many pages a second MkDocs process costs more than it saves.
SHARDED_FROM = 300
# At most this many pages to render beside pages copied from the last build: MkDocs renders just
# them in this process (_build_few) instead of building the whole site around them.
FEW_PAGES = 200
# Bytes of Markdown a page's fixed rendering cost (theme, navigation) is worth, for sharing out.
_PAGE_OVERHEAD = 4000

# The navigation lists sections and index pages, never every record: a full
# navigation in every page grows the output with the square of the record count.
NAV = [
    {"首页": "index.md"},
    {"搜索": "search.md"},
    {"评估期限表": "deadlines.md"},
    {"评估报告": "evaluations/index.md"},
    {"事故": "accidents/index.md"},
    {"隐患整改": [
        {"隐患整改期限表": "hazards.md"},
        {"隐患整改清单": "rectifications/index.md"},
    ]},
    {"执法案例": [
        {"典型案例": "enforcement/typical.md"},
        {"全部案例": "enforcement/index.md"},
        {"按处理结果": "enforcement/by-outcome.md"},
        {"按执法机关": "enforcement/by-agency.md"},
        {"按年度": "enforcement/by-year.md"},
    ]},
    {"失信名单": "credit/index.md"},
    {"专项整治": [
        {"全部专项整治": "campaigns/index.md"},
        {"按年度": "campaigns/by-year.md"},
        {"按专题": "campaigns/by-topic.md"},
    ]},
    {"报送要求": "directives/index.md"},
    {"事故统计": "statistics.md"},
    {"分类索引": [
        {"按年度": "indices/by-year.md"},
        {"按辖区": "indices/by-jurisdiction.md"},
        {"按行业领域": "indices/by-sector.md"},
        {"按事故等级": "indices/by-level.md"},
    ]},
    {"开放数据": "data/index.md"},
    {"数据规范": "schemas/index.md"},
    {"政务公开指南": "guide.md"},
]
# A roll-up's pages (generator/rollup/render.py), after 首页 and 搜索.
ROLLUP_NAV = [
    {"已逾期未评估": "evaluations.md"},
    {"逾期隐患": "hazards.md"},
    {"专项整治等次": "grades.md"},
    {"失信名单": "credit.md"},
    {"事故统计": "statistics.md"},
    {"汇总数据": "data/index.md"},
]


def nav_for(staged: Callable[[str], bool]) -> list[dict[str, Any]]:
    """A site's navigation: its entries whose pages were staged (a roll-up stages its own set)."""
    def present(entry: dict[str, Any]) -> dict[str, Any] | None:
        (title, target), = entry.items()
        if isinstance(target, list):
            kept = [e for e in map(present, target) if e]
            return {title: kept} if kept else None
        return entry if staged(target) else None
    site = [e for e in map(present, NAV) if e]
    if staged("deadlines.md"):
        return site
    return site[:2] + [e for e in map(present, ROLLUP_NAV) if e and e not in site]


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a failed strict build can say which ones."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(root: Path, docs_dir: Path, out_dir: Path, site: SiteSettings, as_of: dt.date,
               previous: PageManifest | None = None, previous_site: Path | None = None) -> PageManifest:
    """Build the staged docs into `out_dir`; on several cores, as several MkDocs processes.

    Rendering pages is most of a build and each page renders on its own, so pages are
    shared out (by size) among forked MkDocs processes. Each runs the whole build, with the
    whole file list, navigation and strict link checks, but renders only its own pages
    (mkdocs_hooks.on_pre_page); the first also writes the theme files and sitemap. The
    others' pages are then moved into `out_dir`. Any shard's failure fails the build.

    Pages that `previous` (the manifest of the site in `previous_site`) shows unchanged are
    copied from there instead (generator/assemble/page_cache.py). Returns the new manifest.
    """
    (docs_dir / STAGED_MARKER).write_text("staged by portal build\n", encoding="utf-8")
    pages = files_under(docs_dir, ".md")
    markdown = {uri: page_cache.digest((docs_dir / uri).read_bytes()) for uri in pages}
    dest_of = {uri: File(uri, str(docs_dir), str(out_dir), use_directory_urls=True).dest_uri for uri in markdown}
    key = page_cache.site_key(docs_dir, config_text(site), theme_folders(root), HOOKS_FILE, site.title)
    reused = page_cache.reusable(previous, key, markdown, previous_site, dest_of)
    fresh = [uri for uri in pages if uri not in reused]
    few = bool(reused) and len(fresh) <= FEW_PAGES
    shards = 1 if few else worker_count(len(fresh), SHARDED_FROM)
    owners = {**_share_out(fresh, docs_dir, shards), **{uri: REUSED for uri in reused}}
    (docs_dir / SHARDS_FILE).write_text(json.dumps(owners), encoding="utf-8")
    if few:
        _build_few(root, docs_dir, out_dir, site, as_of, fresh)
        _gather(owners, dest_of, out_dir, [], reused)
        return page_cache.manifest_for(key, markdown, out_dir, dest_of, previous, reused)
    shard_dirs = [out_dir.parent / f"{out_dir.name}.shard-{k}" for k in range(1, shards)]
    # Forking is only asked for when there is more than one shard (worker_count: Linux only).
    context = multiprocessing.get_context("fork") if shard_dirs else None
    failures = context.Queue() if context else None
    children = [context.Process(target=_shard_main, args=(k, root, docs_dir, shard_dir, site, failures))
                for k, shard_dir in enumerate(shard_dirs, start=1)] if context else []
    try:
        with _environment(SOURCE_DATE_EPOCH=build_epoch(as_of)):  # reproducible output
            for child in children:
                child.start()
            with _environment(**{SHARD_VARIABLE: "0"}):
                _build(root, docs_dir, out_dir, site)
        for child in children:
            child.join()
        if any(child.exitcode != 0 for child in children):
            messages = [failures.get() for child in children if failures is not None and not failures.empty()]
            raise Abort(" | ".join(messages) or "a build process failed")
        _gather(owners, dest_of, out_dir, shard_dirs, reused)
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
        for shard_dir in shard_dirs:
            shutil.rmtree(shard_dir, ignore_errors=True)
    return page_cache.manifest_for(key, markdown, out_dir, dest_of, previous, reused)


def _build_few(root: Path, docs_dir: Path, out_dir: Path, site: SiteSettings, as_of: dt.date, fresh: list[str]) -> None:
    """A whole build but for the pages copied from the last one: those it would render as empty
    placeholders all the same, 8,000 of them at 10,000 records, seconds of walking."""
    from generator.assemble.mkdocs_builder.warm import WarmMkDocs  # it builds on this module's configuration

    site = WarmMkDocs(root, set(files_under(docs_dir)), site, as_of, docs_dir, out_dir)
    site.write_site_files()
    site.render(dict.fromkeys(fresh))


def _build(root: Path, docs_dir: Path, out_dir: Path, site: SiteSettings) -> None:
    with collected_warnings() as warnings:
        config = load_site_config(root, config_text(site), docs_dir=str(docs_dir), site_dir=str(out_dir),
                             site_name=site.title,
                                  nav=nav_for(lambda page: (docs_dir / page).is_file()))
        try:
            mkdocs_build(config)
        except Abort as exc:
            # "Aborted with 1 warnings in strict mode!" alone does not say what to fix.
            raise Abort(f"{exc}: " + " | ".join(warnings.messages[:5])) from exc


@contextlib.contextmanager
def collected_warnings() -> Iterator[_Collect]:
    """MkDocs' warnings while the block runs: a strict build fails on any, and says which."""
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    warnings = _Collect()
    logger.addHandler(warnings)
    try:
        yield warnings
    finally:
        logger.removeHandler(warnings)


def build_epoch(as_of: dt.date) -> str:
    """SOURCE_DATE_EPOCH for a build as of this date: MkDocs stamps sitemap dates and gzip headers from it."""
    return str(int(dt.datetime.combine(as_of, dt.time(), dt.timezone.utc).timestamp()))


def _shard_main(shard: int, root: Path, docs_dir: Path, out_dir: Path, site: SiteSettings, failures: Any) -> None:
    os.environ[SHARD_VARIABLE] = str(shard)
    try:
        _build(root, docs_dir, out_dir, site)
    except BaseException as exc:  # reported by the parent, which fails the whole build
        failures.put(f"{type(exc).__name__}: {exc}"[:4000])  # small: the queue's pipe must not fill
        raise SystemExit(1) from None


def _share_out(pages: list[str], docs_dir: Path, shards: int) -> dict[str, int]:
    """Each page to the least loaded shard, largest first (rendering time follows size)."""
    load = [0] * shards
    owners: dict[str, int] = {}
    for size, uri in sorted(((os.stat(docs_dir / uri).st_size, uri) for uri in pages), reverse=True):
        shard = load.index(min(load))
        owners[uri] = shard
        load[shard] += size + _PAGE_OVERHEAD
    return owners


def _gather(owners: dict[str, int], dest_of: dict[str, str], out_dir: Path, shard_dirs: list[Path],
            reused: dict[str, Path]) -> None:
    """Move each page in from the shard that rendered it, or copy it from the current site;
    a page missing anywhere fails the build."""
    folders = Folders(out_dir)
    for uri, shard in owners.items():
        dest = dest_of[uri]
        if shard != 0:
            folders.made_for(dest)
        if shard == REUSED:
            built = reused[uri]
        elif shard == 0:
            built = out_dir / dest
        else:
            built = shard_dirs[shard - 1] / dest if shard <= len(shard_dirs) else None
        if built is None or not built.is_file():
            raise Abort(f"页面未生成 / page not built: {uri}")
        if shard == REUSED:
            try:
                # A second name for the same bytes: nothing writes to a built page again,
                # and the old site's name goes when it is removed after the swap.
                os.link(built, out_dir / dest)
            except OSError:
                shutil.copyfile(built, out_dir / dest)
        elif shard != 0:
            os.replace(built, out_dir / dest)


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
