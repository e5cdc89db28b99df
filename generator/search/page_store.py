"""The pages being indexed, kept on disk: a roll-up indexes every member's pages (tens of
thousands), more than it should hold in memory. Each page is written once as its pages-file
record (a JSON line); only its sort key and place in the file stay in memory, and the
indexer reads the pages back a run at a time, in index order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from generator.search.encoding import compact_json
from generator.search.extract import SearchPage


def page_record(page: SearchPage) -> dict[str, object]:
    """A page as the pages file holds it (read back by page_from_record)."""
    return {"url": page.url, "title": page.title, "date": page.date, "number": page.number,
            "filters": page.filters, "blocks": page.blocks,
            "labels": {str(block): label for block, label in sorted(page.labels.items())}, "cells": page.cells}


def page_from_record(value: dict[str, object]) -> SearchPage:
    labels = value["labels"]
    assert isinstance(labels, dict)
    return SearchPage(value["url"], value["title"], value["date"], value["number"],  # type: ignore[arg-type]
                      value["filters"], value["blocks"],  # type: ignore[arg-type]
                      {int(block): label for block, label in labels.items()}, value["cells"])  # type: ignore[arg-type]


class PageStore:
    """Pages in index order: newest first (pages without a date last), then by address."""

    def __init__(self, path: Path, pages: Iterable[SearchPage]) -> None:
        self.path = path
        found: list[tuple[str, str, int, int]] = []  # date, address, offset, length
        offset = 0
        with open(path, "wb") as out:
            for page in pages:
                line = compact_json(page_record(page)) + b"\n"
                out.write(line)
                found.append((page.date, page.url, offset, len(line)))
                offset += len(line)
        found.sort(key=lambda item: item[1])
        found.sort(key=lambda item: item[0], reverse=True)  # stable: the address order stays within a date
        self.places = [(start, length) for _, _, start, length in found]

    def __len__(self) -> int:
        return len(self.places)

    def lines(self, start: int, end: int) -> list[bytes]:
        """The records of pages start..end-1 (by number), each a JSON line."""
        with open(self.path, "rb") as store:
            read = []
            for offset, length in self.places[start:end]:
                store.seek(offset)
                read.append(store.read(length))
            return read

    def pages(self, start: int, end: int) -> list[SearchPage]:
        return [page_from_record(json.loads(line)) for line in self.lines(start, end)]
