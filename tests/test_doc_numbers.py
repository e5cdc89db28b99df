"""The 文号 lookup the search page reads (generator/render/doc_numbers.py)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.render.doc_numbers import RECORDS_PER_FILE, normalise, shard_of
from tests.conftest import NON_PUBLIC


def test_numbers_typed_any_common_way_compare_equal() -> None:
    standard = "安委办〔2021〕4号"
    for typed in ("安委办[2021]4号", "安委办（２０２１）４号", "安委办 【2021】 4 号", "安委办〖2021〗4号", standard):
        assert normalise(typed) == standard, typed


def test_the_hash_is_fnv1a_as_search_js_computes_it() -> None:
    # Reference values of 32-bit FNV-1a: "" → 0x811c9dc5, "a" → 0xe40c292c.
    assert shard_of("", 1 << 32) == 0x811C9DC5
    assert shard_of("a", 1 << 32) == 0xE40C292C
    assert 0 <= shard_of("安委办〔2021〕4号", 8) < 8


def test_the_built_lookup_holds_every_public_number_and_nothing_else(built_site: Path) -> None:
    folder = built_site / "data/doc-numbers"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    shards = [json.loads((folder / f"{k}.json").read_text(encoding="utf-8")) for k in range(index["shards"])]
    entries = [(key, entry, k) for k, shard in enumerate(shards) for key, found in shard.items() for entry in found]
    assert len(entries) == index["records"] and index["records"] >= 5
    for key, entry, k in entries:
        assert normalise(entry["number"]) == key and shard_of(key, index["shards"]) == k
        assert (built_site / entry["url"] / "index.html").is_file()  # a public page
        assert entry["url"].rstrip("/").rsplit("/", 1)[1] not in NON_PUBLIC
    assert ("麒安办〔2025〕61号", "evaluations/EV-2025-001/") in {(key, e["url"]) for key, e, _ in entries}
    assert all(sum(len(v) for v in shard.values()) <= RECORDS_PER_FILE * 2 for shard in shards)
