"""The n-gram lists of the index, made in bounded memory: a roll-up's index covers every
member's pages, and holding all their lists at once grew with the number of pages (about
500 MB at 300 counties, gigabytes at a nation's 2,800).

1. Runs: pages are cut into runs in page order; each run's lists (fragments, encoded but for
   the gap to the run's first page) are written to one file, in sections by partition.
2. Join: each partition's fragments, read from every run in order, are joined into the
   key's payload (only the gap at each join is new). It is written in sections by bucket
   (the key's FNV hash, which also names its shard), with the large payloads apart.
3. Shards: once the total size, hence the shard count, is known, each group of buckets is
   read back and its shard files written, each with its keys sorted.

Memory holds one run, one partition, or one group at a time, in each worker: a partition
and a group are 1/`partitions` of the index. The bytes are the same however the pages are cut.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from generator.search.encoding import deltas, entry, packed, shard_of, varint
from generator.search.extract import SearchPage
from generator.search.normalise import normalise

HEAD = "\n"  # key prefix of the head-only 1- and 2-grams (titles and 文号 rank first); no line holds it
SHARD_BYTES = 24 * 1024  # the average shard a query fetches
_FNV_RANGE = 1 << 32

Fragment = tuple[int, int, int, bytes]  # first page, last page, pages, the encoding after the first gap


@dataclass(frozen=True)
class IndexedPage:
    number: int
    page: SearchPage
    text: str  # head, then the blocks, normalised, one per line
    head: int  # length of the head part of `text`


def indexed(number: int, page: SearchPage) -> IndexedPage:
    head = "\n".join(part for part in (normalise(page.title), normalise(page.number)) if part)
    body = [text for text in (normalise(block) for block in page.blocks) if text]
    return IndexedPage(number, page, "\n".join([head, *body]), len(head))


def run_grams(pages: list[IndexedPage]) -> dict[str, Fragment]:
    """The n-gram lists of a run of pages, each encoded but for its first page's gap."""
    lists: dict[str, list[int]] = defaultdict(list)
    positions: dict[str, list[bytes]] = defaultdict(list)
    for page in pages:
        number, text = page.number, page.text
        seen: set[str] = set()
        at: dict[str, list[int]] = defaultdict(list)
        start = 0
        for line in text.split("\n"):
            seen.update(line)
            seen.update(line[k:k + 2] for k in range(len(line) - 1))
            for k in range(len(line) - 2):
                at[line[k:k + 3]].append(start + k)
            start += len(line) + 1
        for line in text[:page.head].split("\n"):
            seen.update(HEAD + c for c in line)
            seen.update(HEAD + line[k:k + 2] for k in range(len(line) - 1))
        for key in seen:
            lists[key].append(number)
        for key, found in at.items():
            lists[key].append(number)
            positions[key].append(varint(len(found)) + deltas(found))
    fragments: dict[str, Fragment] = {}
    for key, numbers in lists.items():
        first_gap = varint(numbers[0])
        if key in positions:  # a 3-gram: each page's gap, then its positions
            per_page = positions[key]
            rest = per_page[0] + b"".join(varint(b - a - 1) + encoded
                                          for a, b, encoded in zip(numbers, numbers[1:], per_page[1:]))
        else:
            rest = deltas(numbers)[len(first_gap):]
        fragments[key] = (numbers[0], numbers[-1], len(numbers), rest)
    return fragments


