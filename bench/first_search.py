"""What a reader's first search downloads and how long it takes, measured in headless Chromium.

Usage: python bench/first_search.py SITE_DIR [QUERY...] [-v]
Serves SITE_DIR on a local port and, for each query (default 坍塌), opens the search page in a
fresh browser context with the CPU throttled 4× (DevTools' Emulation.setCPUThrottlingRate, a
phone's speed), lets it load, submits the query and prints: the files fetched from the search
index and the page's search script, raw and as a static host sends them (gzip level 6 for JSON
and scripts; the .bin shards are gzip-compressed already), and the query time: from submitting
to the count shown with the first results, median of three fresh contexts (so every run is a
first search, nothing cached). Needs Debian's
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


def _one(browser: object, base: str, query: str, keep_bodies: bool = False) -> tuple[dict[str, bytes], int, float, str]:
    """Open the search page, let it settle, then submit the query: its files and its time."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    bodies: dict[str, bytes] = {}
    if keep_bodies:
        page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if _is_search(r.url) else None)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    page.goto(f"{base}/search/", wait_until="networkidle")
    # Timed in the page: from the form's submission to the status announcing the results.
    elapsed = page.evaluate("""query => new Promise(resolve => {
      const status = document.querySelector('.portal-search-status');
      const observer = new MutationObserver(() => {
        if (status.textContent.startsWith('找到') || status.textContent.startsWith('没有找到')) {
          observer.disconnect(); resolve(performance.now() - started); }
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
      document.querySelector('#portal-search-input').value = query;
      const started = performance.now();
      document.querySelector('.portal-search-form').requestSubmit();
    })""", query)
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
                bodies, results, _, status = _one(browser, base, query, keep_bodies=True)
                # Timed without keeping the bodies: reading them over DevTools slows the page.
                runs = [_one(browser, base, query) for _ in range(RUNS)]
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
