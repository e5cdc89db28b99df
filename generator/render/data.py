"""Open data and feeds: every public record as JSON and CSV, the deadline table, Atom feeds.

Files land under data/ and feeds/ of the site. Only the PublicView comes in, so
the exports hold exactly what the pages show (the leak guard scans them too).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any, Iterable
from xml.sax.saxutils import escape

from generator.derive.deadline_table import DeadlineRow
from generator.derive.hazard_table import HazardRow
from generator.load.discover import COLUMN_OF_FOLDER, folder_of
from generator.model import Record
from generator.publish import PublicView, public_front_matter
from generator.render.catalog import CATALOG_FORMAT, data_package, dcat_catalog, file_facts, json_ld
from generator.render.hazard_pages import item_url
from generator.render.writer import COLUMN_ZH
from generator.resources import BUNDLE_SCHEMA
from generator.settings import SiteSettings
from generator.validate.schema import SchemaSet

# CSV column headers are Chinese (people open these in Excel); the data dictionary page maps each
# to its JSON key. Record files take theirs from the schemas' field titles, these are the rest.
KEY_TITLES = {"url": ("页面地址", "记录页面在本站的地址"), "body": ("正文", "记录的正文（Markdown）"),
             "list_id": ("隐患整改清单编号", "所属隐患整改清单的编号"), "closure_date": ("结案日期", "事故结案日期"),
             "window_opens": ("评估期开始", "结案后开始评估的日期"), "due": ("评估期限", "应完成评估的日期"),
             "status": ("状态代码", "状态的英文代码"), "status_zh": ("状态", "状态的中文说明"),
             "days_overdue": ("逾期天数", "截至生成日期已逾期的天数，未逾期为 0"), "description": ("隐患描述", "隐患情况"),
             "unit": ("单位名称", "存在隐患的单位"), "credit_code": ("统一社会信用代码", "单位的统一社会信用代码"),
             "town": ("镇（街道）", "隐患所在镇（街道）"), "sector": ("行业领域", "所属行业领域"),
             "level": ("隐患等级", "重大或一般"), "order_number": ("整改指令书文号", "责令限期整改指令书的文号"), "found_date": ("发现日期", "发现隐患的日期"),
             "deadline": ("整改期限", "整改完成期限"), "progress": ("整改进展", "未整改、整改中、已整改或已销号"),
             "id": ("编号", "记录或隐患编号"), "title": ("标题", "记录标题"), "jurisdiction": ("辖区", "所属行政区划")}
ColumnTitles = dict[str, tuple[str, str]]  # JSON key → (Chinese header, meaning)

SCHEMA_NAMES = ("accident", "evaluation", "rectification", "enforcement", "credit", "campaign", "directive", "common")
PAGE_SIZE = 1000  # records per data file: a province's collection stays downloadable in parts


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative to the docs dir, POSIX
    content: bytes


def json_file(value: dict[str, Any]) -> bytes:
    """One field per line, and each item of a list field (a record, a row) on a line of its own:
    readable and diffable, and written by json's C encoder, which `indent` would turn off
    (the pure-Python one took seconds for 10,000 records)."""
    def one(item: Any) -> str:
        return json.dumps(item, ensure_ascii=False)
    fields = [f"{one(key)}: [\n" + ",\n".join(map(one, item)) + "\n]" if isinstance(item, list) and item
              else f"{one(key)}: {one(item)}" for key, item in value.items()]
    return ("{\n" + ",\n".join(fields) + "\n}\n").encode("utf-8")


def csv_headers(names: list[str], titles: ColumnTitles) -> list[str]:
    """Each key's Chinese header; a title two keys share names its key too, so headers stay unique."""
    plain = [titles.get(name, KEY_TITLES.get(name, (name, "")))[0] for name in names]
    return [f"{title}（{name}）" if plain.count(title) > 1 else title for title, name in zip(plain, names)]


