"""The build's search stage: read the record pages of the built site (generator/search/extract.py)
and write the search index beside them (generator/search/index.py).

It reads the built HTML, so it can only index what the publication gate let through, and
only record pages (those marked data-portal-search by the theme override). Pages are read on
every core for a large site; the index is written in one process, deterministically.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from generator.assemble.tree import files_under
from generator.cores import forked_map, worker_count
from generator.search.extract import MARK, SearchPage, read_page
from generator.search.index import FOLDER, write_index

# The filters of the search page, in its order (generator/render/writer.py search_filters).
FILTER_NAMES = ["类别", "辖区", "年度", "行业领域", "状态"]
_PARALLEL_FROM = 400  # pages: below this, forking costs more than it saves
_CHUNK = 64


def write_search_index(site_dir: Path) -> int:
    """Index the record pages of `site_dir` into site_dir/search/; the number of pages indexed."""
    paths = [rel for rel in files_under(site_dir, ".html") if not rel.startswith(FOLDER + "/")]
    read = partial(_read, site_dir)
    pages = [page for page in forked_map(read, paths, worker_count(len(paths), _PARALLEL_FROM), _CHUNK) if page]
    return write_index(pages, FILTER_NAMES, site_dir)


def _read(site_dir: Path, rel: str) -> SearchPage | None:
    data = (site_dir / rel).read_bytes()
    if MARK not in data:
        return None
    url = rel.removesuffix("index.html")
    return read_page(url, data)
