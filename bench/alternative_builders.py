"""Build the same staged docs with MkDocs and with its possible successors, and say what differs.

Material for MkDocs reached end of life in November 2026 and MkDocs 1.x is unmaintained. The
portal keeps every MkDocs line in generator/assemble/mkdocs_builder/; this script measures what
a switch would meet. It runs `portal build` on the demo content (the staged docs stay in
.portal-cache/docs), writes the builder configuration the portal uses (the packaged mkdocs.yml
with absolute paths, the navigation and the staged docs), then runs each builder on it:

    python3 -m venv /tmp/venv-properdocs && /tmp/venv-properdocs/bin/pip install properdocs mkdocs-material==9.8.2 nh3
    python3 -m venv /tmp/venv-zensical && /tmp/venv-zensical/bin/pip install zensical nh3
    .venv/bin/python bench/alternative_builders.py mkdocs=.venv/bin/mkdocs \\
        properdocs=/tmp/venv-properdocs/bin/properdocs zensical=/tmp/venv-zensical/bin/zensical

For each builder it prints the exit code, the seconds taken, the HTML pages written, the pages
MkDocs wrote that it did not (and the reverse), how many shared pages differ in their visible
text (a builder that skips the portal's hooks fails or renders the theme differently).
"""

from __future__ import annotations

import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from generator.assemble.mkdocs_builder.build import NAV  # noqa: E402
from generator.assemble.mkdocs_builder.config import config_text  # noqa: E402
from generator.settings import SiteSettings  # noqa: E402

AS_OF = "2026-11-22"


class _Text(html.parser.HTMLParser):
    """The visible text of a page's article, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.words = 0, []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.words += data.split()


def visible_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return " ".join(parser.words)


def pages(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*.html")} if site.is_dir() else {}


def main(builders: dict[str, str]) -> None:
    work = Path(tempfile.mkdtemp(prefix="portal-builders-"))
    root = work / "repo"
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copyfile(PROJECT / "portal.toml", root / "portal.toml")
    portal = [sys.executable, "-m", "generator", "build", "--as-of", AS_OF, "--root", str(root)]
    subprocess.run(portal, check=True, capture_output=True, cwd=work)
    docs = root / ".portal-cache" / "docs"
    config = yaml.safe_load(config_text(SiteSettings()))
    config.update(docs_dir=docs.name, nav=NAV, site_name="麒麟区安全生产监管信息公开")
    results = {}
    for name, command in builders.items():
        out = docs.parent / f"site-{name}"  # Zensical wants the site inside the project folder
        config_file = docs.parent / f"{name}.yml"  # beside the docs: docs_dir relative to it
        config_file.write_text(yaml.safe_dump({**config, "site_dir": out.name}, allow_unicode=True), encoding="utf-8")
        started = time.perf_counter()
        command = str(Path(command).resolve()) if os.sep in command else command
        ran = subprocess.run([command, "build", "-f", str(config_file)], capture_output=True, text=True, cwd=work,
                             env={**os.environ, "SOURCE_DATE_EPOCH": "1795305600", "PYTHONPATH": str(PROJECT)})
        seconds = time.perf_counter() - started
        built = pages(out)
        results[name] = built
        print(f"## {name}: exit {ran.returncode}, {seconds:.1f} s, {len(built)} HTML pages")
        if ran.returncode != 0:
            print("   " + " | ".join((ran.stdout + ran.stderr).strip().splitlines()[-6:]))
    reference = results.get("mkdocs", {})
    for name, built in results.items():
        if name == "mkdocs" or not built:
            continue
        shared = sorted(set(reference) & set(built))
        differ = [uri for uri in shared if visible_text(reference[uri]) != visible_text(built[uri])]
        print(f"## {name} against mkdocs: {len(set(reference) - set(built))} pages missing, "
              f"{len(set(built) - set(reference))} extra, {len(differ)} of {len(shared)} shared pages differ in text")
        for uri in differ[:5]:
            print(f"   differs: {uri}")
    print(f"(sites kept in {work})")


if __name__ == "__main__":
    main(dict(arg.split("=", 1) for arg in sys.argv[1:]) or {"mkdocs": str(Path(sys.executable).parent / "mkdocs")})
