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
  about half), and search.js unpacks them (DecompressionStream);
- p/<n>.json: one page's title, address, date, kind and text blocks, for its result;
- facets.json: each filter's values and their pages, fetched when a filter is used;
- pages.bin: every page's record (address, title, date, 文号, filters, blocks), a JSON line
  each, gzip-compressed: what a roll-up re-indexes (index.json gives its size and SHA-256).
Pages are numbered newest first, so "newer first" is the order of their numbers.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.cores import forked_map, worker_count

from generator.search.extract import SearchPage
from generator.search.normalise import normalise, traditional_to_simplified

FOLDER = "search-index"
FORMAT = 1
PAGES_FILE = "pages.bin"  # every page's record, one JSON line each, gzip-compressed
HEAD = "\n"  # key prefix of the head-only 1- and 2-grams (titles and 文号 rank first); no line holds it
SHARD_BYTES = 24 * 1024  # the average shard a query fetches
_PARALLEL_FROM = 500  # pages: below this, one process


@dataclass(frozen=True)
class IndexedPage:
    number: int
    page: SearchPage
    text: str  # head, then the blocks, normalised, one per line
    head: int  # length of the head part of `text`


def build_index(pages: list[SearchPage], filter_names: list[str]) -> dict[str, bytes]:
    """Every file of the index, by its path under the site root."""
    # Newest first (pages without a date last), then by address: a stable sort on each.
    ordered = sorted(sorted(pages, key=lambda p: p.url), key=lambda p: p.date, reverse=True)
    indexed = [_indexed(number, page) for number, page in enumerate(ordered)]
    grams = _grams(indexed)
    # A sequence with more than a shard's worth of pages gets a file of its own (h/<n>.bin,
    # listed in index.json): a query for it then fetches it alone, not the other large lists
    # that happened to hash to the same shard.
    large = sorted(key for key, payload in grams.items() if len(payload) > SHARD_BYTES)
    shards = 1
    total = sum(len(key) + len(payload) for key, payload in grams.items() if len(payload) <= SHARD_BYTES)
    while shards * SHARD_BYTES < total:
        shards *= 2
    files: list[list[bytes]] = [[] for _ in range(shards)]
    for key in sorted(set(grams) - set(large)):
        files[shard_of(key, shards)].append(_entry(key, grams[key]))
    out = {f"{FOLDER}/g/{n}.bin": _gzip(b"".join(entries)) for n, entries in enumerate(files)}
    out.update({f"{FOLDER}/h/{n}.bin": _gzip(_entry(key, grams[key])) for n, key in enumerate(large)})
    # Every page in one file, for a roll-up's cross-site search (generator/rollup/): it
    # re-indexes its members' pages from these without rebuilding them.
    pages_file = _gzip(b"".join(_json(page_record(entry.page)) + b"\n" for entry in indexed))
    out[f"{FOLDER}/{PAGES_FILE}"] = pages_file
    table = traditional_to_simplified()
    out[f"{FOLDER}/index.json"] = _json({
        "format": FORMAT, "pages": len(indexed), "shards": shards, "large": large, "filters": filter_names,
        "pages_file": {"bytes": len(pages_file), "sha256": hashlib.sha256(pages_file).hexdigest()},
        "traditional": "".join(table), "simplified": "".join(table.values())})
    out[f"{FOLDER}/heads.bin"] = _gzip(b"".join(_varint(entry.head) for entry in indexed))
    for entry in indexed:
        page = entry.page
        out[f"{FOLDER}/p/{entry.number}.json"] = _json({
            "url": page.url, "title": page.title, "date": page.date, "number": page.number,
            "kind": (page.filters.get("类别") or [""])[0], "blocks": page.blocks,
            "labels": {str(block): label for block, label in sorted(page.labels.items())}, "cells": page.cells})
    out[f"{FOLDER}/facets.json"] = _json(_facets(indexed, filter_names))
    return out


def page_record(page: SearchPage) -> dict[str, object]:
    """A page as the pages file holds it (read back by page_from_record)."""
    return {"url": page.url, "title": page.title, "date": page.date, "number": page.number,
            "filters": page.filters, "blocks": page.blocks,
            "labels": {str(block): label for block, label in sorted(page.labels.items())}, "cells": page.cells}


def page_from_record(value: dict[str, Any]) -> SearchPage:
    return SearchPage(value["url"], value["title"], value["date"], value["number"], value["filters"],
                      value["blocks"], {int(block): label for block, label in value["labels"].items()},
                      value["cells"])


