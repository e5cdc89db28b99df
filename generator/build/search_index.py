"""Index the built site with Pagefind (extended: it segments Chinese text into words).

Pagefind writes a static, sharded index under pagefind/: a reader's first query
downloads only the shards it needs, not one index of the whole site. It reads the
built HTML, so it can only index what the publication gate let through, and only
record pages (those marked data-pagefind-body by the theme override).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
                               capture_output=True, text=True)
    if completed.returncode != 0:
        raise SearchIndexError(f"pagefind exited with {completed.returncode}: {completed.stderr.strip()[-500:]}")
