"""MkDocs held ready: set up once for a site's list of staged files, it then turns one page's
Markdown into that page's HTML in milliseconds. `portal serve` keeps one from edit to edit;
`portal build` uses one when only a few pages changed (generator/assemble/mkdocs_builder/build.py).

`portal build` runs a whole MkDocs build: configuration, every file, the navigation and
the theme, then every page. All but the pages depend only on the configuration and the list
of staged files (generator/assemble/page_cache.py relies on the same fact), so while that list is
unchanged they are set up once and kept. A page's HTML is then what a whole build would write
for it: the same MkDocs functions, hooks, theme environment and strict handling of warnings.
`portal serve` hands it Markdown from memory, never from a docs dir another build may be
restaging; `portal build` has it read its own staged docs dir.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path, PurePosixPath

from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from generator.assemble.mkdocs_builder.build import _Collect, _environment, build_epoch, collected_warnings, nav_for
from generator.assemble.mkdocs_builder.config import config_text, load_site_config
from generator.assemble.mkdocs_builder.hooks import STAGED_MARKER
from generator.settings import SiteSettings


def _walk_order(uri: str) -> tuple[tuple[str, ...], bool, str]:
    """Where MkDocs' own walk of a docs dir lists a file: folder by folder, depth first, in
    name order; in each folder its files first, `index`/`README` before the rest."""
    parts = PurePosixPath(uri).parts
    name = parts[-1]
    return parts[:-1], os.path.splitext(name)[0] not in ("index", "README"), name


class WarmMkDocs:
    """One site's MkDocs setup, for as long as its staged file list stays the same."""

    def __init__(self, root: Path, staged: set[str], site: SiteSettings, as_of: dt.date, docs_dir: Path,
                 out_dir: Path) -> None:
        """`staged`: every file of the docs dir, relative to it. `docs_dir` need hold only the
        staged marker when every page's Markdown is handed to `render`."""
        self.staged = frozenset(staged)
        self.as_of = as_of
        self.out_dir = out_dir
        docs_dir.mkdir(parents=True, exist_ok=True)
        if not (docs_dir / STAGED_MARKER).is_file():
            (docs_dir / STAGED_MARKER).write_text("staged by portal serve\n", encoding="utf-8")
        with self._session():
            config = load_site_config(root, config_text(site), docs_dir=str(docs_dir),
                                 site_dir=str(self.out_dir), site_name=site.title, nav=nav_for(self.staged.__contains__))
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            files = Files([File(uri, str(docs_dir), str(self.out_dir), config.use_directory_urls)
                           for uri in sorted(staged, key=_walk_order)])
            set_exclusions(files, config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            for file in files.documentation_pages():
                if file.page is None:
                    Page(None, file, config)
            self.env = config.plugins.on_env(env, config=config, files=files)
        self.config, self.files, self.nav = config, files, nav
        self.doc_files = files.documentation_pages()

    def render(self, pages: dict[str, str | None]) -> dict[str, Path]:
        """uri → the page's HTML, written under `out_dir` as a whole build would write it, from
        the Markdown given (None: the docs dir's). Any MkDocs warning (strict mode) or error
        raises Abort."""
        written = {}
        with self._session() as warnings:
            for uri, markdown in pages.items():
                file = self.files.get_file_from_path(uri)
                if file is None or file.page is None:
                    raise Abort(f"页面不在站点文件列表中 / page not in the site's file list: {uri}")
                if markdown is not None:
                    file.content_string = markdown
                _populate_page(file.page, self.config, self.files)
                _build_page(file.page, self.config, self.doc_files, self.nav, self.env)
                written[uri] = Path(file.abs_dest_path)
                _fail_on(warnings)
        return written

    def write_site_files(self) -> None:
        """What a whole build writes besides pages, in its order: the static files (staged and
        the theme's), the theme's templates (404 page, sitemap), then its post-build events."""
        with self._session() as warnings:
            self.files.copy_static_files()
            for template in self.config.theme.static_templates:
                _build_theme_template(template, self.env, self.files, self.config, self.nav)
            for template in self.config.extra_templates:
                _build_extra_template(template, self.files, self.config, self.nav)
            self.config.plugins.on_post_build(config=self.config)
            _fail_on(warnings)

    def _session(self) -> _Session:
        return _Session(self.as_of)


def _fail_on(warnings: _Collect) -> None:
    if warnings.messages:  # strict mode, as in a whole build
        raise Abort(" | ".join(warnings.messages[:5]))


class _Session:
    """What a whole build sets around MkDocs: the build date (pages stamp it) and a logger
    that collects warnings, which fail a strict build."""

    def __init__(self, as_of: dt.date) -> None:
        self._environment = _environment(SOURCE_DATE_EPOCH=build_epoch(as_of))
        self._warnings = collected_warnings()

    def __enter__(self) -> _Collect:
        self._environment.__enter__()
        return self._warnings.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._warnings.__exit__(*exc)
        self._environment.__exit__(*exc)
