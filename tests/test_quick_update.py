"""`portal serve` updates only the changed pages after an edit: they must be byte for byte what
a whole build writes, and anything a page update cannot do safely goes to a whole build."""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator.assemble.quick_update import QuickUpdate
from generator.file_check import KnownFiles
from generator.load.discover import discover
from generator.pipeline import check
from generator.site_build import BuildResult, ProcessMemory, build
from tests.conftest import AS_OF_DATE, NON_PUBLIC

RECORD = "content/accidents/SG-2025-009.md"


def _first_build(root: Path, site: Path) -> tuple[ProcessMemory, BuildResult, QuickUpdate]:
    memory = ProcessMemory()
    result = build(root, AS_OF_DATE, site, memory=memory)
    assert result.report.ok and result.state is not None
    return memory, result, QuickUpdate(root, site, root / ".portal-cache/preview/pages")


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _pages(site: Path) -> dict[str, bytes]:
    """Every HTML page and theme file: all but the search index and the data downloads and feeds,
    which a quick update leaves to the whole build that follows it."""
    found = {}
    for folder, _, names in os.walk(site):
        rel_folder = Path(folder).relative_to(site).as_posix()
        if rel_folder.split("/")[0] in ("search-index", "data", "feeds"):
            continue
        for name in names:
            found[f"{rel_folder}/{name}"] = (Path(folder) / name).read_bytes()
    return found


