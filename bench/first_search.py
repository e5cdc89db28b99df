"""What a reader's first search downloads, measured in headless Chromium.

Usage: python bench/first_search.py SITE_DIR [QUERY]
Serves SITE_DIR on a local port, opens the search page with the query (default 坍塌), waits
for the results and prints the files fetched from the search index bundles, raw and as a
static host would send them (scripts and JSON gzipped at level 6; index files are compressed
already). Needs Debian's chromium and Playwright (the test extra).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _is_search(url: str) -> bool:
    # The index bundles, the 文号 lookup and the search page's own script.
    return "/pagefind" in url or "/data/doc-numbers/" in url or url.endswith("/assets/search.js")


def main(site: Path, query: str) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bodies: dict[str, bytes] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if _is_search(r.url) else None)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={quote(query)}", wait_until="networkidle")
            page.wait_for_selector(".portal-search-result", timeout=60000)
            page.wait_for_load_state("networkidle")
            results = page.locator(".portal-search-result").count()
            browser.close()
    finally:
        server.shutdown()
    if "-v" in sys.argv:
        for url, body in sorted(bodies.items(), key=lambda item: -len(item[1])):
            print(f"{len(body):>8} {url.split('/', 3)[3]}")
    raw = sum(len(b) for b in bodies.values())
    # Index files (.pf_*) are gzip-compressed already and sent as they are; the rest a host compresses.
    wire = sum(len(b) if ".pf_" in url else len(gzip.compress(b, 6)) for url, b in bodies.items())
    print(f"first search for {query}: {results} results shown, {len(bodies)} files, "
          f"{raw / 1024:.0f} KiB raw, {wire / 1024:.0f} KiB gzipped")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "坍塌")
