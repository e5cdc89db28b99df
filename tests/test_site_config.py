"""Pins of the attack surface the site configuration and templates expose (HAZARDS.md X10–X12)."""

from __future__ import annotations

import re

import yaml

from generator.render.environment import md_escape
from tests.conftest import PROJECT

# Ours last: it only skips inline patterns for text they could not match (same HTML).
ALLOWED_EXTENSIONS = ["tables", "admonition", "fenced_code", "toc", "generator.assemble.fast_inline"]


def _mkdocs_config() -> dict:
    return yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_only_allowlisted_markdown_extensions() -> None:
    names = [e if isinstance(e, str) else next(iter(e)) for e in _mkdocs_config()["markdown_extensions"]]
    # attr_list, md_in_html, pymdownx.snippets and friends pass attributes, HTML or files through.
    assert names == ALLOWED_EXTENSIONS


def test_only_known_plugins_and_hooks() -> None:
    config = _mkdocs_config()
    assert [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]] == []  # search is our own index, written by portal build
    assert config["hooks"] == ["generator/assemble/mkdocs_builder/hooks.py"]
    assert config["theme"]["font"] is False  # no Google Fonts


def test_templates_mark_only_known_fragments_trusted() -> None:
    uses = []
    for template in sorted((PROJECT / "site_templates").rglob("*.j2")) + sorted(
            (PROJECT / "site_templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        uses += [(template.name, m) for m in re.findall(r"\{\{[^}]*\|\s*(?:safe|safe_md)\b[^}]*\}\}", text)]
        assert "Markup(" not in text
    # The body is Markdown for MkDocs (then sanitized); schema field paths are ours.
    assert sorted(uses) == [("_attachments.md.j2", "{{ a.sha256|safe_md }}"),  # schema: ^[0-9a-f]{64}$
                            ("_history.md.j2", "{{ commit.sha|safe_md }}"),  # hex from git log
                            ("_history.md.j2", "{{ file_history.last.sha|safe_md }}"),
                            ("_history.md.j2", "{{ publish_commit.sha|safe_md }}"),
                            ("accident.md.j2", "{{ body|safe_md }}"),
                            # grade badges: a class from a fixed map and a grade from the schema's enum
                            ("campaign.md.j2", "{{ ('<span class=\"grade ' ~ grade_class[g.grade] ~ '\">' ~ g.grade ~ '</span>')|safe_md }}"),
                            ("campaign.md.j2", "{{ ('<span class=\"grade ' ~ grade_class[g.grade] ~ '\">' ~ g.grade ~ '</span>')|safe_md }}"),
                            ("campaign.md.j2", "{{ body|safe_md }}"), ("credit.md.j2", "{{ body|safe_md }}"),
                            ("data.md.j2", "{{ c.key|safe_md }}"),  # a schema's property name or our own key
                            ("directive.md.j2", "{{ body|safe_md }}"),
                            ("enforcement.md.j2", "{{ body|safe_md }}"), ("evaluation.md.j2", "{{ body|safe_md }}"),
                            ("rectification.md.j2", "{{ body|safe_md }}"),
                            ("schemas.md.j2", "{{ f.path|safe_md }}")]


def test_md_escape_neutralises_markdown_and_html() -> None:
    hostile = '[点我](javascript:alert(1)) <script>alert("t")</script> | **x** `y`'
    escaped = md_escape(hostile)
    assert "<" not in escaped and "](" not in escaped and "|" not in escaped.replace("\\|", "")
    import markdown

    rendered = markdown.markdown(escaped, extensions=["tables"])
    assert "<a" not in rendered and "<script" not in rendered and "<strong" not in rendered
    assert "javascript:alert" in rendered  # shown as text, harmless


def test_only_the_builder_package_imports_mkdocs() -> None:
    """Every MkDocs line sits behind generator/assemble/builder.py, so the builder stays swappable."""
    import ast

    package = PROJECT / "generator"
    importers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name == "mkdocs" or name.startswith(("mkdocs.", "material")) for name in names):
                importers.add(path.relative_to(package).parent.as_posix())
    assert importers == {"assemble/mkdocs_builder"}
