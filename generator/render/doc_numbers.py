"""A lookup of public records by 文号 for the search page: data/doc-numbers/.

Readers often search for a document by its number, 安委办〔2021〕4号, and want that one
document. Full-text search splits such a number into several words and fetches an index
shard for each word from each index bundle (327 KiB at 10,000 records). The search page
looks the number up here first: one small file, chosen by a hash of the normalised number
(search.js computes the same hash), holds every public record with that number.

Built from the PublicView only, like every other data file, and scanned by the leak guard.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from generator.load.discover import folder_of
from generator.publish import PublicView
from generator.render.data import GeneratedFile, json_file, page_url
from generator.render.pages import doc_number_of
from generator.render.writer import KIND_ZH

FOLDER = "data/doc-numbers"
RECORDS_PER_FILE = 64  # about 10 KB a file: what a 文号 search downloads
_OPENING = str.maketrans({"[": "〔", "(": "〔", "【": "〔", "〖": "〔", "]": "〕", ")": "〕", "】": "〕", "〗": "〕"})
_SPACE = re.compile(r"\s+")


def normalise(number: str) -> str:
    """The form numbers are compared in: full-width letters and digits as ASCII (NFKC), no
    spaces, and any bracket around the year as 〔〕, the form GB/T 9704 prescribes."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", number)).translate(_OPENING)


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32-bit) of the UTF-8 bytes: simple enough to compute the same in search.js."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def render_doc_numbers(view: PublicView) -> list[GeneratedFile]:
    by_number: dict[str, list[dict[str, Any]]] = {}
    for record in sorted(view.records, key=lambda r: r.id):
        number = doc_number_of(record)
        if not number:
            continue
        by_number.setdefault(normalise(number), []).append({
            "number": number, "title": record.title, "kind": KIND_ZH[record.collection],
            "url": page_url(f"{folder_of(record.collection)}/{record.id}.md")})
    count = sum(len(entries) for entries in by_number.values())
    shards = 1
    while shards * RECORDS_PER_FILE < count:  # a power of two, so the files stay even
        shards *= 2
    files: list[dict[str, list[dict[str, Any]]]] = [{} for _ in range(shards)]
    for key, entries in sorted(by_number.items()):
        files[shard_of(key, shards)][key] = entries
    out = [GeneratedFile(f"{FOLDER}/index.json", json_file({"shards": shards, "records": count}))]
    out += [GeneratedFile(f"{FOLDER}/{k}.json", json_file(content)) for k, content in enumerate(files)]
    return out

