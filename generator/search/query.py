"""Searching a built index from Python, by the same steps as search.js: the tests hold the
index to its promise (every page containing the query, no other) on large corpora with it,
and a roll-up or a script can query a published site's index without a browser."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from generator.search.encoding import shard_of
from generator.search.index import HEAD
from generator.search.normalise import query_terms


class IndexReader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.info = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        self._heads: list[int] | None = None
        self._large_files = {key: n for n, key in enumerate(self.info.get("large", []))}

    def search(self, query: str) -> list[int]:
        """The numbers of the pages holding every term: title and 文号 matches first, then
        the others, each newest first."""
        terms = query_terms(query)
        if not terms:
            return []
        matches = [self.match(term) for term in terms]
        pages = set(matches[0][0]).intersection(*(m[0] for m in matches[1:]))
        head = {page for page in pages if any(page in m[1] for m in matches)}
        return sorted(pages, key=lambda page: (page not in head, page))

    def urls(self, query: str) -> list[str]:
        """The addresses of the pages `search` finds, in its order."""
        return [str(self.page(number)["url"]) for number in self.search(query)]

    def page(self, number: int) -> dict[str, object]:
        return json.loads((self.folder / "p" / f"{number}.json").read_text(encoding="utf-8"))

    def match(self, term: str) -> tuple[list[int], set[int]]:
        """The pages holding `term`, and those holding it in their title or 文号."""
        if len(term) <= 2:
            return _pages(self.entry(term)), set(_pages(self.entry(HEAD + term)))
        offsets = list(range(0, len(term) - 2, 3))
        if offsets[-1] != len(term) - 3:
            offsets.append(len(term) - 3)
        lists = [_positions(self.entry(term[o:o + 3])) for o in offsets]
        heads = self.heads()
        pages, head = [], set()
        for page, starts in lists[0].items():
            others = [set(found[page]) for found in lists[1:] if page in found]
            if len(others) != len(lists) - 1:
                continue
            hits = [p for p in starts if all(p + o in other for o, other in zip(offsets[1:], others))]
            if hits:
                pages.append(page)
                if hits[0] + len(term) <= heads[page]:
                    head.add(page)
        return sorted(pages), head

    def entry(self, key: str) -> bytes | None:
        large = self._large_files.get(key)
        name = f"h/{large}.bin" if large is not None else f"g/{shard_of(key, self.info['shards'])}.bin"
        data = gzip.decompress((self.folder / name).read_bytes())
        wanted = key.encode("utf-8")
        at = 0
        while at < len(data):
            length, at = _varint(data, at)
            found = data[at:at + length]
            at += length
            size, at = _varint(data, at)
            if found == wanted:
                return data[at:at + size]
            at += size
        return None

    def heads(self) -> list[int]:
        if self._heads is None:
            data, at, self._heads = gzip.decompress((self.folder / "heads.bin").read_bytes()), 0, []
            while at < len(data):
                value, at = _varint(data, at)
                self._heads.append(value)
        return self._heads


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def _pages(payload: bytes | None) -> list[int]:
    if payload is None:
        return []
    count, at = _varint(payload, 0)
    out, page = [], -1
    for _ in range(count):
        gap, at = _varint(payload, at)
        page += gap + 1
        out.append(page)
    return out


def _positions(payload: bytes | None) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    if payload is None:
        return out
    count, at = _varint(payload, 0)
    page = -1
    for _ in range(count):
        gap, at = _varint(payload, at)
        page += gap + 1
        n, at = _varint(payload, at)
        found, position = [], -1
        for _ in range(n):
            step, at = _varint(payload, at)
            position += step + 1
            found.append(position)
        out[page] = found
    return out
