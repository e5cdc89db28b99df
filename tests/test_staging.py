"""The docs dir a build stages into: reused between builds, yet always exactly this build's files."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from generator.assemble.staging import docs_dir_for, stage
from generator.load.cache import CACHE_DIR
from generator.render.data import GeneratedFile
from generator.render.pages import GeneratedPage


def _files(docs: Path) -> set[str]:
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}


def test_a_reused_docs_dir_holds_exactly_the_new_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = [GeneratedPage("index.md", "# 首页\n"), GeneratedPage("accidents/SG-1.md", "# 事故一\n"),
             GeneratedPage("accidents/SG-2.md", "# 事故二\n")]
    stage(first, docs, generated=[GeneratedFile("data/a.json", b"{}\n")])
    (docs / "stray.md").write_text("# 手工放入\n", encoding="utf-8")  # nothing else may survive either
    unchanged = os.stat(docs / "accidents/SG-1.md")

    second = [GeneratedPage("index.md", "# 首页（新）\n"), GeneratedPage("accidents/SG-1.md", "# 事故一\n")]
    stage(second, docs)

    pages = {p for p in _files(docs) if p.endswith(".md")}
    assert pages == {"index.md", "accidents/SG-1.md"}
    assert not (docs / "accidents/SG-2.md").exists()  # a record hidden since: its page is gone
    assert not (docs / "data/a.json").exists() and not (docs / "stray.md").exists()
    assert (docs / "index.md").read_text(encoding="utf-8") == "# 首页（新）\n"
    again = os.stat(docs / "accidents/SG-1.md")
    assert (again.st_ino, again.st_mtime_ns) == (unchanged.st_ino, unchanged.st_mtime_ns)  # not written again
    # The theme's assets are staged always; the published schemas are generated files (render/data.py).
    assert any(p.startswith("assets/") for p in _files(docs))


def test_the_kept_docs_dir_is_used_by_one_build_at_a_time(tmp_path: Path) -> None:
    with docs_dir_for(tmp_path, reuse=True) as docs:
        assert docs == tmp_path / CACHE_DIR / "docs"
        # A second build meanwhile (a preview, say) stages into a folder of its own.
        with docs_dir_for(tmp_path, reuse=True) as other:
            assert other != docs and CACHE_DIR not in other.parts
    # Released: the next build gets it again; without reuse, always a new folder.
    with docs_dir_for(tmp_path, reuse=True) as docs:
        assert docs == tmp_path / CACHE_DIR / "docs"
        with open(tmp_path / CACHE_DIR / "docs.lock", "wb") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                raise AssertionError("the lock should be held")
            except BlockingIOError:
                pass
    with docs_dir_for(tmp_path, reuse=False) as fresh:
        assert CACHE_DIR not in fresh.parts
