"""One member's published open data: read, checked against the member's own catalog, and
summarised into what the roll-up shows. A file that is missing, malformed, or not what the
catalog's SHA-256 says gets a coded error naming the member; the member is then left out,
and the others still build.

The summary keeps only what the roll-up's pages need (counts, overdue rows, grades, credit
entries, yearly figures), so memory grows with those and not with the members' records; the
member's search pages are written to a spool file in the cache, read again at indexing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from generator.diagnostics import Diagnostic, make
from generator.rollup.sources import Fetched, Source, Unreadable
from generator.search.index import FORMAT as SEARCH_FORMAT, PAGES_FILE
from generator.render.catalog import CATALOG_FORMAT

CATALOG = "data/catalog.json"
SEARCH_HEAD = "search-index/index.json"
MAX_CATALOG = 4 * 1024 * 1024
MAX_FILE = 256 * 1024 * 1024  # one data file; the catalog states each one's size anyway
MAX_PAGES_TEXT = 1024 * 1024 * 1024  # the search pages, unpacked
_FILE_NAME = re.compile(r"[a-z]+(-[0-9]+)?\.(json|csv)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# A page address inside a member's site: relative, no scheme, no way out of the site.
_PAGE = re.compile(r"(?!.*\.\.)[A-Za-z0-9._~%/-]*/(#[A-Za-z0-9_-]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class MemberError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class MemberSummary:
    title: str
    publisher: str
    site_url: str
    as_of: str
    counts: dict[str, int]
    deadline_counts: dict[str, int]
    overdue_evaluations: list[dict[str, Any]]
    hazard_counts: dict[str, int]  # open, overdue, major_open
    overdue_hazards: list[dict[str, Any]]
    grades: list[dict[str, Any]]
    credit: list[dict[str, Any]]
    accidents_by_year: dict[str, list[int]]  # year → [accidents, deaths, injuries]
    pages: int = 0  # search pages spooled
    warnings: list[dict[str, Any]] = field(default_factory=list)  # diagnostics as dicts, kept with the cache

    @staticmethod
    def from_json(value: dict[str, Any]) -> "MemberSummary":
        return MemberSummary(**value)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Stamp:
    """What identifies a member's published state: its catalog's and search head's ETags
    (a folder's: their SHA-256)."""
    catalog: str
    search: str


class Reader:
    """Reads one member's files through its source, each checked against the catalog."""

    def __init__(self, source: Source, member: str) -> None:
        self.source, self.member = source, member
        self.checksums: dict[str, dict[str, Any]] = {}

    def error(self, code: str, file: str, **values: Any) -> MemberError:
        where = f"{self.source.label.rstrip('/')}/{file}"
        return MemberError(make(code, where, member=self.member, file=file, **values))

    def fetch(self, rel: str, limit: int, etag: str = "") -> Fetched:
        try:
            return self.source.read(rel, limit, etag)
        except Unreadable as exc:
            raise self.error("E951", rel, detail=str(exc)) from None

    def checked(self, rel: str) -> bytes:
        """A data file, which must be what the catalog says (size and SHA-256)."""
        name = rel.removeprefix("data/")
        facts = self.checksums.get(name)
        if facts is None:
            raise self.error("E953", rel, detail="catalog.json 未记载此文件的校验值 / no checksum in catalog.json")
        data = self.fetch(rel, min(facts["bytes"], MAX_FILE)).data or b""
        if len(data) != facts["bytes"] or hashlib.sha256(data).hexdigest() != facts["sha256"]:
            raise self.error("E952", rel)
        return data

    def json_of(self, rel: str, data: bytes) -> Any:
        try:
            return json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self.error("E953", rel, detail=f"JSON: {exc}") from None


def read_stamp(reader: Reader, known: Stamp | None) -> tuple[Stamp, bytes | None, bytes | None]:
    """The member's current stamp, and the catalog and search head when they changed."""
    catalog = reader.fetch(CATALOG, MAX_CATALOG, known.catalog if known else "")
    try:
        head = reader.source.read(SEARCH_HEAD, MAX_CATALOG, known.search if known else "")
    except Unreadable:  # no search index: the member is still rolled up (W952)
        head = Fetched(None if known is not None and not known.search else b"", "")
    return Stamp(catalog.etag, head.etag), catalog.data, head.data


def summarise(reader: Reader, catalog_bytes: bytes, head_bytes: bytes | None, spool: Path) -> MemberSummary:
    rel = CATALOG
    catalog = reader.json_of(rel, catalog_bytes)
    _check_catalog(reader, catalog)
    reader.checksums = catalog["checksums"]
    files = {d["name"]: d["files"] for d in catalog["datasets"]}
    counts = {d["name"]: d["records"] for d in catalog["datasets"]}
    site = catalog.get("site") or {}
    summary = MemberSummary(
        title=catalog["title"], publisher=str(site.get("publisher", "")), site_url=str(site.get("site_url", "")),
        as_of=catalog["as_of"], counts=counts, deadline_counts={}, overdue_evaluations=[], hazard_counts={},
        overdue_hazards=[], grades=[], credit=[], accidents_by_year={})
    deadlines = _rows(reader, "data/deadlines.json", {"id": str, "title": str, "due": str, "status": str,
                                                      "days_overdue": int, "url": str})
    summary.deadline_counts = dict(Counter(row["status"] for row in deadlines))
    summary.overdue_evaluations = [{k: row[k] for k in ("id", "title", "due", "days_overdue", "url")}
                                   for row in deadlines if row["status"] == "overdue"]
    hazards = _rows(reader, "data/hazards.json", {"list_id": str, "id": str, "description": str, "unit": str,
                                                  "level": str, "progress": str, "status": str, "days_overdue": int,
                                                  "url": str})
    open_rows = [row for row in hazards if row["progress"] != "已验收销号"]
    summary.hazard_counts = {"open": len(open_rows), "overdue": sum(r["status"] == "overdue" for r in hazards),
                             "major_open": sum(r["level"] == "重大" for r in open_rows)}
    summary.overdue_hazards = [{k: row.get(k) for k in ("list_id", "id", "description", "unit", "town", "level",
                                                         "deadline", "days_overdue", "url")}
                               for row in hazards if row["status"] == "overdue"]
    for record in _records(reader, files.get("campaigns", [])):
        summary.grades += _grades(record)
    for record in _records(reader, files.get("credit", [])):
        matter = record["front_matter"]
        subject = matter.get("subject") if isinstance(matter.get("subject"), dict) else {}
        summary.credit.append({"list": str(matter.get("list", "")), "name": str(subject.get("name", "")),
                               "credit_code": str(subject.get("credit_code", "")),
                               "entry_date": str(matter.get("entry_date", "")),
                               "decided_by": str(matter.get("decided_by", "")), "url": record["url"]})
    years: dict[str, list[int]] = {}
    for record in _records(reader, files.get("accidents", [])):
        matter = record["front_matter"]
        year = str(matter.get("occurred_date", ""))[:4]
        if year.isdigit():
            figures = years.setdefault(year, [0, 0, 0])
            figures[0] += 1
            figures[1] += _number(matter.get("deaths"))
            figures[2] += _number(matter.get("injuries"))
    summary.accidents_by_year = dict(sorted(years.items()))
    if head_bytes:
        summary.pages = _spool_pages(reader, head_bytes, spool)
    else:
        warning = make("W952", f"{reader.source.label.rstrip('/')}/{SEARCH_HEAD}", member=reader.member)
        summary.warnings.append({**asdict(warning), "severity": warning.severity.value})
    return summary


def _check_catalog(reader: Reader, catalog: Any) -> None:
    def bad(detail: str) -> MemberError:
        return reader.error("E953", CATALOG, detail=detail)
    if not isinstance(catalog, dict):
        raise bad("应为 JSON 对象 / must be an object")
    if catalog.get("format") != CATALOG_FORMAT:
        raise reader.error("E954", CATALOG, format=catalog.get("format", "—"), expected=CATALOG_FORMAT)
    if not isinstance(catalog.get("title"), str) or not _DATE.fullmatch(str(catalog.get("as_of", ""))):
        raise bad("title 或 as_of 缺失 / title or as_of missing")
    datasets = catalog.get("datasets")
    if not isinstance(datasets, list) or not all(
            isinstance(d, dict) and isinstance(d.get("name"), str) and type(d.get("records")) is int
            and isinstance(d.get("files"), list) and all(isinstance(f, str) and _FILE_NAME.fullmatch(f)
                                                         for f in d["files"]) for d in datasets):
        raise bad("datasets 格式不符 / datasets malformed")
    checksums = catalog.get("checksums")
    if not isinstance(checksums, dict) or not all(
            _FILE_NAME.fullmatch(name) and isinstance(facts, dict) and type(facts.get("bytes")) is int
            and facts["bytes"] >= 0 and _SHA256.fullmatch(str(facts.get("sha256", ""))) for name, facts in checksums.items()):
        raise bad("checksums 格式不符 / checksums malformed")


def _shape(reader: Reader, rel: str, where: str, value: Any, keys: dict[str, type]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise reader.error("E953", rel, detail=f"{where} 应为对象 / must be an object")
    for key, kind in keys.items():
        if type(value.get(key)) is not kind:
            raise reader.error("E953", rel, detail=f"{where}.{key} 应为 {kind.__name__} / must be {kind.__name__}")
    url = value.get("url")
    if isinstance(url, str) and not _PAGE.fullmatch(url):
        raise reader.error("E955", rel, where=f"{where}.url", url=url)
    return value


def _rows(reader: Reader, rel: str, keys: dict[str, type]) -> list[dict[str, Any]]:
    document = reader.json_of(rel, reader.checked(rel))
    rows = document.get("rows") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise reader.error("E953", rel, detail="缺少 rows 列表 / no rows list")
    return [_shape(reader, rel, f"rows[{n}]", row, keys) for n, row in enumerate(rows)]


def _records(reader: Reader, files: list[str]) -> list[dict[str, Any]]:
    out = []
    for name in files:
        if not name.endswith(".json"):
            continue
        rel = f"data/{name}"
        document = reader.json_of(rel, reader.checked(rel))
        records = document.get("records") if isinstance(document, dict) else None
        if not isinstance(records, list):
            raise reader.error("E953", rel, detail="缺少 records 列表 / no records list")
        out += [_shape(reader, rel, f"records[{n}]", record, {"url": str, "front_matter": dict})
                for n, record in enumerate(records)]
    return out


def _grades(record: dict[str, Any]) -> list[dict[str, Any]]:
    """A campaign's graded units: towns at the re-evaluation, sectors at the review."""
    matter = record["front_matter"]
    evaluation = matter.get("evaluation") if isinstance(matter.get("evaluation"), dict) else {}
    out = []
    for stage, unit_key, stage_zh in (("re_evaluation", "town", "行业复评"), ("review", "sector", "综合评审")):
        part = evaluation.get(stage) if isinstance(evaluation.get(stage), dict) else {}
        for grade in part.get("grades") or []:
            if isinstance(grade, dict) and grade.get(unit_key) and grade.get("grade"):
                out.append({"campaign": str(matter.get("title", "")), "stage": stage_zh, "unit": str(grade[unit_key]),
                            "grade": str(grade["grade"]), "date": str(part.get("date", "")), "url": record["url"]})
    return out


def _number(value: Any) -> int:
    return value if type(value) is int else 0


_PAGE_KEYS: dict[str, type] = {"url": str, "title": str, "date": str, "number": str, "filters": dict,
                               "blocks": list, "labels": dict, "cells": list}


def _spool_pages(reader: Reader, head_bytes: bytes, spool: Path) -> int:
    """The member's search pages, checked, into `spool` (gzip, a JSON line each); how many."""
    rel = SEARCH_HEAD
    head = reader.json_of(rel, head_bytes)
    facts = head.get("pages_file") if isinstance(head, dict) else None
    if not isinstance(head, dict) or head.get("format") != SEARCH_FORMAT or not isinstance(facts, dict) \
            or type(facts.get("bytes")) is not int or not _SHA256.fullmatch(str(facts.get("sha256", ""))):
        raise reader.error("E953", rel, detail="不是本工具可读的搜索索引 / not a search index this version reads")
    pages_rel = f"search-index/{PAGES_FILE}"
    packed = reader.fetch(pages_rel, min(facts["bytes"], MAX_FILE)).data or b""
    if len(packed) != facts["bytes"] or hashlib.sha256(packed).hexdigest() != facts["sha256"]:
        raise reader.error("E952", pages_rel)
    count = 0
    tmp = spool.with_suffix(".part")
    with gzip.open(tmp, "wb", compresslevel=1) as out:
        for number, line in enumerate(_lines(reader, pages_rel, packed)):
            page = reader.json_of(pages_rel, line)
            _shape(reader, pages_rel, f"line {number + 1}", page, _PAGE_KEYS)
            if not all(isinstance(b, str) for b in page["blocks"]) or not all(
                    isinstance(v, list) and all(isinstance(x, str) for x in v) for v in page["filters"].values()) \
                    or not all(isinstance(v, str) for v in page["labels"].values()) \
                    or not all(type(c) is int for c in page["cells"]):
                raise reader.error("E953", pages_rel, detail=f"line {number + 1}")
            out.write(line if line.endswith(b"\n") else line + b"\n")
            count += 1
    tmp.replace(spool)
    return count


def _lines(reader: Reader, rel: str, packed: bytes) -> Any:
    """The unpacked lines of a gzip file, never more than MAX_PAGES_TEXT in all (a zip bomb stops there)."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending, total, data = b"", 0, packed
    try:
        while data:
            chunk = inflate.decompress(data, 1 << 20)
            data = inflate.unconsumed_tail
            total += len(chunk)
            if total > MAX_PAGES_TEXT:
                raise reader.error("E953", rel, detail="解压后过大 / too large unpacked")
            pending += chunk
            *whole, pending = pending.split(b"\n")
            yield from (line for line in whole if line)
            if not data and not inflate.eof:
                break
    except zlib.error as exc:
        raise reader.error("E953", rel, detail=f"gzip: {exc}") from None
    if pending:
        yield pending


def read_spool(spool: Path, base: str, transform: Callable[[dict[str, Any], str], Any]) -> Iterator[Any]:
    with gzip.open(spool, "rb") as lines:
        for line in lines:
            if line.strip():
                yield transform(json.loads(line), base)


def stale(summary: MemberSummary, as_of: dt.date, days: int) -> bool:
    return (as_of - dt.date.fromisoformat(summary.as_of)).days > days
