"""The site's search index: character n-grams of every record page's normalised text, sharded
so that a query fetches only the few files its characters hash to (search.js reads them).

Why n-grams and not words: Chinese has no spaces, and a reader's query may be any part of a
word (化工 in 化工贸易) or cut differently from the page. A page matches a term when the term
is in its normalised text (normalise.py), which needs no word list:
- a term of one or two characters: the page's list under that n-gram is the answer;
- a longer term: its 3-grams at offsets 0, 3, 6, … and the last one cover every character,
  and their positions must line up (position p, p+3, …) in the same page.
So every page that contains the term is found and no other, and the count is the true one.

Files (all under search/, byte-identical for the same pages):
- index.json: how many pages and shards, the normalising table, the filters' names;
- heads.bin: for each page, the length of its head (title and 文号) at the start of its
  text: a match there ranks first;
- g/<shard>.bin: n-gram entries, each [key length][key][payload length][payload], with
  varints; a payload lists pages (delta-coded), and for 3-grams each page's positions;
  h/<n>.bin: one such entry each, for the n-th of index.json's "large" sequences.
  The .bin files are gzip-compressed (static hosts send .bin as it is; positions shrink to
  about half), and search.js unpacks them (DecompressionStream); encoding.py writes them;
- p/<n>.json: one page's title, address, date, kind and text blocks, for its result;
- facets.json: each filter's values and their pages, fetched when a filter is used;
- pages.bin: every page's record (address, title, date, 文号, filters, blocks), a JSON line
  each, gzip-compressed: what a roll-up re-indexes (index.json gives its size and SHA-256).
Pages are numbered newest first, so "newer first" is the order of their numbers.

Memory stays bounded however many pages there are: the pages wait on disk (page_store.py),
and the n-gram lists are made a run of pages at a time and joined a partition at a time
(postings.py), in a temporary folder beside the site's.
"""

from __future__ import annotations

import hashlib
import tempfile
import zlib
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Iterable

from generator.cores import forked_map, worker_count
from generator.search.encoding import GZIP, compact_json, packed, varint
from generator.search.extract import SearchPage
from generator.search.normalise import traditional_to_simplified
from generator.search.page_store import PageStore, page_from_record, page_record
from generator.search.postings import HEAD, Postings, indexed, run_grams, shard_count

__all__ = ["FOLDER", "FORMAT", "HEAD", "PAGES_FILE", "page_from_record", "page_record", "write_index"]

FOLDER = "search-index"
FORMAT = 1
PAGES_FILE = "pages.bin"  # every page's record, one JSON line each, gzip-compressed
RUN_PAGES = 1000  # pages a worker indexes at a time: what it holds is about one run's lists
PARTITION_PAGES = 2000  # pages' worth of lists a partition holds, roughly
_PARALLEL_FROM = 500  # pages: below this, one process

Facets = dict[str, dict[str, list[int]]]  # filter → value → its pages


def write_index(pages: Iterable[SearchPage], filter_names: list[str], site_dir: Path,
                run_pages: int = RUN_PAGES, partitions: int = 0) -> int:
    """Write every file of the index under site_dir/search-index/; the number of pages.
    `run_pages` and `partitions` (a power of two) change the memory used, not the bytes."""
    folder = site_dir / FOLDER
    for sub in ("g", "p"):  # h/ only when a list is large
        (folder / sub).mkdir(parents=True, exist_ok=True)
    # Beside the site being built and named after it (.site-new-…-search-work-…): ignored by
    # Git as the build folder is, and removed with it if a build is killed (swap.recover).
    with tempfile.TemporaryDirectory(dir=site_dir.parent, prefix=f"{site_dir.name}-search-work-") as work:
        store = PageStore(Path(work) / "pages.jsonl", pages)
        count = len(store)
        workers = worker_count(count, _PARALLEL_FROM)
        # Several runs a worker, so that the workers finish together.
        size = max(1, min(run_pages, -(-count // (workers * 4))))
        runs = [(start, min(start + size, count)) for start in range(0, count, size)]
        postings = Postings(Path(work), partitions or _partitions(count))
        done = forked_map(partial(_index_run, store, postings, folder, filter_names), list(enumerate(runs)),
                          workers, chunksize=1)
        joined = forked_map(partial(postings.join, [lengths for lengths, _, _ in done]),
                            range(postings.partitions), workers, chunksize=1)
        shards = shard_count(sum(total for total, _, _ in joined))
        large = sorted(key for _, keys, _ in joined for key in keys)
        forked_map(partial(postings.write_group, [lengths for _, _, lengths in joined], shards,
                           {key: n for n, key in enumerate(large)}, folder),
                   range(min(shards, postings.partitions)), workers, chunksize=1)
        pages_file = _write_pages_file(store, runs, folder / PAGES_FILE)
    table = traditional_to_simplified()
    (folder / "index.json").write_bytes(compact_json({
        "format": FORMAT, "pages": count, "shards": shards, "large": large, "filters": filter_names,
        "pages_file": pages_file, "traditional": "".join(table), "simplified": "".join(table.values())}))
    (folder / "heads.bin").write_bytes(packed(b"".join(heads for _, heads, _ in done)))
    facets: Facets = {name: defaultdict(list) for name in filter_names}
    for _, _, run_facets in done:
        for name, values in run_facets.items():
            for value, numbers in values.items():
                facets[name][value] += numbers
    (folder / "facets.json").write_bytes(compact_json({
        name: {value: [b - a - 1 for a, b in zip([-1, *numbers], numbers)] for value, numbers in sorted(values.items())}
        for name, values in facets.items()}))
    return count


def _partitions(pages: int) -> int:
    partitions = 1
    while partitions * PARTITION_PAGES < pages and partitions < 256:
        partitions *= 2
    return partitions


def _index_run(store: PageStore, postings: Postings, folder: Path, filter_names: list[str],
               numbered_run: tuple[int, tuple[int, int]]) -> tuple[list[int], bytes, Facets]:
    """Index one run of pages: write their result files and spill their n-gram lists; the
    spill's section lengths, the pages' head lengths and their filter values."""
    run, (start, end) = numbered_run
    entries = [indexed(start + k, page) for k, page in enumerate(store.pages(start, end))]
    facets: Facets = {name: defaultdict(list) for name in filter_names}
    for item in entries:
        page = item.page
        (folder / "p" / f"{item.number}.json").write_bytes(compact_json({
            "url": page.url, "title": page.title, "date": page.date, "number": page.number,
            "kind": (page.filters.get("类别") or [""])[0], "blocks": page.blocks,
            "labels": {str(block): label for block, label in sorted(page.labels.items())}, "cells": page.cells}))
        for name in filter_names:
            for value in dict.fromkeys(page.filters.get(name, [])):
                facets[name][value].append(item.number)
    lengths = postings.spill_run(run, run_grams(entries))
    return lengths, b"".join(varint(item.head) for item in entries), {k: dict(v) for k, v in facets.items()}


def _write_pages_file(store: PageStore, runs: list[tuple[int, int]], path: Path) -> dict[str, object]:
    """Every page in one file, for a roll-up's cross-site search (generator/rollup/): it
    re-indexes its members' pages from these without rebuilding them."""
    packer = zlib.compressobj(6, zlib.DEFLATED, GZIP)  # as packed(), a run at a time
    with open(path, "wb") as out:
        for start, end in runs:
            out.write(packer.compress(b"".join(store.lines(start, end))))
        out.write(packer.flush())
    digest = hashlib.sha256()
    with open(path, "rb") as written:
        for block in iter(lambda: written.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
