"""A strict YAML loader for front matter.

PyYAML's defaults are wrong for a publication gate (../shared/HAZARDS.md §2):
duplicate keys silently keep the last value, `NO` becomes False, `0012` becomes
10, dates become `date` objects, aliases expand. We compose the node graph with
every implicit resolver removed (so every plain scalar arrives as a string), then
build JSON-compatible values ourselves with YAML 1.2 core typing: only `true`,
`false`, `null`, decimal integers without leading zeros and plain decimals are
typed; everything else, dates included, stays a string for the schema to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, Union

import yaml

from generator.diagnostics import Diagnostic, make

JSONValue = Union[None, bool, int, float, str, list["JSONValue"], dict[str, "JSONValue"]]
FieldPath = tuple[Union[str, int], ...]

try:
    _BaseLoader: type = yaml.CSafeLoader  # libyaml: several times faster
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _NoImplicitLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers: dict = {}

    # With no resolvers every untagged node gets its kind's default tag. Saying so directly
    # spares the composer three Python calls per node (a sixth of loading time).
    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# YAML 1.1 booleans other than true/false: PyYAML (and so MkDocs) reads `NO` as False.
# YAML's spellings of not-a-number and infinity (1.1 and 1.2 alike): a float no figure is, and
# text nobody means (HAZARDS.md Y08). Refused unquoted, wherever they stand.
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_YAML11_BOOL = re.compile(r"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|True|TRUE|False|FALSE")
_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+")
_MAX_DEPTH = 20
_DEFAULT_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


class Position(NamedTuple):
    line: int  # 1-based file line
    column: int  # 1-based


# A position as stored: (line, column), 1-based. Made a Position only when a diagnostic asks.
LineColumn = tuple[int, int]


@dataclass(frozen=True)
class LoadedYaml:
    data: dict[str, JSONValue]
    warnings: tuple[Diagnostic, ...]
    # Where each key (`keys`) and each value (`values`) starts in the file, as plain
    # (line, column) pairs: LoadedDocument makes a Position of the few a diagnostic asks for.
    keys: dict[FieldPath, LineColumn]
    values: dict[FieldPath, LineColumn]
    # None: every key and value is in `keys` and `values`; a number: only those whose field
    # path is at most that long (a shallow record, cheap to take along).
    positions_depth: int | None = None


class _Reject(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message_en)
        self.diagnostic = diagnostic


class _Builder:
    def __init__(self, path: str, first_line: int, positions: bool = True, depth: int | None = None) -> None:
        self.path = path
        self.first_line = first_line
        # Off for files only read for repository-wide facts: recording every node's
        # position is most of the cost of loading, and nothing is reported for them.
        # `depth`: only paths at most this long (None: all).
        self.record_to = (_MAX_DEPTH + 1 if depth is None else depth) if positions else -1
        self.keys: dict[FieldPath, LineColumn] = {}
        self.values: dict[FieldPath, LineColumn] = {}

    def pos(self, node: yaml.Node) -> Position:
        return Position(self.first_line + node.start_mark.line, node.start_mark.column + 1)

    def where(self, node: yaml.Node) -> LineColumn:
        # A plain tuple: a hazard list records thousands, and a NamedTuple costs twice as much.
        mark = node.start_mark
        return self.first_line + mark.line, mark.column + 1

    def reject(self, code: str, node: yaml.Node, **values: Any) -> _Reject:
        p = self.pos(node)
        return _Reject(make(code, self.path, p.line, p.column, **values))

    def build(self, node: yaml.Node, path: FieldPath) -> JSONValue:
        if len(path) > _MAX_DEPTH:
            raise self.reject("E207", node, detail=f"嵌套超过 {_MAX_DEPTH} 层 / nested deeper than {_MAX_DEPTH}",
                              title="", field=dotted(path))
        # No alias can reach here: load_yaml refuses every anchor and alias before composing.
        if len(path) <= self.record_to:
            self.values[path] = self.where(node)
        kind = type(node)
        if kind is yaml.ScalarNode:
            if node.tag != _STR:
                raise self.reject("E110", node, tag=node.tag)
            value = node.value
            # Quoted and block scalars are strings; so is a plain one that starts with none of
            # the characters a typed or refused value starts with (most text, all Chinese).
            if node.style or (value and value[0] not in _TYPED_FIRST):
                return value
            if _YAML11_BOOL.fullmatch(value):
                raise self.reject("E115", node, value=value, field=dotted(path))
            if _NON_FINITE.fullmatch(value):
                raise self.reject("E122", node, value=value, field=dotted(path))
            return _plain_scalar(value)
        if kind is yaml.MappingNode:
            return self.build_mapping(node, path)
        if node.tag != _SEQ:
            raise self.reject("E110", node, tag=node.tag)
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]

    def build_mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, JSONValue]:
        if node.tag != _MAP:
            raise self.reject("E110", node, tag=node.tag)
        result: dict[str, JSONValue] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR:
                raise self.reject("E111", key_node, key=getattr(key_node, "value", "?"))
            key = key_node.value
            if not key_node.style and not _plain_key_ok(key):
                if key == "<<":
                    raise self.reject("E107", key_node, detail="merge key <<")
                raise self.reject("E111", key_node, key=key)
            child = path + (key,)
            if key in result:
                first_line = self.keys.get(child, (0, 0))[0]
                raise self.reject("E105", key_node, field=dotted(child), first_line=first_line)
            if len(child) <= self.record_to:
                self.keys[child] = self.where(key_node)
            result[key] = self.build(value_node, child)
        return result


# Every plain scalar that YAML 1.2 core typing, the YAML 1.1 boolean check or the non-finite
# check acts on starts with one of these (null, ~, true, false, numbers, y/yes/no/on/off, .nan …).
_TYPED_FIRST = frozenset("~-+.0123456789tfnyYNoOTF")


@lru_cache(maxsize=4096)
def _plain_key_ok(key: str) -> bool:
    # A plain key that YAML 1.2 would type as a number, bool or null is not a field name,
    # and `<<` is a merge key. Keys repeat from file to file: the answer is remembered.
    return key != "<<" and _plain_scalar(key) == key


def _plain_scalar(value: str) -> JSONValue:
    """YAML 1.2 core typing of a plain scalar; anything else stays a string."""
    if value in ("", "~", "null"):
        return None
    if value == "true":
        return True
    if value == "false":
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def dotted(path: FieldPath) -> str:
    """`measures[2].verdict` style path, as shown to users in the `field` column."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _find_anchor(text: str) -> yaml.Event | None:
    """First anchor or alias event, scanned only when the text could hold one."""
    if "&" not in text and "*" not in text:
        return None
    try:
        for event in yaml.parse(text, Loader=_NoImplicitLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return event
    except (yaml.YAMLError, RecursionError):
        return None  # compose below reports the syntax error precisely
    return None


def load_yaml(text: str, path: str, first_line: int, positions: bool = True,
              depth: int | None = None) -> LoadedYaml | Diagnostic:
    """`depth`: record the positions of field paths at most this long only (None: all)."""
    anchor = _find_anchor(text)
    if anchor is not None:
        return make("E107", path, first_line + anchor.start_mark.line, anchor.start_mark.column + 1,
                    detail="alias *" if isinstance(anchor, yaml.AliasEvent) else "anchor &")
    try:
        node = yaml.compose(text, Loader=_NoImplicitLoader)
    except yaml.MarkedYAMLError as exc:
        return _syntax_error(exc, text, path, first_line)
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return make("E104", path, line=first_line, problem=type(exc).__name__)
    if node is None:
        return make("E109", path, line=first_line, kind="空内容 / nothing")
    builder = _Builder(path, first_line, positions, depth)
    if not isinstance(node, yaml.MappingNode):
        p = builder.pos(node)
        fullwidth = _fullwidth_colon(text, path, first_line)
        if fullwidth is not None:
            return fullwidth
        kind = "列表 / a list" if isinstance(node, yaml.SequenceNode) else "一段文字 / a single text"
        return make("E109", path, p.line, p.column, kind=kind)
    try:
        data = builder.build_mapping(node, ())
    except _Reject as rejected:
        return rejected.diagnostic
    except RecursionError:
        return make("E104", path, line=first_line, problem="嵌套过深 / nested too deeply")
    return LoadedYaml(data=data, warnings=tuple(_hash_comments(text, path, first_line)),
                      keys=builder.keys, values=builder.values, positions_depth=depth if positions else None)


_FULLWIDTH_KEY = re.compile(r"^\s*(?:- )?[\w\u4e00-\u9fff-]+\s*：", re.MULTILINE)
_FULLWIDTH_PROBLEM = "使用了全角冒号“：”，请改为半角冒号加空格“: ” / full-width colon after a key: use ': '"


def _fullwidth_colon(text: str, path: str, first_line: int) -> Diagnostic | None:
    """An IME's full-width colon turns `key：value` into plain text (HAZARDS.md Y12): name that line."""
    match = _FULLWIDTH_KEY.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start())
    return make("E104", path, first_line + line, 1, problem=_FULLWIDTH_PROBLEM)


