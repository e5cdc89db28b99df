"""The open-data catalog as other portals harvest it: DCAT in JSON-LD and a Frictionless Data
Package, validated against the published schemas and DCAT-AP 3's SHACL shapes
(tests/published_schemas/), read as RDF the way ckanext-dcat reads it (rdflib), and checked
against the files they describe."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import jsonschema
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.conftest import NON_PUBLIC

SCHEMAS = Path(__file__).parent / "published_schemas"
SPDX = Namespace("http://spdx.org/rdf/terms#")


def _load(site: Path, name: str) -> dict:
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


def test_catalog_json_lists_every_data_file_with_its_size_and_hash(built_site: Path) -> None:
    catalog = _load(built_site, "catalog.json")
    assert catalog["format"] == 1
    assert catalog["site"] == {"title": "麒麟区安全生产监管信息公开", "publisher": "曲靖市麒麟区安全生产委员会办公室",
                               "site_url": "https://gongkai.qilin.example/"}
    listed = {file for dataset in catalog["datasets"] for file in dataset["files"]}
    assert set(catalog["checksums"]) == listed
    for name, facts in catalog["checksums"].items():
        content = (built_site / "data" / name).read_bytes()
        assert facts == {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}, name


def test_dcat_catalog_is_valid_dcat_us_3(built_site: Path) -> None:
    schema = json.loads((SCHEMAS / "dcat-us-3.0-expanded-schema.json").read_text(encoding="utf-8"))
    document = _load(built_site, "catalog.jsonld")
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    # The schema can fail: a catalog without its publisher is refused.
    broken = {k: v for k, v in document.items() if k != "publisher"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_dcat_catalog_reads_as_rdf_with_every_file_and_its_checksum(built_site: Path) -> None:
    text = (built_site / "data" / "catalog.jsonld").read_text(encoding="utf-8")
    graph = Graph().parse(data=text, format="json-ld", base="https://gongkai.qilin.example/data/catalog.jsonld")
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef("https://gongkai.qilin.example/data/catalog.jsonld")]
    datasets = set(graph.objects(catalogs[0], DCAT.dataset))
    assert len(datasets) == len(_load(built_site, "catalog.json")["datasets"]) == 10
    checksums = _load(built_site, "catalog.json")["checksums"]
    downloads = {}
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert graph.value(dataset, DCTERMS.title).language == "zh"
        assert graph.value(dataset, DCTERMS.publisher) is not None
        for distribution in graph.objects(dataset, DCAT.distribution):
            url = str(graph.value(distribution, DCAT.downloadURL))
            assert graph.value(distribution, DCAT.accessURL) == URIRef(url)  # DCAT-AP: accessURL is mandatory
            checksum = graph.value(distribution, SPDX.checksum)
            downloads[url] = (str(graph.value(checksum, SPDX.checksumValue)),
                              int(graph.value(distribution, DCAT.byteSize).toPython()))
    assert downloads == {f"https://gongkai.qilin.example/data/{name}": (facts["sha256"], facts["bytes"])
                         for name, facts in checksums.items()}
    assert (None, DCTERMS.language, None) in graph
    assert Literal("安全生产", lang="zh") in set(graph.objects(None, DCAT.keyword))


@pytest.mark.parametrize("shapes", ["dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl"])
def test_dcat_catalog_conforms_to_dcat_ap_3_shapes(built_site: Path, shapes: str) -> None:
    from pyshacl import validate

    text = (built_site / "data" / "catalog.jsonld").read_text(encoding="utf-8")
    data = Graph().parse(data=text, format="json-ld", base="https://gongkai.qilin.example/data/catalog.jsonld")
    shapes_graph = Graph().parse(SCHEMAS / shapes, format="turtle")
    conforms, _, report = validate(data, shacl_graph=shapes_graph, inference="none")
    assert conforms, report
    # The shapes can fail: a distribution's size written as a plain integer is refused (DCAT-AP: decimal),
    # and a media type that is not typed as dct:MediaType is refused by the range shapes.
    document = json.loads(text)
    document["@context"]["byteSize"]["@type"] = "xsd:integer"
    for dataset in document["dataset"]:
        for distribution in dataset["distribution"]:
            distribution["mediaType"]["@type"] = "Document"
    broken = json.dumps(document, ensure_ascii=False)
    data = Graph().parse(data=broken, format="json-ld", base="https://gongkai.qilin.example/data/catalog.jsonld")
    assert not validate(data, shacl_graph=shapes_graph, inference="none")[0]


def test_data_package_is_valid_and_describes_each_csv_as_written(built_site: Path) -> None:
    schema = json.loads((SCHEMAS / "datapackage-2.0.json").read_text(encoding="utf-8"))
    package = _load(built_site, "datapackage.json")
    jsonschema.Draft7Validator(schema).validate(package)
    with pytest.raises(jsonschema.ValidationError):  # the profile can fail: no resources
        jsonschema.Draft7Validator(schema).validate({**package, "resources": []})
    csvs = sorted(p.name for p in (built_site / "data").glob("*.csv"))
    assert [r["path"] for r in package["resources"]] == csvs
    for resource in package["resources"]:
        content = (built_site / "data" / resource["path"]).read_bytes()
        assert resource["bytes"] == len(content)
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
        header = next(csv.reader(io.StringIO(content.decode(resource["encoding"]))))
        assert [field["name"] for field in resource["schema"]["fields"]] == header
    accidents = next(r for r in package["resources"] if r["path"] == "accidents-1.csv")
    described = {f["name"]: f.get("description") for f in accidents["schema"]["fields"]}
    assert described["页面地址"] == "记录页面在本站的地址"


def test_catalogs_name_no_record_that_is_not_public(built_site: Path) -> None:
    for name in ("catalog.json", "catalog.jsonld", "datapackage.json"):
        text = (built_site / "data" / name).read_text(encoding="utf-8")
        for record_id, sentinel in NON_PUBLIC.items():
            assert record_id not in text and sentinel not in text, (name, record_id)