def test_updated_pages_are_what_a_whole_build_writes(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "preview"
    memory, first, quick = _first_build(demo_root, site)
    before = _pages(site)
    # A new sentence in the body and a changed title: the record's page, the lists and
    # indices that show the title, the home page's latest records.
    _append(demo_root, RECORD, "\n预览中新增的一句话。\n")
    _edit(demo_root, RECORD, "title: ", "title: 修订")
    updated = quick.run(AS_OF_DATE, memory, first.state)
    assert updated is not None and updated.report.ok and updated.state is not None
    assert memory.render.reused > 0  # unchanged pages came from the render memo

    whole = tmp_path / "whole"
    assert build(demo_root, AS_OF_DATE, whole, use_cache=False).report.ok
    after, expected = _pages(site), _pages(whole)
    assert after.keys() == expected.keys()
    differing = [rel for rel in expected if after[rel] != expected[rel]]
    assert differing == []
    changed = {rel for rel in after if after[rel] != before[rel]}
    assert "accidents/SG-2025-009.md" in updated.updated and "accidents/index.md" in updated.updated
    assert "accidents/SG-2025-009/index.html" in changed and "accidents/index.html" in changed
    assert "预览中新增的一句话" in after["accidents/SG-2025-009/index.html"].decode("utf-8")
    assert len(changed) < len(after) / 2  # only what shows the record was written

    # A second edit goes on from the state the first left.
    _append(demo_root, RECORD, "\n第二次修改。\n")
    again = quick.run(AS_OF_DATE, memory, updated.state)
    assert again is not None and again.report.ok
    assert "第二次修改" in (site / "accidents/SG-2025-009/index.html").read_text(encoding="utf-8")


def test_what_a_page_update_cannot_do_safely_needs_a_whole_build(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "preview"
    memory, first, quick = _first_build(demo_root, site)
    page = site / "accidents/SG-2025-009/index.html"
    # A public record hidden: its page must go, and what is secret changed.
    _edit(demo_root, RECORD, "status: published", "status: submitted")
    assert quick.run(AS_OF_DATE, memory, first.state) is None
    assert page.is_file()  # untouched until the whole build
    hidden = build(demo_root, AS_OF_DATE, site, memory=memory)
    assert hidden.report.ok and not page.exists()

    # A draft edited: no page changes, but the leak guard's secrets do.
    _edit(demo_root, RECORD, "status: submitted", "status: published")
    shown = build(demo_root, AS_OF_DATE, site, memory=memory)
    assert shown.report.ok and page.is_file()
    draft = next(p.relative_to(demo_root).as_posix() for p in (demo_root / "content").rglob("EV-2026-008.md"))
    # (A run of 16 or more characters: the guard's fingerprints of hidden text.)
    _append(demo_root, draft, "\n草稿中新增的内容在审核通过之前不可以对外公开发布。\n")
    assert quick.run(AS_OF_DATE, memory, shown.state) is None

    # A new record: a page added.
    (demo_root / "content/accidents/SG-2025-099.md").write_text(
        (demo_root / RECORD).read_text(encoding="utf-8").replace("SG-2025-009", "SG-2025-099"), encoding="utf-8")
    assert quick.run(AS_OF_DATE, memory, shown.state) is None


def test_errors_and_drafts_never_reach_the_site(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "preview"
    memory, first, quick = _first_build(demo_root, site)
    before = _pages(site)
    _edit(demo_root, RECORD, "status: published", "status: publishd")
    refused = quick.run(AS_OF_DATE, memory, first.state)
    assert refused is not None and not refused.report.ok
    assert any(d.code == "E902" for d in refused.report.diagnostics)
    assert _pages(site) == before
    # Drafts' sentinels: nothing a page update wrote holds them.
    _edit(demo_root, RECORD, "status: publishd", "status: published")
    _append(demo_root, RECORD, "\n再次保存。\n")
    updated = quick.run(AS_OF_DATE, memory, first.state)
    assert updated is not None and updated.report.ok
    text = "\n".join(page.decode("utf-8", errors="replace") for page in _pages(site).values())
    for record_id, sentinel in NON_PUBLIC.items():
        assert sentinel not in text, record_id


def test_known_files_are_read_again_when_they_change(demo_root: Path) -> None:
    known = KnownFiles()
    assert check(demo_root, AS_OF_DATE, use_cache=False, known=known).report.ok
    sources = {source.rel: source for source in discover(demo_root)}
    record = sources[RECORD]
    old = time.time_ns() - 10_000_000_000
    for source in sources.values():
        os.utime(source.path, ns=(old, old))
    assert check(demo_root, AS_OF_DATE, use_cache=False, known=known).report.ok
    assert known.get(record, _signature(record.path), AS_OF_DATE) is not None
    assert not known.outcomes[RECORD][2]  # saved long before the check: trusted by its signature
    assert known.get(record, _signature(record.path), AS_OF_DATE.replace(day=23)) is None  # another day

    _edit(demo_root, RECORD, "status: published", "status: publishd")
    assert known.get(record, _signature(record.path), AS_OF_DATE) is None
    report = check(demo_root, AS_OF_DATE, use_cache=False, known=known).report
    assert any(d.path == RECORD and d.code.startswith("E20") for d in report.errors)
    # Saved just before the check: a second save in the same clock tick with the same size
    # would have the same signature, so its bytes are compared before it is trusted.
    assert known.outcomes[RECORD][2]
    saved = _signature(record.path)
    _edit(demo_root, RECORD, "status: publishd", "status: publisht")
    os.utime(record.path, ns=(saved[0], saved[0]))
    assert _signature(record.path) == saved
    assert known.get(record, saved, AS_OF_DATE) is None
    report = check(demo_root, AS_OF_DATE, use_cache=False, known=known).report
    assert any(d.path == RECORD and "publisht" in d.message + d.message_en for d in report.errors), report


def test_a_failed_background_build_reports_its_errors_not_its_warnings() -> None:
    from generator.commands.preview import errors_only

    output = ("-:1:1: E903 错误 公开站点中出现未公开记录的内容 X\n    The site holds text of a record that is not public\n"
              "content/accidents/SG-1.md:3:1: W506 警告 [items[0].deadline] 已过期\n    Overdue\n    提示：督促 | Hint: x\n"
              "content/accidents/SG-2.md:4:2: E201 错误 [status] 取值无效\n    Invalid\n"
              "检查了 2 个文件：2 个错误，1 个警告 | checked 2 files: 2 errors, 1 warnings\n")
    kept = errors_only(output)
    assert "E903" in kept and "E201" in kept and "Invalid" in kept and "checked 2 files" in kept
    assert "W506" not in kept and "Overdue" not in kept and "督促" not in kept


def _signature(path: Path) -> tuple[int, int, int]:
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size, stat.st_ino
