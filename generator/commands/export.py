"""`portal export`: one bundle per 专栏 (column) for a consolidated (集约化) platform to import,
made from the built public site only, so it can hold nothing the site does not publish.

Each bundle is a ZIP, `<column>.zip`, with the same bytes for the same site:
- manifest.json: format name and version, the column, the site, the as-of date, each record
  (id, title, dates, page address, its record file and attachments with size and SHA-256),
  and the column's withdrawal notices (a platform takes those records down);
- records/<id>.json: the record's fields as published, its body (Markdown) and the page's
  article as the site shows it (HTML, already sanitised);
- attachments/<id>/<file>: the record's public attachments, checked against their hashes;
- SHA256SUMS: every other file's hash, in the format `sha256sum -c` reads.
The format is described on the site's 开放数据 page and by data/column-bundle.schema.json.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.load.discover import COLUMN_OF_FOLDER

BUNDLE_FORMAT = "safety-portal-column-bundle"
BUNDLE_VERSION = 1
_STAMP = (1980, 1, 1, 0, 0, 0)  # ZIP's earliest time: the same bytes from every export
_ARTICLE = re.compile(rb'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_MEDIA = {".pdf": "application/pdf", ".ofd": "application/ofd", ".png": "image/png", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ExportError(Exception):
    """The site is not one `portal build` wrote, or a file in it is not what its record says."""


@dataclass(frozen=True)
class Bundle:
    column: str
    path: Path
    records: int
    attachments: int


def export_site(site_dir: Path, out_dir: Path, columns: list[str] | None = None) -> list[Bundle]:
    catalog = _json(site_dir / "data" / "catalog.json")
    withdrawn = _json(site_dir / "data" / "withdrawn.json").get("records", [])
    site = catalog.get("site") or {"title": catalog.get("title", ""), "publisher": "", "site_url": ""}
    out_dir.mkdir(parents=True, exist_ok=True)
    bundles = []
    for dataset in catalog["datasets"]:
        column = dataset["name"]
        if column not in COLUMN_OF_FOLDER or (columns and column not in columns):
            continue
        records = [record for name in dataset["files"] if name.endswith(".json")
                   for record in _json(site_dir / "data" / name)["records"]]
        notices = [notice for notice in withdrawn if notice.get("collection") == column]
        bundles.append(_write_bundle(site_dir, out_dir / f"{column}.zip", column, site, catalog["as_of"], records,
                                     notices))
    return bundles


def _write_bundle(site_dir: Path, target: Path, column: str, site: dict[str, str], as_of: str,
                  records: list[dict[str, Any]], notices: list[dict[str, Any]]) -> Bundle:
    files: dict[str, bytes] = {}
    entries = []
    base = site.get("site_url", "")
    for record in sorted(records, key=lambda r: r["front_matter"]["id"]):
        matter = record["front_matter"]
        record_id = matter["id"]
        attachments = []
        for attachment in matter.get("attachments") or []:
            data = _attachment(site_dir, column, attachment)
            name = f"attachments/{record_id}/{PurePosixPath(attachment['file']).name}"
            files[name] = data
            attachments.append({"title": attachment.get("title", ""), "path": name, "bytes": len(data),
                                "sha256": attachment["sha256"],
                                "media_type": _MEDIA.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")})
        page = site_dir / record["url"] / "index.html"
        article = _ARTICLE.search(page.read_bytes()) if page.is_file() else None
        record_file = f"records/{record_id}.json"
        files[record_file] = _dump({"id": record_id, "front_matter": matter, "body_markdown": record["body"],
                                    "body_html": article.group(1).decode("utf-8").strip() if article else ""})
        entries.append({"id": record_id, "title": matter.get("title", ""), "jurisdiction": matter.get("jurisdiction", ""),
                        "publish_date": str(matter.get("publish_date", "")),
                        "url": (base.rstrip("/") + "/" if base else "") + record["url"],
                        "record": record_file, "sha256": _sha(files[record_file]), "attachments": attachments})
    manifest = {"format": BUNDLE_FORMAT, "version": BUNDLE_VERSION,
                "column": {"id": column, "name": COLUMN_OF_FOLDER[column]}, "site": site, "as_of": as_of,
                "records": entries, "withdrawn": notices}
    files["manifest.json"] = _dump(manifest)
    files["SHA256SUMS"] = "".join(f"{_sha(data)}  {name}\n" for name, data in sorted(files.items())).encode()
    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in ["manifest.json", "SHA256SUMS", *sorted(n for n in files if n not in ("manifest.json", "SHA256SUMS"))]:
            info = zipfile.ZipInfo(name, _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, files[name])
    tmp.replace(target)  # a bundle is whole or absent
    return Bundle(column, target, len(entries), sum(len(e["attachments"]) for e in entries))


def _attachment(site_dir: Path, column: str, attachment: dict[str, Any]) -> bytes:
    rel = PurePosixPath(str(attachment.get("file", "")))
    if rel.is_absolute() or ".." in rel.parts:
        raise ExportError(f"附件路径不在网站内 / attachment outside the site: {rel}")
    path = site_dir / column / rel
    if not path.is_file():
        raise ExportError(f"网站中缺少附件 / attachment missing from the site: {column}/{rel}")
    data = path.read_bytes()
    if _sha(data) != attachment.get("sha256"):
        raise ExportError(f"附件与记录中的 SHA-256 不符 / attachment does not match its SHA-256: {column}/{rel}")
    return data


def _json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"不是 portal build 生成的网站（缺少 {path.name}）/ not a site portal build wrote: "
                          f"{path} is missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{path}: {exc}") from None
    if not isinstance(value, dict):
        raise ExportError(f"{path}: 不是 JSON 对象 / not an object")
    return value


def _dump(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