# `title: 第2次评估 #2 复核` loses everything from " #" (HAZARDS.md Y13). A comment
# written as "# text" is normal; "#" directly followed by text inside a value is not.
_HASH_IN_VALUE = re.compile(r"^(\s*(?:- )?[\w-]+:[ \t]+)([^'\"\s#|>&*!\[{][^#]*?)[ \t]+#(\S.*)$")


_HASH_AFTER_SPACE = re.compile(r"[ \t]#\S")  # on every line the pattern above matches


def _hash_comments(text: str, path: str, first_line: int) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if not _HASH_AFTER_SPACE.search(text):
        return found
    for offset, line in enumerate(text.split("\n")):
        match = _HASH_IN_VALUE.match(line)
        if match:
            kept = match.group(2)
            found.append(make("W119", path, first_line + offset, len(match.group(1)) + 1,
                              value=kept + " #" + match.group(3), kept=kept))
    return found


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Diagnostic:
    fullwidth = _fullwidth_colon(text, path, first_line)
    if fullwidth is not None:
        return fullwidth
    mark = exc.problem_mark or exc.context_mark
    line = first_line + (mark.line if mark else 0)
    column = (mark.column + 1) if mark else 1
    problem = exc.problem or str(exc)
    if "'\\t'" in problem or "\t" in text.split("\n")[mark.line if mark else 0]:
        return make("E106", path, line, column)
    if "found undefined alias" in problem or "found undefined anchor" in problem:
        return make("E107", path, line, column, detail="alias")
    if "expected a single document" in problem or "but found another document" in problem:
        problem = "元数据中出现了第二个 ---，只能有一个元数据块 / a second --- inside front matter"
    return make("E104", path, line, column, problem=problem)
