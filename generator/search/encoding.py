"""The byte encodings of the search index's files (index.py describes the files): varints,
gap-coded page lists, n-gram entries, the shard a key hashes to, and the compression."""

from __future__ import annotations

import json
import zlib


def varint(value: int) -> bytes:
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


def deltas(values: list[int]) -> bytes:
    """Sorted numbers as the gaps between them (the first from -1, minus one), as varints."""
    gaps = [b - a - 1 for a, b in zip([-1, *values], values)]
    try:
        return b"".join(map(_VARINTS.__getitem__, gaps))  # a table lookup each, in C
    except IndexError:
        return b"".join(map(varint, gaps))


def entry(key: str, payload: bytes) -> bytes:
    """[key length][key][payload length][payload], as a shard file holds each n-gram."""
    encoded = key.encode("utf-8")
    return varint(len(encoded)) + encoded + varint(len(payload)) + payload


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32-bit) of the key's UTF-8 bytes, as search.js computes it."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


GZIP = 31  # zlib's window bits for a gzip stream: a header without a time stamp or file name


def packed(data: bytes) -> bytes:
    """Gzip without a time stamp or file name: the same bytes every build."""
    return zlib.compress(data, 6, GZIP)


def compact_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
