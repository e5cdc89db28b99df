"""`portal serve`: a real server process on the demo, edited while it runs."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

from generator.commands.preview import VERSION_PATH, Preview, snapshot
from tests.conftest import AS_OF, AS_OF_DATE, NON_PUBLIC, PROJECT


def _lines(stream: object) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _wait_for(what: Callable[[], object], seconds: float = 90) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_serve_previews_the_public_site_and_follows_edits(demo_root: Path) -> None:
    command = [sys.executable, "-m", "generator", "serve", "--as-of", AS_OF, "--port", "0", "--interval", "0.2",
               "--root", str(demo_root)]
    process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8")
    out, err = _lines(process.stdout), _lines(process.stderr)
    seen_err: list[str] = []
    try:
        def announced() -> str | None:
            while not out.empty():
                line = out.get()
                if "预览地址" in line:
                    return line.split("预览地址 ", 1)[1].split("（", 1)[0]
            return None

        base = str(_wait_for(announced))
        assert base.startswith("http://127.0.0.1:")
        status, page = _get(base + "accidents/SG-2025-009/")
        assert status == 200 and "麒麟区" in page
        # Nothing unpublished is previewed: the same gate and guard as the public build.
        for record_id in NON_PUBLIC:
            collection = {"SG": "accidents", "EV": "evaluations", "ZG": "rectifications", "ZF": "enforcement",
                          "XY": "credit"}[record_id[:2]]
            assert _get(f"{base}{collection}/{record_id}/")[0] == 404, record_id

        # Open pages reload themselves: the served HTML asks for the build number; the file
        # on disk is exactly what `portal build` writes.
        assert VERSION_PATH in page and "本地预览" in page
        on_disk = (demo_root / ".portal-cache/preview/site/accidents/SG-2025-009/index.html").read_text(encoding="utf-8")
        assert VERSION_PATH not in on_disk and "本地预览" not in on_disk
        first = json.loads(_get(base + VERSION_PATH.lstrip("/"))[1])["version"]

        record = demo_root / "content/accidents/SG-2025-009.md"
        record.write_text(record.read_text(encoding="utf-8") + "\n预览中新增的一句话。\n", encoding="utf-8")
        _wait_for(lambda: "预览中新增的一句话" in _get(base + "accidents/SG-2025-009/")[1])
        seen_out: list[str] = []

        def said(text: str) -> bool:
            while not out.empty():
                seen_out.append(out.get())
            return any(text in line for line in seen_out)

        # Only the changed pages at first; then a whole build in the background brings the
        # search index and the downloads up to date, and open pages reload again.
        _wait_for(lambda: said("已更新预览中有变化的页面"))
        assert any("changed pages updated" in line for line in seen_out)
        _wait_for(lambda: said("搜索索引和数据下载已更新"))
        assert json.loads(_get(base + VERSION_PATH.lstrip("/"))[1])["version"] == first + 2
        assert "预览中新增的一句话" in _get(base + "data/accidents-1.json")[1]

        # A save with an error keeps the last good preview and says why.
        good = record.read_text(encoding="utf-8")
        record.write_text(good.replace("status: published", "status: publishd", 1), encoding="utf-8")

        def reported() -> bool:
            while not err.empty():
                seen_err.append(err.get())
            return any("预览未更新" in line for line in seen_err)

        _wait_for(reported)
        assert any("SG-2025-009.md" in line and "E20" in line for line in seen_err), seen_err
        assert "预览中新增的一句话" in _get(base + "accidents/SG-2025-009/")[1]
        # A build with errors is not a new build: open pages stay as they are.
        assert json.loads(_get(base + VERSION_PATH.lstrip("/"))[1])["version"] == first + 2
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 0
    rest = "".join(out.get() for _ in range(out.qsize()))
    assert "已停止预览" in rest
    assert (demo_root / ".portal-cache/preview/site/index.html").is_file()


def test_a_change_is_seen_once_saving_settles(demo_root: Path) -> None:
    preview = Preview(demo_root, lambda: AS_OF_DATE, demo_root / "preview-site")
    assert not preview.changed()
    record = demo_root / "content/accidents/SG-2025-009.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert preview.changed()
    assert not preview.changed()  # seen: not reported twice
    (demo_root / "content/accidents/SG-2025-009.md").unlink()
    assert preview.changed()  # a deletion is a change too
    assert str(record) not in snapshot(demo_root)


def test_a_taken_port_is_refused_before_any_build(demo_root: Path) -> None:
    import socket

    from tests.conftest import run_portal

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_portal("serve", "--as-of", AS_OF, "--port", str(port), root=demo_root)
    assert result.exit_code == 1 and "无法在端口" in result.stderr and "--port" in result.stderr
    assert not (demo_root / ".portal-cache" / "preview" / "site" / "index.html").exists()