class Postings:
    """The spill files of one index build, under `work` (a temporary folder)."""

    def __init__(self, work: Path, partitions: int) -> None:
        assert partitions & (partitions - 1) == 0, "a power of two: a bucket then names its shard"
        self.work = work
        self.partitions = partitions
        (work / "runs").mkdir()
        (work / "joined").mkdir()

    # 1. runs
    def spill_run(self, run: int, fragments: dict[str, Fragment]) -> list[int]:
        """Write a run's fragments, a section per partition; the sections' lengths."""
        # The partition is Python's string hash: fast, and the same in every worker, which are
        # forked from one process. The output does not depend on it.
        sections: list[dict[str, Fragment]] = [{} for _ in range(self.partitions)]
        for key, fragment in fragments.items():
            sections[hash(key) % self.partitions][key] = fragment
        return _write_sections(self.work / "runs" / f"{run}.bin", sections)

    # 2. join
    def join(self, runs: list[list[int]], partition: int) -> tuple[int, list[str], list[int]]:
        """Join one partition's fragments from every run (`runs`: each run's section lengths).
        The total size of its shard entries, its large keys, and its sections' lengths."""
        joined: dict[str, tuple[int, int, list[bytes]]] = {}  # key → (pages, last page, parts)
        for run, lengths in enumerate(runs):
            section: dict[str, Fragment] = _read_section(self.work / "runs" / f"{run}.bin", lengths, partition)
            for key, (first, last, count, rest) in section.items():
                known = joined.get(key)
                if known is None:
                    joined[key] = (count, last, [varint(first), rest])
                else:
                    known[2].append(varint(first - known[1] - 1))
                    known[2].append(rest)
                    joined[key] = (known[0] + count, last, known[2])
        buckets: list[list[tuple[str, int, bytes]]] = [[] for _ in range(self.partitions)]
        large: list[tuple[str, bytes]] = []
        total = 0
        for key in list(joined):
            count, _, parts = joined.pop(key)
            payload = varint(count) + b"".join(parts)
            # A sequence with more than a shard's worth of pages gets a file of its own
            # (h/<n>.bin, listed in index.json): a query for it then fetches it alone, not the
            # other large lists that happened to hash to the same shard.
            if len(payload) > SHARD_BYTES:
                large.append((key, payload))
            else:
                total += len(key) + len(payload)
                fnv = shard_of(key, _FNV_RANGE)
                buckets[fnv % self.partitions].append((key, fnv, payload))
        lengths = _write_sections(self.work / "joined" / f"{partition}.bin", [*buckets, large])
        return total, [key for key, _ in large], lengths

    # 3. shards
    def write_group(self, joined: list[list[int]], shards: int, large_files: dict[str, int],
                    folder: Path, group: int) -> None:
        """Write the shard files of one group of buckets, and the large files of its partitions."""
        groups = min(shards, self.partitions)
        files: dict[int, list[tuple[str, bytes]]] = {n: [] for n in range(group, shards, groups)}
        for partition, lengths in enumerate(joined):
            path = self.work / "joined" / f"{partition}.bin"
            for bucket in range(group, self.partitions, groups):
                for key, fnv, payload in _read_section(path, lengths, bucket):
                    files[fnv % shards].append((key, payload))
            if partition % groups == group:
                for key, payload in _read_section(path, lengths, self.partitions):
                    (folder / "h").mkdir(exist_ok=True)
                    (folder / "h" / f"{large_files[key]}.bin").write_bytes(packed(entry(key, payload)))
        for n, entries in files.items():
            entries.sort()
            (folder / "g" / f"{n}.bin").write_bytes(packed(b"".join(entry(key, payload) for key, payload in entries)))


def shard_count(total: int) -> int:
    shards = 1
    while shards * SHARD_BYTES < total:
        shards *= 2
    return shards


def _write_sections(path: Path, sections: list[object]) -> list[int]:
    lengths = []
    with open(path, "wb") as out:
        for section in sections:
            data = pickle.dumps(section, protocol=pickle.HIGHEST_PROTOCOL)
            out.write(data)
            lengths.append(len(data))
    return lengths


def _read_section(path: Path, lengths: list[int], n: int):  # type: ignore[no-untyped-def]
    """Section n of a file this build wrote (pickle is safe here: it reads only its own files)."""
    with open(path, "rb") as spill:
        spill.seek(sum(lengths[:n]))
        return pickle.loads(spill.read(lengths[n]))