def _entry(key: str, payload: bytes) -> bytes:
    encoded = key.encode("utf-8")
    return _varint(len(encoded)) + encoded + _varint(len(payload)) + payload


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32-bit) of the key's UTF-8 bytes, as search.js computes it."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def _indexed(number: int, page: SearchPage) -> IndexedPage:
    head = "\n".join(part for part in (normalise(page.title), normalise(page.number)) if part)
    body = [text for text in (normalise(block) for block in page.blocks) if text]
    return IndexedPage(number, page, "\n".join([head, *body]), len(head))


def _grams(pages: list[IndexedPage]) -> dict[str, bytes]:
    """Each n-gram's payload. Pages are shared out in runs, a run to a core; each run's lists
    come back encoded, and are joined in page order (only the gap at each join is new)."""
    workers = worker_count(len(pages), _PARALLEL_FROM)
    size = -(-len(pages) // max(1, workers * 4)) or 1
    runs = [(start, min(start + size, len(pages))) for start in range(0, len(pages), size)]
    joined: dict[str, tuple[int, int, list[bytes]]] = {}  # key → (pages, last page, parts)
    for fragments in forked_map(partial(_run_grams, pages), runs, workers, chunksize=1):
        for key, (first, last, count, rest) in fragments.items():
            known = joined.get(key)
            if known is None:
                joined[key] = (count, last, [_varint(first), rest])
            else:
                known[2].append(_varint(first - known[1] - 1))
                known[2].append(rest)
                joined[key] = (known[0] + count, last, known[2])
    return {key: _varint(count) + b"".join(parts) for key, (count, _, parts) in joined.items()}


Fragment = tuple[int, int, int, bytes]  # first page, last page, pages, the encoding after the first gap


def _run_grams(pages: list[IndexedPage], run: tuple[int, int]) -> dict[str, Fragment]:
    """The n-gram lists of pages[start:end], each encoded but for its first page's gap."""
    lists: dict[str, list[int]] = defaultdict(list)
    positions: dict[str, list[bytes]] = defaultdict(list)
    for entry in pages[run[0]:run[1]]:
        number, text = entry.number, entry.text
        seen: set[str] = set()
        at: dict[str, list[int]] = defaultdict(list)
        start = 0
        for line in text.split("\n"):
            seen.update(line)
            seen.update(line[k:k + 2] for k in range(len(line) - 1))
            for k in range(len(line) - 2):
                at[line[k:k + 3]].append(start + k)
            start += len(line) + 1
        for line in text[:entry.head].split("\n"):
            seen.update(HEAD + c for c in line)
            seen.update(HEAD + line[k:k + 2] for k in range(len(line) - 1))
        for key in seen:
            lists[key].append(number)
        for key, found in at.items():
            lists[key].append(number)
            positions[key].append(_varint(len(found)) + _deltas(found))
    fragments: dict[str, Fragment] = {}
    for key, numbers in lists.items():
        gaps = _deltas(numbers)
        first_gap = _varint(numbers[0])
        if key in positions:  # a 3-gram: each page's gap, then its positions
            per_page = positions[key]
            rest = per_page[0] + b"".join(_varint(b - a - 1) + encoded
                                          for a, b, encoded in zip(numbers, numbers[1:], per_page[1:]))
        else:
            rest = gaps[len(first_gap):]
        fragments[key] = (numbers[0], numbers[-1], len(numbers), rest)
    return fragments


def _deltas(values: list[int]) -> bytes:
    """Sorted numbers as the gaps between them (the first from -1, minus one), as varints."""
    gaps = [b - a - 1 for a, b in zip([-1, *values], values)]
    try:
        return b"".join(map(_VARINTS.__getitem__, gaps))  # a table lookup each, in C
    except IndexError:
        return b"".join(map(_varint, gaps))


def _varint(value: int) -> bytes:
    return _VARINTS[value] if value < 0x10000 else _encode(value)


def _encode(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


# Every varint below 65,536 (one to three bytes), made once: encoding is most of indexing.
_VARINTS = tuple(_encode(value) for value in range(1 << 16))


def _facets(pages: list[IndexedPage], names: list[str]) -> dict[str, dict[str, list[int]]]:
    """For each filter, each value's pages as gaps (the first from -1, minus one)."""
    facets: dict[str, dict[str, list[int]]] = {}
    for name in names:
        values: dict[str, list[int]] = defaultdict(list)
        for entry in pages:
            for value in dict.fromkeys(entry.page.filters.get(name, [])):
                values[value].append(entry.number)
        facets[name] = {value: [b - a - 1 for a, b in zip([-1, *numbers], numbers)]
                        for value, numbers in sorted(values.items())}
    return facets


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, 6, mtime=0)  # no time stamp: the same bytes every build


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