def _csv(rows: list[dict[str, Any]], titles: ColumnTitles | None = None) -> bytes:
    fields: dict[str, None] = {}  # every row's keys, in order of first appearance
    for row in rows:
        fields.update(dict.fromkeys(row))
    names = list(fields) or ["id"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_headers(names, titles or {}))
    # Lists and objects as JSON; a missing field or None as an empty cell.
    writer.writerows([_cell(row.get(name)) for name in names] for row in rows)
    # UTF-8 with BOM: Excel, which most offices use, then opens Chinese text correctly.
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


# A spreadsheet runs a cell that begins with one of these as a formula (=HYPERLINK(…), +cmd, @SUM):
# OWASP's rule is to begin such a cell with an apostrophe, which makes it text.
_FORMULA_FIRST = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text if text.startswith(_FORMULA_FIRST) else text


def _entry(record: Record, folder: str, front_matter: dict[str, Any], as_of: dt.date,
           public_accidents: set[str]) -> dict[str, Any]:
    front_matter = public_front_matter(record, front_matter, public_accidents)
    if record.withdrawal is not None and record.withdrawal.date > as_of:
        # A withdrawal dated later has not happened yet: its notice is not public information.
        front_matter = {k: v for k, v in front_matter.items() if k != "withdrawal"}
    return {"url": f"{folder}/{record.id}/", "front_matter": front_matter, "body": record.body.strip("\n")}


