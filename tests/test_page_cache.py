"""Pages copied from the last build are exactly the pages a full build would write."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.assemble.mkdocs_builder.build as mkdocs_build
from tests.conftest import AS_OF, run_portal
from tests.test_build_site import _digest


def _build(root: Path, site: Path, as_of: str = AS_OF, *extra: str) -> None:
    result = run_portal("build", "--as-of", as_of, "--site-dir", str(site), *extra, root=root)
    assert result.exit_code == 0, result.output


@pytest.fixture
def reused(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The pages each build copied instead of rendering."""
    seen: list[set[str]] = []
    real = mkdocs_build.page_cache.reusable

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real(*args, **kwargs)
        seen.append(set(found))
        return found

    monkeypatch.setattr(mkdocs_build.page_cache, "reusable", spy)
    return seen


def test_an_edited_record_renders_again_and_the_rest_is_reused(demo_root: Path, tmp_path: Path,
                                                              reused: list[set[str]]) -> None:
    site = tmp_path / "site"
    _build(demo_root, site)
    record = demo_root / "content/accidents/SG-2024-001.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n补充说明：页面缓存测试。\n", encoding="utf-8")
    _build(demo_root, site)
    assert reused[0] == set() and len(reused[1]) > 20
    assert "accidents/SG-2024-001.md" not in reused[1] and "evaluations/index.md" in reused[1]
    assert "页面缓存测试" in (site / "accidents/SG-2024-001/index.html").read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    _build(demo_root, fresh, AS_OF, "--no-cache")
    assert _digest(site) == _digest(fresh)


def test_another_day_reuses_only_what_is_byte_for_byte_the_same(demo_root: Path, tmp_path: Path,
                                                               reused: list[set[str]]) -> None:
    site = tmp_path / "site"
    _build(demo_root, site, "2026-11-21")
    _build(demo_root, site, AS_OF)  # a day on: the deadline tables count another day
    assert len(reused[1]) > 20 and "deadlines.md" not in reused[1]
    _build(demo_root, site, "2026-06-01")  # months back: other records public, other files, nothing reused
    assert reused[2] == set()
    for as_of in (AS_OF, "2026-06-01"):
        _build(demo_root, site, as_of)
        fresh = tmp_path / f"fresh-{as_of}"
        _build(demo_root, fresh, as_of, "--no-cache")
        assert _digest(site) == _digest(fresh)


def test_a_page_edited_in_the_site_is_rendered_again(demo_root: Path, tmp_path: Path,
                                                     reused: list[set[str]]) -> None:
    site = tmp_path / "site"
    _build(demo_root, site)
    page = site / "accidents/SG-2024-001/index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace("</body>".encode(), b"<p>tampered</p></body>"))
    _build(demo_root, site)
    assert "accidents/SG-2024-001.md" not in reused[1] and "accidents/SG-2024-002.md" in reused[1]
    assert page.read_bytes() == original


def test_a_failing_indexer_fails_the_build_and_leaves_nothing_behind(demo_root: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.search.index as search_index

    site = tmp_path / "site"
    _build(demo_root, site)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    record = demo_root / "content/accidents/SG-2024-001.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n补充说明：索引失败测试。\n", encoding="utf-8")

    def failing(pages: object) -> object:  # after the pages are stored and the work files begun
        raise OSError("索引失败")

    monkeypatch.setattr(search_index, "run_grams", failing)
    result = run_portal("build", "--as-of", AS_OF, "--site-dir", str(site), root=demo_root)
    assert result.exit_code == 1 and "E901" in result.stderr and "索引失败" in result.stderr
    # The old site is untouched; no half-built site, index or index work files are left beside it.
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
