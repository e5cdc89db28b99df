"""The roll-up pipeline: members → collect (read, check, summarise; in parallel, cached) →
render (pages, data) → the builder → the cross-site search index → swap. As for a member's
site, the site directory changes only at the very end, and a failed build leaves it as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.assemble.builder import build_site
from generator.assemble.search_index import FILTER_NAMES
from generator.assemble.sitemap import write_sitemap
from generator.assemble.staging import stage
from generator.assemble.swap import new_build_dir, swap_in
from generator.diagnostics import CheckReport, Diagnostic, make
from generator.load.cache import CACHE_DIR
from generator.rollup.collect import MemberOutcome, collect
from generator.rollup.config import RollupConfig
from generator.rollup.member_data import read_spool
from generator.rollup.render import render_rollup
from generator.search.extract import SearchPage
from generator.search.index import FOLDER, FORMAT as SEARCH_FORMAT, page_from_record, write_index
from generator.settings import Settings
from generator.site_build import Stopwatch


INDEX_STATE = "search-index.json"  # in the roll-up's cache: what the current site's index was made of


@dataclass
class RollupResult:
    report: CheckReport
    outcomes: list[MemberOutcome] = field(default_factory=list)
    pages: int = 0
    search_pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def built(self) -> bool:
        return not any(d.code in ("E901", "E950") for d in self.report.diagnostics)


def build_rollup(root: Path, config: RollupConfig, settings: Settings, site_dir: Path, as_of: dt.date,
                 use_cache: bool = True, jobs: int = 8) -> RollupResult:
    watch = Stopwatch()
    cache = root / CACHE_DIR / "rollup"
    if not use_cache:
        shutil.rmtree(cache / "members", ignore_errors=True)
    outcomes = collect(root, config, cache, site_dir, as_of, use_cache, jobs)
    diagnostics: list[Diagnostic] = [d for o in outcomes for d in o.diagnostics]
    watch.lap("members")
    pages, data_files = render_rollup(outcomes, settings, as_of)
    watch.lap("render")
    out_dir = new_build_dir(site_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="portal-rollup-docs-") as docs:
            stage(pages, Path(docs), [], data_files)
            build_site(root, Path(docs), out_dir, settings.site, as_of)
            write_sitemap(out_dir, settings.site.site_url, pages)
        watch.lap("builder")
        index_key = _index_key(outcomes)
        indexed = _reuse_search_index(site_dir, out_dir, cache, index_key) if use_cache else None
        if indexed is None:
            indexed = _write_search_index(out_dir, outcomes)
        watch.lap("search index")
    except Exception as exc:  # noqa: BLE001 - any builder failure becomes E901, site/ untouched
        shutil.rmtree(out_dir, ignore_errors=True)
        failed = make("E901", "-", detail=f"{type(exc).__name__}: {exc}")
        return RollupResult(CheckReport(diagnostics + [failed], len(outcomes)), outcomes, timings=watch.timings)
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    swap_in(out_dir, site_dir)
    _remember_index(site_dir, cache, index_key, indexed)
    watch.lap("swap")
    return RollupResult(CheckReport(diagnostics, len(outcomes)), outcomes, len(pages), indexed, watch.timings)


def _index_key(outcomes: list[MemberOutcome]) -> str:
    """What the search index is made of: each indexed member's published state and address."""
    parts = [(o.config.source, o.config.git, o.stamp, o.link_base) for o in outcomes
             if o.summary is not None and o.spool is not None and o.link_base]
    return hashlib.sha256(json.dumps([SEARCH_FORMAT, parts]).encode()).hexdigest()


def _reuse_search_index(site_dir: Path, out_dir: Path, cache: Path, key: str) -> int | None:
    """The current site's index when it was made of the same members' same pages (no member
    published again since): copied, not rebuilt. Its index.json must be the one remembered."""
    try:
        remembered = json.loads((cache / INDEX_STATE).read_text(encoding="utf-8"))
        head = (site_dir / FOLDER / "index.json").read_bytes()
    except (OSError, ValueError):
        return None
    if remembered.get("key") != key or remembered.get("index_json") != hashlib.sha256(head).hexdigest():
        return None
    shutil.copytree(site_dir / FOLDER, out_dir / FOLDER)
    return int(remembered["pages"])


def _remember_index(site_dir: Path, cache: Path, key: str, pages: int) -> None:
    head = (site_dir / FOLDER / "index.json").read_bytes()
    (cache / INDEX_STATE).write_text(json.dumps({"key": key, "pages": pages,
                                                 "index_json": hashlib.sha256(head).hexdigest()}), encoding="utf-8")


def _write_search_index(site_dir: Path, outcomes: list[MemberOutcome]) -> int:
    """One index over every member's pages, from the pages each member published; each page's
    address is its member's (absolute, or from this site's root to a folder beside it)."""
    def page(value: dict[str, Any], base: str) -> SearchPage:
        found = page_from_record(value)
        found.url = base + found.url
        return found
    pages = (found for outcome in outcomes
             if outcome.summary is not None and outcome.spool is not None and outcome.link_base
             for found in read_spool(outcome.spool, outcome.link_base, page))
    return write_index(pages, FILTER_NAMES, site_dir)
