"""One source file → LoadedDocument (JSON-compatible data with positions) or diagnostics."""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostic, make
from generator.load.cache import pack_positions, unpack_positions
from generator.load.decode import DecodedText, decode
from generator.load.discover import COLLECTIONS, LEDGER_COLLECTIONS, SourceFile
from generator.load.frontmatter import SplitDocument, split
from generator.load.strict_yaml import FieldPath, JSONValue, LineColumn, LoadedYaml, Position, load_yaml
from generator.settings import LimitSettings


@dataclass(frozen=True)
class LoadedDocument:
    path: str
    collection: str
    data: dict[str, JSONValue]
    keys: dict[FieldPath, LineColumn]
    values: dict[FieldPath, LineColumn]
    body: str
    body_first_line: int
    source_bytes: bytes
    warnings: tuple[Diagnostic, ...] = ()
    # Most documents come without all their positions (recording them all is a fifth of loading
    # time, and most valid files never need one). When a diagnostic asks, they are unpacked
    # from `packed_positions` (found by a worker, or kept by the check cache) or, for a path
    # deeper than those known (`positions_depth`; None: all are), found by reading the front
    # matter of `source_bytes` again.
    packed_positions: bytes | None = None
    positions_depth: int | None = None

    def _positions(self, path: FieldPath) -> tuple[dict[FieldPath, LineColumn], dict[FieldPath, LineColumn]]:
        if not self.keys and not self.values and self.packed_positions is not None:
            keys, values, depth = unpack_positions(self.packed_positions)
            self._know(keys, values, depth, self.packed_positions)
        depth = self.positions_depth
        if (not self.keys and not self.values) or (depth is not None and len(path) > depth):
            keys, values = _read_positions(self.source_bytes, self.path)
            self._know(keys, values, None, None)
        return self.keys, self.values

    def _know(self, keys: dict[FieldPath, LineColumn], values: dict[FieldPath, LineColumn], depth: int | None,
              packed: bytes | None) -> None:
        # Positions are filled in as they are found: the document is otherwise immutable.
        self.keys.clear()
        self.keys.update(keys)
        self.values.clear()
        self.values.update(values)
        object.__setattr__(self, "positions_depth", depth)
        object.__setattr__(self, "packed_positions", packed)

    def positions_blob(self) -> bytes | None:
        """The positions known, packed (for the check cache or another process); None if none are."""
        if self.packed_positions is not None:
            return self.packed_positions
        if not self.keys and not self.values:
            return None
        return pack_positions(self.keys, self.values, self.positions_depth)

    def key_position(self, path: FieldPath) -> Position:
        """Where the key of `path` stands; falls back to its nearest ancestor."""
        keys, values = self._positions(path)
        while path:
            if path in keys:
                return Position(*keys[path])
            if path in values:
                return Position(*values[path])
            path = path[:-1]
        return Position(1, 1)

    def value_position(self, path: FieldPath) -> Position:
        _, values = self._positions(path)
        while path:
            if path in values:
                return Position(*values[path])
            path = path[:-1]
        return Position(1, 1)


def _read_positions(raw: bytes, path: str) -> tuple[dict[FieldPath, LineColumn], dict[FieldPath, LineColumn]]:
    """Where every key and value of the front matter stands, from bytes that loaded before
    (so no limit applies again); nothing when they do not load (a document made in a test)."""
    decoded = decode(raw, path, max_bytes=len(raw))
    parts = split(decoded.text, path) if isinstance(decoded, DecodedText) else None
    loaded = load_yaml(parts.front_matter, path, parts.fm_first_line) if isinstance(parts, SplitDocument) else None
    return (loaded.keys, loaded.values) if isinstance(loaded, LoadedYaml) else ({}, {})


def load_document(source: SourceFile, limits: LimitSettings, positions: bool = True,
                  raw: bytes | None = None, depth: int | None = None) -> LoadedDocument | Diagnostic:
    """`raw`: the file's bytes when the caller has read them already (the check cache does)."""
    if source.symlink_target is not None:
        return make("E117", source.rel, target=source.symlink_target)
    if source.nested_repository:
        return make("E118", source.rel)
    if source.collection is None:
        return make("E114", source.rel, collections=", ".join(f"content/{c}/" for c in COLLECTIONS))
    if raw is None:
        raw = source.path.read_bytes()
    # A hazard ledger holds thousands of items in one file (a province's major-hazard database).
    ledger = source.collection in LEDGER_COLLECTIONS
    max_file = limits.max_ledger_bytes if ledger else limits.max_file_bytes
    max_front_matter = limits.max_ledger_bytes if ledger else limits.max_front_matter_bytes
    decoded = decode(raw, source.rel, max_file)
    if not isinstance(decoded, DecodedText):
        return decoded
    parts = split(decoded.text, source.rel)
    if isinstance(parts, Diagnostic):
        return parts
    size = len(parts.front_matter.encode("utf-8"))
    if size > max_front_matter:
        return make("E116", source.rel, size=size, limit=max_front_matter)
    loaded = load_yaml(parts.front_matter, source.rel, parts.fm_first_line, positions, depth)
    if not isinstance(loaded, LoadedYaml):
        return loaded
    return LoadedDocument(
        path=source.rel,
        collection=source.collection,
        data=loaded.data,
        keys=loaded.keys,
        values=loaded.values,
        body=parts.body,
        body_first_line=parts.body_first_line,
        source_bytes=raw,
        warnings=loaded.warnings,
        positions_depth=loaded.positions_depth,
    )