def _pages(name: str, entries: list[dict[str, Any]], as_of: str, titles: ColumnTitles) -> list[GeneratedFile]:
    count = max(1, -(-len(entries) // PAGE_SIZE))
    files = []
    for index in range(count):
        chunk = entries[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]
        page = {"collection": name, "as_of": as_of, "page": index + 1, "pages": count,
                "prev": f"{name}-{index}.json" if index else None,
                "next": f"{name}-{index + 2}.json" if index + 1 < count else None,
                "records": chunk}
        files.append(GeneratedFile(f"data/{name}-{index + 1}.json", json_file(page)))
        files.append(GeneratedFile(f"data/{name}-{index + 1}.csv", _csv(
            [{**e["front_matter"], "url": e["url"], "body": e["body"]} for e in chunk], titles)))
    return files


def _atom(title: str, feed_id: str, entries: Iterable[tuple[str, str, str, str, str]], as_of: str) -> bytes:
    """entries: (id, title, relative link, date, summary), newest first."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"<title>{escape(title)}</title>", f"<id>urn:safety-portal:{feed_id}</id>",
             f"<updated>{as_of}T00:00:00+08:00</updated>"]
    for entry_id, entry_title, link, date, summary in entries:
        parts += ["<entry>", f"<id>urn:safety-portal:{escape(entry_id)}</id>", f"<title>{escape(entry_title)}</title>",
                  f'<link href="../{escape(link)}"/>', f"<updated>{date}T00:00:00+08:00</updated>",
                  f"<summary>{escape(summary)}</summary>", "</entry>"]
    parts.append("</feed>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def page_url(md_path: str) -> str:
    """The URL of a staged page (`a/b.md#x` is served at `a/b/#x`), relative to the site root."""
    path, hash_mark, fragment = md_path.partition("#")
    return path.removesuffix(".md") + "/" + hash_mark + fragment


def render_data(view: PublicView, rows: list[DeadlineRow], hazard_rows: list[HazardRow],
                front_matter: dict[str, dict[str, Any]], site: SiteSettings,
                titles: dict[str, ColumnTitles] | None = None) -> list[GeneratedFile]:
    """`titles`: per collection folder, each top-level field's Chinese title and meaning (the
    schemas'), for the CSV headers."""
    titles = titles or {}
    site_title = site.title
    as_of = view.as_of.isoformat()
    by_date = lambda r: (r.publish_date or dt.date.min, r.id)  # noqa: E731
    public_accidents = {a.id for a in view.accidents}
    collections = {
        folder: [_entry(r, folder, front_matter[r.id], view.as_of, public_accidents)
                 for r in sorted(records, key=by_date, reverse=True)]
        for folder, records in (("accidents", view.accidents), ("evaluations", view.evaluations),
                                ("rectifications", view.rectifications), ("enforcement", view.enforcement),
                                ("credit", view.credit), ("campaigns", view.campaigns),
                                ("directives", view.directives))
    }
    files: list[GeneratedFile] = []
    catalog: dict[str, Any] = {"title": site_title, "as_of": as_of, "datasets": []}
    for name, entries in collections.items():
        pages = _pages(name, entries, as_of, titles.get(name, {}))
        files += pages
        catalog["datasets"].append({"name": name, "records": len(entries),
                                    "files": [f.path.removeprefix("data/") for f in pages]})
    withdrawn = [{"id": r.id, "collection": _folder(r), "title": r.title, "publish_date": r.publish_date.isoformat() if r.publish_date else None,
                  "withdrawal": {"date": r.withdrawal.date.isoformat(), "reason": r.withdrawal.reason}
                  if r.withdrawal else None} for r in view.withdrawn]
    files.append(GeneratedFile("data/withdrawn.json", json_file({"as_of": as_of, "records": withdrawn})))
    # Each row's page, relative to the site root: the tables' filter lists rows from any page.
    deadline_rows = [{**row.as_dict(), "url": page_url(f"accidents/{row.accident.id}.md")} for row in rows]
    files.append(GeneratedFile("data/deadlines.json", json_file({"as_of": as_of, "rows": deadline_rows})))
    files.append(GeneratedFile("data/deadlines.csv", _csv(deadline_rows)))
    hazards = [{**row.as_dict(), "url": page_url(item_url(row.rectification, row.item))} for row in hazard_rows]
    files.append(GeneratedFile("data/hazards.json", json_file({"as_of": as_of, "rows": hazards})))
    files.append(GeneratedFile("data/hazards.csv", _csv(hazards)))
    catalog["datasets"] += [{"name": "withdrawn", "records": len(withdrawn), "files": ["withdrawn.json"]},
                            {"name": "deadlines", "records": len(deadline_rows),
                             "files": ["deadlines.json", "deadlines.csv"]},
                            {"name": "hazards", "records": len(hazards), "files": ["hazards.json", "hazards.csv"]}]
    catalog["schemas"] = [f"../schemas/{name}.schema.json" for name in SCHEMA_NAMES]
    files += _catalogs(catalog, files, site, titles)

    public = sorted(view.records, key=by_date, reverse=True)
    files.append(GeneratedFile("feeds/publications.xml", _atom(f"{site_title}：新公开", "publications", [
        (r.id, r.title, f"{_folder(r)}/{r.id}/", (r.publish_date or view.as_of).isoformat(), f"{r.jurisdiction} {r.title}")
        for r in public[:50]], as_of)))
    corrections = sorted(((c, r) for r in public for c in r.corrections), key=lambda cr: (cr[0].date, cr[1].id),
                         reverse=True)
    files.append(GeneratedFile("feeds/corrections.xml", _atom(f"{site_title}：更正", "corrections", [
        (f"{r.id}/correction/{c.date.isoformat()}/{i}", f"更正：{r.title}", f"{_folder(r)}/{r.id}/",
         c.date.isoformat(), f"{c.what}。{c.why}") for i, (c, r) in enumerate(corrections[:50])], as_of)))
    return files


def _catalogs(catalog: dict[str, Any], files: list[GeneratedFile], site: SiteSettings,
              titles: dict[str, ColumnTitles]) -> list[GeneratedFile]:
    """catalog.json with every data file's size and SHA-256, and the same as DCAT and as a Data Package."""
    data = {f.path.removeprefix("data/"): f.content for f in files if f.path.startswith("data/")}
    facts = {name: file_facts(content) for name, content in data.items()}
    catalog = {"format": CATALOG_FORMAT, **catalog,
               "site": {"title": site.title, "publisher": site.publisher, "site_url": site.site_url},
               "checksums": facts}
    names = {d["name"]: COLUMN_ZH.get(d["name"], "撤回公告" if d["name"] == "withdrawn" else d["name"])
             for d in catalog["datasets"]}
    counts = {d["name"]: d["records"] for d in catalog["datasets"]}
    meanings, file_titles = {}, {}
    for dataset, entry in zip(DATASETS, data_dictionary(titles, counts)):
        for file in entry["files"]:
            meanings[file] = {c["header"]: c["meaning"] for c in entry["columns"]}
            file_titles[file] = names[dataset]
    return [GeneratedFile("data/catalog.json", json_file(catalog)),
            GeneratedFile("data/catalog.jsonld", json_ld(dcat_catalog(site, catalog["as_of"], catalog["datasets"],
                                                                      facts, names))),
            GeneratedFile("data/datapackage.json", json_ld(data_package(site, catalog["as_of"], data, meanings,
                                                                        file_titles)))]


def _folder(record: Record) -> str:
    return folder_of(record.collection)





def column_titles(schemas: SchemaSet) -> dict[str, ColumnTitles]:
    """Per collection folder, each top-level field's (Chinese title, meaning), from its schema."""
    out: dict[str, ColumnTitles] = {}
    for collection in SCHEMA_NAMES[:-1]:
        fields = schemas.property_names(collection, ())
        infos = {name: schemas.field_info(collection, (name,)) for name in fields}
        out[folder_of(collection)] = {name: (info.title, info.description) for name, info in infos.items()}
    return out


# The datasets of the open-data page, in its order, by the names the site's columns have.
DATASETS = (*COLUMN_OF_FOLDER, "deadlines", "hazards")
_TABLE_KEYS = {"deadlines": ["id", "title", "jurisdiction", "closure_date", "window_opens", "due", "status", "status_zh",
                             "days_overdue", "url"],
               "hazards": ["list_id", "id", "description", "unit", "credit_code", "town", "sector", "level", "order_number",
                           "found_date", "deadline", "progress", "status", "status_zh", "days_overdue", "url"]}


def data_files_of(dataset: str, records: int) -> list[str]:
    """The files render_data writes for a dataset of this many records."""
    if dataset in _TABLE_KEYS:
        return [f"{dataset}.json", f"{dataset}.csv"]
    return [f"{dataset}-{i}.{ext}" for i in range(1, max(1, -(-records // PAGE_SIZE)) + 1) for ext in ("json", "csv")]


def data_dictionary(titles: dict[str, ColumnTitles], records: dict[str, int]) -> list[dict[str, Any]]:
    """The datasets for the open-data page: their files, and each CSV header with its JSON key and meaning."""
    out = []
    for dataset in DATASETS:
        title = COLUMN_ZH[dataset]
        keys = _TABLE_KEYS.get(dataset) or [*titles.get(dataset, {}), "url", "body"]
        own = titles.get(dataset, {})
        headers = csv_headers(keys, own)
        out.append(dict(title=title, files=data_files_of(dataset, records.get(dataset, 0)),
                        columns=[dict(header=h, key=k, meaning=own.get(k, KEY_TITLES.get(k, ("", "")))[1])
                                 for h, k in zip(headers, keys)]))
    return out


def published_schemas(schemas: SchemaSet, site_url: str) -> list[GeneratedFile]:
    """The schemas as the site publishes them under schemas/. With a site address each one's `$id`
    is its own address there, so a tool or an editor given that address resolves the references
    between them (relative, as written) from the same site; without one, the packaged `$id`."""
    files = []
    for name in SCHEMA_NAMES:
        schema = dict(schemas.raw[f"{name}.schema.json"])
        if site_url:
            schema["$id"] = f"{site_url if site_url.endswith('/') else site_url + '/'}schemas/{name}.schema.json"
        files.append(GeneratedFile(f"schemas/{name}.schema.json",
                                   (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")))
    files.append(GeneratedFile(f"data/{BUNDLE_SCHEMA.name}", BUNDLE_SCHEMA.read_bytes()))
    return files
