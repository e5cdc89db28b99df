"""A site rendered by several MkDocs processes is the site one process renders, and fails as one."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.assemble.mkdocs_builder.build as mkdocs_build
import generator.site_build
from tests.conftest import PROJECT
from tests.conftest import build as _build
from tests.test_build_site import _digest


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if ".shard-" in p.name or p.name.startswith(".site"))


def test_three_processes_build_the_same_bytes_as_one(built_site: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shared: list[dict[str, int]] = []
    share_out = mkdocs_build._share_out
    monkeypatch.setattr(mkdocs_build, "_share_out", lambda *a: shared.append(share_out(*a)) or shared[-1])
    monkeypatch.setenv("PORTAL_WORKERS", "3")
    site = tmp_path / "site"
    result = _build(PROJECT, site)
    assert result.exit_code == 0, result.output
    assert sorted(set(shared[0].values())) == [0, 1, 2]  # every process had pages
    assert _digest(site) == _digest(built_site)
    assert _leftovers(site) == []


@pytest.mark.parametrize("owner", [0, 1])
def test_a_strict_warning_in_any_process_fails_the_build_and_is_named(
        demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: int) -> None:
    from generator.render.pages import GeneratedPage, render_pages

    def broken_link(*args, **kwargs):  # type: ignore[no-untyped-def]
        return render_pages(*args, **kwargs) + [GeneratedPage("broken.md", "# x\n\n[x](nowhere-at-all.md)\n")]

    share_out = mkdocs_build._share_out
    monkeypatch.setattr(mkdocs_build, "_share_out", lambda *a: {**share_out(*a), "broken.md": owner})
    monkeypatch.setattr(generator.site_build, "render_pages", broken_link)
    monkeypatch.setenv("PORTAL_WORKERS", "2")
    site = tmp_path / "site"
    result = _build(demo_root, site)
    assert result.exit_code == 1 and "E901" in result.stderr
    assert "nowhere-at-all.md" in result.stderr
    assert not site.exists() and _leftovers(site) == []


def test_a_page_no_process_wrote_fails_the_build(demo_root: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    share_out = mkdocs_build._share_out
    # An owner beyond the processes started: nobody renders the home page.
    monkeypatch.setattr(mkdocs_build, "_share_out", lambda *a: {**share_out(*a), "index.md": 5})
    monkeypatch.setenv("PORTAL_WORKERS", "2")
    site = tmp_path / "site"
    result = _build(demo_root, site)
    assert result.exit_code == 1 and "E901" in result.stderr and "index.md" in result.stderr
    assert not site.exists() and _leftovers(site) == []
