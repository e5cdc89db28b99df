"""The open data's catalog in the forms other portals harvest.

- data/catalog.json: our own catalog, with each file's size and SHA-256 (a roll-up checks them:
  generator/rollup/member_data.py), the site's name, publisher and address;
- data/catalog.jsonld: the same as DCAT (W3C Data Catalog Vocabulary) in JSON-LD, with its
  context inline (a harvester fetches nothing else), in the key names of the DCAT-US 3 JSON
  schema, with every value typed by the class DCAT-AP 3 requires of it (tested against its SHACL shapes):
  what CKAN's ckanext-dcat and government data portals read;
- data/datapackage.json: a Frictionless Data Package (v2) describing every CSV file, its
  columns with their Chinese headers and meanings, encoding, size and hash.

Only the files render_data wrote for public records are described: the catalog adds no data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from generator.settings import SiteSettings

CATALOG_FORMAT = 1  # of data/catalog.json; a roll-up refuses a format it does not know
_MEDIA = {"json": "application/json", "csv": "text/csv"}
_IANA = "https://www.iana.org/assignments/media-types/"
_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dcterms": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "Catalog": "dcat:Catalog", "Dataset": "dcat:Dataset", "Distribution": "dcat:Distribution",
    "Checksum": "spdx:Checksum", "Agent": "foaf:Agent", "Document": "foaf:Document",
    "MediaType": "dcterms:MediaType", "LinguisticSystem": "dcterms:LinguisticSystem",
    "title": {"@id": "dcterms:title", "@language": "zh"},
    "description": {"@id": "dcterms:description", "@language": "zh"},
    "name": {"@id": "foaf:name", "@language": "zh"}, "prefLabel": {"@id": "skos:prefLabel", "@language": "zh"},
    "keyword": {"@id": "dcat:keyword", "@language": "zh"}, "identifier": "dcterms:identifier",
    "publisher": {"@id": "dcterms:publisher"}, "dataset": {"@id": "dcat:dataset"},
    "distribution": {"@id": "dcat:distribution"}, "checksum": {"@id": "spdx:checksum"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"}, "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"}, "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"}, "conformsTo": {"@id": "dcterms:conformsTo", "@type": "@id"},
    "language": {"@id": "dcterms:language", "@type": "@id"},
    "byteSize": {"@id": "dcat:byteSize", "@type": "xsd:decimal"},  # DCAT-AP 3's datatype
    "algorithm": {"@id": "spdx:algorithm", "@type": "@id"},
    "checksumValue": {"@id": "spdx:checksumValue", "@type": "xsd:hexBinary"},
    "modified": {"@id": "dcterms:modified", "@type": "xsd:date"},
}
_CHINESE = "http://publications.europa.eu/resource/authority/language/ZHO"


def file_facts(content: bytes) -> dict[str, Any]:
    return {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def site_address(site: SiteSettings, rel: str) -> str:
    """`rel` (from the site root) as written in a file under data/: absolute with a site
    address, else relative to data/ (JSON-LD resolves it against the catalog's own address)."""
    if site.site_url:
        return site.site_url.rstrip("/") + "/" + rel
    return "../" + rel


def dcat_catalog(site: SiteSettings, as_of: str, datasets: list[dict[str, Any]],
                 facts: dict[str, dict[str, Any]], titles: dict[str, str]) -> dict[str, Any]:
    """`datasets`: catalog.json's entries; `facts`: each data file's bytes and SHA-256;
    `titles`: each dataset's Chinese name."""
    publisher = site.publisher
    out = []
    for dataset in datasets:
        name, title = dataset["name"], titles.get(dataset["name"], dataset["name"])
        distributions = []
        for file in dataset["files"]:
            extension = file.rsplit(".", 1)[-1]
            address = site_address(site, f"data/{file}")
            distributions.append({
                "@id": address, "@type": "Distribution", "title": f"{title}（{extension.upper()}）",
                "accessURL": address, "downloadURL": address,
                "mediaType": {"@id": _IANA + _MEDIA[extension], "@type": "MediaType"},
                "byteSize": str(facts[file]["bytes"]),
                "checksum": {"@type": "Checksum", "algorithm": _SHA256, "checksumValue": facts[file]["sha256"]},
            })
        out.append({
            "@id": site_address(site, f"data/#{name}"), "@type": "Dataset", "title": title,
            "description": f"{publisher}已公开的{title}，共 {dataset['records']} 条，数据截至 {as_of}。",
            "identifier": [name], "keyword": "安全生产", "modified": as_of,
            "publisher": {"@type": "Agent", "name": publisher, "prefLabel": publisher},
            "landingPage": {"@id": site_address(site, "data/"), "@type": "Document", "title": "开放数据"},
            "distribution": distributions,
        })
    return {
        "@context": _CONTEXT, "@id": site_address(site, "data/catalog.jsonld"), "@type": "Catalog",
        "title": f"{site.title}：开放数据", "description": f"{publisher}公开的安全生产监管记录（开放数据目录）。",
        "publisher": {"@type": "Agent", "name": publisher}, "homepage": {"@id": site_address(site, ""), "@type": "Document",
                                                                   "title": site.title},
        "language": [{"@id": _CHINESE, "@type": "LinguisticSystem"}], "modified": as_of, "dataset": out,
    }


def data_package(site: SiteSettings, as_of: str, files: dict[str, bytes],
                 meanings: dict[str, dict[str, str]], titles: dict[str, str]) -> dict[str, Any]:
    """A Frictionless Data Package of the CSV files (`files`: name → bytes, as written);
    `meanings`: per file, each CSV header's meaning (the data dictionary's); `titles`: a
    file's dataset name."""
    resources = []
    for name, content in sorted(files.items()):
        if not name.endswith(".csv"):
            continue
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig").split("\r\n", 1)[0])))
        own = meanings.get(name, {})
        resources.append({
            "name": name.removesuffix(".csv"), "title": titles.get(name, name),
            "path": name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "bytes": len(content), "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
            "schema": {"fields": [{"name": column, "type": "string", **({"description": own[column]}
                                                                       if own.get(column) else {})}
                                  for column in header]},
        })
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "safety-portal-open-data", "title": f"{site.title}：开放数据",
        "description": f"{site.publisher}公开的安全生产监管记录，数据截至 {as_of}。CSV 文件为带 BOM 的 UTF-8，表头为中文。",
        "created": f"{as_of}T00:00:00+08:00", "homepage": site_address(site, "data/"),
        "resources": resources,
    }


def json_ld(value: dict[str, Any]) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
