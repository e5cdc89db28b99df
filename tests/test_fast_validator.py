"""The fast validator (jsonschema-rs) may only ever be stricter than jsonschema, never laxer.

A record it passes is not validated again, so one it wrongly passed would be published
unchecked. A record it wrongly rejects is validated again by jsonschema and costs only time.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import example, given, settings, strategies as st

from generator.load.discover import COLLECTIONS, SourceFile, discover
from generator.load.document import LoadedDocument, load_document
from generator.settings import LimitSettings
from generator.validate.schema import SchemaSet

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = SchemaSet()


def _documents() -> list[LoadedDocument]:
    """The shipped content and every invalid-case file, loaded as the check loads them."""
    sources = list(discover(ROOT))
    for path in sorted((ROOT / "tests" / "cases" / "invalid").rglob("*.md")):
        collection = COLLECTIONS.get(path.parent.name)
        if collection is not None:
            sources.append(SourceFile(path=path, rel=path.relative_to(ROOT).as_posix(), collection=collection))
    loaded = [load_document(source, LimitSettings()) for source in sources]
    return [d for d in loaded if isinstance(d, LoadedDocument)]


def _agree(collection: str, data: object) -> tuple[bool, bool]:
    fast = SCHEMAS.fast_validators[collection].is_valid(data)
    precise = not any(True for _ in SCHEMAS.validators[collection].iter_errors(data))
    return fast, precise


def test_every_shipped_and_fixture_record_gets_the_same_verdict() -> None:
    documents = _documents()
    assert len(documents) > 100, "the fixtures were not found"
    verdicts = [(d.path, *_agree(d.collection, d.data)) for d in documents]
    laxer = [path for path, fast, precise in verdicts if fast and not precise]
    assert laxer == []
    # Both kinds are present, so the comparison means something.
    assert any(precise for _, _, precise in verdicts) and any(not precise for _, _, precise in verdicts)
    assert [path for path, fast, precise in verdicts if fast != precise] == []


def _string_rules() -> list[dict[str, object]]:
    """Every distinct string schema with a pattern or a format, as the validators see it."""
    found: dict[str, dict[str, object]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and ("pattern" in node or "format" in node):
                # Each keyword alone too: a format must not hide a pattern's difference.
                for keys in (("pattern", "format"), ("pattern",), ("format",)):
                    rule = {"type": "string", **{k: node[k] for k in keys if k in node}}
                    if len(rule) > 1:
                        found[repr(sorted(rule.items()))] = rule
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name, schema in SCHEMAS.raw.items():
        walk(SCHEMAS._inline(schema, name))
    return list(found.values())


RULES = _string_rules()
CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER
FORMATS = {"date": lambda v: CHECKER.conforms(v, "date"), "uri": lambda v: CHECKER.conforms(v, "uri")}
# Where regex dialects differ: line ends, Unicode spaces and digits, controls, the BOM.
TRICKY = st.sampled_from(list("09-: aAzZ某王\n\r\t\x1c\x1f\x85\xa0\u3000\ufeff\u200b０９/<>\"httpsfilesp.")
                         + ["https://", "files/abc/", "2024-02-29", "2023-02-29", "91350100M000100Y43"])


@pytest.mark.parametrize("rule", RULES, ids=[str(r.get("pattern") or r.get("format"))[:30] for r in RULES])
@settings(max_examples=300, deadline=None)
@given(start=st.sampled_from(["", "https://", "files/abc/", "王", "2024-01-"]), parts=st.lists(TRICKY, max_size=8))
@example(start="https://", parts=["a", "\x1c"])  # Python's \s holds \x1c-\x1f and \x85; ECMA's does not
def test_string_rules_are_never_laxer(rule: dict[str, object], start: str, parts: list[str]) -> None:
    value = start + "".join(parts)
    fast = jsonschema_rs.validator_for(rule, formats=FORMATS, validate_formats=True).is_valid(value)
    precise = jsonschema.Draft202012Validator(rule, format_checker=CHECKER).is_valid(value)
    assert not (fast and not precise), f"fast validator passed {value!r} that jsonschema rejects"
