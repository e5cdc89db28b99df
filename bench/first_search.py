"""What a reader's first search downloads and how long it takes, measured in headless Chromium.

Usage: python bench/first_search.py SITE_DIR [QUERY...] [-v]
Serves SITE_DIR on a local port and, for each query (default 坍塌), opens the search page with
it in a fresh browser context with the CPU throttled 4× (DevTools' Emulation.setCPUThrottlingRate,
a phone's speed), then prints: the files fetched from the search index and the page's search
script, raw and as a static host sends them (gzip level 6; the .bin shards are sent as they are,
most hosts do not compress them), and the query time: from the search starting (the page's
script loaded) to the first results shown, median of three fresh contexts. Needs Debian's
chromium and Playwright (the test extra).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

THROTTLE = 4
RUNS = 3


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _is_search(url: str) -> bool:
    return "/search-index/" in url or url.endswith("/assets/search.js")


def _one(browser: object, base: str, query: str) -> tuple[dict[str, bytes], int, float, str]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    bodies: dict[str, bytes] = {}
    page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if _is_search(r.url) else None)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    # Timed in the page: from the search script's first line to the status that announces results.
    page.add_init_script("""
      window.__started = 0; window.__done = 0;
      new MutationObserver(() => {
        const s = document.querySelector('.portal-search-status');
        if (!window.__started && s && s.textContent.includes('正在搜索')) { window.__started = performance.now(); }
        if (window.__started && !window.__done && s && (s.textContent.startsWith('找到') || s.textContent.startsWith('没有找到'))) {
          window.__done = performance.now(); }
      }).observe(document, { subtree: true, childList: true, characterData: true });""")
    page.goto(f"{base}/search/?q={quote(query)}", wait_until="networkidle")
    page.wait_for_function("window.__done > 0", timeout=120000)
    elapsed = page.evaluate("window.__done - window.__started")
    status = page.locator(".portal-search-status").inner_text()
    results = page.locator(".portal-search-result").count()
    context.close()
    return bodies, results, elapsed, status


def main(site: Path, queries: list[str]) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for query in queries:
                runs = [_one(browser, base, query) for _ in range(RUNS)]
                bodies, results, _, status = runs[0]
                if "-v" in sys.argv:
                    for url, body in sorted(bodies.items(), key=lambda item: -len(item[1])):
                        print(f"{len(body):>8} {url.split('/', 3)[3]}")
                raw = sum(len(b) for b in bodies.values())
                wire = sum(len(b) if url.endswith(".bin") else len(gzip.compress(b, 6)) for url, b in bodies.items())
                median = statistics.median(elapsed for _, _, elapsed, _ in runs)
                print(f"first search for {query}: {status}, {len(bodies)} files, {raw / 1024:.0f} KiB raw, "
                      f"{wire / 1024:.0f} KiB over the wire, {median:.0f} ms to results at {THROTTLE}x CPU throttling")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "-v"]
    main(Path(arguments[0]), arguments[1:] or ["坍塌"])
